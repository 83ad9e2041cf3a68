/*
 * static_memo.c: the --static (M9) fast path of the engine. In static mode
 * every service is a function of the present own states of the components
 * that matter (sim_structure_relevant), so for a design with at most
 * SIM_STATIC_MEMO_MAX_BITS of them the engine keeps their down/up states
 * as a bit mask and memoizes, per mask, the index of the resulting vector
 * of feature values (features, then the pool). An event that flips a
 * component is then one table lookup; the structure function runs once per
 * distinct mask for the engine's life (the table survives replications),
 * and an event that changes no service skips the measures altogether.
 * Larger designs fall back to evaluating the structure at every event.
 * With the table, the effective states s_eff are only brought up to date
 * when a new mask is evaluated (sim_engine_comp_state reads s_up).
 * The results are identical either way: the memo stores exactly what
 * sim_structure_eval returned for that state.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/state.h"

int sim_static_memo_init(sim_engine *e)
{
    sim_static_memo *m = &e->memo;
    memset(m, 0, sizeof(*m));
    m->code_now = -1;
    unsigned char *rel = malloc((size_t)e->n_comps + 1);
    m->bit = malloc(sizeof(int) * ((size_t)e->n_comps + 1));
    if (!rel || !m->bit) {
        free(rel);
        return -1;
    }
    sim_structure_relevant(e->structure, rel);
    int n = 0;
    for (int i = 0; i < e->n_comps; i++)
        m->bit[i] = rel[i] ? n++ : -1;
    free(rel);
    if (n > SIM_STATIC_MEMO_MAX_BITS)
        return 0; /* no table: sim_static_settle evaluates every time */
    m->code = malloc(sizeof(int32_t) << n);
    if (!m->code)
        return -1;
    memset(m->code, 0xff, sizeof(int32_t) << n); /* -1: not computed yet */
    return 0;
}

void sim_static_memo_release(sim_engine *e)
{
    free(e->memo.bit);
    free(e->memo.code);
    free(e->memo.vals);
    memset(&e->memo, 0, sizeof(e->memo));
}

void sim_static_memo_begin(sim_engine *e)
{
    e->memo.mask = 0;
    e->memo.code_now = -1;
    e->memo.dirty = true;
}

void sim_static_memo_on_own(sim_engine *e, int i)
{
    sim_static_memo *m = &e->memo;
    if (!m->bit || m->bit[i] < 0)
        return;
    uint32_t b = 1u << m->bit[i];
    m->mask = e->s_up[i] ? m->mask & ~b : m->mask | b;
}

/* Evaluate the structure on the present state and return the index of the
 * result among the distinct vectors seen so far (adding it), -1 OOM. */
static int32_t memo_fill(sim_engine *e)
{
    sim_static_memo *m = &e->memo;
    const int nv = e->n_vals;
    double *v = e->new_val;
    sim_structure_effective(e->structure, e->s_up, e->s_eff);
    v[nv - 1] = sim_structure_eval(e->structure, e->s_eff, v) ? 1.0 : 0.0;
    for (int k = 0; k < m->n_distinct; k++)
        if (memcmp(&m->vals[(size_t)k * nv], v, sizeof(double) * (size_t)nv) == 0)
            return k;
    if (m->n_distinct == m->cap) {
        int cap = m->cap ? 2 * m->cap : 16;
        double *nvals = realloc(m->vals, sizeof(double) * (size_t)cap * (size_t)nv);
        if (!nvals)
            return -1;
        m->vals = nvals;
        m->cap = cap;
    }
    memcpy(&m->vals[(size_t)m->n_distinct * nv], v, sizeof(double) * (size_t)nv);
    return m->n_distinct++;
}

void sim_static_settle(sim_engine *e)
{
    sim_static_memo *m = &e->memo;
    if (!m->code) {
        e->static_pool = sim_structure_eval(e->structure, e->s_eff, e->static_feature);
        m->dirty = true;
        return;
    }
    int32_t c = m->code[m->mask];
    if (c < 0) {
        c = memo_fill(e);
        if (c < 0) {
            e->oom = true;
            return;
        }
        m->code[m->mask] = c;
    }
    if (c == m->code_now)
        return;
    m->code_now = c;
    m->dirty = true;
    const double *v = &m->vals[(size_t)c * e->n_vals];
    memcpy(e->static_feature, v, sizeof(double) * (size_t)(e->n_vals - 1));
    e->static_pool = v[e->n_vals - 1] != 0.0;
}
