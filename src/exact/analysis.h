/*
 * analysis.h: what `quorate analyze` computes for one pool design.
 *
 * 1. Dependencies (depgraph.h): for every user feature, the components with
 *    a path to it in the dependency graph.
 * 2. N-k survival: for k = 1 .. max_k, every combination of k failures
 *    among the candidate components (those some feature depends on and
 *    that can fail: finite MTBF), evaluated twice with the M9 structure
 *    function of src/exact/structure.h:
 *      unexpected: sim_structure_eval_services(), every loss counted (M1.4,
 *        M9), exactly what the simulator's --static mode and src/exact/exact.c use;
 *      graceful: sim_structure_eval_graceful(), the k components drained and
 *        shut down one at a time (M1.3 votes adjusted, M2.3 replicas moved,
 *        M4.2 dynamic quorum).
 *    A combination takes a feature down when no user has it (value 0), and
 *    leaves it partial when only some routing groups' users have it
 *    (0 < value < 1, M2.5). A cut set is minimal when no smaller subset
 *    takes the feature down (the structure functions are monotone, so it is
 *    enough to try the k subsets of size k-1). The single points of
 *    failure of a feature are its minimal cut sets of size 1.
 *    A level k >= 2 whose combination count C(n, k) exceeds
 *    max_combinations is skipped (analysed = false), so large designs stay
 *    fast; k = 1 (n combinations) is always analysed.
 * 3. Exact availability (src/exact/exact.h, M9, independent components) and the
 *    importance of each enumerated component j for each feature f:
 *      Birnbaum  I_B = A(f | j up) - A(f | j down);
 *      RAW       = (1 - A(f | j down)) / (1 - A(f))  (risk achievement worth);
 *      improvement potential = A(f | j up) - A(f) = P(j down) * I_B, the
 *        availability gained if j never failed.
 *    The component worth improving first is the one with the largest
 *    Birnbaum importance (ties broken by RAW, then topology order).
 *    When more components matter than src/exact/exact.h enumerates, have_exact
 *    is false and exact_error says why; the N-k part is still filled.
 *
 * Ownership: qr_analysis_run() fills a caller-owned struct whose contents
 * qr_analysis_release() frees. Nothing in it points into the topology.
 */
#ifndef QR_ANALYSIS_H
#define QR_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "exact/exact.h"
#include "model/topology.h"

/* Largest k accepted for N-k. */
#define QR_ANALYSIS_MAX_K 5
/* Default cap on the combinations evaluated per k. */
#define QR_ANALYSIS_DEFAULT_MAX_COMBINATIONS 1000000L
/* Minimal cut sets kept per feature, k and mode (all are counted). */
#define QR_ANALYSIS_MAX_LISTED 1000

typedef enum {
    QR_FAIL_UNEXPECTED, /* M9: every loss counted, simultaneous            */
    QR_FAIL_GRACEFUL,   /* drained and shut down one at a time             */
    QR_FAIL_MODES
} qr_fail_mode;

/* One feature at one k in one mode. */
typedef struct {
    long n_down;     /* combinations that take it down (no user has it)   */
    long n_partial;  /* combinations that leave it to part of the users   */
    long n_minimal;  /* down combinations with no smaller cut inside      */
    int *minimal;    /* the first n_listed of them, k component indices   */
    int  n_listed;   /*   each (ascending), in enumeration order          */
} qr_cut_count;

typedef struct {
    int           k;
    double        combinations;         /* C(n, k), n = candidates       */
    bool          analysed;             /* false: over max_combinations  */
    qr_cut_count *feat[QR_FAIL_MODES];  /* n_features each, NULL when    */
                                        /*   not analysed                */
} qr_nk_level;

typedef struct {
    int  max_k;             /* 1 .. QR_ANALYSIS_MAX_K (default 3)          */
    long max_combinations;  /* per k (default 1000000)                     */
    bool exact;             /* compute exact availability and importance  */
} qr_analysis_options;

typedef struct {
    int            n_comps;
    int            n_features;
    int            graph_vertices;  /* dependency graph size               */
    int            graph_edges;
    bool           backend_votes;   /* the Back End votes in pool quorum   */
                                    /*   (even seed count, M1.2): then a   */
                                    /*   SQL failover is a window M9 does  */
                                    /*   not see (M1.8)                    */
    unsigned char *depends;         /* n_features * n_comps: feature f     */
                                    /*   depends on component i (graph)    */
    int           *candidates;      /* components of the N-k analysis      */
    int            n_candidates;
    int           *never_fail;      /* depended on, but never fail         */
    int            n_never_fail;
    double        *baseline[QR_FAIL_MODES]; /* n_features: value with      */
                                    /*   nothing failed (1 in a sound      */
                                    /*   design)                           */
    int            max_k;
    qr_nk_level   *levels;          /* max_k: levels[k - 1]                */

    int            n_ccf_events;    /* common-cause events (model/ccf.h):  */
    char         **ccf_names;       /*   candidate n_comps + k is event k, */
                                    /*   named "ccf:GROUP" (N-k, cut sets) */
    bool           have_exact;
    char           exact_error[256];
    sim_exact_conditionals exact;   /* valid when have_exact               */
} qr_analysis;

/* Options with their defaults: max_k 3, max_combinations 1000000, exact. */
void qr_analysis_options_init(qr_analysis_options *o);

/* Analyse t (a topology without errors). Fills *a. Returns 0, or -1 with a
 * message in err (out of memory, igraph error; then *a holds nothing to
 * release). Cost: sum over k of C(n, k) * (C + N + F + K) for the N-k part
 * (n candidates), plus sim_exact_importance() when o->exact. */
int qr_analysis_run(const qr_topology *t, const qr_analysis_options *o,
                    qr_analysis *a, char *err, size_t errlen);

/* Free everything *a owns and zero it; accepts NULL. */
void qr_analysis_release(qr_analysis *a);

/* The name of candidate or cut-set member i: a component's name, or for i
 * = n_comps + k the name of common-cause event k ("ccf:GROUP"). A common
 * event is a candidate of the N-k analysis like a component: its failure
 * takes all its members down at once (docs/simulate.md, "Common-cause
 * failures"). Never NULL. */
const char *qr_analysis_name(const qr_analysis *a, const qr_topology *t, int i);

/* The cut counts of feature f at size k in mode m, or NULL when k is out
 * of range or that level was not analysed. */
const qr_cut_count *qr_analysis_cuts(const qr_analysis *a, int k,
                                     qr_fail_mode m, int f);

/* Smallest k <= max_k at which some combination takes feature f down in
 * mode m; 0 when none does (or the levels needed were not analysed). */
int qr_analysis_smallest_cut(const qr_analysis *a, qr_fail_mode m, int f);

/* Importance of enumerated component j (0 <= j < a->exact.n) for column
 * f (a feature, or a->n_features for the pool). NAN when undefined (RAW
 * of a feature that never fails). Only when have_exact. */
double qr_analysis_birnbaum(const qr_analysis *a, int j, int f);
double qr_analysis_raw(const qr_analysis *a, int j, int f);
double qr_analysis_improvement(const qr_analysis *a, int j, int f);

/* The enumerated component (index j into a->exact.comp) worth improving
 * first for column f, or for every feature together when f < 0 (largest
 * sum of Birnbaum over the features); -1 when none matters (every
 * Birnbaum zero) or no exact values. *ties (may be NULL) gets how many
 * other components have the same importance to 1e-12 relative. */
int qr_analysis_improve_first(const qr_analysis *a, int f, int *ties);

/* Does feature f have a single point of failure (an unexpected loss of
 * one component takes it down: a minimal cut set of size 1)? */
bool qr_analysis_has_spof(const qr_analysis *a, int f);

/* The words for n combinations of k failures, as `analyze` and the HTML
 * report print them: "single failure(s)", "pair(s)", "triple(s)", "set(s)
 * of 4" (singular when n is 1); static string. */
const char *qr_analysis_k_unit(int k, double n);

/* Printable mode name: "unexpected", "graceful". */
const char *qr_fail_mode_name(qr_fail_mode m);

#endif
