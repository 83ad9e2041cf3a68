/*
 * backend_mirroring.c: the Back End as synchronous SQL mirroring (M3), a
 * sim_backend_ops table (state.h) that the Back End module (backend.c)
 * calls; the single-server back ends are in backend_single.c, the
 * failover-cluster ones in backend_cluster.c.
 *
 * Mirroring state: which server holds the principal and which the mirror
 * (component indices; they swap at a failover) and whether the mirror is
 * synchronized.
 * - M3.2 the principal serves while it is up and, with a witness configured,
 *   sees the mirror or the witness. Without a witness it serves while up
 *   (M3.4: it runs exposed when the mirror is lost).
 * - M3.3 principal lost, mirror up and synchronized, witness up: automatic
 *   failover after backend.failover_time. The old principal comes back as
 *   the mirror and resynchronizes for backend.resync_time (the principal
 *   must be up meanwhile). A mirror that goes down is no longer
 *   synchronized.
 * - M3.4 no witness: the operator fails over by hand after
 *   operations.sql_failover.after; to an unsynchronized mirror that is
 *   forced service, counted as a data-loss risk. The same manual path
 *   when the witness is lost too (witness down, then the principal): the
 *   mirror cannot take over by itself, the Back End is down, and the
 *   operator forces service on the mirror after the same delay.
 * - Site partitions (topologies with links): "sees" needs a path of links
 *   between the two servers' sites (pool_partition.c). A principal cut off
 *   from both the mirror and the witness stops serving (M3.2); the mirror
 *   and the witness, in touch, fail over after backend.failover_time (the
 *   mirror stayed synchronized: the principal wrote nothing it could not
 *   send). A mirror cut off from a serving principal is no longer
 *   synchronized; the old principal, back in touch, resynchronizes.
 * - Assumption A1 (sim_config.planned_sql_failover): a graceful shutdown of
 *   the principal's server is preceded by a manual failover when the mirror
 *   is up and synchronized, so it costs no outage.
 */
#include "sim/state.h"

#include <stdlib.h>

/* The slot of the Back End module's timer k (SIM_BE_T_*). */
static int be_slot(const sim_engine *e, int k)
{
    return sim_timer_slot(e, SIM_MOD_BACKEND, k);
}

/* ---- mirroring ---- */

/* Mirroring's own state (the Back End module's). */
typedef struct {
    bool forced;          /* M3.4: the principal was forced into service  */
                          /*   and serves without the witness or mirror   */
                          /*   until it sees one of them again            */
} mirror_data;

static mirror_data *md_of(const sim_engine *e)
{
    return sim_module_state(e, SIM_MOD_BACKEND);
}

static int mirror_alloc(sim_engine *e, void **state)
{
    (void)e;
    *state = calloc(1, sizeof(mirror_data));
    return *state ? 0 : -1;
}

static void mirror_release(void *state)
{
    free(state);
}

static void mirror_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    (void)src;
    *(mirror_data *)dst_state = *(const mirror_data *)src_state;
}

static void mirror_begin(sim_engine *e)
{
    md_of(e)->forced = false;
    const qr_backend *b = &e->t->pool.backend;
    e->be_principal = b->principal;
    e->be_mirror = b->mirror;
    e->be_synchronized = true;
    e->be_serving = true;
}

/* Swap the roles; the new mirror is synchronized only when it was and is up
 * (a planned failover). Forced service to an unsynchronized mirror risks the
 * transactions it had not received. */
static void swap_roles(sim_engine *e)
{
    bool was_synchronized = e->be_synchronized;
    int p = e->be_principal;
    e->be_principal = e->be_mirror;
    e->be_mirror = p;
    e->be_synchronized = was_synchronized && sim_up(e, e->be_mirror) &&
                         sim_partition_reach(e, e->be_principal, e->be_mirror);
    e->rep.failovers++;
    if (!was_synchronized)
        e->rep.data_loss_risk++;
}

static void mirror_on_change(sim_engine *e, int comp, int old)
{
    int st = e->eff[comp];
    if (comp == e->be_mirror && st != SIM_UP)
        e->be_synchronized = false; /* it misses the principal's writes */
    /* A1: planned failover before a graceful shutdown of the principal. */
    if (comp == e->be_principal && old == SIM_UP && st == SIM_DOWN_GRACEFUL &&
        e->cfg.planned_sql_failover && sim_up(e, e->be_mirror) && e->be_synchronized)
        swap_roles(e);
}

/* Components a and b are up and reach each other (site partitions,
 * pool_partition.c; always without links). */
static bool sees(const sim_engine *e, int a, int b)
{
    return sim_up(e, a) && sim_up(e, b) && sim_partition_reach(e, a, b);
}

/* How the mirror can take over now: 0 not, 1 automatically (M3.3: with
 * the witness, the principal out of their reach), 2 forced by the
 * operator (M3.4: no witness, or the witness lost too). */
static int failover_kind(const sim_engine *e)
{
    const qr_backend *b = &e->t->pool.backend;
    int p = e->be_principal, m = e->be_mirror;
    if (!sim_up(e, m) || sees(e, p, m))
        return 0;
    if (b->witness >= 0) {
        if (sees(e, m, b->witness))
            return e->be_synchronized ? 1 : 0; /* M3.3 */
        /* M3.4, the manual path: the witness is gone too (or out of the
         * mirror's reach) and the Back End is down; the operator forces
         * service on the mirror. */
        return !e->be_serving && e->cfg.operator_actions ? 2 : 0;
    }
    return !sim_up(e, p) && e->cfg.operator_actions ? 2 : 0; /* M3.4 */
}

int sim_mirroring_failover_kind(const sim_engine *e)
{
    if (e->t->pool.backend.kind != QR_BACKEND_MIRRORING || !sim_backend_failing_over(e))
        return 0;
    return failover_kind(e);
}

static void mirror_update(sim_engine *e)
{
    const qr_backend *b = &e->t->pool.backend;
    bool has_witness = b->witness >= 0;
    int p = e->be_principal, m = e->be_mirror;
    bool pu = sim_up(e, p), mu = sim_up(e, m);

    /* M3.2: the principal serves while it sees the mirror or the witness
     * (with site partitions, "sees" needs a path of links); without a
     * witness while it is up (M3.4: exposed when the mirror is lost). */
    bool quorum = sees(e, p, m) || sees(e, p, b->witness);
    if (quorum || !pu)
        md_of(e)->forced = false; /* back to the normal rules */
    e->be_serving = pu && (!has_witness || quorum || md_of(e)->forced);
    /* A mirror out of the serving principal's reach misses its writes. */
    if (e->be_serving && !sees(e, p, m))
        e->be_synchronized = false;

    int kind = failover_kind(e);
    double delay = kind == 1 ? b->failover_time : e->t->params.sql_failover_after;
    int slot = be_slot(e, SIM_BE_T_FAILOVER);
    if (kind == 0)
        sim_timer_cancel(e, slot);
    else if (!sim_timer_armed(e, slot) || e->timer_at[slot] > e->now + delay)
        sim_timer_arm(e, slot, e->now + delay); /* the witness back: sooner */

    /* M3.3 resynchronization needs both partners up and in touch. */
    if (pu && mu && sees(e, p, m) && !e->be_synchronized) {
        if (!sim_timer_armed(e, be_slot(e, SIM_BE_T_RESYNC)))
            sim_timer_arm(e, be_slot(e, SIM_BE_T_RESYNC), e->now + b->resync_time);
    } else {
        sim_timer_cancel(e, be_slot(e, SIM_BE_T_RESYNC));
    }
}

static void mirror_on_timer(sim_engine *e, int k)
{
    if (k == SIM_BE_T_FAILOVER) {
        int kind = failover_kind(e);
        if (kind != 0) {
            swap_roles(e);
            /* Forced service (M3.4): the new principal serves without the
             * quorum of M3.2 until it sees a partner again. */
            md_of(e)->forced = kind == 2;
        }
    } else if (k == SIM_BE_T_RESYNC) {
        e->be_synchronized = true;
    }
}

static int mirror_manual_failover(sim_engine *e)
{
    if (!sim_up(e, e->be_mirror))
        return 0;
    swap_roles(e);
    md_of(e)->forced = true; /* ends at once when it sees a partner */
    sim_timer_cancel(e, be_slot(e, SIM_BE_T_FAILOVER));
    return 1;
}

const sim_backend_ops sim_backend_mirroring = {
    "mirroring", mirror_begin, mirror_on_change, mirror_update, mirror_on_timer,
    mirror_manual_failover, mirror_alloc, mirror_release, mirror_copy,
};
