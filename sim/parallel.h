/*
 * parallel.h: run independent jobs (simulation replications) on a few
 * POSIX threads.
 *
 * Jobs are handed out by an atomic counter, so a thread that finishes early
 * takes the next index; each index runs exactly once. The runner knows
 * nothing of results: the job stores its result in a caller-owned array slot
 * by index and the caller reduces the array in index order afterwards, so the
 * output does not depend on the thread count or on scheduling.
 */
#ifndef SIM_PARALLEL_H
#define SIM_PARALLEL_H

/* Run job(i, ctx) for every i in 0..n_jobs-1 on min(n_threads, n_jobs)
 * threads, the caller's thread being one of them; n_threads <= 1 runs every
 * job in order in the caller's thread with no thread created. job must be
 * safe to call concurrently with different indices (ctx is shared). Every
 * write a job makes is visible to the caller when this returns.
 * Returns 0 when every job ran (also for n_jobs <= 0: nothing to do), or -1
 * when a thread could not be started: then no job has run at all, and the
 * caller may retry with n_threads = 1. */
int sim_parallel_run(int n_jobs, int n_threads, void (*job)(int index, void *ctx), void *ctx);

/* Job `index` of n_jobs gets the replications [*lo, *hi) of [first,
 * first + count): equal contiguous slices, the last one shorter, so a
 * replication's place never depends on which thread runs it. */
void sim_parallel_share(int first, int count, int n_jobs, int index, int *lo, int *hi);

#endif
