/*
 * bare_loop.c: the practical speed limit of the simulator's core for the
 * benchmark (tests/bench/run.sh). The 3-FE majority model of
 * tests/bench/simpy_pool.py with nothing but sim_queue + sim_rng + sim_dist:
 * each front end alternates exponential up and down times, the loop counts
 * front ends up and integrates the time without a majority. No topology, no
 * measures, no other work: what quorate's engine does per event on top of
 * this is its overhead.
 *
 * usage: bare_loop [--fes N] [--mtbf H] [--mttr H] [--hours H] [--seed S]
 *                  [--reps R] [--threads T]
 * The horizon is split into R replications of hours/R each (streams 0..R-1
 * of the seed), run on T threads with sim_parallel_run and reduced in index
 * order. Prints one line of key=value pairs like simpy_pool.py, plus
 * threads, reps and maxrss_kb (peak resident memory).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim/dist.h"
#include "sim/event_queue.h"
#include "sim/parallel.h"
#include "sim/rng.h"

#define HOUR 3600.0

typedef struct {
    int      fes;
    double   mtbf_h, mttr_h, hours;
    uint64_t seed;
    int      reps, threads;
    /* Results by replication index. */
    unsigned long long *events;
    double   *down_s;
    long     *losses;
    unsigned char *ok; /* replication finished (else: out of memory) */
} bench;

static void replication(int index, void *arg)
{
    bench *b = arg;
    const double horizon = b->hours * HOUR / b->reps;
    const qr_dist fail = { QR_DIST_EXPONENTIAL, b->mtbf_h * HOUR, 0.0 };
    const qr_dist repair = { QR_DIST_EXPONENTIAL, b->mttr_h * HOUR, 0.0 };
    const int need = b->fes / 2 + 1;
    unsigned char *up = malloc((size_t)b->fes);
    sim_queue q;
    sim_rng r;
    unsigned long long events = 0;
    double down = 0.0, down_since = -1.0;
    long losses = 0;

    if (!up || sim_queue_init(&q, (size_t)b->fes) < 0) {
        free(up);
        return;
    }
    sim_rng_seed(&r, b->seed, (uint64_t)index);
    int n_up = b->fes;
    for (int i = 0; i < b->fes; i++) {
        up[i] = 1;
        sim_queue_push(&q, sim_dist_sample(&fail, &r), 0, i, 0, 0);
    }
    sim_event ev;
    while (sim_queue_pop(&q, &ev) && ev.time <= horizon) {
        int i = ev.target;
        events++;
        if (up[i]) {
            up[i] = 0;
            if (n_up-- == need) {
                down_since = ev.time;
                losses++;
            }
            sim_queue_push(&q, ev.time + sim_dist_sample(&repair, &r), 0, i, 0, 0);
        } else {
            up[i] = 1;
            if (++n_up == need) {
                down += ev.time - down_since;
                down_since = -1.0;
            }
            sim_queue_push(&q, ev.time + sim_dist_sample(&fail, &r), 0, i, 0, 0);
        }
    }
    if (down_since >= 0.0)
        down += horizon - down_since;
    b->events[index] = events;
    b->down_s[index] = down;
    b->losses[index] = losses;
    b->ok[index] = 1;
    sim_queue_release(&q);
    free(up);
}

static double exact_unavailability(int n, double q)
{
    int need = n / 2 + 1;
    double sum = 0.0;
    for (int k = 0; k < need; k++) {
        /* C(n, k) (1-q)^k q^(n-k): k front ends up. */
        double c = 1.0;
        for (int j = 1; j <= k; j++)
            c = c * (n - k + j) / j;
        sum += c * pow(1 - q, k) * pow(q, n - k);
    }
    return sum;
}

static int parse_args(bench *b, int argc, char **argv)
{
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) {
            fprintf(stderr, "bare_loop: %s needs a value\n", a);
            return -1;
        }
        if (strcmp(a, "--fes") == 0)
            b->fes = atoi(v);
        else if (strcmp(a, "--mtbf") == 0)
            b->mtbf_h = atof(v);
        else if (strcmp(a, "--mttr") == 0)
            b->mttr_h = atof(v);
        else if (strcmp(a, "--hours") == 0)
            b->hours = atof(v);
        else if (strcmp(a, "--seed") == 0)
            b->seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--reps") == 0)
            b->reps = atoi(v);
        else if (strcmp(a, "--threads") == 0)
            b->threads = atoi(v);
        else {
            fprintf(stderr, "bare_loop: unknown option %s\n", a);
            return -1;
        }
    }
    if (b->fes < 1 || b->mtbf_h <= 0 || b->mttr_h <= 0 || b->hours <= 0 || b->reps < 1 ||
        b->threads < 1) {
        fprintf(stderr, "bare_loop: bad arguments\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    bench b = { .fes = 3, .mtbf_h = 2000.0, .mttr_h = 8.0, .hours = 1e8, .seed = 1,
                .reps = 1, .threads = 1 };
    int ret = 2;
    if (parse_args(&b, argc, argv) < 0)
        return 2;
    b.events = calloc((size_t)b.reps, sizeof(*b.events));
    b.down_s = calloc((size_t)b.reps, sizeof(*b.down_s));
    b.losses = calloc((size_t)b.reps, sizeof(*b.losses));
    b.ok = calloc((size_t)b.reps, sizeof(*b.ok));
    if (!b.events || !b.down_s || !b.losses || !b.ok) {
        fprintf(stderr, "bare_loop: out of memory\n");
        goto cleanup;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (sim_parallel_run(b.reps, b.threads, replication, &b) < 0) {
        fprintf(stderr, "bare_loop: could not start %d threads\n", b.threads);
        goto cleanup;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    unsigned long long events = 0;
    double down = 0.0;
    long losses = 0;
    for (int i = 0; i < b.reps; i++) {
        if (!b.ok[i]) {
            fprintf(stderr, "bare_loop: out of memory\n");
            goto cleanup;
        }
        events += b.events[i];
        down += b.down_s[i];
        losses += b.losses[i];
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double q = b.mttr_h / (b.mtbf_h + b.mttr_h);
    printf("events=%llu wall_s=%.3f events_per_s=%.0f hours=%g quorum_losses=%ld "
           "unavailability=%.6e exact=%.6e threads=%d reps=%d maxrss_kb=%ld\n",
           events, wall, wall > 0 ? (double)events / wall : 0.0, b.hours, losses,
           down / (b.hours * HOUR), exact_unavailability(b.fes, q), b.threads, b.reps,
           ru.ru_maxrss);
    ret = 0;
cleanup:
    free(b.events);
    free(b.down_s);
    free(b.losses);
    free(b.ok);
    return ret;
}
