/*
 * cmd_export.c: `quorate export FILE --format mef [-o OUT]`, each user
 * feature's fault tree in Open-PSA Model Exchange Format XML (src/exact/mef.h,
 * docs/export.md), so that an independent tool (SCRAM, XFTA, ...) can check
 * the exact numbers of `quorate analyze`. Every fault tree carries the exact
 * availability and unavailability of sim_exact (M9) as attributes, when the
 * design has few enough components to enumerate.
 *
 * Exit status: 0 written, 1 the topology has errors (printed as `quorate
 * check` prints them), 2 usage or I/O error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_options.h"
#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "model/diag.h"
#include "exact/exact.h"
#include "exact/exact_pairing.h"
#include "util/file_out.h"
#include "model/loader.h"
#include "exact/mef.h"
#include "out/report.h"
#include "check/rules.h"
#include "model/topology.h"

#define CMD "export" /* for usage errors */

typedef struct {
    const char *file;
    const char *output;  /* NULL or "-": standard output */
    int         format;  /* --format: 0, mef (the only one) */
} export_options;

static const qr_opt_word format_words[] = { { "mef", 0 }, { NULL, 0 } };

static const qr_opt options[] = {
    { .name = "--format", .arg = "F", .kind = QR_OPT_ENUM,
      .at = QR_OPT_AT(export_options, format), .words = format_words,
      .help = "mef (the default and only format)" },
    QR_OPT_OUTPUT_ROW(export_options, output, "write to FILE instead of standard output"),
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate export [OPTIONS] FILE\n"
             "\n"
             "Write the fault tree of every user feature of a pool design in Open-PSA\n"
             "Model Exchange Format (MEF) XML: top event = the feature is down, basic\n"
             "events = components down with probability MTTR/(MTBF+MTTR), gates from the\n"
             "static rules of M9 (k-of-n quorums as atleast gates, containment as or\n"
             "gates). A feature that needs a routing group has one top event per\n"
             "distinct replica set, weighted by its users' share (attribute\n"
             "users-share). Each fault tree carries the exact availability and\n"
             "unavailability (attributes) when the design has at most 24 components\n"
             "to enumerate. See docs/export.md.\n"
             "\n",
    .options = options,
    .after = QR_CLI_EXIT_WRITTEN,
};

/* Fills *o; returns -1 when --help was printed, 0 on success, 2 on a usage
 * error (reported). Options may come anywhere; "-" is a file (stdin). */
static int parse_args(int argc, char **argv, export_options *o)
{
    memset(o, 0, sizeof(*o));
    return qr_cli_parse_one(&command, argc, argv, o, "topology file", &o->file);
}

/* What the export is written from (qr_file_write's ctx). */
typedef struct {
    const qr_mef_model *m;
    const qr_mef_exact *exact;
} mef_page;

static int emit_mef(FILE *out, void *ctx, char *why, size_t whylen)
{
    const mef_page *p = ctx;
    return qr_mef_write(p->m, p->exact, out, why, whylen);
}

int cmd_export(int argc, char **argv)
{
    export_options o;
    qr_topology *t = NULL;
    qr_mef_model *m = NULL;
    double *avail = NULL, *unavail = NULL;
    qr_mef_exact exact, *exact_p = NULL;
    sim_exact_detail detail;
    char err[512] = "";
    int ret = 2;

    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    rc = qr_cli_load_checked(o.file, &t);
    if (rc != 0)
        return rc;
    bool paired = qr_topology_is_paired(t); /* several pools (M10) */
    if ((paired ? qr_mef_build_pairing(t, &m, err, sizeof(err))
                : qr_mef_build(t, &m, err, sizeof(err))) != 0) {
        fprintf(stderr, "quorate export: %s: %s\n", o.file, err);
        goto cleanup;
    }
    size_t nf = (size_t)(t->n_features > 0 ? t->n_features : 0) + 1;
    avail = malloc(nf * sizeof(*avail));
    unavail = malloc(nf * sizeof(*unavail));
    if (!avail || !unavail) {
        fputs("quorate export: out of memory\n", stderr);
        goto cleanup;
    }
    rc = paired ? sim_exact_pairing(t, avail, unavail, NULL, err, sizeof(err))
                : sim_exact_unavailability(t, avail, unavail, &detail, err, sizeof(err));
    if (rc == 0) {
        exact.availability = avail;
        exact.unavailability = unavail;
        exact_p = &exact;
    } else if (rc == -2) {
        /* Too large to enumerate: the fault trees are still right; only
         * our numbers are missing. */
        fprintf(stderr, "quorate export: note: no exact values in the export (too large): %s\n",
                err);
    } else {
        /* -1, out of memory: an error of ours, not a property of the
         * design; nothing is written. */
        fprintf(stderr, "quorate export: %s: the exact values could not be computed: %s\n",
                o.file, err);
        goto cleanup;
    }
    if (m->links_ignored)
        fprintf(stderr, "quorate export: note: %s: the links between sites are not in the fault "
                        "trees (the static view treats the sites as always connected)\n",
                o.file);
    mef_page page = { m, exact_p };
    if (qr_file_write(o.output, emit_mef, &page, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate export: %s\n", err);
        goto cleanup;
    }
    ret = 0;
cleanup:
    free(avail);
    free(unavail);
    qr_mef_model_free(m);
    qr_topology_free(t);
    return ret;
}
