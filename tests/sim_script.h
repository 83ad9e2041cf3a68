/*
 * sim_script.h: helpers for scripted (non-random) simulator tests:
 * an engine with random failures and patching off, run step by step.
 */
#ifndef TEST_SIM_SCRIPT_H
#define TEST_SIM_SCRIPT_H

#include "sim/engine.h"
#include "sim_topo.h"

static inline sim_engine *ts_engine(const qr_topology *t, bool operator_actions)
{
    sim_config c;
    sim_config_default(&c);
    c.horizon = T_YEAR;
    c.random_failures = false;
    c.patching = false;
    c.operator_actions = operator_actions;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    if (e && sim_engine_begin(e, 1, 0) != 0) {
        sim_engine_free(e);
        return NULL;
    }
    return e;
}

/* Schedule action a on comp at t and run up to t. */
static inline int ts_do(sim_engine *e, double t, sim_action a, int comp)
{
    if (sim_engine_schedule(e, t, a, comp) != 0)
        return -1;
    return sim_engine_run(e, t);
}

static inline sim_status ts_status(sim_engine *e, double t)
{
    sim_status s;
    sim_engine_run(e, t);
    sim_engine_status(e, &s);
    return s;
}

#endif
