/*
 * test_cluster.c: Windows failover clusters in the full simulation
 * (M4, sim/behaviour/cluster.c and sim/behaviour/backend_cluster.c): one scripted scenario per
 * rule and per documented case of M4.4, AlwaysOn, FCI and the file-share
 * cluster (M5.1), the agreement with the static view (M9) when every delay
 * is zero and dynamic quorum is off, and the bundled AlwaysOn design.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/diag.h"
#include "exact/exact.h"
#include "model/loader.h"
#include "sim/runner.h"
#include "sim_script.h"
#include "exact/structure.h"

/* A pool of three front ends (standalone SQL, one share) beside a cluster
 * "wsfc" of n nodes n1..nn with a witness of kind wk: the server "w" (file
 * share), the storage "disk", or the cloud witness "cloud". The cluster runs
 * no role of the pool unless a test adds one. */
static qr_topology *quorum_topo(int n, qr_witness_kind wk)
{
    qr_topology *t = tt_pool(3);
    int nodes[8];
    char name[16];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "n%d", i + 1);
        nodes[i] = tt_server(t, name);
    }
    int w = -1;
    if (wk == QR_WITNESS_FILE_SHARE)
        w = tt_server(t, "w");
    else if (wk == QR_WITNESS_DISK)
        w = tt_comp(t, "disk", QR_COMP_STORAGE, -1, -1);
    else if (wk == QR_WITNESS_CLOUD)
        w = tt_comp(t, "cloud", QR_COMP_CLOUD_WITNESS, -1, -1);
    tt_cluster(t, "wsfc", n, nodes, wk, w);
    return t;
}

static int node(const qr_topology *t, int i)
{
    char name[16];
    snprintf(name, sizeof(name), "n%d", i);
    int c = qr_topology_find(t, name);
    assert_true(c >= 0);
    return c;
}

static sim_cluster_status cst(sim_engine *e, double t)
{
    sim_cluster_status s;
    sim_engine_run(e, t);
    assert_int_equal(sim_engine_cluster(e, 0, &s), 0);
    return s;
}

static bool running_at(sim_engine *e, double t)
{
    return cst(e, t).running;
}

/* Crash nodes list[0..n) at time t (separate events at the same time). */
static void crash_all(sim_engine *e, const qr_topology *t, double at, int n, const int *list)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(sim_engine_schedule(e, at, SIM_ACT_CRASH, node(t, list[i])), 0);
    sim_engine_run(e, at);
}

/* M4.1: NodeWeights and the witness make the votes; a weight-0 node is
 * not counted; a disk witness goes with its storage, a cloud witness is a
 * component of its own. Dynamic quorum off: the configured votes hold. */
static void test_cluster_m4_1_votes(void **state)
{
    (void)state;
    /* n3 has weight 0: two voting nodes (even) plus the file share witness. */
    qr_topology *t = quorum_topo(3, QR_WITNESS_FILE_SHARE);
    t->clusters[0].weight[2] = 0;
    t->clusters[0].dynamic_quorum = false;
    sim_engine *e = ts_engine(t, false);
    sim_cluster_status s = cst(e, 0);
    assert_int_equal(s.votes_counted, 3);
    assert_int_equal(s.votes_present, 3);
    assert_true(s.witness_votes);
    assert_int_equal(sim_engine_node_vote(e, 0, 2), 0);
    ts_do(e, 10, SIM_ACT_CRASH, node(t, 3)); /* no vote: nothing changes */
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 2));
    s = cst(e, 200);
    assert_true(s.running);
    assert_int_equal(s.votes_present, 2);
    ts_do(e, 300, SIM_ACT_CRASH, qr_topology_find(t, "w"));
    s = cst(e, 300);
    assert_false(s.running);
    assert_int_equal(s.state, SIM_CLUSTER_DOWN);
    assert_int_equal(s.quorum_losses, 1);
    sim_engine_free(e);
    qr_topology_free(t);

    /* Disk witness: the storage is the witness. */
    t = quorum_topo(2, QR_WITNESS_DISK);
    e = ts_engine(t, false);
    assert_int_equal(cst(e, 0).votes_counted, 3);
    ts_do(e, 10, SIM_ACT_CRASH, qr_topology_find(t, "disk"));
    ts_do(e, 11, SIM_ACT_CRASH, node(t, 1)); /* before the adjustment */
    assert_false(running_at(e, 12));
    sim_engine_free(e);
    qr_topology_free(t);

    /* Cloud witness: with it, one node of two may go. */
    t = quorum_topo(2, QR_WITNESS_CLOUD);
    e = ts_engine(t, false);
    ts_do(e, 10, SIM_ACT_CRASH, node(t, 1));
    assert_true(running_at(e, 11));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.4 case 1: two nodes and a witness survive one failure, not two. */
static void test_cluster_m4_4_two_nodes_witness(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(2, QR_WITNESS_FILE_SHARE);
    for (int first = 1; first <= 2; first++) {
        sim_engine *e = ts_engine(t, false);
        ts_do(e, 100, SIM_ACT_CRASH, node(t, first));
        assert_true(running_at(e, 200));
        ts_do(e, 300, SIM_ACT_CRASH, node(t, 3 - first));
        assert_false(running_at(e, 300));
        sim_engine_free(e);
    }
    qr_topology_free(t);
}

/* M4.4 case 2: three nodes survive one failure; a second sequential one
 * only when it hits the node that gave its vote up (M4.3 tie-break: after
 * n3 is lost, the last voting node listed, n2). */
static void test_cluster_m4_4_three_nodes(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(3, QR_WITNESS_NONE);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 3));
    assert_true(running_at(e, 105));
    assert_int_equal(cst(e, 105).votes_counted, 3); /* not processed yet */
    sim_cluster_status s = cst(e, 110);
    assert_int_equal(s.votes_counted, 1);           /* two left: tie-break */
    assert_int_equal(sim_engine_node_vote(e, 0, 0), 1);
    assert_int_equal(sim_engine_node_vote(e, 0, 1), 0);
    ts_do(e, 200, SIM_ACT_CRASH, node(t, 2)); /* the right node */
    assert_true(running_at(e, 300));
    sim_engine_free(e);

    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 3));
    ts_do(e, 200, SIM_ACT_CRASH, node(t, 1)); /* the wrong node */
    assert_false(running_at(e, 300));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.4 case 3: three nodes and a witness survive two sequential failures
 * (the witness gets a vote when two nodes are left). */
static void test_cluster_m4_4_three_nodes_witness_two_sequential(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(3, QR_WITNESS_FILE_SHARE);
    sim_engine *e = ts_engine(t, false);
    assert_false(cst(e, 0).witness_votes); /* odd nodes: no witness vote */
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    sim_cluster_status s = cst(e, 200);
    assert_true(s.running);
    assert_true(s.witness_votes);
    assert_int_equal(s.votes_counted, 3);
    ts_do(e, 300, SIM_ACT_CRASH, node(t, 2));
    assert_true(running_at(e, 400));
    ts_do(e, 500, SIM_ACT_CRASH, node(t, 3));
    assert_false(running_at(e, 500));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.4 case 4: four nodes and a witness survive two simultaneous failures,
 * not three. */
static void test_cluster_m4_4_four_nodes_witness_two_simultaneous(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(4, QR_WITNESS_FILE_SHARE);
    sim_engine *e = ts_engine(t, false);
    assert_int_equal(cst(e, 0).votes_counted, 5);
    int two[] = { 1, 2 }, three[] = { 1, 2, 3 };
    crash_all(e, t, 100, 2, two);
    assert_true(running_at(e, 100));
    sim_engine_free(e);
    e = ts_engine(t, false);
    crash_all(e, t, 100, 3, three);
    assert_false(running_at(e, 100));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.4 case 5: five nodes survive two simultaneous failures, not three. */
static void test_cluster_m4_4_five_nodes_two_simultaneous(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(5, QR_WITNESS_NONE);
    int two[] = { 2, 4 }, three[] = { 1, 3, 5 };
    sim_engine *e = ts_engine(t, false);
    crash_all(e, t, 100, 2, two);
    assert_true(running_at(e, 100));
    sim_engine_free(e);
    e = ts_engine(t, false);
    crash_all(e, t, 100, 3, three);
    assert_false(running_at(e, 100));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.2: sequential losses (further apart than quorum_adjust_delay) shrink
 * the cluster to the last node standing; losses closer together are
 * simultaneous. Without dynamic quorum the second loss of three is fatal. */
static void test_cluster_m4_2_dynamic_quorum(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(5, QR_WITNESS_NONE);
    sim_engine *e = ts_engine(t, false);
    for (int i = 5; i >= 2; i--) /* at two nodes n2 gives its vote up */
        ts_do(e, 100.0 * (6 - i), SIM_ACT_CRASH, node(t, i));
    sim_cluster_status s = cst(e, 1000);
    assert_true(s.running); /* last man standing */
    assert_int_equal(s.votes_counted, 1);
    ts_do(e, 2000, SIM_ACT_CRASH, node(t, 1));
    assert_false(running_at(e, 2000));
    sim_engine_free(e);
    /* Each loss is processed at its own time: n2, lost 9 s after n1, is
     * still counted when n1's loss is processed, so losing n3 2 s later
     * leaves n4 alone with 1 of 3 votes (n5 gave its vote up at four). */
    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    ts_do(e, 109, SIM_ACT_CRASH, node(t, 2));
    assert_int_equal(cst(e, 110).votes_counted, 3);
    ts_do(e, 112, SIM_ACT_CRASH, node(t, 3));
    assert_false(running_at(e, 112));
    sim_engine_free(e);
    e = ts_engine(t, false); /* n3 lost after n2's loss is processed */
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    ts_do(e, 109, SIM_ACT_CRASH, node(t, 2));
    ts_do(e, 120, SIM_ACT_CRASH, node(t, 3));
    assert_true(running_at(e, 120));
    sim_engine_free(e);
    /* A node back before its loss is processed was never lost. */
    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 5));
    ts_do(e, 105, SIM_ACT_REPAIR, node(t, 5));
    sim_cluster_status s5 = cst(e, 200);
    assert_int_equal(s5.votes_counted, 5);
    assert_int_equal(s5.votes_present, 5);
    sim_engine_free(e);
    /* The other order leaves n5, which gave its vote up at two nodes. */
    e = ts_engine(t, false);
    for (int i = 1; i <= 4; i++)
        ts_do(e, 100.0 * i, SIM_ACT_CRASH, node(t, i));
    assert_false(running_at(e, 1000));
    sim_engine_free(e);
    qr_topology_free(t);

    /* Two nodes and a witness: the witness lost 5 s after a node, before
     * the node's loss was processed: 1 vote of 3. 20 s later: survived. */
    t = quorum_topo(2, QR_WITNESS_FILE_SHARE);
    int w = qr_topology_find(t, "w");
    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    ts_do(e, 105, SIM_ACT_CRASH, w);
    assert_false(running_at(e, 105));
    sim_engine_free(e);
    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    ts_do(e, 120, SIM_ACT_CRASH, w);
    assert_true(running_at(e, 120));
    sim_engine_free(e);
    /* A longer quorum_adjust_delay widens the window. */
    t->clusters[0].quorum_adjust_delay = 60;
    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    ts_do(e, 120, SIM_ACT_CRASH, w);
    assert_false(running_at(e, 120));
    sim_engine_free(e);
    qr_topology_free(t);

    /* Dynamic quorum off: three nodes do not survive a second loss. */
    t = quorum_topo(3, QR_WITNESS_NONE);
    t->clusters[0].dynamic_quorum = false;
    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 3));
    ts_do(e, 1000, SIM_ACT_CRASH, node(t, 2));
    assert_false(running_at(e, 1000));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.3: two nodes without a witness: the lowest-priority node (default the
 * last listed) has no vote, so the cluster survives only its loss; a
 * graceful shutdown of the voting node hands its vote over first. With
 * lowest_priority set to the first node the roles swap. */
static void test_cluster_m4_3_two_nodes_tie_break(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(2, QR_WITNESS_NONE);
    sim_engine *e = ts_engine(t, false);
    sim_cluster_status s = cst(e, 0);
    assert_int_equal(s.votes_counted, 1);
    assert_int_equal(sim_engine_node_vote(e, 0, 0), 1);
    assert_int_equal(sim_engine_node_vote(e, 0, 1), 0);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 2));
    assert_true(running_at(e, 200));
    sim_engine_free(e);

    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    assert_false(running_at(e, 200));
    sim_engine_free(e);

    e = ts_engine(t, false); /* graceful: the vote moves to n2 */
    ts_do(e, 100, SIM_ACT_SHUTDOWN, node(t, 1));
    assert_true(running_at(e, 100));
    assert_int_equal(sim_engine_node_vote(e, 0, 1), 1);
    ts_do(e, 200, SIM_ACT_START, node(t, 1));
    assert_int_equal(cst(e, 200).votes_counted, 1); /* back: tie-break again */
    assert_int_equal(sim_engine_node_vote(e, 0, 0), 1);
    ts_do(e, 300, SIM_ACT_SHUTDOWN, node(t, 2));
    assert_true(running_at(e, 300));
    sim_engine_free(e);

    t->clusters[0].lowest_priority = 0;
    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    assert_true(running_at(e, 200));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.3 dynamic witness: the witness votes only with even voting nodes; a
 * lost witness loses its vote and the tie-break applies; four nodes
 * without a witness survive two simultaneous losses only when one of them
 * is the node without a vote. Without dynamic witness (2012) the witness
 * always votes. */
static void test_cluster_m4_3_dynamic_witness(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(2, QR_WITNESS_FILE_SHARE);
    int w = qr_topology_find(t, "w");
    sim_engine *e = ts_engine(t, false);
    assert_true(cst(e, 0).witness_votes);
    ts_do(e, 100, SIM_ACT_CRASH, w);
    sim_cluster_status s = cst(e, 200);
    assert_false(s.witness_votes);
    assert_int_equal(s.votes_counted, 1);
    assert_int_equal(sim_engine_node_vote(e, 0, 1), 0);
    ts_do(e, 300, SIM_ACT_CRASH, node(t, 2));
    assert_true(running_at(e, 300));
    ts_do(e, 400, SIM_ACT_REPAIR, node(t, 2));
    ts_do(e, 500, SIM_ACT_REPAIR, w); /* back: the witness votes again */
    s = cst(e, 500);
    assert_true(s.witness_votes);
    assert_int_equal(s.votes_counted, 3);
    sim_engine_free(e);
    qr_topology_free(t);

    t = quorum_topo(4, QR_WITNESS_NONE);
    int lucky[] = { 3, 4 }, unlucky[] = { 1, 2 };
    e = ts_engine(t, false);
    crash_all(e, t, 100, 2, lucky);
    assert_true(running_at(e, 100));
    sim_engine_free(e);
    e = ts_engine(t, false);
    crash_all(e, t, 100, 2, unlucky);
    assert_false(running_at(e, 100));
    sim_engine_free(e);
    qr_topology_free(t);

    t = quorum_topo(3, QR_WITNESS_FILE_SHARE);
    t->clusters[0].windows = QR_WINDOWS_2012;
    t->clusters[0].dynamic_witness = false;
    e = ts_engine(t, false);
    s = cst(e, 0);
    assert_true(s.witness_votes);
    assert_int_equal(s.votes_counted, 4);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.5: without quorum the cluster is offline; it forms again by itself
 * when a majority of its configured votes is present. */
static void test_cluster_m4_5_reforms_when_votes_return(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(2, QR_WITNESS_FILE_SHARE);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, node(t, 1));
    ts_do(e, 200, SIM_ACT_CRASH, node(t, 2));
    assert_false(running_at(e, 200));
    assert_false(running_at(e, T_DAY)); /* nobody forces it */
    ts_do(e, T_DAY + 1, SIM_ACT_REPAIR, node(t, 1)); /* n1 + witness: 2 of 3 */
    sim_cluster_status s = cst(e, T_DAY + 1);
    assert_int_equal(s.state, SIM_CLUSTER_UP);
    assert_int_equal(s.quorum_losses, 1);
    assert_int_equal(s.forced_quorums, 0);
    assert_int_equal(s.votes_counted, 1); /* recomputed: one node up */
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.5: the operator forces quorum operations.force_quorum.after the loss
 * (as soon as a node runs); forced mode ends when a configured majority
 * returns, and losing every node in it is another quorum loss. */
static void test_cluster_m4_5_forced_quorum_after_delay(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(3, QR_WITNESS_NONE);
    int two[] = { 1, 2 }, all[] = { 1, 2, 3 };
    sim_engine *e = ts_engine(t, true);
    crash_all(e, t, 100, 2, two);
    assert_false(running_at(e, 100 + 60 * T_MIN - 1));
    sim_cluster_status s = cst(e, 100 + 60 * T_MIN);
    assert_int_equal(s.state, SIM_CLUSTER_FORCED);
    assert_true(s.running);
    assert_int_equal(s.forced_quorums, 1);
    sim_status ps = ts_status(e, 100 + 60 * T_MIN);
    (void)ps;
    ts_do(e, 2 * T_HOUR, SIM_ACT_REPAIR, node(t, 1)); /* 2 of 3 configured */
    assert_int_equal(cst(e, 2 * T_HOUR).state, SIM_CLUSTER_UP);
    sim_engine_free(e);

    /* A longer operations.force_quorum.after delays it. */
    t->params.force_quorum_after = 2 * T_HOUR;
    e = ts_engine(t, true);
    crash_all(e, t, 100, 2, two);
    assert_false(running_at(e, 100 + 2 * T_HOUR - 1));
    assert_int_equal(cst(e, 100 + 2 * T_HOUR).state, SIM_CLUSTER_FORCED);
    /* Forced, then its last node goes: offline again. */
    ts_do(e, 3 * T_HOUR, SIM_ACT_CRASH, node(t, 3));
    s = cst(e, 3 * T_HOUR);
    assert_int_equal(s.state, SIM_CLUSTER_DOWN);
    assert_int_equal(s.quorum_losses, 2);
    sim_engine_free(e);
    t->params.force_quorum_after = 60 * T_MIN;

    /* No node up when the operator is ready: forced when one comes back. */
    e = ts_engine(t, true);
    crash_all(e, t, 100, 3, all);
    assert_false(running_at(e, 3 * T_HOUR));
    ts_do(e, 4 * T_HOUR, SIM_ACT_REPAIR, node(t, 3));
    assert_int_equal(cst(e, 4 * T_HOUR).state, SIM_CLUSTER_FORCED);
    sim_engine_free(e);

    /* Without operator actions nobody forces it. */
    e = ts_engine(t, false);
    crash_all(e, t, 100, 2, two);
    assert_false(running_at(e, T_DAY));
    assert_int_equal(cst(e, T_DAY).forced_quorums, 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* The forced quorums and cluster quorum losses reach the replication's
 * measures (M8). */
static void test_cluster_m4_5_counted_in_measures(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(3, QR_WITNESS_NONE);
    sim_engine *e = ts_engine(t, true);
    int two[] = { 1, 2 };
    crash_all(e, t, 100, 2, two);
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    assert_int_equal(sim_engine_finish(e, &r), 0);
    assert_int_equal(r.cluster_quorum_losses, 1);
    assert_int_equal(r.forced_quorums, 1);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* An AlwaysOn back end on the quorum topology: replicas n1 (primary), n2. */
static qr_topology *ag_topo(int n, qr_witness_kind wk)
{
    qr_topology *t = quorum_topo(n, wk);
    int reps[] = { node(t, 1), node(t, 2) };
    tt_alwayson(t, 0, 2, reps);
    return t;
}

/* M4.6: primary lost -> automatic failover to the synchronized replica
 * after backend.failover_time while the cluster keeps quorum; without
 * quorum no failover and no service until the cluster forms again. */
static void test_cluster_m4_6_ag_failover_only_with_quorum(void **state)
{
    (void)state;
    qr_topology *t = ag_topo(2, QR_WITNESS_FILE_SHARE);
    int n1 = node(t, 1), n2 = node(t, 2), w = qr_topology_find(t, "w");
    sim_engine *e = ts_engine(t, false);
    assert_true(ts_status(e, 0).backend_serving);
    ts_do(e, 100, SIM_ACT_CRASH, n1);
    assert_false(ts_status(e, 159).backend_serving);
    sim_status s = ts_status(e, 160);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, n2);
    assert_int_equal(s.failovers, 1);
    sim_engine_free(e);

    /* Node and witness lost together: no quorum, so no failover. */
    e = ts_engine(t, false);
    assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_CRASH, n1), 0);
    ts_do(e, 100, SIM_ACT_CRASH, w);
    s = ts_status(e, T_HOUR);
    assert_false(s.backend_serving);
    assert_int_equal(s.failovers, 0);
    assert_int_equal(s.backend_principal, n1);
    /* The witness back: n2 + witness form the cluster; then failover. */
    ts_do(e, 2 * T_HOUR, SIM_ACT_REPAIR, w);
    assert_true(running_at(e, 2 * T_HOUR));
    assert_false(ts_status(e, 2 * T_HOUR + 59).backend_serving);
    s = ts_status(e, 2 * T_HOUR + 60);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, n2);
    sim_engine_free(e);
    qr_topology_free(t);

    /* The cluster lost while the primary's node runs: the AG stops. */
    t = ag_topo(3, QR_WITNESS_NONE);
    int lost[] = { 2, 3 };
    e = ts_engine(t, false);
    crash_all(e, t, 100, 2, lost);
    s = ts_status(e, 100);
    assert_int_equal(sim_engine_comp_state(e, node(t, 1)), SIM_UP);
    assert_false(s.backend_serving);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.6: a secondary back from a failure resynchronizes for
 * backend.resync_time; meanwhile the primary's loss allows no automatic
 * failover, only the operator's forced failover after
 * operations.sql_failover.after, a data-loss risk. */
static void test_cluster_m4_6_ag_resync_and_forced_failover(void **state)
{
    (void)state;
    qr_topology *t = ag_topo(3, QR_WITNESS_NONE);
    int n1 = node(t, 1), n2 = node(t, 2);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, n2);
    assert_false(ts_status(e, 100).backend_synchronized);
    ts_do(e, 1000, SIM_ACT_REPAIR, n2);
    assert_false(ts_status(e, 1000 + 5 * T_MIN - 1).backend_synchronized);
    assert_true(ts_status(e, 1000 + 5 * T_MIN).backend_synchronized);
    sim_engine_free(e);

    e = ts_engine(t, true);
    ts_do(e, 100, SIM_ACT_CRASH, n2);
    ts_do(e, 1000, SIM_ACT_REPAIR, n2);
    ts_do(e, 1100, SIM_ACT_CRASH, n1); /* n2 not synchronized yet */
    sim_status s = ts_status(e, 1100 + 30 * T_MIN - 1);
    assert_false(s.backend_serving);
    assert_int_equal(s.failovers, 0);
    s = ts_status(e, 1100 + 30 * T_MIN);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, n2);
    assert_int_equal(s.data_loss_risk, 1);
    sim_engine_free(e);

    e = ts_engine(t, false); /* nobody forces it */
    ts_do(e, 100, SIM_ACT_CRASH, n2);
    ts_do(e, 1000, SIM_ACT_REPAIR, n2);
    ts_do(e, 1100, SIM_ACT_CRASH, n1);
    assert_false(ts_status(e, T_DAY).backend_serving);
    ts_do(e, T_DAY + 1, SIM_ACT_SQL_FAILOVER, -1); /* scripted: forced */
    s = ts_status(e, T_DAY + 1);
    assert_true(s.backend_serving);
    assert_int_equal(s.data_loss_risk, 1);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* Assumption A1 for AlwaysOn: a graceful shutdown of the primary's node is
 * preceded by a planned failover, without outage; the old primary, back,
 * is synchronized only after resynchronizing (it was down). Without A1 the
 * automatic failover takes backend.failover_time. */
static void test_cluster_m4_6_ag_planned_failover(void **state)
{
    (void)state;
    qr_topology *t = ag_topo(2, QR_WITNESS_FILE_SHARE);
    int n1 = node(t, 1), n2 = node(t, 2);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_SHUTDOWN, n1);
    sim_status s = ts_status(e, 100);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, n2);
    assert_int_equal(s.failovers, 1);
    assert_int_equal(s.data_loss_risk, 0);
    ts_do(e, 1000, SIM_ACT_START, n1);
    assert_false(ts_status(e, 1000).backend_synchronized);
    assert_true(ts_status(e, 1000 + 5 * T_MIN).backend_synchronized);
    /* A scripted manual failover back to the synchronized n1: no risk. */
    ts_do(e, 2000, SIM_ACT_SQL_FAILOVER, -1);
    s = ts_status(e, 2000);
    assert_int_equal(s.backend_principal, n1);
    assert_true(s.backend_serving);
    assert_true(s.backend_synchronized); /* n2 was up: still synchronized */
    assert_int_equal(s.data_loss_risk, 0);
    sim_engine_free(e);

    sim_config c;
    sim_config_default(&c);
    c.random_failures = c.patching = false;
    c.operator_actions = false;
    c.planned_sql_failover = false;
    e = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(e);
    assert_int_equal(sim_engine_begin(e, 1, 0), 0);
    ts_do(e, 100, SIM_ACT_SHUTDOWN, n1);
    assert_false(ts_status(e, 100).backend_serving); /* automatic: 1 min */
    assert_true(ts_status(e, 160).backend_serving);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.7: the FCI runs on one node with the shared disk; down while the
 * disk is down; moves to the next node up after backend.failover_time when
 * its node fails, if the cluster runs. */
static void test_cluster_m4_7_fci_needs_disk_and_quorum(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(3, QR_WITNESS_NONE);
    int san = tt_comp(t, "san", QR_COMP_STORAGE, -1, -1);
    tt_fci(t, 0, san);
    int n1 = node(t, 1), n2 = node(t, 2);
    sim_engine *e = ts_engine(t, false);
    assert_true(ts_status(e, 0).backend_serving);
    assert_int_equal(ts_status(e, 0).backend_principal, n1);
    ts_do(e, 100, SIM_ACT_CRASH, san);
    assert_false(ts_status(e, 100).backend_serving);
    ts_do(e, 200, SIM_ACT_REPAIR, san);
    assert_true(ts_status(e, 200).backend_serving);
    ts_do(e, 300, SIM_ACT_CRASH, n1);
    assert_false(ts_status(e, 359).backend_serving);
    sim_status s = ts_status(e, 360);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, n2);
    assert_int_equal(s.failovers, 1);
    /* n3 lost too (sequential: the cluster survives on n2, last voter);
     * then n2: the cluster is lost and the instance with it. */
    ts_do(e, 400, SIM_ACT_CRASH, node(t, 3));
    assert_true(ts_status(e, 400).backend_serving);
    ts_do(e, 500, SIM_ACT_CRASH, n2);
    assert_false(running_at(e, 500));
    assert_false(ts_status(e, 500).backend_serving);
    sim_engine_free(e);

    /* A scripted manual failover moves the instance to the next node. */
    e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_SQL_FAILOVER, -1);
    s = ts_status(e, 100);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, n2);
    assert_int_equal(s.failovers, 1);
    sim_engine_free(e);

    /* No quorum: no move. */
    e = ts_engine(t, false);
    int two[] = { 1, 2 };
    crash_all(e, t, 100, 2, two);
    s = ts_status(e, T_HOUR);
    assert_false(s.backend_serving);
    assert_int_equal(s.failovers, 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M5.1: a file-share cluster is M4 with the shared disk: down with its
 * disk or without quorum; its owner's loss costs file_store.failover_time. */
static void test_cluster_m5_1_file_share_cluster(void **state)
{
    (void)state;
    qr_topology *t = quorum_topo(2, QR_WITNESS_FILE_SHARE);
    int san = tt_comp(t, "san", QR_COMP_STORAGE, -1, -1);
    tt_fs_cluster(t, 0, san);
    t->pool.file_store.failover_time = 2 * T_MIN;
    int address_book = qr_topology_find_feature(t, "address_book");
    sim_engine *e = ts_engine(t, false);
    assert_true(ts_status(e, 0).file_store_up);
    ts_do(e, 100, SIM_ACT_SHUTDOWN, node(t, 1)); /* patched: the role moves */
    assert_false(ts_status(e, 100).file_store_up);
    assert_true(sim_engine_feature(e, address_book) == 0.0);
    assert_false(ts_status(e, 100 + 2 * T_MIN - 1).file_store_up);
    sim_status s = ts_status(e, 100 + 2 * T_MIN);
    assert_true(s.file_store_up);
    assert_int_equal(s.file_store_failovers, 1);
    assert_true(sim_engine_feature(e, address_book) == 1.0);
    ts_do(e, 1000, SIM_ACT_CRASH, san);
    assert_false(ts_status(e, 1000).file_store_up);
    ts_do(e, 2000, SIM_ACT_REPAIR, san);
    assert_true(ts_status(e, 2000).file_store_up);
    ts_do(e, 3000, SIM_ACT_START, node(t, 1));
    ts_do(e, 3000, SIM_ACT_CRASH, qr_topology_find(t, "w"));
    ts_do(e, 3001, SIM_ACT_CRASH, node(t, 1)); /* before the adjustment */
    assert_false(running_at(e, 3001));
    assert_false(ts_status(e, 3001).file_store_up);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* ---- site partitions ---- */

static int tt_link(qr_topology *t, const char *name, int a, int b)
{
    int l = tt_comp(t, name, QR_COMP_LINK, -1, -1);
    t->comps[l].link_a = a;
    t->comps[l].link_b = b;
    return l;
}

/* Three sites dc1..dc3 joined by links l12, l13, l23 (transit through a
 * site is allowed), a pool of three front ends without a site, and a
 * cluster with nodes_per_site nodes in dc1, then as many in dc2, n1..nk,
 * and a witness of kind wk: the file share "w" in dc3, or a cloud witness
 * (no site: reachable from everywhere). AlwaysOn on n1 (primary) and the
 * first node of dc2. */
static qr_topology *sites_topo(int nodes_per_site, qr_witness_kind wk)
{
    qr_topology *t = tt_pool(3);
    int dc1 = tt_comp(t, "dc1", QR_COMP_SITE, -1, -1);
    int dc2 = tt_comp(t, "dc2", QR_COMP_SITE, -1, -1);
    int dc3 = tt_comp(t, "dc3", QR_COMP_SITE, -1, -1);
    tt_link(t, "l12", dc1, dc2);
    tt_link(t, "l13", dc1, dc3);
    tt_link(t, "l23", dc2, dc3);
    int nodes[8];
    char name[16];
    for (int i = 0; i < 2 * nodes_per_site; i++) {
        snprintf(name, sizeof(name), "n%d", i + 1);
        nodes[i] = tt_comp(t, name, QR_COMP_SERVER, i < nodes_per_site ? dc1 : dc2, -1);
    }
    int w = -1;
    if (wk == QR_WITNESS_FILE_SHARE)
        w = tt_comp(t, "w", QR_COMP_SERVER, dc3, -1);
    else if (wk == QR_WITNESS_CLOUD)
        w = tt_comp(t, "cloud", QR_COMP_CLOUD_WITNESS, -1, -1);
    tt_cluster(t, "wsfc", 2 * nodes_per_site, nodes, wk, w);
    int reps[] = { nodes[0], nodes[nodes_per_site] };
    tt_alwayson(t, 0, 2, reps);
    return t;
}

/* A link failure splitting the votes: each side counts its own; the file
 * share witness in the third site decides which side keeps the cluster;
 * the AG fails over to the side that runs. */
static void test_cluster_sites_witness_in_third_site_decides(void **state)
{
    (void)state;
    qr_topology *t = sites_topo(1, QR_WITNESS_FILE_SHARE);
    int l12 = qr_topology_find(t, "l12"), l13 = qr_topology_find(t, "l13");
    int l23 = qr_topology_find(t, "l23");
    int n1 = node(t, 1), n2 = node(t, 2);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, l12); /* still connected through dc3 */
    sim_cluster_status s = cst(e, 200);
    assert_true(s.running);
    assert_int_equal(s.votes_counted, 3);
    assert_true(ts_status(e, 200).backend_serving);
    ts_do(e, 300, SIM_ACT_CRASH, l13); /* dc1 cut off: dc2 has the witness */
    s = cst(e, 300);
    assert_true(s.running);
    assert_int_equal(s.votes_present, 2);
    assert_false(ts_status(e, 300).backend_serving); /* the primary, n1, is cut off */
    sim_status ps = ts_status(e, 360);
    assert_true(ps.backend_serving);
    assert_int_equal(ps.backend_principal, n2);
    assert_int_equal(sim_engine_comp_state(e, n1), SIM_UP);
    /* The links back: n1 rejoins at once. */
    ts_do(e, 1000, SIM_ACT_REPAIR, l13);
    s = cst(e, 1000);
    assert_int_equal(s.votes_counted, 3);
    assert_int_equal(s.votes_present, 3);
    sim_engine_free(e);

    /* The other way: dc2 cut off, dc1 keeps the witness and the AG. */
    e = ts_engine(t, false);
    assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_CRASH, l12), 0);
    ts_do(e, 100, SIM_ACT_CRASH, l23);
    ps = ts_status(e, 200);
    assert_true(running_at(e, 200));
    assert_true(ps.backend_serving);
    assert_int_equal(ps.backend_principal, n1);
    assert_int_equal(ps.failovers, 0);
    assert_false(ps.backend_synchronized); /* n2 cannot follow */
    sim_engine_free(e);

    /* The witness's site down as well as the link: 1 vote of 3 each side. */
    e = ts_engine(t, false);
    assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_CRASH, l12), 0);
    ts_do(e, 100, SIM_ACT_CRASH, qr_topology_find(t, "dc3"));
    assert_false(running_at(e, 100));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* An FCI's disk must be on the side that keeps the cluster: with dc1 cut
 * off, the cluster runs on n2 in dc2 but the disk stays in dc1. */
static void test_cluster_sites_fci_disk_in_partition(void **state)
{
    (void)state;
    qr_topology *t = sites_topo(1, QR_WITNESS_FILE_SHARE);
    int san = tt_comp(t, "san", QR_COMP_STORAGE, qr_topology_find(t, "dc1"), -1);
    tt_fci(t, 0, san);
    int l12 = qr_topology_find(t, "l12"), l13 = qr_topology_find(t, "l13");
    sim_engine *e = ts_engine(t, false);
    assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_CRASH, l12), 0);
    ts_do(e, 100, SIM_ACT_CRASH, l13);
    assert_true(running_at(e, 100));
    sim_status s = ts_status(e, T_HOUR);
    assert_int_equal(s.backend_principal, node(t, 2)); /* moved... */
    assert_false(s.backend_serving);                   /* ...without its disk */
    ts_do(e, 2 * T_HOUR, SIM_ACT_REPAIR, l13);
    assert_true(ts_status(e, 2 * T_HOUR).backend_serving);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* A witness reachable from both sides (a cloud witness) votes for one
 * side only: the one with the most node votes, the first node's on a tie.
 * Four nodes without a witness split two and two: the tie-break vote
 * (M4.3) decides. */
static void test_cluster_sites_split_votes(void **state)
{
    (void)state;
    qr_topology *t = sites_topo(1, QR_WITNESS_CLOUD);
    int l12 = qr_topology_find(t, "l12"), l13 = qr_topology_find(t, "l13");
    int l23 = qr_topology_find(t, "l23");
    sim_engine *e = ts_engine(t, false);
    int cut[] = { l12, l13, l23 };
    for (int i = 0; i < 3; i++)
        assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_CRASH, cut[i]), 0);
    sim_engine_run(e, 100);
    sim_cluster_status s = cst(e, 100);
    assert_true(s.running);
    assert_int_equal(s.votes_present, 2); /* n1 and the witness */
    assert_true(ts_status(e, 100).backend_serving);
    s = cst(e, 200); /* processed: n2 is out, the witness stops voting */
    assert_int_equal(s.votes_counted, 1);
    assert_false(s.witness_votes);
    sim_engine_free(e);
    qr_topology_free(t);

    t = sites_topo(2, QR_WITNESS_NONE);
    e = ts_engine(t, false);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_CRASH,
                                             qr_topology_find(t, i == 0   ? "l12"
                                                                 : i == 1 ? "l13"
                                                                          : "l23")),
                         0);
    sim_engine_run(e, 100);
    s = cst(e, 100);
    assert_true(s.running); /* n1, n2 hold 2 of the 3 votes (n4 has none) */
    assert_int_equal(s.votes_present, 2);
    sim_engine_free(e);
    t->clusters[0].lowest_priority = 0; /* now dc1 holds 1 vote of 3 */
    e = ts_engine(t, false);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_CRASH,
                                             qr_topology_find(t, i == 0   ? "l12"
                                                                 : i == 1 ? "l13"
                                                                          : "l23")),
                         0);
    sim_engine_run(e, 100);
    s = cst(e, 100);
    assert_true(s.running);
    assert_false(ts_status(e, 100).backend_serving); /* n1 is cut off */
    assert_true(ts_status(e, 160).backend_serving);   /* failed over to n3 */
    assert_int_equal(ts_status(e, 160).backend_principal, node(t, 3));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* ---- agreement with the static view (M9) ---- */

/* A small linear congruential generator: a fixed, portable script. */
static unsigned next_rand(unsigned *x)
{
    *x = *x * 1103515245u + 12345u;
    return (*x >> 16) & 0x7fff;
}

/* With every delay zero, dynamic quorum off and no operator, every random
 * sequence of crashes and repairs of the cluster's parts leaves the full
 * engine's cluster, FCI and file-share cluster exactly where M9 puts them,
 * and the availability group never above M9 (below only while the primary
 * is down and no synchronized replica is up: M9 ignores synchronization). */
static void check_static_agreement(qr_topology *t, const char *what)
{
    qr_cluster *cl = &t->clusters[0];
    cl->dynamic_quorum = false;
    cl->quorum_adjust_delay = 0;
    t->pool.backend.failover_time = 0;
    t->pool.backend.resync_time = 0;
    t->pool.file_store.failover_time = 0;
    sim_structure *st = sim_structure_new(t);
    assert_non_null(st);
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    /* The parts: nodes, witness, disks. */
    int parts[16], n = 0;
    for (int j = 0; j < cl->n_nodes; j++)
        parts[n++] = cl->nodes[j];
    if (cl->witness >= 0)
        parts[n++] = cl->witness;
    if (t->pool.backend.storage >= 0)
        parts[n++] = t->pool.backend.storage;
    if (t->pool.file_store.storage >= 0 && t->pool.file_store.storage != t->pool.backend.storage)
        parts[n++] = t->pool.file_store.storage;
    unsigned char *up = malloc((size_t)t->n_comps), *eff = malloc((size_t)t->n_comps);
    memset(up, 1, (size_t)t->n_comps);
    unsigned seed = 12345;
    int checked = 0, ag_below = 0;
    for (int step = 1; step <= 400; step++) {
        int i = parts[next_rand(&seed) % (unsigned)n];
        up[i] = !up[i];
        ts_do(e, 100.0 * step, up[i] ? SIM_ACT_REPAIR : SIM_ACT_CRASH, i);
        sim_status s = ts_status(e, 100.0 * step);
        sim_structure_effective(st, up, eff);
        sim_services sv;
        sim_structure_services(st, eff, &sv);
        sim_cluster_status cs;
        assert_int_equal(sim_engine_cluster(e, 0, &cs), 0);
        if (cs.running != (sim_structure_cluster_up(st, eff, 0) != 0))
            fail_msg("%s step %d: cluster %d, static %d", what, step, cs.running,
                     sim_structure_cluster_up(st, eff, 0));
        if (s.file_store_up != (sv.file_store_up != 0))
            fail_msg("%s step %d: file store %d, static %d", what, step, s.file_store_up,
                     sv.file_store_up);
        if (t->pool.backend.kind == QR_BACKEND_ALWAYSON && s.backend_serving != sv.backend_serving) {
            /* Only the synchronization M9 leaves out may differ. */
            assert_true(sv.backend_serving && !s.backend_serving);
            assert_int_not_equal(sim_engine_comp_state(e, s.backend_principal), SIM_UP);
            assert_false(s.backend_synchronized);
            ag_below++;
        } else if (s.backend_serving != (sv.backend_serving != 0)) {
            fail_msg("%s step %d: back end %d, static %d", what, step, s.backend_serving,
                     sv.backend_serving);
        }
        checked++;
    }
    assert_int_equal(checked, 400);
    assert_true(ag_below < 100);
    free(up);
    free(eff);
    sim_engine_free(e);
    sim_structure_free(st);
}

static void test_cluster_m9_static_agreement(void **state)
{
    (void)state;
    static const struct {
        int nodes;
        qr_witness_kind wk;
        int zero_weight; /* node position with NodeWeight 0, -1 none */
    } shapes[] = {
        { 2, QR_WITNESS_FILE_SHARE, -1 }, { 3, QR_WITNESS_NONE, -1 },
        { 4, QR_WITNESS_DISK, -1 },       { 3, QR_WITNESS_CLOUD, 2 },
        { 5, QR_WITNESS_FILE_SHARE, 0 },  { 2, QR_WITNESS_NONE, -1 },
    };
    for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
        for (int fci = 0; fci <= 1; fci++) {
            qr_topology *t = quorum_topo(shapes[k].nodes, shapes[k].wk);
            if (shapes[k].zero_weight >= 0)
                t->clusters[0].weight[shapes[k].zero_weight] = 0;
            int san = tt_comp(t, "san", QR_COMP_STORAGE, -1, -1);
            if (fci) {
                tt_fci(t, 0, san);
            } else {
                int reps[] = { node(t, 1), node(t, 2) };
                tt_alwayson(t, 0, 2, reps);
            }
            tt_fs_cluster(t, 0, tt_comp(t, "san2", QR_COMP_STORAGE, -1, -1));
            char what[64];
            snprintf(what, sizeof(what), "%d nodes, witness %d, %s", shapes[k].nodes,
                     (int)shapes[k].wk, fci ? "fci" : "alwayson");
            check_static_agreement(t, what);
            qr_topology_free(t);
        }
    }
}

/* ---- the bundled design ---- */

/* topologies/2x-alwayson-fsw-disk.yaml runs in the full simulation: its
 * patch nights fail the AG over twice (A1) and move the file-share
 * cluster twice; the two-front-end pool pays for its stickiness against
 * the static view; the static estimate contains the exact value (M9). */
static void test_cluster_bundled_alwayson_full(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = NULL;
    qr_diags_init(&d, "topologies/2x-alwayson-fsw-disk.yaml");
    assert_int_equal(qr_topology_load_file("topologies/2x-alwayson-fsw-disk.yaml", &t, &d), 0);
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 10;
    o.runs = 20;
    o.seed = 3;
    o.threads = 2;
    sim_summary full, stat;
    char err[256];
    assert_int_equal(sim_run(t, &o, &full, NULL, err, sizeof(err)), 0);
    o.static_mode = true;
    assert_int_equal(sim_run(t, &o, &stat, NULL, err, sizeof(err)), 0);
    assert_true(full.failovers_year.mean > 20 && full.failovers_year.mean < 30);
    assert_true(full.file_store_failovers_year.mean > 20);
    assert_true(full.patch_nights_year.mean > 11);
    const sim_stat *fp = &full.f[full.n - 1].availability, *sp = &stat.f[stat.n - 1].availability;
    assert_true(fp->mean > 0.999);
    assert_true(fp->high < sp->low); /* the price of stickiness and delays */
    sim_summary_release(&full);
    sim_summary_release(&stat);

    /* Its --static estimate contains the exact M9 value (src/exact/exact.h). */
    double exact[16], pool_exact;
    assert_true(t->n_features <= 16);
    assert_int_equal(sim_exact_availability(t, exact, &pool_exact, err, sizeof(err)), 0);
    o.years = 100;
    o.runs = 100;
    o.seed = 12345;
    assert_int_equal(sim_run(t, &o, &stat, NULL, err, sizeof(err)), 0);
    sp = &stat.f[stat.n - 1].availability;
    assert_true(pool_exact >= sp->low && pool_exact <= sp->high);
    int conferencing = qr_topology_find_feature(t, "conferencing");
    const sim_stat *sc = &stat.f[conferencing].availability;
    assert_true(exact[conferencing] >= sc->low && exact[conferencing] <= sc->high);
    assert_true(exact[conferencing] < pool_exact); /* the file-share cluster's disk */
    sim_summary_release(&stat);
    qr_topology_free(t);
    qr_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_m4_1_votes),
        cmocka_unit_test(test_cluster_m4_4_two_nodes_witness),
        cmocka_unit_test(test_cluster_m4_4_three_nodes),
        cmocka_unit_test(test_cluster_m4_4_three_nodes_witness_two_sequential),
        cmocka_unit_test(test_cluster_m4_4_four_nodes_witness_two_simultaneous),
        cmocka_unit_test(test_cluster_m4_4_five_nodes_two_simultaneous),
        cmocka_unit_test(test_cluster_m4_2_dynamic_quorum),
        cmocka_unit_test(test_cluster_m4_3_two_nodes_tie_break),
        cmocka_unit_test(test_cluster_m4_3_dynamic_witness),
        cmocka_unit_test(test_cluster_m4_5_reforms_when_votes_return),
        cmocka_unit_test(test_cluster_m4_5_forced_quorum_after_delay),
        cmocka_unit_test(test_cluster_m4_5_counted_in_measures),
        cmocka_unit_test(test_cluster_m4_6_ag_failover_only_with_quorum),
        cmocka_unit_test(test_cluster_m4_6_ag_resync_and_forced_failover),
        cmocka_unit_test(test_cluster_m4_6_ag_planned_failover),
        cmocka_unit_test(test_cluster_m4_7_fci_needs_disk_and_quorum),
        cmocka_unit_test(test_cluster_m5_1_file_share_cluster),
        cmocka_unit_test(test_cluster_sites_witness_in_third_site_decides),
        cmocka_unit_test(test_cluster_sites_split_votes),
        cmocka_unit_test(test_cluster_sites_fci_disk_in_partition),
        cmocka_unit_test(test_cluster_m9_static_agreement),
        cmocka_unit_test(test_cluster_bundled_alwayson_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
