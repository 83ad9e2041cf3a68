/*
 * assumptions.h: one set of assumptions for every design of a comparison
 * (docs/assumptions.md). An assumptions file gives the figures that are not
 * design choices: how each kind of component fails and is repaired (site,
 * host, server, storage, link, cloud witness), how servers are patched, and
 * the timings of the operators, the fabric, the back end, the file store
 * and failover clusters. `--assume FILE` applies it to every design a
 * command reads, with one precedence (lowest first):
 *
 *     built-in  <  the design's `defaults:` and timing keys
 *               <  the assumptions file  <  a component's own keys
 *
 * A design's `defaults:` and timings are statements about the world (how
 * every server fails, how fast an operator acts), so in a comparison one
 * file states them for all designs; a component's own figure describes that
 * one part (a NAS appliance as file share witness), a choice the design
 * makes, and wins.
 *
 * The items an assumptions file can give form one table (qr_assumption_item),
 * in report order; the loader (assumptions_load.c), the application
 * (assumptions.c) and the listing in every report (assumption_list.h) all
 * walk it.
 *
 * Ownership: a qr_assumptions owns its file name, its name and its source
 * texts; qr_assumptions_free() releases all of it.
 */
#ifndef QR_ASSUMPTIONS_H
#define QR_ASSUMPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/diag.h"
#include "model/topology.h"
#include "model/uncertain.h"

/* What an item is. */
typedef enum {
    QR_ITEM_FAILURE, /* a kind's time to failure (mtbf)                     */
    QR_ITEM_REPAIR,  /* a kind's time to repair (mttr)                      */
    QR_ITEM_PATCH,   /* the servers' patch nights                           */
    QR_ITEM_SETTING  /* a timing or switch of the behaviour model           */
} qr_item_type;

typedef struct {
    const char  *key;     /* its name in the file and in reports:           */
                          /*   "site.mtbf", "operations.quorum_reset.after" */
    qr_item_type type;
    int          kind;    /* qr_comp_kind of FAILURE/REPAIR/PATCH, else -1  */
    int          setting; /* qr_setting of SETTING, else -1                 */
    const char  *rule;    /* the behaviour rule it feeds ("M0.3", "M1.7")   */
    const char  *source;  /* where the built-in value comes from: a public  */
                          /*   source, or "assumption" and why              */
} qr_assumption_item;

/* Number of items (the table's size, fixed). */
#define QR_ASSUMPTION_ITEM_COUNT 37

/* Item i (0 <= i < QR_ASSUMPTION_ITEM_COUNT), in report order; NULL out of
 * range. */
const qr_assumption_item *qr_assumption_item_at(int i);

/* The parts of an item's figure (QR_PART_BIT()s); 0 for a setting. */
unsigned qr_assumption_item_parts(const qr_assumption_item *it);

/* Index of the item called `key`, or -1. */
int qr_assumption_item_find(const char *key);

typedef struct {
    char           *file;   /* the path it was loaded from                  */
    char           *name;   /* `name:`, NULL when not given                 */
    /* Figures per kind: built-in values, replaced where the file gives them */
    /* (given[p].from == QR_FROM_ASSUMPTIONS, with the place in the file).  */
    qr_kind_figures kinds[QR_COMP_KIND_COUNT];
    double          setting[QR_SETTING_COUNT]; /* seconds; switches 0 or 1  */
    qr_given        setting_given[QR_SETTING_COUNT];
    char           *source[QR_ASSUMPTION_ITEM_COUNT]; /* `sources:`, or NULL */
    /* The values the file gives as uncertain (uncertain.h), in the order */
    /* of the items; kinds[] and setting[] hold their point values.       */
    qr_uncertain    uncertain[QR_UNCERTAIN_MAX];
    int             n_uncertain;
    /* `common_cause:` groups, each by a role word (g.role, no members):  */
    /* applied to every design whose role has two or more members.        */
    qr_ccf_group   *ccf;
    int             n_ccf;
    /* `latent_faults:` (M7.3): members by role, features built-in ones;  */
    /* each design gets a copy resolved for it (qr_assumptions_apply).    */
    qr_latent_fault *latent;
    int             n_latent;
} qr_assumptions;

/* An empty set: it gives nothing (every value built-in, given BUILTIN).
 * Returns 0. */
int qr_assumptions_init(qr_assumptions *a);

/* Free what a owns and leave it empty; accepts NULL. */
void qr_assumptions_release(qr_assumptions *a);

/* Release a and free the struct; accepts NULL. */
void qr_assumptions_free(qr_assumptions *a);

/* True when a gives item i (a part of it, for a figure). a may be NULL. */
bool qr_assumptions_gives(const qr_assumptions *a, int item);

/* Load an assumptions file (docs/assumptions.md). The caller has done
 * qr_diags_init(diags, path). Returns 0 when loaded without errors (*out
 * set, freed with qr_assumptions_free), 1 when the file has errors (*out
 * NULL; every error in diags, file:line:col with the loader's P001-P011),
 * 2 when it cannot be read or memory ran out (one diagnostic says why).
 * Never prints. */
int qr_assumptions_load_file(const char *path, qr_assumptions **out, qr_diags *diags);

/* The same from len bytes of text; `name` stands for the file name. */
int qr_assumptions_load_buffer(const char *name, const char *text, size_t len,
                               qr_assumptions **out, qr_diags *diags);

/* Set the figure, timing, common-cause factor (a->ccf[]) or latent-fault
 * duration (a->latent[]) that uncertain value i of a stands for (0 <= i <
 * a->n_uncertain) to v (seconds; a fraction for a factor), as if the file
 * had given v: a sensitivity analysis draws a value and applies a again.
 * Nothing else of a changes (the uncertain value itself stays). A caller
 * that must keep a's groups and faults gives a copy whose ccf and latent
 * arrays are its own. */
void qr_assumptions_set_uncertain(qr_assumptions *a, int i, double v);

/* Apply a to t with the precedence above: every part of a kind's figures
 * and every timing that t has from the built-in defaults or from the design
 * is replaced by a's when a gives it (its origin becomes
 * QR_FROM_ASSUMPTIONS with the place in the file); then every component
 * takes its kind's figures for the parts its own keys do not give. A NULL
 * a changes nothing. Cost and structure are never touched. O(components +
 * clusters). Then each of a's common-cause groups takes the members of its
 * role in t (`frontends`, `backend`) and replaces t's group of the same
 * name, or is added; a role with fewer than two members adds nothing (and
 * so does running out of memory: the design keeps its own groups). The
 * file's latent faults (M7.3) are appended to the design's; -1 when memory
 * ran out for them (t keeps those appended), else 0. */
int qr_assumptions_apply(qr_topology *t, const qr_assumptions *a);

/* The value of setting s in t (switches 1 or 0; the cluster delay of the
 * first cluster, 10s without one). */
double qr_setting_value(const qr_topology *t, qr_setting s);

/* The precedence in one line, for reports. Static string. */
const char *qr_assumptions_precedence(void);

/* What the model leaves out (docs/assumptions.md, "Scope"): entry i
 * (0 <= i < qr_assumptions_scope_count()), a short phrase; NULL out of
 * range. */
int qr_assumptions_scope_count(void);
const char *qr_assumptions_scope_at(int i);

/* "built-in", "design", "assumptions file", "component" (static). */
const char *qr_origin_name(qr_origin o);

#endif
