/*
 * narrate.h: the words of the training labs. Three things live here:
 *
 * - The vocabulary: every quantity a scenario can expect and a timeline
 *   reports, named by a key ("pool", "fabric.voters_up",
 *   "backend.principal", "feature.conferencing", "cluster.wsfc1",
 *   "server.s2", "count.soft_resets", ...; docs/scenario-format.md lists
 *   them). It is built for one topology and read from what the engine
 *   exposes (sim_engine_status, sim_engine_cluster, sim_engine_feature,
 *   sim_engine_comp_state): nothing else.
 * - Snapshots: the value of every key at one moment, as small integers,
 *   so that two snapshots are compared key by key.
 * - The narrator: from the event that happened (sim_step_info) and the
 *   snapshots before and after it, one timeline entry: the cause, every
 *   change in words ("pool voters up 1 of 3, quorum LOST"), what a user
 *   notices and what an operator must do, and the changed keys with their
 *   old and new values (for --json).
 *
 * Ownership: a qr_vocab owns its key strings and does not point into the
 * topology except through indices (the topology must outlive it for
 * names). Snapshots and entries own their arrays. Nothing here prints.
 *
 * The vocabulary and snapshots are in narrate_vocab.c, the narrator in narrate.c.
 */
#ifndef QR_NARRATE_H
#define QR_NARRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/engine.h"
#include "sim/pairing.h"
#include "model/topology.h"

typedef struct qr_vocab qr_vocab;

/* Build the vocabulary of t (t must outlive it). NULL when out of memory. */
qr_vocab *qr_vocab_new(const qr_topology *t);

/* Free it; accepts NULL. */
void qr_vocab_free(qr_vocab *v);

/* Number of keys, and key k's name. */
int qr_vocab_count(const qr_vocab *v);
const char *qr_vocab_key(const qr_vocab *v, int k);

/* Index of `key`, or -1. */
int qr_vocab_find(const qr_vocab *v, const char *key);

/* The closest key to a misspelt one, or NULL (suggest.h). */
const char *qr_vocab_suggest(const qr_vocab *v, const char *key);

/* Is `value` something key k can be expected to be? Returns 0 when it is;
 * else -1 and a phrase listing what it can be ("up, down or starting",
 * "an integer", "true or false", "a server name or 'none'") in buf. */
int qr_vocab_check_value(const qr_vocab *v, int k, const char *value,
                         char *buf, size_t size);

/* The value of every key at one moment. */
typedef struct {
    double now;
    int   *val;   /* one per key: enum index, integer, 0/1, component   */
    int    n;
} qr_snapshot;

/* Size s for v. Returns 0, -1 out of memory. Release with
 * qr_snapshot_release (accepts a zeroed or released snapshot). */
int qr_snapshot_init(qr_snapshot *s, const qr_vocab *v);
void qr_snapshot_release(qr_snapshot *s);

/* Copy src into dst (both sized for the same vocabulary). */
void qr_snapshot_copy(qr_snapshot *dst, const qr_snapshot *src);

/* Read the engine's state now into s. */
void qr_snapshot_take(qr_snapshot *s, const qr_vocab *v, const sim_engine *e);

/* The same for a design with several pools (M10, v built for it): every
 * key from the pairing simulation. A component that no pool uses reads
 * "up". */
void qr_snapshot_take_pairing(qr_snapshot *s, const qr_vocab *v, const sim_pairing *p);

/* Key k's value in s as text ("down", "1", "s2", "true", "none"); written
 * into buf, which is returned. */
const char *qr_snapshot_value(const qr_snapshot *s, const qr_vocab *v, int k,
                              char *buf, size_t size);

/* Does key k's value in s match `expected` (which qr_vocab_check_value
 * accepted)? "down" matches a component that crashed or was stopped. */
bool qr_snapshot_matches(const qr_snapshot *s, const qr_vocab *v, int k,
                         const char *expected);

/* One line of the timeline. */
typedef struct {
    double        time;
    int           step;      /* scenario step index, -1 for the engine's */
    sim_step_info info;      /* what happened                            */
    char         *cause;     /* "s2 crashed (unexpected)"                */
    char         *text;      /* cause, then " — " and every change, then */
                             /*   what an operator must do               */
    char         *users;     /* what users notice now, or NULL            */
    char         *votes;     /* qr_narrate_votes() after the event        */
    int           n_changed;
    int          *changed;   /* vocabulary keys whose value changed       */
    char        **from;      /* their values before (owned)               */
    char        **to;        /*   and after (owned)                        */
} qr_tl_entry;

/* Narrate what happened between snapshots a (before) and b (after) because
 * of info; `note` (may be NULL) replaces the cause text (a scenario note
 * or the description of a scripted step), operator_on says whether the
 * automatic operator runs (it changes the advice). Fills *out, which the
 * caller releases with qr_tl_entry_release. Returns 1 when something
 * changed, 0 when nothing did (*out still filled), -1 out of memory. */
int qr_narrate(const qr_vocab *v, const sim_step_info *info, const char *note,
               bool operator_on, const qr_snapshot *a, const qr_snapshot *b,
               qr_tl_entry *out);

/* Free what an entry owns; accepts NULL and a zeroed entry. */
void qr_tl_entry_release(qr_tl_entry *en);

/* The cause of info in words ("s2 crashed (unexpected)", "SQL failover
 * time elapsed (backend.failover_time)"), into buf, which is returned. */
const char *qr_narrate_cause(const qr_vocab *v, const sim_step_info *info,
                             char *buf, size_t size);

/* "00:05:00" (hours grow past 24: "49:00:00"); fractions of a second are
 * shown as ".250". Into buf (size >= 32), returned. */
const char *qr_narrate_clock(double seconds, char *buf, size_t size);

/* The fabric's and each cluster's votes in s, one line ("pool voters up 2
 * of 3 (quorum); cluster wsfc1 votes 2 of 3 (up)"), into buf, returned. */
const char *qr_narrate_votes(const qr_vocab *v, const qr_snapshot *s,
                             char *buf, size_t size);

/* Why the move of VM vm to host h is refused (M0.5, M7.6; c from
 * sim_engine_migrate_check, partner the group member it names). Writes
 * into buf and returns it. */
const char *qr_narrate_migrate_refusal(const qr_topology *t, sim_migrate_check c, int vm,
                                       int h, int partner, char *buf, size_t size);

/* What holds component i down in e (M0.2), in a sentence with the way
 * out: "fe1 is held down by host h1 (crashed): ...". Writes into buf. */
const char *qr_narrate_why(const qr_topology *t, const sim_engine *e, int i, char *buf,
                           size_t size);

#endif
