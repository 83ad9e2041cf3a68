/*
 * html_nk.c: the N-k table of the --html reports (html_nk.h). A plain HTML
 * table; cells that lose a feature are marked with class "bad" (down) or
 * "warn" (only partial), the rest "ok". Its last row, "SPOFs (total
 * loss)", names the single failures that take a feature down for every
 * user, distinct from the scorecard's "SPOFs (any loss)".
 */
#include "out/html_nk.h"

#include "out/html_util.h"

static void cut_sets(FILE *out, const qr_topology *t, const qr_analysis *a,
                     const qr_cut_count *c, int k)
{
    int shown = c->n_listed < QR_HTML_NK_SETS ? c->n_listed : QR_HTML_NK_SETS;
    for (int s = 0; s < shown; s++) {
        fputs(" <span class=\"cut\">{", out);
        for (int j = 0; j < k; j++) {
            if (j)
                fputc(',', out);
            int i = c->minimal[(size_t)s * (size_t)k + (size_t)j];
            qr_html_escape(out, qr_analysis_name(a, t, i));
        }
        fputs("}</span>", out);
    }
    if (c->n_minimal > shown)
        fprintf(out, " (+%ld more)", c->n_minimal - shown);
}

static void cell_mode(FILE *out, const qr_topology *t, const qr_analysis *a, const qr_nk_level *lv,
                      const qr_cut_count *c, qr_fail_mode m)
{
    fprintf(out, "<div><b>%s:</b> %ld of %.0f %s take%s it down", qr_fail_mode_name(m),
            c->n_down, lv->combinations, qr_analysis_k_unit(lv->k, lv->combinations),
            c->n_down == 1 ? "s" : "");
    if (c->n_minimal > 0) {
        if (c->n_minimal < c->n_down)
            fprintf(out, "; %ld new minimal:", c->n_minimal);
        else
            fputc(':', out);
        cut_sets(out, t, a, c, lv->k);
    } else if (c->n_down > 0) {
        fputs(" (each contains a smaller set above)", out);
    }
    if (c->n_partial > 0)
        fprintf(out, "; %ld leave it to only part of the users", c->n_partial);
    fputs("</div>", out);
}

int qr_html_nk_analysis(const qr_topology *t, qr_analysis *a, char *err, size_t errlen)
{
    qr_analysis_options ao;
    qr_analysis_options_init(&ao);
    ao.exact = false;
    return qr_analysis_run(t, &ao, a, err, errlen) == 0 ? 0 : -1;
}

void qr_html_nk_table(FILE *out, const qr_topology *t, const qr_analysis *a)
{
    fputs("<table class=\"nk\">\n<thead><tr><th>k</th>", out);
    for (int f = 0; f < a->n_features; f++) {
        fputs("<th>", out);
        qr_html_escape(out, t->features[f].name);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (int k = 1; k <= 3; k++) {
        if (k > a->max_k) {
            fprintf(out, "<tr><th>%d</th><td colspan=\"%d\" class=\"note\">not analysed "
                         "(beyond the analysis's largest k)</td></tr>\n",
                    k, a->n_features);
            continue;
        }
        const qr_nk_level *lv = &a->levels[k - 1];
        if (!lv->analysed) {
            fprintf(out, "<tr><th>%d</th><td colspan=\"%d\" class=\"note\">not analysed: %.0f "
                         "%s exceed the cap of %ld combinations</td></tr>\n",
                    k, a->n_features, lv->combinations,
                    qr_analysis_k_unit(k, lv->combinations),
                    QR_ANALYSIS_DEFAULT_MAX_COMBINATIONS);
            continue;
        }
        fprintf(out, "<tr><th>%d<br><span class=\"note\">%.0f %s</span></th>", k,
                lv->combinations, qr_analysis_k_unit(k, lv->combinations));
        for (int f = 0; f < a->n_features; f++) {
            const qr_cut_count *u = qr_analysis_cuts(a, k, QR_FAIL_UNEXPECTED, f);
            const qr_cut_count *g = qr_analysis_cuts(a, k, QR_FAIL_GRACEFUL, f);
            const char *cls = (u->n_down || g->n_down)         ? "bad"
                              : (u->n_partial || g->n_partial) ? "warn"
                                                               : "ok";
            fprintf(out, "<td class=\"%s\">", cls);
            cell_mode(out, t, a, lv, u, QR_FAIL_UNEXPECTED);
            cell_mode(out, t, a, lv, g, QR_FAIL_GRACEFUL);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("<tr><th>SPOFs (total loss)</th>", out);
    for (int f = 0; f < a->n_features; f++) {
        const qr_cut_count *c = qr_analysis_cuts(a, 1, QR_FAIL_UNEXPECTED, f);
        if (!qr_analysis_has_spof(a, f)) {
            fputs("<td class=\"ok\">none</td>", out);
            continue;
        }
        fputs("<td class=\"bad\">", out);
        for (int s = 0; s < c->n_listed; s++) {
            if (s)
                fputs(", ", out);
            qr_html_escape(out, qr_analysis_name(a, t, c->minimal[s]));
        }
        fputs("</td>", out);
    }
    fputs("</tr>\n</tbody></table>\n", out);
    fprintf(out, "<p class=\"note\">Components failed (%d):", a->n_candidates);
    for (int i = 0; i < a->n_candidates; i++) {
        fputc(' ', out);
        qr_html_escape(out, qr_analysis_name(a, t, a->candidates[i]));
    }
    if (a->n_candidates == 0)
        fputs(" none", out);
    if (a->n_never_fail > 0) {
        fputs(". Never fail in this topology, not failed:", out);
        for (int i = 0; i < a->n_never_fail; i++) {
            fputc(' ', out);
            qr_html_escape(out, qr_topology_comp_name(t, a->never_fail[i]));
        }
    }
    fputs(". Unexpected: every loss counted at once (M9); graceful: drained and shut down one "
          "at a time. SPOFs (total loss): the components whose unexpected loss alone takes the "
          "feature down for every user; one that leaves it to only part of the users is counted "
          "in k=1 (\"leave it to only part of the users\") and among the scorecard's SPOFs (any "
          "loss).</p>\n",
          out);
}
