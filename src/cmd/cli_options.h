/*
 * cli_options.h: declarative option tables for the commands of the CLI.
 * A command describes each option once, as a row (its names, value
 * placeholder, kind, where the value goes in the command's options struct,
 * the words of the bad-value message and its one-line help); one parser
 * walks argv with the table (over the walk of cli_util.h: options and
 * operands in any order, "--" ends the options, `--x V` or `--x=V`), and
 * the OPTIONS part of the usage text is printed from the same rows, so the
 * help cannot drift from the parser. Groups several commands share (the
 * run options, the report format) are row macros.
 */
#ifndef QR_CLI_OPTIONS_H
#define QR_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cmd/cli_util.h"

typedef enum {
    QR_OPT_END = 0,  /* the row that ends a table                        */
    QR_OPT_FLAG,     /* no value: the bool at `at` becomes .flag         */
    QR_OPT_CONST,    /* no value: the int (or enum) at `at` becomes .ival */
    QR_OPT_STRING,   /* const char *; not empty ("--x needs a file name") */
    QR_OPT_OUTPUT,   /* const char *, an output file (qr_cli_output_file) */
    QR_OPT_DOUBLE,   /* double in [lo, hi] (open ends: lo_open, hi_open) */
    QR_OPT_INT,      /* int in [min, max], digits only                   */
    QR_OPT_LONG,     /* long in [min, max], digits only                  */
    QR_OPT_U64,      /* uint64_t, digits only                            */
    QR_OPT_ENUM,     /* one of .words: the int (or enum) at `at`         */
    QR_OPT_PERCENT,  /* a percentage such as 99.99%: a fraction (double) */
    QR_OPT_CALL,     /* .call(value) does it                             */
} qr_opt_kind;

/* A word of an enum option and the value it stores. */
typedef struct {
    const char *word;
    int         value;
} qr_opt_word;

struct qr_opt;
/* A special case: 0, or a usage error reported and 2. */
typedef int (*qr_opt_call)(const qr_cli_args *w, const struct qr_opt *row, const char *value,
                           void *opts);

typedef struct qr_opt {
    const char        *name;      /* "--runs"                                */
    const char        *alias;     /* "-o", or NULL                           */
    const char        *arg;       /* value placeholder ("N"); NULL: a flag   */
    qr_opt_kind        kind;
    size_t             at;        /* offsetof the field in the options     */
    size_t             given;     /* 1 + offsetof a bool set when the
                                     option is met; 0 none                  */
    double             lo, hi;    /* QR_OPT_DOUBLE                          */
    bool               lo_open, hi_open;
    long               min, max;  /* QR_OPT_INT, QR_OPT_LONG                */
    bool               flag;      /* QR_OPT_FLAG: the value stored          */
    int                ival;      /* QR_OPT_CONST: the value stored         */
    bool               stdout_ok; /* QR_OPT_OUTPUT: "-" allowed             */
    const qr_opt_word *words;     /* QR_OPT_ENUM, ended by a NULL word      */
    qr_opt_call        call;      /* QR_OPT_CALL                            */
    const char        *expect;    /* "bad --x 'v' (expected <expect>)"; for
                                     an enum, NULL lists the words          */
    const char        *help;      /* one paragraph, wrapped when printed    */
} qr_opt;

/* The byte offset of a field, for .at and QR_OPT_GIVEN. */
#define QR_OPT_AT(type, member) offsetof(type, member)
#define QR_OPT_GIVEN(type, member) (1 + offsetof(type, member))

/* A macro's value as a string, for .expect and .help ("1 to " QR_OPT_STR(MAX)). */
#define QR_OPT_STR_(x) #x
#define QR_OPT_STR(x) QR_OPT_STR_(x)

/* The report formats of simulate, compare and sensitivity, and --json. */
extern const qr_opt_word qr_cli_format_words[];

/* The run options (--years --runs --seed --threads) into the qr_cli_run
 * `member` of `type`, with the command's own help for the first three;
 * seed_given is a QR_OPT_GIVEN() set by --seed, or 0. */
#define QR_OPT_RUN_ROWS(type, member, years_help, runs_help, seed_help, seed_given)           \
    { .name = "--years", .arg = "Y", .kind = QR_OPT_DOUBLE,                                  \
      .at = offsetof(type, member.years), .lo = 1e-6, .hi = 1e7,                             \
      .expect = "a number of years in (0, 10000000]", .help = years_help },                  \
    { .name = "--runs", .arg = "N", .kind = QR_OPT_INT, .at = offsetof(type, member.runs),   \
      .min = 1, .max = 10000000, .expect = "an integer from 1 to 10000000",                  \
      .help = runs_help },                                                                   \
    { .name = "--seed", .arg = "S", .kind = QR_OPT_U64, .at = offsetof(type, member.seed),   \
      .given = seed_given, .expect = "an unsigned 64-bit integer", .help = seed_help },       \
    { .name = "--threads", .arg = "T", .kind = QR_OPT_INT,                                   \
      .at = offsetof(type, member.threads), .min = 1, .max = 256,                            \
      .expect = "an integer from 1 to 256",                                                  \
      .help = "worker threads (default: the number of CPUs)" }

/* --format F (text, json, csv) and --json into the qr_cli_format `member`. */
#define QR_OPT_FORMAT_ROWS(type, member, format_help)                                          \
    { .name = "--format", .arg = "F", .kind = QR_OPT_ENUM, .at = offsetof(type, member),       \
      .words = qr_cli_format_words, .help = format_help },                                     \
    { .name = "--json", .kind = QR_OPT_CONST, .at = offsetof(type, member),                    \
      .ival = QR_CLI_FORMAT_JSON, .help = "the same as --format json" }

/* --no-timing into the bool `member` (true by default). */
#define QR_OPT_NO_TIMING_ROW(type, member, help_text)                                          \
    { .name = "--no-timing", .kind = QR_OPT_FLAG, .at = offsetof(type, member), .flag = false, \
      .help = help_text }

/* --html FILE into the const char * `member`. */
#define QR_OPT_HTML_ROW(type, member, help_text)                                               \
    { .name = "--html", .arg = "FILE", .kind = QR_OPT_OUTPUT, .at = offsetof(type, member),    \
      .help = help_text }

/* --assume FILE into the const char * `member`. */
#define QR_OPT_ASSUME_ROW(type, member, help_text)                                             \
    { .name = "--assume", .arg = "FILE", .kind = QR_OPT_STRING, .at = offsetof(type, member),  \
      .help = help_text }

/* -o, --output FILE (standard output allowed) into `member`. */
#define QR_OPT_OUTPUT_ROW(type, member, help_text)                                             \
    { .name = "--output", .alias = "-o", .arg = "FILE", .kind = QR_OPT_OUTPUT,                 \
      .at = offsetof(type, member), .stdout_ok = true, .help = help_text }

/* A command's whole usage text around its table: `about` (the synopsis
 * and what it does, ending with an empty line), the OPTIONS from the
 * table, then `after` (notes, exit status; starting with an empty line). */
typedef struct {
    const char   *name;    /* "simulate", for usage errors              */
    const char   *about;
    const qr_opt *options;
    const char   *after;
} qr_cli_command;

/* The usage text of c. */
void qr_cli_usage(FILE *out, const qr_cli_command *c);

/* qr_cli_args_init() for c->name, then qr_cli_parse() with c's table;
 * -h/--help prints qr_cli_usage() on standard output and returns -1. */
int qr_cli_parse_command(qr_cli_args *w, const qr_cli_command *c, int argc, char **argv,
                         void *opts);

/* qr_cli_parse_command() for the commands of one operand: *file is it
 * (qr_cli_one_operand(), named `what` in the messages). -1 after --help,
 * 0, or 2 after a usage error. */
int qr_cli_parse_one(const qr_cli_command *c, int argc, char **argv, void *opts,
                     const char *what, const char **file);

/* qr_cli_parse_command() for the commands of several operands: *files
 * and *n_files are them (in argv; none is not an error here). */
int qr_cli_parse_files(const qr_cli_command *c, int argc, char **argv, void *opts,
                       const char *const **files, int *n_files);

/* Walk argv (argv[0] the command) with the table, storing every option in
 * *opts, whose fields hold their defaults already. The operands are left
 * at the front of argv as qr_cli_next leaves them (w->n_operands, read
 * with qr_cli_operands()). Returns 0; -1 when -h/--help printed the usage;
 * 2 after a usage error (a missing or bad value, an option that takes no
 * value given one, an unknown option with the nearest known one
 * suggested). */
int qr_cli_parse(qr_cli_args *w, const qr_opt *table, void *opts);

/* The OPTIONS part of a usage text from the table: one entry per row
 * ("  -o, --output FILE  help..."), the help wrapped to 79 columns beside
 * the names, then -h/--help and "--". */
void qr_cli_options_help(FILE *out, const qr_opt *table);

/* The exit-status paragraph of a command that writes one file from one
 * topology (export, graph), for its qr_cli_command.after. */
#define QR_CLI_EXIT_WRITTEN                                                  \
    "\n"                                                                     \
    "exit status:\n"                                                         \
    "  0  written\n"                                                         \
    "  1  the topology has errors (printed as by `quorate check`)\n"         \
    "  2  usage or I/O error\n"

#endif
