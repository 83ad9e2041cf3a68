/*
 * backend_single.c: the Back End on one component (M3.6): a standalone SQL
 * server, up while its server is up, and an external SQL HA service, a
 * component with its own availability (or MTBF/MTTR) from the topology.
 * Both are sim_backend_ops tables (state.h) that the Back End module
 * (backend.c) calls; neither has timers, state or a manual failover.
 */
#include "sim/state.h"

static void single_begin(sim_engine *e)
{
    const qr_backend *b = &e->t->pool.backend;
    e->be_principal = b->kind == QR_BACKEND_EXTERNAL ? b->external : b->server;
    e->be_mirror = -1;
    e->be_synchronized = false;
    e->be_serving = true;
}

static void single_on_change(sim_engine *e, int comp, int old)
{
    (void)e;
    (void)comp;
    (void)old;
}

static void single_update(sim_engine *e)
{
    e->be_serving = sim_up(e, e->be_principal);
}

static void single_on_timer(sim_engine *e, int k)
{
    (void)e;
    (void)k;
}

static int single_manual_failover(sim_engine *e)
{
    (void)e;
    return 0;
}

const sim_backend_ops sim_backend_standalone = {
    "standalone", single_begin, single_on_change, single_update, single_on_timer,
    single_manual_failover, NULL, NULL, NULL,
};

/* External SQL HA (M3.6): a component with its own availability. */
const sim_backend_ops sim_backend_external = {
    "external", single_begin, single_on_change, single_update, single_on_timer,
    single_manual_failover, NULL, NULL, NULL,
};
