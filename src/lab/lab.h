/*
 * lab.h: the interactive training-lab console behind `quorate lab`. A lab
 * session is a playback (playback.h) driven one command at a time, plus
 * its history as a scenario (scenario.h): every accepted command becomes a
 * step at the session's current time, so `undo` goes back to the latest
 * mark (a copy of the playback taken every few commands) and replays the
 * history from there minus its last step, and `save` writes the history as
 * a scenario file that `quorate scenario` accepts.
 *
 * Commands (one per line; `help` lists them): crash, shutdown, start,
 * repair NAME; reset; failover; advance DURATION; expect KEY VALUE; note
 * TEXT; status; undo; save FILE; help; quit.
 *
 * Like report.c, a session prints only to the FILE it is given; reading
 * lines (and line editing) is the command's business (cmd_lab.c).
 *
 * Ownership: a qr_lab owns its playback and history; the topology must
 * outlive it.
 */
#ifndef QR_LAB_H
#define QR_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lab/playback.h"
#include "lab/scenario.h"
#include "model/topology.h"

/* The playback's state after the first `steps` commands of the history. */
typedef struct {
    int              steps;
    qr_playback_mark mark;
} qr_lab_mark;

typedef struct {
    const qr_topology *t;
    const char  *topology_path; /* for the comment of saved scenarios     */
    bool         operator_on;
    qr_playback  pb;
    qr_scenario *history;       /* accepted commands, as scenario steps    */
    int          shown_entries; /* timeline entries already printed        */
    int          shown_checks;
    qr_lab_mark *marks;         /* for undo: every mark_every commands,    */
    int          n_marks;       /*   oldest first, at most QR_LAB_MARKS    */
    int          mark_every;    /*   (the spacing doubles to stay so)      */
    /* The work of undo, counted (QUORATE_LAB_STATS, cmd_lab.c): */
    int          undos;         /* undos done                              */
    long         replayed;      /* commands they replayed in all           */
    int          replayed_max;  /* the most one undo replayed              */
} qr_lab;

/* Most marks a session keeps (each holds a copy of the engine). */
#define QR_LAB_MARKS 32
/* Commands between marks at first. */
#define QR_LAB_MARK_EVERY 32
/* The longest command line (bytes, without the line break) cmd_lab reads;
 * a longer one is refused whole. */
#define QR_LAB_MAX_LINE 4096

/* What qr_lab_exec did. */
typedef enum {
    QR_LAB_OK,       /* done (or an empty line)                           */
    QR_LAB_REJECTED, /* a bad command or argument: a message was printed  */
    QR_LAB_QUIT      /* `quit` or `exit`                                  */
} qr_lab_result;

/* Start a session on t at time 0, everything up. Returns 0; -1 with a
 * message in err (design the engine cannot run, out of memory). Release
 * with qr_lab_release in every case. */
int qr_lab_init(qr_lab *l, const qr_topology *t, const char *topology_path,
                bool operator_on, char *err, size_t errlen);

/* Free everything; accepts a zeroed or released session. */
void qr_lab_release(qr_lab *l);

/* Run one command line, printing its effect (new timeline lines, the
 * status table, help, or an error message) to out. Returns a
 * qr_lab_result, or -1 when out of memory, -2 when the engine's event
 * budget is spent (qr_playback_error says it). */
int qr_lab_exec(qr_lab *l, const char *line, FILE *out);

/* Print the status table: time, pool and votes, then one row per server
 * (state, roles, fabric and cluster votes), the Back End and its
 * replicas, the routing groups, the clusters and every feature. */
void qr_lab_status(const qr_lab *l, FILE *out);

/* The command words, NULL-ended (for completion and "did you mean"). */
extern const char *const qr_lab_commands[];

#endif
