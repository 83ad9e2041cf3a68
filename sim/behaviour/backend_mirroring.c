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
 *   forced service, counted as a data-loss risk.
 * - Assumption A1 (sim_config.planned_sql_failover): a graceful shutdown of
 *   the principal's server is preceded by a manual failover when the mirror
 *   is up and synchronized, so it costs no outage.
 */
#include "sim/state.h"

/* The slot of the Back End module's timer k (SIM_BE_T_*). */
static int be_slot(const sim_engine *e, int k)
{
    return sim_timer_slot(e, SIM_MOD_BACKEND, k);
}

/* ---- mirroring ---- */

static void mirror_begin(sim_engine *e)
{
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
    e->be_synchronized = was_synchronized && sim_up(e, e->be_mirror);
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

static void mirror_update(sim_engine *e)
{
    const qr_backend *b = &e->t->pool.backend;
    bool has_witness = b->witness >= 0;
    bool pu = sim_up(e, e->be_principal), mu = sim_up(e, e->be_mirror);
    bool wu = has_witness && sim_up(e, b->witness);

    e->be_serving = pu && (!has_witness || mu || wu); /* M3.2 */

    bool failover;
    double delay;
    if (has_witness) { /* M3.3 automatic */
        failover = !pu && mu && wu && e->be_synchronized;
        delay = b->failover_time;
    } else { /* M3.4 by hand */
        failover = !pu && mu && e->cfg.operator_actions;
        delay = e->t->params.sql_failover_after;
    }
    if (!failover)
        sim_timer_cancel(e, be_slot(e, SIM_BE_T_FAILOVER));
    else if (!sim_timer_armed(e, be_slot(e, SIM_BE_T_FAILOVER)))
        sim_timer_arm(e, be_slot(e, SIM_BE_T_FAILOVER), e->now + delay);

    /* M3.3 resynchronization needs both partners up. */
    if (pu && mu && !e->be_synchronized) {
        if (!sim_timer_armed(e, be_slot(e, SIM_BE_T_RESYNC)))
            sim_timer_arm(e, be_slot(e, SIM_BE_T_RESYNC), e->now + b->resync_time);
    } else {
        sim_timer_cancel(e, be_slot(e, SIM_BE_T_RESYNC));
    }
}

static void mirror_on_timer(sim_engine *e, int k)
{
    if (k == SIM_BE_T_FAILOVER) {
        if (!sim_up(e, e->be_principal) && sim_up(e, e->be_mirror))
            swap_roles(e);
    } else if (k == SIM_BE_T_RESYNC) {
        e->be_synchronized = true;
    }
}

static int mirror_manual_failover(sim_engine *e)
{
    if (!sim_up(e, e->be_mirror))
        return 0;
    swap_roles(e);
    sim_timer_cancel(e, be_slot(e, SIM_BE_T_FAILOVER));
    return 1;
}

const sim_backend_ops sim_backend_mirroring = {
    "mirroring", mirror_begin, mirror_on_change, mirror_update, mirror_on_timer,
    mirror_manual_failover, NULL, NULL, NULL,
};
