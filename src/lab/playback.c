/*
 * playback.c: a scenario on the simulator, one event at a time
 * (playback.h). Each event is handled with sim_engine_step(); the state is
 * read into a snapshot before and after it and the narrator (narrate.c)
 * turns the difference into a timeline entry. Scripted steps are scheduled
 * only when the scenario's clock reaches them, so that an action and its
 * own consequences come out as separate, correctly attributed entries.
 */
#include "lab/playback.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/units.h"

qr_playback_config qr_playback_config_of(const qr_scenario *s)
{
    qr_playback_config c = { s->operator_on, s->random_failures, s->patching,
                             (uint64_t)s->seed };
    return c;
}

int qr_playback_init(qr_playback *p, const qr_topology *t, const qr_playback_config *pc,
                     char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    p->t = t;
    p->operator_on = pc->operator_on;
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = 200 * QR_UNITS_YEAR;
    cfg.random_failures = pc->random_failures;
    cfg.patching = pc->patching;
    cfg.operator_actions = pc->operator_on;
    p->e = sim_engine_new(t, &cfg, err, errlen);
    if (!p->e)
        return -1;
    p->vocab = qr_vocab_new(t);
    if (!p->vocab || qr_snapshot_init(&p->cur, p->vocab) != 0 ||
        qr_snapshot_init(&p->prev, p->vocab) != 0 || sim_engine_begin(p->e, pc->random_failures ? pc->seed : 1, 0) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    qr_snapshot_take(&p->cur, p->vocab, p->e);
    return 0;
}

void qr_playback_release(qr_playback *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n_entries; i++)
        qr_tl_entry_release(&p->entries[i]);
    free(p->entries);
    for (int i = 0; i < p->n_checks; i++) {
        free(p->checks[i].expected);
        free(p->checks[i].actual);
    }
    free(p->checks);
    qr_snapshot_release(&p->cur);
    qr_snapshot_release(&p->prev);
    qr_vocab_free(p->vocab);
    sim_engine_free(p->e);
    memset(p, 0, sizeof(*p));
}

/* Narrate the change from prev to cur; keep the entry when something
 * changed or `always`. Returns 0, -1 OOM. */
static int record(qr_playback *p, const sim_step_info *info, const char *note, int step,
                  bool always)
{
    if (p->n_entries == p->cap_entries) {
        int cap = p->cap_entries ? 2 * p->cap_entries : 32;
        qr_tl_entry *x = realloc(p->entries, sizeof(*x) * (size_t)cap);
        if (!x)
            return -1;
        p->entries = x;
        p->cap_entries = cap;
    }
    qr_tl_entry *en = &p->entries[p->n_entries];
    int rc = qr_narrate(p->vocab, info, note, p->operator_on, &p->prev, &p->cur, en);
    if (rc < 0)
        return -1;
    if (rc == 0 && !always) {
        qr_tl_entry_release(en);
        return 0;
    }
    en->step = step;
    p->n_entries++;
    return 0;
}

/* Handle the next event if due by `until`. Returns 1 handled, 0 none, -1. */
static int one_event(qr_playback *p, double until, int step, bool always)
{
    sim_step_info info;
    qr_snapshot_copy(&p->prev, &p->cur);
    int rc = sim_engine_step(p->e, until, &info);
    if (rc <= 0)
        return rc;
    qr_snapshot_take(&p->cur, p->vocab, p->e);
    if (info.cause == SIM_CAUSE_NONE)
        return 1; /* a cancelled event: nothing happened */
    return record(p, &info, NULL, step, always) == 0 ? 1 : -1;
}

int qr_playback_advance(qr_playback *p, double until)
{
    int rc;
    while ((rc = one_event(p, until, -1, false)) > 0)
        ;
    if (rc < 0)
        return rc;
    if (until > p->now)
        p->now = until;
    return 0;
}

static int add_check(qr_playback *p, const qr_expect *x, int step)
{
    if (p->n_checks == p->cap_checks) {
        int cap = p->cap_checks ? 2 * p->cap_checks : 16;
        qr_check *c = realloc(p->checks, sizeof(*c) * (size_t)cap);
        if (!c)
            return -1;
        p->checks = c;
        p->cap_checks = cap;
    }
    int k = qr_vocab_find(p->vocab, x->key);
    if (k < 0)
        return -1; /* the loader resolved every key */
    char buf[160];
    qr_check *c = &p->checks[p->n_checks];
    c->time = p->now;
    c->step = step;
    c->key = k;
    c->loc = x->loc;
    c->entry = p->n_entries;
    c->ok = qr_snapshot_matches(&p->cur, p->vocab, k, x->value);
    c->expected = strdup(x->value);
    c->actual = strdup(qr_snapshot_value(&p->cur, p->vocab, k, buf, sizeof(buf)));
    if (!c->expected || !c->actual) {
        free(c->expected);
        free(c->actual);
        return -1;
    }
    p->n_checks++;
    if (!c->ok)
        p->failed++;
    return 0;
}

static const sim_action step_action[] = {
    [QR_STEP_CRASH] = SIM_ACT_CRASH,       [QR_STEP_SHUTDOWN] = SIM_ACT_SHUTDOWN,
    [QR_STEP_START] = SIM_ACT_START,       [QR_STEP_REPAIR] = SIM_ACT_REPAIR,
    [QR_STEP_RESET] = SIM_ACT_SOFT_RESET,  [QR_STEP_FAILOVER] = SIM_ACT_SQL_FAILOVER,
    [QR_STEP_PATCH_NIGHT] = SIM_ACT_PATCH_NIGHT, [QR_STEP_LATENT] = SIM_ACT_LATENT_ARM,
    [QR_STEP_REBOOT] = SIM_ACT_SHUTDOWN,
};

int qr_playback_step(qr_playback *p, const qr_step *st, int index)
{
    double at = st->at > p->now ? st->at : p->now;
    int rc = qr_playback_advance(p, at);
    if (rc != 0)
        return rc;
    switch (st->kind) {
    case QR_STEP_CRASH:
    case QR_STEP_SHUTDOWN:
    case QR_STEP_START:
    case QR_STEP_REPAIR:
    case QR_STEP_RESET:
    case QR_STEP_FAILOVER:
    case QR_STEP_PATCH_NIGHT:
    case QR_STEP_LATENT:
    case QR_STEP_REBOOT: {
        sim_action a = step_action[st->kind];
        if (sim_engine_schedule(p->e, at, a, st->comp) != 0)
            return -1;
        /* A reboot's start comes patch.reboot later, as a patch night's. */
        if (st->kind == QR_STEP_REBOOT &&
            sim_engine_schedule(p->e, at + p->t->comps[st->comp].patch.reboot, SIM_ACT_START,
                                st->comp) != 0)
            return -1;
        /* The action first (it is the earliest event now), always shown. */
        if ((rc = one_event(p, at, index, true)) < 0)
            return rc;
        /* Then whatever it sets off at the same instant. */
        return qr_playback_advance(p, at);
    }
    case QR_STEP_MIGRATE: {
        int partner;
        sim_migrate_check c = sim_engine_migrate_check(p->e, st->comp, st->host, &partner);
        if (c != SIM_MIGRATE_OK) { /* refused: say why, nothing moves */
            char why[400], text[512];
            qr_narrate_migrate_refusal(p->t, c, st->comp, st->host, partner, why, sizeof(why));
            snprintf(text, sizeof(text), "migrate %s to %s refused: %s",
                     qr_topology_comp_name(p->t, st->comp), qr_topology_comp_name(p->t, st->host),
                     why);
            sim_step_info info = { at, SIM_CAUSE_NONE, SIM_ACT_CRASH, -1, -1 };
            qr_snapshot_copy(&p->prev, &p->cur);
            if (record(p, &info, text, index, true) != 0)
                return -1;
            p->entries[p->n_entries - 1].time = at;
            return 0;
        }
        if (sim_engine_schedule_migrate(p->e, at, st->comp, st->host) != 0)
            return -1;
        if ((rc = one_event(p, at, index, true)) < 0)
            return rc;
        return qr_playback_advance(p, at);
    }
    case QR_STEP_POOL_FAILOVER: /* designs with pools only (pairing_play.c) */
    case QR_STEP_POOL_FAILBACK:
        return -1;
    case QR_STEP_WAIT:
        return qr_playback_advance(p, at + st->wait);
    case QR_STEP_EXPECT:
        for (int i = 0; i < st->n_expects; i++)
            if (add_check(p, &st->expects[i], index) != 0)
                return -1;
        return 0;
    case QR_STEP_NOTE: {
        sim_step_info info = { at, SIM_CAUSE_NONE, SIM_ACT_CRASH, -1, -1 };
        const char *note = st->text ? st->text : "";
        size_t size = strlen(note) + sizeof("note: "); /* whole: no cut */
        char *text = malloc(size);
        if (!text)
            return -1;
        snprintf(text, size, "note: %s", note);
        qr_snapshot_copy(&p->prev, &p->cur);
        rc = record(p, &info, text, index, true);
        free(text);
        if (rc != 0)
            return -1;
        p->entries[p->n_entries - 1].time = at; /* not the last event's */
        return 0;
    }
    }
    return -1;
}

int qr_playback_run(qr_playback *p, const qr_scenario *s)
{
    for (int i = 0; i < s->n_steps; i++) {
        int rc = qr_playback_step(p, &s->steps[i], i);
        if (rc != 0)
            return rc;
    }
    return qr_playback_advance(p, s->until);
}

#define STR_(x) #x
#define STR(x) STR_(x)

const char *qr_playback_error(int rc)
{
    return rc == -2 ? "the simulation stopped: more than " STR(SIM_MAX_EVENTS_PER_COMP_YEAR)
                      " events per component and simulated year, durations too short for "
                      "the model (docs/topology-format.md, \"Limits\")"
                    : "out of memory";
}

/* Did the entry change a vote count or a quorum state? */
static bool votes_changed(const qr_playback *p, const qr_tl_entry *en)
{
    for (int i = 0; i < en->n_changed; i++) {
        const char *k = qr_vocab_key(p->vocab, en->changed[i]);
        if (strcmp(k, "pool") == 0 || strncmp(k, "fabric.voters", 13) == 0 ||
            (strncmp(k, "cluster.", 8) == 0 && !strstr(k, ".witness_votes")))
            return true;
    }
    return false;
}

static void print_check(FILE *out, const qr_playback *p, const qr_check *c, const char *file)
{
    char clock[32];
    fprintf(out, "%s  expect %s: %s — ", qr_narrate_clock(c->time, clock, sizeof(clock)),
            qr_vocab_key(p->vocab, c->key), c->expected);
    if (c->ok)
        fputs("ok\n", out);
    else if (file)
        fprintf(out, "FAILED: it is %s (%s:%d:%d)\n", c->actual, file, c->loc.line,
                c->loc.col);
    else
        fprintf(out, "FAILED: it is %s\n", c->actual);
}

void qr_playback_print(FILE *out, const qr_playback *p, int from_entry, int from_check,
                       const char *file)
{
    int c = from_check;
    char clock[32];
    for (int i = from_entry; i <= p->n_entries; i++) {
        for (; c < p->n_checks && p->checks[c].entry <= i; c++)
            print_check(out, p, &p->checks[c], file);
        if (i == p->n_entries)
            break;
        const qr_tl_entry *en = &p->entries[i];
        fprintf(out, "%s  %s\n", qr_narrate_clock(en->time, clock, sizeof(clock)), en->text);
        const char *indent = "          ";
        if (en->users)
            fprintf(out, "%susers: %s\n", indent, en->users);
        if (votes_changed(p, en) && en->votes)
            fprintf(out, "%svotes: %s\n", indent, en->votes);
    }
    for (; c < p->n_checks; c++)
        print_check(out, p, &p->checks[c], file);
}

/* ---- marks ---- */

int qr_playback_mark_take(const qr_playback *p, qr_playback_mark *m)
{
    memset(m, 0, sizeof(*m));
    m->e = sim_engine_clone(p->e);
    if (!m->e || qr_snapshot_init(&m->cur, p->vocab) != 0) {
        qr_playback_mark_release(m);
        return -1;
    }
    qr_snapshot_copy(&m->cur, &p->cur);
    m->now = p->now;
    m->failed = p->failed;
    return 0;
}

int qr_playback_mark_restore(qr_playback *p, const qr_playback_mark *m)
{
    if (sim_engine_copy(p->e, m->e) != 0)
        return -1;
    qr_snapshot_copy(&p->cur, &m->cur);
    p->now = m->now;
    p->failed = m->failed;
    for (int i = 0; i < p->n_entries; i++)
        qr_tl_entry_release(&p->entries[i]);
    p->n_entries = 0;
    for (int i = 0; i < p->n_checks; i++) {
        free(p->checks[i].expected);
        free(p->checks[i].actual);
    }
    p->n_checks = 0;
    return 0;
}

void qr_playback_mark_release(qr_playback_mark *m)
{
    if (!m)
        return;
    sim_engine_free(m->e);
    qr_snapshot_release(&m->cur);
    memset(m, 0, sizeof(*m));
}
