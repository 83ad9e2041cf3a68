/*
 * report_assumptions.c: the assumptions footer of the text reports and the
 * assumptions of the JSON reports (report_assumptions.h).
 */
#include "out/report_assumptions.h"

#include <stdlib.h>
#include <string.h>

#include "model/rule_ids.h"

/* "built-in", "design:14", "assumptions:3", "component"; the bare origin
 * when it has no line (a planner's requirements). */
static const char *origin_text(const qr_assumption_row *r, char *buf, size_t size)
{
    if (r->loc.line <= 0)
        return qr_origin_name(r->from);
    switch (r->from) {
    case QR_FROM_DESIGN:
        snprintf(buf, size, "design:%d", r->loc.line);
        return buf;
    case QR_FROM_ASSUMPTIONS:
        snprintf(buf, size, "assumptions:%d", r->loc.line);
        return buf;
    default:
        return qr_origin_name(r->from);
    }
}

static void heading(FILE *out, const qr_assumption_list *l)
{
    fprintf(out, "\nassumptions (%s; docs/assumptions.md):\n", qr_assumptions_precedence());
    if (l->assume_file) {
        fprintf(out, "  assumptions file: %s", l->assume_file);
        if (l->assume_name)
            fprintf(out, " (\"%s\")", l->assume_name);
        fputc('\n', out);
    } else {
        fputs("  no assumptions file (--assume): built-in values and the design's own\n", out);
    }
    if (l->static_view)
        fputs("  the static view (M9) uses only failure and repair figures: no patching, "
              "no delays\n",
              out);
}

/* The line under an uncertain item (docs/sensitivity.md): its
 * distribution, and that the value above is its point value. */
static void uncertain_line(FILE *out, const qr_assumption_row *r)
{
    if (r->uncertain[0])
        fprintf(out, "  %-36s uncertain: %s; the value is its median\n", "", r->uncertain);
}

static void scope(FILE *out)
{
    fputs("not modelled:", out);
    for (int i = 0; i < qr_assumptions_scope_count(); i++)
        fprintf(out, "%s %s", i ? ";" : "", qr_assumptions_scope_at(i));
    fputs("\n", out);
}

const char *qr_report_choice_where(const qr_design_choice *c, char *buf, size_t size)
{
    if (c->loc.line > 0)
        snprintf(buf, size, "line %d", c->loc.line);
    else
        snprintf(buf, size, "generated");
    return buf;
}

void qr_report_assumptions_text(FILE *out, const qr_assumption_list *l)
{
    char buf[48];
    heading(out, l);
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++) {
        const qr_assumption_row *r = &l->rows[i];
        if (!r->applies)
            continue;
        fprintf(out, "  %-36s %-22s %-16s %s\n", qr_assumption_item_at(i)->key, r->value,
                origin_text(r, buf, sizeof(buf)), r->source);
        uncertain_line(out, r);
    }
    if (l->n_choices > 0) {
        fputs("design choices (a component's own figures, kept under --assume):\n", out);
        for (int k = 0; k < l->n_choices; k++)
            fprintf(out, "  %s (%s, %s): %s\n", l->choices[k].name,
                    qr_comp_kind_name(l->choices[k].kind),
                    qr_report_choice_where(&l->choices[k], buf, sizeof(buf)), l->choices[k].value);
    }
    if (l->n_common_causes > 0) {
        fputs("common causes (groups that fail together, docs/simulate.md):\n", out);
        for (int k = 0; k < l->n_common_causes; k++)
            fprintf(out, "  %s\n", l->common_causes[k]);
    }
    scope(out);
}

int qr_report_assumption_mismatches(const qr_assumption_list *lists, int n)
{
    int count = 0;
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++)
        count += qr_assumption_lists_differ(lists, n, i);
    return count;
}

void qr_report_assumptions_compare_text(FILE *out, const qr_assumption_list *lists,
                                        const char *const *labels, int n)
{
    char buf[48];
    if (n <= 0)
        return;
    heading(out, &lists[0]);
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++) {
        const qr_assumption_row *first = NULL;
        bool same_origin = true;
        for (int k = 0; k < n; k++) {
            const qr_assumption_row *r = &lists[k].rows[i];
            if (!r->applies)
                continue;
            if (!first)
                first = r;
            else if (r->from != first->from || r->loc.line != first->loc.line)
                same_origin = false;
        }
        if (!first)
            continue;
        const char *key = qr_assumption_item_at(i)->key;
        if (qr_assumption_lists_differ(lists, n, i) || !same_origin) {
            char *text = qr_assumption_values_text(lists, labels, n, i);
            fprintf(out, "  %-36s %s%s\n", key,
                    qr_assumption_lists_differ(lists, n, i) ? "differs [AS001]: " : "",
                    text ? text : "(out of memory)");
            free(text);
            uncertain_line(out, first);
            continue;
        }
        fprintf(out, "  %-36s %-22s %-16s %s\n", key, first->value,
                origin_text(first, buf, sizeof(buf)), first->source);
        uncertain_line(out, first);
    }
    bool any = false;
    for (int k = 0; k < n; k++)
        any |= lists[k].n_choices > 0;
    if (any) {
        fputs("design choices (a component's own figures, kept under --assume):\n", out);
        for (int k = 0; k < n; k++)
            for (int c = 0; c < lists[k].n_choices; c++)
                fprintf(out, "  %s: %s (%s, %s): %s\n", labels[k], lists[k].choices[c].name,
                        qr_comp_kind_name(lists[k].choices[c].kind),
                        qr_report_choice_where(&lists[k].choices[c], buf, sizeof(buf)),
                        lists[k].choices[c].value);
    }
    any = false;
    for (int k = 0; k < n; k++)
        any |= lists[k].n_common_causes > 0;
    if (any) {
        fputs("common causes (groups that fail together, docs/simulate.md):\n", out);
        for (int k = 0; k < n; k++)
            for (int c = 0; c < lists[k].n_common_causes; c++)
                fprintf(out, "  %s: %s\n", labels[k], lists[k].common_causes[c]);
    }
    scope(out);
}

static void json_line(qr_json *j, qr_loc loc)
{
    qr_json_key(j, "line");
    if (loc.line > 0)
        qr_json_int(j, loc.line);
    else
        qr_json_null(j);
}

void qr_report_assumption_items_json(qr_json *j, const qr_assumption_list *l)
{
    qr_json_key(j, "items");
    qr_json_begin_array(j);
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++) {
        const qr_assumption_row *r = &l->rows[i];
        const qr_assumption_item *it = qr_assumption_item_at(i);
        qr_json_begin_object(j);
        qr_json_key(j, "key");
        qr_json_string(j, it->key);
        qr_json_key(j, "rule");
        qr_json_string(j, it->rule);
        qr_json_key(j, "applies");
        qr_json_bool(j, r->applies);
        qr_json_key(j, "value");
        qr_json_string(j, r->value);
        qr_json_key(j, "from");
        qr_json_string(j, qr_origin_name(r->from));
        json_line(j, r->loc);
        qr_json_key(j, "source");
        qr_json_string(j, r->source);
        qr_json_key(j, "uncertain");
        qr_json_string(j, r->uncertain[0] ? r->uncertain : NULL);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_key(j, "design_choices");
    qr_json_begin_array(j);
    for (int k = 0; k < l->n_choices; k++) {
        const qr_design_choice *c = &l->choices[k];
        qr_json_begin_object(j);
        qr_json_key(j, "component");
        qr_json_string(j, c->name);
        qr_json_key(j, "kind");
        qr_json_string(j, qr_comp_kind_name(c->kind));
        json_line(j, c->loc);
        qr_json_key(j, "value");
        qr_json_string(j, c->value);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    if (l->n_common_causes > 0) { /* only when there are: outputs without stay as they were */
        qr_json_key(j, "common_causes");
        qr_json_begin_array(j);
        for (int k = 0; k < l->n_common_causes; k++)
            qr_json_string(j, l->common_causes[k]);
        qr_json_end_array(j);
    }
}

void qr_report_assumptions_head_json(qr_json *j, const qr_assumption_list *l)
{
    qr_json_key(j, "file");
    qr_json_string(j, l->assume_file); /* null without one */
    qr_json_key(j, "name");
    qr_json_string(j, l->assume_name);
    qr_json_key(j, "precedence");
    qr_json_string(j, qr_assumptions_precedence());
    qr_json_key(j, "not_modelled");
    qr_json_begin_array(j);
    for (int i = 0; i < qr_assumptions_scope_count(); i++)
        qr_json_string(j, qr_assumptions_scope_at(i));
    qr_json_end_array(j);
}

int qr_report_assumption_mismatches_json(qr_json *j, const qr_assumption_list *lists,
                                         const char *const *labels, int n)
{
    int ret = 0;
    qr_json_key(j, "mismatches");
    qr_json_begin_array(j);
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++) {
        if (!qr_assumption_lists_differ(lists, n, i))
            continue;
        char *text = qr_assumption_values_text(lists, labels, n, i);
        if (!text)
            ret = -1;
        qr_json_begin_object(j);
        qr_json_key(j, "rule");
        qr_json_string(j, qr_rule_id_text(QR_RULE_AS001));
        qr_json_key(j, "key");
        qr_json_string(j, qr_assumption_item_at(i)->key);
        qr_json_key(j, "text");
        qr_json_string(j, text);
        qr_json_key(j, "values");
        qr_json_begin_array(j);
        for (int k = 0; k < n; k++) {
            const qr_assumption_row *r = &lists[k].rows[i];
            if (!r->applies)
                continue;
            qr_json_begin_object(j);
            qr_json_key(j, "design");
            qr_json_string(j, labels[k]);
            qr_json_key(j, "value");
            qr_json_string(j, r->value);
            qr_json_key(j, "from");
            qr_json_string(j, qr_origin_name(r->from));
            json_line(j, r->loc);
            qr_json_end_object(j);
        }
        qr_json_end_array(j);
        qr_json_end_object(j);
        free(text);
    }
    qr_json_end_array(j);
    return ret;
}

void qr_report_assumptions_json(qr_json *j, const qr_assumption_list *l)
{
    qr_json_key(j, "assumptions");
    if (!l) {
        qr_json_null(j);
        return;
    }
    qr_json_begin_object(j);
    qr_report_assumptions_head_json(j, l);
    qr_report_assumption_items_json(j, l);
    qr_json_end_object(j);
}
