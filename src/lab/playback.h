/*
 * playback.h: runs a scenario (scenario.h) on the simulator, event by
 * event, and keeps the narrated timeline (narrate.h) and the result of
 * every expectation. `quorate scenario` and the `quorate lab` console both
 * drive one.
 *
 * The engine runs with random failures and patching off (unless the
 * scenario asks for them, random failures with a seed), over a horizon of
 * 200 years; the automatic operator (M1.7 soft resets, M3.4 manual SQL
 * failover, M4.5 forced quorum) only when asked. A step at time T first
 * lets every pending event up to T happen, then does its action at T and
 * lets the consequences due at T happen too, so the timeline shows each
 * event with its own cause, in order. The same scenario gives the same
 * timeline.
 *
 * qr_playback_print() writes the timeline as text, the way both commands
 * show it (like report.c, it prints only to the FILE it is given).
 *
 * Ownership: a qr_playback owns its engine, vocabulary, snapshots, entries
 * and results; the topology must outlive it.
 */
#ifndef QR_PLAYBACK_H
#define QR_PLAYBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/engine.h"
#include "lab/narrate.h"
#include "lab/scenario.h"
#include "model/topology.h"

/* The outcome of one expectation. */
typedef struct {
    double time;
    int    step;       /* scenario step index                          */
    int    key;        /* vocabulary key                                */
    char  *expected;   /* as written (owned)                            */
    char  *actual;     /* the value then (owned)                        */
    bool   ok;
    qr_loc loc;        /* the key in the scenario file                  */
    int    entry;      /* timeline entries before it (for printing)     */
} qr_check;

/* How the engine runs (scenario.h's top-level keys). */
typedef struct {
    bool     operator_on;     /* M1.7, M3.4, M4.5 automatic operator     */
    bool     random_failures; /* M0.3 failures and repairs from `seed`   */
    bool     patching;        /* M7 patch nights                          */
    uint64_t seed;
} qr_playback_config;

/* The configuration a scenario asks for. */
qr_playback_config qr_playback_config_of(const qr_scenario *s);

typedef struct {
    const qr_topology *t;
    sim_engine  *e;
    qr_vocab    *vocab;
    bool         operator_on;
    qr_snapshot  cur;          /* state after the last event            */
    qr_snapshot  prev;         /* scratch                                */
    qr_tl_entry *entries;      /* the timeline, in order                 */
    int          n_entries, cap_entries;
    qr_check    *checks;
    int          n_checks, cap_checks;
    int          failed;       /* expectations that did not hold         */
    double       now;          /* the scenario's clock                   */
} qr_playback;

/* Build the engine for t as cfg says and start at time 0 with everything
 * up. Returns 0; -1 with a message in err when the engine cannot run this
 * design or out of memory. Release with qr_playback_release (also after a
 * failure). */
int qr_playback_init(qr_playback *p, const qr_topology *t,
                     const qr_playback_config *cfg, char *err, size_t errlen);

/* Free everything; accepts a zeroed or released playback. */
void qr_playback_release(qr_playback *p);

/* Let every pending event up to and including `until` happen, one entry
 * per event that changed something. Returns 0, -1 out of memory, -2 the
 * engine's event budget is spent (sim_engine_step). */
int qr_playback_advance(qr_playback *p, double until);

/* Do step `st` (index `index` in its scenario, or -1): advance to st->at,
 * then act, wait, check or note. Returns 0, -1 out of memory, -2 the
 * event budget is spent. */
int qr_playback_step(qr_playback *p, const qr_step *st, int index);

/* Every step of s, then advance to s->until. Returns 0, -1 OOM, -2 the
 * event budget is spent. */
int qr_playback_run(qr_playback *p, const qr_scenario *s);

/* The message for a failure rc (-1 or -2) of the functions above. */
const char *qr_playback_error(int rc);

/* A playback's state at one moment (engine, narrator's state, clock, failed
 * expectations), without its timeline, to come back to later: the lab's
 * undo restores the latest mark instead of replaying its whole history.
 * Owns its engine copy and snapshot. */
typedef struct {
    sim_engine  *e;
    qr_snapshot  cur;
    double       now;
    int          failed;
} qr_playback_mark;

/* Take a mark of p now. Returns 0, -1 out of memory (m is then released). */
int qr_playback_mark_take(const qr_playback *p, qr_playback_mark *m);

/* Put p back to mark m, taken from p: the state is m's and the timeline
 * and checks are emptied (p->failed is m's count). Returns 0, -1 out of
 * memory. */
int qr_playback_mark_restore(qr_playback *p, const qr_playback_mark *m);

/* Free what m owns; accepts a zeroed or released mark. */
void qr_playback_mark_release(qr_playback_mark *m);

/* Print entries [from_entry, n_entries) and the checks made among them
 * (checks [from_check, n_checks)), one line each:
 *   "00:05:00  s2 crashed (unexpected) — pool voters up 1 of 3, ..."
 *   "          users: cannot sign in or send IMs; ..."
 *   "          votes: pool voters up 1 of 3 (quorum LOST); ..."
 *   "00:05:00  expect pool: down — ok" (or "— FAILED: it is up")
 * `file` names the scenario in failed checks (file:line:col). */
void qr_playback_print(FILE *out, const qr_playback *p, int from_entry,
                       int from_check, const char *file);

#endif
