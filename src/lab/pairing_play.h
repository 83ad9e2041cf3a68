/*
 * pairing_play.h: a scenario (scenario.h) on a design with several pools
 * (`pools:`, M10), run on the pairing simulation (sim/pairing.h): its
 * timeline, one line per moment something changed (the pools' states,
 * where each pool's users are served, their features, the CMS,
 * components), and its expectations, with the keys of the paired
 * vocabulary (narrate.h; docs/scenario-format.md, "Several pools").
 */
#ifndef QR_PAIRING_PLAY_H
#define QR_PAIRING_PLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lab/scenario.h"
#include "model/topology.h"

/* One expectation that did not hold. */
typedef struct {
    double time;
    qr_loc loc;
    char   key[160];
    char   expected[96];
    char   actual[96];
} qr_pairing_miss;

/* The result of a run: how many expectations were checked and which did
 * not hold (the first QR_PAIRING_MAX_MISSES of them kept). */
#define QR_PAIRING_MAX_MISSES 64
typedef struct {
    int             checks;
    int             failed;
    qr_pairing_miss misses[QR_PAIRING_MAX_MISSES];
} qr_pairing_result;

/* Run s on t, writing the timeline to out (may be NULL). Returns 0 with
 * *res filled; -1 with a message in err (out of memory, the simulation
 * cannot run the design, an engine spent its event budget). */
int qr_pairing_play(FILE *out, const qr_topology *t, const qr_scenario *s,
                    qr_pairing_result *res, char *err, size_t errlen);

/* What a run tells as it goes, for a structured report (scenario --json):
 * each callback may be NULL; ctx is passed back. The strings live only
 * during the call. */
typedef struct {
    void *ctx;
    /* One moment of the timeline: `label` is the step that made it ("step:
     * crash dc1") or NULL for the simulation's own events; step is its
     * index in s->steps, -1 for none; n keys changed from `from` to `to`. */
    void (*moment)(void *ctx, double at, int step, const char *label, int n,
                   const char *const *keys, const char *const *from, const char *const *to);
    /* One expectation, checked at `at`, its value there, whether it held. */
    void (*expect)(void *ctx, double at, int step, const qr_expect *e, const char *actual,
                   bool ok);
    /* A step `note:`. */
    void (*note)(void *ctx, double at, int step, const char *text);
} qr_pairing_sink;

/* qr_pairing_play() that tells sink (not NULL) instead of writing text. */
int qr_pairing_play_sink(const qr_pairing_sink *sink, const qr_topology *t,
                         const qr_scenario *s, qr_pairing_result *res, char *err,
                         size_t errlen);

/* Run s silently and print the state at its end to out, one "KEY VALUE"
 * per line: each pool, where its users are served, the CMS, every feature
 * row, the components that are not up (the lab's `status`). 0, or -1 with
 * a message in err. */
int qr_pairing_play_status(FILE *out, const qr_topology *t, const qr_scenario *s, char *err,
                           size_t errlen);

#endif
