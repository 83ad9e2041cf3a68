/*
 * assumption_list.h: the assumptions a report lists (docs/assumptions.md,
 * "In every report"): for one design, every item of the assumption table
 * (assumptions.h) with the value the design runs with, where it came from
 * (built-in, the design, the assumptions file) and its source or
 * "assumption"; whether it applies to the design at all (host figures do
 * not apply to a design without hosts); and the design choices, the
 * components whose own keys set a failure figure or patching. Across the
 * designs of a comparison, the items that apply to several and differ
 * (the AS001 rule, docs/rules.md).
 *
 * The list is plain data built from the topology (and the assumptions
 * file's sources), so reports print it without looking at either again.
 * Ownership: a qr_assumption_list owns every string it points to;
 * qr_assumption_list_release() frees them.
 */
#ifndef QR_ASSUMPTION_LIST_H
#define QR_ASSUMPTION_LIST_H

#include <stdbool.h>

#include "model/assumptions.h"
#include "model/topology.h"

typedef struct {
    bool      applies;   /* the design has a part this value is used for  */
    char      value[96]; /* "10y", "6mo (weibull, shape 1.5)", "30m",     */
                         /*   "every 30d, reboot 15m", "none", "true"     */
    qr_origin from;      /* the highest layer that gave a part of it      */
    qr_loc    loc;       /* where that layer wrote it; 0:0 built-in       */
    char     *source;    /* its source, or "assumption" (owned)           */
    char      uncertain[160]; /* the file gives it as uncertain             */
                         /*   (uncertain.h): "log-uniform 3mo to 3y", for  */
                         /*   a patch "reboot: ..."; value is then its     */
                         /*   point value (the median); "" when certain    */
} qr_assumption_row;

/* A component whose own keys set a failure figure or its patching. */
typedef struct {
    char        *name;       /* the component (owned)                      */
    qr_comp_kind kind;
    qr_loc       loc;        /* where it is declared                       */
    char         value[160]; /* its own parts: "mtbf 2y, mttr 8h, patch none" */
} qr_design_choice;

typedef struct {
    char             *file;        /* the design's file (owned)            */
    char             *assume_file; /* the assumptions file, or NULL        */
    char             *assume_name; /* its `name:`, or NULL                 */
    bool              static_view; /* the exact view (M9): only failure    */
                                   /*   and repair figures apply           */
    qr_assumption_row rows[QR_ASSUMPTION_ITEM_COUNT]; /* item order        */
    qr_design_choice *choices;     /* in component order                   */
    int               n_choices;
    char            **common_causes; /* one line per `common_cause:` group */
    int               n_common_causes; /*  (owned): "fe-build: beta-factor, */
                                   /*   beta 5%, members fe1 fe2 fe3;      */
                                   /*   assumptions file line 12: SOURCE"  */
} qr_assumption_list;

/* The list of t as it runs now, after qr_assumptions_apply(t, a) when a is
 * not NULL (a gives the file's name and sources). static_view: the static
 * analysis (M9), in which patching and every delay are left out, so only
 * failure and repair figures apply. *out is set up here; release it in
 * every case. Returns 0, or -1 when out of memory. O(items x components). */
int qr_assumption_list_make(const qr_topology *t, const qr_assumptions *a, bool static_view,
                            qr_assumption_list *out);

/* Free what l owns and zero it; accepts NULL. */
void qr_assumption_list_release(qr_assumption_list *l);

/* AS001: true when item applies to at least two of lists[0..n-1] and their
 * values differ. */
bool qr_assumption_lists_differ(const qr_assumption_list *lists, int n, int item);

/* The values of item across lists[0..n-1] in words, each value with the
 * designs (labels[k] names lists[k]) that run with it and where it came
 * from, values in order of first appearance; designs it does not apply to
 * are left out: "10y in two-site, two-site-alwayson (design); never in
 * 3.0-three-servers (built-in)". Returns a string the caller frees, or
 * NULL when out of memory. */
char *qr_assumption_values_text(const qr_assumption_list *lists, const char *const *labels,
                                int n, int item);

/* Index of the design (into lists) whose value of item the design file
 * states, the first such, or -1: where an AS001 diagnostic points. */
int qr_assumption_mismatch_origin(const qr_assumption_list *lists, int n, int item);

#endif
