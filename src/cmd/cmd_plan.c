/*
 * cmd_plan.c: `quorate plan [OPTIONS] REQUIREMENTS.yaml`, the design
 * planner (docs/plan.md). Loads the requirements (errors printed as
 * `quorate check` prints a topology's), runs the plan (src/plan/plan.h:
 * candidates from the field templates, paper filter, full simulation,
 * Pareto front, the choice), prints the front, every candidate and the
 * explanation (or JSON), and writes the recommended design as a topology
 * file (src/model/topology_write.h) to -o FILE, or at the end of the text output
 * without -o. The written text is loaded back and checked before it is
 * handed out: a design quorate itself would refuse is never written.
 *
 * Exit status: 0 the recommended design meets every target within the
 * budget; 1 none does (the best available is still written), or the
 * requirements file has errors; 2 usage or I/O error, out of memory.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_options.h"
#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "cmd/mpi_run.h"
#include "model/diag.h"
#include "util/file_out.h"
#include "util/json_out.h"
#include "model/loader.h"
#include "model/assumption_list.h"
#include "plan/plan.h"
#include "out/report.h"
#include "out/report_json_doc.h"
#include "out/report_assumptions.h"
#include "out/report_stats.h"
#include "check/rules.h"
#include "model/topology_write.h"

#define CMD "plan"
#define JSON_FORMAT_VERSION 1

typedef struct {
    const char *file;
    const char *output;  /* -o FILE, NULL: the text output's last section */
    bool        json;
    bool        have_seed;
    const char *assume;  /* --assume FILE, or NULL                         */
    qr_cli_run  run;     /* --years --runs --seed --threads             */
} plan_options;

static const qr_opt options[] = {
    QR_OPT_OUTPUT_ROW(plan_options, output,
                      "write the recommended design to FILE (default: print it at the end of "
                      "the text output, or in the JSON)"),
    QR_OPT_RUN_ROWS(plan_options, run,
                    "simulated years per replication (default: simulation.years, else 10)",
                    "replications per simulated design (default: the requirements' "
                    "simulation.runs, else 200)",
                    "random seed, an unsigned integer (default: simulation.seed, else 1); the "
                    "same seed gives the same plan whatever --threads",
                    QR_OPT_GIVEN(plan_options, have_seed)),
    { .name = "--json", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(plan_options, json), .flag = true,
      .help = "JSON output (requirements, every candidate, the Pareto front, the "
              "recommendation and the design's YAML)" },
    QR_OPT_ASSUME_ROW(plan_options, assume,
                      "an assumptions file (docs/assumptions.md) for every candidate: its "
                      "failure figures and timings replace the built-in ones and the "
                      "requirements' server, site, link and quorum_reset_after"),
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate plan [OPTIONS] REQUIREMENTS.yaml\n"
             "\n"
             "The design planner: from target availabilities per feature, users, sites,\n"
             "budget and an existing SQL HA service (docs/plan.md), generate candidate pool\n"
             "designs from the field templates (2.x, 3.0, 4.x, 5.x and variants), drop those\n"
             "`quorate check` refuses, score them (exact M9 availability as a filter, then\n"
             "the full simulation), print the Pareto front of cost against the worst\n"
             "feature's simulated availability, recommend the cheapest design that meets\n"
             "every target at its 95% CI lower bound within the budget, say why, and write\n"
             "it as a topology file.\n"
             "\n",
    .options = options,
    .after = "\n"
             "exit status:\n"
             "  0  the recommended design meets every target within the budget\n"
             "  1  no design does (the best available is still recommended and written),\n"
             "     or the requirements or the assumptions file has errors\n"
             "  2  usage or I/O error, out of memory\n",
};

/* Returns -1 after --help, 0 parsed, 2 usage error (reported). --runs,
 * --years and --seed left out keep 0 and have_seed false, so that the
 * requirements' simulation settings apply. */
static int parse_args(int argc, char **argv, plan_options *o)
{
    memset(o, 0, sizeof(*o));
    qr_cli_run_defaults(&o->run, 0);
    o->run.years = 0;
    return qr_cli_parse_one(&command, argc, argv, o, "requirements file", &o->file);
}

/* ---- text output ---- */


static bool card_meets(const qr_requirements *r, const qr_scorecard *s)
{
    double g = qr_plan_shortfall(r, s, NULL);
    return !isnan(g) && g <= 0;
}

static const char *status_word(const qr_plan *p, const qr_requirements *r, int i)
{
    const qr_scorecard *s = &p->cards[i];
    if (p->status[i] == QR_PLAN_PAPER_CUT)
        return "cut on paper";
    if (p->status[i] == QR_PLAN_NOT_SCORED)
        return "not simulated";
    if (p->status[i] == QR_PLAN_UNSUPPORTED)
        return "unsupported";
    if (!card_meets(r, s))
        return "misses";
    return s->cost.total <= r->budget + 1e-9 ? "meets" : "meets, over budget";
}

static void print_header_row(FILE *out)
{
    fprintf(out, "  %-3s %-28s %-8s %7s %8s  %-18s %11s %11s %9s  %s\n", "", "design",
            "notation", "servers", "cost/yr", "worst feature", "paper", "operation", "min/yr",
            "targets");
}

static void print_row(FILE *out, const qr_plan *p, const qr_requirements *r, int i)
{
    const qr_scorecard *s = &p->cards[i];
    char paper[32] = "n/a", op[32] = "n/a", mins[32] = "n/a";
    int worst = s->worst;
    if (s->have_paper && worst >= 0)
        snprintf(paper, sizeof(paper), "%.5f%%", 100 * s->paper[worst]);
    if (s->have_operation) {
        snprintf(op, sizeof(op), "%.5f%%", 100 * s->operation.f[worst].availability.mean);
        snprintf(mins, sizeof(mins), "%.1f", s->operation.f[worst].downtime_min_year.mean);
    }
    fprintf(out, "  %-3s %-28s %-8s %7d %8.2f  %-18s %11s %11s %9s  %s\n",
            i == p->winner ? "=>" : p->on_front[i] ? "*" : "", s->label, s->notation,
            s->cost.full_servers, s->cost.total, worst >= 0 ? s->feature_names[worst] : "-",
            paper, op, mins, status_word(p, r, i));
}

static void print_requirements(FILE *out, const qr_requirements *r, const sim_run_options *ro)
{
    fprintf(out, "quorate plan: %s\n", r->file);
    fprintf(out, "requirements: %s, ", qr_version_name(r->version));
    if (r->users > 0)
        fprintf(out, "%ld users (%d front ends with one in reserve, 6,660 users each), ",
                r->users, qr_pool_frontends_for_users(r->users));
    else
        fputs("users not given (2 front ends or more), ", out);
    fprintf(out, "%d site%s, ", r->sites, r->sites == 1 ? "" : "s (witness in a third)");
    if (isinf(r->budget))
        fputs("no budget", out);
    else
        fprintf(out, "budget %.2f/yr", r->budget);
    if (r->existing_sql)
        fprintf(out, ", existing SQL HA at %.10g%%", 100 * r->existing_sql_availability);
    fputc('\n', out);
    fputs("targets:", out);
    qr_topology names;
    if (qr_topology_init(&names) == 0) {
        bool any = false;
        for (int k = 0; k < QR_DEFAULT_FEATURE_COUNT; k++)
            if (r->target[k] > 0) {
                fprintf(out, "%s %s %.10g%% (%.1f min/yr)", any ? "," : "", names.features[k].name,
                        100 * r->target[k], (1 - r->target[k]) * QR_MINUTES_PER_YEAR);
                any = true;
            }
    }
    qr_topology_release(&names);
    qr_cost_rules rules;
    qr_requirements_cost_rules(r, &rules);
    fprintf(out, "\nsimulation: %d runs x %g years per design, seed %llu; cost/yr in %s (%g a "
                 "full server, %g a witness-only part)\n",
            ro->runs, ro->years, (unsigned long long)ro->seed,
            qr_cost_rules_relative(&rules) ? "server-equivalents" : "the unit of costs.server",
            r->server_cost, r->witness_cost);
}

static void print_text(FILE *out, const qr_requirements *r, const sim_run_options *ro,
                       const qr_plan *p, const char *yaml, const char *output,
                       const qr_assumption_list *assumed)
{
    print_requirements(out, r, ro);
    fprintf(out, "\nPareto front (yearly cost against the worst feature's simulated "
                 "availability; cheapest first):\n");
    print_header_row(out);
    for (int k = 0; k < p->n_front; k++)
        print_row(out, p, r, p->front[k]);
    if (p->n_front == 0)
        fputs("  (empty: no design could be simulated)\n", out);

    fprintf(out, "\nevery candidate (=> recommended, * on the Pareto front; targets: met at "
                 "the 95%% CI lower bound or not):\n");
    print_header_row(out);
    int n = p->cands.n;
    int *order = malloc(((size_t)n + 1) * sizeof(int));
    if (order) {
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j > 0 && p->cards[order[j - 1]].cost.total > p->cards[i].cost.total + 1e-9) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        for (int k = 0; k < n; k++)
            print_row(out, p, r, order[k]);
        free(order);
    }
    if (p->cands.n_dropped > 0) {
        fputs("\nrefused by the design rules of `quorate check`:\n", out);
        for (int k = 0; k < p->cands.n_dropped; k++)
            fprintf(out, "  %s: %s\n", p->cands.dropped[k].label, p->cands.dropped[k].reason);
    }
    fputs("\nrecommendation:\n", out);
    qr_report_wrapped(out, p->explanation, 78, "  ");
    if (assumed)
        qr_report_assumptions_text(out, assumed);
    if (p->winner < 0)
        return;
    if (output) {
        fprintf(out, "\nrecommended design written to %s\n", output);
    } else {
        fputs("\nrecommended design (topology YAML; -o FILE writes it to a file):\n", out);
        fputs(yaml, out);
    }
}

/* ---- JSON ---- */

static void json_candidate(qr_json *j, const qr_plan *p, const qr_requirements *r, int i)
{
    const qr_scorecard *s = &p->cards[i];
    const qr_plan_candidate *c = &p->cands.items[i];
    qr_json_begin_object(j);
    qr_json_key(j, "label");
    qr_json_string(j, s->label);
    qr_json_key(j, "name");
    qr_json_string(j, s->name);
    qr_json_key(j, "notation");
    qr_json_string(j, s->notation);
    qr_json_key(j, "front_ends");
    qr_json_int(j, c->n_frontends);
    qr_json_key(j, "backend");
    qr_json_string(j, qr_backend_kind_name(c->backend));
    qr_json_key(j, "file_store");
    qr_json_string(j, qr_file_store_kind_name(c->file_store));
    qr_json_key(j, "full_servers");
    qr_json_int(j, s->cost.full_servers);
    qr_json_key(j, "cost_per_year");
    qr_json_number(j, s->cost.total);
    qr_json_key(j, "status");
    qr_json_string(j, status_word(p, r, i));
    qr_json_key(j, "unsupported");
    if (c->n_unsupported > 0)
        qr_json_string(j, c->unsupported);
    else
        qr_json_null(j);
    qr_json_key(j, "simulated");
    qr_json_bool(j, s->have_operation);
    qr_json_key(j, "on_pareto_front");
    qr_json_bool(j, p->on_front[i]);
    qr_json_key(j, "meets_targets");
    qr_json_bool(j, card_meets(r, s));
    qr_json_key(j, "within_budget");
    qr_json_bool(j, s->cost.total <= r->budget + 1e-9);
    qr_json_key(j, "spof_count");
    qr_json_int(j, s->n_spofs);
    qr_json_key(j, "worst_feature");
    qr_json_string(j, s->worst >= 0 ? s->feature_names[s->worst] : NULL);
    qr_json_key(j, "worst_availability");
    double w = qr_scorecard_worst_availability(s);
    if (isfinite(w))
        qr_json_number(j, w);
    else
        qr_json_null(j);
    qr_json_key(j, "shortfall_min_per_year");
    double g = qr_plan_shortfall(r, s, NULL);
    if (isfinite(g))
        qr_json_number(j, g);
    else
        qr_json_null(j);
    qr_json_key(j, "features");
    qr_json_begin_array(j);
    for (int k = 0; k <= s->n_features; k++) {
        qr_json_begin_object(j);
        qr_json_key(j, "name");
        qr_json_string(j, s->feature_names[k]);
        qr_json_key(j, "target");
        if (k < s->n_features && qr_plan_row_target(r, s, k) > 0)
            qr_json_number(j, qr_plan_row_target(r, s, k));
        else
            qr_json_null(j);
        qr_json_key(j, "paper_availability");
        if (s->have_paper)
            qr_json_number(j, s->paper[k]);
        else
            qr_json_null(j);
        qr_json_key(j, "operation");
        if (s->have_operation) {
            qr_json_begin_object(j);
            qr_report_json_interval(j, "availability", s->operation.f[k].availability);
            qr_report_json_interval(j, "downtime_min_per_year",
                                    s->operation.f[k].downtime_min_year);
            qr_json_end_object(j);
        } else {
            qr_json_null(j);
        }
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_end_object(j);
}

static char *render_json(const qr_requirements *r, const sim_run_options *ro, const qr_plan *p,
                         const char *yaml, const char *output, const qr_assumption_list *assumed)
{
    qr_json *j = qr_json_new();
    qr_report_json_begin(j, JSON_FORMAT_VERSION, "plan");
    qr_json_key(j, "requirements");
    qr_json_begin_object(j);
    qr_json_key(j, "file");
    qr_json_string(j, r->file);
    qr_json_key(j, "version");
    qr_json_string(j, qr_version_name(r->version));
    qr_json_key(j, "users");
    qr_json_int(j, r->users);
    qr_json_key(j, "front_ends_for_users");
    qr_json_int(j, qr_pool_frontends_for_users(r->users));
    qr_json_key(j, "allow_unsupported");
    qr_json_bool(j, r->allow_unsupported);
    qr_json_key(j, "sites");
    qr_json_int(j, r->sites);
    qr_json_key(j, "budget");
    if (isinf(r->budget))
        qr_json_null(j);
    else
        qr_json_number(j, r->budget);
    qr_json_key(j, "existing_sql_availability");
    if (r->existing_sql)
        qr_json_number(j, r->existing_sql_availability);
    else
        qr_json_null(j);
    qr_json_end_object(j);
    qr_json_key(j, "parameters");
    qr_json_begin_object(j);
    qr_json_key(j, "runs");
    qr_json_int(j, ro->runs);
    qr_json_key(j, "years");
    qr_json_number(j, ro->years);
    qr_json_key(j, "seed");
    qr_json_uint(j, (unsigned long long)ro->seed);
    qr_json_key(j, "server_cost");
    qr_json_number(j, r->server_cost);
    qr_json_key(j, "witness_cost");
    qr_json_number(j, r->witness_cost);
    qr_cost_rules rules;
    qr_requirements_cost_rules(r, &rules);
    qr_json_key(j, "cost_unit");
    qr_json_string(j, qr_cost_rules_relative(&rules) ? "server-equivalents"
                                                     : "server-cost currency");
    qr_json_end_object(j);
    qr_json_key(j, "candidates");
    qr_json_begin_array(j);
    for (int i = 0; i < p->cands.n; i++)
        json_candidate(j, p, r, i);
    qr_json_end_array(j);
    qr_json_key(j, "refused");
    qr_json_begin_array(j);
    for (int k = 0; k < p->cands.n_dropped; k++) {
        qr_json_begin_object(j);
        qr_json_key(j, "label");
        qr_json_string(j, p->cands.dropped[k].label);
        qr_json_key(j, "reason");
        qr_json_string(j, p->cands.dropped[k].reason);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_key(j, "pareto_front");
    qr_json_begin_array(j);
    for (int k = 0; k < p->n_front; k++)
        qr_json_string(j, p->cards[p->front[k]].label);
    qr_json_end_array(j);
    qr_json_key(j, "recommended");
    qr_json_string(j, p->winner >= 0 ? p->cards[p->winner].label : NULL);
    qr_json_key(j, "meets_requirements");
    qr_json_bool(j, p->meets);
    qr_json_key(j, "explanation");
    qr_json_string(j, p->explanation);
    qr_json_key(j, "design_file");
    qr_json_string(j, output);
    qr_json_key(j, "design_yaml");
    qr_json_string(j, yaml);
    qr_report_assumptions_json(j, assumed);
    qr_json_end_object(j);
    return qr_json_finish(j);
}

/* ---- the design file ---- */

/* The recommended design as topology text with a comment header; checked
 * by loading it back. Returns 0, 2 on OOM or a design quorate refuses
 * (reported). */
static int design_text(const qr_requirements *r, const qr_plan *p, char **out)
{
    *out = NULL;
    const qr_plan_candidate *c = &p->cands.items[p->winner];
    char err[256];
    char *body = NULL;
    if (qr_topology_write(c->topo, &body, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate plan: %s\n", err);
        return 2;
    }
    const qr_scorecard *s = &p->cards[p->winner];
    const char *fmt = "# %s: written by `quorate plan %s`.\n"
                      "# %s; %s; cost %.2f/yr.\n";
    int need = snprintf(NULL, 0, fmt, s->label, r->file, s->notation,
                        p->meets ? "meets every target" : "best available, misses a target",
                        s->cost.total);
    char *text = need < 0 ? NULL : malloc((size_t)need + strlen(body) + 1);
    if (!text) {
        free(body);
        fputs("quorate plan: out of memory\n", stderr);
        return 2;
    }
    snprintf(text, (size_t)need + 1, fmt, s->label, r->file, s->notation,
             p->meets ? "meets every target" : "best available, misses a target",
             s->cost.total);
    strcat(text, body);
    free(body);

    /* Load it back and check it: the file must pass `quorate check`. */
    qr_diags d;
    qr_topology *t = NULL;
    int ret = 0;
    if (qr_diags_init(&d, c->label) != 0) {
        free(text);
        return 2;
    }
    int rc = qr_topology_load_buffer(c->label, text, strlen(text), &t, &d);
    if (rc == 0)
        qr_rules_check(t, &d);
    if (rc != 0 || d.n_errors > 0) {
        fputs("quorate plan: internal error: the recommended design does not pass "
              "`quorate check`:\n",
              stderr);
        qr_diags_sort(&d);
        qr_report_diags_text(stderr, &d);
        ret = 2;
    }
    qr_topology_free(t);
    qr_diags_release(&d);
    if (ret != 0) {
        free(text);
        return ret;
    }
    *out = text;
    return 0;
}

static int write_file(const char *path, const char *text)
{
    char err[512];
    if (qr_file_write_data(path, text, strlen(text), err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate plan: %s\n", err);
        return 2;
    }
    return 0;
}

int cmd_plan(int argc, char **argv)
{
    plan_options o;
    qr_requirements r;
    qr_diags d;
    qr_plan plan;
    qr_assumptions *assume = NULL;
    qr_assumption_list assumed;
    bool have_assumed = false;
    char *yaml = NULL, *doc = NULL;
    int ret = 2;
    memset(&plan, 0, sizeof(plan));
    memset(&assumed, 0, sizeof(assumed));
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    rc = qr_cli_load_assumptions(o.assume, &assume);
    if (rc != 0)
        return rc;
    if (qr_diags_init(&d, o.file) != 0) {
        fputs("quorate plan: out of memory\n", stderr);
        qr_assumptions_free(assume);
        return 2;
    }
    rc = qr_requirements_load_file(o.file, &r, &d);
    if (d.n > 0)
        qr_report_diags_text(stderr, &d);
    if (rc != 0) {
        ret = rc;
        goto cleanup;
    }
    r.assumptions = assume;
    sim_run_options ro;
    memset(&ro, 0, sizeof(ro));
    ro.runs = o.run.runs > 0 ? o.run.runs : r.runs;
    ro.years = o.run.years > 0 ? o.run.years : r.years;
    ro.seed = o.have_seed ? o.run.seed : r.seed;
    ro.threads = o.run.threads;
    ro.split = qr_mpi_split();
    if (qr_plan_run(&r, &ro, &plan) != 0)
        goto oom;
    /* The assumptions every candidate ran with: the recommended one's (any
     * candidate's when none was recommended; they share them). */
    if (plan.cands.n > 0) {
        const qr_plan_candidate *c = &plan.cands.items[plan.winner >= 0 ? plan.winner : 0];
        if (qr_assumption_list_make(c->topo, assume, false, &assumed) != 0)
            goto oom;
        have_assumed = true;
    }
    if (plan.winner >= 0) {
        rc = design_text(&r, &plan, &yaml);
        if (rc != 0) {
            ret = rc;
            goto cleanup;
        }
        if (o.output && write_file(o.output, yaml) != 0)
            goto cleanup;
    }
    if (o.json) {
        if (!(doc = render_json(&r, &ro, &plan, yaml, o.output, have_assumed ? &assumed : NULL)))
            goto oom;
        fputs(doc, stdout);
        fputc('\n', stdout);
    } else {
        print_text(stdout, &r, &ro, &plan, yaml, o.output, have_assumed ? &assumed : NULL);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quorate plan: cannot write the output: %s\n", strerror(errno));
        goto cleanup;
    }
    ret = plan.meets ? 0 : 1;
    goto cleanup;
oom:
    fputs("quorate plan: out of memory\n", stderr);
    ret = 2;
cleanup:
    free(doc);
    free(yaml);
    qr_plan_release(&plan);
    qr_requirements_release(&r);
    qr_diags_release(&d);
    qr_assumption_list_release(&assumed);
    qr_assumptions_free(assume);
    return ret;
}
