/*
 * test_patching.c: scripted scenarios of M7 (patch nights), random
 * failures off, patching on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim_script.h"

static sim_engine *patch_engine(const qr_topology *t)
{
    sim_config c;
    sim_config_default(&c);
    c.horizon = T_YEAR;
    c.random_failures = false;
    c.patching = true;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    if (e)
        sim_engine_begin(e, 7, 3);
    return e;
}

/* M7.1: every member is patched once per patch.every, one at a time, each
 * down gracefully for patch.reboot, patching.gap apart; the pool stays up. */
static void test_patching_m7_1_one_at_a_time(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = patch_engine(t);
    assert_non_null(e);
    int max_down = 0, first = -1;
    double down_since = -1, first_down_for = -1, first_up_at = -1, second_down_at = -1;
    for (double now = 60; now <= 31 * T_DAY; now += 60) {
        sim_engine_run(e, now);
        int down = 0, who = -1;
        for (int i = 0; i < t->n_comps; i++)
            if (sim_engine_comp_state(e, i) != SIM_UP) {
                down++;
                who = i;
                assert_int_equal(sim_engine_comp_state(e, i), SIM_DOWN_GRACEFUL);
            }
        max_down = down > max_down ? down : max_down;
        if (down && first < 0) {
            first = who;
            down_since = now;
        } else if (!down && first >= 0 && first_down_for < 0) {
            first_down_for = now - down_since;
            first_up_at = now;
        } else if (down && first_up_at > 0 && second_down_at < 0) {
            second_down_at = now;
        }
    }
    sim_status s;
    sim_engine_status(e, &s);
    assert_int_equal(max_down, 1);
    assert_true(first_down_for >= 15 * T_MIN - 60 && first_down_for <= 15 * T_MIN + 60);
    assert_true(second_down_at - first_up_at >= 20 * T_MIN - 60 &&
                second_down_at - first_up_at <= 20 * T_MIN + 60);
    assert_int_equal(s.patch_nights, 1);
    assert_int_equal(s.patch_reboots, t->n_comps); /* 3 FEs, sql, fs */
    assert_int_equal(s.quorum_losses, 0);
    assert_true(s.pool_up);
    sim_engine_free(e);

    /* patch: none on a server leaves it out. */
    t->comps[0].patch.enabled = false;
    e = patch_engine(t);
    sim_engine_run(e, 31 * T_DAY);
    sim_engine_status(e, &s);
    assert_int_equal(s.patch_reboots, t->n_comps - 1);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.2: the night is skipped while the pool is unhealthy (a server down),
 * unless patching.skip_if_unhealthy is false. */
static void test_patching_m7_2_skip_when_unhealthy(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = patch_engine(t);
    ts_do(e, 0, SIM_ACT_CRASH, 0);
    sim_status s = ts_status(e, 100 * T_DAY);
    assert_true(s.patch_nights >= 3);
    assert_int_equal(s.patch_nights_skipped, s.patch_nights);
    assert_int_equal(s.patch_reboots, 0);
    sim_engine_free(e);

    t->params.patch_skip_if_unhealthy = false;
    e = patch_engine(t);
    ts_do(e, 0, SIM_ACT_CRASH, 0);
    s = ts_status(e, 100 * T_DAY);
    assert_int_equal(s.patch_nights_skipped, 0);
    assert_true(s.patch_reboots > 0);
    /* Patching a second FE while one is crashed: the graceful leave takes
     * it out of the count (M1.3), 2 seeds counted + the Back End vote:
     * FE + BE = 2 of 3, the pool survives. */
    assert_int_equal(s.quorum_losses, 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* Minutes the Back End is not serving, and the SQL failovers, over `days`
 * of patch nights on the 2.x design (s1 principal, s2 mirror, w witness;
 * no random failures), sampled every 30 s. */
static double backend_down_minutes(qr_topology *t, double days, sim_status *out)
{
    sim_engine *e = patch_engine(t);
    assert_non_null(e);
    double down = 0, step = 30;
    for (double now = step; now <= days * T_DAY; now += step) {
        sim_engine_run(e, now);
        sim_status s;
        sim_engine_status(e, &s);
        if (!s.backend_serving)
            down += step / T_MIN;
    }
    sim_engine_status(e, out);
    sim_engine_free(e);
    return down;
}

/* M3.3 + A1 + M7.1: a patch night reboots the members in topology order,
 * patching.gap (20m) after the previous one is back. s1 (the principal)
 * goes first: a planned failover to s2 (A1), s1 back and resynchronizing
 * for backend.resync_time. Then s2, now the principal: with the mirror
 * synchronized (resync_time < gap) A1 fails over back to s1 and the Back
 * End never stops; with resync_time > gap it is still resynchronizing, A1
 * cannot fail over to it, no automatic failover either (M3.3 needs a
 * synchronized mirror), and the Back End is down for the whole reboot
 * (patch.reboot, 15m) every night. This is the step the sensitivity
 * tornado shows for backend.resync_time on the mirroring designs
 * (docs/sensitivity.md): model behaviour, not noise. The expected values
 * are counted by hand from the night's timeline above. */
static void test_patching_resync_longer_than_gap(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    tt_no_failures(t);
    sim_status s;

    t->pool.backend.resync_time = 19 * T_MIN;
    double down = backend_down_minutes(t, 100, &s);
    long nights = s.patch_nights;
    assert_true(nights >= 3);
    assert_int_equal(s.patch_nights_skipped, 0);
    assert_true(down == 0);
    assert_int_equal(s.failovers, 2 * nights); /* s1 away, s1 back   */
    assert_int_equal(s.data_loss_risk, 0);

    t->pool.backend.resync_time = 21 * T_MIN;
    down = backend_down_minutes(t, 100, &s);
    assert_int_equal(s.patch_nights, nights); /* same nights (own stream) */
    /* One failover in all: the first night's s1 away; the principal then
     * stays on s2, the member rebooted second, night after night. */
    assert_int_equal(s.failovers, 1);
    /* 15 minutes a night, to the 30 s sampling */
    assert_true(fabs(down - 15.0 * (double)nights) <= 0.5 * (double)nights + 1e-9);

    /* The same resync time with a longer gap: no outage again. */
    t->params.patch_gap = 25 * T_MIN;
    down = backend_down_minutes(t, 100, &s);
    assert_true(down == 0);
    assert_int_equal(s.failovers, 2 * nights);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patching_m7_1_one_at_a_time),
        cmocka_unit_test(test_patching_m7_2_skip_when_unhealthy),
        cmocka_unit_test(test_patching_resync_longer_than_gap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
