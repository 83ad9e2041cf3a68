/*
 * split.c: replications shared among ranks and gathered back (split.h).
 *
 * A chunk is cut into contiguous shares in rank order, rank r's share in
 * proportion to its thread count (the first `threads[0]` parts of the
 * chunk to rank 0, ...), so every rank computes every share the same way
 * from the counts agreed at the start. After a chunk the ranks first
 * exchange their status (one int each); only when all succeeded do they
 * exchange the replications, packed as raw bytes (a memcpy of the struct
 * and its arrays, then the replication's extras, batches.h), so the copies
 * are bit for bit what the other rank computed and the reduction is the
 * one of a single process.
 */
#include "sim/split.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of an error message sent between ranks. */
#define MSG_BYTES 512

struct sim_split_run {
    const sim_split *s;
    int             *threads;    /* per rank, >= 1                         */
    long             total;      /* sum of threads                         */
    int              n;          /* entries per rep (n_features + 1)       */
    int              n_extra;    /* doubles beside each rep                */
    size_t           rep_bytes;  /* a packed rep and its extras            */
    unsigned char   *mine, *all; /* pack buffers: one share, one chunk     */
    size_t          *lens;       /* per rank, for allgatherv               */
    int             *status;     /* per rank                               */
    char            *msgs;       /* size * MSG_BYTES                       */
};

/* ---- packing ---- */

/* The doubles of cause and start (one allocation, measures.c). */
static size_t cause_doubles(int n)
{
    return (size_t)n * (SIM_DC_COUNT + SIM_DS_COUNT);
}

size_t sim_split_rep_bytes(int n)
{
    return sizeof(sim_rep) + (size_t)n * sizeof(sim_feature_rep) + cause_doubles(n) * sizeof(double);
}

void sim_split_rep_pack(const sim_rep *src, unsigned char *buf)
{
    /* The struct as it is (its pointers are meaningless elsewhere and put
     * back by unpack), then what the pointers own, as sim_rep_clear
     * treats them. */
    memcpy(buf, src, sizeof(*src));
    buf += sizeof(*src);
    memcpy(buf, src->f, (size_t)src->n * sizeof(*src->f));
    buf += (size_t)src->n * sizeof(*src->f);
    memcpy(buf, src->cause, cause_doubles(src->n) * sizeof(double));
}

void sim_split_rep_unpack(const unsigned char *buf, sim_rep *dst)
{
    sim_feature_rep *f = dst->f;
    double *cause = dst->cause, *start = dst->start;
    int n = dst->n;
    memcpy(dst, buf, sizeof(*dst));
    dst->f = f;
    dst->cause = cause;
    dst->start = start;
    dst->n = n;
    buf += sizeof(*dst);
    memcpy(f, buf, (size_t)n * sizeof(*f));
    buf += (size_t)n * sizeof(*f);
    memcpy(cause, buf, cause_doubles(n) * sizeof(double));
}

/* ---- a run ---- */

void sim_split_run_free(sim_split_run *r)
{
    if (!r)
        return;
    free(r->threads);
    free(r->mine);
    free(r->all);
    free(r->lens);
    free(r->status);
    free(r->msgs);
    free(r);
}

sim_split_run *sim_split_begin(const sim_split *s, int threads, int n_features, int n_extra,
                               char *err, size_t errlen)
{
    sim_split_run *r = calloc(1, sizeof(*r));
    if (!r)
        goto oom;
    r->s = s;
    r->n = n_features + 1;
    r->n_extra = n_extra;
    r->rep_bytes = sim_split_rep_bytes(r->n) + (size_t)n_extra * sizeof(double);
    r->threads = calloc((size_t)s->size, sizeof(int));
    r->lens = calloc((size_t)s->size, sizeof(size_t));
    r->status = calloc((size_t)s->size, sizeof(int));
    r->msgs = calloc((size_t)s->size, MSG_BYTES);
    if (!r->threads || !r->lens || !r->status || !r->msgs)
        goto oom;
    int mine = threads < 1 ? 1 : threads;
    if (s->allgather(s->ctx, &mine, r->threads, sizeof(int)) != 0) {
        snprintf(err, errlen, "cannot exchange the thread counts of %d processes", s->size);
        sim_split_run_free(r);
        return NULL;
    }
    for (int k = 0; k < s->size; k++)
        r->total += r->threads[k] < 1 ? 1 : r->threads[k];
    size_t chunk = (size_t)sim_split_chunk(r);
    r->all = malloc(chunk * r->rep_bytes);
    r->mine = malloc(chunk * r->rep_bytes);
    if (!r->all || !r->mine)
        goto oom;
    return r;
oom:
    snprintf(err, errlen, "out of memory");
    sim_split_run_free(r);
    return NULL;
}

int sim_split_chunk(const sim_split_run *r)
{
    long c = r->total * SIM_SPLIT_PER_THREAD;
    return c > 1 << 20 ? 1 << 20 : (int)c;
}

/* Offset where rank k's share of a chunk of count starts. */
static int share_start(const sim_split_run *r, int count, int k)
{
    long before = 0;
    for (int j = 0; j < k; j++)
        before += r->threads[j] < 1 ? 1 : r->threads[j];
    return (int)((int64_t)count * before / r->total);
}

void sim_split_share(const sim_split_run *r, int count, int *lo, int *hi)
{
    *lo = share_start(r, count, r->s->rank);
    *hi = share_start(r, count, r->s->rank + 1);
}

/* Replication i's extras in the caller's array (packed after its sim_rep). */
static double *extra_of(const sim_split_run *r, double *extra, int i)
{
    return extra + (size_t)i * (size_t)r->n_extra;
}

int sim_split_gather(sim_split_run *r, sim_rep *reps, double *extra, int first, int count,
                     int status, char *err, size_t errlen)
{
    const sim_split *s = r->s;
    if (s->allgather(s->ctx, &status, r->status, sizeof(int)) != 0) {
        snprintf(err, errlen, "cannot exchange results between %d processes", s->size);
        return -1;
    }
    int failed = -1;
    for (int k = 0; k < s->size && failed < 0; k++)
        if (r->status[k] != 0)
            failed = k;
    if (failed >= 0) {
        char msg[MSG_BYTES] = "";
        if (status != 0)
            snprintf(msg, sizeof(msg), "%s", err);
        if (s->allgather(s->ctx, msg, r->msgs, MSG_BYTES) != 0) {
            snprintf(err, errlen, "cannot exchange results between %d processes", s->size);
            return -1;
        }
        char *theirs = r->msgs + (size_t)failed * MSG_BYTES;
        theirs[MSG_BYTES - 1] = '\0';
        snprintf(err, errlen, "%s", theirs);
        return -1;
    }

    int lo, hi;
    sim_split_share(r, count, &lo, &hi);
    size_t rep_only = sim_split_rep_bytes(r->n), extra_bytes = r->rep_bytes - rep_only;
    for (int i = lo; i < hi; i++) {
        unsigned char *buf = r->mine + (size_t)(i - lo) * r->rep_bytes;
        sim_split_rep_pack(&reps[first + i], buf);
        if (extra_bytes)
            memcpy(buf + rep_only, extra_of(r, extra, first + i), extra_bytes);
    }
    for (int k = 0; k < s->size; k++)
        r->lens[k] = (size_t)(share_start(r, count, k + 1) - share_start(r, count, k)) * r->rep_bytes;
    if (s->allgatherv(s->ctx, r->mine, r->all, r->lens) != 0) {
        snprintf(err, errlen, "cannot exchange results between %d processes", s->size);
        return -1;
    }
    for (int i = 0; i < count; i++) {
        if (i >= lo && i < hi)
            continue;
        const unsigned char *buf = r->all + (size_t)i * r->rep_bytes;
        sim_split_rep_unpack(buf, &reps[first + i]);
        if (extra_bytes)
            memcpy(extra_of(r, extra, first + i), buf + rep_only, extra_bytes);
    }
    if (s->tally)
        s->tally(s->ctx, hi - lo, count);
    return 0;
}
