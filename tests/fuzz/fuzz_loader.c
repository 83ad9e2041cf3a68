/*
 * fuzz_loader.c: libFuzzer harness for the topology loader (`make fuzz`).
 * Every input goes through qr_topology_load_buffer(); whatever it returns,
 * everything is freed, so AddressSanitizer's leak check catches a leak on
 * any path. The loader must never crash, hang or print. An accepted
 * topology then goes through the design rules and the M9 structure build,
 * the next steps of check and simulate, and through the dependency graph
 * (its DOT writer) and a k = 1 analysis, the first steps of analyze and
 * graph (cheap: no exact enumeration, no larger k).
 */
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"
#include "depgraph.h"
#include "diag.h"
#include "loader.h"
#include "rules.h"
#include "structure.h"
#include "topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    }
    qr_topology_free(t);
    qr_diags_release(&diags);
    return 0;
}
