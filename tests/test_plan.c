/*
 * test_plan.c: the planner (src/plan/plan.h) and the topology writer
 * (src/model/topology_write.h): front ends from users (SFB-CAP), the
 * requirements loader's values and its file:line:col errors, candidate
 * generation counts per requirement (field templates and variants, the
 * ones `quorate check` refuses), the field notation of the templates, the
 * Pareto front and the choice rule on hand-made points, a small plan end
 * to end, bad requirement inputs, and write -> load -> the same structure
 * for every candidate, every bundled design and a topology using every form
 * the writer knows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/assumptions.h"
#include "model/loader.h"
#include "plan/plan.h"
#include "check/rules.h"
#include "model/topology_write.h"
#include "model/units.h"

/* ---- helpers ---- */

static void load_req(const char *text, qr_requirements *r, int want_rc, qr_diags *d)
{
    assert_int_equal(qr_diags_init(d, "req.yaml"), 0);
    int rc = qr_requirements_load_buffer("req.yaml", text, strlen(text), r, d);
    if (rc != want_rc)
        for (size_t i = 0; i < d->n; i++)
            fprintf(stderr, "%d:%d: %s [%s]\n", d->items[i].loc.line, d->items[i].loc.col,
                    d->items[i].message, d->items[i].rule);
    assert_int_equal(rc, want_rc);
}

/* True when some diagnostic has this rule, position and message part. */
static bool has_diag(const qr_diags *d, const char *rule, int line, int col, const char *part)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->items[i].rule, rule) == 0 && d->items[i].loc.line == line &&
            d->items[i].loc.col == col && strstr(d->items[i].message, part))
            return true;
    return false;
}

static void generate(const char *text, qr_plan_candidates *c)
{
    qr_requirements r;
    qr_diags d;
    load_req(text, &r, 0, &d);
    assert_int_equal(qr_plan_candidates_generate(&r, c), 0);
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

static const qr_plan_candidate *find(const qr_plan_candidates *c, const char *label)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->items[i].label, label) == 0)
            return &c->items[i];
    fail_msg("no candidate '%s'", label);
    return NULL;
}

/* ---- sizing ---- */

static void test_plan_frontends_from_users(void **state)
{
    (void)state;
    /* SFB-CAP: one per 6,660 users plus one in reserve; "30,000
     * users -> 6 FEs, not 5". */
    assert_int_equal(qr_pool_frontends_for_users(0), 0);
    assert_int_equal(qr_pool_frontends_for_users(1), 2);
    assert_int_equal(qr_pool_frontends_for_users(6660), 2);
    assert_int_equal(qr_pool_frontends_for_users(6661), 3);
    assert_int_equal(qr_pool_frontends_for_users(30000), 6);
    assert_int_equal(qr_pool_frontends_for_users(73260), 12);
    qr_requirements r;
    qr_requirements_init(&r);
    assert_int_equal(qr_requirements_frontends(&r), 2); /* no users: at least 2 */
    r.users = 20000;
    assert_int_equal(qr_requirements_frontends(&r), 5);
    qr_requirements_release(&r);
}

/* ---- the requirements file ---- */

static void test_plan_requirements_every_key(void **state)
{
    (void)state;
    qr_requirements r;
    qr_diags d;
    load_req("targets: { default: 99.9%, conferencing: 99.99% }\n"
             "users: 20000\n"
             "sites: 2\n"
             "budget: 7.5\n"
             "existing_sql_ha: { availability: 99.95% }\n"
             "version: sfb2019\n"
             "server: { mtbf: 1y, mttr: 8h }\n"
             "site: { mtbf: 20y, mttr: 2d }\n"
             "link: { mtbf: 2y, mttr: 1h }\n"
             "quorum_reset_after: 2m\n"
             "costs: { server: 2, witness: 0.5 }\n"
             "simulation: { runs: 7, years: 3, seed: 42 }\n",
             &r, 0, &d);
    assert_true(fabs(r.target[3] - 0.9999) < 1e-12);  /* conferencing */
    assert_true(fabs(r.target[0] - 0.999) < 1e-12);   /* signin_im: default */
    assert_true(fabs(r.target[5] - 0.999) < 1e-12);
    assert_int_equal(r.target_loc[3].line, 1);
    assert_int_equal(r.users, 20000);
    assert_int_equal(r.sites, 2);
    assert_true(r.budget == 7.5);
    assert_true(r.existing_sql);
    assert_true(fabs(r.existing_sql_availability - 0.9995) < 1e-12);
    assert_int_equal(r.version, QR_VERSION_SFB2019);
    assert_true(r.server_failure.mean == QR_UNITS_YEAR);
    assert_true(r.server_repair.mean == 8 * 3600.0);
    assert_true(r.site_failure.mean == 20 * QR_UNITS_YEAR);
    assert_true(r.site_repair.mean == 2 * 86400.0);
    assert_true(r.link_failure.mean == 2 * QR_UNITS_YEAR);
    assert_true(r.link_repair.mean == 3600.0);
    assert_true(r.quorum_reset_after == 120.0);
    assert_true(r.server_cost == 2 && r.witness_cost == 0.5);
    assert_int_equal(r.runs, 7);
    assert_true(r.years == 3);
    assert_int_equal(r.seed, 42);
    qr_requirements_release(&r);
    qr_diags_release(&d);

    /* Defaults: no target for features left out without `default`. */
    load_req("targets: { presence: 99.9% }\n", &r, 0, &d);
    assert_true(r.target[0] == 0 && r.target[1] > 0);
    assert_int_equal(r.sites, 1);
    assert_true(isinf(r.budget));
    assert_false(r.existing_sql);
    assert_int_equal(r.version, QR_VERSION_SFB2015);
    assert_true(r.server_failure.mean == 6 * QR_UNITS_MONTH); /* loader's template */
    assert_int_equal(r.runs, 200);
    assert_true(r.server_cost == 1 && r.witness_cost == 0.25);
    qr_requirements_release(&r);
    qr_diags_release(&d);

    /* costs.server in money: the witness defaults to a quarter of it, as
     * compare's --witness-cost does (issue 13), and the rules are compare's. */
    load_req("targets: { presence: 99.9% }\ncosts: { server: 4000 }\n", &r, 0, &d);
    assert_true(r.server_cost == 4000 && r.witness_cost == 1000);
    qr_cost_rules rules;
    qr_requirements_cost_rules(&r, &rules);
    assert_true(rules.server_cost == 4000 && rules.witness_cost == 1000 &&
                rules.host_cost == 4000);
    assert_false(qr_cost_rules_relative(&rules));
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

static void test_plan_requirements_errors_have_positions(void **state)
{
    (void)state;
    qr_requirements r;
    qr_diags d;
    load_req("tagrets: { default: 99.9% }\n"
             "users: 5000\n"
             "sites: 3\n"
             "budget: cheap\n"
             "simulation: { runs: 0, yaers: 2 }\n",
             &r, 1, &d);
    assert_true(has_diag(&d, "P002", 1, 1, "did you mean 'targets'"));
    assert_true(has_diag(&d, "P005", 1, 1, "missing required key 'targets'"));
    assert_true(has_diag(&d, "P004", 3, 8, "'sites'"));
    assert_true(has_diag(&d, "P004", 4, 9, "'budget'"));
    assert_true(has_diag(&d, "P004", 5, 21, "'runs'"));
    assert_true(has_diag(&d, "P002", 5, 24, "did you mean 'years'"));
    qr_requirements_release(&r);
    qr_diags_release(&d);

    load_req("targets: { conferencing: 100%, presense: 99% }\n"
             "users: 80000\n"
             "existing_sql_ha: { }\n",
             &r, 1, &d);
    assert_true(has_diag(&d, "P004", 1, 26, "percentage"));
    assert_true(has_diag(&d, "P002", 1, 32, "did you mean 'presence'"));
    /* 80,000 users need 14 front ends: more than one sfb2015 pool has. */
    assert_true(has_diag(&d, "P004", 2, 8, "14 front ends"));
    assert_true(has_diag(&d, "P005", 3, 1, "'availability'"));
    qr_requirements_release(&r);
    qr_diags_release(&d);

    load_req("", &r, 1, &d);
    assert_true(d.n_errors > 0);
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

/* ---- candidates ---- */

static void test_plan_candidates_counts(void **state)
{
    (void)state;
    qr_plan_candidates c;
    /* Two users-free families x 2 sizes x 3 back ends x 2 file stores. */
    generate("targets: { default: 99.9% }\n", &c);
    assert_int_equal(c.n_generated, 24);
    assert_int_equal(c.n, 24);
    assert_int_equal(c.n_dropped, 0);
    qr_plan_candidates_release(&c);

    /* 10,000 users need 3 front ends: no 2-server design. */
    generate("targets: { default: 99.9% }\nusers: 10000\n", &c);
    assert_int_equal(c.n, 18);
    for (int i = 0; i < c.n; i++)
        assert_true(c.items[i].n_frontends >= 3);
    qr_plan_candidates_release(&c);

    /* Two sites: combined split (12), dedicated in two placements (24),
     * two paired pools of 3 and 4 front ends with mirroring or AlwaysOn
     * (4). */
    generate("targets: { default: 99.9% }\nsites: 2\n", &c);
    assert_int_equal(c.n, 40);
    qr_plan_candidates_release(&c);

    /* Existing SQL HA: the back end is only ever external. */
    generate("targets: { default: 99.9% }\nexisting_sql_ha: { availability: 99.9% }\n", &c);
    assert_int_equal(c.n, 8);
    for (int i = 0; i < c.n; i++)
        assert_int_equal(c.items[i].topo->pool.backend.kind, QR_BACKEND_EXTERNAL);
    qr_plan_candidates_release(&c);

    /* sfb2019: every 2-front-end design (FE002) and every mirrored one
     * (BE006) is refused by the rules, with the reason. */
    generate("targets: { default: 99.9% }\nversion: sfb2019\n", &c);
    assert_int_equal(c.n_generated, 24);
    assert_int_equal(c.n_dropped, 16); /* 12 with two FEs, 4 mirrored with three */
    assert_int_equal(c.n, 8);
    for (int i = 0; i < c.n_dropped; i++)
        assert_true(strstr(c.dropped[i].reason, "[FE002]") ||
                    strstr(c.dropped[i].reason, "[BE006]"));
    qr_plan_candidates_release(&c);
}

static void test_plan_candidates_fe_count_from_users(void **state)
{
    (void)state;
    qr_plan_candidates c;
    generate("targets: { default: 99.9% }\nusers: 20000\n", &c);
    assert_int_equal(c.n, 12); /* fe5 and fe6 x 3 back ends x 2 stores */
    for (int i = 0; i < c.n; i++) {
        const qr_topology *t = c.items[i].topo;
        assert_int_equal(c.items[i].family, QR_PLAN_DEDICATED);
        assert_true(t->pool.n_frontends == 5 || t->pool.n_frontends == 6);
        assert_int_equal(t->pool.n_frontends, c.items[i].n_frontends);
        assert_int_equal(t->pool.users, 20000);
    }
    qr_plan_candidates_release(&c);
}

static void test_plan_candidates_are_the_field_templates(void **state)
{
    (void)state;
    qr_plan_candidates c;
    char buf[16];
    generate("targets: { default: 99.9% }\nserver: { mtbf: 1y, mttr: 2h }\n", &c);
    /* The field write-up's designs: 2.x, 3.0, 4.x, 5.x. */
    const qr_plan_candidate *x2 = find(&c, "combined2-mirror-dfs");
    assert_string_equal(qr_topology_notation(x2->topo, buf, sizeof(buf)), "2.x");
    assert_int_equal(x2->topo->pool.backend.principal, x2->topo->pool.frontends[0]);
    int w = x2->topo->pool.backend.witness;
    assert_string_equal(x2->topo->comps[w].name, "sqlw");
    const qr_plan_candidate *t30 = find(&c, "combined3-mirror-dfs");
    assert_string_equal(qr_topology_notation(t30->topo, buf, sizeof(buf)), "3.0");
    assert_int_equal(t30->topo->pool.backend.witness, t30->topo->pool.frontends[2]);
    const qr_plan_candidate *x4 = find(&c, "fe2-mirror-dfs");
    assert_string_equal(qr_topology_notation(x4->topo, buf, sizeof(buf)), "4.x");
    const qr_plan_candidate *x5 = find(&c, "fe3-mirror-dfs");
    assert_string_equal(qr_topology_notation(x5->topo, buf, sizeof(buf)), "5.x");
    /* The file store on the SQL servers, as the 5.x template has it. */
    const qr_topology *t = x5->topo;
    assert_string_equal(t->comps[t->pool.file_store.replicas[0]].name, "sql1");
    assert_string_equal(t->comps[t->pool.file_store.replicas[1]].name, "sql2");
    /* The requirements' failure figures replace the loader's template. */
    int s = qr_topology_find(t, "fe1");
    assert_true(t->comps[s].failure.mean == QR_UNITS_YEAR);
    assert_true(t->comps[s].repair.mean == 7200.0);
    assert_true(t->comps[s].patch.enabled); /* the template's patch nights */
    /* AlwaysOn: a two-node cluster with a file share witness (M4.6). */
    const qr_plan_candidate *ao = find(&c, "fe3-alwayson-share");
    t = ao->topo;
    assert_int_equal(t->n_clusters, 1);
    assert_int_equal(t->clusters[0].witness_kind, QR_WITNESS_FILE_SHARE);
    assert_string_equal(t->comps[t->clusters[0].witness].name, "fsw");
    assert_int_equal(t->pool.file_store.kind, QR_FILE_STORE_SHARE);
    qr_plan_candidates_release(&c);

    /* Two sites: the witness in the third site, SQL partners apart. */
    generate("targets: { default: 99.9% }\nsites: 2\n", &c);
    t = find(&c, "fe2-mirror-dfs-fe-dc1")->topo;
    assert_string_equal(t->comps[t->comps[qr_topology_find(t, "sqlw")].site].name, "dc3");
    assert_string_equal(t->comps[t->comps[qr_topology_find(t, "sql2")].site].name, "dc2");
    assert_string_equal(t->comps[t->comps[qr_topology_find(t, "fe2")].site].name, "dc1");
    assert_int_not_equal(qr_topology_find_kind(t, QR_COMP_LINK, "dc1-dc3"), -1);
    t = find(&c, "fe3-mirror-dfs-split")->topo;
    assert_string_equal(t->comps[t->comps[qr_topology_find(t, "fe3")].site].name, "dc2");
    qr_plan_candidates_release(&c);
}

/* ---- Pareto front and choice ---- */

static void test_plan_pareto_hand_made(void **state)
{
    (void)state;
    /* cost, availability: a (1, .99) b (2, .999) c (2, .995) dominated by b,
     * d (3, .999) dominated by b (same availability, dearer), e (4, .9999),
     * f NAN, g (1, .99) equal to a: both stay. */
    double cost[] = { 1, 2, 2, 3, 4, 5, 1 };
    double avail[] = { .99, .999, .995, .999, .9999, NAN, .99 };
    char on[7];
    qr_plan_pareto(cost, avail, 7, on);
    char want[7] = { 1, 1, 0, 0, 1, 0, 1 };
    assert_memory_equal(on, want, 7);
    qr_plan_pareto(cost, avail, 1, on);
    assert_int_equal(on[0], 1);
}

/* A scorecard with operation values: every feature's availability a with
 * a CI of +-h, cost c. */
static void fake_card(qr_scorecard *s, double cost, const double *a, double h)
{
    memset(s, 0, sizeof(*s));
    s->n_features = QR_DEFAULT_FEATURE_COUNT;
    s->have_operation = true;
    s->operation.n = QR_DEFAULT_FEATURE_COUNT + 1;
    s->operation.f = calloc(QR_DEFAULT_FEATURE_COUNT + 1, sizeof(sim_feature_summary));
    assert_non_null(s->operation.f);
    s->worst = 0;
    for (int k = 0; k <= QR_DEFAULT_FEATURE_COUNT; k++) {
        double v = a[k < QR_DEFAULT_FEATURE_COUNT ? k : 0];
        s->operation.f[k].availability = (sim_stat){ v, h, v - h, v + h };
        if (k < QR_DEFAULT_FEATURE_COUNT && v < a[s->worst])
            s->worst = k;
    }
    s->cost.total = cost;
}

static void test_plan_choose_rule(void **state)
{
    (void)state;
    qr_requirements r;
    qr_requirements_init(&r);
    r.target[3] = 0.9999; /* conferencing only */
    double miss[6] = { .99999, .99999, .99999, .9998, .99999, .99999 };
    double edge[6] = { .99999, .99999, .99999, .99992, .99999, .99999 };
    double good[6] = { .99999, .99999, .99999, .99995, .99999, .99999 };
    double best[6] = { .99999, .99999, .99999, .99999, .99999, .99999 };
    qr_scorecard cards[5];
    fake_card(&cards[0], 2.0, miss, 1e-6);  /* cheapest, misses           */
    fake_card(&cards[1], 3.0, edge, 5e-5);  /* mean meets, CI low misses  */
    fake_card(&cards[2], 4.0, good, 1e-6);  /* meets                      */
    fake_card(&cards[3], 4.0, best, 1e-6);  /* meets, same cost, better   */
    fake_card(&cards[4], 9.0, best, 1e-6);  /* meets, dear                */
    bool meets;
    /* The CI lower bound decides: card 1's mean is above the target. */
    assert_int_equal(qr_plan_choose(&r, cards, 5, &meets), 3);
    assert_true(meets);
    int k;
    assert_true(qr_plan_shortfall(&r, &cards[1], &k) > 0);
    assert_int_equal(k, 3);
    assert_true(qr_plan_shortfall(&r, &cards[3], NULL) <= 0);
    /* Within the budget only. */
    r.budget = 3.5;
    assert_int_equal(qr_plan_choose(&r, cards, 5, &meets), 1);
    assert_false(meets); /* none meets within 3.5: the closest, card 1 */
    r.budget = 1.0;       /* nothing within: the closest of all          */
    assert_int_equal(qr_plan_choose(&r, cards, 5, &meets), 3);
    assert_false(meets);
    /* No target at all: every design meets; the cheapest wins. */
    r.budget = INFINITY;
    r.target[3] = 0;
    assert_int_equal(qr_plan_choose(&r, cards, 5, &meets), 0);
    assert_true(meets);
    /* Few outages observed: the paper value bounds the CI (a short run
     * that never met a rare failure does not pass on luck). */
    r.target[3] = 0.9999;
    double paper[7] = { .99999, .99999, .99999, .9990, .99999, .99999, .9990 };
    cards[3].paper = paper;
    cards[3].have_paper = true;
    cards[3].operation.f[3].outages_observed = 3;
    assert_true(qr_plan_shortfall(&r, &cards[3], NULL) > 0);
    assert_int_equal(qr_plan_choose(&r, cards, 5, &meets), 2);
    cards[3].operation.f[3].outages_observed = SIM_FEW_OUTAGES; /* enough: the CI */
    assert_true(qr_plan_shortfall(&r, &cards[3], NULL) <= 0);
    cards[3].paper = NULL;
    cards[3].have_paper = false;
    r.target[3] = 0;
    /* Nothing simulated: no choice. */
    cards[0].have_operation = false;
    assert_int_equal(qr_plan_choose(&r, cards, 1, &meets), -1);
    cards[0].have_operation = true;
    for (int i = 0; i < 5; i++)
        qr_scorecard_release(&cards[i]);
    qr_requirements_release(&r);
}

static void test_plan_run_small(void **state)
{
    (void)state;
    qr_requirements r;
    qr_diags d;
    load_req("targets: { conferencing: 99.99% }\nusers: 5000\nbudget: 4\n", &r, 0, &d);
    sim_run_options ro = { .years = 1, .runs = 4, .seed = 1, .threads = 1 };
    qr_plan p;
    assert_int_equal(qr_plan_run(&r, &ro, &p), 0);
    assert_int_equal(p.cands.n, 24);
    assert_true(p.n_simulated > 0 && p.n_simulated <= p.cands.n);
    assert_true(p.winner >= 0);
    const qr_scorecard *w = &p.cards[p.winner];
    assert_true(w->have_operation);
    if (p.meets) {
        assert_true(w->cost.total <= 4);
        assert_true(qr_plan_shortfall(&r, w, NULL) <= 0);
        /* No simulated design within the budget that meets is cheaper. */
        for (int i = 0; i < p.cands.n; i++)
            if (p.cards[i].have_operation && p.cards[i].cost.total < w->cost.total - 1e-9)
                assert_true(qr_plan_shortfall(&r, &p.cards[i], NULL) > 0);
    }
    /* The front is sorted by cost and nobody dominates a point on it. */
    assert_true(p.n_front > 0);
    for (int k = 0; k < p.n_front; k++) {
        int i = p.front[k];
        assert_true(p.on_front[i]);
        if (k > 0)
            assert_true(p.cards[p.front[k - 1]].cost.total <= p.cards[i].cost.total);
        for (int j = 0; j < p.cands.n; j++) {
            if (!p.cards[j].have_operation || j == i)
                continue;
            double aj = qr_scorecard_worst_availability(&p.cards[j]);
            double ai = qr_scorecard_worst_availability(&p.cards[i]);
            assert_false(p.cards[j].cost.total <= p.cards[i].cost.total && aj >= ai &&
                         (p.cards[j].cost.total < p.cards[i].cost.total || aj > ai));
        }
    }
    /* Every candidate is priced by compare's cost function under the
     * requirements' rules: full servers 1, witness-only parts 0.25. */
    qr_cost_rules rules;
    qr_requirements_cost_rules(&r, &rules);
    for (int i = 0; i < p.cands.n; i++) {
        qr_design_cost c;
        assert_int_equal(qr_scorecard_cost(p.cands.items[i].topo, &rules, &c), 0);
        assert_true(c.total == p.cards[i].cost.total);
        assert_true(c.total == c.full_servers + 0.25 * c.witness_parts);
        assert_int_equal(c.unit, QR_COST_UNIT_SERVERS);
    }
    /* The explanation states the rule and names the winner. */
    assert_non_null(strstr(p.explanation, "Rule: the cheapest design"));
    assert_non_null(strstr(p.explanation, w->label));
    qr_plan_release(&p);
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

/* Issue 10, item 5: with two sites the paired-pool candidates (M10): two
 * pools, one per site, each of 3+ front ends sized for both pools' users
 * (ceil(users / 6660) + 1, PP007), its own HA Back End and DFS in its own
 * site; the pairing rules and every other rule pass with no finding of a
 * configuration Microsoft does not support. The stretched candidates are
 * flagged unsupported (ST002, FS003, qr_rules_unsupported), and the plan
 * never recommends one unless allow_unsupported: true, which it then says
 * in words. */
static void test_plan_two_sites_paired(void **state)
{
    (void)state;
    qr_plan_candidates c;
    generate("targets: { default: 99.9% }\nsites: 2\nusers: 20000\n", &c);
    int paired = 0, stretched_flagged = 0;
    for (int i = 0; i < c.n; i++) {
        const qr_plan_candidate *x = &c.items[i];
        const qr_topology *t = x->topo;
        if (x->placement != QR_PLAN_PAIRED) {
            if (strstr(x->label, "split"))
                stretched_flagged += x->n_unsupported > 0;
            continue;
        }
        paired++;
        assert_int_equal(t->n_pools, 2);
        assert_int_equal(x->n_unsupported, 0);
        assert_int_equal(x->n_warnings, 0);
        assert_int_equal(t->pools[0].paired_with, 1);
        assert_int_equal(t->pools[1].paired_with, 0);
        assert_true(t->pools[0].cms && !t->pools[1].cms);
        assert_int_not_equal(t->pools[0].site, t->pools[1].site);
        assert_int_equal(t->pools[0].pool.users + t->pools[1].pool.users, 20000);
        /* 20,000 users of both pools: ceil(20000 / 6660) + 1 = 5. */
        assert_true(x->n_frontends == 5 || x->n_frontends == 6);
        for (int p = 0; p < 2; p++) {
            const qr_pool *q = &t->pools[p].pool;
            assert_int_equal(q->n_frontends, x->n_frontends);
            for (int k = 0; k < q->n_frontends; k++)
                assert_int_equal(t->comps[q->frontends[k]].site, t->pools[p].site);
            assert_true(q->backend.kind == QR_BACKEND_MIRRORING ||
                        q->backend.kind == QR_BACKEND_ALWAYSON);
            assert_int_equal(q->file_store.kind, QR_FILE_STORE_DFS);
            for (int k = 0; k < q->file_store.n_replicas; k++)
                assert_int_equal(t->comps[q->file_store.replicas[k]].site, t->pools[p].site);
        }
        /* Each pool's users' rows (M10). */
        assert_int_equal(t->n_features, 3 * QR_DEFAULT_FEATURE_COUNT);
    }
    assert_int_equal(paired, 4);
    assert_true(stretched_flagged > 0);
    qr_plan_candidates_release(&c);

    /* The plan recommends a paired design; every unsupported candidate is
     * left out and never simulated. */
    qr_requirements r;
    qr_diags d;
    load_req("targets: { default: 99.99% }\nsites: 2\nusers: 12000\n", &r, 0, &d);
    sim_run_options ro = { .years = 2, .runs = 8, .seed = 1, .threads = 1 };
    qr_plan p;
    assert_int_equal(qr_plan_run(&r, &ro, &p), 0);
    assert_true(p.winner >= 0);
    assert_int_equal(p.cands.items[p.winner].placement, QR_PLAN_PAIRED);
    assert_int_equal(p.cands.items[p.winner].n_unsupported, 0);
    for (int i = 0; i < p.cands.n; i++)
        if (p.cands.items[i].n_unsupported > 0) {
            assert_int_equal(p.status[i], QR_PLAN_UNSUPPORTED);
            assert_false(p.cards[i].have_operation);
        }
    assert_non_null(strstr(p.explanation, "left out because Microsoft does not support"));
    assert_null(strstr(p.explanation, "WARNING: Microsoft does not support this design"));
    qr_plan_release(&p);
    qr_requirements_release(&r);
    qr_diags_release(&d);

    /* allow_unsupported: a cheap stretched design wins, and says so. */
    load_req("targets: { default: 99.9% }\nsites: 2\nallow_unsupported: true\n", &r, 0, &d);
    assert_true(r.allow_unsupported);
    assert_int_equal(qr_plan_run(&r, &ro, &p), 0);
    assert_true(p.winner >= 0);
    assert_true(p.cands.items[p.winner].n_unsupported > 0);
    assert_non_null(strstr(p.explanation, "WARNING: Microsoft does not support this design"));
    assert_non_null(strstr(p.explanation, "allow_unsupported: true"));
    qr_plan_release(&p);
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

/* ---- the writer ---- */

static void test_plan_write_duration(void **state)
{
    (void)state;
    char buf[48];
    assert_string_equal(qr_topology_write_duration(6 * QR_UNITS_MONTH, buf, sizeof(buf)), "6mo");
    assert_string_equal(qr_topology_write_duration(QR_UNITS_YEAR, buf, sizeof(buf)), "1y");
    assert_string_equal(qr_topology_write_duration(900, buf, sizeof(buf)), "15m");
    assert_string_equal(qr_topology_write_duration(7196400, buf, sizeof(buf)), "1999h");
    assert_string_equal(qr_topology_write_duration(14 * 86400.0, buf, sizeof(buf)), "2w");
    assert_string_equal(qr_topology_write_duration(0.25, buf, sizeof(buf)), "0.25s");
    assert_string_equal(qr_topology_write_duration(INFINITY, buf, sizeof(buf)), "never");
    /* Whatever the value, it parses back to the same double. */
    double odd[] = { 1.0 / 3.0, 7196400.0000007935, 1e-3, 123456.789, 3 * QR_UNITS_YEAR };
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        double back;
        const char *reason;
        qr_topology_write_duration(odd[i], buf, sizeof(buf));
        assert_int_equal(qr_units_duration(buf, &back, &reason), 0);
        assert_true(back == odd[i]);
    }
}

static bool same_dist(const qr_dist *a, const qr_dist *b)
{
    return a->kind == b->kind && (a->mean == b->mean) &&
           (a->kind == QR_DIST_EXPONENTIAL || a->kind == QR_DIST_FIXED || a->shape == b->shape);
}

/* Component and cluster indices may differ (cloud witnesses and the
 * external service move): compare by name. */
static int same_comp(const qr_topology *a, int i, const qr_topology *b)
{
    if (i < 0)
        return -1;
    return qr_topology_find(b, a->comps[i].name);
}

static void assert_same_ids(const qr_topology *a, const int *x, const qr_topology *b,
                            const int *y, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(same_comp(a, x[i], b), y[i]);
}

static void assert_same_pool(const qr_topology *a, const qr_pool *p, const qr_topology *b,
                             const qr_pool *q);

static void assert_same_topology(const qr_topology *a, const qr_topology *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->n_comps, b->n_comps);
    for (int i = 0; i < a->n_comps; i++) {
        const qr_component *x = &a->comps[i];
        int j = qr_topology_find(b, x->name);
        assert_true(j >= 0);
        const qr_component *y = &b->comps[j];
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(same_comp(a, x->site, b), y->site);
        assert_int_equal(same_comp(a, x->host, b), y->host);
        assert_int_equal(same_comp(a, x->link_a, b), y->link_a);
        assert_int_equal(same_comp(a, x->link_b, b), y->link_b);
        assert_true(same_dist(&x->failure, &y->failure));
        assert_true(same_dist(&x->repair, &y->repair));
        assert_true(x->cost == y->cost);
        assert_int_equal(x->capacity, y->capacity); /* M0.4 */
        assert_int_equal(x->patch.enabled, y->patch.enabled);
        if (x->patch.enabled)
            assert_true(x->patch.every == y->patch.every && x->patch.reboot == y->patch.reboot);
    }
    assert_int_equal(a->n_clusters, b->n_clusters);
    for (int k = 0; k < a->n_clusters; k++) {
        const qr_cluster *x = &a->clusters[k], *y = &b->clusters[k];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->n_nodes, y->n_nodes);
        assert_same_ids(a, x->nodes, b, y->nodes, x->n_nodes);
        assert_memory_equal(x->weight, y->weight, (size_t)x->n_nodes * sizeof(int));
        assert_int_equal(x->witness_kind, y->witness_kind);
        assert_int_equal(same_comp(a, x->witness, b), y->witness);
        assert_int_equal(x->witness_on_dfs, y->witness_on_dfs);
        assert_int_equal(x->windows, y->windows);
        assert_int_equal(x->dynamic_quorum, y->dynamic_quorum);
        assert_int_equal(x->dynamic_witness, y->dynamic_witness);
        assert_int_equal(x->lowest_priority, y->lowest_priority);
        assert_true(x->quorum_adjust_delay == y->quorum_adjust_delay);
    }
    assert_same_pool(a, &a->pool, b, &b->pool);
    /* Several pools (pools:, pairing:). */
    assert_int_equal(a->n_pools, b->n_pools);
    for (int i = 0; i < a->n_pools; i++) {
        const qr_pool_def *x = &a->pools[i], *y = &b->pools[i];
        assert_string_equal(x->name, y->name);
        assert_int_equal(same_comp(a, x->site, b), y->site);
        assert_int_equal(x->paired_with, y->paired_with);
        assert_int_equal(x->cms, y->cms);
        assert_int_equal(x->edition, y->edition);
        assert_int_equal(x->os, y->os);
        assert_same_pool(a, &x->pool, b, &y->pool);
    }
    if (a->n_pools > 0) {
        const qr_pairing *x = &a->pairing, *y = &b->pairing;
        assert_true(x->backup_lag == y->backup_lag && x->registrar_failover == y->registrar_failover &&
                    x->failover_after == y->failover_after && x->failover_time == y->failover_time &&
                    x->cms_failover_time == y->cms_failover_time &&
                    x->failback_after == y->failback_after && x->failback_time == y->failback_time);
        assert_int_equal(x->n_user_features, y->n_user_features);
    }
    assert_int_equal(a->n_features, b->n_features);
    for (int k = 0; k < a->n_features; k++) {
        int j = qr_topology_find_feature(b, a->features[k].name);
        assert_true(j >= 0);
        assert_int_equal(a->features[k].needs, b->features[j].needs);
    }
    assert_memory_equal(&a->params, &b->params, sizeof(a->params));
    /* virtualization (M0.4, M0.5, M7.6, M7.7) */
    const qr_virtualization *v = &a->virt, *u = &b->virt;
    assert_int_equal(v->ha, u->ha);
    assert_true(v->ha_restart == u->ha_restart && v->maint_every == u->maint_every &&
                v->maint_duration == u->maint_duration && v->maint_gap == u->maint_gap);
    assert_int_equal(v->live_migration, u->live_migration);
    assert_int_equal(v->failback, u->failback); /* M0.4 failback */
    assert_int_equal(v->failback_live, u->failback_live);
    assert_true(v->failback_after == u->failback_after);
    assert_int_equal(v->n_aa_groups, u->n_aa_groups);
    for (int k = 0; k < v->n_aa_groups; k++) {
        int n = v->aa_start[k + 1] - v->aa_start[k];
        assert_int_equal(n, u->aa_start[k + 1] - u->aa_start[k]);
        assert_same_ids(a, v->aa_members + v->aa_start[k], b, u->aa_members + u->aa_start[k], n);
    }
}

static void assert_same_pool(const qr_topology *a, const qr_pool *p, const qr_topology *b,
                             const qr_pool *q)
{
    assert_int_equal(p->version, q->version);
    assert_int_equal(p->n_frontends, q->n_frontends);
    assert_same_ids(a, p->frontends, b, q->frontends, p->n_frontends);
    assert_int_equal(p->routing_groups, q->routing_groups);
    assert_int_equal(p->users, q->users);
    const qr_backend *x = &p->backend, *y = &q->backend;
    assert_int_equal(x->kind, y->kind);
    assert_int_equal(same_comp(a, x->server, b), y->server);
    assert_int_equal(same_comp(a, x->principal, b), y->principal);
    assert_int_equal(same_comp(a, x->mirror, b), y->mirror);
    assert_int_equal(same_comp(a, x->witness, b), y->witness);
    assert_int_equal(x->cluster, y->cluster);
    assert_int_equal(x->n_replicas, y->n_replicas);
    assert_same_ids(a, x->replicas, b, y->replicas, x->n_replicas);
    assert_int_equal(same_comp(a, x->storage, b), y->storage);
    assert_int_equal(same_comp(a, x->external, b), y->external);
    assert_true(x->failover_time == y->failover_time && x->resync_time == y->resync_time &&
                x->resiliency_grace == y->resiliency_grace);
    const qr_file_store *f = &p->file_store, *g = &q->file_store;
    assert_int_equal(f->kind, g->kind);
    assert_int_equal(same_comp(a, f->server, b), g->server);
    assert_int_equal(f->n_replicas, g->n_replicas);
    assert_same_ids(a, f->replicas, b, g->replicas, f->n_replicas);
    assert_int_equal(f->cluster, g->cluster);
    assert_int_equal(same_comp(a, f->storage, b), g->storage);
    assert_true(f->failover_time == g->failover_time);
}

/* Write t, load the text, compare; the loaded design passes the rules
 * with no error when t does. */
static void round_trip(const qr_topology *t)
{
    char *text = NULL, err[256];
    assert_int_equal(qr_topology_write(t, &text, err, sizeof(err)), 0);
    qr_diags d;
    qr_topology *back = NULL;
    assert_int_equal(qr_diags_init(&d, "written.yaml"), 0);
    int rc = qr_topology_load_buffer("written.yaml", text, strlen(text), &back, &d);
    if (rc != 0) {
        fprintf(stderr, "%s\n", text);
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "%d:%d: %s\n", d.items[i].loc.line, d.items[i].loc.col,
                    d.items[i].message);
    }
    assert_int_equal(rc, 0);
    assert_same_topology(t, back);
    qr_topology_free(back);
    qr_diags_release(&d);
    free(text);
}

static void test_plan_writer_round_trips_candidates(void **state)
{
    (void)state;
    static const char *const reqs[] = {
        "targets: { default: 99.9% }\n",
        "targets: { default: 99.9% }\nsites: 2\nusers: 9000\n",
        "targets: { default: 99.9% }\nexisting_sql_ha: { availability: 99.95% }\nsites: 2\n",
    };
    for (size_t k = 0; k < sizeof(reqs) / sizeof(reqs[0]); k++) {
        qr_plan_candidates c;
        generate(reqs[k], &c);
        assert_true(c.n > 0);
        for (int i = 0; i < c.n; i++) {
            round_trip(c.items[i].topo);
            /* And the written design has no error in `quorate check`. */
            char *text = NULL, err[256];
            assert_int_equal(qr_topology_write(c.items[i].topo, &text, err, sizeof(err)), 0);
            qr_diags d;
            qr_topology *back = NULL;
            assert_int_equal(qr_diags_init(&d, "w.yaml"), 0);
            assert_int_equal(qr_topology_load_buffer("w.yaml", text, strlen(text), &back, &d), 0);
            qr_rules_check(back, &d);
            assert_int_equal(d.n_errors, 0);
            qr_topology_free(back);
            qr_diags_release(&d);
            free(text);
        }
        qr_plan_candidates_release(&c);
    }
}

static void test_plan_writer_round_trips_every_form(void **state)
{
    (void)state;
    /* Hosts, storage, Weibull and lognormal figures, costs, patch: none, a
     * cloud witness, a disk witness, node weights, FCI, a file-share
     * cluster, an overridden and an added feature, every timing changed, a
     * name that needs quoting. */
    static const char *const text =
        "name: \"odd: name, with # and 'quotes'\"\n"
        "notation: 2.x\n"
        "sites: [ { name: a, mtbf: 10y, mttr: 1d }, { name: b } ]\n"
        "hosts: [ { name: h1, site: a, cost: 2.5 } ]\n"
        "servers:\n"
        "  - { name: s1, host: h1, mtbf: { mean: 1y, distribution: weibull, shape: 1.5 } }\n"
        "  - { name: s2, site: b, mttr: { mean: 3h, distribution: lognormal, shape: 0.7 } }\n"
        "  - { name: s3, site: b, patch: none, mttr: { mean: 2h, distribution: fixed } }\n"
        "  - { name: s4, site: a, patch: { every: 14d, reboot: 20m }, cost: 3 }\n"
        "storage: [ { name: san, site: a }, { name: qdisk, site: b } ]\n"
        "links: [ { between: [a, b], name: ab, mtbf: 2y } ]\n"
        "clusters:\n"
        "  - { name: sqlc, nodes: [s1, { server: s2, weight: 0 }], witness: { cloud: { mtbf: 3y } },\n"
        "      windows: 2012r2, lowest_priority: s1, quorum_adjust_delay: 20s }\n"
        "  - { name: fsc, nodes: [s3, s4], witness: { disk: qdisk }, windows: 2008r2 }\n"
        "pool:\n"
        "  version: lync2013\n"
        "  frontends: [s1, s2, s3]\n"
        "  routing_groups: 32\n"
        "  users: 1234\n"
        "  backend: { fci: { cluster: sqlc, storage: san }, failover_time: 2m, resync_time: 7m,\n"
        "             resiliency_grace: 45m }\n"
        "  file_store: { cluster: { cluster: fsc, storage: san }, failover_time: 90s }\n"
        "fabric: { graceful_leave_adjusts_votes: false, restart_time: 20m, replica_rebuild: 1h,\n"
        "          sfb2019_backend_vote: true, restart_order: false }\n"
        "operations: { quorum_reset: { after: 2m, retry: 10m }, sql_failover: { after: 5m },\n"
        "              force_quorum: { after: 2h } }\n"
        "patching: { gap: 30m, skip_if_unhealthy: false }\n"
        "features:\n"
        "  conferencing: { needs: [pool, backend] }\n"
        "  response_groups: { needs: [pool, routing_group_limited, file_store] }\n"
        "costs: { witness: 0.4 }\n";
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, "every.yaml"), 0);
    int rc = qr_topology_load_buffer("every.yaml", text, strlen(text), &t, &d);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%d:%d: %s\n", d.items[i].loc.line, d.items[i].loc.col,
                d.items[i].message);
    assert_int_equal(rc, 0);
    assert_string_equal(t->notation, "2.x");
    round_trip(t);
    qr_topology_free(t);
    qr_diags_release(&d);

    /* And the other back-end and file-store forms. */
    static const char *const text2 =
        "servers: [ { name: s1 }, { name: s2 }, { name: w } ]\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [s1, s2]\n"
        "  backend: { mirroring: { principal: s1, mirror: s2 } }\n"
        "  file_store: { share: w }\n";
    assert_int_equal(qr_diags_init(&d, "two.yaml"), 0);
    assert_int_equal(qr_topology_load_buffer("two.yaml", text2, strlen(text2), &t, &d), 0);
    round_trip(t);
    qr_topology_free(t);
    qr_diags_release(&d);

    /* Failback by live migration after 2h (M0.4, M7.6). */
    static const char *const text3 =
        "hosts: [ { name: h1 }, { name: h2 } ]\n"
        "servers: [ { name: s1, host: h1 }, { name: s2, host: h2 }, { name: w } ]\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [s1, s2]\n"
        "  backend: { mirroring: { principal: s1, mirror: s2 } }\n"
        "  file_store: { share: w }\n"
        "virtualization: { ha: {}, live_migration: true, failback: { after: 2h } }\n";
    assert_int_equal(qr_diags_init(&d, "three.yaml"), 0);
    assert_int_equal(qr_topology_load_buffer("three.yaml", text3, strlen(text3), &t, &d), 0);
    assert_true(t->virt.failback && t->virt.failback_live && t->virt.failback_after == 7200.0);
    round_trip(t);
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_plan_writer_round_trips_bundled_designs(void **state)
{
    (void)state;
    glob_t gl;
    assert_int_equal(glob("topologies/*.yaml", 0, NULL, &gl), 0);
    assert_true(gl.gl_pathc >= 8);
    assert_int_equal(glob("topologies/vms/*.yaml", GLOB_APPEND, NULL, &gl), 0); /* M0.4 */
    /* failback by restart (M0.4) */
    assert_int_equal(glob("docs/labs/vm-failback.topology.yaml", GLOB_APPEND, NULL, &gl), 0);
    /* and the designs with several pools (pools:, pairing:) */
    assert_int_equal(glob("topologies/dr/*.yaml", GLOB_APPEND, NULL, &gl), 0);
    for (size_t i = 0; i < gl.gl_pathc; i++) {
        qr_diags d;
        qr_topology *t = NULL;
        assert_int_equal(qr_diags_init(&d, gl.gl_pathv[i]), 0);
        assert_int_equal(qr_topology_load_file(gl.gl_pathv[i], &t, &d), 0);
        round_trip(t);
        qr_topology_free(t);
        qr_diags_release(&d);
    }
    globfree(&gl);
}

/* The durations of a written design given in seconds though they are a
 * minute or more ("61094.03s"; "54.77s" is fine): 0 in a readable file. */
static int long_seconds(const char *text)
{
    int count = 0;
    for (const char *p = text; *p; p++) {
        if (p != text && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
            continue; /* inside a number */
        char *end;
        double v = strtod(p, &end);
        if (end > p && *p >= '0' && *p <= '9' && end[0] == 's' &&
            (end[1] == ',' || end[1] == '}' || end[1] == '\n') && v >= 60)
            count++;
    }
    return count;
}

/* plan -o under uncertain assumptions: a point value (the median of a
 * range, rarely a whole number of a unit) is written in the largest unit it
 * is at least 1 of, not in raw seconds, and loads back to exactly the same
 * model (round_trip compares every figure with ==). */
static void test_plan_writer_uncertain_point_values(void **state)
{
    (void)state;
    char buf[48];
    double back;
    const char *reason;
    /* The median of log-uniform 3mo to 3y: sqrt(3mo * 3y). */
    double median = sqrt(3 * QR_UNITS_MONTH * 3 * QR_UNITS_YEAR);
    qr_topology_write_duration(median, buf, sizeof(buf));
    assert_non_null(strstr(buf, "mo"));
    assert_true(strncmp(buf, "10.39", 5) == 0); /* sqrt(3 * 36) = 10.392 months */
    assert_int_equal(qr_units_duration(buf, &back, &reason), 0);
    assert_true(back == median);
    /* 17h 1m 34.03s: hours; 1.5s stays in seconds; 0.25s too */
    qr_topology_write_duration(61294.03, buf, sizeof(buf));
    assert_true(strncmp(buf, "17.02", 5) == 0 && buf[strlen(buf) - 1] == 'h');
    assert_string_equal(qr_topology_write_duration(1.5, buf, sizeof(buf)), "1.5s");
    assert_string_equal(qr_topology_write_duration(90, buf, sizeof(buf)), "90s");
    assert_string_equal(qr_topology_write_duration(5400, buf, sizeof(buf)), "90m");

    qr_diags ad;
    qr_assumptions *a = NULL;
    assert_int_equal(qr_diags_init(&ad, "topologies/assumptions/uncertain.yaml"), 0);
    assert_int_equal(qr_assumptions_load_file("topologies/assumptions/uncertain.yaml", &a, &ad), 0);
    static const char *const designs[] = { "topologies/2x-mirror-witness.yaml",
                                           "topologies/3.0-three-servers.yaml",
                                           "topologies/12fe-large.yaml" };
    for (size_t k = 0; k < sizeof(designs) / sizeof(designs[0]); k++) {
        qr_diags d;
        qr_topology *t = NULL;
        assert_int_equal(qr_diags_init(&d, designs[k]), 0);
        assert_int_equal(qr_topology_load_file(designs[k], &t, &d), 0);
        assert_int_equal(qr_assumptions_apply(t, a), 0);
        round_trip(t);
        char *text = NULL, err[256];
        assert_int_equal(qr_topology_write(t, &text, err, sizeof(err)), 0);
        if (long_seconds(text) != 0)
            fprintf(stderr, "%s\n", text);
        assert_int_equal(long_seconds(text), 0);
        assert_null(strstr(text, "27329683"));
        free(text);
        qr_topology_free(t);
        qr_diags_release(&d);
    }
    qr_assumptions_free(a);
    qr_diags_release(&ad);
}

/* Issue 13, findings 1 to 3: the requirements file's limits, each an
 * error at its value: costs and the budget at most 1e12 (so totals and the
 * ranking stay exact, never inf), failure figures of at least 1s. The
 * edge values are accepted. */
static void test_plan_requirements_limits(void **state)
{
    (void)state;
    qr_requirements r;
    qr_diags d;
    load_req("targets: { default: 99.9% }\ncosts: { server: 1e15, witness: 1e13 }\n"
             "budget: 1e308\n",
             &r, 1, &d);
    assert_true(has_diag(&d, "P004", 2, 18, "'server' must be at most 1e12, got '1e15'"));
    assert_true(has_diag(&d, "P004", 2, 33, "'witness' must be at most 1e12, got '1e13'"));
    assert_true(has_diag(&d, "P004", 3, 9, "'budget' must be at most 1e12, got '1e308'"));
    assert_int_equal(d.n_errors, 3);
    qr_requirements_release(&r);
    qr_diags_release(&d);
    load_req("targets: { default: 99.9% }\nserver: { mtbf: 1e-300ms, mttr: 0.5s }\n", &r, 1, &d);
    assert_true(has_diag(&d, "P004", 2, 17, "'mtbf' must be at least 1s, got '1e-300ms'"));
    assert_true(has_diag(&d, "P004", 2, 33, "'mttr' must be at least 1s, got '0.5s'"));
    qr_requirements_release(&r);
    qr_diags_release(&d);
    /* Finding 3: an existing SQL HA service so unavailable that its MTBF
     * (1h MTTR) is below 1s is refused here, not by the planner's own
     * check of the design it writes (exit 2, "internal error"). */
    load_req("targets: { default: 99.9% }\nexisting_sql_ha: { availability: 1e-300% }\n", &r, 1,
             &d);
    assert_true(has_diag(&d, "P004", 2, 34,
                         "'availability' of '1e-300%' with a repair time of 3600s gives an MTBF "
                         "below 1s (at least 0.028% is needed)"));
    qr_requirements_release(&r);
    qr_diags_release(&d);
    load_req("targets: { default: 99.9% }\nexisting_sql_ha: { availability: 0.028% }\n", &r, 0,
             &d);
    assert_true(r.existing_sql && fabs(r.existing_sql_availability - 0.00028) < 1e-15);
    qr_requirements_release(&r);
    qr_diags_release(&d);
    load_req("targets: { default: 99.9% }\ncosts: { server: 1e12, witness: 1e12 }\nbudget: 1e12\n"
             "server: { mtbf: 1s, mttr: 1s }\n",
             &r, 0, &d);
    assert_true(r.server_cost == 1e12 && r.witness_cost == 1e12 && r.budget == 1e12);
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

static void test_plan_requirements_bad_input(void **state)
{
    (void)state;
    /* Syntax, types, aliases, NUL, a topology instead of requirements:
     * every one an error with a position, none a crash (ASan runs this). */
    static const char *const bad[] = {
        "[",
        "targets: *nowhere\n",
        "x-a: &a [*a]\ntargets: { default: 99.9% }\n",
        "- targets\n",
        "targets: { default: [99.9%] }\n",
        "targets: { default: 99.9% }\nserver: { mtbf: 0s }\n",
        "targets: { default: 99.9% }\nsimulation: { seed: -1, years: 0 }\n",
        "targets: { default: 99.9% }\ncosts: { server: 0 }\n",
        "targets: {}\n",
        "servers: [ { name: s1 } ]\npool: { version: sfb2015 }\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        qr_requirements r;
        qr_diags d;
        assert_int_equal(qr_diags_init(&d, "bad.yaml"), 0);
        int rc = qr_requirements_load_buffer("bad.yaml", bad[i], strlen(bad[i]), &r, &d);
        assert_int_equal(rc, 1);
        assert_true(d.n_errors > 0);
        for (size_t k = 0; k < d.n; k++)
            if (d.items[k].sev == QR_SEV_ERROR)
                assert_true(d.items[k].loc.line >= 1);
        qr_requirements_release(&r);
        qr_diags_release(&d);
    }
    static const char nul[] = "targets: { default: 99.9% }\n\0x: 1\n";
    qr_requirements r;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "nul.yaml"), 0);
    assert_int_equal(qr_requirements_load_buffer("nul.yaml", nul, sizeof(nul) - 1, &r, &d), 1);
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_frontends_from_users),
        cmocka_unit_test(test_plan_requirements_every_key),
        cmocka_unit_test(test_plan_requirements_errors_have_positions),
        cmocka_unit_test(test_plan_candidates_counts),
        cmocka_unit_test(test_plan_candidates_fe_count_from_users),
        cmocka_unit_test(test_plan_candidates_are_the_field_templates),
        cmocka_unit_test(test_plan_pareto_hand_made),
        cmocka_unit_test(test_plan_choose_rule),
        cmocka_unit_test(test_plan_run_small),
        cmocka_unit_test(test_plan_two_sites_paired),
        cmocka_unit_test(test_plan_write_duration),
        cmocka_unit_test(test_plan_writer_round_trips_candidates),
        cmocka_unit_test(test_plan_writer_round_trips_every_form),
        cmocka_unit_test(test_plan_writer_round_trips_bundled_designs),
        cmocka_unit_test(test_plan_writer_uncertain_point_values),
        cmocka_unit_test(test_plan_requirements_bad_input),
        cmocka_unit_test(test_plan_requirements_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
