/*
 * event_queue.h: the simulator's future event list, an array binary min-heap
 * of small value events ordered by (time, seq).
 *
 * seq is assigned at push from a counter, so events with equal times pop in
 * the order they were pushed (FIFO), which keeps runs deterministic.
 * Cancellation is lazy: the engine keeps a generation stamp per target and
 * skips popped events whose gen is stale, instead of searching the heap.
 *
 * Ownership: a sim_queue is caller-owned memory (sim_queue_init /
 * sim_queue_release); it owns its heap array. Not thread-safe: one queue per
 * replication.
 */
#ifndef SIM_EVENT_QUEUE_H
#define SIM_EVENT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    double   time;    /* simulated seconds; INFINITY allowed, never NaN  */
    uint64_t seq;     /* push order, assigned by sim_queue_push          */
    uint32_t kind;    /* event kind, the engine's own enum               */
    int32_t  target;  /* component or other index, the engine's          */
    uint32_t gen;     /* generation stamp of the target at push time     */
    uint32_t aux;     /* free for the engine                             */
} sim_event;

typedef struct {
    sim_event *heap;     /* heap[0] is the earliest event                */
    size_t     n, cap;   /* events held, slots allocated                 */
    uint64_t   next_seq; /* seq of the next push                         */
} sim_queue;

/* Set up an empty queue with room for cap_hint events (0: allocate on the
 * first push). Returns 0, or -1 when out of memory (q is then empty and
 * safe to release). */
int sim_queue_init(sim_queue *q, size_t cap_hint);

/* Free the heap array and leave q empty; accepts NULL. */
void sim_queue_release(sim_queue *q);

/* Remove every event, keep the memory, and restart seq at 0 (so a new
 * replication behaves exactly like a fresh queue). */
void sim_queue_clear(sim_queue *q);

/* Add an event at `time` (must not be NaN); seq is assigned here. The array
 * doubles when full. O(log n). Returns 0, or -1 when out of memory (the
 * queue is unchanged). */
int sim_queue_push(sim_queue *q, double time, uint32_t kind, int32_t target,
                   uint32_t gen, uint32_t aux);

/* Remove the earliest event (smallest time, then smallest seq) into *out.
 * O(log n). Returns 1 when an event was popped, 0 when the queue is empty
 * (*out untouched). */
int sim_queue_pop(sim_queue *q, sim_event *out);

/* Drop every event for which keep(ev, ctx) is false (cancelled ones the
 * engine would skip) and restore the heap, in O(n). The events left pop in
 * the same order as before: the (time, seq) order. Returns how many were
 * dropped. */
size_t sim_queue_filter(sim_queue *q, bool (*keep)(const sim_event *ev, void *ctx), void *ctx);

/* The earliest event without removing it, or NULL when empty. The pointer
 * is valid until the next push, pop, clear or release. (Inline: the engine
 * asks before every event.) */
static inline const sim_event *sim_queue_peek(const sim_queue *q)
{
    return q->n ? &q->heap[0] : NULL;
}

#endif
