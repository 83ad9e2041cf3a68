/*
 * test_rules.c: the rule table and every design rule.
 *
 * Each design rule has a topology that triggers it, tests/rules/<ID>-bad*.yaml,
 * and one that does not, tests/rules/<ID>-good.yaml. For a bad file the test
 * asserts the exact diagnostic (ID, severity, line:col, message) and that the
 * rule fires once; for a good file, that the rule stays silent and the file
 * loads without errors. The table tests check that IDs are unique and well
 * formed, that every design rule has its pair of files, and that
 * docs/rules.md documents every ID. Run from the repository root.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/diag.h"
#include "model/loader.h"
#include "check/rules.h"
#include "model/topology.h"

typedef struct {
    const char *file;    /* under tests/rules/ */
    const char *id;
    qr_severity sev;
    int         line;
    int         col;
    const char *message;
} rule_case;

#define E QR_SEV_ERROR
#define W QR_SEV_WARNING
#define N QR_SEV_NOTE

static const rule_case bad_cases[] = {
    { "BE001-bad.yaml", "BE001", W, 12, 3,
      "standalone SQL on 'sql1' is a single point of failure of the Back End" },
    { "BE002-bad.yaml", "BE002", W, 12, 3,
      "SQL mirroring between 'sql1' and 'sql2' has no witness: losing the principal needs a manual failover" },
    { "BE003-bad.yaml", "BE003", W, 16, 67,
      "witness 'w1' runs on host 'h2' with mirror 'sql2': losing the host stops the Back End" },
    { "BE004-bad.yaml", "BE004", W, 16, 67,
      "witness 'w1' is in site 'dc2' with mirror 'sql2': losing the site stops the Back End instead of failing it over" },
    { "BE005-bad.yaml", "BE005", W, 16, 52,
      "principal 'sql1' and mirror 'sql2' both run on host 'h1'" },
    { "BE006-bad.yaml", "BE006", E, 12, 3,
      "SQL mirroring is not supported by sfb2019" },
    { "BE007-bad.yaml", "BE007", E, 16, 3,
      "lync2013 does not support AlwaysOn availability groups" },
    { "BE008-bad.yaml", "BE008", W, 16, 54,
      "the availability group has one automatic-failover replica, 'sql1': losing its node stops the Back End" },
    { "CL001-bad.yaml", "CL001", W, 9, 11,
      "cluster 'sqlclu' has an even number of votes (2) and no witness" },
    { "CL002-bad.yaml", "CL002", W, 16, 28,
      "file share witness 'w1' runs on host 'h2' with node 'sql2' of cluster 'sqlclu'" },
    { "CL003-bad.yaml", "CL003", E, 12, 28,
      "file share witness 'w1' of cluster 'sqlclu' is on DFS, which is not supported for a witness" },
    { "CL004-bad.yaml", "CL004", W, 16, 28,
      "witness 'w1' of cluster 'sqlclu' is in site 'dc1', one of the two sites of its nodes: losing that site stops the cluster" },
    { "CL005-bad.yaml", "CL005", E, 11, 16,
      "cluster 'sqlclu' has a cloud witness, which Windows Server 2012 R2 does not have (it came with 2016)" },
    { "CL006-bad.yaml", "CL006", W, 15, 19,
      "all 2 nodes of cluster 'sqlclu' run on host 'h1'" },
    { "FE001-bad.yaml", "FE001", E, 21, 78,
      "pool has 13 front ends, more than the 12 that sfb2015 allows" },
    { "FE002-bad.yaml", "FE002", E, 8, 3,
      "sfb2019 does not allow a pool of two front ends (Topology Builder refuses to publish it)" },
    { "FE003-bad.yaml", "FE003", W, 18, 1,
      "pool homes 90000 users, more than the 80,000 one pool supports" },
    { "FE004-bad.yaml", "FE004", W, 11, 1,
      "30000 users need 6 front ends to keep one in reserve (6,660 users each); the pool has 5" },
    { "FE005-bad-separate.yaml", "FE005", W, 10, 15,
      "a pool of two front ends is not robust: the Back End is its tie-breaking vote, so a Back End outage is likely to stop it" },
    { "FE005-bad.yaml", "FE005", W, 8, 15,
      "a pool of two front ends is not robust: a Back End outage is likely to stop it, and an unexpected loss of 'fe1', which also holds the primary database, stops it until a soft reset" },
    { "FE006-bad.yaml", "FE006", W, 9, 15,
      "a pool of one front end stops whenever 'fe1' is down" },
    { "FE007-bad-nowitness.yaml", "FE007", W, 13, 3,
      "the Back End is the tie-breaking vote of the 4 seed front ends, and SQL mirroring without a witness cannot fail over automatically" },
    { "FE007-bad.yaml", "FE007", W, 12, 3,
      "the Back End is the tie-breaking vote of the 4 seed front ends, and standalone SQL cannot fail over" },
    { "FE008-bad.yaml", "FE008", N, 12, 15,
      "the 4 seed front ends are an even count: the Back End's primary database is the tie-breaking vote of pool quorum" },
    { "FS001-bad.yaml", "FS001", W, 13, 3,
      "the file store is one share on 'sql1', a single point of failure" },
    { "FS002-bad-single.yaml", "FS002", W, 20, 9,
      "DFS has one replica, 'fs1', a single point of failure" },
    { "FS002-bad.yaml", "FS002", W, 22, 9,
      "all 2 DFS replicas run on host 'h1'" },
    { "FS003-bad.yaml", "FS003", W, 22, 9,
      "DFS replica 'fs2' is in site 'dc2' and 'fs1' in site 'dc1': DFS fails over within one data centre only" },
    { "ST001-bad-backend.yaml", "ST001", W, 3, 13,
      "losing host 'h1' stops the pool: it runs 1 of the 2 seed front ends and the primary database on 'sql1'" },
    { "ST001-bad.yaml", "ST001", W, 3, 13,
      "losing host 'h1' stops the pool: it runs 2 of the 3 seed front ends" },
    { "CC001-bad.yaml", "CC001", E, 15, 13,
      "common-cause group 'sql-build' has 1 member: a common cause needs two or more" },
    { "CC002-bad.yaml", "CC002", E, 15, 65,
      "MGL group 'sql-build' gives factors up to level 3 for 2 members" },
    { "CC003-bad.yaml", "CC003", E, 16, 34,
      "'sql1' is a member of common-cause groups 'sql-build' and 'same-rack': a component belongs to one group" },
    { "CC004-bad.yaml", "CC004", W, 15, 40,
      "member 'sql2' of common-cause group 'sql-build' is down 0.000456 of the time, its first member 'sql1' 0.000912: the group uses the first member's figure for every member" },
    { "CC005-bad.yaml", "CC005", W, 15, 13,
      "one failure of common-cause group 'fe-build' takes 3 of the 3 seed front ends down at once and stops the pool: its redundancy does not cover this cause" },
    { "CC006-bad.yaml", "CC006", W, 15, 53,
      "50% of the failures of group 'sql-build' are common: published generic beta factors are 0.5% to 10%" },
    { "CC007-bad.yaml", "CC007", W, 15, 13,
      "common-cause group 'sql-build' has no effect: its first member 'sql1' never fails" },
    { "ST002-bad.yaml", "ST002", W, 15, 25,
      "front end 'fe3' is in site 'dc2' and 'fe1' in site 'dc1': stretched pools are not supported" },
    { "LF001-bad.yaml", "LF001", W, 12, 5,
      "latent fault 'subca' lands on every front end at once and a patch night restarts them all "
      "without verification: it can take presence, address_book from every user" },
    { "CL007-bad.yaml", "CL007", W, 9, 11,
      "cluster 'sqlclu' has dynamic quorum turned off" },
    { "CL008-bad.yaml", "CL008", W, 18, 19,
      "node 'sql4' of cluster 'sqlclu' has no vote, and the cluster has no witness" },
    { "CL001-bad-weights.yaml", "CL001", W, 11, 11,
      "cluster 'sqlclu' has an even number of votes (2) and no witness" },
    { "VM001-bad.yaml", "VM001", W, 16, 20,
      "seed front ends 'fe1' and 'fe2' share no anti-affinity group: an HA restart can put them on one host" },
    { "VM002-bad.yaml", "VM002", W, 17, 52,
      "SQL partners 'sql1' and 'sql2' share no anti-affinity group: an HA restart can put them on one host" },
    { "VM003-bad.yaml", "VM003", W, 17, 67,
      "witness 'w1' and 'sql1', which it witnesses, share no anti-affinity group: an HA restart can put them on one host" },
    { "VM004-bad.yaml", "VM004", W, 4, 13,
      "losing host 'h1', 2 of its 2 VMs ('fe1', 'sql1') find no other host with room outside their anti-affinity groups: they wait for its repair (so do VMs of 2 other hosts)" },
    { "VM005-bad.yaml", "VM005", E, 20, 26,
      "'fe1' and 'sql1' of one anti-affinity group run on one host, 'h1'" },
    { "VM006-bad.yaml", "VM006", E, 4, 13,
      "host 'h1' runs 2 VMs, more than its capacity of 1" },
    { "VM007-bad.yaml", "VM007", W, 19, 1,
      "live migration of Skype for Business servers is not supported by Microsoft; the simulation moves running VMs without an outage as asked" },
    { "ST001-bad-tiebreak.yaml", "ST001", W, 4, 13,
      "losing host 'h1' stops the pool: it runs 2 of the 4 seed front ends and the primary database on 'sql1'" },
    /* Pool pairing (M10). */
    { "PP001-bad.yaml", "PP001", E, 18, 18,
      "pool 'pool1' is paired with 'pool2', but 'pool2' names no partner: a pairing is symmetric" },
    { "PP002-bad.yaml", "PP002", W, 36, 11,
      "pool 'pool3' has no backup pool ('paired_with'): it has no disaster recovery" },
    { "PP003-bad.yaml", "PP003", W, 17, 11,
      "pool 'pool1' (enterprise) is paired with 'pool2' (standard): quorate models Enterprise Edition pools, paired Enterprise with Enterprise" },
    { "PP004-bad.yaml", "PP004", W, 30, 5,
      "pool 'pool2' has a standalone Back End and its partner 'pool1' mirroring: use the same Back End HA in both" },
    { "PP005-bad.yaml", "PP005", W, 29, 11,
      "pool 'pool2' runs on virtual servers and its partner 'pool1' on physical ones: pair physical with physical, virtual with virtual" },
    { "PP006-bad.yaml", "PP006", W, 27, 5,
      "pool 'pool2' runs Windows Server 2016 and its partner 'pool1' 2019: pair pools on the same operating system" },
    { "PP007-bad.yaml", "PP007", W, 18, 11,
      "pool 'pool1' has 3 front ends; after a pool failover it carries both pools' 14000 users, which need 4 (6,660 users each, one in reserve)" },
    { "PP008-bad.yaml", "PP008", W, 29, 17,
      "pools 'pool1' and 'pool2' are both in site 'dc1': losing it loses the pair" },
    { "PP009-bad.yaml", "PP009", E, 27, 5,
      "pools 'pool1' and 'pool2' both hold the Central Management store: a deployment has one" },
    { "PP010-bad.yaml", "PP010", N, 16, 1,
      "no pool holds the Central Management store ('cms: true'): no CMS failover is simulated before a pool failover" },
    { "PP011-bad.yaml", "PP011", W, 23, 25,
      "front end 'a3' of pool 'pool1' is in site 'dc2', not in the pool's site 'dc1'" },
    { "PP012-bad.yaml", "PP012", E, 31, 32,
      "server 'asql2' serves pools 'pool1' and 'pool2'" },
    { "PP013-bad.yaml", "PP013", E, 33, 13,
      "common-cause group 'fe-build' spans pools 'pool1' and 'pool2' ('a1' and 'b1')" },
};

#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

/* A topology on which one rule must stay silent: every design rule's
 * <ID>-good.yaml (built in main), and these, which pin a subtle case. */
typedef struct {
    char        file[64]; /* under tests/rules/ */
    const char *id;
} good_case;

static const good_case extra_good[] = {
    /* M1.2: two of four seeds lost, the Back End vote keeps 3 of 5. */
    { "ST001-good-tiebreak.yaml", "ST001" },
    /* Only voting nodes place the witness: a vote-less DR node does not. */
    { "CL004-good-dr.yaml", "CL004" },
    /* A witness beside a node without a vote costs one vote, not two. */
    { "CL002-good-novote.yaml", "CL002" },
};

#define N_EXTRA_GOOD (sizeof(extra_good) / sizeof(extra_good[0]))

/* Load tests/rules/<file> and run the rules; the caller releases d. */
static void load_and_check(const char *file, qr_diags *d)
{
    char path[256];
    qr_topology *t = NULL;
    snprintf(path, sizeof(path), "tests/rules/%s", file);
    assert_int_equal(qr_diags_init(d, path), 0);
    int rc = qr_topology_load_file(path, &t, d);
    if (rc != 0) {
        for (size_t i = 0; i < d->n; i++)
            fprintf(stderr, "%s:%d:%d: %s [%s]\n", path, d->items[i].loc.line,
                    d->items[i].loc.col, d->items[i].message, d->items[i].rule);
    }
    assert_int_equal(rc, 0);
    assert_non_null(t);
    size_t before = d->n;
    int added = qr_rules_check(t, d);
    assert_int_equal((size_t)added, d->n - before);
    qr_topology_free(t);
}

static void run_bad(void **state)
{
    const rule_case *c = *state;
    qr_diags d;
    load_and_check(c->file, &d);
    const qr_diag *found = NULL;
    int count = 0;
    for (size_t i = 0; i < d.n; i++) {
        /* Every emitted diagnostic carries its table severity. */
        const qr_rule *r = qr_rule_find(d.items[i].rule);
        assert_non_null(r);
        assert_int_equal(d.items[i].sev, r->severity);
        if (strcmp(d.items[i].rule, c->id) == 0) {
            found = &d.items[i];
            count++;
        }
    }
    if (!found)
        fail_msg("%s: no %s diagnostic", c->file, c->id);
    assert_int_equal(count, 1);
    assert_int_equal(found->sev, c->sev);
    assert_int_equal(found->loc.line, c->line);
    assert_int_equal(found->loc.col, c->col);
    assert_string_equal(found->message, c->message);
    qr_diags_release(&d);
}

static void run_good(void **state)
{
    const good_case *c = *state;
    qr_diags d;
    load_and_check(c->file, &d);
    assert_int_equal(d.n_errors, 0);
    for (size_t i = 0; i < d.n; i++)
        if (strcmp(d.items[i].rule, c->id) == 0)
            fail_msg("%s: unexpected %s: %s", c->file, c->id, d.items[i].message);
    qr_diags_release(&d);
}

/* The loader's P rules and compare's AS rules (assumptions across designs,
 * tests/test_assumptions.c and tests/cli/assume.sh) judge no one design. */
static bool is_design_rule(const char *id)
{
    return !(id[0] == 'P' && isdigit((unsigned char)id[1])) && strncmp(id, "AS", 2) != 0;
}

static void test_rules_table_ids_unique_and_well_formed(void **state)
{
    (void)state;
    static const char *groups[] = { "P", "FE", "BE", "CL", "FS", "ST", "AS", "CC", "VM", "LF", "PP" };
    assert_true(qr_rule_count() >= 10 + 20);
    for (size_t i = 0; i < qr_rule_count(); i++) {
        const qr_rule *r = qr_rule_at(i);
        size_t glen = 0;
        for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
            if (strncmp(r->id, groups[g], strlen(groups[g])) == 0)
                glen = strlen(groups[g]);
        assert_true(glen > 0);
        assert_int_equal(strlen(r->id), glen + 3);
        for (size_t k = glen; k < glen + 3; k++)
            assert_true(isdigit((unsigned char)r->id[k]));
        for (const char *p = r->name; *p; p++)
            assert_true(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-');
        assert_true(strlen(r->title) > 0 && strlen(r->rationale) > 0 &&
                    strlen(r->source) > 0 && strlen(r->fix) > 0);
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(qr_rule_at(j)->id, r->id);
            assert_string_not_equal(qr_rule_at(j)->name, r->name);
        }
    }
    assert_null(qr_rule_at(qr_rule_count()));
}

static void test_rules_lookup_by_id(void **state)
{
    (void)state;
    const qr_rule *r = qr_rule_find("FE001");
    assert_non_null(r);
    assert_string_equal(r->id, "FE001");
    assert_int_equal(r->severity, QR_SEV_ERROR);
    assert_int_equal(qr_rule_find("FE008")->severity, QR_SEV_NOTE);
    assert_int_equal(qr_rule_find("BE002")->severity, QR_SEV_WARNING);
    assert_ptr_equal(qr_rule_at((size_t)qr_rule_index("CL003")), qr_rule_find("CL003"));
    assert_string_equal(qr_rule_at(0)->id, "P001");
    assert_null(qr_rule_find("XX999"));
    assert_null(qr_rule_find(NULL));
    assert_int_equal(qr_rule_index("FE00"), -1);
}

/* The table is indexed by the ID enum of model/rule_ids.h: row r is rule r
 * for every ID, and a rule reported by its enumerator gets its row's
 * severity. */
static void test_rules_table_follows_id_enum(void **state)
{
    (void)state;
    assert_int_equal(qr_rule_count(), QR_RULE_COUNT);
    for (int r = 0; r < QR_RULE_COUNT; r++) {
        assert_string_equal(qr_rule_at((size_t)r)->id, qr_rule_id_text((qr_rule_id)r));
        assert_int_equal(qr_rule_index(qr_rule_id_text((qr_rule_id)r)), r);
    }
    assert_string_equal(qr_rule_at(QR_RULE_FE008)->id, "FE008");
    assert_int_equal(qr_rule_at(QR_RULE_FE008)->severity, QR_SEV_NOTE);
    assert_string_equal(qr_rule_at(QR_RULE_BE006)->name, "mirroring-sfb2019");
}

/* Every design rule has a bad case asserted here and a good file. */
static void test_rules_every_design_rule_has_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < qr_rule_count(); i++) {
        const char *id = qr_rule_at(i)->id;
        if (!is_design_rule(id))
            continue;
        bool bad = false;
        for (size_t k = 0; k < N_BAD; k++)
            if (strcmp(bad_cases[k].id, id) == 0)
                bad = true;
        if (!bad)
            fail_msg("no bad case for %s", id);
        char path[64];
        snprintf(path, sizeof(path), "tests/rules/%s-good.yaml", id);
        FILE *f = fopen(path, "r");
        if (!f)
            fail_msg("missing %s", path);
        fclose(f);
    }
    /* And every case names a rule of the table. */
    for (size_t k = 0; k < N_BAD; k++)
        assert_non_null(qr_rule_find(bad_cases[k].id));
}

/* docs/rules.md has a "## ID" section for every ID of the table. */
static void test_rules_docs_list_every_id(void **state)
{
    (void)state;
    FILE *f = fopen("docs/rules.md", "r");
    assert_non_null(f);
    char *doc = NULL;
    size_t cap = 0;
    ssize_t len = getdelim(&doc, &cap, '\0', f);
    fclose(f);
    assert_true(len > 0);
    for (size_t i = 0; i < qr_rule_count(); i++) {
        char heading[32];
        snprintf(heading, sizeof(heading), "\n## %s ", qr_rule_at(i)->id);
        if (!strstr(doc, heading))
            fail_msg("docs/rules.md has no '## %s' section", qr_rule_at(i)->id);
    }
    free(doc);
}

int main(void)
{
    size_t n_design = 0;
    for (size_t i = 0; i < qr_rule_count(); i++)
        if (is_design_rule(qr_rule_at(i)->id))
            n_design++;
    size_t n_good = n_design + N_EXTRA_GOOD;
    size_t n = 5 + N_BAD + n_good;
    struct CMUnitTest *tests = calloc(n, sizeof(*tests));
    char (*names)[80] = calloc(n, sizeof(*names));
    good_case *good = calloc(n_good, sizeof(*good));
    if (!tests || !names || !good)
        return 1;
    size_t k = 0, g = 0;
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_rules_table_ids_unique_and_well_formed);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_rules_lookup_by_id);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_rules_table_follows_id_enum);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_rules_every_design_rule_has_cases);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(test_rules_docs_list_every_id);
    for (size_t i = 0; i < N_BAD; i++, k++) {
        snprintf(names[k], sizeof(names[k]), "test_rules_%s_fires_on_%s", bad_cases[i].id,
                 bad_cases[i].file);
        tests[k] = (struct CMUnitTest){ names[k], run_bad, NULL, NULL,
                                        (void *)&bad_cases[i] };
    }
    for (size_t i = 0; i < qr_rule_count(); i++) {
        const char *id = qr_rule_at(i)->id;
        if (!is_design_rule(id))
            continue;
        snprintf(good[g].file, sizeof(good[g].file), "%s-good.yaml", id);
        good[g++].id = id;
    }
    for (size_t i = 0; i < N_EXTRA_GOOD; i++)
        good[g++] = extra_good[i];
    for (size_t i = 0; i < g; i++, k++) {
        snprintf(names[k], sizeof(names[k]), "test_rules_%s_silent_on_%s", good[i].id,
                 good[i].file);
        tests[k] = (struct CMUnitTest){ names[k], run_good, NULL, NULL, &good[i] };
    }
    int failed = _cmocka_run_group_tests("rules", tests, k, NULL, NULL);
    free(tests);
    free(names);
    free(good);
    return failed;
}
