/*
 * routing.c: routing groups, the user replica sets (M2).
 *
 * Each group has r = min(3, front ends) replica slots placed by
 * src/model/placement.c (M2.1). Replica j of group g is slot g * RT_STRIDE + j
 * (the group is the slot shifted right, no division and no load);
 * slot_fe[s] is the front end holding slot s, and every front end keeps the
 * list of its slots (fe_row, swap-removal), so a front end's change
 * touches only its own replicas. group_up counts the
 * replicas up per group and the writable / limited / down totals follow
 * incrementally.
 *
 * M2.2 writable: a majority of the r replicas up, or exactly half with the
 * Back End serving (the R = 2 tie-break of M1.2). Not writable with some
 * replica up = quorum loss, limited functionality (M2.4); no replica up =
 * down. M2.3: a graceful leave moves the replicas first to running front
 * ends holding none of that group (fewest replicas first, then lowest
 * index); an unexpected loss rebuilds each replica there after
 * fabric.replica_rebuild, if the pool is up and the group writable then.
 * One rebuild timer per front end (not per replica) keeps a crash at one
 * extra event: when it fires, every replica still on that front end whose
 * group can be rebuilt moves; the others wait until their group is
 * writable again or the pool restarts, which re-arms the timer.
 * M2.4: a soft reset reloads every group in quorum loss onto running front
 * ends; a group is reloaded only when a replica could be placed (a reset
 * that places none changes nothing, M1.7). The module's timer fe is front
 * end fe's rebuild.
 */
#include "sim/state.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/placement.h"

/* The module's state; the group counts (e->groups_writable, ...) are
 * published in the engine. */
/* Slots per group in the numbering of the slots (r <= 3, M2.1). */
enum { RT_SHIFT = 2, RT_STRIDE = 1 << RT_SHIFT };

typedef struct {
    sim_placement placement; /* M2.1, the replicas at the start          */
    int *slot_fe;         /* groups * RT_STRIDE: frontends index of the   */
                          /*   front end holding each replica slot        */
    int *fe_slots;        /* n_fe rows of groups + 1: per front end, its  */
                          /*   replica count, then its slots in the order */
                          /*   the moves of M2.3 go through (a slot's     */
                          /*   position is found by a scan when a reset   */
                          /*   moves it, M2.4: rare)                      */
    int **fe_row;         /* n_fe: each front end's row in fe_slots (one  */
                          /*   pointer for the moves, not three)          */
    int *touched;         /* groups: scratch of move_batch                */
    unsigned char *group_up;    /* replicas up per group                  */
    unsigned char *group_state; /* sim_group_state                        */
    uint64_t *by_count;   /* groups + 1 bit masks, n_fe <= 64 only: bit y */
                          /*   of by_count[c] set when front end y holds  */
                          /*   c replicas (pick_target's fewest first)    */
    uint64_t *holders;    /* groups bit masks (with by_count): the front  */
                          /*   ends holding a replica of the group        */
    bool masks;           /* by_count and holders in use: n_fe <= 64 and  */
                          /*   no group with two replicas on one front end */
    int new_group_losses; /* groups that left writable in this event      */
    bool seen_serving;    /* e->be_seen when the groups last looked       */
                          /*   (the R = 2 tie-break, M2.2)                */
    uint64_t running;     /* n_fe <= 64: bit y set while front end y is   */
                          /*   up as the pool sees it (fe_up), kept by    */
                          /*   sim_routing_fe_changed, which hears every  */
                          /*   change of that view                        */
} routing_data;

static routing_data *rt_of(const sim_engine *e)
{
    return sim_module_state(e, SIM_MOD_ROUTING);
}

static void routing_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    const routing_data *a = src_state;
    routing_data *d = dst_state;
    memcpy(d->slot_fe, a->slot_fe, sizeof(int) * (size_t)src->groups * RT_STRIDE);
    memcpy(d->fe_slots, a->fe_slots, sizeof(int) * (size_t)src->n_fe * ((size_t)src->groups + 1));
    memcpy(d->group_up, a->group_up, (size_t)src->groups);
    memcpy(d->group_state, a->group_state, (size_t)src->groups);
    if (d->by_count) {
        memcpy(d->by_count, a->by_count, sizeof(uint64_t) * ((size_t)src->groups + 1));
        memcpy(d->holders, a->holders, sizeof(uint64_t) * (size_t)src->groups);
    }
    d->masks = a->masks;
    d->new_group_losses = a->new_group_losses;
    d->seen_serving = a->seen_serving;
    d->running = a->running;
}

static int routing_alloc(sim_engine *e, void **state)
{
    routing_data *rt = calloc(1, sizeof(*rt));
    if (!rt)
        return -1;
    *state = rt;
    if (sim_placement_init(&rt->placement, e->t) != 0)
        return -1;
    e->groups = rt->placement.groups;
    e->r = rt->placement.r;
    if (e->r > RT_STRIDE)
        return -1;
    rt->slot_fe = calloc((size_t)e->groups * RT_STRIDE + 1, sizeof(int));
    rt->fe_slots = calloc((size_t)e->n_fe * ((size_t)e->groups + 1) + 1, sizeof(int));
    rt->fe_row = malloc(sizeof(int *) * ((size_t)e->n_fe + 1));
    rt->touched = malloc(sizeof(int) * ((size_t)e->groups + 1));
    rt->group_up = malloc((size_t)e->groups + 1);
    rt->group_state = malloc((size_t)e->groups + 1);
    if (e->n_fe <= 64) {
        rt->by_count = calloc((size_t)e->groups + 1, sizeof(uint64_t));
        rt->holders = calloc((size_t)e->groups + 1, sizeof(uint64_t));
    }
    if (!rt->slot_fe || !rt->fe_slots || !rt->fe_row || !rt->touched ||
        !rt->group_up || !rt->group_state || (e->n_fe <= 64 && (!rt->by_count || !rt->holders)))
        return -1;
    for (int y = 0; y < e->n_fe; y++)
        rt->fe_row[y] = rt->fe_slots + (size_t)y * ((size_t)e->groups + 1);
    return 0;
}

static void routing_release(sim_engine *e, void *state)
{
    routing_data *rt = state;
    (void)e;
    if (!rt)
        return;
    sim_placement_release(&rt->placement);
    free(rt->slot_fe);
    free(rt->fe_slots);
    free(rt->fe_row);
    free(rt->touched);
    free(rt->group_up);
    free(rt->group_state);
    free(rt->by_count);
    free(rt->holders);
    free(rt);
}

static int rebuild_slot(const sim_engine *e, int fe)
{
    return sim_timer_slot(e, SIM_MOD_ROUTING, fe);
}

/* Front end fe's replica count and its list of slots. */
static inline int nslots(const routing_data *rt, int fe)
{
    return rt->fe_row[fe][0];
}

static inline int *list_of(const routing_data *rt, int fe)
{
    return rt->fe_row[fe] + 1;
}

/* Slot bookkeeping; rt is rt_of(e), passed down by every caller. */
static void add_slot(routing_data *rt, int s, int fe)
{
    int n = rt->fe_row[fe][0]++;
    rt->slot_fe[s] = fe;
    list_of(rt, fe)[n] = s;
    if (rt->by_count) {
        uint64_t bit = UINT64_C(1) << fe;
        rt->by_count[n] &= ~bit;
        rt->by_count[n + 1] |= bit;
        if (rt->holders[s >> RT_SHIFT] & bit)
            rt->masks = false; /* two replicas of a group on one front end */
        rt->holders[s >> RT_SHIFT] |= bit;
    }
}

/* Move slot s (of group g), at position pos of its front end's list, to
 * front end `to` (the paths without the bit masks, and M2.4's reload; the
 * masked batches of M2.3 have their own, move_batch). */
static void move_slot(routing_data *rt, int s, int pos, int g, int to)
{
    int from = rt->slot_fe[s];
    int *row_from = rt->fe_row[from], *row_to = rt->fe_row[to];
    int n_from = --row_from[0]; /* swap-remove from its list */
    row_from[1 + pos] = row_from[1 + n_from];
    int n_to = row_to[0]++;
    row_to[1 + n_to] = s;
    rt->slot_fe[s] = to;
    if (rt->masks) { /* to holds no replica of the group (pick_target) */
        uint64_t *by_count = rt->by_count, bit_from = UINT64_C(1) << from,
                 bit_to = UINT64_C(1) << to;
        by_count[n_from + 1] &= ~bit_from;
        by_count[n_from] |= bit_from;
        by_count[n_to] &= ~bit_to;
        by_count[n_to + 1] |= bit_to;
        rt->holders[g] ^= bit_from | bit_to;
    }
}

/* Front end fe holds its replicas for the pool: up, and not cut off from
 * the pool's side of a site partition (pool_partition.c). */
static bool fe_up(const sim_engine *e, int fe)
{
    return sim_fe_view(e, fe, e->eff[e->t->pool.frontends[fe]]) == SIM_UP;
}

/* M2.2 */
static int group_state_of(const sim_engine *e, const routing_data *rt, int g)
{
    int up = rt->group_up[g];
    if (2 * up > e->r || (2 * up == e->r && up > 0 && e->be_seen))
        return SIM_GROUP_WRITABLE;
    return up > 0 ? SIM_GROUP_LIMITED : SIM_GROUP_DOWN;
}

static int *counter_of(sim_engine *e, int st)
{
    return st == SIM_GROUP_WRITABLE ? &e->groups_writable
           : st == SIM_GROUP_LIMITED ? &e->groups_limited
                                     : &e->groups_down;
}

/* Arm the rebuild timer of front end fe unless it is armed already. With
 * no more front ends than replicas every front end holds every group:
 * nothing can ever be rebuilt, so no timer. */
static void arm_rebuild(sim_engine *e, int fe)
{
    if (e->n_fe > e->r && !sim_timer_armed(e, rebuild_slot(e, fe)))
        sim_timer_arm(e, rebuild_slot(e, fe), e->now + e->t->params.replica_rebuild);
}

/* Group g can be rebuilt again: arm the timers of its lost replicas. */
static void arm_rebuilds(sim_engine *e, int g)
{
    routing_data *rt = rt_of(e);
    for (int j = 0; j < e->r; j++) {
        int fe = rt->slot_fe[g * RT_STRIDE + j];
        if (!fe_up(e, fe))
            arm_rebuild(e, fe);
    }
}

/* Group g goes from state old to st. */
static void change_state(sim_engine *e, routing_data *rt, int g, int old, int st)
{
    (*counter_of(e, old))--;
    (*counter_of(e, st))++;
    rt->group_state[g] = (unsigned char)st;
    if (old == SIM_GROUP_WRITABLE)
        rt->new_group_losses++;
    else if (st == SIM_GROUP_WRITABLE)
        arm_rebuilds(e, g); /* writable again: lost replicas can be rebuilt */
}

/* M2.2 for group g after a change. This runs for every group a front end
 * holds, and mostly changes nothing: the caller passes rt (rt_of(e)) and
 * only a change takes the call. */
static inline void reevaluate(sim_engine *e, routing_data *rt, int g)
{
    int old = rt->group_state[g];
    int st = group_state_of(e, rt, g);
    if (st != old)
        change_state(e, rt, g, old, st);
}

static void routing_begin(sim_engine *e)
{
    routing_data *rt = rt_of(e);
    for (int fe = 0; fe < e->n_fe; fe++)
        rt->fe_row[fe][0] = 0;
    rt->masks = rt->by_count != NULL;
    if (rt->by_count) {
        memset(rt->by_count, 0, sizeof(uint64_t) * ((size_t)e->groups + 1));
        memset(rt->holders, 0, sizeof(uint64_t) * (size_t)e->groups);
        rt->by_count[0] = e->n_fe == 64 ? UINT64_MAX : (UINT64_C(1) << e->n_fe) - 1;
    }
    for (int g = 0; g < e->groups; g++) /* the slots in order */
        for (int j = 0; j < e->r; j++)
            add_slot(rt, g * RT_STRIDE + j, rt->placement.replicas[g * e->r + j]);
    for (int g = 0; g < e->groups; g++) {
        rt->group_up[g] = (unsigned char)e->r;
        rt->group_state[g] = SIM_GROUP_WRITABLE;
    }
    e->groups_writable = e->groups;
    e->groups_limited = 0;
    e->groups_down = 0;
    rt->seen_serving = e->be_seen; /* the Back End begins first */
    rt->running = 0;
    for (int y = 0; y < e->n_fe && e->n_fe <= 64; y++)
        if (fe_up(e, y))
            rt->running |= UINT64_C(1) << y;
    rt->new_group_losses = 0;
}

/* What pick_target needs about the running front ends, computed once for
 * a batch of moves (moving replicas changes no component): their bit mask
 * (bit y: pool.frontends[y] up; 0 with more front ends than bits, then
 * pick_target looks at each one), and a replica count no running front end
 * is below. A batch moves replicas only off front ends that are not
 * running, so the counts of the running ones only grow and the floor stays
 * valid. */
typedef struct {
    uint64_t running;
    int floor;
} target_finder;

static target_finder finder_of(const sim_engine *e)
{
    target_finder f = { 0, 0 };
    if (e->n_fe > 64)
        return f;
    f.running = rt_of(e)->running;
#ifdef QR_CHECK_RUNNING
    uint64_t r = 0;
    for (int y = 0; y < e->n_fe; y++)
        if (fe_up(e, y))
            r |= UINT64_C(1) << y;
    if (r != f.running)
        abort();
#endif
    return f;
}

/* M2.3: a running front end holding no replica of group g, other than
 * `exclude`, with the fewest replicas (then the lowest index); -1 if none. */
static int pick_target(const sim_engine *e, const routing_data *rt, int g, int exclude,
                       target_finder *f)
{
    int best = -1;
    const int *slot_fe = rt->slot_fe + g * RT_STRIDE;
    if (rt->masks) { /* the candidates as bits; fewest replicas first */
        uint64_t cand = f->running & ~rt->holders[g];
        if (exclude >= 0)
            cand &= ~(UINT64_C(1) << exclude);
        if (!cand)
            return -1;
        while (!(rt->by_count[f->floor] & f->running)) /* cand is in running */
            f->floor++;
        for (int c = f->floor;; c++) /* ends: each candidate has a count */
            if (rt->by_count[c] & cand)
                return __builtin_ctzll(rt->by_count[c] & cand); /* lowest index */
    }
    for (int y = 0; y < e->n_fe; y++) {
        if (y == exclude || !fe_up(e, y))
            continue;
        bool holds = false;
        for (int j = 0; j < e->r; j++)
            if (slot_fe[j] == y)
                holds = true;
        if (holds)
            continue;
        if (best < 0 || nslots(rt, y) < nslots(rt, best))
            best = y;
    }
    return best;
}

/* pick_target's choice among the candidates cand (not 0) with the
 * masks, as a bit, and in *level its replica count: the fewest replicas,
 * then the lowest index; floor is no more than the count of any running
 * front end and by_count[floor] holds one. The candidates are mostly at
 * the floor or one above it: those two levels are read at once, with no
 * loop (the loop's exit mispredicted about every other move; a fully
 * branchless choice between them measured slower), higher ones by a loop.
 * The count comes with the choice, so the move reads no count from memory:
 * the moves of a batch are a chain, each choice reading the words the one
 * before wrote, and a load of the count was one more link. A candidate
 * holds no replica of the group, so floor + 1 <= groups, the last word of
 * by_count. */
static inline __attribute__((always_inline)) uint64_t pick_masked(const uint64_t *by_count,
                                                                  int floor, uint64_t cand,
                                                                  int *level)
{
    uint64_t m0 = by_count[floor] & cand, m1 = by_count[floor + 1] & cand;
    uint64_t m = m0 ? m0 : m1;
    int c = m0 ? floor : floor + 1;
    if (__builtin_expect(m == 0, 0)) {
        c = floor + 2;
        while (!(by_count[c] & cand)) /* ends: each candidate has a count */
            c++;
        m = by_count[c] & cand;
    }
    *level = c;
    return m & -m; /* the lowest index */
}

/* The run of move_batch: front end t (bit bit_t) takes the replicas of
 * fe's list from index k downward, with no choice, while it is a candidate
 * (holds no replica of the group) and its count *cnt is below limit;
 * *n is fe's count (the swap-removal), and a rebuild skips the groups not
 * writable and notes the groups it moves in touched. Returns the index
 * where the run stopped (-1: the list is done); the caller writes t's count
 * back. Its own function, with few values: in move_batch's loop the
 * compiler kept the counts on the stack, a chain through memory. */
__attribute__((noinline)) static int take_run(routing_data *rt, int fe, int k, int *n_io,
                                              int t, int *cnt_io, int limit, bool rebuild,
                                              int *n_touched_io)
{
    int *list = list_of(rt, fe), *row_t = rt->fe_row[t] + 1, *slot_fe = rt->slot_fe;
    uint64_t *holders = rt->holders;
    const uint64_t bit_t = UINT64_C(1) << t, both = bit_t | UINT64_C(1) << fe;
    int n = *n_io, cnt = *cnt_io;
    for (; k >= 0; k--) {
        int s = list[k], g = s >> RT_SHIFT;
        if (rebuild && rt->group_state[g] != SIM_GROUP_WRITABLE)
            continue;
        uint64_t h = holders[g];
        if ((h & bit_t) || cnt >= limit)
            break; /* t is no candidate, or another may be chosen */
        if (--n != k)
            list[k] = list[n];
        row_t[cnt++] = s;
        slot_fe[s] = t;
        holders[g] = h ^ both;
        if (rebuild)
            rt->touched[(*n_touched_io)++] = g;
    }
    *n_io = n;
    *cnt_io = cnt;
    return k;
}

/* M2.3 with the bit masks (rt->masks): a batch of moves off front end fe,
 * which is not running, to pick_target's choices. Both batches go through
 * fe's list downward, so that a swap-removal only brings in slots already
 * seen:
 *   - a graceful leave (rebuild false): every replica moves, or, when no
 *     running front end can take it, stays and is lost;
 *   - a rebuild (rebuild true, fe's rebuild timer): a replica whose group
 *     is writable moves (rebuilding needs the group's write quorum) and is
 *     up again; the others stay.
 * The same choices in the same order as the loops with pick_target and
 * move_slot (the paths without masks), cheaper:
 *   - fe is not running, so its own bit in by_count is read by no choice
 *     and moves once at the end;
 *   - the floor (pick_masked) climbs to the lowest count of a running
 *     front end before each choice, and the chosen front end's count comes
 *     with the choice, not from memory (the moves are a chain: each choice
 *     reads the by_count words the move before wrote, and a load of the
 *     count was one more link);
 *   - runs: once front end t is chosen, it is chosen again for every next
 *     replica it can take while its count stays below the lowest count m
 *     of the other running front ends (or equals m with t's index below
 *     theirs); the counts of the others do not change meanwhile, so
 *     take_run moves those replicas with no choice and t's count is written
 *     back once. (A patch night's front end comes back holding nothing and
 *     takes nearly all the replicas of the next one to leave: one run.)
 *   - the groups whose count of replicas up changes (a lost replica, a
 *     rebuilt one) are reevaluated after the loop, in the loop's order:
 *     the loop reads no group state they change (fe holds at most one
 *     replica of a group with the masks, so a rebuild reads each group's
 *     state once), and with no call in it the loop keeps its values in
 *     registers.
 * Inlined into its two callers with rebuild a constant. */
static inline __attribute__((always_inline)) void move_batch(sim_engine *e, routing_data *rt,
                                                             int fe, bool rebuild)
{
    int **fe_row = rt->fe_row, *list = list_of(rt, fe);
    int *slot_fe = rt->slot_fe;
    uint64_t *by_count = rt->by_count, *holders = rt->holders;
    const uint64_t running = rt->running, bit_from = UINT64_C(1) << fe;
    const unsigned char *group_state = rt->group_state;
#ifdef QR_CHECK_RUNNING
    (void)finder_of(e); /* checks rt->running */
#endif
    int n_touched = 0;
    int floor = 0;
    const int n0 = nslots(rt, fe);
    int n = n0;
    for (int k = n0 - 1; k >= 0; k--) {
        int s = list[k], g = s >> RT_SHIFT;
        if (rebuild && group_state[g] != SIM_GROUP_WRITABLE)
            continue;
        uint64_t h = holders[g], cand = running & ~h;
        if (!cand) { /* no running front end can take it */
            if (!rebuild)
                rt->touched[n_touched++] = g; /* it stays and is lost */
            continue;
        }
        while (!(by_count[floor] & running)) /* cand is in running */
            floor++;
        int n_to; /* to's count */
        uint64_t bit_to = pick_masked(by_count, floor, cand, &n_to);
        int to = __builtin_ctzll(bit_to);
        if (--n != k) /* swap-remove from fe's list (the last one */
            list[k] = list[n]; /* itself while every replica moves) */
        int *row_to = fe_row[to];
        row_to[1 + n_to] = s;
        slot_fe[s] = to;
        holders[g] = h ^ (bit_from | bit_to);
        if (rebuild)
            rt->touched[n_touched++] = g; /* up again */
        /* A run of to (take_run): the lowest count m of the other running
         * front ends; to is chosen while its count is below m, or at m
         * when its index is below theirs there. */
        int cnt = n_to + 1;
        uint64_t others = running & ~bit_to;
        if (k > 0 && others) {
            int m = floor;
            while (!(by_count[m] & others))
                m++;
            int limit = m + (bit_to < (by_count[m] & others & -(by_count[m] & others)));
            if (cnt < limit)
                k = take_run(rt, fe, k - 1, &n, to, &cnt, limit, rebuild, &n_touched) + 1;
        }
        row_to[0] = cnt;
        by_count[n_to] &= ~bit_to;
        by_count[cnt] |= bit_to;
    }
    fe_row[fe][0] = n;
    by_count[n0] &= ~bit_from;
    by_count[n] |= bit_from;
    for (int i = 0; i < n_touched; i++) {
        int g = rt->touched[i];
        rt->group_up[g] += rebuild ? 1 : -1;
        reevaluate(e, rt, g);
    }
}

/* move_batch's two uses, each with its constant (out of line: inlined
 * into their callers, the loop shares the registers with them). */
__attribute__((noinline)) static void leave_masked(sim_engine *e, routing_data *rt, int fe)
{
    move_batch(e, rt, fe, false);
}

__attribute__((noinline)) static void rebuild_masked(sim_engine *e, routing_data *rt, int fe)
{
    move_batch(e, rt, fe, true);
}

void sim_routing_fe_changed(sim_engine *e, int fe, int old, int now_state)
{
    routing_data *rt = rt_of(e);
    bool was_up = old == SIM_UP, is_up = now_state == SIM_UP;
    if (was_up == is_up)
        return;
    if (e->n_fe <= 64) /* finder_of's running front ends */
        rt->running = is_up ? rt->running | UINT64_C(1) << fe : rt->running & ~(UINT64_C(1) << fe);
    int *list = list_of(rt, fe);
    if (is_up) {
        sim_timer_cancel(e, rebuild_slot(e, fe)); /* its replicas are back */
        for (int k = 0; k < nslots(rt, fe); k++) {
            int g = list[k] >> RT_SHIFT;
            rt->group_up[g]++;
            reevaluate(e, rt, g);
        }
        return;
    }
    bool moves = now_state == SIM_DOWN_GRACEFUL && e->pool == SIM_POOL_UP;
    if (moves && rt->masks && e->n_fe <= 64) {
        leave_masked(e, rt, fe);
        return; /* a graceful leave arms no rebuild */
    }
    target_finder finder = moves ? finder_of(e) : (target_finder){ 0, 0 };
    /* Downward, so that a swap-removal only brings in slots already seen. */
    for (int k = nslots(rt, fe) - 1; k >= 0; k--) {
        int s = list[k], g = s >> RT_SHIFT;
        if (moves) {
            int to = pick_target(e, rt, g, fe, &finder);
            if (to >= 0) { /* M2.3: moved before the server stops */
                move_slot(rt, s, k, g, to);
                continue;
            }
        }
        rt->group_up[g]--;
        reevaluate(e, rt, g);
    }
    if (now_state == SIM_DOWN_UNEXPECTED && nslots(rt, fe) > 0 && e->n_fe > e->r)
        sim_timer_arm(e, rebuild_slot(e, fe), e->now + e->t->params.replica_rebuild);
}

static void routing_on_change(sim_engine *e, int comp, int old)
{
    int fe = e->fe_of_comp[comp];
    sim_routing_fe_changed(e, fe, sim_fe_view(e, fe, old), sim_fe_view(e, fe, e->eff[comp]));
}

/* M2.3, the rebuild timer of front end fe (not running). */
static void routing_on_timer(sim_engine *e, int fe)
{
    routing_data *rt = rt_of(e);
    if (fe_up(e, fe) || e->pool != SIM_POOL_UP)
        return;
    if (rt->masks) {
        rebuild_masked(e, rt, fe);
        return;
    }
    int *list = list_of(rt, fe);
    target_finder finder = finder_of(e);
    for (int k = nslots(rt, fe) - 1; k >= 0; k--) {
        int s = list[k], g = s >> RT_SHIFT;
        /* M2.3: rebuilding needs the group's write quorum. */
        if (rt->group_state[g] != SIM_GROUP_WRITABLE)
            continue;
        int to = pick_target(e, rt, g, -1, &finder);
        if (to < 0)
            continue;
        move_slot(rt, s, k, g, to);
        rt->group_up[g]++;
        reevaluate(e, rt, g);
    }
}

static void routing_settle(sim_engine *e)
{
    routing_data *rt = rt_of(e);
    if (e->be_seen != rt->seen_serving) { /* the Back End settled before */
        rt->seen_serving = e->be_seen;
        if (e->r == 2) /* its tie-break vote changed (M2.2) */
            for (int g = 0; g < e->groups; g++)
                reevaluate(e, rt, g);
    }
    if (rt->new_group_losses > 0 && e->pool == SIM_POOL_UP)
        e->rep.group_quorum_losses += rt->new_group_losses;
    rt->new_group_losses = 0;
}

void sim_routing_pool_started(sim_engine *e)
{
    routing_data *rt = rt_of(e);
    for (int fe = 0; fe < e->n_fe; fe++)
        if (!fe_up(e, fe) && nslots(rt, fe) > 0)
            arm_rebuild(e, fe);
}

int sim_routing_reload(sim_engine *e)
{
    routing_data *rt = rt_of(e);
    int reloaded = 0;
    target_finder finder = finder_of(e);
    for (int g = 0; g < e->groups; g++) {
        if (rt->group_state[g] == SIM_GROUP_WRITABLE)
            continue;
        int placed = 0;
        for (int j = 0; j < e->r; j++) {
            int s = g * RT_STRIDE + j, from = rt->slot_fe[s];
            if (fe_up(e, from))
                continue;
            int to = pick_target(e, rt, g, -1, &finder);
            if (to < 0)
                break;
            const int *list = list_of(rt, from);
            int pos = 0;
            while (list[pos] != s) /* s is on its front end's list */
                pos++;
            move_slot(rt, s, pos, g, to);
            rt->group_up[g]++;
            placed++;
        }
        reevaluate(e, rt, g);
        /* M2.4: a group for which no running front end can take a replica
         * (every one holds it already) is not reloaded: nothing changed. */
        if (placed > 0)
            reloaded++;
    }
    return reloaded;
}

static int routing_timers(const sim_engine *e)
{
    return e->n_fe; /* one rebuild timer per front end */
}

static void routing_describe(const sim_engine *e, int fe, sim_step_info *info)
{
    (void)e;
    info->cause = SIM_CAUSE_REPLICA_REBUILD;
    info->index = fe;
}

const sim_module sim_module_routing = {
    .name = "routing",
    .roles = SIM_ROLE_FRONTEND,
    .alloc = routing_alloc,
    .release = routing_release,
    .timers = routing_timers,
    .begin = routing_begin,
    .on_change = routing_on_change,
    .settle = routing_settle,
    .on_timer = routing_on_timer,
    .describe = routing_describe,
    .copy = routing_copy,
    .feature_inputs_keyed = true,
};

/* ---- queries (engine.h) ---- */

sim_group_state sim_engine_group_state(const sim_engine *e, int g)
{
    if (g < 0 || g >= e->groups)
        return SIM_GROUP_DOWN;
    return (sim_group_state)rt_of(e)->group_state[g];
}

int sim_engine_group_replica(const sim_engine *e, int g, int j)
{
    if (g < 0 || g >= e->groups || j < 0 || j >= e->r)
        return -1;
    return rt_of(e)->slot_fe[g * RT_STRIDE + j];
}
