/*
 * pairing_lab.h: the `quorate lab` console on a design with several pools
 * (`pools:`, M10). The session is its history, a scenario (scenario.h):
 * every accepted command becomes a step at the session's time, and the
 * whole history is replayed on the pairing simulation (pairing_play.h)
 * after each one, printing only the timeline lines not shown yet; `undo`
 * drops the last step, `save` writes the history as a scenario.
 *
 * Commands: crash, shutdown, start, repair NAME; reset; failover POOL (or
 * sql); failback POOL; advance DURATION; expect KEY VALUE; note TEXT;
 * status; undo; save FILE; help; quit.
 */
#ifndef QR_PAIRING_LAB_H
#define QR_PAIRING_LAB_H

#include <stdbool.h>
#include <stdio.h>

#include "lab/scenario.h"
#include "model/topology.h"

typedef struct {
    const qr_topology *t;
    const char  *topology_path;
    qr_scenario *history;
    double       now;
    int          shown;   /* timeline lines printed so far                */
    int          failed;  /* expectations that did not hold               */
} qr_pairing_lab;

/* Start a session on t (with pools) at time 0. 0, or -1 out of memory. */
int qr_pairing_lab_init(qr_pairing_lab *l, const qr_topology *t, const char *topology_path,
                        bool operator_on);
void qr_pairing_lab_release(qr_pairing_lab *l);

/* Run one command line, printing its effect to out. Returns a
 * qr_lab_result (lab.h), or -1 when the replay fails (a message on out). */
int qr_pairing_lab_exec(qr_pairing_lab *l, const char *line, FILE *out);

#endif
