/*
 * cli.h — what the option parser hands to each command of the CLI.
 *
 * cmd/milecast only parses options, wires pkg/ modules together and turns
 * their mc_error values into one line on stderr and a sysexits status.
 */
#ifndef MC_CLI_H
#define MC_CLI_H

#include "accuracy.h"
#include <stdbool.h>
#include <time.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "error.h"
#include "reader.h"
#include "schema.h"

#define CLI_MAX_MAPS 64

struct mc_rules;
struct mc_changes_side;

typedef struct {
    const char *out_dir;
    const char *rules_file;
    mc_date as_of;
    mc_date_order date_order;
    char delimiter;            /* 0: detect */
    const char *encoding;      /* NULL: auto */
    size_t max_field;
    bool strict, quiet, verbose;
    int threads;               /* --threads, or the online cores */
    size_t chunk_size;         /* MILECAST_CHUNK: the parallel reader's chunks */
    bool libcsv_only;          /* MILECAST_LIBCSV=1: no fast path (reader.h) */
    const char *maps[CLI_MAX_MAPS]; /* "FIELD=HEADER" */
    size_t nmaps;
    const char *kinds[CLI_MAX_MAPS]; /* --kind "FILE=KIND" */
    size_t nkinds;
    char **inputs;
    int ninputs;
    /* run (folder mode) */
    const char *inbox;
    const char *archive;       /* NULL: OUT/archive */
    long settle;               /* seconds an export must be left alone */
    bool newest_wins;          /* run: an id in several exports, the last one's row */
    const char *slippage;      /* an earlier slippage.csv, or NULL */
    struct mc_changes_side *changes_side; /* run: fed forecast.csv's rows as written */
    bool nofollow;             /* run: inbox files are never read through a link */
    const char *retire[CLI_MAX_MAPS]; /* run: --retire SOURCE */
    size_t nretire;
    long keep_days;            /* run: --keep-days (SPEC §7) */
} cli_opts;

/* Three kinds of line on stderr, each one line a log reader can grep:
 *   milecast: error: …    why the exit status is not 0 (cli_fail, cli_error)
 *   milecast: warning: …  something that changes the results (cli_warn):
 *                         printed under --quiet too
 *   milecast: …           routine (cli_note, and cli_line's callers that
 *                         check --quiet themselves): hidden by --quiet
 * Prints "milecast: " and the formatted text as one line on stderr, its
 * control characters escaped (\n, \t, \xHH). */
void cli_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "milecast: error: <file>:<line>: <msg>" and returns err->code. */
int cli_fail(const mc_error *err);
/* Prints "milecast: error: <msg>". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The error line of a --strict run with rejected rows. */
void cli_strict_error(long rejected);
/* Prints "milecast: warning: <file>[:<line>]: <msg>" (file NULL: without
 * one), quiet or not. */
void cli_warn(const cli_opts *o, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prints "milecast: <file>[:<line>]: <msg>" (file NULL: without one)
 * unless quiet. */
void cli_note(const cli_opts *o, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Signals (signals.c): on SIGINT, SIGTERM or SIGHUP the watched directory
 * is removed (whole) or its temporary files .NAME.tmp.PID are, then the
 * process dies of the signal. One directory at a time. */
void cli_signals_init(void);
void cli_signals_watch(const char *dir, bool whole);
void cli_signals_unwatch(void);

/* Progress on a terminal (progress.c): one line on stderr, redrawn a few
 * times a second while a file is read, cleared at its end; nothing when
 * stderr is not a terminal or under --quiet (MILECAST_PROGRESS=always or
 * never overrides the terminal test). */
struct mc_reader;
typedef struct {
    bool on, drawn;
    const char *path;
    unsigned long long total; /* the file's size, 0 when not a regular file */
    long rows;
    long redraw_ms;
    struct timespec start, last;
} cli_progress;
void cli_progress_start(cli_progress *p, const cli_opts *o, const char *path);
void cli_progress_row(cli_progress *p, const struct mc_reader *rd);
/* The same, with the reader's progress read on another thread. */
void cli_progress_at(cli_progress *p, unsigned long long bytes_in);
void cli_progress_end(cli_progress *p);
/* Takes the progress line off the screen before another line is printed
 * (cli_line does). */
void cli_progress_clear(void);

/* The warnings a file's reader has at its end (NUL bytes dropped). */
struct mc_reader;
void cli_warn_read(const cli_opts *o, const char *file, const struct mc_reader *rd);

/* One export of a pipeline run and what became of it. */
typedef struct {
    const char *path;  /* the file read ("-": stdin) */
    const char *label; /* its name in source_file and in messages */
    long rows, forecast, rejected, skipped;
    long superseded;   /* rows whose id a later export of the run also has */
    mc_error error;    /* code MC_EDATA when the file was unusable */
    int kind;          /* mc_kind, told from its header (or --kind) */
    /* an evidence export (SPEC §6): N rows = joined + unmatched +
     * unrelated (not about an opportunity) + rejected */
    long ev_joined, ev_unmatched, ev_unrelated;
} cli_input;

typedef struct {
    long rows, forecast, rejected, skipped, superseded;
    long ev_rejected; /* rows of evidence exports in rejects.csv */
} cli_totals;

/* The one pipeline behind `forecast` and `run`: reads in[0..n) in order
 * into one set of outputs committed in out_dir (created if missing; with
 * replace_whole, by replacing the directory whole, pkg/outset). An
 * unusable file (MC_EDATA) is reported on stderr, kept in its
 * in[i].error, and the others go on. Returns 0, or the exit status of a
 * failure that stopped the run (its message already printed; no output
 * file is committed then). Fills per-file counts and *tot. */
int cli_pipeline(const cli_opts *o, const char *out_dir, bool replace_whole, cli_input *in, int n,
                 cli_totals *tot);

/* The rules (built in, --rules applied) and the schema they are bound to,
 * with --map applied. 0, or the exit status of a failure (its message
 * printed); free both either way. */
int cli_setup(const cli_opts *o, struct mc_rules **rules, mc_schema **schema);

/* Opens the export at path (label names it in messages) with the reader
 * options of o and maps its header with s: *rd is then at the first data
 * row and *hdr holds the header. Errors as mc_reader_open and
 * mc_mapping_new give them, MC_EDATA when there is no header row. Close
 * *rd and free *m whatever the outcome (NULL when not made). */
mc_status cli_open_export(const cli_opts *o, const mc_schema *s, const char *path,
                          const char *label, mc_reader **rd, mc_mapping **m,
                          mc_record *hdr, mc_error *err);

/* The id cell of a data row, trimmed; len 0 when there is none. */
mc_field cli_id_cell(const mc_mapping *m, const mc_record *rec);
/* Splits a --map "FIELD=HEADER" (main checked the '='): FIELD into
 * field, HEADER returned. */
const char *cli_map_field(const char *map, char *field, size_t size);
/* A --map KIND.FIELD=HEADER for an evidence kind (kind and rest filled),
 * which the evidence stage takes; opportunities.FIELD is the schema's. */
bool cli_evidence_map(const char *field, char *kind, size_t ksize, const char **rest);

/* SPEC §6 for one run: set the inputs, then cli_evidence_read tells each
 * input's kind (in[i].kind; in[i].error for a file refused), streams the
 * evidence exports into the join, fills their counts and prints their
 * accounting line. rel stays NULL when the run has none. */
struct mc_kinds;
struct mc_related;
struct mc_rates;
typedef struct {
    const cli_opts *o;
    const mc_schema *schema;
    const struct mc_rules *rules;
    const char *tmp_dir;        /* the join's temporary files */
    cli_input *in;
    int n;
    /* an evidence row that cannot be used (NULL: passed over) */
    void (*reject)(void *ctx, const char *file, const mc_record *rec, char delim,
                   const char *reason);
    void *ctx;
    struct mc_kinds *kinds;     /* out */
    struct mc_related *rel;     /* out */
    struct mc_rates *rates;     /* out: the currency_rates exports' (NULL: none) */
    uint64_t by_records;        /* out: milestones related records judge */
    long rejected;              /* out: evidence rows rejected */
} cli_evidence;
mc_status cli_evidence_read(cli_evidence *e, mc_error *err);
void cli_evidence_free(cli_evidence *e);

int cmd_forecast(const cli_opts *o);
int cmd_backtest(const cli_opts *o);
int cmd_rules(const cli_opts *o);
int cmd_run(const cli_opts *o);
int cmd_accuracy(const cli_opts *o);

/* SPEC §7's accuracy: the sets of a history folder — OUT/history with
 * tonight's set (named tonight) read from stage instead, or, without a
 * stage, the folder o->inputs[0] — into a new *out. */
mc_status cli_accuracy_read(const cli_opts *o, int fy_start, const char *tonight,
                            const char *stage, mc_accuracy **out, mc_error *err);
/* Its summary as the log's last lines, one per ended period (not --quiet). */
void cli_accuracy_say(const cli_opts *o, const mc_accuracy_summary *s, size_t n);

/* The built-in rules with --rules applied; prints the error and returns
 * its status (78 for a bad file) on failure, 0 on success. */
int cli_load_rules(const cli_opts *o, struct mc_rules **out);

#endif
