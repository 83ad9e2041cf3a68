/*
 * pairing_play.c: qr_pairing_play() (pairing_play.h): the steps of a
 * scenario applied to a sim_pairing in time order, every event's changes
 * narrated as "key: before -> after" from two snapshots of the paired
 * vocabulary, and the expectations checked against the snapshot of their
 * moment. The same run can tell a qr_pairing_sink instead of writing
 * text (scenario --json).
 */
#include "lab/pairing_play.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lab/narrate.h"
#include "sim/pairing.h"

typedef struct {
    FILE              *out;
    const qr_pairing_sink *sink; /* NULL: text only                        */
    const qr_topology *t;
    const qr_vocab    *v;
    sim_pairing       *p;
    qr_snapshot        a, b;
    qr_pairing_result *res;
    int                step;  /* the step being played, -1 between steps   */
    /* For the sink: one moment's changes (vocabulary-sized).             */
    const char       **keys;
    const char       **from;
    const char       **to;
    char              *text;  /* 2 x 96 bytes per key: from, then to      */
} player;

/* One moment to the sink: the keys that changed between pl->a and pl->b,
 * as narrate() chooses them. */
static void tell(player *pl, double at, const char *label)
{
    int n = 0;
    for (int k = 0; k < qr_vocab_count(pl->v); k++) {
        const char *key = qr_vocab_key(pl->v, k);
        if (pl->a.val[k] == pl->b.val[k] || strncmp(key, "count.", 6) == 0 ||
            (strncmp(key, "feature.", 8) == 0 && strchr(key + 8, '.')))
            continue;
        char *f = pl->text + (size_t)n * 192, *to = f + 96;
        pl->keys[n] = key;
        pl->from[n] = qr_snapshot_value(&pl->a, pl->v, k, f, 96);
        pl->to[n] = qr_snapshot_value(&pl->b, pl->v, k, to, 96);
        n++;
    }
    if ((n > 0 || label) && pl->sink->moment)
        pl->sink->moment(pl->sink->ctx, at, label ? pl->step : -1, label, n, pl->keys, pl->from,
                         pl->to);
}

/* Print what changed between pl->a and pl->b (counts left out), after
 * `label` at time `at`; then a becomes b. */
static void narrate(player *pl, double at, const char *label)
{
    char clock[32], from[96], to[96];
    bool any = false;
    if (pl->sink)
        tell(pl, at, label);
    for (int k = 0; k < qr_vocab_count(pl->v); k++) {
        const char *key = qr_vocab_key(pl->v, k);
        if (pl->a.val[k] == pl->b.val[k] || strncmp(key, "count.", 6) == 0)
            continue;
        /* "feature.pool1.signin_im" says what "pool1.signin_im" says. */
        if (strncmp(key, "feature.", 8) == 0 && strchr(key + 8, '.'))
            continue;
        if (pl->out) {
            if (!any)
                fprintf(pl->out, "%s  %s", qr_narrate_clock(at, clock, sizeof(clock)),
                        label ? label : "");
            fprintf(pl->out, "%s%s: %s -> %s", any || label ? "; " : "", qr_vocab_key(pl->v, k),
                    qr_snapshot_value(&pl->a, pl->v, k, from, sizeof(from)),
                    qr_snapshot_value(&pl->b, pl->v, k, to, sizeof(to)));
        }
        any = true;
    }
    if (pl->out && !any && label)
        fprintf(pl->out, "%s  %s", qr_narrate_clock(at, clock, sizeof(clock)), label);
    if (pl->out && (any || label))
        fputc('\n', pl->out);
    qr_snapshot_copy(&pl->a, &pl->b);
}

/* Every event up to `until`, one narrated line per event time. */
static int advance(player *pl, double until, const char *label)
{
    for (;;) {
        double next = sim_pairing_next_time(pl->p);
        if (!(next <= until))
            return 0;
        int rc = sim_pairing_step(pl->p, until);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return 0;
        qr_snapshot_take_pairing(&pl->b, pl->v, pl->p);
        narrate(pl, next, label);
        label = NULL;
    }
}

static void check(player *pl, const qr_step *st, double at)
{
    char clock[32], actual[96];
    qr_snapshot_take_pairing(&pl->b, pl->v, pl->p);
    for (int i = 0; i < st->n_expects; i++) {
        const qr_expect *e = &st->expects[i];
        int k = qr_vocab_find(pl->v, e->key);
        bool ok = k >= 0 && qr_snapshot_matches(&pl->b, pl->v, k, e->value);
        if (k >= 0)
            qr_snapshot_value(&pl->b, pl->v, k, actual, sizeof(actual));
        else
            snprintf(actual, sizeof(actual), "unknown");
        if (pl->sink && pl->sink->expect)
            pl->sink->expect(pl->sink->ctx, at, pl->step, e, actual, ok);
        pl->res->checks++;
        if (pl->out)
            fprintf(pl->out, "%s  expect %s: %s — %s%s\n",
                    qr_narrate_clock(at, clock, sizeof(clock)), e->key, e->value,
                    ok ? "ok" : "FAILED: it is ", ok ? "" : actual);
        if (ok)
            continue;
        if (pl->res->failed < QR_PAIRING_MAX_MISSES) {
            qr_pairing_miss *m = &pl->res->misses[pl->res->failed];
            m->time = at;
            m->loc = e->loc;
            snprintf(m->key, sizeof(m->key), "%s", e->key);
            snprintf(m->expected, sizeof(m->expected), "%s", e->value);
            snprintf(m->actual, sizeof(m->actual), "%s", actual);
        }
        pl->res->failed++;
    }
}

static const sim_action step_action[] = {
    [QR_STEP_CRASH] = SIM_ACT_CRASH,       [QR_STEP_SHUTDOWN] = SIM_ACT_SHUTDOWN,
    [QR_STEP_START] = SIM_ACT_START,       [QR_STEP_REPAIR] = SIM_ACT_REPAIR,
    [QR_STEP_RESET] = SIM_ACT_SOFT_RESET, [QR_STEP_FAILOVER] = SIM_ACT_SQL_FAILOVER,
};

static int do_step(player *pl, const qr_step *st)
{
    const qr_topology *t = pl->t;
    double at = fmax(st->at, sim_pairing_now(pl->p));
    int rc = advance(pl, at, NULL);
    if (rc != 0)
        return rc;
    char label[256];
    switch (st->kind) {
    case QR_STEP_CRASH:
    case QR_STEP_SHUTDOWN:
    case QR_STEP_START:
    case QR_STEP_REPAIR:
    case QR_STEP_RESET:
    case QR_STEP_FAILOVER:
        if (st->comp >= 0)
            snprintf(label, sizeof(label), "step: %s %s", qr_step_keyword(st->kind),
                     t->comps[st->comp].name);
        else
            snprintf(label, sizeof(label), "step: %s (every pool)", qr_step_keyword(st->kind));
        if (sim_pairing_schedule(pl->p, at, step_action[st->kind], st->comp) != 0)
            return -1;
        return advance(pl, at, label);
    case QR_STEP_POOL_FAILOVER:
    case QR_STEP_POOL_FAILBACK:
        snprintf(label, sizeof(label), "step: %s %s (Invoke-CsPool%s)", qr_step_keyword(st->kind),
                 t->pools[st->comp].name,
                 st->kind == QR_STEP_POOL_FAILOVER ? "Failover" : "Failback");
        if (sim_pairing_schedule_dr(pl->p, at,
                                    st->kind == QR_STEP_POOL_FAILOVER ? SIM_DR_ACT_FAILOVER
                                                                      : SIM_DR_ACT_FAILBACK,
                                    st->comp) != 0)
            return -1;
        return advance(pl, at, label);
    case QR_STEP_WAIT:
        return advance(pl, at + st->wait, NULL);
    case QR_STEP_EXPECT:
        check(pl, st, at);
        return 0;
    case QR_STEP_NOTE:
        if (pl->sink && pl->sink->note)
            pl->sink->note(pl->sink->ctx, at, pl->step, st->text ? st->text : "");
        if (pl->out) {
            char clock[32];
            fprintf(pl->out, "%s  note: %s\n", qr_narrate_clock(at, clock, sizeof(clock)),
                    st->text ? st->text : "");
        }
        return 0;
    case QR_STEP_MIGRATE:     /* a VM's host, a patch night, a latent fault */
    case QR_STEP_PATCH_NIGHT: /*   and a reboot act on one engine: not on a */
    case QR_STEP_LATENT:      /*   design with several pools yet            */
    case QR_STEP_REBOOT:
        return -3;
    }
    return 0;
}

/* The state at the end, for qr_pairing_play_status. */
static void print_status(const player *pl, FILE *out)
{
    char value[96], clock[32];
    fprintf(out, "time %s\n", qr_narrate_clock(sim_pairing_now(pl->p), clock, sizeof(clock)));
    for (int k = 0; k < qr_vocab_count(pl->v); k++) {
        const char *key = qr_vocab_key(pl->v, k);
        qr_snapshot_value(&pl->a, pl->v, k, value, sizeof(value));
        bool component = strchr(key, '.') && strncmp(key, "feature.", 8) != 0 &&
                         strncmp(key, "count.", 6) != 0 &&
                         qr_topology_find_pool(pl->t, key) < 0 &&
                         qr_topology_find(pl->t, strchr(key, '.') + 1) >= 0;
        if (strncmp(key, "feature.", 8) == 0 && strchr(key + 8, '.'))
            continue; /* as POOL.FEATURE */
        if (component && strcmp(value, "up") == 0)
            continue; /* only the components that are down */
        fprintf(out, "  %-40s %s\n", key, value);
    }
}

static int play(FILE *out, const qr_pairing_sink *sink, FILE *status, const qr_topology *t,
                const qr_scenario *s, qr_pairing_result *res, char *err, size_t errlen);

int qr_pairing_play(FILE *out, const qr_topology *t, const qr_scenario *s,
                    qr_pairing_result *res, char *err, size_t errlen)
{
    return play(out, NULL, NULL, t, s, res, err, errlen);
}

int qr_pairing_play_sink(const qr_pairing_sink *sink, const qr_topology *t,
                         const qr_scenario *s, qr_pairing_result *res, char *err,
                         size_t errlen)
{
    return play(NULL, sink, NULL, t, s, res, err, errlen);
}

int qr_pairing_play_status(FILE *out, const qr_topology *t, const qr_scenario *s, char *err,
                           size_t errlen)
{
    qr_pairing_result *res = malloc(sizeof(*res));
    if (!res) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = play(NULL, NULL, out, t, s, res, err, errlen);
    free(res);
    return rc;
}

static int play(FILE *out, const qr_pairing_sink *sink, FILE *status, const qr_topology *t,
                const qr_scenario *s, qr_pairing_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof(*res));
    player pl;
    memset(&pl, 0, sizeof(pl));
    pl.out = out;
    pl.sink = sink;
    pl.step = -1;
    pl.t = t;
    pl.res = res;
    qr_vocab *v = qr_vocab_new(t);
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = QR_SCENARIO_MAX_TIME + 86400.0;
    cfg.random_failures = s->random_failures;
    cfg.patching = s->patching;
    cfg.operator_actions = s->operator_on;
    int ret = -1;
    if (!v || qr_snapshot_init(&pl.a, v) != 0 || qr_snapshot_init(&pl.b, v) != 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    pl.v = v;
    if (sink) {
        size_t nk = (size_t)qr_vocab_count(v) + 1;
        pl.keys = calloc(nk, sizeof(*pl.keys));
        pl.from = calloc(nk, sizeof(*pl.from));
        pl.to = calloc(nk, sizeof(*pl.to));
        pl.text = malloc(nk * 192);
        if (!pl.keys || !pl.from || !pl.to || !pl.text) {
            snprintf(err, errlen, "out of memory");
            goto done;
        }
    }
    if (!(pl.p = sim_pairing_new(t, &cfg, err, errlen)))
        goto done;
    if (sim_pairing_begin(pl.p, s->random_failures ? s->seed : 1, 0) != 0) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    qr_snapshot_take_pairing(&pl.a, v, pl.p);
    int rc = 0;
    for (int i = 0; i < s->n_steps && rc == 0; i++) {
        pl.step = i;
        rc = do_step(&pl, &s->steps[i]);
    }
    pl.step = -1;
    if (rc == 0)
        rc = advance(&pl, s->until, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "%s",
                 rc == -2   ? "an engine spent its event budget"
                 : rc == -3 ? "the steps migrate, patch_night, latent_fault and reboot are not "
                              "supported on a design with several pools"
                            : "out of memory or a bad step");
        goto done;
    }
    if (status) {
        qr_snapshot_take_pairing(&pl.a, v, pl.p);
        print_status(&pl, status);
    }
    ret = 0;
done:
    free(pl.keys);
    free(pl.from);
    free(pl.to);
    free(pl.text);
    sim_pairing_free(pl.p);
    qr_snapshot_release(&pl.a);
    qr_snapshot_release(&pl.b);
    qr_vocab_free(v);
    return ret;
}
