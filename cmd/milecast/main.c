/*
 * main.c — milecast's entry point: parses the command line (SPEC §3),
 * dispatches to a command and maps errors to exit statuses (SPEC §5).
 */
#include <getopt.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "csvout.h"
#include "match.h"
#include "reader.h"
#include "kind.h"

#ifndef MC_VERSION
#define MC_VERSION "0.1.0"
#endif

static const char usage_text[] =
    "usage: milecast forecast [options] EXPORT.csv...\n"
    "       milecast run --inbox DIR [--out DIR] [--archive DIR] [--settle SECONDS] [options]\n"
    "       milecast rules [--rules FILE]\n"
    "       milecast backtest [options] EXPORT.csv...\n"
    "       milecast accuracy [--rules FILE] [--as-of DATE] --out DIR HISTORY_DIR\n"
    "       milecast --help | -h | help | --version\n"
    "\n"
    "forecast: reads CRM opportunity exports, and the activities, stage history\n"
    "and contact roles exported beside them, and writes forecast.csv,\n"
    "forecast_by_period.csv, win_rates.csv, calibration.csv, evidence.csv and\n"
    "rejects.csv into --out.\n"
    "run: nightly folder mode: forecasts the ready *.csv and *.csv.gz exports\n"
    "of --inbox into OUT/history/DATE (OUT/latest points at it), with\n"
    "changes.csv and slippage.csv, then archives them.\n"
    "rules: prints the effective rules (built in, or with --rules FILE\n"
    "applied and checked) as a rules file.\n"
    "backtest: trains the deal score on older closed deals, scores the newer\n"
    "ones, and writes backtest.csv and backtest_reliability.csv into --out.\n"
    "\n"
    "options:\n"
    "  --out DIR             output directory (default ./milecast-out)\n"
    "  --rules FILE          rules file (INI)\n"
    "  --as-of YYYY-MM-DD    date every judgement uses (default today)\n"
    "  --map FIELD=HEADER    use HEADER (or a (?i)pattern) for FIELD; repeatable;\n"
    "                        KIND.FIELD=HEADER for an evidence export's field\n"
    "                        (--map activities.subject=Title)\n"
    "  --kind FILE=KIND      read FILE as KIND: opportunities, activities,\n"
    "                        stage_history, contact_roles or contacts (default:\n"
    "                        told from its header)\n"
    "  --date-order ORDER    mdy (default), dmy or ymd for ambiguous dates\n"
    "  --delimiter C         , ; tab or | (default: detected from the header)\n"
    "  --encoding NAME       utf-8, windows-1252, latin1, utf-16... (default:\n"
    "                        BOM, else UTF-8 with Windows-1252 fallback)\n"
    "  --max-field BYTES     longest field accepted (default 1048576)\n"
    "  --inbox DIR           run: folder the exports are dropped into\n"
    "  --archive DIR         run: where processed exports go (default OUT/archive)\n"
    "  --settle SECONDS      run: leave files modified this recently (default 60)\n"
    "  --retire SOURCE       run: drop SOURCE's deals from latest/ (repeatable)\n"
    "  --keep-days N         run: history sets older than N days keep only their\n"
    "                        summaries, older archived exports go (default 90)\n"
    "  --slippage FILE       forecast: an earlier run's slippage.csv, for\n"
    "                        p_close_in_period (run uses the previous set's)\n"
    "  --threads N           threads to use (default: the online cores)\n"
    "  --strict              any rejected row makes the exit status 65\n"
    "  --quiet               print nothing unless something is wrong\n"
    "  --verbose             print the header mapping chosen per file\n"
    "\n"
    "exit status: 0 ok, 64 usage, 65 data error, 66 input missing,\n"
    "73 cannot create output, 74 I/O error, 75 another run holds the lock,\n"
    "78 rules file invalid\n";

void cli_line(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* one line a log reader can trust: a file name with a newline or an
     * escape sequence in it is shown escaped, never acted on */
    char out[sizeof msg * 4 + 16];
    size_t n = 0;
    n += (size_t)snprintf(out, sizeof out, "milecast: ");
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p >= 0x20 && *p != 0x7f)
            out[n++] = (char)*p;
        else if (*p == '\n')
            n += (size_t)snprintf(out + n, sizeof out - n, "\\n");
        else if (*p == '\t')
            n += (size_t)snprintf(out + n, sizeof out - n, "\\t");
        else
            n += (size_t)snprintf(out + n, sizeof out - n, "\\x%02x", *p);
    }
    out[n++] = '\n';
    cli_progress_clear();
    fwrite(out, 1, n, stderr);
}

int cli_fail(const mc_error *err)
{
    char buf[1200];
    cli_line("error: %s", mc_error_format(err, buf, sizeof buf));
    return err->code ? (int)err->code : 1;
}

void cli_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_line("error: %s", msg);
}

/* "<kind><file>[:<line>]: <msg>", or "<kind><msg>" without a file */
__attribute__((format(printf, 4, 0))) static void file_line(const char *kind, const char *file, long line, const char *fmt,
                      va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (!file)
        cli_line("%s%s", kind, msg);
    else if (line > 0)
        cli_line("%s%s:%ld: %s", kind, file, line, msg);
    else
        cli_line("%s%s: %s", kind, file, msg);
}

void cli_strict_error(long rejected)
{
    cli_error("--strict: %ld row(s) rejected (see rejects.csv): exit status 65", rejected);
}

void cli_warn(const cli_opts *o, const char *file, long line, const char *fmt, ...)
{
    (void)o; /* a warning changes the results: --quiet does not hide it */
    va_list ap;
    va_start(ap, fmt);
    file_line("warning: ", file, line, fmt, ap);
    va_end(ap);
}

void cli_note(const cli_opts *o, const char *file, long line, const char *fmt, ...)
{
    if (o->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    file_line("", file, line, fmt, ap);
    va_end(ap);
}

void cli_warn_read(const cli_opts *o, const char *file, const mc_reader *rd)
{
    long long n = rd ? mc_reader_nul_bytes(rd) : 0;
    if (n > 0)
        cli_warn(o, file, 0, "%lld NUL byte(s) dropped from its cells (a UTF-16 file read "
                 "as bytes? try --encoding utf-16le)", n);
}

/* A whole decimal number lo..hi, nothing else. */
static bool parse_whole(const char *arg, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || errno || n < lo || n > hi)
        return false;
    *out = n;
    return true;
}

/* One warning for every pattern match that stopped at PCRE2's limit
 * (pkg/match): a header or cell read as not matching, silently otherwise. */
static int warn_limited(const cli_opts *o, int status)
{
    char spec[256];
    long n = mc_match_limited(spec, sizeof spec);
    if (n > 0)
        cli_warn(o, o->rules_file ? o->rules_file : "rules", 0,
                 "pattern \"%s\" stopped at PCRE2's match limit (%d steps) %ld time(s): "
                 "those headers or cells were read as not matching; nested repeats such "
                 "as (a+)+ backtrack without end, simplify it",
                 spec, MC_MATCH_LIMIT, n);
    return status;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("milecast: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'milecast --help'.\n", stderr);
    return MC_EUSAGE;
}

static bool parse_delimiter(const char *s, char *out)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0 || strcmp(s, "\t") == 0) {
        *out = '\t';
        return true;
    }
    if (strlen(s) == 1 && strchr(",;|", s[0])) {
        *out = s[0];
        return true;
    }
    return false;
}

static bool parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v < 16)
        return false;
    *out = (size_t)v;
    return true;
}

static bool parse_seconds(const char *s, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v < 0)
        return false;
    *out = v;
    return true;
}

enum { OPT_OUT = 256, OPT_RULES, OPT_ASOF, OPT_MAP, OPT_ORDER, OPT_DELIM,
       OPT_ENC, OPT_MAXF, OPT_INBOX, OPT_ARCHIVE, OPT_SETTLE, OPT_SLIPPAGE,
       OPT_STRICT, OPT_QUIET, OPT_VERBOSE, OPT_HELP, OPT_VERSION, OPT_KIND, OPT_THREADS,
       OPT_RETIRE, OPT_KEEP };

/* Every long option: the shape of its value (NULL: it takes none), for
 * the message when the value is missing, and the one command that reads
 * it (NULL: any), so that another command refuses it rather than
 * ignoring it silently. */
typedef struct {
    const char *name;
    int val;
    const char *value;
    const char *only;
} opt_spec;

static const opt_spec opt_specs[] = {
    {"out", OPT_OUT, "DIR", NULL},
    {"rules", OPT_RULES, "FILE", NULL},
    {"as-of", OPT_ASOF, "YYYY-MM-DD", NULL},
    {"map", OPT_MAP, "FIELD=HEADER", NULL},
    {"kind", OPT_KIND, "FILE=KIND", NULL},
    {"threads", OPT_THREADS, "a number of threads 1-1024", NULL},
    {"date-order", OPT_ORDER, "mdy, dmy or ymd", NULL},
    {"delimiter", OPT_DELIM, ", ; tab or |", NULL},
    {"encoding", OPT_ENC, "NAME, such as utf-8 or windows-1252", NULL},
    {"max-field", OPT_MAXF, "a byte count >= 16", NULL},
    {"inbox", OPT_INBOX, "DIR", "run"},
    {"archive", OPT_ARCHIVE, "DIR", "run"},
    {"settle", OPT_SETTLE, "a number of seconds", "run"},
    {"retire", OPT_RETIRE, "SOURCE", "run"},
    {"keep-days", OPT_KEEP, "a number of days 1-36500", "run"},
    {"slippage", OPT_SLIPPAGE, "FILE", "forecast"},
    {"strict", OPT_STRICT, NULL, NULL},
    {"quiet", OPT_QUIET, NULL, NULL},
    {"verbose", OPT_VERBOSE, NULL, NULL},
    {"help", OPT_HELP, NULL, NULL},
    {"version", OPT_VERSION, NULL, NULL},
};
#define NOPTS (sizeof opt_specs / sizeof opt_specs[0])

static const char *const commands[] = {"forecast", "run", "rules", "backtest", "accuracy", "help"};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const opt_spec *spec_of(int val)
{
    for (size_t i = 0; i < NOPTS; i++)
        if (opt_specs[i].val == val)
            return &opt_specs[i];
    return NULL;
}

/* The word of words[0..n) nearest to s[0..len), when a third of s at
 * most is wrong; NULL otherwise. */
static const char *nearest(const char *s, size_t len, const char *const *words, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = mc_match_edits(s, len, words[i]);
        if (d < best_d && mc_match_near(d, len)) {
            best = words[i];
            best_d = d;
        }
    }
    return best;
}

/* A value that is itself one of our options ("--out --quiet"): getopt
 * took the next word as the value, the real one is missing. */
static bool is_option_word(const char *arg)
{
    if (strcmp(arg, "-h") == 0)
        return true;
    if (strncmp(arg, "--", 2) != 0)
        return false;
    size_t n = strcspn(arg + 2, "=");
    for (size_t i = 0; i < NOPTS; i++)
        if (strlen(opt_specs[i].name) == n && strncmp(arg + 2, opt_specs[i].name, n) == 0)
            return true;
    return false;
}

/* What getopt refused in arg ("--as_of", "--s", "--strict=1", "-x"). */
static int option_error(const char *arg, int optopt_val)
{
    const opt_spec *sp = spec_of(optopt_val);
    if (sp)
        return usage_error("option --%s takes no value (given '%s')", sp->name, arg);
    if (strncmp(arg, "--", 2) != 0)
        return usage_error("unknown option '%s'", arg);
    const char *name = arg + 2;
    size_t n = strcspn(name, "=");
    char which[160] = "";
    size_t k = 0, used = 0;
    const char *names[NOPTS];
    for (size_t i = 0; i < NOPTS; i++) {
        names[i] = opt_specs[i].name;
        if (n && strncmp(name, names[i], n) == 0) {
            int w = snprintf(which + used, sizeof which - used, "%s--%s", k ? ", " : "", names[i]);
            if (w > 0 && (size_t)w < sizeof which - used)
                used += (size_t)w;
            k++;
        }
    }
    if (k > 1) /* getopt takes a prefix of one option only */
        return usage_error("option '%.*s' is ambiguous (%s)", (int)(n + 2), arg, which);
    const char *near = nearest(name, n, names, NOPTS);
    if (near)
        return usage_error("unknown option '%s' (did you mean --%s?)", arg, near);
    return usage_error("unknown option '%s'", arg);
}

/* Applies one parsed option; returns 0, or an exit status to stop with. */
static int apply_option(cli_opts *o, int c, const char *arg)
{
    switch (c) {
    case OPT_OUT: o->out_dir = arg; return 0;
    case OPT_RULES: o->rules_file = arg; return 0;
    case OPT_ASOF:
        if (mc_date_parse(arg, strlen(arg), MC_DATE_YMD, &o->as_of) != MC_VALUE_OK)
            return usage_error("--as-of wants YYYY-MM-DD, not '%s'", arg);
        return 0;
    case OPT_MAP:
        if (!strchr(arg, '=') || o->nmaps == CLI_MAX_MAPS)
            return usage_error("--map wants FIELD=HEADER, not '%s'", arg);
        o->maps[o->nmaps++] = arg;
        return 0;
    case OPT_THREADS: {
        /* SPEC §3: never changes a byte of any output. The pipeline runs
         * on one thread today, so the value is checked and kept only. */
        long n;
        if (!parse_whole(arg, 1, 1024, &n))
            return usage_error("--threads wants a number of threads 1-1024, not '%s'", arg);
        o->threads = (int)n;
        return 0;
    }
    case OPT_KIND: {
        const char *eq = strrchr(arg, '=');
        mc_kind k;
        if (!eq || eq == arg || !mc_kind_lookup(eq + 1, &k) || o->nkinds == CLI_MAX_MAPS)
            return usage_error("--kind wants FILE=KIND (KIND: opportunities, activities, "
                               "stage_history, contact_roles, contacts), not '%s'", arg);
        o->kinds[o->nkinds++] = arg;
        return 0;
    }
    case OPT_ORDER:
        if (!mc_date_order_parse(arg, &o->date_order))
            return usage_error("--date-order wants mdy, dmy or ymd, not '%s'", arg);
        return 0;
    case OPT_DELIM:
        if (!parse_delimiter(arg, &o->delimiter))
            return usage_error("--delimiter wants , ; tab or |, not '%s'", arg);
        return 0;
    case OPT_ENC: o->encoding = arg; return 0;
    case OPT_MAXF:
        if (!parse_size(arg, &o->max_field))
            return usage_error("--max-field wants a byte count >= 16, not '%s'", arg);
        return 0;
    case OPT_INBOX: o->inbox = arg; return 0;
    case OPT_ARCHIVE: o->archive = arg; return 0;
    case OPT_SETTLE:
        if (!parse_seconds(arg, &o->settle))
            return usage_error("--settle wants a number of seconds, not '%s'", arg);
        return 0;
    case OPT_SLIPPAGE: o->slippage = arg; return 0;
    case OPT_RETIRE:
        if (o->nretire == CLI_MAX_MAPS)
            return usage_error("too many --retire (at most %d)", CLI_MAX_MAPS);
        o->retire[o->nretire++] = arg;
        return 0;
    case OPT_KEEP:
        if (!parse_whole(arg, 1, 36500, &o->keep_days))
            return usage_error("--keep-days wants a number of days 1-36500, not '%s'", arg);
        return 0;
    case OPT_STRICT: o->strict = true; return 0;
    case OPT_QUIET: o->quiet = true; return 0;
    case OPT_VERBOSE: o->verbose = true; return 0;
    case 'h':
    case OPT_HELP: fputs(usage_text, stdout); return -1;
    case OPT_VERSION: printf("milecast %s\n", MC_VERSION); return -1;
    default: return usage_error("%s", "unknown option");
    }
}

/* A run-only option given to forecast (say) would be ignored without a
 * word: refused, naming the command that reads it. */
static int misplaced(const char *cmd, const opt_spec *sp)
{
    if (strcmp(cmd, "run") == 0 && sp->val == OPT_SLIPPAGE)
        return usage_error("%s", "--slippage is an option of `milecast forecast`; run reads "
                                 "the previous set's slippage.csv");
    return usage_error("--%s is an option of `milecast %s`", sp->name, sp->only);
}

/* Options of argv for command cmd (NULL: given before any command). */
static int parse_options(cli_opts *o, const char *cmd, int argc, char **argv)
{
    static struct option long_opts[NOPTS + 1];
    for (size_t i = 0; i < NOPTS; i++)
        long_opts[i] = (struct option){opt_specs[i].name,
                                       opt_specs[i].value ? required_argument : no_argument,
                                       NULL, opt_specs[i].val};
    int c;
    opterr = 0;
    /* the leading ':' tells a missing value (':') from an unknown option */
    while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
        if (c == ':') {
            const opt_spec *sp = spec_of(optopt);
            return sp ? usage_error("option --%s needs a value (%s)", sp->name, sp->value)
                      : usage_error("option '%s' needs a value", argv[optind - 1]);
        }
        if (c == '?')
            return option_error(argv[optind - 1], optopt);
        const opt_spec *sp = spec_of(c);
        if (sp && sp->value && (!*optarg || is_option_word(optarg)))
            return usage_error("option --%s needs a value (%s)", sp->name, sp->value);
        if (sp && sp->only && cmd && strcmp(cmd, sp->only) != 0)
            return misplaced(cmd, sp);
        int st = apply_option(o, c, optarg);
        if (st)
            return st;
    }
    o->inputs = argv + optind;
    o->ninputs = argc - optind;
    return 0;
}

/* The inputs, checked before any is read: one found missing or a
 * directory only when its turn came would stop a run half done. */
static int check_inputs(const cli_opts *o)
{
    for (int i = 0; i < o->ninputs; i++) {
        const char *f = o->inputs[i];
        struct stat st;
        mc_error err;
        mc_error_clear(&err);
        if (strcmp(f, "-") == 0)
            continue;
        if (stat(f, &st) != 0 || access(f, R_OK) != 0)
            mc_error_set(&err, MC_ENOINPUT, f, 0, "cannot read: %s", strerror(errno));
        else if (S_ISDIR(st.st_mode))
            mc_error_set(&err, MC_ENOINPUT, f, 0, "is a directory (give an export file, or - "
                                                  "for standard input)");
        if (err.code)
            return cli_fail(&err);
    }
    return 0;
}

/* --out that names a file: mkdir would only say "File exists". */
static int check_out(const cli_opts *o)
{
    struct stat st;
    if (stat(o->out_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        cli_error("--out %s is a file, not a directory", o->out_dir);
        return MC_ECANTCREAT;
    }
    return 0;
}

static int unknown_command(const char *cmd)
{
    const char *near = nearest(cmd, strlen(cmd), commands, NCOMMANDS);
    if (near)
        return usage_error("unknown command '%s' (did you mean `milecast %s`?)", cmd, near);
    return usage_error("unknown command '%s' (commands: forecast, run, rules, backtest, "
                       "accuracy, help)", cmd);
}

/* SPEC §3: --threads defaults to the online cores. MILECAST_CHUNK (bytes)
 * makes the parallel reader's chunks small, so that a small test file is
 * cut in many places; MILECAST_LIBCSV=1 reads every record through libcsv,
 * the fast path's reference (docs/testing.md). */
static void resolve_threads(cli_opts *o)
{
    if (o->threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->threads = n < 1 ? 1 : n > 64 ? 64 : (int)n;
    }
    mc_csvout_async(o->threads > 1);
    const char *chunk = getenv("MILECAST_CHUNK");
    long n;
    if (chunk && parse_whole(chunk, 16, 1L << 30, &n))
        o->chunk_size = (size_t)n;
    const char *ref = getenv("MILECAST_LIBCSV");
    o->libcsv_only = ref && strcmp(ref, "1") == 0;
}

int main(int argc, char **argv)
{
    cli_opts o = {.out_dir = "./milecast-out", .date_order = MC_DATE_MDY, .settle = 60,
                  .keep_days = 90};
    o.as_of = mc_date_today();
    cli_signals_init();
    if (argc < 2)
        return usage_error("%s", "missing command");
    const char *cmd = argv[1];
    if (cmd[0] == '-') {
        int st = parse_options(&o, NULL, argc, argv);
        return st < 0 ? 0 : st ? st : usage_error("%s", "missing command");
    }
    if (strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    size_t k = 0;
    while (k < NCOMMANDS && strcmp(cmd, commands[k]) != 0)
        k++;
    if (k == NCOMMANDS)
        return unknown_command(cmd);
    int st = parse_options(&o, cmd, argc - 1, argv + 1);
    if (st)
        return st < 0 ? 0 : st;
    resolve_threads(&o);
    if (strcmp(cmd, "forecast") == 0) {
        if (o.ninputs == 0)
            return usage_error("%s", "forecast: no export given");
        if ((st = check_inputs(&o)) || (st = check_out(&o)))
            return st;
        return warn_limited(&o, cmd_forecast(&o));
    }
    if (strcmp(cmd, "run") == 0) {
        if (!o.inbox)
            return usage_error("%s", "run: --inbox DIR is required");
        if (o.ninputs != 0)
            return usage_error("run: unexpected argument '%s'", o.inputs[0]);
        if ((st = check_out(&o)))
            return st;
        o.newest_wins = true;
        return warn_limited(&o, cmd_run(&o));
    }
    if (strcmp(cmd, "backtest") == 0) {
        if (o.ninputs == 0)
            return usage_error("%s", "backtest: no export given");
        if ((st = check_inputs(&o)) || (st = check_out(&o)))
            return st;
        return warn_limited(&o, cmd_backtest(&o));
    }
    if (strcmp(cmd, "accuracy") == 0) {
        if (o.ninputs != 1)
            return usage_error("%s", "accuracy: give one HISTORY_DIR (OUT/history of `run`)");
        if ((st = check_out(&o)))
            return st;
        return cmd_accuracy(&o);
    }
    /* rules */
    if (o.ninputs != 0)
        return usage_error("rules: unexpected argument '%s'", o.inputs[0]);
    return cmd_rules(&o);
}
