/*
 * event_queue.c: the binary min-heap of event_queue.h.
 *
 * Invariant: for every i > 0, heap[(i-1)/2] is not later than heap[i] in the
 * (time, seq) order. seq values are unique within a queue (a counter), so the
 * order is total and pops are deterministic. Sifting moves a hole instead of
 * swapping, one copy per level.
 */
#include "sim/event_queue.h"

#include <stdlib.h>
#include <string.h>

/* a fires before b. */
static inline int earlier(const sim_event *a, const sim_event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

int sim_queue_init(sim_queue *q, size_t cap_hint)
{
    memset(q, 0, sizeof(*q));
    if (cap_hint == 0)
        return 0;
    if (cap_hint > SIZE_MAX / sizeof(sim_event))
        return -1;
    q->heap = malloc(cap_hint * sizeof(sim_event));
    if (!q->heap)
        return -1;
    q->cap = cap_hint;
    return 0;
}

void sim_queue_release(sim_queue *q)
{
    if (!q)
        return;
    free(q->heap);
    memset(q, 0, sizeof(*q));
}

void sim_queue_clear(sim_queue *q)
{
    q->n = 0;
    q->next_seq = 0;
}

static int grow(sim_queue *q)
{
    size_t cap = q->cap ? q->cap * 2 : 64;
    if (cap < q->cap || cap > SIZE_MAX / sizeof(sim_event))
        return -1;
    sim_event *heap = realloc(q->heap, cap * sizeof(sim_event));
    if (!heap)
        return -1;
    q->heap = heap;
    q->cap = cap;
    return 0;
}

int sim_queue_push(sim_queue *q, double time, uint32_t kind, int32_t target,
                   uint32_t gen, uint32_t aux)
{
    if (q->n == q->cap && grow(q) < 0)
        return -1;
    sim_event ev = { .time = time, .seq = q->next_seq++, .kind = kind,
                     .target = target, .gen = gen, .aux = aux };
    sim_event *h = q->heap;
    size_t i = q->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(&ev, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = ev;
    return 0;
}

/* Put ev into the hole at i of the heap h[0..n), sifting it down. */
static inline __attribute__((always_inline)) void sift_down(sim_event *h, size_t n, size_t i,
                                                            sim_event ev)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && earlier(&h[child + 1], &h[child]))
            child++;
        if (!earlier(&h[child], &ev))
            break;
        h[i] = h[child];
        i = child;
    }
    h[i] = ev;
}

int sim_queue_pop(sim_queue *q, sim_event *out)
{
    if (q->n == 0)
        return 0;
    sim_event *h = q->heap;
    *out = h[0];
    size_t n = --q->n;
    if (n == 0)
        return 1;
    sift_down(h, n, 0, h[n]);
    return 1;
}

size_t sim_queue_filter(sim_queue *q, bool (*keep)(const sim_event *ev, void *ctx), void *ctx)
{
    sim_event *h = q->heap;
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        if (keep(&h[i], ctx))
            h[n++] = h[i];
    size_t dropped = q->n - n;
    q->n = n;
    if (dropped > 0) /* Floyd: sift down every parent, last first */
        for (size_t i = n / 2; i-- > 0;)
            sift_down(h, n, i, h[i]);
    return dropped;
}
