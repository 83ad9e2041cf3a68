/*
 * fuzz_loader.c: libFuzzer harness for the topology loader (`make fuzz`).
 * Every input goes through qr_topology_load_buffer(); whatever it returns,
 * everything is freed, so AddressSanitizer's leak check catches a leak on
 * any path. The loader must never crash, hang or print. An accepted
 * topology then goes through the design rules and the M9 structure build,
 * the next steps of check and simulate, and through the dependency graph
 * (its DOT writer) and a k = 1 analysis, the first steps of analyze and
 * graph (cheap: no exact enumeration, no larger k).
 *
 * Every input is also read as a training-lab scenario (scenario.h) against
 * the 2.x design of M1.8, held for the whole run; an accepted scenario is
 * played (playback.h) with its end capped at 30 days, and its timeline
 * written as text and HTML.
 *
 * An accepted topology is also written back (topology_write.h) and the text
 * loaded again, which must succeed; and every input is read as a
 * requirements file of `quorate plan` (plan.h), whose accepted ones
 * generate their candidate designs (no simulation).
 *
 * Every input is also read as an assumptions file (assumptions.h); an
 * accepted one is applied to the 2.x design with a cluster, listed as the
 * reports list it (assumption_list.h), and the design written back, which
 * must load again. Its uncertain values (uncertain.h) must have their
 * point value between their 5th and 95th percentiles, finite and above 0;
 * each is set at its 5th and its 95th and applied again, as a sensitivity
 * analysis does.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact/analysis.h"
#include "exact/depgraph.h"
#include "model/assumption_list.h"
#include "model/assumptions.h"
#include "model/diag.h"
#include "out/html_timeline.h"
#include "model/loader.h"
#include "plan/plan.h"
#include "lab/playback.h"
#include "lab/scenario.h"
#include "check/rules.h"
#include "exact/structure.h"
#include "model/topology.h"
#include "model/topology_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char lab_topology[] =
    "servers: [ { name: s1 }, { name: s2 }, { name: sqlw } ]\n"
    "clusters: [ { name: c1, nodes: [s1, s2], witness: { file_share: sqlw } } ]\n"
    "pool:\n"
    "  version: sfb2015\n"
    "  frontends: [s1, s2]\n"
    "  backend: { mirroring: { principal: s1, mirror: s2, witness: sqlw } }\n"
    "  file_store: { dfs: [s1, s2] }\n";

/* The scenario side: parse, and play what is accepted. */
static void fuzz_scenario(const uint8_t *data, size_t size)
{
    static qr_topology *t; /* loaded once: libFuzzer runs one input at a time */
    qr_diags d;
    if (!t) {
        if (qr_diags_init(&d, "lab.yaml") != 0)
            return;
        if (qr_topology_load_buffer("lab.yaml", lab_topology, sizeof(lab_topology) - 1, &t,
                                    &d) != 0)
            __builtin_trap();
        qr_diags_release(&d);
    }
    if (qr_diags_init(&d, "scenario.yaml") != 0)
        return;
    qr_scenario *s = NULL;
    int r = qr_scenario_load_buffer("scenario.yaml", (const char *)data, size, t, &s, &d);
    if ((r == 0) != (s != NULL) || (r != 0 && d.n == 0))
        __builtin_trap();
    if (s) {
        if (s->until > 30 * 86400.0)
            s->until = 30 * 86400.0;
        qr_playback p;
        qr_playback_config pc = qr_playback_config_of(s);
        char err[128];
        if (qr_playback_init(&p, t, &pc, err, sizeof(err)) == 0) {
            for (int i = 0; i < s->n_steps && s->steps[i].at <= s->until; i++)
                if (qr_playback_step(&p, &s->steps[i], i) != 0)
                    break;
            (void)qr_playback_advance(&p, s->until);
            char *text = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&text, &len);
            if (f) {
                qr_playback_print(f, &p, 0, 0, "scenario.yaml");
                (void)qr_html_timeline(f, &p, s, "scenario.yaml");
                fclose(f);
            }
            free(text);
        }
        qr_playback_release(&p);
    }
    qr_scenario_free(s);
    qr_diags_release(&d);
}

/* The planner's side: requirements, then candidates when accepted. */
static void fuzz_requirements(const uint8_t *data, size_t size)
{
    qr_diags d;
    if (qr_diags_init(&d, "req.yaml") != 0)
        return;
    qr_requirements r;
    int rc = qr_requirements_load_buffer("req.yaml", (const char *)data, size, &r, &d);
    if (rc != 0 && d.n == 0)
        __builtin_trap();
    if (rc == 0) {
        qr_plan_candidates c;
        if (qr_plan_candidates_generate(&r, &c) == 0)
            qr_plan_candidates_release(&c);
    }
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

static void fuzz_write(const qr_topology *t);

/* The assumptions side: parse, and apply what is accepted. */
static void fuzz_assumptions(const uint8_t *data, size_t size)
{
    qr_diags d;
    if (qr_diags_init(&d, "assume.yaml") != 0)
        return;
    qr_assumptions *a = NULL;
    int r = qr_assumptions_load_buffer("assume.yaml", (const char *)data, size, &a, &d);
    if ((r == 0) != (a != NULL) || (r != 0 && d.n == 0))
        __builtin_trap();
    qr_diags_release(&d);
    if (!a)
        return;
    qr_topology *t = NULL;
    if (qr_diags_init(&d, "lab.yaml") == 0) {
        if (qr_topology_load_buffer("lab.yaml", lab_topology, sizeof(lab_topology) - 1, &t,
                                    &d) != 0)
            __builtin_trap();
        qr_diags_release(&d);
    }
    for (int k = 0; k < a->n_uncertain; k++) {
        const qr_uncertain *u = &a->uncertain[k];
        double lo = qr_uncertain_quantile(u, 0.05), mid = qr_uncertain_point(u),
               hi = qr_uncertain_quantile(u, 0.95);
        if (!(lo > 0 && lo <= mid && mid <= hi && isfinite(hi)))
            __builtin_trap();
    }
    if (t) {
        for (int k = 0; k < a->n_uncertain; k++) {
            qr_assumptions_set_uncertain(a, k, qr_uncertain_quantile(&a->uncertain[k], 0.05));
            qr_assumptions_apply(t, a);
            qr_assumptions_set_uncertain(a, k, qr_uncertain_quantile(&a->uncertain[k], 0.95));
            qr_assumptions_apply(t, a);
            qr_assumptions_set_uncertain(a, k, qr_uncertain_point(&a->uncertain[k]));
        }
        qr_assumptions_apply(t, a);
        qr_assumption_list l;
        if (qr_assumption_list_make(t, a, false, &l) == 0)
            qr_assumption_list_release(&l);
        fuzz_write(t);
    }
    qr_topology_free(t);
    qr_assumptions_free(a);
}

/* Write an accepted topology back; the text must load again. */
static void fuzz_write(const qr_topology *t)
{
    char *text = NULL, err[256];
    if (qr_topology_write(t, &text, err, sizeof(err)) != 0)
        return; /* out of memory only */
    qr_diags d;
    if (qr_diags_init(&d, "written.yaml") == 0) {
        qr_topology *back = NULL;
        int r = qr_topology_load_buffer("written.yaml", text, strlen(text), &back, &d);
        /* Only a limit (P010: aliases written out in full can pass 1 MiB)
         * may refuse what the writer wrote. */
        bool limit = false;
        for (size_t i = 0; i < d.n; i++)
            limit |= d.items[i].rule && strcmp(d.items[i].rule, "P010") == 0;
        if (r == 1 && !limit)
            __builtin_trap();
        qr_topology_free(back);
        qr_diags_release(&d);
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qr_diags diags;
    if (qr_diags_init(&diags, "fuzz.yaml") != 0)
        return 0;
    qr_topology *t = NULL;
    int r = qr_topology_load_buffer("fuzz.yaml", (const char *)data, size, &t,
                                    &diags);
    /* The API's promises: a topology only on success, a diagnostic with a
     * message on every failure. */
    if ((r == 0) != (t != NULL))
        __builtin_trap();
    if (r != 0 && (diags.n == 0 || !diags.items[0].message))
        __builtin_trap();
    if (t) {
        char buf[32];
        qr_topology_notation(t, buf, sizeof(buf));
        /* What `quorate check` and `quorate simulate` do next with an
         * accepted topology: the design rules and the M9 structure. */
        qr_diags rd;
        if (qr_diags_init(&rd, "fuzz.yaml") == 0) {
            (void)qr_rules_check(t, &rd);
            qr_diags_release(&rd);
        }
        sim_structure *s = sim_structure_new(t);
        sim_structure_free(s);
        qr_depgraph *g = NULL;
        if (qr_depgraph_new(t, &g, NULL, 0) == 0) {
            char *dot = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&dot, &len);
            if (f) {
                (void)qr_depgraph_write_dot(g, t, f, NULL, 0);
                fclose(f);
            }
            free(dot);
            qr_depgraph_free(g);
        }
        qr_analysis_options o;
        qr_analysis a;
        qr_analysis_options_init(&o);
        o.max_k = 1;
        o.exact = false;
        if (qr_analysis_run(t, &o, &a, NULL, 0) == 0)
            qr_analysis_release(&a);
        fuzz_write(t);
    }
    qr_topology_free(t);
    qr_diags_release(&diags);
    fuzz_scenario(data, size);
    fuzz_requirements(data, size);
    fuzz_assumptions(data, size);
    return 0;
}
