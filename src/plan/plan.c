/*
 * plan.c: scoring and choosing of `quorate plan` (plan.h). Every
 * candidate gets a scorecard (src/compare/scorecard.h): cost and SPOFs and, first,
 * only its exact M9 values, which are cheap (milliseconds). The paper
 * filter keeps for the full simulation the candidates on the paper Pareto
 * front of (cost, worst feature on paper) and those that meet every target
 * on paper; the others are reported as cut. The simulated ones get the
 * Pareto front of (cost, worst feature's simulated availability) and the
 * choice of qr_plan_choose(), explained in words by qr_plan_explain().
 *
 * Deterministic: the same requirements and run options give the same
 * plan, whatever the thread count (sim_run's summaries do not depend on
 * it, and every choice here breaks ties by generation order).
 */
#include "plan/plan.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "exact/exact.h"
#include "exact/exact_pairing.h"

/* ---- Pareto front ---- */

void qr_plan_pareto(const double *cost, const double *avail, int n, char *on_front)
{
    for (int i = 0; i < n; i++) {
        on_front[i] = !isnan(cost[i]) && !isnan(avail[i]);
        for (int j = 0; j < n && on_front[i]; j++) {
            if (j == i || isnan(cost[j]) || isnan(avail[j]))
                continue;
            if (cost[j] <= cost[i] && avail[j] >= avail[i] &&
                (cost[j] < cost[i] || avail[j] > avail[i]))
                on_front[i] = 0;
        }
    }
}

/* ---- the choice ---- */

/* The built-in feature (0 .. QR_DEFAULT_FEATURE_COUNT-1) whose target
 * judges row j of s, or -1: the row itself, or, in a design with several
 * pools (M10), a pool's users' copy "POOL.FEATURE" of it, so that every
 * pool's users meet the target, not only their mean. */
static int target_of(const qr_scorecard *s, int j)
{
    if (j < QR_DEFAULT_FEATURE_COUNT)
        return j < s->n_features ? j : -1;
    const char *dot = s->feature_names && s->feature_names[j] ? strchr(s->feature_names[j], '.')
                                                                : NULL;
    for (int k = 0; dot && k < QR_DEFAULT_FEATURE_COUNT && k < s->n_features; k++)
        if (s->feature_names[k] && strcmp(dot + 1, s->feature_names[k]) == 0)
            return k;
    return -1;
}

double qr_plan_row_target(const qr_requirements *r, const qr_scorecard *s, int j)
{
    int k = target_of(s, j);
    return k >= 0 && r->target[k] > 0 ? r->target[k] : 0;
}

double qr_plan_shortfall(const qr_requirements *r, const qr_scorecard *s, int *feature)
{
    if (feature)
        *feature = -1;
    if (!s->have_operation)
        return NAN;
    double worst = -INFINITY;
    for (int j = 0; j < s->n_features; j++) {
        int k = target_of(s, j);
        if (k < 0 || r->target[k] <= 0)
            continue;
        /* Rare events: with fewer than SIM_FEW_OUTAGES outages observed the
         * normal-theory CI is unreliable (measures.h) and a short run may
         * simply not have met the rare failure (a site down for a day once
         * in ten years); the exact M9 value then bounds it too. The same
         * bound judges compare's and simulate's --target. */
        double low = qr_target_bound(&s->operation.f[j], s->have_paper ? s->paper[j] : NAN);
        double gap = (r->target[k] - low) * QR_MINUTES_PER_YEAR;
        if (gap > worst) {
            worst = gap;
            if (feature)
                *feature = j;
        }
    }
    return worst;
}

static bool within_budget(const qr_requirements *r, const qr_scorecard *s)
{
    return s->cost.total <= r->budget + 1e-9;
}

static bool meets(const qr_requirements *r, const qr_scorecard *s)
{
    double gap = qr_plan_shortfall(r, s, NULL);
    return !isnan(gap) && gap <= 0;
}

/* True when a is a better pick than b under the meeting rule: cheaper,
 * then more available on its worst feature. */
static bool better_meeting(const qr_scorecard *a, const qr_scorecard *b)
{
    if (fabs(a->cost.total - b->cost.total) > 1e-6)
        return a->cost.total < b->cost.total;
    return qr_scorecard_worst_availability(a) > qr_scorecard_worst_availability(b);
}

/* The same under the fallback rule: smaller shortfall (to 0.1 min/yr),
 * then cheaper. */
static bool better_fallback(const qr_requirements *r, const qr_scorecard *a,
                            const qr_scorecard *b)
{
    double ga = qr_plan_shortfall(r, a, NULL), gb = qr_plan_shortfall(r, b, NULL);
    if (llround(ga * 10) != llround(gb * 10))
        return ga < gb;
    return a->cost.total < b->cost.total - 1e-6;
}

int qr_plan_choose(const qr_requirements *r, const qr_scorecard *cards, int n, bool *met)
{
    int best = -1;
    *met = false;
    for (int i = 0; i < n; i++)
        if (meets(r, &cards[i]) && within_budget(r, &cards[i]) &&
            (best < 0 || better_meeting(&cards[i], &cards[best])))
            best = i;
    if (best >= 0) {
        *met = true;
        return best;
    }
    bool any_within = false;
    for (int i = 0; i < n; i++)
        any_within |= cards[i].have_operation && within_budget(r, &cards[i]);
    for (int i = 0; i < n; i++) {
        if (!cards[i].have_operation || (any_within && !within_budget(r, &cards[i])))
            continue;
        if (best < 0 || better_fallback(r, &cards[i], &cards[best]))
            best = i;
    }
    return best;
}

/* ---- running the plan ---- */

static bool meets_on_paper(const qr_requirements *r, const qr_scorecard *s)
{
    if (!s->have_paper)
        return false;
    for (int j = 0; j < s->n_features; j++) {
        int k = target_of(s, j);
        if (k >= 0 && r->target[k] > 0 && s->paper[j] < r->target[k])
            return false;
    }
    return true;
}

static double paper_worst(const qr_scorecard *s)
{
    if (!s->have_paper)
        return NAN;
    double w = 1.0;
    for (int k = 0; k < s->n_features; k++)
        if (s->paper[k] < w)
            w = s->paper[k];
    return w;
}

int qr_plan_run(const qr_requirements *r, const sim_run_options *run, qr_plan *out)
{
    int ret = -1;
    memset(out, 0, sizeof(*out));
    out->winner = -1;
    double *cost = NULL, *avail = NULL;
    char *paper_front = NULL;
    if (qr_plan_candidates_generate(r, &out->cands) != 0)
        goto cleanup;
    int n = out->cands.n;
    qr_cost_rules rules;
    qr_requirements_cost_rules(r, &rules);
    out->cards = calloc((size_t)n + 1, sizeof(*out->cards));
    out->status = calloc((size_t)n + 1, sizeof(*out->status));
    out->on_front = calloc((size_t)n + 1, 1);
    out->front = calloc((size_t)n + 1, sizeof(int));
    cost = calloc((size_t)n + 1, sizeof(double));
    avail = calloc((size_t)n + 1, sizeof(double));
    paper_front = calloc((size_t)n + 1, 1);
    if (!out->cards || !out->status || !out->on_front || !out->front || !cost || !avail ||
        !paper_front)
        goto cleanup;

    /* Paper first, through the exact view alone (milliseconds each). */
    for (int i = 0; i < n; i++) {
        const qr_topology *t = out->cands.items[i].topo;
        qr_scorecard *s = &out->cards[i];
        s->n_features = t->n_features;
        s->paper = calloc((size_t)t->n_features + 1, sizeof(double));
        if (!s->paper)
            goto cleanup;
        s->paper_status =
            qr_topology_is_paired(t) /* two pools: M9 with every M10 delay zero */
                ? sim_exact_pairing(t, s->paper, NULL, NULL, s->paper_reason,
                                    sizeof(s->paper_reason))
                : sim_exact_availability(t, s->paper, &s->paper[t->n_features], s->paper_reason,
                                         sizeof(s->paper_reason));
        /* Out of memory is ours, not a design too large to enumerate (-2,
         * simulated without paper values): the plan fails with -1. */
        if (s->paper_status == -1)
            goto cleanup;
        s->have_paper = s->paper_status == 0;
        if (qr_scorecard_cost(t, &rules, &s->cost) != 0)
            goto cleanup;
        cost[i] = s->cost.total;
        avail[i] = paper_worst(s);
    }
    qr_plan_pareto(cost, avail, n, paper_front);
    for (int i = 0; i < n; i++) {
        qr_scorecard *s = &out->cards[i];
        /* A design Microsoft does not support is never simulated nor
         * recommended unless the requirements allow it. */
        bool refused = out->cands.items[i].n_unsupported > 0 && !r->allow_unsupported;
        bool keep = !refused && (paper_front[i] || meets_on_paper(r, s) || !s->have_paper);
        /* The full scorecard; a cut candidate gets it with no replication,
         * which sim_run refuses: paper values, cost and SPOFs only. */
        qr_scorecard_release(s);
        sim_run_options o = *run;
        if (!keep)
            o.runs = 0;
        if (qr_scorecard_compute(out->cands.items[i].topo, &o, &rules, s) != 0 ||
            s->paper_status == -1) /* out of memory on paper: ours, as above */
            goto cleanup;
        if (s->have_operation) {
            out->status[i] = QR_PLAN_SIMULATED;
            out->n_simulated++;
        } else if (refused) {
            out->status[i] = QR_PLAN_UNSUPPORTED;
            snprintf(s->operation_reason, sizeof(s->operation_reason),
                     "left out: Microsoft does not support it: %.200s",
                     out->cands.items[i].unsupported);
        } else if (!keep) {
            out->status[i] = QR_PLAN_PAPER_CUT;
            snprintf(s->operation_reason, sizeof(s->operation_reason),
                     "left out on paper: dominated, and misses a target even in M9");
        } else {
            out->status[i] = QR_PLAN_NOT_SCORED;
        }
    }
    for (int i = 0; i < n; i++) {
        cost[i] = out->cards[i].cost.total;
        avail[i] = out->cards[i].have_operation ? qr_scorecard_worst_availability(&out->cards[i])
                                                : NAN;
    }
    qr_plan_pareto(cost, avail, n, out->on_front);
    for (int i = 0; i < n; i++)
        if (out->on_front[i]) {
            /* Insert by cost (then generation order). */
            int j = out->n_front++;
            while (j > 0 && cost[out->front[j - 1]] > cost[i] + 1e-9) {
                out->front[j] = out->front[j - 1];
                j--;
            }
            out->front[j] = i;
        }
    out->winner = qr_plan_choose(r, out->cards, n, &out->meets);
    out->explanation = qr_plan_explain(r, out);
    if (out->explanation)
        ret = 0;
cleanup:
    free(cost);
    free(avail);
    free(paper_front);
    if (ret != 0)
        qr_plan_release(out);
    return ret;
}

void qr_plan_release(qr_plan *p)
{
    if (!p)
        return;
    if (p->cards)
        for (int i = 0; i < p->cands.n; i++)
            qr_scorecard_release(&p->cards[i]);
    free(p->cards);
    free(p->status);
    free(p->on_front);
    free(p->front);
    free(p->explanation);
    qr_plan_candidates_release(&p->cands);
    memset(p, 0, sizeof(*p));
    p->winner = -1;
}

/* ---- the explanation ---- */

static double downtime(const qr_scorecard *s, int k)
{
    return s->operation.f[k].downtime_min_year.mean;
}

/* SPOFs that can fail (a site that never fails is one only in name). */
static int failing_spofs(const qr_scorecard *s)
{
    int count = 0;
    for (int j = 0; j < s->n_spofs; j++)
        count += s->spof_fails[j];
    return count;
}

/* Why design s falls short (or what it loses): its worst targeted feature
 * and the cause in the model's terms. */
static void put_loss(qr_strbuf *b, const qr_requirements *r, const qr_scorecard *s)
{
    int k;
    double gap = qr_plan_shortfall(r, s, &k);
    if (k < 0)
        k = s->worst;
    int tk = target_of(s, k);
    double target = tk >= 0 ? r->target[tk] : 0;
    double allowed = target > 0 ? (1 - target) * QR_MINUTES_PER_YEAR : NAN;
    qr_strbuf_addf(b, "%s is down %.1f min/yr", s->feature_names[k], downtime(s, k));
    if (!isnan(allowed))
        qr_strbuf_addf(
            b, " (%.5f%%, 95%% CI down to %.5f%%) against the %.1f min/yr that %.10g%% allows",
            100 * s->operation.f[k].availability.mean, 100 * s->operation.f[k].availability.low,
            allowed, 100 * target);
    (void)gap;
    const sim_feature_summary *f = &s->operation.f[k];
    if (f->outages_observed < SIM_FEW_OUTAGES && s->have_paper &&
        s->paper[k] < f->availability.low)
        qr_strbuf_addf(b,
                       " (only %ld outage%s observed, too few for the CI: its exact M9 value, "
                       "%.5f%%, bounds it)",
                       f->outages_observed, f->outages_observed == 1 ? "" : "s", 100 * s->paper[k]);
    double paper = s->have_paper ? qr_scorecard_downtime(s->paper[k]) : NAN;
    double resets = s->operation.soft_resets_year.mean;
    if (s->m18_exposed && resets > 0) {
        qr_strbuf_addf(
            b,
            ": it loses %.1f min/yr beyond paper (%.2f soft quorum resets a year) when the "
            "server holding the SQL principal (or AlwaysOn primary) fails unexpectedly, "
            "since with two seed front ends the Back End is the third vote (M1.8)",
            isnan(paper) ? downtime(s, k) : downtime(s, k) - paper, resets);
    } else if (!isnan(paper) && downtime(s, k) - paper > 1.0 && downtime(s, k) > 2 * paper) {
        qr_strbuf_addf(
            b,
            ": %.1f min/yr of it in operation (quorum stickiness, failover times, waiting "
            "for an operator: %.2f pool quorum losses and %.2f soft resets a year)",
            downtime(s, k) - paper, s->operation.quorum_losses_year.mean, resets);
    } else if (failing_spofs(s) > 0) {
        int count = failing_spofs(s), shown = 0;
        qr_strbuf_addf(b, ": single point%s of failure ", count == 1 ? "" : "s");
        for (int j = 0; j < s->n_spofs && shown < 3; j++)
            if (s->spof_fails[j])
                qr_strbuf_addf(b, "%s%s", shown++ ? ", " : "", s->spof_names[j]);
        if (count > 3)
            qr_strbuf_addf(b, ", ...");
        if (!isnan(paper))
            qr_strbuf_addf(b, " (%.1f min/yr even on paper)", paper);
    } else if (!isnan(paper)) {
        qr_strbuf_addf(b, ", %.1f min/yr of it already on paper (M9)", paper);
    }
}

static void put_design(qr_strbuf *b, const qr_scorecard *s)
{
    qr_strbuf_addf(b, "%s (%s, %d full server%s, cost %.2f/yr)", s->label, s->notation,
                   s->cost.full_servers, s->cost.full_servers == 1 ? "" : "s", s->cost.total);
}

char *qr_plan_explain(const qr_requirements *r, const qr_plan *p)
{
    qr_strbuf b = QR_STRBUF_INIT;
    int n = p->cands.n;
    qr_strbuf_addf(&b,
                   "Rule: the cheapest design whose every target is met at the lower bound of its "
                   "95%% confidence interval%s; none such: the one closest to its targets%s. ",
                   isinf(r->budget) ? "" : ", within the budget",
                   isinf(r->budget) ? "" : " within the budget");
    if (p->winner < 0) {
        qr_strbuf_addf(&b, "No design could be simulated, so none is recommended.");
    } else {
        const qr_scorecard *w = &p->cards[p->winner];
        if (p->meets) {
            qr_strbuf_addf(&b, "Recommended: ");
            put_design(&b, w);
            /* The tightest target: the smallest margin at the CI bound. */
            int tight;
            double gap = qr_plan_shortfall(r, w, &tight);
            if (tight < 0) {
                qr_strbuf_addf(&b, ". There is no target, so the cheapest simulated design wins. ");
            } else {
                const sim_feature_summary *f = &w->operation.f[tight];
                qr_strbuf_addf(
                    &b,
                    ". It meets every target at the 95%% CI lower bound; the tightest is "
                    "%s, %.5f%% (CI low %.5f%%) against %.10g%%: %.1f min/yr down where "
                    "%.1f are allowed, a margin of %.1f min/yr. ",
                    w->feature_names[tight], 100 * f->availability.mean, 100 * f->availability.low,
                    100 * r->target[target_of(w, tight)], f->downtime_min_year.mean,
                    (1 - r->target[target_of(w, tight)]) * QR_MINUTES_PER_YEAR, -gap);
            }
            int same = 0;
            for (int i = 0; i < n; i++)
                if (i != p->winner && meets(r, &p->cards[i]) &&
                    fabs(p->cards[i].cost.total - w->cost.total) <= 1e-6)
                    same++;
            if (same > 0)
                qr_strbuf_addf(&b,
                               "%d other design%s at the same cost also meet%s the targets, with a "
                               "worst feature no more available. ",
                               same, same == 1 ? "" : "s", same == 1 ? "s" : "");
        } else {
            qr_strbuf_addf(&b, "No design meets every target");
            if (!isinf(r->budget))
                qr_strbuf_addf(&b, " within the budget of %.2f/yr", r->budget);
            qr_strbuf_addf(&b, ". ");
            int cheapest_meeting = -1;
            for (int i = 0; i < n; i++)
                if (meets(r, &p->cards[i]) &&
                    (cheapest_meeting < 0 ||
                     better_meeting(&p->cards[i], &p->cards[cheapest_meeting])))
                    cheapest_meeting = i;
            if (cheapest_meeting >= 0) {
                qr_strbuf_addf(&b, "The cheapest that meets them is ");
                put_design(&b, &p->cards[cheapest_meeting]);
                qr_strbuf_addf(&b, ", over the budget by %.2f. ",
                               p->cards[cheapest_meeting].cost.total - r->budget);
            }
            qr_strbuf_addf(&b, "Best available: ");
            put_design(&b, w);
            qr_strbuf_addf(&b, ", where ");
            put_loss(&b, r, w);
            qr_strbuf_addf(&b, ". ");
        }
        const qr_plan_candidate *wc = &p->cands.items[p->winner];
        if (wc->n_unsupported > 0)
            qr_strbuf_addf(&b,
                           "WARNING: Microsoft does not support this design: `quorate check` "
                           "reports %d finding%s of a configuration Microsoft does not "
                           "support, first: %s. It is recommended only because the "
                           "requirements say allow_unsupported: true. ",
                           wc->n_unsupported, wc->n_unsupported == 1 ? "" : "s",
                           wc->unsupported);
        if (wc->n_warnings > 0)
            qr_strbuf_addf(&b, "`quorate check` warns about it %d time%s, first: %s. ",
                           wc->n_warnings, wc->n_warnings == 1 ? "" : "s", wc->warning);
        /* The cheaper designs the winner beat, and why each lost: the
         * closest cheaper one (the one an architect would ask about). */
        int cheaper = -1;
        for (int i = 0; i < n; i++) {
            const qr_scorecard *s = &p->cards[i];
            if (i == p->winner || !s->have_operation || s->cost.total >= w->cost.total - 1e-6)
                continue;
            if (cheaper < 0 || s->cost.total > p->cards[cheaper].cost.total + 1e-6 ||
                (fabs(s->cost.total - p->cards[cheaper].cost.total) <= 1e-6 &&
                 qr_plan_shortfall(r, s, NULL) < qr_plan_shortfall(r, &p->cards[cheaper], NULL)))
                cheaper = i;
        }
        if (cheaper >= 0) {
            qr_strbuf_addf(&b, "The best cheaper design, ");
            put_design(&b, &p->cards[cheaper]);
            qr_strbuf_addf(&b, ", is not enough: ");
            put_loss(&b, r, &p->cards[cheaper]);
            qr_strbuf_addf(&b, ". ");
        } else if (p->meets) {
            qr_strbuf_addf(&b, "No simulated design is cheaper. ");
        }
        /* The most available design, when it is not the winner: what the
         * extra money would buy. */
        int top = -1;
        for (int i = 0; i < n; i++)
            if (p->cards[i].have_operation &&
                (top < 0 || qr_scorecard_worst_availability(&p->cards[i]) >
                                qr_scorecard_worst_availability(&p->cards[top])))
                top = i;
        if (top >= 0 && top != p->winner) {
            const qr_scorecard *t = &p->cards[top];
            qr_strbuf_addf(&b, "The most available design, ");
            put_design(&b, t);
            qr_strbuf_addf(
                &b,
                ", has its worst feature, %s, down %.1f min/yr against the winner's %.1f "
                "(%s) for %.2f more a year. ",
                t->feature_names[t->worst], downtime(t, t->worst), downtime(w, w->worst),
                w->feature_names[w->worst], t->cost.total - w->cost.total);
        }
    }
    int cut = 0, unsupported = 0, first = -1;
    for (int i = 0; i < n; i++) {
        cut += p->status[i] == QR_PLAN_PAPER_CUT;
        if (p->status[i] == QR_PLAN_UNSUPPORTED && unsupported++ == 0)
            first = i;
    }
    if (unsupported > 0)
        qr_strbuf_addf(&b,
                       "%d candidate%s left out because Microsoft does not support %s "
                       "(first: %s: %s); the requirements key allow_unsupported: true "
                       "would let %s in. ",
                       unsupported, unsupported == 1 ? " was" : "s were",
                       unsupported == 1 ? "it" : "them", p->cards[first].label,
                       p->cands.items[first].unsupported, unsupported == 1 ? "it" : "them");
    qr_strbuf_addf(&b,
                   "%d candidate%s generated, %d refused by the design rules, %d left out on paper "
                   "(dominated and missing a target even in the exact M9 view), %d simulated.",
                   p->cands.n_generated, p->cands.n_generated == 1 ? "" : "s", p->cands.n_dropped,
                   cut, p->n_simulated);
    return qr_strbuf_detach(&b);
}
