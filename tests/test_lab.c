/*
 * test_lab.c: the `quorate lab` console's commands (lab.c) on the 2.x
 * design (M1.8): each command's effect on the session and its history,
 * rejected commands with their messages, undo replaying the history on a
 * fresh engine, save writing a scenario that loads again, and the status
 * table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lab/lab.h"
#include "lab/narrate.h"
#include "model/loader.h"
#include "sim_script.h"

static const char *const TOPO =
    "servers: [ { name: s1 }, { name: s2 }, { name: sqlw } ]\n"
    "pool:\n"
    "  version: sfb2015\n"
    "  frontends: [s1, s2]\n"
    "  backend: { mirroring: { principal: s1, mirror: s2, witness: sqlw } }\n"
    "  file_store: { dfs: [s1, s2] }\n";

typedef struct {
    qr_topology *t;
    qr_lab       lab;
    char        *out;  /* what the last command printed */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    qr_diags d;
    char err[128];
    qr_diags_init(&d, "t.yaml");
    if (!f || qr_topology_load_buffer("t.yaml", TOPO, strlen(TOPO), &f->t, &d) != 0 ||
        qr_lab_init(&f->lab, f->t, "t.yaml", false, err, sizeof(err)) != 0)
        return -1;
    qr_diags_release(&d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    qr_lab_release(&f->lab);
    qr_topology_free(f->t);
    free(f->out);
    free(f);
    return 0;
}

/* Run one command line; its output is in f->out. */
static int run(fixture *f, const char *line)
{
    size_t len = 0;
    free(f->out);
    f->out = NULL;
    FILE *m = open_memstream(&f->out, &len);
    assert_non_null(m);
    int rc = qr_lab_exec(&f->lab, line, m);
    fclose(m);
    return rc;
}

static void test_lab_commands_narrate_and_keep_history(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "crash s1"), QR_LAB_OK);
    assert_non_null(strstr(f->out, "00:00:00  s1 crashed (unexpected) — pool voters up 1 of 3, "
                                   "quorum LOST"));
    /* M3.3: nothing more until time passes. */
    assert_null(strstr(f->out, "failover time elapsed"));
    assert_int_equal(run(f, "advance 1m"), QR_LAB_OK);
    assert_non_null(strstr(f->out, "00:01:00  SQL principal failover time elapsed"));
    assert_non_null(strstr(f->out, "now 00:01:00"));
    assert_int_equal(run(f, "expect backend.principal s2"), QR_LAB_OK);
    assert_non_null(strstr(f->out, "expect backend.principal: s2 — ok"));
    assert_int_equal(run(f, "reset"), QR_LAB_OK);
    assert_non_null(strstr(f->out, "pool starting"));
    assert_int_equal(run(f, ""), QR_LAB_OK);
    assert_int_equal(run(f, "# a comment"), QR_LAB_OK);
    assert_int_equal(f->lab.history->n_steps, 4);
    assert_int_equal(f->lab.history->steps[0].kind, QR_STEP_CRASH);
    assert_int_equal(f->lab.history->steps[1].kind, QR_STEP_WAIT);
    assert_true(f->lab.history->steps[3].at == 60);
    assert_int_equal(run(f, "quit"), QR_LAB_QUIT);
}

static void test_lab_rejects_bad_commands(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "crsh s1"), QR_LAB_REJECTED);
    assert_string_equal(f->out,
                        "error: unknown command 'crsh' (did you mean 'crash'?); 'help' lists "
                        "them\n");
    assert_int_equal(run(f, "crash sqlx"), QR_LAB_REJECTED);
    assert_string_equal(f->out, "error: unknown component 'sqlx' (did you mean 'sqlw'?)\n");
    assert_int_equal(run(f, "crash"), QR_LAB_REJECTED);
    assert_string_equal(f->out, "error: usage: crash NAME\n");
    assert_int_equal(run(f, "advance 0s"), QR_LAB_REJECTED);
    assert_int_equal(run(f, "reset now"), QR_LAB_REJECTED);
    assert_string_equal(f->out, "error: 'reset' takes no argument\n");
    assert_int_equal(run(f, "expect pool sideways"), QR_LAB_REJECTED);
    assert_string_equal(f->out, "error: expected up, down or starting for 'pool', got 'sideways'\n");
    /* Issue 13, finding 8: a note is saved and printed as is. */
    assert_int_equal(run(f, "note a\tb \x1b[31m"), QR_LAB_REJECTED);
    assert_string_equal(f->out, "error: a note must not contain control characters, got U+0009\n");
    assert_int_equal(run(f, "undo"), QR_LAB_REJECTED);
    assert_string_equal(f->out, "nothing to undo\n");
    assert_int_equal(f->lab.history->n_steps, 0); /* nothing rejected was kept */
}

static void test_lab_undo_replays_without_the_last_command(void **state)
{
    fixture *f = *state;
    run(f, "crash s1");
    run(f, "advance 1m");
    run(f, "reset");
    run(f, "advance 15m");
    assert_int_equal(f->lab.pb.cur.val[qr_vocab_find(f->lab.pb.vocab, "pool")], 0); /* up */
    assert_int_equal(run(f, "undo"), QR_LAB_OK);
    assert_string_equal(f->out, "undone; 3 commands kept, now 00:01:00\n");
    assert_int_equal(run(f, "undo"), QR_LAB_OK);
    /* Without the reset the pool stays down however long we wait (M1.5). */
    assert_int_equal(run(f, "advance 2h"), QR_LAB_OK);
    assert_int_equal(f->lab.pb.cur.val[qr_vocab_find(f->lab.pb.vocab, "pool")], 1);
    assert_int_equal(f->lab.pb.cur.val[qr_vocab_find(f->lab.pb.vocab, "count.soft_resets")], 0);
}

static void test_lab_save_writes_a_scenario(void **state)
{
    fixture *f = *state;
    char path[] = "/tmp/quorate-test-lab-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    run(f, "shutdown s1");
    run(f, "advance 5m");
    run(f, "expect fabric.voters 1");
    run(f, "note a remark");
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "save %s", path);
    assert_int_equal(run(f, cmd), QR_LAB_OK);
    qr_diags d;
    qr_scenario *s = NULL;
    qr_diags_init(&d, path);
    assert_int_equal(qr_scenario_load_file(path, f->t, &s, &d), 0);
    assert_int_equal(s->n_steps, 4);
    assert_int_equal(s->steps[0].kind, QR_STEP_SHUTDOWN);
    assert_int_equal(s->steps[2].kind, QR_STEP_EXPECT);
    assert_true(s->steps[2].at == 300);
    assert_string_equal(s->steps[3].text, "a remark");
    assert_true(s->until == 300);
    qr_scenario_free(s);
    qr_diags_release(&d);
    remove(path);
    /* An unwritable place is rejected with the path named; "-" is no file. */
    assert_int_equal(run(f, "save /nonexistent-dir/s.yaml"), QR_LAB_REJECTED);
    assert_non_null(strstr(f->out, "cannot write '/nonexistent-dir/s.yaml'"));
    assert_int_equal(run(f, "save -"), QR_LAB_REJECTED);
}

/* Save the session to a temporary file and load it back as a scenario:
 * returns the loader's code (0 when it loads), the scenario in *s. */
static int save_and_load(fixture *f, qr_scenario **s)
{
    char path[] = "/tmp/quorate-test-lab-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "save %s", path);
    assert_int_equal(run(f, cmd), QR_LAB_OK);
    qr_diags d;
    qr_diags_init(&d, path);
    *s = NULL;
    int rc = qr_scenario_load_file(path, f->t, s, &d);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "  %d:%d %s\n", d.items[i].loc.line, d.items[i].loc.col,
                d.items[i].message);
    qr_diags_release(&d);
    remove(path);
    return rc;
}

/* Issue 13, finding 6: the lab's clock stops where a scenario's does (100
 * years), so whatever the lab saves, `quorate scenario` loads: 'advance
 * 101y' is refused, 100 years in two steps is taken and saved, and so are
 * sub-millisecond times (written "0.000s" before, which does not load). */
static void test_lab_saves_what_scenario_loads(void **state)
{
    fixture *f = *state;
    assert_int_equal(run(f, "advance 101y"), QR_LAB_REJECTED);
    assert_string_equal(f->out, "error: the clock stops at 100 years, as a scenario's does: "
                                "'advance' at most 36525d now\n");
    assert_int_equal(run(f, "advance 0.1ms"), QR_LAB_OK);
    assert_int_equal(run(f, "advance 60y"), QR_LAB_OK);
    assert_int_equal(run(f, "advance 40y"), QR_LAB_REJECTED); /* 0.1ms too far */
    assert_int_equal(run(f, "advance 39.99y"), QR_LAB_OK);
    qr_scenario *s;
    assert_int_equal(save_and_load(f, &s), 0);
    assert_int_equal(s->n_steps, 3);
    assert_true(s->steps[0].wait == 1e-4);
    assert_true(s->until == f->lab.pb.now);
    qr_scenario_free(s);
    assert_int_equal(run(f, "advance 1d"), QR_LAB_OK); /* up to 100 years exactly */
    assert_int_equal(run(f, "undo"), QR_LAB_OK);
}

/* The status table and the narrator's state of a lab, as text. */
static char *state_of(qr_lab *l)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    qr_lab_status(l, m);
    fprintf(m, "now %.17g failed %d\n", l->pb.now, l->pb.failed);
    for (int k = 0; k < l->pb.cur.n; k++)
        fprintf(m, "%d ", l->pb.cur.val[k]);
    fclose(m);
    return buf;
}

/* Issue 13, finding 9: undo goes back to the latest mark and replays only
 * what follows it. 1,500 pseudo-random commands (every kind, on every
 * server, expectations that hold or fail) with undos among them, with the
 * operator on: every 25 of them the session must equal a fresh session
 * given the kept commands one by one (status table, clock, failed
 * expectations, every value of the narrator), and the marks stay at most
 * QR_LAB_MARKS. */
static void test_lab_undo_from_marks_equals_replay(void **state)
{
    fixture *f = *state;
    qr_lab_release(&f->lab);
    char err[128];
    assert_int_equal(qr_lab_init(&f->lab, f->t, "t.yaml", true, err, sizeof(err)), 0);
    static const char *const words[] = {
        "crash s1", "crash s2", "crash sqlw", "repair s1", "repair s2", "repair sqlw",
        "shutdown s1", "shutdown s2", "start s1", "start s2", "reset", "failover",
        "advance 1m", "advance 7m", "advance 31m", "advance 2h", "expect pool up",
        "expect backend.principal s1", "note n",
    };
    enum { N = 1500, KEEP = 2000 };
    char **kept = calloc(KEEP, sizeof(*kept));
    int n_kept = 0, undos = 0;
    uint64_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned r = (unsigned)(x >> 33);
        if (r % 10 < 3 && n_kept > 0) {
            assert_int_equal(run(f, "undo"), QR_LAB_OK);
            free(kept[--n_kept]);
            undos++;
        } else {
            const char *w = words[r % (sizeof(words) / sizeof(words[0]))];
            assert_int_equal(run(f, w), QR_LAB_OK);
            kept[n_kept++] = strdup(w);
        }
        assert_true(f->lab.n_marks <= QR_LAB_MARKS);
        if (i % 25 != 24)
            continue;
        qr_lab ref;
        assert_int_equal(qr_lab_init(&ref, f->t, "t.yaml", true, err, sizeof(err)), 0);
        FILE *sink = fopen("/dev/null", "w");
        for (int k = 0; k < n_kept; k++)
            assert_int_equal(qr_lab_exec(&ref, kept[k], sink), QR_LAB_OK);
        fclose(sink);
        char *a = state_of(&f->lab), *b = state_of(&ref);
        assert_string_equal(a, b);
        free(a);
        free(b);
        qr_lab_release(&ref);
    }
    assert_true(undos > 300 && n_kept > 300);
    for (int k = 0; k < n_kept; k++)
        free(kept[k]);
    free(kept);
}

static void test_lab_status_table(void **state)
{
    fixture *f = *state;
    run(f, "crash s1");
    assert_int_equal(run(f, "status"), QR_LAB_OK);
    assert_non_null(strstr(f->out, "time 00:00:00: pool DOWN\n"));
    assert_non_null(strstr(f->out, "votes: pool voters up 1 of 3 (pool down, quorum lost)\n"));
    assert_non_null(strstr(f->out, "  s1           crashed  front end (seed), 64 replicas, SQL "
                                   "principal, DFS replica"));
    assert_non_null(strstr(f->out, "fabric: counted, absent\n"));
    assert_non_null(strstr(f->out, "Back End (mirroring): DOWN on s1"));
    assert_non_null(strstr(f->out, "features: signin_im DOWN"));
}

/* ---- why NAME: a common cause or a latent fault holding it ---- */

static const char *const WHY_TOPO =
    "servers: [ { name: fe1 }, { name: fe2 }, { name: fe3 }, { name: sql1 } ]\n"
    "pool:\n"
    "  version: sfb2015\n"
    "  frontends: [fe1, fe2, fe3]\n"
    "  backend: { standalone: sql1 }\n"
    "  file_store: { share: sql1 }\n"
    "common_cause:\n"
    "  - { name: same-build, members: [fe1, fe2, fe3], model: beta-factor, beta: 50% }\n"
    "latent_faults:\n"
    "  - { name: bad-start, members: [fe1], every: 10000y, breaks: server, fix: 2h }\n"
    "  - { name: subca, members: [fe2], every: 10000y, breaks: [presence], fix: 1h }\n";

static qr_topology *why_topology(void)
{
    qr_topology *t = NULL;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "why.yaml"), 0);
    int rc = qr_topology_load_buffer("why.yaml", WHY_TOPO, strlen(WHY_TOPO), &t, &d);
    qr_diags_release(&d);
    assert_int_equal(rc, 0);
    return t;
}

/* A common event (beta-factor, one event of all three front ends) holds
 * fe1 down while its own state is up: `why` names the group and the
 * members it holds with fe1, not "fe1 is up". */
static void test_lab_why_common_cause(void **state)
{
    (void)state;
    qr_topology *t = why_topology();
    sim_config c;
    sim_config_default(&c);
    c.horizon = 1000 * T_YEAR;
    c.patching = false;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(e);
    assert_int_equal(sim_engine_begin(e, 3, 0), 0);
    sim_step_info info = { 0 };
    int fe1 = qr_topology_find(t, "fe1");
    while (sim_engine_step(e, c.horizon, &info) == 1)
        if (info.cause == SIM_CAUSE_COMMON_FAILURE && sim_engine_own_state(e, fe1) == SIM_UP)
            break;
    assert_int_equal(info.cause, SIM_CAUSE_COMMON_FAILURE);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_held_by(e, fe1), fe1);
    char buf[1024];
    const char *why = qr_narrate_why(t, e, fe1, buf, sizeof(buf));
    if (!strstr(why, "fe1 is held down by a common-cause failure of group same-build") ||
        !strstr(why, "(with fe2, fe3): its members come back together"))
        fail_msg("why fe1: %s", why);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* A latent fault that breaks the server (M7.3) keeps fe1 down after its
 * reboot: `why` says so (not "start fe1", which changes nothing); one that
 * breaks a feature on fe2 is named while fe2 runs. */
static void test_lab_why_latent_fault(void **state)
{
    (void)state;
    qr_topology *t = why_topology();
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int fe1 = qr_topology_find(t, "fe1"), fe2 = qr_topology_find(t, "fe2");
    assert_int_equal(ts_do(e, 60, SIM_ACT_LATENT_ARM, 0), 0);
    assert_int_equal(ts_do(e, 60, SIM_ACT_LATENT_ARM, 1), 0);
    char buf[1024];
    assert_string_equal(qr_narrate_why(t, e, fe1, buf, sizeof(buf)), "fe1 is up");
    for (int k = 0; k < 2; k++) {
        int s = k ? fe2 : fe1;
        assert_int_equal(ts_do(e, 120 + 600 * k, SIM_ACT_SHUTDOWN, s), 0);
        assert_int_equal(ts_do(e, 300 + 600 * k, SIM_ACT_START, s), 0);
    }
    assert_int_equal(sim_engine_own_state(e, fe1), SIM_DOWN_GRACEFUL);
    assert_string_equal(qr_narrate_why(t, e, fe1, buf, sizeof(buf)),
                        "fe1 itself is down (stopped); it showed latent fault bad-start at its "
                        "start (M7.3) and does not start until the fault is fixed, 2h after it "
                        "showed: then it starts by itself");
    assert_string_equal(qr_narrate_why(t, e, fe2, buf, sizeof(buf)),
                        "fe2 is up; latent fault subca shown at its start (M7.3) breaks presence "
                        "for the users it serves until it is fixed, 1h after it showed");
    /* Fixed: both plain again. */
    sim_engine_run(e, 300 + 2 * T_HOUR + 1);
    assert_string_equal(qr_narrate_why(t, e, fe1, buf, sizeof(buf)), "fe1 is up");
    assert_string_equal(qr_narrate_why(t, e, fe2, buf, sizeof(buf)), "fe2 is up");
    sim_engine_free(e);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lab_commands_narrate_and_keep_history, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lab_rejects_bad_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lab_undo_replays_without_the_last_command, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lab_save_writes_a_scenario, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lab_status_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lab_saves_what_scenario_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lab_undo_from_marks_equals_replay, setup, teardown),
        cmocka_unit_test(test_lab_why_common_cause),
        cmocka_unit_test(test_lab_why_latent_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
