/*
 * test_input_kind.c: a file given in the place of another (rule P011,
 * src/model/input_kind.c). The guess from top-level keys alone, against
 * hand-worked key sets: each kind's keys fit it, a requirements file's
 * look like requirements to the topology and assumptions loaders, a
 * topology with a misspelt key is still a topology, a key shared by two
 * other kinds names both. Then each of the six wrong pairings of the
 * bundled files (docs/plan-example.yaml, topologies/assumptions/default.yaml,
 * topologies/3.0-three-servers.yaml) through the real loaders: one error,
 * P011, at the first telling key, instead of one P002 per key. Tests run
 * from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/assumptions.h"
#include "model/input_kind.h"
#include "model/loader.h"
#include "plan/plan.h"

#define BIT(k) (1u << (k))

static unsigned guess(qr_input_kind as, const char *const *keys)
{
    size_t lens[32];
    int n = 0;
    while (keys[n]) {
        lens[n] = strlen(keys[n]);
        n++;
    }
    return qr_input_kind_guess(keys, lens, n, as);
}

static void test_input_kind_own_keys_fit(void **state)
{
    (void)state;
    for (int k = 0; k < QR_INPUT_KIND_COUNT; k++)
        assert_int_equal(guess((qr_input_kind)k, qr_input_keys((qr_input_kind)k)), 0);
}

static void test_input_kind_guess_by_hand(void **state)
{
    (void)state;
    /* docs/plan-example.yaml's keys: 'targets', 'users', 'budget', 'version',
     * 'simulation' only requirements have; 'sites' a topology also has. */
    static const char *const req[] = { "targets", "users", "sites", "budget", "version",
                                       "server", "simulation", NULL };
    assert_int_equal(guess(QR_INPUT_TOPOLOGY, req), BIT(QR_INPUT_REQUIREMENTS));
    /* As assumptions: 'server' is also an assumption, but 'targets' ... are
     * requirements only, and nothing is an assumption's alone. */
    assert_int_equal(guess(QR_INPUT_ASSUMPTIONS, req), BIT(QR_INPUT_REQUIREMENTS));
    /* A topology to the planner: 'pool', 'servers', 'name'; 'sites' is both. */
    static const char *const topo[] = { "name", "sites", "servers", "pool", NULL };
    assert_int_equal(guess(QR_INPUT_REQUIREMENTS, topo), BIT(QR_INPUT_TOPOLOGY));
    /* As assumptions: 'sites', 'servers', 'pool' are a topology's alone. */
    assert_int_equal(guess(QR_INPUT_ASSUMPTIONS, topo), BIT(QR_INPUT_TOPOLOGY));
    /* An assumptions file as a topology: 'site', 'host', 'sources' ...;
     * 'name' and 'fabric' are both kinds'. To the planner: 'host', 'storage',
     * 'sources' are not requirements. */
    static const char *const as[] = { "name", "site", "host", "server", "fabric", "sources",
                                      NULL };
    assert_int_equal(guess(QR_INPUT_TOPOLOGY, as), BIT(QR_INPUT_ASSUMPTIONS));
    assert_int_equal(guess(QR_INPUT_REQUIREMENTS, as), BIT(QR_INPUT_ASSUMPTIONS));
    /* 'server' alone: requirements and assumptions both have it, one key
     * each: a tie names both. */
    static const char *const server[] = { "server", NULL };
    assert_int_equal(guess(QR_INPUT_TOPOLOGY, server),
                     BIT(QR_INPUT_REQUIREMENTS) | BIT(QR_INPUT_ASSUMPTIONS));
}

/* Not a wrong kind: a topology with a misspelt key keeps its unknown-key
 * error ('pool' is a topology's alone), and keys no kind has are plain
 * unknown keys. */
static void test_input_kind_no_false_alarm(void **state)
{
    (void)state;
    static const char *const typo[] = { "name", "server", "pool", NULL };
    assert_int_equal(guess(QR_INPUT_TOPOLOGY, typo), 0);
    static const char *const junk[] = { "poool", "servrs", NULL };
    assert_int_equal(guess(QR_INPUT_TOPOLOGY, junk), 0);
    assert_int_equal(guess(QR_INPUT_REQUIREMENTS, junk), 0);
    assert_int_equal(guess(QR_INPUT_ASSUMPTIONS, junk), 0);
    /* An empty key set fits anything. */
    static const char *const none[] = { NULL };
    assert_int_equal(guess(QR_INPUT_TOPOLOGY, none), 0);
}

/* d holds exactly one diagnostic, an error P011 at line:col naming `looks`. */
static void assert_one_p011(const qr_diags *d, int line, int col, const char *looks)
{
    if (d->n != 1 || strcmp(d->items[0].rule, "P011") != 0)
        for (size_t i = 0; i < d->n; i++)
            print_message("  %d:%d %s %s\n", d->items[i].loc.line, d->items[i].loc.col,
                          d->items[i].rule, d->items[i].message);
    assert_int_equal(d->n, 1);
    assert_int_equal(d->n_errors, 1);
    assert_string_equal(d->items[0].rule, "P011");
    assert_int_equal(d->items[0].loc.line, line);
    assert_int_equal(d->items[0].loc.col, col);
    assert_non_null(strstr(d->items[0].message, looks));
}

static void test_input_kind_topology_loader(void **state)
{
    (void)state;
    qr_topology *t = NULL;
    qr_diags d;
    /* Line 8 of docs/plan-example.yaml is `targets:`. */
    assert_int_equal(qr_diags_init(&d, "docs/plan-example.yaml"), 0);
    assert_int_equal(qr_topology_load_file("docs/plan-example.yaml", &t, &d), 1);
    assert_one_p011(&d, 8, 1, "this looks like a requirements file for `quorate plan`, not a "
                              "topology (it has 'targets', 'users', 'budget' ...");
    assert_non_null(strstr(d.items[0].message, "give it to `quorate plan FILE`"));
    qr_diags_release(&d);
    /* Line 17 of the bundled assumptions is `site:` ('name' on 15 and
     * 'fabric' are a topology's keys too). */
    assert_int_equal(qr_diags_init(&d, "default.yaml"), 0);
    assert_int_equal(qr_topology_load_file("topologies/assumptions/default.yaml", &t, &d), 1);
    assert_one_p011(&d, 17, 1, "this looks like an assumptions file for --assume, not a topology");
    assert_non_null(strstr(d.items[0].message, "give it with --assume FILE"));
    qr_diags_release(&d);
    assert_null(t);
}

static void test_input_kind_requirements_loader(void **state)
{
    (void)state;
    qr_requirements r;
    qr_diags d;
    /* Line 11 of the topology is `name:`. */
    assert_int_equal(qr_diags_init(&d, "3.0.yaml"), 0);
    assert_int_equal(qr_requirements_load_file("topologies/3.0-three-servers.yaml", &r, &d), 1);
    assert_one_p011(&d, 11, 1, "this looks like a topology, not a requirements file for "
                               "`quorate plan` (it has 'name', 'servers', 'pool' and none");
    qr_requirements_release(&r);
    qr_diags_release(&d);
    assert_int_equal(qr_diags_init(&d, "default.yaml"), 0);
    assert_int_equal(qr_requirements_load_file("topologies/assumptions/default.yaml", &r, &d), 1);
    assert_one_p011(&d, 15, 1, "this looks like an assumptions file for --assume, not a "
                               "requirements file");
    qr_requirements_release(&r);
    qr_diags_release(&d);
}

static void test_input_kind_assumptions_loader(void **state)
{
    (void)state;
    qr_assumptions *a = NULL;
    qr_diags d;
    /* Line 12 is `sites:` ('name' on 11 is an assumptions key too). */
    assert_int_equal(qr_diags_init(&d, "3.0.yaml"), 0);
    assert_int_equal(qr_assumptions_load_file("topologies/3.0-three-servers.yaml", &a, &d), 1);
    assert_one_p011(&d, 12, 1, "this looks like a topology, not an assumptions file");
    qr_diags_release(&d);
    assert_int_equal(qr_diags_init(&d, "plan-example.yaml"), 0);
    assert_int_equal(qr_assumptions_load_file("docs/plan-example.yaml", &a, &d), 1);
    assert_one_p011(&d, 8, 1, "this looks like a requirements file for `quorate plan`, not an "
                              "assumptions file");
    qr_diags_release(&d);
    assert_null(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_kind_own_keys_fit),
        cmocka_unit_test(test_input_kind_guess_by_hand),
        cmocka_unit_test(test_input_kind_no_false_alarm),
        cmocka_unit_test(test_input_kind_topology_loader),
        cmocka_unit_test(test_input_kind_requirements_loader),
        cmocka_unit_test(test_input_kind_assumptions_loader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
