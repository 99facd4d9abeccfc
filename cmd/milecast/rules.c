/*
 * rules.c — `milecast rules`: prints the effective rules as a rules file,
 * which is also how a user checks a file they wrote (exit 78 names the
 * line at fault) with the same checks as forecast's (cli_setup).
 */
#include <stdio.h>

#include "buf.h"
#include "cli.h"
#include "rules.h"
#include "schema.h"

int cli_load_rules(const cli_opts *o, mc_rules **out)
{
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_rules_new(out, &err);
    if (st == MC_OK && o->rules_file)
        st = mc_rules_load(*out, o->rules_file, &err);
    if (st == MC_OK)
        return 0;
    mc_rules_free(*out);
    *out = NULL;
    return cli_fail(&err);
}

int cmd_rules(const cli_opts *o)
{
    mc_rules *r;
    mc_schema *schema;
    /* every check forecast makes before reading (columns bound to the
     * schema, --map), so a file this accepts is one forecast accepts */
    int st = cli_setup(o, &r, &schema);
    mc_schema_free(schema);
    if (st) {
        mc_rules_free(r);
        return st;
    }
    mc_buf b = MC_BUF_INIT;
    bool ok = mc_rules_format(r, &b);
    mc_rules_free(r);
    if (!ok) {
        mc_buf_free(&b);
        fputs("milecast: out of memory\n", stderr);
        return MC_ESOFTWARE;
    }
    bool written = fwrite(b.data, 1, b.len, stdout) == b.len;
    mc_buf_free(&b);
    if (!written || fflush(stdout) != 0 || ferror(stdout)) {
        perror("milecast: writing the rules");
        return MC_EIO;
    }
    return 0;
}
