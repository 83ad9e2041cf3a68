/*
 * cuts_pairing.h: the static analysis of a paired design (`pools:`, M10 in
 * the exact view M9, exact_pairing.h) for `quorate analyze`: each row's
 * exact availability and its minimal cut sets up to a size, over the
 * components of every pool's view together, so that a cut of "users of
 * pool1 without sign-in" takes both pools down (a site of each, say).
 */
#ifndef SIM_CUTS_PAIRING_H
#define SIM_CUTS_PAIRING_H

#include <stddef.h>

#include "model/topology.h"

#define SIM_PCUTS_MAX_K 4

/* The minimal cut sets of size k of one row: every component of a set down
 * (all others up) takes the row below 1, and no smaller subset does. */
typedef struct {
    int  n;     /* sets found; -1 when skipped (too many combinations)  */
    int *sets;  /* n * k indices into t->comps                          */
} sim_pcuts;

typedef struct {
    int        n_rows;     /* t->n_features + 1 (the last: the pool row)   */
    int        max_k;
    double    *avail;      /* n_rows exact availabilities                  */
    double    *unavail;    /* n_rows, summed directly                      */
    int        n_relevant; /* components that can fail and matter         */
    sim_pcuts *cuts;       /* n_rows * max_k: row r, size k at            */
                           /*   cuts[r * max_k + k - 1]                    */
} sim_pairing_analysis;

/* Analyse paired design t with cut sets up to max_k (1..SIM_PCUTS_MAX_K);
 * a size with more than max_combinations combinations is skipped (n -1).
 * Returns 0, -1 out of memory, -2 the exact value needs too many states (a
 * message in err). Release with sim_pairing_analysis_release(). */
int sim_pairing_analyze(const qr_topology *t, int max_k, long max_combinations,
                        sim_pairing_analysis *out, char *err, size_t errlen);
void sim_pairing_analysis_release(sim_pairing_analysis *a);

#endif
