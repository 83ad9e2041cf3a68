/*
 * test_scorecard.c: the design scorecard (src/compare/scorecard.h): the cost rules
 * (full servers, witness-only parts, the topology's own costs and units),
 * single points of failure in the M9 structure on small hand-made designs
 * with known answers, the paper values against sim_exact_availability, the
 * error path of a design the full simulation refuses, the ranking criteria
 * and their tie-breaks, ties found by paired differences over replications,
 * a spare server that changes none of a design's figures, and the
 * recommendation naming the winner and its ties.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact/exact.h"
#include "fixture.h"
#include "model/ccf.h"
#include "model/diag.h"
#include "model/loader.h"
#include "compare/scorecard.h"
#include "sim_topo.h"

static const qr_cost_rules default_rules = { 1.0, 0.25, 1.0 };

/* ---- cost ---- */

static void test_scorecard_cost_defaults_2x(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x(); /* s1, s2 full; w witness only */
    qr_design_cost c;
    assert_int_equal(qr_scorecard_cost(t, &default_rules, &c), 0);
    assert_int_equal(c.full_servers, 2);
    assert_int_equal(c.witness_parts, 1);
    assert_true(fabs(c.total - 2.25) < 1e-12);
    assert_int_equal(c.unit, QR_COST_UNIT_SERVERS);
    assert_int_equal(c.rule_priced, 3);
    assert_int_equal(c.own_priced, 0);

    /* The flags change the rule prices. */
    qr_cost_rules r = { 3.0, 0.5, 3.0 };
    assert_int_equal(qr_scorecard_cost(t, &r, &c), 0);
    assert_true(fabs(c.total - 6.5) < 1e-12);
    qr_topology_free(t);
}

static void test_scorecard_cost_topology_prices(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    /* costs.witness beats --witness-cost for the witness server. */
    t->params.witness_cost = 7;
    t->comps[0].cost = 100; /* s1 */
    qr_design_cost c;
    assert_int_equal(qr_scorecard_cost(t, &default_rules, &c), 0);
    /* s1 100 (own), s2 1 (rule), w 7 (costs.witness) */
    assert_true(fabs(c.total - 108) < 1e-12);
    assert_int_equal(c.unit, QR_COST_UNIT_MIXED);
    assert_int_equal(c.own_priced, 2);
    assert_int_equal(c.rule_priced, 1);

    t->comps[1].cost = 100; /* s2: now every part priced by the topology */
    assert_int_equal(qr_scorecard_cost(t, &default_rules, &c), 0);
    assert_true(fabs(c.total - 207) < 1e-12);
    assert_int_equal(c.unit, QR_COST_UNIT_TOPOLOGY);

    /* A witness server with its own cost uses it over costs.witness. */
    t->comps[2].cost = 3;
    assert_int_equal(qr_scorecard_cost(t, &default_rules, &c), 0);
    assert_true(fabs(c.total - 203) < 1e-12);
    qr_topology_free(t);
}

/* Other components count only with their own cost; storage used only as a
 * disk witness and a cloud witness are witness parts, storage holding data
 * is not. */
static void test_scorecard_cost_witness_parts(void **state)
{
    (void)state;
    qr_topology *t = tt_new();
    int site = tt_comp(t, "dc1", QR_COMP_SITE, -1, -1);
    int host = tt_comp(t, "hv1", QR_COMP_HOST, site, -1);
    int s1 = tt_comp(t, "s1", QR_COMP_SERVER, site, host);
    int s2 = tt_comp(t, "s2", QR_COMP_SERVER, site, host);
    int quorum_disk = tt_comp(t, "qdisk", QR_COMP_STORAGE, site, -1);
    int data_disk = tt_comp(t, "data", QR_COMP_STORAGE, site, -1);
    int fe[] = { s1, s2 };
    tt_frontends(t, 2, fe);
    tt_standalone(t, s1);
    tt_share(t, s2);
    fx_cluster(t, "c1", fe, NULL, 2, QR_WITNESS_DISK, quorum_disk);
    fx_cluster(t, "c2", fe, NULL, 2, QR_WITNESS_DISK, data_disk);
    fx_fci(t, 1, data_disk); /* the data disk holds the FCI's data */
    t->comps[host].cost = 0.5; /* a host's own cost beats --host-cost */

    qr_design_cost c;
    assert_int_equal(qr_scorecard_cost(t, &default_rules, &c), 0);
    assert_int_equal(c.full_servers, 2);
    assert_int_equal(c.witness_parts, 1); /* qdisk only */
    /* 2 servers + qdisk 0.25 + host 0.5; data disk and site free. */
    assert_true(fabs(c.total - 2.75) < 1e-12);
    assert_int_equal(c.unit, QR_COST_UNIT_MIXED);

    int cloud = tt_comp(t, "cw", QR_COMP_CLOUD_WITNESS, -1, -1);
    t->clusters[0].witness_kind = QR_WITNESS_CLOUD;
    t->clusters[0].witness = cloud;
    assert_int_equal(qr_scorecard_cost(t, &default_rules, &c), 0);
    /* qdisk is no longer a witness: a free part; the cloud witness costs. */
    assert_int_equal(c.witness_parts, 1);
    assert_true(fabs(c.total - 2.75) < 1e-12);
    qr_topology_free(t);
}

/* Hosts are priced (--host-cost, default one full server) and the unit
 * follows the rules: server-equivalents when a full server is 1, the
 * money of --server-cost otherwise, whoever priced the parts (issue 13:
 * `--server-cost 4000` was labelled server-equivalents, hosts were free). */
static void test_scorecard_cost_hosts_and_units(void **state)
{
    (void)state;
    qr_topology *t = tt_new();
    int site = tt_comp(t, "dc1", QR_COMP_SITE, -1, -1);
    int hv1 = tt_comp(t, "hv1", QR_COMP_HOST, site, -1);
    int hv2 = tt_comp(t, "hv2", QR_COMP_HOST, site, -1);
    int s1 = tt_comp(t, "s1", QR_COMP_SERVER, site, hv1);
    int s2 = tt_comp(t, "s2", QR_COMP_SERVER, site, hv2);
    int w = tt_comp(t, "w", QR_COMP_SERVER, site, -1);
    int fe[] = { s1, s2 };
    tt_frontends(t, 2, fe);
    tt_mirroring(t, s1, s2, w);
    tt_share(t, s2);

    qr_cost_rules r;
    qr_cost_rules_init(&r, 1);
    assert_true(r.server_cost == 1 && r.witness_cost == 0.25 && r.host_cost == 1);
    assert_true(qr_cost_rules_relative(&r));
    qr_design_cost c;
    assert_int_equal(qr_scorecard_cost(t, &r, &c), 0);
    /* 2 full servers + the witness 0.25 + 2 hosts at one server each. */
    assert_int_equal(c.full_servers, 2);
    assert_int_equal(c.witness_parts, 1);
    assert_int_equal(c.hosts, 2);
    assert_true(fabs(c.total - 4.25) < 1e-12);
    assert_int_equal(c.rule_priced, 5);
    assert_int_equal(c.unit, QR_COST_UNIT_SERVERS);
    char buf[256];
    assert_string_equal(qr_cost_rules_describe(&r, "--server-cost", buf, sizeof(buf)),
                        "in server-equivalents (1 a full server, 0.25 a witness-only part, 1 a "
                        "host) unless a topology sets costs");

    /* --host-cost 0: hosts paid elsewhere, neither priced nor counted as
     * priced. */
    r.host_cost = 0;
    assert_int_equal(qr_scorecard_cost(t, &r, &c), 0);
    assert_true(fabs(c.total - 2.25) < 1e-12);
    assert_int_equal(c.rule_priced, 3);
    assert_int_equal(c.hosts, 2);

    /* --server-cost 4000: money; the witness a quarter, a host a server. */
    qr_cost_rules_init(&r, 4000);
    assert_false(qr_cost_rules_relative(&r));
    assert_int_equal(qr_scorecard_cost(t, &r, &c), 0);
    assert_true(fabs(c.total - (2 * 4000 + 1000 + 2 * 4000)) < 1e-9);
    assert_int_equal(c.unit, QR_COST_UNIT_CURRENCY);
    assert_string_equal(qr_cost_unit_name(c.unit), "server-cost currency");
    assert_string_equal(qr_cost_rules_describe(&r, "--server-cost", buf, sizeof(buf)),
                        "in the unit of --server-cost (4000 a full server, 1000 a witness-only "
                        "part, 4000 a host; a topology's own costs taken in the same unit)");

    /* A host's own cost: with money rules still one currency; with
     * server-equivalents a mix. */
    t->comps[hv1].cost = 500;
    assert_int_equal(qr_scorecard_cost(t, &r, &c), 0);
    assert_true(fabs(c.total - (2 * 4000 + 1000 + 500 + 4000)) < 1e-9);
    assert_int_equal(c.unit, QR_COST_UNIT_CURRENCY);
    qr_cost_rules_init(&r, 1);
    assert_int_equal(qr_scorecard_cost(t, &r, &c), 0);
    assert_true(fabs(c.total - (2 + 0.25 + 500 + 1)) < 1e-12);
    assert_int_equal(c.unit, QR_COST_UNIT_MIXED);
    assert_int_equal(c.own_priced, 1);
    qr_topology_free(t);
}

/* ---- single points of failure ---- */

static void test_scorecard_spofs_standalone_pool(void **state)
{
    (void)state;
    /* fe1..fe3 (2 of 3 keep the pool and every routing group), a
     * standalone SQL server and a file share: those two are the SPOFs. */
    qr_topology *t = tt_pool(3);
    int spofs[8];
    assert_int_equal(qr_scorecard_spofs(t, spofs), 2);
    assert_string_equal(t->comps[spofs[0]].name, "sql");
    assert_string_equal(t->comps[spofs[1]].name, "fs");
    qr_topology_free(t);
}

/* Append a beta-factor group of two members to t (the test owns nothing:
 * qr_topology_free releases it). */
static void add_pair_group(qr_topology *t, const char *name, int a, int b)
{
    qr_ccf_group *grown = realloc(t->ccf, sizeof(*grown) * ((size_t)t->n_ccf + 1));
    assert_non_null(grown);
    t->ccf = grown;
    qr_ccf_group *g = &t->ccf[t->n_ccf++];
    memset(g, 0, sizeof(*g));
    g->name = strdup(name);
    g->members = malloc(2 * sizeof(int));
    g->member_locs = calloc(2, sizeof(qr_loc));
    assert_non_null(g->name);
    assert_non_null(g->members);
    assert_non_null(g->member_locs);
    g->members[0] = a;
    g->members[1] = b;
    g->n_members = 2;
    g->model = QR_CCF_BETA;
    g->factor[0] = 0.1;
    g->n_factors = 1;
}

static void test_scorecard_spofs_common_cause(void **state)
{
    (void)state;
    /* Three front ends (routing groups on all three), mirroring with a
     * witness, DFS on fe1 and fe3, one site that never fails. Group "x"
     * (sqlm and fe3): 2 of 3 front ends keep quorum and every routing
     * group, the principal keeps the witness, DFS keeps fe1: no SPOF.
     * Group "y" (fe1 and fe2): one front end of three has no quorum: a
     * SPOF. The components' SPOFs stay the site alone. */
    qr_topology *t = tt_new();
    int site = tt_comp(t, "dc1", QR_COMP_SITE, -1, -1);
    int fe1 = tt_comp(t, "fe1", QR_COMP_SERVER, site, -1);
    int fe2 = tt_comp(t, "fe2", QR_COMP_SERVER, site, -1);
    int fe3 = tt_comp(t, "fe3", QR_COMP_SERVER, site, -1);
    int fe[] = { fe1, fe2, fe3 };
    tt_frontends(t, 3, fe);
    int p = tt_comp(t, "sqlp", QR_COMP_SERVER, site, -1);
    int m = tt_comp(t, "sqlm", QR_COMP_SERVER, site, -1);
    int w = tt_comp(t, "sqlw", QR_COMP_SERVER, site, -1);
    tt_mirroring(t, p, m, w);
    int dfs[] = { fe1, fe3 };
    tt_dfs(t, 2, dfs);
    add_pair_group(t, "x", m, fe3);
    add_pair_group(t, "y", fe1, fe2);

    assert_int_equal(qr_scorecard_spofs(t, NULL), 1);
    qr_ccf_event *ev = NULL;
    int n_ev = 0;
    assert_int_equal(qr_ccf_events(t, &ev, &n_ev), 0);
    assert_int_equal(n_ev, 2);
    bool is_spof[2] = { true, false };
    assert_int_equal(qr_scorecard_ccf_spofs(t, ev, n_ev, is_spof), 1);
    assert_false(is_spof[0]);
    assert_true(is_spof[1]);
    free(ev);

    /* The scorecard names them after the components, as analyze does. */
    sim_run_options ro = { .years = 0.01, .runs = 2, .seed = 1, .threads = 1 };
    qr_scorecard s;
    assert_int_equal(qr_scorecard_compute(t, &ro, &default_rules, &s), 0);
    assert_int_equal(s.n_spofs, 2);
    assert_string_equal(s.spof_names[0], "dc1");
    assert_false(s.spof_fails[0]);
    assert_string_equal(s.spof_names[1], "ccf:y");
    assert_true(s.spof_fails[1]);
    qr_scorecard_release(&s);
    qr_topology_free(t);
}

static void test_scorecard_m18_exposure(void **state)
{
    (void)state;
    /* M1.8: two front ends, one of them the SQL principal. */
    qr_topology *t = tt_design_2x();
    assert_true(qr_scorecard_m18_exposed(t));
    qr_topology_free(t);
    /* Three front ends: no Back End vote. */
    t = tt_pool(3);
    assert_false(qr_scorecard_m18_exposed(t));
    qr_topology_free(t);
    /* Two front ends with the SQL partners elsewhere: a front end loss
     * does not take the Back End vote with it. */
    t = tt_pool(2);
    int p = tt_server(t, "sqlp"), m = tt_server(t, "sqlm");
    tt_mirroring(t, p, m, -1);
    assert_false(qr_scorecard_m18_exposed(t));
    qr_topology_free(t);
}

static void test_scorecard_spofs_2x_mirror_none(void **state)
{
    (void)state;
    /* M9: losing s1 leaves s2 with the mirror (2 of 3 with the witness)
     * and the Back End vote (M1.2): no single failure takes a feature
     * down on paper, whatever operation makes of it (M1.8). */
    qr_topology *t = tt_design_2x();
    assert_int_equal(qr_scorecard_spofs(t, NULL), 0);
    qr_topology_free(t);
}

static void test_scorecard_spofs_containers(void **state)
{
    (void)state;
    /* Three front ends, two of them on one host, all in one site that never
     * fails; DFS on fe1, fe3 and mirroring with a witness: the host (two
     * of three seeds) and the site are the SPOFs. */
    qr_topology *t = tt_new();
    int site = tt_comp(t, "dc1", QR_COMP_SITE, -1, -1);
    int host = tt_comp(t, "hv1", QR_COMP_HOST, site, -1);
    int fe1 = tt_comp(t, "fe1", QR_COMP_SERVER, site, host);
    int fe2 = tt_comp(t, "fe2", QR_COMP_SERVER, site, host);
    int fe3 = tt_comp(t, "fe3", QR_COMP_SERVER, site, -1);
    int fe[] = { fe1, fe2, fe3 };
    tt_frontends(t, 3, fe);
    int p = tt_comp(t, "sqlp", QR_COMP_SERVER, site, -1);
    int m = tt_comp(t, "sqlm", QR_COMP_SERVER, site, -1);
    int w = tt_comp(t, "sqlw", QR_COMP_SERVER, site, -1);
    tt_mirroring(t, p, m, w);
    int dfs[] = { fe1, fe3 };
    tt_dfs(t, 2, dfs);

    assert_false(qr_component_fails(&t->comps[site]));
    int spofs[16];
    assert_int_equal(qr_scorecard_spofs(t, spofs), 2);
    assert_int_equal(spofs[0], site);
    assert_int_equal(spofs[1], host);

    /* The scorecard keeps the names and flags the site as never failing. */
    sim_run_options ro = { .years = 0.01, .runs = 2, .seed = 1, .threads = 1 };
    qr_scorecard s;
    assert_int_equal(qr_scorecard_compute(t, &ro, &default_rules, &s), 0);
    assert_int_equal(s.n_spofs, 2);
    assert_string_equal(s.spof_names[0], "dc1");
    assert_false(s.spof_fails[0]);
    assert_string_equal(s.spof_names[1], "hv1");
    assert_true(s.spof_fails[1]);
    qr_scorecard_release(&s);
    qr_topology_free(t);
}

/* ---- one scorecard ---- */

static void test_scorecard_paper_equals_exact(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    double feat[QR_DEFAULT_FEATURE_COUNT + 1], pool;
    assert_int_equal(sim_exact_availability(t, feat, &pool, NULL, 0), 0);
    sim_run_options ro = { .years = 0.05, .runs = 3, .seed = 9, .threads = 2 };
    qr_scorecard s;
    assert_int_equal(qr_scorecard_compute(t, &ro, &default_rules, &s), 0);
    assert_true(s.have_paper);
    assert_int_equal(s.n_features, t->n_features);
    for (int k = 0; k < t->n_features; k++) {
        assert_true(s.paper[k] == feat[k]);
        assert_string_equal(s.feature_names[k], t->features[k].name);
    }
    assert_true(s.paper[s.n_features] == pool);
    assert_string_equal(s.feature_names[s.n_features], "pool");
    assert_true(s.have_operation);
    assert_int_equal(s.operation.runs, 3);
    assert_string_equal(s.notation, "2.x");
    assert_true(s.m18_exposed);
    assert_string_equal(s.label, "test");
    /* The worst feature is the one with the lowest simulated mean. */
    for (int k = 0; k < s.n_features; k++)
        assert_true(s.operation.f[k].availability.mean >=
                    s.operation.f[s.worst].availability.mean);
    qr_scorecard_release(&s);
    qr_topology_free(t);
}

static void test_scorecard_operation_refused(void **state)
{
    (void)state;
    /* A pool with no front ends: the full simulation refuses it (the
     * generic error path); the paper values remain and compute succeeds. */
    qr_topology *t = tt_new();
    tt_standalone(t, tt_server(t, "sql"));
    tt_share(t, tt_server(t, "fs"));
    sim_run_options ro = { .years = 0.01, .runs = 2, .seed = 1, .threads = 1 };
    qr_scorecard s;
    assert_int_equal(qr_scorecard_compute(t, &ro, &default_rules, &s), 0);
    assert_false(s.have_operation);
    assert_int_equal(s.operation_status, -2);
    assert_non_null(strstr(s.operation_reason, "no front ends"));
    assert_true(s.have_paper);
    assert_true(s.worst >= 0);
    assert_true(qr_scorecard_worst_availability(&s) == s.paper[s.worst]);
    assert_true(isnan(qr_scorecard_mean_downtime(&s)));
    qr_scorecard_release(&s);
    qr_topology_free(t);
}

/* ---- ranking ---- */

/* A hand-made card with one feature whose simulated availability is
 * 1 - downtime / minutes-per-year, and a cost. */
typedef struct {
    qr_scorecard        card;
    sim_feature_summary f[2];
    char               *names[2];
} fake_card;

static void fake(fake_card *fc, const char *label, double downtime_min, double cost,
                 bool operation)
{
    memset(fc, 0, sizeof(*fc));
    qr_scorecard *s = &fc->card;
    s->label = (char *)label;
    s->name = (char *)label;
    snprintf(s->notation, sizeof(s->notation), "3.0");
    s->n_features = 1;
    fc->names[0] = (char *)"presence";
    fc->names[1] = (char *)"pool";
    s->feature_names = fc->names;
    s->cost.total = cost;
    s->cost.full_servers = 3;
    double a = 1.0 - downtime_min / QR_MINUTES_PER_YEAR;
    for (int k = 0; k < 2; k++) {
        fc->f[k].availability.mean = a;
        fc->f[k].availability.low = fc->f[k].availability.high = a;
        fc->f[k].downtime_min_year.mean = downtime_min;
        fc->f[k].downtime_min_year.low = fc->f[k].downtime_min_year.high = downtime_min;
    }
    s->have_operation = operation;
    if (operation)
        s->operation.f = fc->f;
    else
        snprintf(s->operation_reason, sizeof(s->operation_reason), "not modelled");
    s->worst = operation ? 0 : -1; /* neither operation nor paper values */
}

/* cards[] from fakes[] (copied, so the array is contiguous). */
static void gather(const fake_card *fakes, int n, qr_scorecard *cards)
{
    for (int k = 0; k < n; k++)
        cards[k] = fakes[k].card;
}

static void test_scorecard_rank_availability_ties_by_cost(void **state)
{
    (void)state;
    fake_card f[4];
    fake(&f[0], "a", 10.0, 2.0, true);
    fake(&f[1], "b", 3.02, 5.0, true);
    fake(&f[2], "c", 2.98, 4.0, true); /* ties with b at 0.1 min/yr: cheaper */
    fake(&f[3], "d", 0.0, 1.0, false); /* not simulated: unranked, last */
    qr_scorecard cards[4];
    gather(f, 4, cards);
    int order[4];
    assert_int_equal(qr_scorecard_rank(cards, 4, QR_RANK_AVAILABILITY, order), 3);
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 0);
    assert_int_equal(order[3], 3);
    /* b and c share rank 1 (tied); a is third (competition ranking). */
    assert_int_equal(cards[2].rank, 1);
    assert_int_equal(cards[1].rank, 1);
    assert_true(cards[1].tied && cards[2].tied);
    assert_int_equal(cards[0].rank, 3);
    assert_false(cards[0].tied);
    assert_int_equal(cards[3].rank, 0);

    /* Equal downtime and equal cost: input order. */
    fake(&f[1], "b", 3.0, 4.0, true);
    fake(&f[2], "c", 3.0, 4.0, true);
    gather(f, 4, cards);
    qr_scorecard_rank(cards, 4, QR_RANK_AVAILABILITY, order);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 2);
}

static void test_scorecard_rank_cost_ties_by_availability(void **state)
{
    (void)state;
    fake_card f[4];
    fake(&f[0], "a", 10.0, 3.0, true);
    fake(&f[1], "b", 1.0, 3.0, true);  /* same cost as a, more available */
    fake(&f[2], "c", 50.0, 2.0, true); /* cheapest */
    fake(&f[3], "d", 0.0, 2.5, false); /* cost ranks it too */
    qr_scorecard cards[4];
    gather(f, 4, cards);
    int order[4];
    assert_int_equal(qr_scorecard_rank(cards, 4, QR_RANK_COST, order), 4);
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 3);
    assert_int_equal(order[2], 1);
    assert_int_equal(order[3], 0);
    assert_int_equal(cards[3].rank, 2);
}

static void test_scorecard_rank_value_and_downtime(void **state)
{
    (void)state;
    fake_card f[3];
    /* value = -log10(1 - A) / cost. */
    fake(&f[0], "a", 0.5259600, 4.0, true); /* 1 - A = 1e-6: 6 nines, 1.5/unit */
    fake(&f[1], "b", 52.59600, 2.0, true);  /* 4 nines: 2.0/unit */
    fake(&f[2], "c", 5.259600, 10.0, true); /* 5 nines: 0.5/unit */
    qr_scorecard cards[3];
    gather(f, 3, cards);
    assert_true(fabs(qr_scorecard_value(&cards[0]) - 1.5) < 1e-6);
    assert_true(fabs(qr_scorecard_value(&cards[1]) - 2.0) < 1e-6);
    int order[3];
    qr_scorecard_rank(cards, 3, QR_RANK_VALUE, order);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 0);
    assert_int_equal(order[2], 2);

    /* Downtime: the mean over features, lowest first. */
    qr_scorecard_rank(cards, 3, QR_RANK_DOWNTIME, order);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 1);
    assert_true(fabs(qr_scorecard_mean_downtime(&cards[1]) - 52.596) < 1e-9);

    /* A perfect design is floored at 9 nines, not infinite. */
    fake(&f[0], "a", 0.0, 3.0, true);
    gather(f, 1, cards);
    assert_true(fabs(qr_scorecard_value(&cards[0]) - 3.0) < 1e-9);
}

/* Per-replication downtime for a fake card: base[i] + shift, whose mean
 * is set as the card's downtime (the key the ranking sorts on). */
static void fake_reps(fake_card *fc, double *reps, const double *base, int n, double shift)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        reps[i] = base[i] + shift;
        sum += reps[i];
    }
    double mean = sum / n;
    for (int k = 0; k < 2; k++) {
        fc->f[k].downtime_min_year.mean = mean;
        fc->f[k].availability.mean = 1.0 - mean / QR_MINUTES_PER_YEAR;
    }
    fc->card.n_reps = n;
    fc->card.rep_worst = reps;
    fc->card.rep_mean = reps;
}

/* Ties come from the paired differences, not from the designs' own
 * intervals. Replication i of every design shares its luck (base[i], a
 * spread of tens of minutes): "b" is "a" plus 0.5 min/yr in every
 * replication but two, so their paired difference is known to +-0.5 and
 * excludes 0 although each design's own interval is +-10; with noise of
 * +-1 min/yr in the pairs instead, it contains 0 and they tie. */
static void test_scorecard_rank_paired_ties(void **state)
{
    (void)state;
    enum { N = 8 };
    const double base[N] = { 2, 30, 5, 18, 41, 9, 25, 12 };
    const double steady[N] = { 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.2, 0.8 };
    const double noisy[N] = { 1.5, -0.5, 1.5, -0.5, 1.5, -0.5, 1.5, -0.5 };
    double ra[N], rb[N], rc[N], bs[N], bn[N];
    for (int i = 0; i < N; i++) {
        bs[i] = base[i] + steady[i];
        bn[i] = base[i] + noisy[i];
    }
    fake_card f[3];
    fake(&f[0], "a", 0, 5.0, true);
    fake(&f[1], "b", 0, 3.0, true); /* cheaper */
    fake(&f[2], "c", 0, 4.0, true);
    fake_reps(&f[0], ra, base, N, 0);
    fake_reps(&f[1], rb, bn, N, 0);   /* a + 0.5 on average, noisy pairs */
    fake_reps(&f[2], rc, base, N, 6); /* a + 6 in every replication */
    qr_scorecard cards[3];
    gather(f, 3, cards);
    int order[3];
    assert_int_equal(qr_scorecard_rank(cards, 3, QR_RANK_AVAILABILITY, order), 3);
    /* a and b tie: the cheaper, b, first and recommended; c is third. */
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 0);
    assert_int_equal(order[2], 2);
    assert_int_equal(cards[1].rank, 1);
    assert_int_equal(cards[0].rank, 1);
    assert_true(cards[0].tied && cards[1].tied);
    assert_int_equal(cards[2].rank, 3);
    assert_false(cards[2].tied);
    /* Differences to the recommended b: a is b - 0.5 (noise: tie), c is
     * b + 5.5; the paired interval of c is far narrower than what two
     * independent runs would give. */
    assert_false(cards[1].have_diff);
    assert_true(cards[0].have_diff && cards[2].have_diff);
    assert_true(fabs(cards[0].diff.mean + 0.5) < 1e-9);
    assert_true(qr_paired_contains_zero(&cards[0].diff));
    assert_true(fabs(cards[2].diff.mean - 5.5) < 1e-9);
    assert_false(qr_paired_contains_zero(&cards[2].diff));
    assert_true(cards[2].diff.half_width < cards[2].diff.independent_half_width / 5);

    char *text = qr_scorecard_recommend(cards, 3, order, QR_RANK_AVAILABILITY);
    assert_non_null(text);
    assert_non_null(strstr(text, "Recommended: b (3.0"));
    assert_non_null(strstr(text, "It ties with a (3.0"));
    assert_non_null(strstr(text, "(-0.50, paired 95% CI of the difference"));
    assert_non_null(strstr(text, "not distinguishable"));
    assert_non_null(strstr(text, "so the cheaper is ranked first"));
    assert_non_null(strstr(text, "The best of the others is c"));
    assert_non_null(strstr(text, "min/yr: distinguishable)"));
    free(text);

    /* Steady pairs: b is distinguishably worse than a although both
     * designs' own intervals overlap widely; a wins alone. */
    fake_reps(&f[1], rb, bs, N, 0);
    gather(f, 3, cards);
    qr_scorecard_rank(cards, 3, QR_RANK_AVAILABILITY, order);
    assert_int_equal(order[0], 0);
    assert_int_equal(cards[0].rank, 1);
    assert_false(cards[0].tied);
    assert_int_equal(cards[1].rank, 2);
    assert_false(qr_paired_contains_zero(&cards[1].diff));
    assert_true(cards[1].diff.independent_half_width > 10 * cards[1].diff.half_width);
    text = qr_scorecard_recommend(cards, 3, order, QR_RANK_AVAILABILITY);
    assert_non_null(strstr(text, "The runner-up is b"));
    assert_null(strstr(text, "ties with"));
    free(text);

    /* Replications that do not pair up (different counts): ties only at
     * the table's precision; a and b (0.5 apart) are no longer tied. */
    f[1].card.n_reps = N - 1;
    gather(f, 3, cards);
    qr_scorecard_rank(cards, 3, QR_RANK_AVAILABILITY, order);
    assert_int_equal(order[0], 0);
    assert_false(cards[0].tied);
}

/* A server with no role added to a design changes none of its figures:
 * the streams follow names (sim/engine.c seed_streams) and a spare is not
 * in the patch group (M7.1) nor counted by M7.2. The spare comes first, so
 * every other component's index moves. Only the cost and the notation,
 * which count the spare as a part, may change. */
static void test_scorecard_spare_server_changes_nothing(void **state)
{
    (void)state;
    static const char head[] =
        "name: spare test\n"
        "defaults:\n"
        "  server: { mtbf: 6mo, mttr: 4h, patch: { every: 30d, reboot: 15m } }\n"
        "sites: [ { name: dc1 } ]\n"
        "servers:\n";
    static const char spare[] = "  - { name: spare, site: dc1, mtbf: 1mo, mttr: 2d }\n";
    static const char tail[] =
        "  - { name: fe1, site: dc1 }\n"
        "  - { name: fe2, site: dc1 }\n"
        "  - { name: fe3, site: dc1 }\n"
        "  - { name: sql1, site: dc1 }\n"
        "  - { name: sql2, site: dc1 }\n"
        "  - { name: sqlw, site: dc1 }\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [fe1, fe2, fe3]\n"
        "  backend: { mirroring: { principal: sql1, mirror: sql2, witness: sqlw } }\n"
        "  file_store: { dfs: [sql1, sql2] }\n";
    char text[2][2048];
    snprintf(text[0], sizeof(text[0]), "%s%s", head, tail);
    snprintf(text[1], sizeof(text[1]), "%s%s%s", head, spare, tail);
    qr_scorecard cards[2];
    qr_topology *t[2];
    sim_run_options ro = { .years = 2, .runs = 24, .seed = 3, .threads = 2 };
    for (int k = 0; k < 2; k++) {
        qr_diags d;
        qr_diags_init(&d, "spare.yaml");
        assert_int_equal(qr_topology_load_buffer("spare.yaml", text[k], strlen(text[k]), &t[k],
                                                 &d),
                         0);
        qr_diags_release(&d);
        assert_int_equal(qr_scorecard_compute(t[k], &ro, &default_rules, &cards[k]), 0);
        assert_true(cards[k].have_operation && cards[k].have_paper);
    }
    assert_int_equal(t[1]->n_comps, t[0]->n_comps + 1);
    const qr_scorecard *a = &cards[0], *b = &cards[1];
    assert_true(b->operation.events > a->operation.events); /* the spare failed */
    int nf = a->n_features;
    assert_int_equal(b->n_features, nf);
    assert_memory_equal(a->paper, b->paper, sizeof(double) * (size_t)(nf + 1));
    const sim_summary *oa = &a->operation, *ob = &b->operation;
#define SAME(stat)                                                                       \
    assert_true(oa->stat.mean == ob->stat.mean && oa->stat.half_width == ob->stat.half_width)
    SAME(quorum_losses_year);
    SAME(group_quorum_losses_year);
    SAME(soft_resets_year);
    SAME(reset_attempts_failed_year);
    SAME(cluster_quorum_losses_year);
    SAME(forced_quorums_year);
    SAME(failovers_year);
    SAME(file_store_failovers_year);
    SAME(data_loss_risk_year);
    SAME(patch_nights_year);
    SAME(patch_nights_skipped_year);
    SAME(limited_hours_year);
    SAME(resiliency_hours_year);
    for (int k = 0; k <= nf; k++) {
        SAME(f[k].availability);
        SAME(f[k].downtime_min_year);
        SAME(f[k].outages_year);
        assert_true(oa->f[k].longest_outage_min == ob->f[k].longest_outage_min);
        assert_true(oa->f[k].mean_outage_min == ob->f[k].mean_outage_min);
        assert_true(oa->f[k].outages_observed == ob->f[k].outages_observed);
    }
#undef SAME
    assert_int_equal(a->worst, b->worst);
    assert_int_equal(a->n_reps, b->n_reps);
    assert_memory_equal(a->rep_worst, b->rep_worst, sizeof(double) * (size_t)a->n_reps);
    assert_int_equal(a->n_spofs, b->n_spofs);

    /* Ranked together they tie exactly: a zero difference. */
    int order[2];
    qr_scorecard_rank(cards, 2, QR_RANK_AVAILABILITY, order);
    assert_true(cards[0].tied && cards[1].tied);
    const qr_scorecard *second = &cards[order[1]];
    assert_true(second->have_diff);
    assert_true(second->diff.mean == 0 && second->diff.half_width == 0);
    for (int k = 0; k < 2; k++) {
        qr_scorecard_release(&cards[k]);
        qr_topology_free(t[k]);
    }
}

/* Finding 2 of issue 13: costs beyond what llround(cost * 1e6) holds
 * (9.2e12) rank by their value, not by an overflowed integer: 3e15 a year
 * is dearer than 3e3, 3e16 than 3e15, and among equally available designs
 * the cheaper one wins under every criterion; a nearly free design's value
 * (huge) ranks first without overflowing either. */
static void test_scorecard_rank_huge_costs(void **state)
{
    (void)state;
    fake_card f[4];
    fake(&f[0], "dear", 5.0, 3e15, true);
    fake(&f[1], "cheap", 5.0, 3e3, true);
    fake(&f[2], "dearer", 5.0, 3e16, true);
    fake(&f[3], "free", 5.0, 1e-300, true);
    qr_scorecard cards[4];
    gather(f, 4, cards);
    int order[4];
    qr_scorecard_rank(cards, 4, QR_RANK_COST, order);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 0);
    assert_int_equal(order[3], 2);
    /* Equal availability: the cost breaks the tie, cheapest first. */
    qr_scorecard_rank(cards, 4, QR_RANK_AVAILABILITY, order);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 0);
    assert_int_equal(order[3], 2);
    qr_scorecard_rank(cards, 4, QR_RANK_VALUE, order);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[3], 2);
}

static void test_scorecard_rank_by_names(void **state)
{
    (void)state;
    qr_rank_by by;
    const char *names[] = { "availability", "downtime", "cost", "value" };
    for (int k = 0; k < 4; k++) {
        assert_int_equal(qr_rank_by_parse(names[k], &by), 0);
        assert_string_equal(qr_rank_by_name(by), names[k]);
        assert_true(strlen(qr_rank_by_definition(by)) > 20);
    }
    assert_int_equal(qr_rank_by_parse("price", &by), -1);
}

static void test_scorecard_recommend_names_winner(void **state)
{
    (void)state;
    fake_card f[3];
    fake(&f[0], "slow", 40.0, 2.0, true);
    fake(&f[1], "fast", 2.0, 4.0, true);
    fake(&f[2], "cluster", 0.0, 2.0, false);
    qr_scorecard cards[3];
    gather(f, 3, cards);
    int order[3];
    qr_scorecard_rank(cards, 3, QR_RANK_AVAILABILITY, order);
    char *text = qr_scorecard_recommend(cards, 3, order, QR_RANK_AVAILABILITY);
    assert_non_null(text);
    assert_non_null(strstr(text, "Ranked by availability"));
    assert_non_null(strstr(text, "Recommended: fast (3.0"));
    assert_non_null(strstr(text, "The runner-up is slow"));
    /* 38 min/yr less for 2 more a year. */
    assert_non_null(strstr(text, "38.0 min/yr less downtime"));
    assert_non_null(strstr(text, "for 2.00 more a year"));
    assert_null(strstr(text, "distinguishable)")); /* no replications kept: no pairs */
    assert_non_null(strstr(text, "cluster (3.0) could not be simulated in operation (not "
                                 "modelled)"));
    free(text);

    /* The runner-up, 1 min/yr on paper and 40 in operation, loses it
     * mostly in operation; exposed to M1.8, the text names that case. */
    double paper[2] = { 1 - 1.0 / QR_MINUTES_PER_YEAR, 1 - 1.0 / QR_MINUTES_PER_YEAR };
    cards[0].have_paper = true;
    cards[0].paper = paper;
    text = qr_scorecard_recommend(cards, 3, order, QR_RANK_AVAILABILITY);
    assert_non_null(strstr(text, "mostly in operation, 39.0 min/yr lost"));
    assert_null(strstr(text, "M1.8"));
    free(text);
    cards[0].m18_exposed = true;
    text = qr_scorecard_recommend(cards, 3, order, QR_RANK_AVAILABILITY);
    assert_non_null(strstr(text, "(the M1.8 case:"));
    free(text);

    /* Operation equal to paper: the loss is structural; operation better
     * than paper beyond the CI: the static view overstates it (M2.3). */
    paper[0] = paper[1] = 1 - 40.0 / QR_MINUTES_PER_YEAR;
    text = qr_scorecard_recommend(cards, 3, order, QR_RANK_AVAILABILITY);
    assert_non_null(strstr(text, "in the structure itself (operation is within"));
    free(text);
    paper[0] = paper[1] = 1 - 60.0 / QR_MINUTES_PER_YEAR;
    text = qr_scorecard_recommend(cards, 3, order, QR_RANK_AVAILABILITY);
    assert_non_null(strstr(text, "less than on paper, beyond the 95% confidence interval"));
    free(text);

    /* By cost the cheaper, slower design wins. */
    qr_scorecard_rank(cards, 3, QR_RANK_COST, order);
    text = qr_scorecard_recommend(cards, 3, order, QR_RANK_COST);
    assert_non_null(strstr(text, "Recommended: slow"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scorecard_cost_defaults_2x),
        cmocka_unit_test(test_scorecard_cost_topology_prices),
        cmocka_unit_test(test_scorecard_cost_witness_parts),
        cmocka_unit_test(test_scorecard_cost_hosts_and_units),
        cmocka_unit_test(test_scorecard_spofs_standalone_pool),
        cmocka_unit_test(test_scorecard_spofs_2x_mirror_none),
        cmocka_unit_test(test_scorecard_m18_exposure),
        cmocka_unit_test(test_scorecard_spofs_containers),
        cmocka_unit_test(test_scorecard_spofs_common_cause),
        cmocka_unit_test(test_scorecard_paper_equals_exact),
        cmocka_unit_test(test_scorecard_operation_refused),
        cmocka_unit_test(test_scorecard_rank_availability_ties_by_cost),
        cmocka_unit_test(test_scorecard_rank_cost_ties_by_availability),
        cmocka_unit_test(test_scorecard_rank_value_and_downtime),
        cmocka_unit_test(test_scorecard_rank_huge_costs),
        cmocka_unit_test(test_scorecard_rank_by_names),
        cmocka_unit_test(test_scorecard_recommend_names_winner),
        cmocka_unit_test(test_scorecard_rank_paired_ties),
        cmocka_unit_test(test_scorecard_spare_server_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
