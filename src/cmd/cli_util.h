/*
 * cli_util.h: what every command of the CLI (src/cmd/cmd_*.c) shares: strict
 * parsing of option values, the GNU-style walk over the arguments (the
 * option tables of cli_options.h parse over it), usage errors in one format, the default thread count, and
 * loading a topology the way `quorate check` judges it (diagnostics on
 * stderr). Only the command layer uses it; the model, the checks and sim/
 * never print.
 */
#ifndef QR_CLI_UTIL_H
#define QR_CLI_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "model/assumption_list.h"
#include "model/assumptions.h"
#include "model/topology.h"

/* A finite number in [lo, hi], the whole string. 0, or -1 when not. */
int qr_cli_parse_double(const char *s, double lo, double hi, double *out);

/* A decimal integer in [lo, hi], digits only (no sign, no space). 0 / -1. */
int qr_cli_parse_long(const char *s, long lo, long hi, long *out);

/* An unsigned 64-bit decimal integer, digits only. 0 / -1. */
int qr_cli_parse_u64(const char *s, uint64_t *out);

/* The number of online CPUs, clamped to [1, 256]. */
int qr_cli_default_threads(void);

/* Print "quorate CMD: <message>" and "Try 'quorate CMD --help'." on
 * stderr; returns 2, the usage-error exit status. */
int qr_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A GNU-style walk over a command's arguments (argv[0] is the command):
 * options and operands in any order, "--" ends the options, "-" alone is
 * an operand (standard input). Every command parses with it:
 *
 *     qr_cli_args w;
 *     qr_cli_args_init(&w, CMD, argc, argv, usage);
 *     int rc = qr_cli_parse(&w, options, &o);   (cli_options.h: the
 *     if (rc != 0)                               command's option table)
 *         return rc;                 (-1: the help was printed; 2: error)
 *     ... the operands: qr_cli_one_operand(), or qr_cli_operands() ...
 *
 * Like GNU getopt, the walk reorders argv: each operand met is moved to
 * argv[1 + its rank], so when the walk ends argv[1 .. n_operands] are the
 * operands in order (only slots already read are written).
 */
typedef struct {
    const char *cmd;          /* for usage errors                       */
    int         argc;
    char      **argv;
    void      (*usage)(FILE *out); /* printed on stdout for -h, --help  */
    int         i;            /* index of the argument last returned    */
    int         options_done; /* "--" seen                              */
    int         help;         /* -h or --help seen (the walk stopped)   */
    int         n_operands;   /* operands seen, now at argv[1 ..]       */
} qr_cli_args;

void qr_cli_args_init(qr_cli_args *w, const char *cmd, int argc, char **argv,
                      void (*usage)(FILE *out));

/* The next option in *arg: true. Operands met on the way are gathered at
 * the front of argv. False at the end of the arguments, or at -h/--help
 * after printing the usage (w->help set). */
bool qr_cli_next(qr_cli_args *w, const char **arg);

/* The operands seen so far, in order (w->n_operands of them). */
static inline const char *const *qr_cli_operands(const qr_cli_args *w)
{
    return (const char *const *)(w->argv + 1);
}

/* "unknown option 'a'" as a usage error; returns 2. */
int qr_cli_unknown(const qr_cli_args *w, const char *a);

/* The file name `value` of the output option `opt` ("--output",
 * "--html"): not empty, and "-" (standard output) only when stdout_ok.
 * 0 with *out set; else a usage error and 2. */
int qr_cli_output_file(const qr_cli_args *w, const char *opt, const char *value,
                       bool stdout_ok, const char **out);

/* Exactly one operand, named `what` in the messages ("topology file"):
 * *out is it and 0 is returned, else a usage error (none, or more than
 * one) and 2. */
int qr_cli_one_operand(const qr_cli_args *w, const char *what, const char **out);

/* The options of every command that simulates: --years, --runs, --seed,
 * --threads, with the same ranges and messages everywhere (their rows:
 * QR_OPT_RUN_ROWS of cli_options.h). */
typedef struct {
    double   years;   /* per replication, (0, 1e7]; default 10        */
    int      runs;    /* replications, [1, 1e7]                       */
    uint64_t seed;    /* default 1                                    */
    int      threads; /* [1, 256]; default qr_cli_default_threads()   */
} qr_cli_run;

/* Defaults, with `runs` replications. */
void qr_cli_run_defaults(qr_cli_run *r, int runs);

/* The report formats of the commands that print simulation results
 * (simulate, compare): the text table (default), one JSON document, or CSV
 * tables for a spreadsheet (util/csv_out.h). `--json` is `--format json`
 * (their rows: QR_OPT_FORMAT_ROWS of cli_options.h). */
typedef enum { QR_CLI_FORMAT_TEXT, QR_CLI_FORMAT_JSON, QR_CLI_FORMAT_CSV } qr_cli_format;

/* Load `file` ("-": standard input) and run the design rules, as `quorate
 * check` does. On errors print the diagnostics on stderr as check prints
 * them and return 1 (2 when the file cannot be read or out of memory),
 * *out NULL; else 0 with *out owned by the caller (qr_topology_free). */
int qr_cli_load_checked(const char *file, qr_topology **out);

/* A design with several pools (`pools:`, M10) that command `cmd` cannot
 * handle yet: print why on stderr and return 2; 0 for a single pool. What
 * the message says `cmd` does instead is in docs/cli.md ("Several
 * pools"). */
int qr_cli_refuse_pools(const char *cmd, const char *file, const qr_topology *t);

/* The --assume FILE of simulate, compare, analyze and plan
 * (docs/assumptions.md): load it, printing its diagnostics on stderr as
 * check prints them. file NULL: *out NULL and 0. Returns 0 with *out owned
 * by the caller (qr_assumptions_free), 1 when the file has errors, 2 when
 * it cannot be read or memory ran out (*out NULL). */
int qr_cli_load_assumptions(const char *file, qr_assumptions **out);

/* qr_cli_load_checked(), with the assumptions a (NULL: none) applied by
 * qr_assumptions_apply() after the loader and before the design rules, so
 * the rules judge the design that runs. */
int qr_cli_load_assumed(const char *file, const qr_assumptions *a, qr_topology **out);

/* What a command about one design reads (analyze, simulate): the --assume
 * file `assume_file` (NULL: none) into *assume, the topology `file` with it
 * applied and checked into *t, and the list of assumptions its reports
 * print into *assumed (qr_assumption_list_make, static_view as there).
 * Returns 0 with the three owned by the caller (qr_topology_free,
 * qr_assumptions_free, qr_assumption_list_release); else the exit status,
 * 1 or 2, reported on stderr ("quorate CMD: out of memory" for the list),
 * with *t and *assume NULL and *assumed empty. */
int qr_cli_load_design(const char *cmd, const char *file, const char *assume_file, bool static_view,
                       qr_topology **t, qr_assumptions **assume, qr_assumption_list *assumed);

/* Seconds since *start (CLOCK_MONOTONIC). */
double qr_cli_elapsed(const struct timespec *start);

/* The progress bar of the long commands (simulate, sensitivity) on
 * standard error: nothing during the first second, then
 * "\r<what> [#####.....] done/planned <unit>". The caller shows it only
 * when standard error is a terminal. */
typedef struct {
    struct timespec start;  /* set by qr_cli_progress_init                */
    bool            shown;  /* a bar is on the line                       */
    const char     *what;   /* "simulating", "analysing"                  */
    const char     *unit;   /* "runs", "simulations"                      */
} qr_cli_progress;

void qr_cli_progress_init(qr_cli_progress *p, const char *what, const char *unit);
void qr_cli_progress_show(qr_cli_progress *p, long done, long planned);
/* Clear the bar's line when one was shown. */
void qr_cli_progress_end(qr_cli_progress *p);

#endif
