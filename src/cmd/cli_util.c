/*
 * cli_util.c: shared helpers of the command layer (cli_util.h): option
 * values, usage errors, thread count, the report format, checked loading
 * of a topology.
 */
#include "cmd/cli_util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/diag.h"
#include "model/loader.h"
#include "out/report.h"
#include "check/rules.h"

int qr_cli_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int qr_cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int qr_cli_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int qr_cli_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 256 ? 256 : (int)n);
}

int qr_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "quorate %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'quorate %s --help'.\n", cmd);
    return 2;
}

void qr_cli_args_init(qr_cli_args *w, const char *cmd, int argc, char **argv,
                      void (*usage)(FILE *out))
{
    memset(w, 0, sizeof(*w));
    w->cmd = cmd;
    w->argc = argc;
    w->argv = argv;
    w->usage = usage;
}

bool qr_cli_next(qr_cli_args *w, const char **arg)
{
    while (!w->help && ++w->i < w->argc) {
        const char *a = w->argv[w->i];
        if (!w->options_done && strcmp(a, "--") == 0) {
            w->options_done = 1;
        } else if (w->options_done || a[0] != '-' || a[1] == '\0') {
            w->argv[1 + w->n_operands++] = w->argv[w->i]; /* 1 + n <= i */
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            w->help = 1;
            if (w->usage)
                w->usage(stdout);
        } else {
            *arg = a;
            return true;
        }
    }
    if (w->i > w->argc)
        w->i = w->argc;
    return false;
}

int qr_cli_unknown(const qr_cli_args *w, const char *a)
{
    return qr_cli_usage_error(w->cmd, "unknown option '%s'", a);
}

int qr_cli_output_file(const qr_cli_args *w, const char *opt, const char *value,
                       bool stdout_ok, const char **out)
{
    if (value[0] == '\0')
        return qr_cli_usage_error(w->cmd, "option '%s' needs a file name", opt);
    if (!stdout_ok && strcmp(value, "-") == 0)
        return qr_cli_usage_error(w->cmd,
                                  "option '%s' needs a file name: its output cannot share "
                                  "standard output with the report",
                                  opt);
    *out = value;
    return 0;
}

int qr_cli_one_operand(const qr_cli_args *w, const char *what, const char **out)
{
    if (w->n_operands < 1)
        return qr_cli_usage_error(w->cmd, "no %s given", what);
    if (w->n_operands > 1)
        return qr_cli_usage_error(w->cmd, "more than one %s given ('%s')", what, w->argv[2]);
    *out = w->argv[1];
    return 0;
}

void qr_cli_run_defaults(qr_cli_run *r, int runs)
{
    r->years = 10;
    r->runs = runs;
    r->seed = 1;
    r->threads = qr_cli_default_threads();
}

int qr_cli_load_checked(const char *file, qr_topology **out)
{
    return qr_cli_load_assumed(file, NULL, out);
}

int qr_cli_refuse_pools(const char *cmd, const char *file, const qr_topology *t)
{
    if (!qr_topology_is_paired(t))
        return 0;
    fprintf(stderr, "quorate %s: %s: a design with several pools ('pools:', pool pairing) is "
            "not supported by `quorate %s` yet (docs/cli.md, \"Several pools\", says which "
            "commands take it)\n", cmd, file, cmd);
    return 2;
}

int qr_cli_load_assumptions(const char *file, qr_assumptions **out)
{
    qr_diags d;
    *out = NULL;
    if (!file)
        return 0;
    if (qr_diags_init(&d, file) != 0) {
        fputs("quorate: out of memory\n", stderr);
        return 2;
    }
    int rc = qr_assumptions_load_file(file, out, &d);
    if (rc != 0) {
        qr_diags_sort(&d);
        qr_report_diags_text(stderr, &d);
    }
    qr_diags_release(&d);
    return rc;
}

int qr_cli_load_assumed(const char *file, const qr_assumptions *a, qr_topology **out)
{
    qr_diags d;
    *out = NULL;
    if (qr_diags_init(&d, file) != 0) {
        fputs("quorate: out of memory\n", stderr);
        return 2;
    }
    qr_topology *t = NULL;
    int rc = qr_topology_load_file(file, &t, &d);
    if (rc == 0) {
        if (qr_assumptions_apply(t, a) != 0) /* its latent faults (M7.3) */
            d.oom = 1;
        qr_rules_check(t, &d);
    }
    int ret = 0;
    if (d.oom) {
        /* A diagnostic (maybe "out of memory" itself) could not be kept:
         * the list is not to be trusted, and an error must not pass
         * silently. */
        fprintf(stderr, "quorate: %s: out of memory\n", file);
        ret = 2;
        qr_topology_free(t);
        t = NULL;
    } else if (rc != 0 || d.n_errors > 0) {
        qr_diags_sort(&d);
        qr_report_diags_text(stderr, &d);
        ret = rc == 2 ? 2 : 1;
        qr_topology_free(t);
        t = NULL;
    }
    qr_diags_release(&d);
    *out = t;
    return ret;
}

int qr_cli_load_design(const char *cmd, const char *file, const char *assume_file, bool static_view,
                       qr_topology **t, qr_assumptions **assume, qr_assumption_list *assumed)
{
    memset(assumed, 0, sizeof(*assumed));
    *t = NULL;
    int rc = qr_cli_load_assumptions(assume_file, assume);
    if (rc != 0)
        return rc;
    rc = qr_cli_load_assumed(file, *assume, t);
    if (rc == 0 && qr_assumption_list_make(*t, *assume, static_view, assumed) != 0) {
        fprintf(stderr, "quorate %s: out of memory\n", cmd);
        qr_assumption_list_release(assumed);
        qr_topology_free(*t);
        *t = NULL;
        rc = 2;
    }
    if (rc != 0) {
        qr_assumptions_free(*assume);
        *assume = NULL;
    }
    return rc;
}

double qr_cli_elapsed(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

void qr_cli_progress_init(qr_cli_progress *p, const char *what, const char *unit)
{
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->shown = false;
    p->what = what;
    p->unit = unit;
}

void qr_cli_progress_show(qr_cli_progress *p, long done, long planned)
{
    if (!p->shown && qr_cli_elapsed(&p->start) < 1.0) /* only for long runs */
        return;
    p->shown = true;
    int width = 30, filled = planned > 0 ? (int)(width * done / planned) : width;
    fprintf(stderr, "\r%s [", p->what);
    for (int k = 0; k < width; k++)
        fputc(k < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %ld/%ld %s", done, planned, p->unit);
    fflush(stderr);
}

void qr_cli_progress_end(qr_cli_progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
}
