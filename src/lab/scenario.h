/*
 * scenario.h: training-lab scenarios (docs/scenario-format.md): a YAML file
 * of timed steps that crash, shut down, start or repair components of a
 * topology, run the operator's soft reset or a manual SQL failover, wait,
 * and state expectations about the state of the pool at that time.
 *
 * The loader reads a scenario against a loaded topology, so that every
 * component, cluster and feature it names is resolved (and reported with
 * file:line:col when unknown), every expectation key belongs to the
 * vocabulary of narrate.h and every expected value is one that key can
 * take. Diagnostics use the topology loader's rule IDs (P001-P010).
 *
 * Ownership: a qr_scenario owns its strings and arrays; qr_scenario_free()
 * releases them. It does not point into the topology it was checked
 * against, but its component and cluster indices are only meaningful for
 * that topology.
 */
#ifndef QR_SCENARIO_H
#define QR_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/diag.h"
#include "model/topology.h"

/* What one step does. */
typedef enum {
    QR_STEP_CRASH,    /* component down unexpectedly (M0.1, M1.4)       */
    QR_STEP_SHUTDOWN, /* graceful shutdown, drained first (M1.3)        */
    QR_STEP_START,    /* start after a graceful shutdown                 */
    QR_STEP_REPAIR,   /* back up after a crash                           */
    QR_STEP_RESET,    /* Reset-CsPoolRegistrarState QuorumLossRecovery   */
                      /*   (M1.7, M2.4)                                  */
    QR_STEP_FAILOVER, /* manual SQL failover to the mirror (M3.4)        */
    QR_STEP_WAIT,     /* advance the clock                               */
    QR_STEP_EXPECT,   /* check the state (narrate.h vocabulary)          */
    QR_STEP_NOTE,     /* a trainer's remark, printed in the timeline     */
    QR_STEP_MIGRATE,  /* move a VM to another host (M7.6)                */
    QR_STEP_PATCH_NIGHT, /* a patch night starts now (M7.1, M7.2, M7.5)  */
    QR_STEP_LATENT,   /* a latent fault lands on its members (M7.3);     */
                      /*   comp is its index into t->latent              */
    QR_STEP_REBOOT,   /* a server's graceful shutdown, then its start    */
                      /*   patch.reboot later (M7.1, M7.3)               */
    QR_STEP_POOL_FAILBACK, /* `failback: POOL`: Invoke-CsPoolFailback     */
                           /*   (M10.5), designs with pools only           */
    QR_STEP_POOL_FAILOVER  /* `failover: POOL`: Invoke-CsPoolFailover      */
                           /*   (M10.3, M10.4), designs with pools only    */
} qr_step_kind;

/* One expectation: vocabulary key and expected value, both as written. */
typedef struct {
    char  *key;    /* "pool", "feature.conferencing", ...               */
    char  *value;  /* "down", "1", "s2", ...                            */
    qr_loc loc;    /* where the key is written                          */
} qr_expect;

typedef struct {
    qr_step_kind kind;
    double       at;        /* absolute time in seconds (resolved)       */
    qr_loc       loc;       /* the step's mapping                        */
    int          comp;      /* component index for the four component   */
                            /*   actions, the latent fault's index for   */
                            /*   QR_STEP_LATENT, pool index (t->pools)   */
                            /*   for the pool failover and failback,     */
                            /*   else -1                                 */
    double       wait;      /* QR_STEP_WAIT: seconds                      */
    qr_expect   *expects;   /* QR_STEP_EXPECT                             */
    int          n_expects;
    char        *text;      /* QR_STEP_NOTE                               */
    int          host;      /* QR_STEP_MIGRATE: the destination host     */
                            /*   (comp: the VM)                          */
} qr_step;

typedef struct {
    char    *file;        /* path it was read from                      */
    char    *name;        /* `name:`, or NULL                           */
    char    *description; /* `description:`, or NULL                    */
    bool     operator_on; /* `operator: true`: the automatic operator    */
                          /*   (sim_config.operator_actions)             */
    bool     random_failures; /* `random: { seed: N }`: M0.3 failures   */
    unsigned long long seed;  /*   and repairs drawn from seed N         */
    bool     patching;    /* `patching: true`: M7 patch nights           */
    double   until;       /* end of the run in seconds (resolved:       */
                          /*   `until:`, else the last step + 1h)       */
    qr_step *steps;       /* in file order, times non-decreasing         */
    int      n_steps;
    int      cap;         /* steps allocated                              */
} qr_scenario;

/* Largest number of steps in one scenario. */
#define QR_SCENARIO_MAX_STEPS 10000

/* The latest time a scenario reaches (seconds: 100 years of 365.25 days):
 * every time, wait and `until`, and the clock after any step. A lab
 * session stops there too, so that what it saves loads. */
#define QR_SCENARIO_MAX_TIME (100 * 365.25 * 86400.0)

/* Time after the last step that a scenario runs when it has no `until:`. */
#define QR_SCENARIO_DEFAULT_TAIL 3600.0

/* Load a scenario file against t. The caller has done
 * qr_diags_init(diags, path). Returns 0 when loaded without errors (*out
 * set; free with qr_scenario_free), 1 when the file has errors (*out NULL,
 * every error in diags, sorted), 2 when it could not be read or out of
 * memory (one diagnostic says why). Never prints. */
int qr_scenario_load_file(const char *path, const qr_topology *t,
                          qr_scenario **out, qr_diags *diags);

/* The same from `len` bytes of `text`; `name` stands for the file name. */
int qr_scenario_load_buffer(const char *name, const char *text, size_t len,
                            const qr_topology *t, qr_scenario **out,
                            qr_diags *diags);

/* An empty scenario (for the lab console, which builds one step by step).
 * Returns NULL when out of memory. */
qr_scenario *qr_scenario_new(void);

/* Append a step (copied; the strings and expectations it points to are
 * duplicated). Returns 0, -1 out of memory or too many steps. */
int qr_scenario_add(qr_scenario *s, const qr_step *step);

/* Remove the last step, if any. */
void qr_scenario_pop(qr_scenario *s);

/* Free the scenario and everything it owns; accepts NULL. */
void qr_scenario_free(qr_scenario *s);

/* The YAML keyword of a step kind ("crash", "reset", "expect", ...). */
const char *qr_step_keyword(qr_step_kind k);

/* Parse a scenario time: a duration of units.h, or zero for the start
 * ("0", or 0 with any unit: "0s", "0m", "0h"). Returns 0 and *seconds, or
 * -1 and a static *reason. */
int qr_scenario_parse_time(const char *text, double *seconds,
                           const char **reason);

/* Format seconds as a time a scenario accepts: "0s", else the largest unit
 * (d, h, m, s) that divides it exactly ("90m" -> "90m", "5400s" -> "90m"),
 * else seconds with three decimals ("1.250s"). Writes into buf (size >= 32)
 * and returns it. */
const char *qr_scenario_format_time(double seconds, char *buf, size_t size);

/* Write s as a scenario file that qr_scenario_load_* accepts for t (with
 * `at:` on every step). Returns 0, or -1 when writing failed. */
int qr_scenario_write(FILE *out, const qr_scenario *s, const qr_topology *t,
                      const char *topology_path);

#endif
