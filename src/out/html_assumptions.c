/*
 * html_assumptions.c: the assumptions section of the HTML pages
 * (html_assumptions.h).
 */
#include "out/html_assumptions.h"

#include <stdbool.h>
#include <stdlib.h>

#include "out/html_util.h"
#include "out/report_assumptions.h"

static void origin(FILE *out, const qr_assumption_row *r)
{
    qr_html_escape(out, qr_origin_name(r->from));
    if (r->loc.line > 0)
        fprintf(out, ", line %d", r->loc.line);
}

static void td_escaped(FILE *out, const char *s)
{
    fputs("<td>", out);
    qr_html_escape(out, s);
    fputs("</td>", out);
}

static void head(FILE *out, const qr_assumption_list *l)
{
    fputs("<section id=\"assumptions\">\n<h2>Assumptions</h2>\n<p class=\"note\">Precedence: ",
          out);
    qr_html_escape(out, qr_assumptions_precedence());
    fputs(". ", out);
    if (l->assume_file) {
        fputs("Assumptions file: ", out);
        qr_html_escape(out, l->assume_file);
        if (l->assume_name) {
            fputs(" (", out);
            qr_html_escape(out, l->assume_name);
            fputs(")", out);
        }
        fputs(".", out);
    } else {
        fputs("No assumptions file (--assume): built-in values and the designs' own.", out);
    }
    if (l->static_view)
        fputs(" The static view (M9) uses only failure and repair figures.", out);
    fputs("</p>\n", out);
}

static void choices(FILE *out, const qr_assumption_list *lists, const char *const *labels, int n,
                    const int *order)
{
    bool any = false;
    for (int k = 0; k < n; k++)
        any |= lists[k].n_choices > 0;
    if (!any)
        return;
    fputs("<h3>Design choices</h3>\n<p class=\"note\">Components with figures of their own, "
          "kept under --assume.</p>\n<ul class=\"choices\">\n",
          out);
    for (int o = 0; o < n; o++) {
        int k = order ? order[o] : o;
        for (int c = 0; c < lists[k].n_choices; c++) {
            const qr_design_choice *d = &lists[k].choices[c];
            fputs("<li>", out);
            if (n > 1) {
                qr_html_escape(out, labels[k]);
                fputs(": ", out);
            }
            fputs("<b>", out);
            qr_html_escape(out, d->name);
            char where[24];
            fprintf(out, "</b> (%s, %s): ", qr_comp_kind_name(d->kind),
                    qr_report_choice_where(d, where, sizeof(where)));
            qr_html_escape(out, d->value);
            fputs("</li>\n", out);
        }
    }
    fputs("</ul>\n", out);
}

static void common_causes(FILE *out, const qr_assumption_list *lists, const char *const *labels,
                          int n, const int *order)
{
    bool any = false;
    for (int k = 0; k < n; k++)
        any |= lists[k].n_common_causes > 0;
    if (!any)
        return;
    fputs("<h3>Common causes</h3>\n<p class=\"note\">Groups that fail together "
          "(docs/simulate.md, \"Common-cause failures\").</p>\n<ul class=\"choices\">\n",
          out);
    for (int o = 0; o < n; o++) {
        int k = order ? order[o] : o;
        for (int c = 0; c < lists[k].n_common_causes; c++) {
            fputs("<li>", out);
            if (n > 1) {
                qr_html_escape(out, labels[k]);
                fputs(": ", out);
            }
            qr_html_escape(out, lists[k].common_causes[c]);
            fputs("</li>\n", out);
        }
    }
    fputs("</ul>\n", out);
}

static void scope(FILE *out)
{
    fputs("<h3>Not modelled</h3>\n<ul class=\"scope\">\n", out);
    for (int i = 0; i < qr_assumptions_scope_count(); i++) {
        fputs("<li>", out);
        qr_html_escape(out, qr_assumptions_scope_at(i));
        fputs("</li>\n", out);
    }
    fputs("</ul>\n</section>\n", out);
}

/* The source cell, with an uncertain value's distribution under it. */
static void td_source(FILE *out, const qr_assumption_row *r)
{
    fputs("<td>", out);
    qr_html_escape(out, r->source);
    if (r->uncertain[0]) {
        fputs("<br><span class=\"note\">uncertain: ", out);
        qr_html_escape(out, r->uncertain);
        fputs("; the value is its median</span>", out);
    }
    fputs("</td>", out);
}

static void one_design(FILE *out, const qr_assumption_list *l)
{
    fputs("<table class=\"assumptions\">\n<thead><tr><th>assumption</th><th>value</th>"
          "<th>from</th><th>source</th></tr></thead>\n<tbody>\n",
          out);
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++) {
        const qr_assumption_row *r = &l->rows[i];
        if (!r->applies)
            continue;
        fputs("<tr>", out);
        td_escaped(out, qr_assumption_item_at(i)->key);
        td_escaped(out, r->value);
        fputs("<td>", out);
        origin(out, r);
        fputs("</td>", out);
        td_source(out, r);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

static void several(FILE *out, const qr_assumption_list *lists, const char *const *labels, int n,
                    const int *order)
{
    fputs("<table class=\"assumptions\">\n<thead><tr><th>assumption</th>", out);
    for (int o = 0; o < n; o++) {
        fputs("<th>", out);
        qr_html_escape(out, labels[order ? order[o] : o]);
        fputs("</th>", out);
    }
    fputs("<th>source</th></tr></thead>\n<tbody>\n", out);
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++) {
        int first = -1;
        for (int k = 0; k < n && first < 0; k++)
            if (lists[k].rows[i].applies)
                first = k;
        if (first < 0)
            continue;
        bool differs = qr_assumption_lists_differ(lists, n, i);
        fprintf(out, "<tr%s><td>", differs ? " class=\"mismatch\"" : "");
        qr_html_escape(out, qr_assumption_item_at(i)->key);
        if (differs)
            fputs(" <b>differs [AS001]</b>", out);
        fputs("</td>", out);
        for (int o = 0; o < n; o++) {
            const qr_assumption_row *r = &lists[order ? order[o] : o].rows[i];
            if (!r->applies) {
                fputs("<td class=\"note\">does not apply</td>", out);
                continue;
            }
            fprintf(out, "<td%s>", differs ? " class=\"warn\"" : "");
            qr_html_escape(out, r->value);
            fputs("<br><span class=\"note\">", out);
            origin(out, r);
            fputs("</span></td>", out);
        }
        td_source(out, &lists[first].rows[i]);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
    int mismatches = 0;
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++)
        mismatches += qr_assumption_lists_differ(lists, n, i);
    if (mismatches > 0)
        fprintf(out, "<p class=\"note\"><b>%d assumption%s differ%s between the designs "
                     "(AS001)</b>: the ranking compares assumptions as well as designs. Compare "
                     "them under one assumptions file (--assume).</p>\n",
                mismatches, mismatches == 1 ? "" : "s", mismatches == 1 ? "s" : "");
}

void qr_html_assumptions(FILE *out, const qr_assumption_list *lists, const char *const *labels,
                         int n, const int *order)
{
    if (n < 1)
        return;
    head(out, &lists[0]);
    if (n == 1)
        one_design(out, &lists[0]);
    else
        several(out, lists, labels, n, order);
    choices(out, lists, labels, n, order);
    common_causes(out, lists, labels, n, order);
    scope(out);
}
