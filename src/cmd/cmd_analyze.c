/*
 * cmd_analyze.c: `quorate analyze FILE`, the architect's static view of one
 * pool design (analysis.h): what each feature depends on, its single points
 * of failure, N-k survival for k = 1..K with unexpected and graceful
 * losses, the smallest failure sets that take each feature down, the exact
 * availability of each feature (M9) and the importance of each component
 * (Birnbaum, risk achievement worth), naming the one worth improving first.
 * Text for people, --json for tools, --fail-on-spof for CI.
 *
 * Exit status: 0 analysed, 1 the topology has errors (printed as `quorate
 * check` prints them) or, with --fail-on-spof, a feature has a single point
 * of failure; 2 usage or I/O error.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact/analysis.h"
#include "cmd/cli_options.h"
#include "cmd/analyze_pairing.h"
#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "model/diag.h"
#include "util/json_out.h"
#include "model/loader.h"
#include "out/report.h"
#include "out/report_json_doc.h"
#include "out/report_assumptions.h"
#include "check/rules.h"
#include "model/assumption_list.h"
#include "model/topology.h"

#define CMD "analyze" /* for usage errors */

#define JSON_FORMAT_VERSION 1
#define MINUTES_PER_YEAR (365.25 * 24 * 60)
/* Cut sets shown per line of text (JSON lists up to QR_ANALYSIS_MAX_LISTED). */
#define TEXT_SETS 8

typedef struct {
    const char         *file;
    bool                json;
    bool                fail_on_spof;
    qr_analysis_options ao;
    const char         *assume; /* --assume FILE, or NULL */
} analyze_options;

static const qr_opt options[] = {
    { .name = "--k", .arg = "K", .kind = QR_OPT_INT, .at = QR_OPT_AT(analyze_options, ao.max_k),
      .min = 1, .max = QR_ANALYSIS_MAX_K,
      .expect = "an integer from 1 to " QR_OPT_STR(QR_ANALYSIS_MAX_K),
      .help = "largest number of simultaneous failures (1-" QR_OPT_STR(QR_ANALYSIS_MAX_K)
              ", default 3)" },
    { .name = "--max-combinations", .arg = "N", .kind = QR_OPT_LONG,
      .at = QR_OPT_AT(analyze_options, ao.max_combinations), .min = 1, .max = 1000000000L,
      .expect = "an integer from 1 to 1000000000",
      .help = "skip a k >= 2 with more than N combinations (default 1000000); the output "
              "says so" },
    { .name = "--json", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(analyze_options, json),
      .flag = true, .help = "JSON output (format_version, everything above)" },
    { .name = "--fail-on-spof", .kind = QR_OPT_FLAG,
      .at = QR_OPT_AT(analyze_options, fail_on_spof), .flag = true,
      .help = "exit 1 when a feature has a single point of failure (a CI gate)" },
    QR_OPT_ASSUME_ROW(analyze_options, assume,
                      "an assumptions file (docs/assumptions.md): failure figures that "
                      "replace the built-in ones and the design's `defaults:` (not a "
                      "component's own)"),
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate analyze [OPTIONS] FILE\n"
             "\n"
             "Static analysis of a pool design: what each user feature depends on, its\n"
             "single points of failure, N-k survival (every combination of k component\n"
             "failures, lost unexpectedly and shut down gracefully), the smallest failure\n"
             "sets that take each feature down, the exact availability of each feature\n"
             "with independent components (model M9), and the importance of each\n"
             "component (Birnbaum, risk achievement worth) with the one worth improving\n"
             "first.\n"
             "\n",
    .options = options,
    .after = "\n"
             "Components that never fail in the topology (mtbf: never, the default for\n"
             "sites) are not failed in the N-k analysis; the output names them. The report\n"
             "ends with the failure figures used, where each came from and its source.\n"
             "\n"
             "exit status:\n"
             "  0  analysed\n"
             "  1  the topology or the assumptions file has errors (printed as by\n"
             "     `quorate check`), or\n"
             "     --fail-on-spof and a feature has a single point of failure\n"
             "  2  usage or I/O error\n",
};

/* Fills *o; returns -1 when --help was printed, 0 on success, 2 on a usage
 * error (reported). */
static int parse_args(int argc, char **argv, analyze_options *o)
{
    memset(o, 0, sizeof(*o));
    qr_analysis_options_init(&o->ao);
    return qr_cli_parse_one(&command, argc, argv, o, "topology file", &o->file);
}

/* ---- shared helpers ---- */

static bool any_spof(const qr_analysis *a)
{
    for (int f = 0; f < a->n_features; f++)
        if (qr_analysis_has_spof(a, f))
            return true;
    return false;
}

/* ---- text ---- */

/* %.3g, or "-" when undefined (NaN). */
static void fmt_num(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.3g", v);
}

static void print_set(FILE *out, const qr_topology *t, const qr_analysis *a, const int *set, int k)
{
    fputc('{', out);
    for (int i = 0; i < k; i++)
        fprintf(out, "%s%s", i ? "," : "", qr_analysis_name(a, t, set[i]));
    fputc('}', out);
}

static void print_sets(FILE *out, const qr_topology *t, const qr_analysis *a,
                       const qr_cut_count *c, int k)
{
    int shown = c->n_listed < TEXT_SETS ? c->n_listed : TEXT_SETS;
    for (int s = 0; s < shown; s++) {
        fputc(' ', out);
        print_set(out, t, a, &c->minimal[(size_t)s * (size_t)k], k);
    }
    if (c->n_minimal > shown)
        fprintf(out, " (+%ld more)", c->n_minimal - shown);
}

static bool same_cuts(const qr_cut_count *x, const qr_cut_count *y, int k)
{
    return x->n_down == y->n_down && x->n_minimal == y->n_minimal &&
           x->n_listed == y->n_listed &&
           (x->n_listed == 0 ||
            memcmp(x->minimal, y->minimal, (size_t)x->n_listed * (size_t)k * sizeof(int)) == 0);
}

/* The names of the features in members[]: "a, b and c". */
static void print_feature_group(FILE *out, const qr_topology *t, const int *members, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(out, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ",
                t->features[members[i]].name);
}

static void print_level_mode(FILE *out, const qr_topology *t, const qr_analysis *a,
                             const qr_nk_level *lv, qr_fail_mode m, int *members,
                             unsigned char *done)
{
    const qr_cut_count *fc = lv->feat[m];
    int k = lv->k;
    bool any = false;
    const char *lead = m == QR_FAIL_UNEXPECTED ? "    unexpected: " : "    graceful:   ";
    const char *cont = "                ";
    memset(done, 0, (size_t)a->n_features + 1);
    for (int f = 0; f < a->n_features; f++) {
        if (done[f] || fc[f].n_down == 0)
            continue;
        int n = 0;
        for (int g = f; g < a->n_features; g++)
            if (!done[g] && same_cuts(&fc[f], &fc[g], k)) {
                members[n++] = g;
                done[g] = 1;
            }
        fputs(any ? cont : lead, out);
        any = true;
        fprintf(out, "%ld of %.0f %s take%s ", fc[f].n_down, lv->combinations,
                qr_analysis_k_unit(k, lv->combinations), fc[f].n_down == 1 ? "s" : "");
        print_feature_group(out, t, members, n);
        fputs(" down", out);
        if (fc[f].n_minimal > 0) {
            if (fc[f].n_minimal < fc[f].n_down)
                fprintf(out, "; %ld new minimal:", fc[f].n_minimal);
            else
                fputc(':', out);
            print_sets(out, t, a, &fc[f], k);
        } else {
            fputs(" (each contains a smaller set above)", out);
        }
        fputc('\n', out);
    }
    /* Partial: some routing groups' users lose the feature (M2.5). */
    memset(done, 0, (size_t)a->n_features + 1);
    for (int f = 0; f < a->n_features; f++) {
        if (done[f] || fc[f].n_partial == 0)
            continue;
        int n = 0;
        for (int g = f; g < a->n_features; g++)
            if (!done[g] && fc[g].n_partial == fc[f].n_partial) {
                members[n++] = g;
                done[g] = 1;
            }
        fputs(any ? cont : lead, out);
        any = true;
        fprintf(out, "%ld of %.0f %s leave%s ", fc[f].n_partial, lv->combinations,
                qr_analysis_k_unit(k, lv->combinations), fc[f].n_partial == 1 ? "s" : "");
        print_feature_group(out, t, members, n);
        fputs(" to only part of the users (routing groups without quorum)\n", out);
    }
    if (!any) {
        fprintf(out, "%severy feature survives each of them\n", lead);
        return;
    }
    int n = 0;
    for (int f = 0; f < a->n_features; f++)
        if (fc[f].n_down == 0 && fc[f].n_partial == 0)
            members[n++] = f;
    if (n > 0) {
        fputs(cont, out);
        print_feature_group(out, t, members, n);
        fprintf(out, " survive%s every one for every user\n", n == 1 ? "s" : "");
    }
}

/* The text report into out. Returns 0, -1 out of memory (the caller
 * writes out only after 0, so nothing is half-written). */
static int print_text(FILE *out, const qr_topology *t, const analyze_options *o,
                      const qr_analysis *a, const qr_assumption_list *assumed)
{
    char notation[16];
    int nf = a->n_features;
    size_t nc = (size_t)a->n_comps;
    int *members = malloc(((size_t)nf + 1) * sizeof(int));
    unsigned char *done = malloc((size_t)nf + 1);
    if (!members || !done) {
        free(members);
        free(done);
        return -1;
    }

    fprintf(out, "%s (%s), %s\n", t->name ? t->name : o->file,
            qr_topology_notation(t, notation, sizeof(notation)), o->file);
    fprintf(out, "dependency graph: %d vertices (%d components, %d services, %d features), "
                 "%d edges\n\n",
            a->graph_vertices, t->n_comps, a->graph_vertices - t->n_comps - nf, nf,
            a->graph_edges);

    fputs("what each feature depends on\n", out);
    for (int f = 0; f < nf; f++) {
        fprintf(out, "  %-20s", t->features[f].name);
        int n = 0;
        for (size_t i = 0; i < nc; i++)
            if (a->depends[(size_t)f * nc + i]) {
                fprintf(out, " %s", qr_topology_comp_name(t, (int)i));
                n++;
            }
        fputs(n ? "\n" : " nothing\n", out);
    }
    fprintf(out, "\ncomponents failed in the N-k analysis (%d):", a->n_candidates);
    for (int i = 0; i < a->n_candidates; i++)
        fprintf(out, " %s", qr_analysis_name(a, t, a->candidates[i]));
    fputs(a->n_candidates ? "\n" : " none\n", out);
    if (a->n_never_fail > 0) {
        fputs("never fail in this topology, not failed:", out);
        for (int i = 0; i < a->n_never_fail; i++)
            fprintf(out, " %s", qr_topology_comp_name(t, a->never_fail[i]));
        fputc('\n', out);
    }
    for (int f = 0; f < nf; f++)
        if (a->baseline[QR_FAIL_UNEXPECTED][f] < 1.0)
            fprintf(out, "note: %s is %s with every component up\n", t->features[f].name,
                    a->baseline[QR_FAIL_UNEXPECTED][f] <= 0 ? "down" : "partial");

    if (t->virt.ha)
        fputs("note: HA restart (M0.4) is not part of this static view: a virtual machine is\n"
              "      down while its design host is down, as without HA (docs/simulate.md, M9);\n"
              "      `quorate simulate` measures what the restart changes.\n",
              out);
    if (a->backend_votes)
        fputs("note: the seed count is even, so the Back End votes in pool quorum (M1.2).\n"
              "      During a SQL failover that vote is missing, so a failure that takes out\n"
              "      the SQL principal and a front end at once (one server when they share\n"
              "      it, as in M1.8) can cost quorum. This static view has no failover\n"
              "      time: `quorate simulate` shows that price.\n",
              out);
    for (int i = 0; i < t->n_comps; i++)
        if (t->comps[i].kind == QR_COMP_LINK) {
            fputs("note: the links between sites are not in this static view (M9): it judges\n"
                  "      the design as if its sites were always connected, so no link is a\n"
                  "      single point of failure or in a cut set here. `quorate simulate`\n"
                  "      splits the pool, SQL mirroring and the clusters at broken links.\n",
                  out);
            break;
        }
    fputs("\nsingle points of failure (one unexpected loss takes the feature down)\n", out);
    bool spof = false;
    for (int f = 0; f < nf; f++) {
        const qr_cut_count *c = qr_analysis_cuts(a, 1, QR_FAIL_UNEXPECTED, f);
        if (!c || c->n_minimal == 0)
            continue;
        spof = true;
        fprintf(out, "  %-20s", t->features[f].name);
        for (int s = 0; s < c->n_listed; s++)
            fprintf(out, " %s", qr_analysis_name(a, t, c->minimal[s]));
        fputc('\n', out);
    }
    if (!spof)
        fputs("  none: every feature survives the loss of any one component\n", out);

    fputs("\nN-k survival: every combination of k failures\n"
          "  unexpected: all lost at once, every loss still counted (M1.4, M9)\n"
          "  graceful:   drained and shut down one at a time (M1.3, M2.3, M4.2)\n",
          out);
    for (int k = 1; k <= a->max_k; k++) {
        const qr_nk_level *lv = &a->levels[k - 1];
        if (lv->combinations <= 0) {
            fprintf(out, "  k=%d: no combination (%d component%s can fail)\n", k,
                    a->n_candidates, a->n_candidates == 1 ? "" : "s");
            continue;
        }
        fprintf(out, "  k=%d: %.0f %s", k, lv->combinations, qr_analysis_k_unit(k, lv->combinations));
        if (!lv->analysed) {
            fprintf(out, ": not analysed, more than the cap of %ld combinations "
                         "(--max-combinations)\n",
                    o->ao.max_combinations);
            continue;
        }
        fputc('\n', out);
        print_level_mode(out, t, a, lv, QR_FAIL_UNEXPECTED, members, done);
        print_level_mode(out, t, a, lv, QR_FAIL_GRACEFUL, members, done);
    }

    fprintf(out, "\nsmallest failure sets that take each feature down (up to k=%d)\n", a->max_k);
    for (int f = 0; f < nf; f++) {
        fprintf(out, "  %-20s", t->features[f].name);
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            int k = qr_analysis_smallest_cut(a, (qr_fail_mode)m, f);
            fprintf(out, "%s%s: ", m ? "; " : " ", qr_fail_mode_name((qr_fail_mode)m));
            if (k == 0) {
                fprintf(out, "survives any %d", a->max_k);
                continue;
            }
            const qr_cut_count *c = qr_analysis_cuts(a, k, (qr_fail_mode)m, f);
            fprintf(out, "%d failure%s", k, k > 1 ? "s" : "");
            int shown = c->n_listed < 3 ? c->n_listed : 3;
            for (int s = 0; s < shown; s++) {
                fputc(' ', out);
                print_set(out, t, a, &c->minimal[(size_t)s * (size_t)k], k);
            }
            if (c->n_minimal > shown)
                fprintf(out, " (+%ld more)", c->n_minimal - shown);
        }
        fputc('\n', out);
    }

    if (!a->have_exact) {
        fprintf(out, "\nexact availability: not computed (%s)\n", a->exact_error);
        goto done;
    }
    fprintf(out,
            "\nexact availability (M9: independent components, every delay zero; %d "
            "components enumerated)\n",
            a->exact.n);
    fprintf(out, "  %-20s %14s %16s   %s\n", "feature", "availability", "downtime min/yr",
            "improve first (Birnbaum, RAW)");
    for (int f = 0; f <= nf; f++) {
        double av = a->exact.avail[f];
        fprintf(out, "  %-20s %13.6f%% %16.2f   ", f < nf ? t->features[f].name : "pool",
                100 * av, (1 - av) * MINUTES_PER_YEAR);
        int ties = 0, j = qr_analysis_improve_first(a, f, &ties);
        if (j < 0) {
            fputs("-\n", out);
            continue;
        }
        char raw[32];
        fmt_num(raw, sizeof(raw), qr_analysis_raw(a, j, f));
        fprintf(out, "%s (%.3g, %s)", qr_analysis_name(a, t, a->exact.comp[j]),
                qr_analysis_birnbaum(a, j, f), raw);
        if (ties > 0)
            fprintf(out, ", %d other%s tie", ties, ties > 1 ? "s" : "");
        fputc('\n', out);
    }

    fputs("\ncomponent importance, by feature it matters most for\n"
          "  Birnbaum = A(feature | component up) - A(feature | component down);\n"
          "  RAW = unavailability with the component down / unavailability;\n"
          "  gain = downtime minutes per year saved if the component never failed\n",
          out);
    fprintf(out, "  %-16s %10s  %-20s %10s %10s %10s\n", "component", "P(down)", "matters most for",
            "Birnbaum", "RAW", "gain");
    for (int j = 0; j < a->exact.n; j++) {
        int best = -1;
        double bb = 0;
        for (int f = 0; f < nf; f++) {
            double b = qr_analysis_birnbaum(a, j, f);
            if (b > bb + 1e-15) {
                bb = b;
                best = f;
            }
        }
        fprintf(out, "  %-16s %10.3g  ", qr_analysis_name(a, t, a->exact.comp[j]),
                a->exact.p_down[j]);
        if (best < 0) {
            fputs("no feature\n", out);
            continue;
        }
        char raw[32];
        fmt_num(raw, sizeof(raw), qr_analysis_raw(a, j, best));
        fprintf(out, "%-20s %10.3g %10s %10.3g\n", t->features[best].name, bb, raw,
                qr_analysis_improvement(a, j, best) * MINUTES_PER_YEAR);
    }
    int ties = 0, j = qr_analysis_improve_first(a, -1, &ties);
    if (j >= 0) {
        fprintf(out, "\nworth improving first: %s (largest Birnbaum importance summed over "
                     "the features",
                qr_analysis_name(a, t, a->exact.comp[j]));
        if (ties > 0)
            fprintf(out, "; %d other%s tie", ties, ties > 1 ? "s" : "");
        fputs(")\n", out);
    } else {
        fputs("\nworth improving first: none (no component changes any feature)\n", out);
    }
    qr_report_assumptions_text(out, assumed);
done:
    free(members);
    free(done);
    return ferror(out) ? -1 : 0; /* a memory stream fails only for memory */
}

/* The text report, built whole in memory and then written: a malloc or
 * stream failure on the way is out of memory (-1), and nothing reaches
 * out; -2 when out cannot take it. Returns 0, -1 or -2. */
static int write_text(FILE *out, const qr_topology *t, const analyze_options *o,
                      const qr_analysis *a, const qr_assumption_list *assumed)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return -1;
    int rc = print_text(m, t, o, a, assumed);
    /* glibc's memory stream can lose its buffer on close when memory runs
     * out: no text is no report. */
    if (fclose(m) != 0 || !text)
        rc = -1;
    if (rc == 0 && fwrite(text, 1, len, out) != len)
        rc = -2;
    free(text);
    return rc;
}

/* ---- JSON ---- */

static void json_set(qr_json *j, const qr_topology *t, const qr_analysis *a, const int *set, int k)
{
    qr_json_begin_array(j);
    for (int i = 0; i < k; i++)
        qr_json_string(j, qr_analysis_name(a, t, set[i]));
    qr_json_end_array(j);
}

static void json_comp_list(qr_json *j, const qr_topology *t, const qr_analysis *a,
                           const int *list, int n)
{
    qr_json_begin_array(j);
    for (int i = 0; i < n; i++)
        qr_json_string(j, qr_analysis_name(a, t, list[i]));
    qr_json_end_array(j);
}

static void json_cuts(qr_json *j, const qr_topology *t, const qr_analysis *a,
                      const qr_cut_count *c, int k)
{
    qr_json_begin_object(j);
    qr_json_key(j, "down");
    qr_json_int(j, c->n_down);
    qr_json_key(j, "partial");
    qr_json_int(j, c->n_partial);
    qr_json_key(j, "minimal_count");
    qr_json_int(j, c->n_minimal);
    qr_json_key(j, "minimal");
    qr_json_begin_array(j);
    for (int s = 0; s < c->n_listed; s++)
        json_set(j, t, a, &c->minimal[(size_t)s * (size_t)k], k);
    qr_json_end_array(j);
    qr_json_key(j, "minimal_truncated");
    qr_json_bool(j, c->n_minimal > c->n_listed);
    qr_json_end_object(j);
}

static void json_importance_entry(qr_json *j, const qr_analysis *a, int jj, int f)
{
    qr_json_key(j, "birnbaum");
    qr_json_number(j, qr_analysis_birnbaum(a, jj, f));
    qr_json_key(j, "raw");
    qr_json_number(j, qr_analysis_raw(a, jj, f));
    qr_json_key(j, "improvement");
    qr_json_number(j, qr_analysis_improvement(a, jj, f));
    qr_json_key(j, "gain_min_per_year");
    qr_json_number(j, qr_analysis_improvement(a, jj, f) * MINUTES_PER_YEAR);
}

static void json_improve_first(qr_json *j, const qr_topology *t, const qr_analysis *a, int f)
{
    int ties = 0, best = qr_analysis_improve_first(a, f, &ties);
    if (best < 0) {
        qr_json_null(j);
        return;
    }
    qr_json_begin_object(j);
    qr_json_key(j, "component");
    qr_json_string(j, qr_analysis_name(a, t, a->exact.comp[best]));
    qr_json_key(j, "ties");
    qr_json_int(j, ties);
    qr_json_end_object(j);
}

static char *render_json(const qr_topology *t, const analyze_options *o, const qr_analysis *a,
                         const qr_assumption_list *assumed)
{
    int nf = a->n_features;
    size_t nc = (size_t)a->n_comps;
    qr_json *j = qr_json_new();
    qr_report_json_begin(j, JSON_FORMAT_VERSION, "analyze");
    qr_report_json_topology(j, o->file, t);
    qr_json_key(j, "parameters");
    qr_json_begin_object(j);
    qr_json_key(j, "max_k");
    qr_json_int(j, a->max_k);
    qr_json_key(j, "max_combinations");
    qr_json_int(j, o->ao.max_combinations);
    qr_json_key(j, "graceful_leave_adjusts_votes");
    qr_json_bool(j, t->params.graceful_leave_adjusts_votes);
    qr_json_end_object(j);
    qr_json_key(j, "graph");
    qr_json_begin_object(j);
    qr_json_key(j, "vertices");
    qr_json_int(j, a->graph_vertices);
    qr_json_key(j, "edges");
    qr_json_int(j, a->graph_edges);
    qr_json_end_object(j);
    qr_json_key(j, "candidates");
    json_comp_list(j, t, a, a->candidates, a->n_candidates);
    qr_json_key(j, "never_fail");
    json_comp_list(j, t, a, a->never_fail, a->n_never_fail);
    qr_json_key(j, "has_spof");
    qr_json_bool(j, any_spof(a));
    qr_json_key(j, "backend_votes_in_pool");
    qr_json_bool(j, a->backend_votes);
    bool links = false;
    for (int i = 0; i < t->n_comps; i++)
        links = links || t->comps[i].kind == QR_COMP_LINK;
    qr_json_key(j, "links_ignored");
    qr_json_bool(j, links);

    qr_json_key(j, "features");
    qr_json_begin_array(j);
    for (int f = 0; f < nf; f++) {
        qr_json_begin_object(j);
        qr_json_key(j, "name");
        qr_json_string(j, t->features[f].name);
        qr_json_key(j, "depends_on");
        qr_json_begin_array(j);
        for (size_t i = 0; i < nc; i++)
            if (a->depends[(size_t)f * nc + i])
                qr_json_string(j, qr_topology_comp_name(t, (int)i));
        qr_json_end_array(j);
        qr_json_key(j, "all_up");
        qr_json_begin_object(j);
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            qr_json_key(j, qr_fail_mode_name((qr_fail_mode)m));
            qr_json_number(j, a->baseline[m][f]);
        }
        qr_json_end_object(j);
        qr_json_key(j, "single_points_of_failure");
        qr_json_begin_object(j);
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            const qr_cut_count *c = qr_analysis_cuts(a, 1, (qr_fail_mode)m, f);
            qr_json_key(j, qr_fail_mode_name((qr_fail_mode)m));
            json_comp_list(j, t, a, c ? c->minimal : NULL, c ? c->n_listed : 0);
        }
        qr_json_end_object(j);
        qr_json_key(j, "smallest_cut");
        qr_json_begin_object(j);
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            int k = qr_analysis_smallest_cut(a, (qr_fail_mode)m, f);
            qr_json_key(j, qr_fail_mode_name((qr_fail_mode)m));
            if (k == 0) {
                qr_json_null(j);
                continue;
            }
            const qr_cut_count *c = qr_analysis_cuts(a, k, (qr_fail_mode)m, f);
            qr_json_begin_object(j);
            qr_json_key(j, "k");
            qr_json_int(j, k);
            qr_json_key(j, "count");
            qr_json_int(j, c->n_minimal);
            qr_json_key(j, "sets");
            qr_json_begin_array(j);
            for (int s = 0; s < c->n_listed; s++)
                json_set(j, t, a, &c->minimal[(size_t)s * (size_t)k], k);
            qr_json_end_array(j);
            qr_json_end_object(j);
        }
        qr_json_end_object(j);
        qr_json_key(j, "exact_availability");
        if (a->have_exact)
            qr_json_number(j, a->exact.avail[f]);
        else
            qr_json_null(j);
        qr_json_key(j, "downtime_min_per_year");
        if (a->have_exact)
            qr_json_number(j, (1 - a->exact.avail[f]) * MINUTES_PER_YEAR);
        else
            qr_json_null(j);
        qr_json_key(j, "improve_first");
        json_improve_first(j, t, a, f);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);

    qr_json_key(j, "n_minus_k");
    qr_json_begin_array(j);
    for (int k = 1; k <= a->max_k; k++) {
        const qr_nk_level *lv = &a->levels[k - 1];
        qr_json_begin_object(j);
        qr_json_key(j, "k");
        qr_json_int(j, k);
        qr_json_key(j, "combinations");
        qr_json_number(j, lv->combinations);
        qr_json_key(j, "analysed");
        qr_json_bool(j, lv->analysed);
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            qr_json_key(j, qr_fail_mode_name((qr_fail_mode)m));
            if (!lv->analysed) {
                qr_json_null(j);
                continue;
            }
            qr_json_begin_object(j);
            for (int f = 0; f < nf; f++) {
                qr_json_key(j, t->features[f].name);
                json_cuts(j, t, a, &lv->feat[m][f], k);
            }
            qr_json_end_object(j);
        }
        qr_json_end_object(j);
    }
    qr_json_end_array(j);

    qr_json_key(j, "exact");
    qr_json_begin_object(j);
    qr_json_key(j, "available");
    qr_json_bool(j, a->have_exact);
    qr_json_key(j, "error");
    if (a->have_exact)
        qr_json_null(j);
    else
        qr_json_string(j, a->exact_error);
    if (a->have_exact) {
        qr_json_key(j, "components_enumerated");
        qr_json_int(j, a->exact.n);
        qr_json_key(j, "pool");
        qr_json_number(j, a->exact.avail[nf]);
        qr_json_key(j, "backend");
        qr_json_number(j, a->exact.detail.backend);
        qr_json_key(j, "file_store");
        qr_json_number(j, a->exact.detail.file_store);
        qr_json_key(j, "groups_writable");
        qr_json_number(j, a->exact.detail.groups_writable);
    }
    qr_json_end_object(j);

    qr_json_key(j, "importance");
    qr_json_begin_array(j);
    for (int c = 0; a->have_exact && c < a->exact.n; c++) {
        qr_json_begin_object(j);
        qr_json_key(j, "component");
        qr_json_string(j, qr_analysis_name(a, t, a->exact.comp[c]));
        qr_json_key(j, "p_down");
        qr_json_number(j, a->exact.p_down[c]);
        qr_json_key(j, "features");
        qr_json_begin_object(j);
        for (int f = 0; f < nf; f++) {
            qr_json_key(j, t->features[f].name);
            qr_json_begin_object(j);
            json_importance_entry(j, a, c, f);
            qr_json_end_object(j);
        }
        qr_json_end_object(j);
        qr_json_key(j, "pool");
        qr_json_begin_object(j);
        json_importance_entry(j, a, c, nf);
        qr_json_end_object(j);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_key(j, "improve_first");
    json_improve_first(j, t, a, -1);
    qr_report_assumptions_json(j, assumed);
    qr_json_end_object(j);

    return qr_json_finish(j);
}

int cmd_analyze(int argc, char **argv)
{
    analyze_options o;
    qr_topology *t = NULL;
    qr_assumptions *assume = NULL;
    qr_assumption_list assumed;
    qr_analysis a;
    bool have_analysis = false;
    char err[512] = "";
    int ret = 2;

    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    rc = qr_cli_load_design("analyze", o.file, o.assume, true, &t, &assume, &assumed);
    if (rc != 0)
        return rc;
    if (qr_topology_is_paired(t)) { /* several pools (M10) */
        ret = qr_analyze_pairing(o.file, t, o.ao.max_k, o.ao.max_combinations, o.json,
                                 o.fail_on_spof, &assumed);
        goto cleanup;
    }
    if (qr_analysis_run(t, &o.ao, &a, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate analyze: %s: %s\n", o.file, err);
        goto cleanup;
    }
    have_analysis = true;
    if (o.json) {
        char *doc = render_json(t, &o, &a, &assumed);
        if (!doc) {
            fputs("quorate analyze: out of memory\n", stderr);
            goto cleanup;
        }
        fputs(doc, stdout);
        fputc('\n', stdout);
        free(doc);
    } else if ((rc = write_text(stdout, t, &o, &a, &assumed)) != 0) {
        if (rc == -1)
            fputs("quorate analyze: out of memory\n", stderr);
        else
            fprintf(stderr, "quorate analyze: cannot write the output: %s\n", strerror(errno));
        goto cleanup;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quorate analyze: cannot write the output: %s\n", strerror(errno));
        goto cleanup;
    }
    ret = o.fail_on_spof && any_spof(&a) ? 1 : 0;
    if (ret == 1)
        fprintf(stderr, "quorate analyze: %s: a feature has a single point of failure "
                        "(--fail-on-spof)\n",
                o.file);
cleanup:
    if (have_analysis)
        qr_analysis_release(&a);
    qr_assumption_list_release(&assumed);
    qr_assumptions_free(assume);
    qr_topology_free(t);
    return ret;
}
