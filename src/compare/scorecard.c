/*
 * scorecard.c: one design's scorecard (cost, SPOFs, paper and operation
 * availability), the ranking of several, and the recommendation in words;
 * the library half of `quorate compare` (src/cmd/cmd_compare.c renders it).
 *
 * "On paper" is the exact M9 availability (src/exact/exact.h): independent
 * components, every delay zero, no stickiness. "In operation" is the full
 * simulation (sim/runner.h, M1-M8): quorum stickiness, failover times,
 * patch nights and operators who take time to reset quorum. Their
 * difference, as downtime minutes a year, is what operation costs beyond
 * the structure. SPOFs use the M9 structure function (src/exact/structure.h).
 *
 * Every design is simulated on common random numbers (sim/engine.c keys a
 * component's streams by its kind and name), so the scorecard keeps each
 * replication's downtime and the ranking compares designs replication by
 * replication (compare/paired.h): a design ranks below another only when
 * it is distinguishably worse, and designs that cannot be told apart tie.
 *
 * Everything is deterministic: the simulation's summary and the kept
 * replications do not depend on the thread count, ranking is a stable
 * insertion sort on keys rounded to the precision the table shows, then
 * grouped by paired differences summed in replication order, and the
 * recommendation is built from those numbers only.
 */
#include "compare/scorecard.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "exact/exact.h"
#include "exact/exact_pairing.h"
#include "exact/structure.h"
#include "model/ccf.h"
#include "model/pool_view.h"
#include "sim/downtime_log.h"

/* ---- cost ---- */

/* Storage used only as a cluster's disk witness: a witness part. */
static bool disk_witness_only(const qr_topology *t, int i)
{
    bool witness = false;
    for (int c = 0; c < t->n_clusters; c++)
        if (t->clusters[c].witness_kind == QR_WITNESS_DISK && t->clusters[c].witness == i)
            witness = true;
    if (!witness)
        return false;
    const qr_pool *p = &t->pool;
    if (p->backend.kind == QR_BACKEND_FCI && p->backend.storage == i)
        return false;
    if (p->file_store.kind == QR_FILE_STORE_CLUSTER && p->file_store.storage == i)
        return false;
    return true;
}

void qr_cost_rules_init(qr_cost_rules *r, double server_cost)
{
    r->server_cost = server_cost;
    r->witness_cost = server_cost / 4;
    r->host_cost = server_cost;
}

bool qr_cost_rules_relative(const qr_cost_rules *r)
{
    return r->server_cost == 1.0;
}

const char *qr_cost_rules_describe(const qr_cost_rules *r, const char *server_flag, char *buf,
                                   size_t size)
{
    if (qr_cost_rules_relative(r))
        snprintf(buf, size,
                 "in server-equivalents (%g a full server, %g a witness-only part, %g a host) "
                 "unless a topology sets costs",
                 r->server_cost, r->witness_cost, r->host_cost);
    else
        snprintf(buf, size,
                 "in the unit of %s (%g a full server, %g a witness-only part, %g a host; a "
                 "topology's own costs taken in the same unit)",
                 server_flag, r->server_cost, r->witness_cost, r->host_cost);
    return buf;
}

/* A part without a cost of its own priced `price` by the rules. */
static void rule_price(qr_design_cost *out, double price)
{
    if (price > 0) {
        out->total += price;
        out->rule_priced++;
    }
}

int qr_scorecard_cost(const qr_topology *t, const qr_cost_rules *rules, qr_design_cost *out)
{
    memset(out, 0, sizeof(*out));
    char *full = calloc((size_t)t->n_comps + 1, 1);
    if (!full)
        return -1;
    qr_topology_mark_full_servers(t, full);
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        bool own = c->cost > 0;
        if (c->kind == QR_COMP_SERVER && full[i]) {
            out->full_servers++;
            if (own) {
                out->total += c->cost;
                out->own_priced++;
            } else {
                rule_price(out, rules->server_cost);
            }
        } else if (c->kind == QR_COMP_HOST) {
            /* Hardware the servers run on: real cost (docs/compare.md). */
            out->hosts++;
            if (own) {
                out->total += c->cost;
                out->own_priced++;
            } else {
                rule_price(out, rules->host_cost);
            }
        } else if (c->kind == QR_COMP_SERVER || c->kind == QR_COMP_CLOUD_WITNESS ||
                   (c->kind == QR_COMP_STORAGE && disk_witness_only(t, i))) {
            /* The ".x" of the notation: a part that is not a full server. */
            out->witness_parts++;
            if (own) {
                out->total += c->cost;
                out->own_priced++;
            } else if (t->params.witness_cost > 0) {
                out->total += t->params.witness_cost;
                out->own_priced++;
            } else {
                rule_price(out, rules->witness_cost);
            }
        } else if (own) {
            out->total += c->cost;
            out->own_priced++;
        }
    }
    free(full);
    out->unit = !qr_cost_rules_relative(rules) ? QR_COST_UNIT_CURRENCY
                : out->own_priced == 0          ? QR_COST_UNIT_SERVERS
                : out->rule_priced == 0         ? QR_COST_UNIT_TOPOLOGY
                                                : QR_COST_UNIT_MIXED;
    return 0;
}

const char *qr_cost_unit_name(qr_cost_unit u)
{
    switch (u) {
    case QR_COST_UNIT_SERVERS: return "server-equivalents";
    case QR_COST_UNIT_TOPOLOGY: return "topology currency";
    case QR_COST_UNIT_MIXED: return "mixed units";
    case QR_COST_UNIT_CURRENCY: return "server-cost currency";
    }
    return "?";
}

/* ---- single points of failure (M9 structure) ---- */

/* True when some entry of now[] is below base[] (n entries). */
static bool any_lower(const double *now, const double *base, int n)
{
    for (int k = 0; k < n; k++)
        if (now[k] < base[k] - 1e-12)
            return true;
    return false;
}

/* Several pools (M10): with the failover of M9 instant, a pool's users
 * lose a feature only when every pool loses it, so a single point of
 * failure of the design is one of every pool's view (model/pool_view.h). */
static int pooled_spofs(const qr_topology *t, int *spofs)
{
    int *hits = calloc((size_t)t->n_comps + 1, sizeof(int));
    int *map = malloc(((size_t)t->n_comps + 1) * sizeof(int));
    int *one = NULL, ret = -1;
    if (!hits || !map)
        goto done;
    for (int p = 0; p < t->n_pools; p++) {
        qr_topology *v = NULL;
        if (qr_topology_pool_view(t, p, &v, map) != 0)
            goto done;
        free(one);
        one = malloc(((size_t)v->n_comps + 1) * sizeof(int));
        int n = one ? qr_scorecard_spofs(v, one) : -1;
        if (n >= 0)
            for (int c = 0; c < t->n_comps; c++)
                for (int k = 0; k < n; k++)
                    if (map[c] == one[k])
                        hits[c]++;
        qr_topology_free(v);
        if (n < 0)
            goto done;
    }
    ret = 0;
    for (int c = 0; c < t->n_comps; c++)
        if (hits[c] == t->n_pools) {
            if (spofs)
                spofs[ret] = c;
            ret++;
        }
done:
    free(hits);
    free(map);
    free(one);
    return ret;
}

/* The structure of t with everything up, to try failures on: up[] the
 * components' states, base[] every feature's value and the pool's (last,
 * so that a pool loss counts even for a topology whose features do not
 * need it) with nothing failed. */
typedef struct {
    const qr_topology *t;
    sim_structure *s;
    unsigned char *up, *eff;
    double *base, *now;
} spof_probe;

static void probe_close(spof_probe *p)
{
    sim_structure_free(p->s);
    free(p->up);
    free(p->eff);
    free(p->base);
    free(p->now);
}

static int probe_open(spof_probe *p, const qr_topology *t)
{
    int nf = t->n_features;
    p->t = t;
    p->s = sim_structure_new(t);
    p->up = malloc((size_t)t->n_comps + 1);
    p->eff = malloc((size_t)t->n_comps + 1);
    p->base = calloc((size_t)nf + 1, sizeof(double));
    p->now = calloc((size_t)nf + 1, sizeof(double));
    if (!p->s || !p->up || !p->eff || !p->base || !p->now) {
        probe_close(p);
        return -1;
    }
    memset(p->up, 1, (size_t)t->n_comps);
    sim_structure_effective(p->s, p->up, p->eff);
    p->base[nf] = sim_structure_eval(p->s, p->eff, p->base);
    return 0;
}

/* Does the state in p->eff lower a feature or the pool below base? */
static bool probe_lowered(spof_probe *p)
{
    int nf = p->t->n_features;
    p->now[nf] = sim_structure_eval(p->s, p->eff, p->now);
    return any_lower(p->now, p->base, nf + 1);
}

int qr_scorecard_spofs(const qr_topology *t, int *spofs)
{
    if (qr_topology_is_paired(t))
        return pooled_spofs(t, spofs);
    spof_probe p;
    if (probe_open(&p, t) != 0)
        return -1;
    int count = 0;
    for (int i = 0; i < t->n_comps; i++) {
        p.up[i] = 0;
        sim_structure_effective_update(p.s, p.up, p.eff, i);
        if (probe_lowered(&p)) {
            if (spofs)
                spofs[count] = i;
            count++;
        }
        p.up[i] = 1;
        sim_structure_effective_update(p.s, p.up, p.eff, i);
    }
    probe_close(&p);
    return count;
}

int qr_scorecard_ccf_spofs(const qr_topology *t, const qr_ccf_event *ev, int n_ev,
                           bool *is_spof)
{
    spof_probe p;
    if (probe_open(&p, t) != 0)
        return -1;
    int count = 0;
    for (int k = 0; k < n_ev; k++) {
        const qr_ccf_group *g = &t->ccf[ev[k].group];
        /* The event alone: all its members down at once, every other
         * component up (the candidate `ccf:GROUP` of the N-k analysis). */
        memset(p.up, 1, (size_t)t->n_comps);
        for (int j = 0; j < g->n_members; j++)
            if (ev[k].mask & (1u << j))
                p.up[g->members[j]] = 0;
        sim_structure_effective(p.s, p.up, p.eff);
        is_spof[k] = probe_lowered(&p);
        count += is_spof[k];
    }
    probe_close(&p);
    return count;
}

bool qr_scorecard_m18_exposed(const qr_topology *t)
{
    const qr_pool *p = &t->pool;
    if (qr_pool_seed_count(p->version, p->n_frontends) != 2)
        return false;
    const qr_backend *b = &p->backend;
    for (int i = 0; i < 2 && i < p->n_frontends; i++) {
        int fe = p->frontends[i];
        if (b->kind == QR_BACKEND_MIRRORING && (fe == b->principal || fe == b->mirror))
            return true;
        if (b->kind == QR_BACKEND_ALWAYSON)
            for (int k = 0; k < b->n_replicas; k++)
                if (b->replicas[k] == fe)
                    return true;
    }
    return false;
}

/* ---- one scorecard ---- */

void qr_scorecard_paper_error(char *reason, size_t size)
{
    char why[200];
    snprintf(why, sizeof(why), "%s", reason[0] ? reason : "out of memory");
    snprintf(reason, size, "not computed: %.120s (an error of this run, not a limit of the design)",
             why);
}

char *qr_scorecard_label(const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
        len -= 5;
    else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
        len -= 4;
    char *out = malloc(len + 1);
    if (out) {
        memcpy(out, base, len);
        out[len] = '\0';
    }
    return out;
}

static int worst_of(const qr_scorecard *s)
{
    if (!s->have_operation && !s->have_paper)
        return -1;
    if (s->n_features == 0)
        return 0; /* only the pool */
    int worst = 0;
    for (int k = 1; k < s->n_features; k++) {
        double a = s->have_operation ? s->operation.f[k].availability.mean : s->paper[k];
        double w = s->have_operation ? s->operation.f[worst].availability.mean : s->paper[worst];
        if (a < w)
            worst = k;
    }
    return worst;
}

/* The downtime of every feature and of the pool in every replication
 * (a sim_run_options.on_reps callback that passes each chunk on to the
 * caller's own callback, then logs it). */
typedef struct {
    sim_downtime_log log;
    void (*next)(const sim_rep *reps, int n, int first_index, void *ctx);
    void *next_ctx;
} rep_log;

static void rep_log_collect(const sim_rep *reps, int n, int first_index, void *ctx)
{
    rep_log *l = ctx;
    if (l->next)
        l->next(reps, n, first_index, l->next_ctx);
    sim_downtime_log_collect(reps, n, first_index, &l->log);
}

/* Keep, per replication, the worst feature's downtime and the features'
 * mean downtime (the measures the ranking pairs). 0, or -1 OOM. */
static int keep_reps(qr_scorecard *s, const sim_downtime_log *l)
{
    if (!s->have_operation || l->n_runs < 1 || s->worst < 0)
        return 0;
    s->rep_worst = malloc(sizeof(double) * (size_t)l->n_runs);
    s->rep_mean = malloc(sizeof(double) * (size_t)l->n_runs);
    if (!s->rep_worst || !s->rep_mean)
        return -1;
    int nf = s->n_features;
    for (int i = 0; i < l->n_runs; i++) {
        const double *row = &l->min_year[(size_t)i * (size_t)l->n_cols];
        s->rep_worst[i] = row[s->worst];
        double sum = 0;
        for (int k = 0; k < nf; k++)
            sum += row[k];
        s->rep_mean[i] = nf > 0 ? sum / nf : row[0];
    }
    s->n_reps = l->n_runs;
    return 0;
}

/* The common events that are single points of failure, after the
 * components, in the order of qr_ccf_events() and named as `analyze` names
 * them ("ccf:GROUP"). A design with more common events than
 * QR_CCF_MAX_EVENTS lists none, as the N-k analysis fails none. Returns 0,
 * or -1 when out of memory. */
static int add_ccf_spofs(const qr_topology *t, qr_scorecard *out)
{
    qr_ccf_event *ev = NULL;
    int n_ev = 0, ret = -1;
    int rc = qr_ccf_events(t, &ev, &n_ev);
    if (rc == -2)
        return 0;
    if (rc != 0)
        return -1;
    bool *is_spof = calloc((size_t)n_ev + 1, sizeof(bool));
    int n = is_spof ? qr_scorecard_ccf_spofs(t, ev, n_ev, is_spof) : -1;
    if (n < 0)
        goto done;
    if (n > 0) {
        size_t total = (size_t)out->n_spofs + (size_t)n + 1;
        char **names = realloc(out->spof_names, total * sizeof(char *));
        if (!names)
            goto done;
        out->spof_names = names;
        bool *fails = realloc(out->spof_fails, total * sizeof(bool));
        if (!fails)
            goto done;
        out->spof_fails = fails;
        for (int k = 0; k < n_ev; k++) {
            if (!is_spof[k])
                continue;
            char name[256];
            qr_ccf_event_name(t, &ev[k], name, sizeof(name));
            if (!(out->spof_names[out->n_spofs] = strdup(name)))
                goto done;
            out->spof_fails[out->n_spofs++] = true; /* an event has p > 0 */
        }
    }
    ret = 0;
done:
    free(is_spof);
    free(ev);
    return ret;
}

int qr_scorecard_compute(const qr_topology *t, const sim_run_options *run,
                         const qr_cost_rules *rules, qr_scorecard *out)
{
    rep_log replog = { .next = run->on_reps, .next_ctx = run->on_reps_ctx };
    sim_downtime_log_init(&replog.log, t->n_features + 1);
    memset(out, 0, sizeof(*out));
    int n = t->n_features;
    int *spofs = NULL;
    out->name = strdup(t->name ? t->name : "");
    out->file = strdup(t->file ? t->file : "");
    out->label = out->file ? qr_scorecard_label(out->file) : NULL;
    out->feature_names = calloc((size_t)n + 1, sizeof(char *));
    out->paper = calloc((size_t)n + 1, sizeof(double));
    spofs = calloc((size_t)t->n_comps + 1, sizeof(int));
    if (!out->name || !out->file || !out->label || !out->feature_names || !out->paper ||
        !spofs)
        goto oom;
    out->n_features = n;
    for (int k = 0; k <= n; k++)
        if (!(out->feature_names[k] = strdup(k < n ? t->features[k].name : "pool")))
            goto oom;
    qr_topology_notation(t, out->notation, sizeof(out->notation));
    out->m18_exposed = qr_scorecard_m18_exposed(t);
    out->links_off_paper = false;
    for (int i = 0; i < t->n_comps; i++)
        out->links_off_paper = out->links_off_paper || t->comps[i].kind == QR_COMP_LINK;
    if (qr_scorecard_cost(t, rules, &out->cost) != 0)
        goto oom;

    int n_spofs = qr_scorecard_spofs(t, spofs);
    if (n_spofs < 0)
        goto oom;
    out->spof_names = calloc((size_t)n_spofs + 1, sizeof(char *));
    out->spof_fails = calloc((size_t)n_spofs + 1, sizeof(bool));
    if (!out->spof_names || !out->spof_fails)
        goto oom;
    for (int k = 0; k < n_spofs; k++) {
        const qr_component *c = &t->comps[spofs[k]];
        if (!(out->spof_names[k] = strdup(c->name)))
            goto oom;
        out->spof_fails[k] = qr_component_fails(c);
        out->n_spofs = k + 1;
    }
    if (add_ccf_spofs(t, out) != 0)
        goto oom;

    /* On paper (M9). Enumeration can fail only for size or memory; both
     * leave the paper values out, with the reason. */
    int paper_rc = qr_topology_is_paired(t) /* several pools: M9 with every M10 delay zero */
                       ? sim_exact_pairing(t, out->paper, NULL, NULL, out->paper_reason,
                                           sizeof(out->paper_reason))
                       : sim_exact_availability(t, out->paper, &out->paper[n], out->paper_reason,
                                                sizeof(out->paper_reason));
    out->paper_status = paper_rc;
    if (paper_rc == 0) {
        out->have_paper = true;
    } else {
        if (paper_rc == -1) /* say it is an error, not a limit */
            qr_scorecard_paper_error(out->paper_reason, sizeof(out->paper_reason));
        free(out->paper);
        out->paper = NULL;
    }

    /* In operation: the full simulation (never --static). */
    sim_run_options o = *run;
    o.static_mode = false;
    o.progress = NULL;
    o.progress_ctx = NULL;
    o.on_reps = rep_log_collect;
    o.on_reps_ctx = &replog;
    out->operation_status = sim_run(t, &o, &out->operation, NULL, out->operation_reason,
                                    sizeof(out->operation_reason));
    if (out->operation_status == 0)
        out->have_operation = true;
    else
        memset(&out->operation, 0, sizeof(out->operation));
    out->worst = worst_of(out);
    if (replog.log.failed || keep_reps(out, &replog.log) != 0)
        goto oom;
    sim_downtime_log_release(&replog.log);
    free(spofs);
    return 0;
oom:
    sim_downtime_log_release(&replog.log);
    free(spofs);
    qr_scorecard_release(out);
    return -1;
}

void qr_scorecard_release(qr_scorecard *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->file);
    free(s->label);
    if (s->feature_names)
        for (int k = 0; k <= s->n_features; k++)
            free(s->feature_names[k]);
    free(s->feature_names);
    free(s->paper);
    if (s->have_operation)
        sim_summary_release(&s->operation);
    if (s->spof_names)
        for (int k = 0; k < s->n_spofs; k++)
            free(s->spof_names[k]);
    free(s->spof_names);
    free(s->spof_fails);
    free(s->rep_worst);
    free(s->rep_mean);
    memset(s, 0, sizeof(*s));
}

/* ---- measures used by the ranking ---- */

double qr_scorecard_downtime(double availability)
{
    return (1.0 - availability) * QR_MINUTES_PER_YEAR;
}

double qr_scorecard_worst_availability(const qr_scorecard *s)
{
    if (s->worst < 0 || (!s->have_operation && !s->have_paper))
        return NAN;
    return s->have_operation ? s->operation.f[s->worst].availability.mean : s->paper[s->worst];
}

double qr_target_bound(const sim_feature_summary *f, double paper)
{
    double low = f->availability.low;
    if (f->outages_observed < SIM_FEW_OUTAGES && !isnan(paper) && paper < low)
        low = paper;
    return low;
}

int qr_scorecard_target(const qr_scorecard *s, double target, int *feature, double *short_min)
{
    if (feature)
        *feature = -1;
    if (short_min)
        *short_min = NAN;
    if (!s->have_operation)
        return -1;
    double worst = -INFINITY;
    for (int k = 0; k < s->n_features; k++) {
        double gap = (target - qr_target_bound(&s->operation.f[k],
                                               s->have_paper ? s->paper[k] : NAN)) *
                     QR_MINUTES_PER_YEAR;
        if (gap > worst) {
            worst = gap;
            if (feature)
                *feature = k;
        }
    }
    if (short_min)
        *short_min = worst;
    return worst <= 0;
}

double qr_scorecard_mean_downtime(const qr_scorecard *s)
{
    if (!s->have_operation)
        return NAN;
    if (s->n_features == 0)
        return s->operation.f[0].downtime_min_year.mean;
    double sum = 0;
    for (int k = 0; k < s->n_features; k++)
        sum += s->operation.f[k].downtime_min_year.mean;
    return sum / s->n_features;
}

double qr_scorecard_value(const qr_scorecard *s)
{
    if (!s->have_operation)
        return NAN;
    double u = 1.0 - qr_scorecard_worst_availability(s);
    double nines = -log10(u > 1e-9 ? u : 1e-9);
    return s->cost.total > 0 ? nines / s->cost.total : INFINITY;
}

/* ---- ranking ---- */

/* Keys at the precision the table shows, so that designs the table cannot
 * tell apart tie. Lower is better for every key. They are whole numbers
 * held in doubles: no overflow whatever the cost (a cost of 1e15 times 1e6
 * is beyond every integer type), and exact up to 2^53, far past the
 * precision shown. */
static double key_downtime(double minutes)
{
    return round(minutes * 10.0);
}

static double key_cost(double cost)
{
    return round(cost * 1e6);
}

static double key_value(double value)
{
    return -round(value * 1000.0); /* INFINITY (a free design): -INFINITY */
}

/* -1, 0, 1; NaN keys tie (they are never ranked). */
static int key_cmp(double a, double b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

static bool ranked_under(const qr_scorecard *s, qr_rank_by by)
{
    return by == QR_RANK_COST || s->have_operation;
}

/* The primary keys of a and b under `by`: negative when a's is better,
 * 0 when equal at the precision the table shows. */
static int compare_primary(const qr_scorecard *a, const qr_scorecard *b, qr_rank_by by)
{
    double ka = 0, kb = 0;
    switch (by) {
    case QR_RANK_AVAILABILITY:
        ka = key_downtime(qr_scorecard_downtime(qr_scorecard_worst_availability(a)));
        kb = key_downtime(qr_scorecard_downtime(qr_scorecard_worst_availability(b)));
        break;
    case QR_RANK_DOWNTIME:
        ka = key_downtime(qr_scorecard_mean_downtime(a));
        kb = key_downtime(qr_scorecard_mean_downtime(b));
        break;
    case QR_RANK_VALUE:
        ka = key_value(qr_scorecard_value(a));
        kb = key_value(qr_scorecard_value(b));
        break;
    case QR_RANK_COST:
        ka = key_cost(a->cost.total);
        kb = key_cost(b->cost.total);
        break;
    }
    return key_cmp(ka, kb);
}

/* Negative when a ranks before b (both ranked). */
static int compare_cards(const qr_scorecard *a, const qr_scorecard *b, qr_rank_by by)
{
    double ta, tb; /* tie-break */
    int primary = compare_primary(a, b, by);
    if (primary != 0)
        return primary;
    if (by == QR_RANK_COST) {
        /* The more available first; a design simulated in operation before
         * one known only on paper. */
        double wa = qr_scorecard_downtime(qr_scorecard_worst_availability(a));
        double wb = qr_scorecard_downtime(qr_scorecard_worst_availability(b));
        if (a->have_operation != b->have_operation)
            return a->have_operation ? -1 : 1;
        if (isnan(wa) || isnan(wb))
            return isnan(wa) && isnan(wb) ? 0 : isnan(wa) ? 1 : -1;
        ta = key_downtime(wa);
        tb = key_downtime(wb);
    } else {
        ta = key_cost(a->cost.total);
        tb = key_cost(b->cost.total);
    }
    return key_cmp(ta, tb);
}

/* The per-replication series the criterion pairs, or NULL: the worst
 * feature's downtime (availability), the features' mean (downtime). */
static const double *paired_series(const qr_scorecard *s, qr_rank_by by)
{
    if (by == QR_RANK_AVAILABILITY)
        return s->rep_worst;
    if (by == QR_RANK_DOWNTIME)
        return s->rep_mean;
    return NULL;
}

/* Whether the ranked cards' replications pair up: all simulated, with the
 * same number of replications (the command runs them with one seed, runs
 * and years). */
static bool pairs_usable(const qr_scorecard *cards, const int *order, int ranked)
{
    if (ranked < 1)
        return false;
    int reps = cards[order[0]].n_reps;
    for (int k = 0; k < ranked; k++) {
        const qr_scorecard *s = &cards[order[k]];
        if (!s->have_operation || s->n_reps != reps || reps < 1 || !s->rep_worst)
            return false;
    }
    return true;
}

/* Whether a is beaten by b: b's key is better and, when the criterion is
 * paired, a is distinguishably worse (the paired 95% CI of a - b lies
 * above 0). */
static bool beaten_by(const qr_scorecard *a, const qr_scorecard *b, qr_rank_by by, bool paired)
{
    if (compare_primary(a, b, by) <= 0)
        return false;
    if (!paired)
        return true;
    qr_paired d = qr_paired_diff(paired_series(a, by), paired_series(b, by), a->n_reps);
    return d.low > 0;
}

int qr_scorecard_rank(qr_scorecard *cards, int n, qr_rank_by by, int *order)
{
    int ranked = 0;
    for (int i = 0; i < n; i++) {
        cards[i].rank = 0;
        cards[i].tied = false;
        cards[i].have_diff = false;
        memset(&cards[i].diff, 0, sizeof(cards[i].diff));
        if (ranked_under(&cards[i], by))
            order[ranked++] = i;
    }
    /* Stable insertion sort on the point estimates: equal designs keep
     * their input order. */
    for (int i = 1; i < ranked; i++) {
        int v = order[i], j = i;
        while (j > 0 && compare_cards(&cards[v], &cards[order[j - 1]], by) < 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    int pos = ranked;
    for (int i = 0; i < n; i++)
        if (!ranked_under(&cards[i], by))
            order[pos++] = i;

    /* Rank groups, in the sorted order: a design joins the group above
     * it unless a design of that group beats it; a group shares its rank,
     * the cheaper designs first (by cost: as sorted). */
    bool paired = (by == QR_RANK_AVAILABILITY || by == QR_RANK_DOWNTIME) &&
                  pairs_usable(cards, order, ranked);
    int start = 0;
    while (start < ranked) {
        int end = start + 1;
        for (; end < ranked; end++) {
            bool beaten = false;
            for (int k = start; k < end && !beaten; k++)
                beaten = beaten_by(&cards[order[end]], &cards[order[k]], by, paired);
            if (beaten)
                break;
        }
        if (by != QR_RANK_COST)
            for (int i = start + 1; i < end; i++) {
                int v = order[i], j = i;
                while (j > start &&
                       key_cost(cards[v].cost.total) < key_cost(cards[order[j - 1]].cost.total)) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = v;
            }
        for (int k = start; k < end; k++) {
            cards[order[k]].rank = start + 1;
            cards[order[k]].tied = end - start > 1;
        }
        start = end;
    }

    /* Every other simulated design against the recommended one. */
    const qr_scorecard *w = ranked > 0 ? &cards[order[0]] : NULL;
    if (w && w->have_operation && w->rep_worst)
        for (int k = 1; k < n; k++) {
            qr_scorecard *s = &cards[order[k]];
            if (!s->have_operation || !s->rep_worst || s->n_reps != w->n_reps)
                continue;
            s->diff = qr_paired_diff(s->rep_worst, w->rep_worst, s->n_reps);
            s->have_diff = true;
        }
    return ranked;
}

int qr_rank_by_parse(const char *s, qr_rank_by *out)
{
    static const qr_rank_by all[] = { QR_RANK_AVAILABILITY, QR_RANK_DOWNTIME, QR_RANK_COST,
                                      QR_RANK_VALUE };
    for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
        if (strcmp(s, qr_rank_by_name(all[k])) == 0) {
            *out = all[k];
            return 0;
        }
    return -1;
}

const char *qr_rank_by_name(qr_rank_by by)
{
    switch (by) {
    case QR_RANK_AVAILABILITY: return "availability";
    case QR_RANK_DOWNTIME: return "downtime";
    case QR_RANK_COST: return "cost";
    case QR_RANK_VALUE: return "value";
    }
    return "?";
}

const char *qr_rank_by_definition(qr_rank_by by)
{
    switch (by) {
    case QR_RANK_AVAILABILITY:
        return "the worst feature's simulated availability in operation, highest first "
               "(equal to 0.1 min/yr of downtime, or not distinguishable by the paired 95% CI "
               "of the difference: tied, the cheaper design first)";
    case QR_RANK_DOWNTIME:
        return "the simulated downtime averaged over the features, lowest first "
               "(equal to 0.1 min/yr, or not distinguishable by the paired 95% CI of the "
               "difference: tied, the cheaper design first)";
    case QR_RANK_COST:
        return "the yearly cost, lowest first (equal cost: the design whose worst "
               "feature is more available first)";
    case QR_RANK_VALUE:
        return "value, the worst feature's simulated nines -log10(1 - A) (at most 9) "
               "per unit of yearly cost, highest first (equal to 0.001: the cheaper "
               "design first)";
    }
    return "?";
}

/* ---- the recommendation ---- */

static double worst_downtime(const qr_scorecard *s)
{
    return qr_scorecard_downtime(qr_scorecard_worst_availability(s));
}

static double paper_downtime(const qr_scorecard *s, int k)
{
    return qr_scorecard_downtime(s->paper[k]);
}

/* Operation minus paper downtime on the worst feature, min/yr. */
static double worst_gap(const qr_scorecard *s)
{
    return worst_downtime(s) - paper_downtime(s, s->worst);
}

static const char *worst_name(const qr_scorecard *s)
{
    return s->worst >= 0 ? s->feature_names[s->worst] : "?";
}

static void put_spofs(qr_strbuf *b, const qr_scorecard *s)
{
    if (s->n_spofs == 0) {
        qr_strbuf_addf(b, "no single point of failure");
        return;
    }
    qr_strbuf_addf(b, "%d single point%s of failure (", s->n_spofs, s->n_spofs == 1 ? "" : "s");
    for (int k = 0; k < s->n_spofs && k < 3; k++)
        qr_strbuf_addf(b, "%s%s%s", k ? ", " : "", s->spof_names[k],
                       s->spof_fails[k] ? "" : ", which never fails in this model");
    qr_strbuf_addf(b, "%s)", s->n_spofs > 3 ? ", ..." : "");
}

static void put_design(qr_strbuf *b, const qr_scorecard *s)
{
    qr_strbuf_addf(b, "%s (%s, %d full server%s, cost %.2f/yr)", s->label, s->notation,
                   s->cost.full_servers, s->cost.full_servers == 1 ? "" : "s", s->cost.total);
}

/* "paired 95% CI of the difference -0.30 to +0.80 min/yr" and the
 * verdict, for s's difference to the recommended design. */
static void put_paired(qr_strbuf *b, const qr_scorecard *s)
{
    qr_strbuf_addf(b, "paired 95%% CI of the difference %+.2f to %+.2f min/yr: %s", s->diff.low,
                   s->diff.high,
                   qr_paired_contains_zero(&s->diff) ? "not distinguishable" : "distinguishable");
}

/* What tied designs share under `by`. */
static const char *tie_reason(qr_rank_by by)
{
    switch (by) {
    case QR_RANK_AVAILABILITY:
        return "none of them is distinguishably more available than another on its worst "
               "feature (each paired 95% CI of a difference contains 0, or the difference "
               "rounds to 0.0 min/yr), so the cheaper is ranked first";
    case QR_RANK_DOWNTIME:
        return "none of them has distinguishably less downtime than another averaged over "
               "the features (each paired 95% CI of a difference contains 0, or the "
               "difference rounds to 0.0 min/yr), so the cheaper is ranked first";
    case QR_RANK_COST:
        return "they cost the same, so the more available is ranked first";
    case QR_RANK_VALUE:
        return "they have the same value to 0.001, so the cheaper is ranked first";
    }
    return "?";
}

/* The designs tied with the winner, then the best of the others; or the
 * runner-up when the winner is alone. */
static void put_runner_up(qr_strbuf *b, const qr_scorecard *cards, int ranked, const int *order,
                          qr_rank_by by)
{
    const qr_scorecard *w = &cards[order[0]];
    int group = 1;
    while (group < ranked && cards[order[group]].rank == w->rank)
        group++;
    if (group > 1) {
        qr_strbuf_addf(b, "It ties with ");
        for (int k = 1; k < group; k++) {
            const qr_scorecard *s = &cards[order[k]];
            qr_strbuf_addf(b, "%s", k == 1 ? "" : k + 1 == group ? " and " : "; ");
            put_design(b, s);
            if (s->have_diff) {
                qr_strbuf_addf(b, ", whose worst feature, %s, is down %.1f min/yr (%+.2f, ",
                               worst_name(s), worst_downtime(s), s->diff.mean);
                put_paired(b, s);
                qr_strbuf_addf(b, ")");
            }
        }
        qr_strbuf_addf(b, ": %s. ", tie_reason(by));
        if (group == ranked)
            return;
    }
    const qr_scorecard *r = &cards[order[group]];
    qr_strbuf_addf(b, "%s ", group > 1 ? "The best of the others is" : "The runner-up is");
    put_design(b, r);
    if (r->tied) {
        qr_strbuf_addf(b, ", tied with ");
        for (int k = group + 1; k < ranked && cards[order[k]].rank == r->rank; k++)
            qr_strbuf_addf(b, "%s%s", k == group + 1 ? "" : " and ", cards[order[k]].label);
    }
    if (w->have_operation && r->have_operation) {
        double d = worst_downtime(r) - worst_downtime(w);
        double c = r->cost.total - w->cost.total;
        qr_strbuf_addf(b, ", whose worst feature, %s, is down %.1f min/yr: ", worst_name(r),
                       worst_downtime(r));
        if (key_downtime(worst_downtime(r)) == key_downtime(worst_downtime(w)))
            qr_strbuf_addf(
                b, "the winner has the same downtime on its worst feature (to 0.1 min/yr) ");
        else
            qr_strbuf_addf(b, "the winner has %.1f min/yr %s downtime on its worst feature ",
                           fabs(d), d >= 0 ? "less" : "more");
        if (fabs(c) < 5e-7)
            qr_strbuf_addf(b, "at the same cost");
        else
            qr_strbuf_addf(b, "for %.2f %s a year", fabs(c), c > 0 ? "less" : "more");
        if (r->have_diff) {
            qr_strbuf_addf(b, " (");
            put_paired(b, r);
            qr_strbuf_addf(b, ")");
        }
    }
    qr_strbuf_addf(b, ". ");
}

/* Why a simulated design loses what it loses on its worst feature. */
static void put_cause(qr_strbuf *b, const qr_scorecard *s)
{
    double op = worst_downtime(s);
    if (s->have_paper) {
        double paper = paper_downtime(s, s->worst);
        double gap = op - paper;
        qr_strbuf_addf(b, "%.1f min/yr on %s in operation against %.1f on paper: ", op,
                       worst_name(s), paper);
        /* the paper value against the operation's 95% CI (not symmetric) */
        const sim_stat *ci = &s->operation.f[s->worst].availability;
        double paper_a = s->paper[s->worst];
        if (paper_a < ci->low) {
            qr_strbuf_addf(
                b, "less than on paper, beyond the 95%% confidence interval, mainly because "
                   "the static M9 view rebuilds and re-places no routing-group replica (M2.3) "
                   "and so overstates this design's losses");
        } else if (paper_a <= ci->high && gap <= paper) {
            qr_strbuf_addf(b, "in the structure itself (operation is within the 95%% confidence "
                              "interval of the paper value)");
        } else if (gap > paper) {
            qr_strbuf_addf(b,
                           "mostly in operation, %.1f min/yr lost to quorum stickiness, failover "
                           "times and waiting for an operator, with %.2f pool quorum losses and "
                           "%.2f soft quorum resets a year",
                           gap, s->operation.quorum_losses_year.mean,
                           s->operation.soft_resets_year.mean);
            if (s->m18_exposed)
                qr_strbuf_addf(
                    b, " (the M1.8 case: with two seed front ends the pool counts the Back "
                       "End vote, so an unexpected loss of the front end that also holds the "
                       "SQL principal (or AlwaysOn primary) takes two of three votes and "
                       "loses pool quorum until a soft reset, while on paper the failover is "
                       "instant)");
        } else {
            qr_strbuf_addf(b, "mostly in the structure itself (%.1f min/yr even on paper)", paper);
        }
    } else {
        qr_strbuf_addf(
            b,
            "%.1f min/yr on %s in operation (too big to compute on paper), with %.2f pool "
            "quorum losses and %.2f soft quorum resets a year",
            op, worst_name(s), s->operation.quorum_losses_year.mean,
            s->operation.soft_resets_year.mean);
    }
    qr_strbuf_addf(b, "; it has ");
    put_spofs(b, s);
}

char *qr_scorecard_recommend(const qr_scorecard *cards, int n, const int *order, qr_rank_by by)
{
    qr_strbuf b = QR_STRBUF_INIT;
    int ranked = 0;
    for (int k = 0; k < n; k++)
        if (cards[order[k]].rank > 0)
            ranked++;
    qr_strbuf_addf(&b, "Ranked by %s: %s. ", qr_rank_by_name(by), qr_rank_by_definition(by));
    if (ranked == 0) {
        qr_strbuf_addf(&b, "No design could be ranked: none could be simulated in operation.");
    } else {
        const qr_scorecard *w = &cards[order[0]];
        qr_strbuf_addf(&b, "Recommended: ");
        put_design(&b, w);
        if (w->have_operation) {
            qr_strbuf_addf(&b,
                           ", whose worst feature, %s, is down %.1f min/yr in operation (%.5f%%, "
                           "%.2f outages/yr)",
                           worst_name(w), worst_downtime(w),
                           100 * qr_scorecard_worst_availability(w),
                           w->operation.f[w->worst].outages_year.mean);
        } else {
            qr_strbuf_addf(&b, ", not simulated in operation (%s)", w->operation_reason);
        }
        qr_strbuf_addf(&b, ". ");
        if (ranked >= 2)
            put_runner_up(&b, cards, ranked, order, by);
        if (w->have_operation && w->have_paper) {
            double paper = paper_downtime(w, w->worst);
            qr_strbuf_addf(
                &b,
                "On paper (M9) the winner's worst feature would be down %.1f min/yr; the "
                "%.1f min/yr %s in operation are the price of quorum stickiness, failover "
                "times, patch nights and waiting for an operator (%.2f soft quorum resets "
                "a year). ",
                paper, fabs(worst_downtime(w) - paper),
                worst_downtime(w) >= paper ? "more" : "less (simulation noise)",
                w->operation.soft_resets_year.mean);
        }
        /* Why the design with the most downtime on its worst feature (other
         * than the winner) loses it. */
        int lo = -1;
        for (int k = 1; k < ranked; k++) {
            const qr_scorecard *s = &cards[order[k]];
            if (s->have_operation && (lo < 0 || worst_downtime(s) > worst_downtime(&cards[lo])))
                lo = order[k];
        }
        if (lo >= 0) {
            qr_strbuf_addf(&b, "%s, %s (%s), loses ",
                           lo == order[1] ? "The runner-up" : "The least available",
                           cards[lo].label, cards[lo].notation);
            put_cause(&b, &cards[lo]);
            qr_strbuf_addf(&b, ". ");
        }
        /* The highest price of operation, when another design pays it: where
         * the paper ranking and the operation ranking part. */
        int hi = -1;
        for (int k = 1; k < ranked; k++) {
            const qr_scorecard *s = &cards[order[k]];
            if (s->have_operation && s->have_paper &&
                (hi < 0 || worst_gap(s) > worst_gap(&cards[hi])))
                hi = order[k];
        }
        if (hi >= 0 && hi != lo && worst_gap(&cards[hi]) >= 1.0) {
            qr_strbuf_addf(&b, "The highest price of operation is paid by %s (%s), which ",
                           cards[hi].label, cards[hi].notation);
            qr_strbuf_addf(&b, "loses ");
            put_cause(&b, &cards[hi]);
            qr_strbuf_addf(&b, ". ");
        }
    }
    for (int k = 0; k < n; k++) {
        const qr_scorecard *s = &cards[k];
        if (s->have_operation)
            continue;
        qr_strbuf_addf(&b, "%s (%s) could not be simulated in operation (%s)", s->label,
                       s->notation, s->operation_reason);
        if (s->have_paper)
            qr_strbuf_addf(&b, "; on paper its worst feature, %s, is down %.1f min/yr",
                           worst_name(s), paper_downtime(s, s->worst));
        qr_strbuf_addf(&b, ". ");
    }
    int units = 0;
    for (int k = 0; k < n; k++)
        units |= 1 << cards[k].cost.unit;
    if (units & (1 << QR_COST_UNIT_MIXED) || (units & (units - 1)))
        qr_strbuf_addf(&b,
                       "Costs are not in one unit across these designs (some come from the "
                       "topologies, some are server-equivalents of the cost rules): price every "
                       "part in the topologies, or give --server-cost in their currency. ");
    /* Drop the trailing space. */
    if (b.len > 0 && b.buf[b.len - 1] == ' ')
        qr_strbuf_truncate(&b, b.len - 1);
    return qr_strbuf_detach(&b);
}
