/*
 * split.h: one simulation spread over several processes ("ranks", for
 * example MPI's), each running a share of every chunk of replications.
 *
 * The processes stay in step: each runs the same sim_run calls in the same
 * order, and after every chunk each one has every replication of the chunk
 * (gathered bit for bit), so each reduces the same replications in the
 * same order and takes the same decisions (another --precision batch or
 * not) without being told: the summary, the on_reps callbacks and any
 * error are the same on every rank and the same as in one process.
 *
 * The transport is the caller's: two collective operations over bytes
 * (sim_split). sim/ knows nothing of MPI; src/cmd/mpi_run.c provides them
 * over MPI, tests/test_split.c over threads.
 */
#ifndef SIM_SPLIT_H
#define SIM_SPLIT_H

#include <stddef.h>

#include "sim/measures.h"

/* The ranks and their collective operations. Every rank calls each
 * operation at the same point with the same lengths; each returns 0, or -1
 * when the transport failed (then the run fails on that rank). */
typedef struct sim_split {
    int   rank, size;   /* this rank in 0..size-1; size >= 1             */
    void *ctx;          /* the transport's                               */
    /* Every rank gives len bytes at mine; all receives the size blocks in
     * rank order (size * len bytes). */
    int (*allgather)(void *ctx, const void *mine, void *all, size_t len);
    /* Rank r gives lens[r] bytes (lens the same on every rank); all
     * receives the blocks one after the other in rank order. */
    int (*allgatherv)(void *ctx, const void *mine, void *all, const size_t *lens);
    /* Told after each gathered chunk how many of its `all` replications
     * this rank ran; may be NULL. */
    void (*tally)(void *ctx, int mine, int all);
} sim_split;

/* One sim_run's view of the ranks (what the ranks agreed at its start). */
typedef struct sim_split_run sim_split_run;

/* Start a run over s's ranks, this rank running `threads` threads, with
 * replications of n_features features (+ the pool), each with n_extra
 * doubles of its own beside its sim_rep (batches.h; 0: none). Collective:
 * the ranks exchange their thread counts, and each chunk is shared in
 * proportion to them. NULL with a message in err on OOM or a transport
 * failure. */
sim_split_run *sim_split_begin(const sim_split *s, int threads, int n_features, int n_extra,
                               char *err, size_t errlen);
/* Free r; accepts NULL. Not collective. */
void sim_split_run_free(sim_split_run *r);

/* Replications in one chunk: SIM_SPLIT_PER_THREAD per thread of every rank. */
#define SIM_SPLIT_PER_THREAD 16
int sim_split_chunk(const sim_split_run *r);

/* This rank's share [*lo, *hi) of a chunk of `count` replications (offsets
 * into the chunk): contiguous, rank order, in proportion to the ranks'
 * threads; every offset in exactly one rank's share. */
void sim_split_share(const sim_split_run *r, int count, int *lo, int *hi);

/* Collective, after each rank ran its share of the chunk reps[first ..
 * first + count - 1] (reps already sim_rep_init'ed) and of their extras,
 * extra[i * n_extra ..] for replication i (may be NULL when n_extra is 0).
 * status is this rank's outcome: 0, or non-zero with its message in err.
 * When every rank succeeded, the other ranks' replications and extras are
 * copied into reps and extra, bit for bit, and 0 is returned. Otherwise -1 on every rank, err holding the
 * message of the lowest failed rank (the one that ran the lowest
 * replications, as one process would have reported). */
int sim_split_gather(sim_split_run *r, sim_rep *reps, double *extra, int first, int count,
                     int status, char *err, size_t errlen);

/* A replication as bytes and back (for the gather; exposed for the tests).
 * Every rep of a run has the same size, sim_split_rep_bytes(n) for its
 * n = n_features + 1 entries. unpack keeps dst's arrays (of the same n). */
size_t sim_split_rep_bytes(int n);
void sim_split_rep_pack(const sim_rep *src, unsigned char *buf);
void sim_split_rep_unpack(const unsigned char *buf, sim_rep *dst);

#endif
