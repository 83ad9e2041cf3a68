/*
 * test_mef.c: the fault trees of `quorate export` (src/exact/mef.h) against the
 * exact M9 computation (src/exact/exact.h). For small hand-made topologies
 * (tests/fixture.h) and the small bundled designs, the in-memory gate tree
 * that qr_mef_write() prints is evaluated by brute force over every state
 * of the components that can fail, and each feature's unavailability
 * (sum over its top events of users-share * P(top)) must equal
 * sim_exact_unavailability() to 1e-12 relative and its availability
 * sim_exact_compute() to 1e-12. Further tests pin the gate shapes of the
 * k-of-n rules (M1.2 with the Back End vote, M2.2, mirroring, cluster votes
 * with the witness iff the voting nodes are even), constant folding for
 * components that never fail or are missing, the routing-group top events
 * and their shares (M2.5), identifier sanitizing, and the XML written.
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

#include "model/diag.h"
#include "exact/exact.h"
#include "fixture.h"
#include "model/loader.h"
#include "exact/mef.h"

#define REL_TOL 1e-12
#define MAX_BRUTE 16   /* components enumerated by brute force, at most */

static qr_mef_model *build(const qr_topology *t)
{
    qr_mef_model *m = NULL;
    char err[128] = "";
    if (qr_mef_build(t, &m, err, sizeof(err)) != 0)
        fail_msg("qr_mef_build: %s", err);
    assert_non_null(m);
    return m;
}

/* P(down) of a component as the export defines it (0: never down). */
static long double comp_down_prob(const qr_component *c)
{
    if (!qr_component_fails(c) || !(c->repair.mean > 0))
        return 0.0L;
    if (isinf(c->repair.mean))
        return 1.0L;
    return (long double)c->repair.mean / ((long double)c->failure.mean + c->repair.mean);
}

/* Brute force: enumerate the states of every component that can fail
 * (at most MAX_BRUTE), set each basic event from its component, evaluate
 * every top event of the in-memory tree, and sum users-share * P(state)
 * per fault tree into unavail[tree]. Returns the number of components
 * enumerated, or -1 when there are too many. */
static int brute_unavailability(const qr_topology *t, const qr_mef_model *m,
                                long double *unavail)
{
    int var[64], n = 0;
    long double q[64];
    for (int i = 0; i < t->n_comps; i++) {
        long double p = comp_down_prob(&t->comps[i]);
        if (p > 0) {
            if (n == MAX_BRUTE)
                return -1;
            var[n] = i;
            q[n++] = p;
        }
    }
    /* Every basic event stands for a component that can fail. */
    for (int e = 0; e < m->n_events; e++) {
        int found = 0;
        for (int j = 0; j < n; j++)
            found |= var[j] == m->events[e].comp;
        assert_true(found);
        assert_true(m->events[e].p > 0 && m->events[e].p <= 1);
    }
    unsigned char comp_down[256], down[256];
    assert_true(t->n_comps <= 256 && m->n_events <= 256);
    for (int k = 0; k < m->n_trees; k++)
        unavail[k] = 0;
    for (unsigned long s = 0; s < (1ul << n); s++) {
        long double p = 1;
        memset(comp_down, 0, sizeof(comp_down));
        for (int j = 0; j < n; j++) {
            int is_down = (s >> j) & 1u;
            comp_down[var[j]] = (unsigned char)is_down;
            p *= is_down ? q[j] : 1 - q[j];
        }
        for (int e = 0; e < m->n_events; e++)
            down[e] = comp_down[m->events[e].comp];
        for (int k = 0; k < m->n_trees; k++) {
            const qr_mef_tree *tr = &m->trees[k];
            for (int j = 0; j < tr->n_tops; j++) {
                const qr_mef_top *tp = &m->tops[tr->first_top + j];
                if (qr_mef_eval(m, tp->ref, down))
                    unavail[k] += p * tp->share;
            }
        }
    }
    return n;
}

static void assert_close(double got, double want, double rel, const char *what)
{
    double tol = rel * fmax(fabs(want), 1e-300);
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, want %.17g (diff %.3g)", what, got, want, got - want);
}

/* The whole check: tree by brute force == sim_exact, feature by feature. */
static void check_against_exact(const qr_topology *t, const char *what)
{
    qr_mef_model *m = build(t);
    int nf = t->n_features;
    double avail[32], unavail[32];
    long double brute[32];
    sim_exact_detail d;
    char err[256] = "";
    assert_true(nf <= 32);
    assert_int_equal(m->n_trees, nf);
    if (sim_exact_unavailability(t, avail, unavail, &d, err, sizeof(err)) != 0)
        fail_msg("%s: sim_exact_unavailability: %s", what, err);
    if (brute_unavailability(t, m, brute) < 0)
        fail_msg("%s: too many components for the brute force", what);
    for (int f = 0; f < nf; f++) {
        char msg[160];
        double share = 0;
        for (int j = 0; j < m->trees[f].n_tops; j++)
            share += m->tops[m->trees[f].first_top + j].share;
        assert_close(share, 1.0, 1e-15, "users-share sum");
        assert_int_equal(m->trees[f].feature, f);
        snprintf(msg, sizeof(msg), "%s: %s unavailability", what, t->features[f].name);
        assert_close((double)brute[f], unavail[f], REL_TOL, msg);
        snprintf(msg, sizeof(msg), "%s: %s availability", what, t->features[f].name);
        assert_close(1.0 - (double)brute[f], avail[f], REL_TOL, msg);
    }
    qr_mef_model_free(m);
}

static void add_feature(qr_topology *t, const char *name, unsigned needs)
{
    qr_feature *f = realloc(t->features, (size_t)(t->n_features + 1) * sizeof(*f));
    fx_oom(f);
    t->features = f;
    f = &t->features[t->n_features++];
    memset(f, 0, sizeof(*f));
    f->name = strdup(name);
    fx_oom(f->name);
    f->needs = needs;
}

static void frontends(qr_topology *t, int n, const double *a, int *fe)
{
    for (int i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof(name), "fe%d", i);
        fe[i] = fx_server(t, name, a[i]);
    }
    fx_frontends(t, fe, n);
}

/* Three front ends (odd seeds: no Back End vote), R = 3 routing groups,
 * standalone SQL and a share, plus two custom features: one needing only
 * the file store and one needing nothing (never down). */
static void test_mef_three_frontends_standalone(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[3];
    frontends(&t, 3, (double[]){ 0.99, 0.98, 0.97 }, fe);
    fx_standalone(&t, fx_server(&t, "sql", 0.995));
    fx_share(&t, fx_server(&t, "fs", 0.96));
    t.pool.routing_groups = 7;
    add_feature(&t, "files_only", QR_NEED_FILE_STORE);
    add_feature(&t, "nothing", 0);
    check_against_exact(&t, "3 FE standalone");
    qr_topology_release(&t);
}

/* Two front ends (even seeds: the Back End votes, M1.2; R = 2 groups with
 * the Back End tie-break, M2.2), SQL mirroring with a witness on the front
 * ends themselves (M1.8) and DFS. */
static void test_mef_two_frontends_mirroring(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[2];
    frontends(&t, 2, (double[]){ 0.9, 0.8 }, fe);
    int w = fx_server(&t, "sqlw", 0.7);
    fx_mirroring(&t, fe[0], fe[1], w);
    int fs[2] = { fx_server(&t, "fs1", 0.85), fx_server(&t, "fs2", 0.75) };
    fx_dfs(&t, fs, 2);
    check_against_exact(&t, "2 FE mirroring");
    /* Without a witness: either partner serves. */
    t.pool.backend.witness = -1;
    check_against_exact(&t, "2 FE mirroring, no witness");
    qr_topology_release(&t);
}

/* Four front ends on two hosts in two sites (containment, M0.2), four
 * seeds plus the Back End vote, groups of three replicas, external SQL. */
static void test_mef_hosts_sites_containment(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int s1 = fx_avail(&t, "site1", QR_COMP_SITE, -1, -1, 0.999);
    int s2 = fx_avail(&t, "site2", QR_COMP_SITE, -1, -1, 0.998);
    int h1 = fx_avail(&t, "h1", QR_COMP_HOST, s1, -1, 0.99);
    int h2 = fx_avail(&t, "h2", QR_COMP_HOST, s2, -1, 0.98);
    int fe[4];
    fe[0] = fx_avail(&t, "fe0", QR_COMP_SERVER, s1, h1, 0.95);
    fe[1] = fx_avail(&t, "fe1", QR_COMP_SERVER, s2, h2, 0.94);
    fe[2] = fx_avail(&t, "fe2", QR_COMP_SERVER, s1, h1, 0.93);
    fe[3] = fx_avail(&t, "fe3", QR_COMP_SERVER, s2, h2, 0.92);
    fx_frontends(&t, fe, 4);
    fx_external(&t, fx_avail(&t, "sqlha", QR_COMP_EXTERNAL_SQL, -1, -1, 0.97));
    fx_share(&t, fx_avail(&t, "fs", QR_COMP_SERVER, s2, -1, 0.9));
    t.pool.routing_groups = 10;
    check_against_exact(&t, "4 FE on hosts");
    qr_topology_release(&t);
}

/* AlwaysOn on a two-node cluster with a file share witness (even voting
 * nodes: the witness votes), and a file-share cluster on a shared disk. */
static void test_mef_alwayson_fsw_cluster_store(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[2];
    frontends(&t, 2, (double[]){ 0.9, 0.85 }, fe);
    int nas = fx_server(&t, "nas", 0.8);
    int san = fx_avail(&t, "san", QR_COMP_STORAGE, -1, -1, 0.75);
    int c = fx_cluster(&t, "wsfc", fe, NULL, 2, QR_WITNESS_FILE_SHARE, nas);
    fx_alwayson(&t, c, fe, 2);
    fx_fs_cluster(&t, c, san);
    check_against_exact(&t, "AlwaysOn + FSW");
    qr_topology_release(&t);
}

/* An FCI on three nodes, one of them with NodeWeight 0 (two voting nodes:
 * the disk witness votes), and a file store on DFS. */
static void test_mef_fci_weights_disk_witness(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[3];
    frontends(&t, 3, (double[]){ 0.9, 0.85, 0.8 }, fe);
    int n[3] = { fx_server(&t, "n1", 0.9), fx_server(&t, "n2", 0.8),
                 fx_server(&t, "n3", 0.7) };
    int disk = fx_avail(&t, "disk", QR_COMP_STORAGE, -1, -1, 0.95);
    int qdisk = fx_avail(&t, "qdisk", QR_COMP_STORAGE, -1, -1, 0.6);
    int c = fx_cluster(&t, "sqlc", n, (int[]){ 1, 1, 0 }, 3, QR_WITNESS_DISK, qdisk);
    fx_fci(&t, c, disk);
    int fs[2] = { fe[1], fe[2] };
    fx_dfs(&t, fs, 2);
    check_against_exact(&t, "FCI weights");
    /* Three voting nodes: the witness no longer votes. */
    t.clusters[c].weight[2] = 1;
    check_against_exact(&t, "FCI three votes");
    qr_topology_release(&t);
}

/* Seven front ends with 9 groups... and 8 front ends (7 seeds, M1.1):
 * non-seed front ends carry groups but no vote. */
static void test_mef_seed_subset(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[8];
    frontends(&t, 8, (double[]){ 0.9, 0.85, 0.8, 0.75, 0.7, 0.88, 0.92, 0.6 }, fe);
    fx_standalone(&t, fx_server(&t, "sql", 0.9));
    fx_share(&t, fe[7]);
    t.pool.routing_groups = 12;
    check_against_exact(&t, "8 FE");
    qr_topology_release(&t);
}

static const qr_mef_gate *gate_named(const qr_mef_model *m, const char *name)
{
    for (int g = 0; g < m->n_gates; g++)
        if (strcmp(m->gates[g].name, name) == 0)
            return &m->gates[g];
    fail_msg("no gate %s", name);
    return NULL;
}

/* The gate shapes of the k-of-n rules: M1.2 with 4 seeds is atleast 3 of
 * 5 (the Back End vote); mirroring with a witness is atleast 2 of 3; a
 * two-node cluster with a witness is atleast 2 of 3 votes; M2.2 with R = 2
 * is atleast 2 of {both replicas, back end}. */
static void test_mef_kofn_gate_shapes(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[4];
    frontends(&t, 4, (double[]){ 0.9, 0.9, 0.9, 0.9 }, fe);
    fx_mirroring(&t, fe[0], fe[1], fx_server(&t, "w", 0.9));
    fx_share(&t, fe[2]);
    qr_mef_model *m = build(&t);
    const qr_mef_gate *pool = gate_named(m, "pool_down");
    assert_int_equal(pool->op, QR_MEF_ATLEAST);
    assert_int_equal(pool->min, 3);
    assert_int_equal(pool->n_args, 5);
    const qr_mef_gate *be = gate_named(m, "backend_down");
    assert_int_equal(be->op, QR_MEF_ATLEAST);
    assert_int_equal(be->min, 2);
    assert_int_equal(be->n_args, 3);
    assert_int_equal(pool->args[4].kind, QR_MEF_GATE);
    assert_ptr_equal(&m->gates[pool->args[4].index], be);
    qr_mef_model_free(m);

    /* Two front ends: groups on both, with the Back End tie-break. */
    fx_frontends(&t, fe, 2);
    m = build(&t);
    const qr_mef_gate *set = gate_named(m, "groups_on_fe0_fe1_not_writable");
    assert_int_equal(set->op, QR_MEF_ATLEAST);
    assert_int_equal(set->min, 2);
    assert_int_equal(set->n_args, 3);
    qr_mef_model_free(m);
    qr_topology_release(&t);

    /* Cluster of two nodes and a witness: quorum lost at 2 of 3 absent. */
    fx_init(&t);
    frontends(&t, 3, (double[]){ 0.9, 0.9, 0.9 }, fe);
    int n[2] = { fx_server(&t, "n1", 0.9), fx_server(&t, "n2", 0.9) };
    int c = fx_cluster(&t, "c1", n, NULL, 2, QR_WITNESS_CLOUD,
                       fx_avail(&t, "cw", QR_COMP_CLOUD_WITNESS, -1, -1, 0.99));
    fx_alwayson(&t, c, n, 2);
    fx_share(&t, fe[0]);
    m = build(&t);
    const qr_mef_gate *cl = gate_named(m, "cluster_c1_down");
    assert_int_equal(cl->op, QR_MEF_ATLEAST);
    assert_int_equal(cl->min, 2);
    assert_int_equal(cl->n_args, 3);
    qr_mef_model_free(m);
    qr_topology_release(&t);
}

/* Constant folding: a front end that never fails is no basic event and
 * shrinks the pool's atleast gate (2 of 3 becomes 2 of the other two, an
 * AND); a missing Back End server (index -1) is always down, so a feature
 * that needs the back end has the constant TRUE as its top. */
static void test_mef_constants_fold(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[3];
    frontends(&t, 3, (double[]){ 1.0, 0.9, 0.8 }, fe);
    fx_standalone(&t, -1);
    fx_share(&t, fx_server(&t, "fs", 1.0));
    qr_mef_model *m = build(&t);
    assert_int_equal(m->n_events, 2);   /* fe1, fe2 */
    const qr_mef_gate *pool = gate_named(m, "pool_down");
    assert_int_equal(pool->op, QR_MEF_AND);
    assert_int_equal(pool->n_args, 2);
    int p2p = qr_topology_find_feature(&t, "p2p_calls");
    int conf = qr_topology_find_feature(&t, "conferencing");
    const qr_mef_top *tp = &m->tops[m->trees[conf].first_top];
    assert_int_equal(tp->ref.kind, QR_MEF_CONST);
    assert_int_equal(tp->ref.index, 1);
    tp = &m->tops[m->trees[p2p].first_top];
    assert_int_equal(tp->ref.kind, QR_MEF_GATE);
    unsigned char down[2] = { 1, 0 };
    assert_int_equal(qr_mef_eval(m, tp->ref, down), 0);
    down[1] = 1;
    assert_int_equal(qr_mef_eval(m, tp->ref, down), 1);
    qr_mef_model_free(m);
    check_against_exact(&t, "constants");
    qr_topology_release(&t);
}

/* M2.5: a feature that needs a routing group has one top per distinct
 * replica set; their shares are groups / G and cover all G groups. */
static void test_mef_group_tops_shares(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[5];
    frontends(&t, 5, (double[]){ 0.9, 0.9, 0.9, 0.9, 0.9 }, fe);
    fx_standalone(&t, fx_server(&t, "sql", 0.99));
    fx_share(&t, fx_server(&t, "fs", 0.99));
    t.pool.routing_groups = 64;
    qr_mef_model *m = build(&t);
    int presence = qr_topology_find_feature(&t, "presence");
    int p2p = qr_topology_find_feature(&t, "p2p_calls");
    const qr_mef_tree *tr = &m->trees[presence];
    assert_true(tr->n_tops > 1);
    assert_true(tr->n_tops <= 10);   /* C(5,3) distinct sets at most */
    int groups = 0;
    for (int j = 0; j < tr->n_tops; j++) {
        const qr_mef_top *tp = &m->tops[tr->first_top + j];
        assert_true(tp->groups > 0);
        assert_true(tp->share == (double)tp->groups / 64);
        groups += tp->groups;
    }
    assert_int_equal(groups, 64);
    assert_int_equal(m->trees[p2p].n_tops, 1);
    assert_int_equal(m->tops[m->trees[p2p].first_top].groups, 0);
    qr_mef_model_free(m);
    qr_topology_release(&t);
}

/* Identifiers: anything but letters, digits and '_' becomes '_', a
 * leading digit gets a '_', and names that collide get _2, _3. */
static void test_mef_names_sanitized_unique(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[3];
    fe[0] = fx_server(&t, "fe-1.x", 0.9);
    fe[1] = fx_server(&t, "fe_1_x", 0.9);
    fe[2] = fx_server(&t, "9lives", 0.9);
    fx_frontends(&t, fe, 3);
    fx_standalone(&t, fx_server(&t, "sql", 0.9));
    fx_share(&t, fx_server(&t, "fs", 0.9));
    qr_mef_model *m = build(&t);
    assert_string_equal(m->events[0].name, "fe_1_x");
    assert_string_equal(m->events[1].name, "fe_1_x_2");
    assert_string_equal(m->events[2].name, "_9lives");
    qr_mef_model_free(m);
    qr_topology_release(&t);
}

/* The XML: every gate that tops reach is written (private), the top gates
 * are public, probabilities round-trip exactly (%.17g), the exact values
 * are attributes, and labels are escaped. */
static void test_mef_write_xml(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[3];
    frontends(&t, 3, (double[]){ 0.9, 0.8, 0.7 }, fe);
    fx_standalone(&t, fx_server(&t, "sql<&>", 0.95));
    fx_share(&t, fx_server(&t, "fs", 0.9));
    free(t.name);
    t.name = strdup("design \"A\" & <B>");
    fx_oom(t.name);
    qr_mef_model *m = build(&t);
    double avail[8], unavail[8];
    sim_exact_detail d;
    assert_int_equal(sim_exact_unavailability(&t, avail, unavail, &d, NULL, 0), 0);
    qr_mef_exact ex = { avail, unavail };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(qr_mef_write(m, &ex, f, NULL, 0), 0);
    fclose(f);
    assert_non_null(strstr(buf, "<opsa-mef>"));
    assert_non_null(strstr(buf, "</opsa-mef>"));
    assert_non_null(strstr(buf, "<label>design &quot;A&quot; &amp; &lt;B&gt;</label>"));
    assert_non_null(strstr(buf, "<define-gate name=\"pool_down\" role=\"private\">"));
    assert_non_null(strstr(buf, "<atleast min=\"2\">"));
    assert_non_null(strstr(buf, "<define-gate name=\"p2p_calls_down\">"));
    assert_non_null(strstr(buf, "<define-basic-event name=\"sql___\">"));
    /* One fault tree per feature. */
    int trees = 0;
    for (const char *p = buf; (p = strstr(p, "<define-fault-tree ")); p++)
        trees++;
    assert_int_equal(trees, t.n_features);
    /* fe0's probability, read back, is the same double. */
    const char *e = strstr(buf, "<define-basic-event name=\"fe0\">");
    assert_non_null(e);
    const char *v = strstr(e, "<float value=\"");
    assert_non_null(v);
    assert_true(strtod(v + 14, NULL) == m->events[0].p);
    char want[64];
    int p2p = qr_topology_find_feature(&t, "p2p_calls");
    snprintf(want, sizeof(want), "name=\"unavailability\" value=\"%.17g\"", unavail[p2p]);
    assert_non_null(strstr(buf, want));
    free(buf);
    qr_mef_model_free(m);
    qr_topology_release(&t);
}

/* The bundled designs with few enough failing components for the brute
 * force: the tree written equals sim_exact (the others are checked against
 * SCRAM by tests/cli/export.sh). */
static void test_mef_bundled_designs(void **state)
{
    (void)state;
    glob_t g;
    int checked = 0;
    assert_int_equal(glob("topologies/*.yaml", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        qr_diags d;
        qr_topology *t = NULL;
        assert_int_equal(qr_diags_init(&d, g.gl_pathv[i]), 0);
        if (qr_topology_load_file(g.gl_pathv[i], &t, &d) != 0)
            fail_msg("%s does not load", g.gl_pathv[i]);
        qr_diags_release(&d);
        int failing = 0;
        for (int c = 0; c < t->n_comps; c++)
            failing += comp_down_prob(&t->comps[c]) > 0;
        if (failing <= MAX_BRUTE) {
            check_against_exact(t, g.gl_pathv[i]);
            checked++;
        }
        qr_topology_free(t);
    }
    globfree(&g);
    assert_true(checked >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mef_three_frontends_standalone),
        cmocka_unit_test(test_mef_two_frontends_mirroring),
        cmocka_unit_test(test_mef_hosts_sites_containment),
        cmocka_unit_test(test_mef_alwayson_fsw_cluster_store),
        cmocka_unit_test(test_mef_fci_weights_disk_witness),
        cmocka_unit_test(test_mef_seed_subset),
        cmocka_unit_test(test_mef_kofn_gate_shapes),
        cmocka_unit_test(test_mef_constants_fold),
        cmocka_unit_test(test_mef_group_tops_shares),
        cmocka_unit_test(test_mef_names_sanitized_unique),
        cmocka_unit_test(test_mef_write_xml),
        cmocka_unit_test(test_mef_bundled_designs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
