/*
 * analyze_pairing.c: `quorate analyze` on a paired design (analyze_pairing.h).
 */
#include "cmd/analyze_pairing.h"

#include <stdio.h>
#include <stdlib.h>

#include "exact/cuts_pairing.h"
#include "out/report_assumptions.h"
#include "util/json_out.h"

#define TEXT_SETS 6

static const char *row_name(const qr_topology *t, int r)
{
    return r < t->n_features ? t->features[r].name : "pool";
}

static void print_set(FILE *out, const qr_topology *t, const int *set, int k)
{
    fputc('{', out);
    for (int j = 0; j < k; j++)
        fprintf(out, "%s%s", j ? "," : "", t->comps[set[j]].name);
    fputc('}', out);
}

static void print_text(FILE *out, const char *file, const qr_topology *t,
                       const sim_pairing_analysis *a, const qr_assumption_list *assumed)
{
    fprintf(out, "%s, %s: %d pools (M10)\n", t->name ? t->name : file, file, t->n_pools);
    for (int i = 0; i < t->n_pools; i++) {
        int q = t->pools[i].paired_with;
        fprintf(out, "  %s: backup pool %s\n", t->pools[i].name,
                q >= 0 ? t->pools[q].name : "none");
    }
    fputs("\nStatic view (M9 with every M10 delay zero, docs/simulate.md): a pool's users are\n"
          "served by their pool while it runs, else fully by the backup pool; a cut set of\n"
          "their features takes their pool down (or a feature in it) and the backup's too.\n",
          out);
    fprintf(out, "%d components can fail and matter; failures of up to %d components.\n",
            a->n_relevant, a->max_k);
    int never = 0;
    for (int c = 0; c < t->n_comps; c++)
        if (!qr_component_fails(&t->comps[c]))
            fprintf(out, "%s%s", never++ ? ", " : "never fail, so never failed here: ",
                    t->comps[c].name);
    if (never)
        fputc('\n', out);
    int links = 0;
    for (int c = 0; c < t->n_comps; c++)
        if (t->comps[c].kind == QR_COMP_LINK && qr_component_fails(&t->comps[c]))
            fprintf(out, "%s%s", links++ ? ", " : "links left out (M9 ignores them; only the "
                    "full simulation cuts them): ", t->comps[c].name);
    fputs(links ? "\n\n" : "\n", out);
    fprintf(out, "%-28s %-14s %-10s %s\n", "row", "exact (M9)", "unavail.",
            "single points of failure, then the smallest cut sets");
    for (int r = 0; r < a->n_rows; r++) {
        char pct[32];
        snprintf(pct, sizeof(pct), "%.7f%%", 100 * a->avail[r]);
        fprintf(out, "%-28s %-14s %-10.3g", row_name(t, r), pct, a->unavail[r]);
        const sim_pcuts *one = &a->cuts[r * a->max_k];
        if (one->n > 0) {
            fputs(" SPOF:", out);
            for (int s = 0; s < one->n; s++)
                fprintf(out, " %s", t->comps[one->sets[s]].name);
        } else {
            fputs(" no SPOF", out);
        }
        fputc('\n', out);
        for (int k = 2; k <= a->max_k; k++) {
            const sim_pcuts *c = &a->cuts[r * a->max_k + k - 1];
            if (c->n < 0) {
                fprintf(out, "    k=%d: skipped (too many combinations)\n", k);
                continue;
            }
            if (c->n == 0)
                continue;
            fprintf(out, "    k=%d: %d minimal cut set%s:", k, c->n, c->n == 1 ? "" : "s");
            for (int s = 0; s < c->n && s < TEXT_SETS; s++) {
                fputc(' ', out);
                print_set(out, t, &c->sets[s * k], k);
            }
            fputs(c->n > TEXT_SETS ? " ...\n" : "\n", out);
        }
        bool any = false;
        for (int k = 1; k <= a->max_k; k++)
            any |= a->cuts[r * a->max_k + k - 1].n != 0;
        if (!any)
            fprintf(out, "    no cut set of %d component%s or fewer\n", a->max_k,
                    a->max_k == 1 ? "" : "s");
    }
    fputc('\n', out);
    qr_report_assumptions_text(out, assumed);
}

static char *render_json(const char *file, const qr_topology *t, const sim_pairing_analysis *a,
                         const qr_assumption_list *assumed)
{
    qr_json *j = qr_json_new();
    if (!j)
        return NULL;
    qr_json_begin_object(j);
    qr_json_key(j, "format_version");
    qr_json_int(j, 1);
    qr_json_key(j, "file");
    qr_json_string(j, file);
    qr_json_key(j, "pools");
    qr_json_begin_array(j);
    for (int i = 0; i < t->n_pools; i++) {
        int q = t->pools[i].paired_with;
        qr_json_begin_object(j);
        qr_json_key(j, "name");
        qr_json_string(j, t->pools[i].name);
        qr_json_key(j, "paired_with");
        if (q >= 0)
            qr_json_string(j, t->pools[q].name);
        else
            qr_json_null(j);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_key(j, "components_enumerated");
    qr_json_int(j, a->n_relevant);
    qr_json_key(j, "rows");
    qr_json_begin_array(j);
    for (int r = 0; r < a->n_rows; r++) {
        qr_json_begin_object(j);
        qr_json_key(j, "name");
        qr_json_string(j, row_name(t, r));
        qr_json_key(j, "exact_availability");
        qr_json_number(j, a->avail[r]);
        qr_json_key(j, "exact_unavailability");
        qr_json_number(j, a->unavail[r]);
        qr_json_key(j, "cut_sets");
        qr_json_begin_array(j);
        for (int k = 1; k <= a->max_k; k++) {
            const sim_pcuts *c = &a->cuts[r * a->max_k + k - 1];
            qr_json_begin_object(j);
            qr_json_key(j, "k");
            qr_json_int(j, k);
            qr_json_key(j, "sets");
            if (c->n < 0) {
                qr_json_null(j);
            } else {
                qr_json_begin_array(j);
                for (int s = 0; s < c->n; s++) {
                    qr_json_begin_array(j);
                    for (int m = 0; m < k; m++)
                        qr_json_string(j, t->comps[c->sets[s * k + m]].name);
                    qr_json_end_array(j);
                }
                qr_json_end_array(j);
            }
            qr_json_end_object(j);
        }
        qr_json_end_array(j);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_report_assumptions_json(j, assumed);
    qr_json_end_object(j);
    return qr_json_finish(j);
}

int qr_analyze_pairing(const char *file, const qr_topology *t, int max_k, long max_combinations,
                       bool json, bool fail_on_spof, const qr_assumption_list *assumed)
{
    sim_pairing_analysis a;
    char err[512] = "";
    if (sim_pairing_analyze(t, max_k, max_combinations, &a, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate analyze: %s: %s\n", file, err);
        return 2;
    }
    int ret = 0;
    if (json) {
        char *doc = render_json(file, t, &a, assumed);
        if (!doc) {
            fputs("quorate analyze: out of memory\n", stderr);
            ret = 2;
        } else {
            fputs(doc, stdout);
            fputc('\n', stdout);
            free(doc);
        }
    } else {
        print_text(stdout, file, t, &a, assumed);
    }
    if (ret == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
        fprintf(stderr, "quorate analyze: cannot write the output\n");
        ret = 2;
    }
    if (ret == 0 && fail_on_spof)
        for (int r = 0; r < a.n_rows; r++)
            if (a.cuts[r * a.max_k].n > 0) {
                fprintf(stderr, "quorate analyze: %s: a feature has a single point of "
                        "failure (--fail-on-spof)\n", file);
                ret = 1;
                break;
            }
    sim_pairing_analysis_release(&a);
    return ret;
}
