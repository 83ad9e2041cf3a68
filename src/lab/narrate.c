/*
 * narrate.c: the narrator of the training-lab timelines (narrate.h): turns
 * the diff of two snapshots (taken by narrate_vocab.c) into words in a fixed order
 * (components, pool, Back End, file store, routing groups, clusters,
 * features, then advice), which makes the timeline deterministic.
 */
#include "lab/narrate_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/scenario.h"
#include "model/ccf.h"
#include "util/strbuf.h"

/* ---- text ---- */

const char *qr_narrate_clock(double seconds, char *buf, size_t size)
{
    if (!(seconds >= 0) || !isfinite(seconds))
        seconds = 0;
    long long ms = llround(seconds * 1000.0);
    long long s = ms / 1000;
    int frac = (int)(ms % 1000);
    if (frac)
        snprintf(buf, size, "%02lld:%02lld:%02lld.%03d", s / 3600, s / 60 % 60, s % 60, frac);
    else
        snprintf(buf, size, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

static const char *backend_word(const qr_topology *t)
{
    switch (t->pool.backend.kind) {
    case QR_BACKEND_MIRRORING: return "SQL principal";
    case QR_BACKEND_ALWAYSON: return "AlwaysOn primary";
    case QR_BACKEND_FCI: return "SQL instance";
    default: return "SQL server";
    }
}

const char *qr_narrate_migrate_refusal(const qr_topology *t, sim_migrate_check c, int vm,
                                       int h, int partner, char *buf, size_t size)
{
    const char *vn = qr_topology_comp_name(t, vm), *hn = qr_topology_comp_name(t, h);
    switch (c) {
    case SIM_MIGRATE_OK:
        snprintf(buf, size, "%s can move to %s", vn, hn);
        break;
    case SIM_MIGRATE_NOT_VM:
        snprintf(buf, size, "%s is no virtual machine (a server with a host)", vn);
        break;
    case SIM_MIGRATE_NOT_HOST:
        snprintf(buf, size, "%s is no host of the site of %s", hn, vn);
        break;
    case SIM_MIGRATE_SAME_HOST:
        snprintf(buf, size, "%s runs on %s already", vn, hn);
        break;
    case SIM_MIGRATE_HOST_DOWN:
        snprintf(buf, size, "host %s is down", hn);
        break;
    case SIM_MIGRATE_NO_ROOM:
        snprintf(buf, size, "host %s is full (capacity %d VMs)", hn,
                 h >= 0 && h < t->n_comps ? t->comps[h].capacity : 0);
        break;
    case SIM_MIGRATE_ANTI_AFFINITY:
        snprintf(buf, size, "host %s runs %s, of an anti-affinity group of %s (M0.5)", hn,
                 qr_topology_comp_name(t, partner), vn);
        break;
    case SIM_MIGRATE_NO_LIVE:
        snprintf(buf, size,
                 "%s is running and this design does not live-migrate "
                 "(virtualization.live_migration: false; Microsoft does not support moving a "
                 "running Skype for Business server): shut it down first",
                 vn);
        break;
    }
    return buf;
}

/* Append to buf at *o (bounded: stops at size - 1). */
static void why_add(char *buf, size_t size, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void why_add(char *buf, size_t size, size_t *o, const char *fmt, ...)
{
    if (*o >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *o, size - *o, fmt, ap);
    va_end(ap);
    if (n > 0)
        *o += (size_t)n;
}

/* The latent faults shown on server i (M7.3) that break it whole (server)
 * or features: what they are and the way out. */
static void why_latent(const qr_topology *t, const sim_engine *e, int i, bool server, char *buf,
                       size_t size, size_t *o)
{
    char fix[32];
    for (int f = 0; f < t->n_latent; f++) {
        const qr_latent_fault *lf = &t->latent[f];
        if (lf->breaks_server != server || sim_engine_latent(e, f, i) != SIM_LATENT_SHOWN)
            continue;
        qr_scenario_format_time(lf->fix, fix, sizeof(fix));
        if (server) {
            why_add(buf, size, o,
                    "; it showed latent fault %s at its start (M7.3) and does not start until "
                    "the fault is fixed, %s after it showed: then it starts by itself",
                    lf->name, fix);
            continue;
        }
        why_add(buf, size, o, "; latent fault %s shown at its start (M7.3) breaks ", lf->name);
        for (int k = 0; k < lf->n_features; k++)
            why_add(buf, size, o, "%s%s", k ? ", " : "", t->features[lf->features[k]].name);
        why_add(buf, size, o, " for the users it serves until it is fixed, %s after it showed",
                fix);
    }
}

/* A common cause (common_cause:) holds i down: its group, the members it
 * holds with i, the way out. */
static void why_ccf(const qr_topology *t, const sim_engine *e, int i, char *buf, size_t size,
                    size_t *o)
{
    int g = qr_ccf_group_of(t, i);
    const char *name = qr_topology_comp_name(t, i);
    why_add(buf, size, o, "%s is held down by a common-cause failure of group %s", name,
            g >= 0 ? t->ccf[g].name : "?");
    int n = 0;
    for (int k = 0; g >= 0 && k < t->ccf[g].n_members; k++) {
        int m = t->ccf[g].members[k];
        if (m != i && sim_engine_ccf_hold(e, m) > 0)
            why_add(buf, size, o, "%s%s", n++ ? ", " : " (with ", t->comps[m].name);
    }
    why_add(buf, size, o, "%s: its members come back together when the common cause is "
                          "repaired; a repair of %s alone does not end it",
            n ? ")" : "", name);
    sim_comp_state own = sim_engine_own_state(e, i);
    if (own != SIM_UP)
        why_add(buf, size, o, ", and %s is also %s on its own: %s %s", name,
                own == SIM_DOWN_GRACEFUL ? "stopped" : "crashed",
                own == SIM_DOWN_GRACEFUL ? "start" : "repair", name);
}

const char *qr_narrate_why(const qr_topology *t, const sim_engine *e, int i, char *buf,
                           size_t size)
{
    static const char *const state[] = { "up", "crashed", "stopped" };
    const char *name = qr_topology_comp_name(t, i);
    int by = sim_engine_held_by(e, i);
    int host = sim_engine_comp_host(e, i);
    size_t o = 0;
    buf[0] = '\0';
    if (by < 0) {
        why_add(buf, size, &o, "%s is up", name);
        if (host >= 0)
            why_add(buf, size, &o, ", on host %s", t->comps[host].name);
        why_latent(t, e, i, false, buf, size, &o);
    } else if (by == i && sim_engine_ccf_hold(e, i) > 0) {
        why_ccf(t, e, i, buf, size, &o);
    } else if (by == i) {
        sim_comp_state s = sim_engine_own_state(e, i);
        bool latent = false;
        for (int f = 0; f < t->n_latent; f++)
            latent |= t->latent[f].breaks_server && sim_engine_latent(e, f, i) == SIM_LATENT_SHOWN;
        if (latent) {
            why_add(buf, size, &o, "%s itself is down (%s)", name, state[s]);
            why_latent(t, e, i, true, buf, size, &o);
        } else {
            why_add(buf, size, &o, "%s itself is down (%s): %s %s", name, state[s],
                    s == SIM_DOWN_GRACEFUL ? "start" : "repair", name);
        }
    } else if (sim_engine_ccf_hold(e, by) > 0) { /* its host or site, by a common cause */
        why_add(buf, size, &o, "%s is held down by %s %s (M0.2); ", name,
                qr_comp_kind_name(t->comps[by].kind), t->comps[by].name);
        why_ccf(t, e, by, buf, size, &o);
    } else {
        sim_comp_state s = sim_engine_comp_state(e, by);
        if (t->comps[by].kind == QR_COMP_SITE && s == SIM_DOWN_GRACEFUL)
            why_add(buf, size, &o, "%s is held down by site %s (stopped, M0.2): start %s", name,
                    t->comps[by].name, t->comps[by].name);
        else
            why_add(buf, size, &o, "%s is held down by %s %s (%s, M0.2): repair %s", name,
                    qr_comp_kind_name(t->comps[by].kind), t->comps[by].name, state[s],
                    t->comps[by].name);
        if (host >= 0 && by == host) {
            int n = 0;
            for (int h = 0; h < t->n_comps; h++)
                if (sim_engine_migrate_check(e, i, h, NULL) == SIM_MIGRATE_OK)
                    why_add(buf, size, &o, "%s%s",
                            n++ ? ", " : ", or migrate it to a host that is up: ",
                            t->comps[h].name);
        }
    }
    return buf;
}

const char *qr_narrate_cause(const qr_vocab *v, const sim_step_info *info, char *buf,
                             size_t size)
{
    const qr_topology *t = v->t;
    const char *name = qr_vocab_comp_name(v, info->index);
    const char *cl = (info->index >= 0 && info->index < t->n_clusters)
                         ? t->clusters[info->index].name : "?";
    switch (info->cause) {
    case SIM_CAUSE_NONE:
        snprintf(buf, size, "nothing");
        break;
    case SIM_CAUSE_FAILURE:
        snprintf(buf, size, "%s failed (random failure)", name);
        break;
    case SIM_CAUSE_REPAIR:
        snprintf(buf, size, "%s repaired (random repair)", name);
        break;
    case SIM_CAUSE_COMMON_FAILURE:
        snprintf(buf, size, "common-cause failure (random): its members go down together");
        break;
    case SIM_CAUSE_COMMON_REPAIR:
        snprintf(buf, size, "common cause repaired: its members come back together");
        break;
    case SIM_CAUSE_ACTION:
        switch (info->action) {
        case SIM_ACT_CRASH:
            if (info->index >= 0 && t->comps[info->index].kind == QR_COMP_LINK)
                snprintf(buf, size, "link %s cut (unexpected)", name);
            else
                snprintf(buf, size, "%s crashed (unexpected)", name);
            break;
        case SIM_ACT_SHUTDOWN:
            snprintf(buf, size, "%s shut down gracefully (drained first)", name);
            break;
        case SIM_ACT_START: snprintf(buf, size, "%s started", name); break;
        case SIM_ACT_REPAIR:
            if (info->index >= 0 && t->comps[info->index].kind == QR_COMP_LINK)
                snprintf(buf, size, "link %s restored", name);
            else
                snprintf(buf, size, "%s repaired", name);
            break;
        case SIM_ACT_SOFT_RESET:
            snprintf(buf, size, "soft reset run (Reset-CsPoolRegistrarState -ResetType "
                                "QuorumLossRecovery)");
            break;
        case SIM_ACT_SQL_FAILOVER: snprintf(buf, size, "manual SQL failover run"); break;
        case SIM_ACT_MIGRATE:
            snprintf(buf, size, "the operator migrates %s to host %s (M7.6)", name,
                     qr_vocab_comp_name(v, info->host));
            break;
        case SIM_ACT_PATCH_NIGHT:
            snprintf(buf, size, "patch night started (M7.1, one member at a time)");
            break;
        case SIM_ACT_LATENT_ARM:
            snprintf(buf, size, "latent fault %s lands on its servers, hidden until each "
                                "one's next start (M7.3)",
                     info->index >= 0 && info->index < t->n_latent ? t->latent[info->index].name
                                                                   : "?");
            break;
        }
        break;
    case SIM_CAUSE_POOL_START:
        snprintf(buf, size, "pool restart time elapsed (fabric.restart_time)");
        break;
    case SIM_CAUSE_OPERATOR_RESET:
        snprintf(buf, size, "the operator runs the soft reset (operations.quorum_reset)");
        break;
    case SIM_CAUSE_BACKEND_FAILOVER:
        if (info->index == 1) /* the operator's (M3.4) */
            snprintf(buf, size, "the operator fails SQL over by hand or forces service "
                                "(operations.sql_failover.after)");
        else
            snprintf(buf, size, "%s failover time elapsed (backend.failover_time)",
                     backend_word(t));
        break;
    case SIM_CAUSE_BACKEND_RESYNC:
        snprintf(buf, size, "%s resynchronized (backend.resync_time)",
                 t->pool.backend.kind == QR_BACKEND_ALWAYSON ? "secondary replica" : "mirror");
        break;
    case SIM_CAUSE_BACKEND_GRACE:
        snprintf(buf, size, "Back End down past its grace (backend.resiliency_grace)");
        break;
    case SIM_CAUSE_FILE_STORE_FAILOVER:
        snprintf(buf, size, "file store failover time elapsed (file_store.failover_time)");
        break;
    case SIM_CAUSE_PATCH:
        snprintf(buf, size, "patch night step (M7)");
        break;
    case SIM_CAUSE_REPLICA_REBUILD: {
        int fe = info->index;
        const char *fen = (fe >= 0 && fe < t->pool.n_frontends)
                              ? t->comps[t->pool.frontends[fe]].name : "?";
        snprintf(buf, size, "replicas lost on %s rebuilt elsewhere (fabric.replica_rebuild)",
                 fen);
        break;
    }
    case SIM_CAUSE_CLUSTER_ADJUST:
        snprintf(buf, size, "cluster %s processed a lost member (cluster.quorum_adjust_delay)",
                 cl);
        break;
    case SIM_CAUSE_CLUSTER_FORCE:
        snprintf(buf, size, "the operator forces quorum on cluster %s (operations.force_quorum)",
                 cl);
        break;
    case SIM_CAUSE_HA_RESTART:
        snprintf(buf, size, "HA restarts the VMs of host %s elsewhere "
                            "(virtualization.ha.restart, M0.4)", name);
        break;
    case SIM_CAUSE_VM_FAILBACK:
        if (info->index >= 0)
            snprintf(buf, size, "%s is back on its home host after its failback restart "
                                "(virtualization.failback, M0.4)", name);
        else
            snprintf(buf, size, "failback: VMs an HA restart moved go home "
                                "(virtualization.failback, M0.4)");
        break;
    case SIM_CAUSE_HOST_MAINTENANCE:
        if (info->index >= 0)
            snprintf(buf, size, "maintenance of host %s over (M7.7)", name);
        else
            snprintf(buf, size, "host maintenance step (M7.7)");
        break;
    case SIM_CAUSE_LATENT_ARRIVE:
        snprintf(buf, size, "latent fault %s lands, hidden until the next start (M7.3)",
                 info->index >= 0 && info->index < t->n_latent ? t->latent[info->index].name
                                                               : "?");
        break;
    case SIM_CAUSE_LATENT_FIX:
    case SIM_CAUSE_LATENT_SHOW: {
        int f = -1, c = -1;
        if (sim_latent_pair_decode(t, info->index, &f, &c) != 0) {
            snprintf(buf, size, "latent fault step");
            break;
        }
        if (info->cause == SIM_CAUSE_LATENT_FIX)
            snprintf(buf, size, "latent fault %s fixed on %s (its fix time)", t->latent[f].name,
                     qr_vocab_comp_name(v, c));
        else
            snprintf(buf, size, "%s, back with its host or site, shows latent fault %s and "
                                "stops (M7.3)",
                     qr_vocab_comp_name(v, c), t->latent[f].name);
        break;
    }
    case SIM_CAUSE_LATENT_AUDIT:
        snprintf(buf, size, "health audit: hidden latent faults found and removed (M7.4)");
        break;
    }
    return buf;
}

const char *qr_narrate_votes(const qr_vocab *v, const qr_snapshot *s, char *buf, size_t size)
{
    size_t o = 0;
    static const char *const pool_state[] = { "quorum", "pool down, quorum lost",
                                                    "pool starting" };
    o += (size_t)snprintf(buf + o, size - o, "pool voters up %d of %d (%s)",
                          s->val[v->k_voters_up], s->val[v->k_voters],
                          pool_state[s->val[v->k_pool]]);
    for (int c = 0; c < v->t->n_clusters && o < size; c++) {
        int k = v->k_cluster0 + 6 * c;
        o += (size_t)snprintf(buf + o, size - o, "; cluster %s voters up %d of %d (%s)",
                              v->t->clusters[c].name, s->val[k + 1], s->val[k + 2],
                              qr_vocab_cluster_word(s->val[k]));
    }
    return buf;
}

/* What a user notices when a feature is down or degraded (M6 built-ins). */
static const char *user_phrase(const char *feature, bool degraded)
{
    static const struct {
        const char *name, *down, *degraded;
    } phrases[] = {
        { "signin_im", "cannot sign in or send IMs", "some users sign in with limited functionality" },
        { "presence", "presence is not published", "presence is stale for some users" },
        { "p2p_calls", "cannot make calls", "some calls fail" },
        { "conferencing", "cannot schedule or join meetings", "some meetings fail" },
        { "address_book", "the address book does not update", "the address book is stale for some users" },
        { "persistent_changes", "contacts and settings cannot be changed",
          "some users cannot change contacts or settings" },
    };
    for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
        if (strcmp(phrases[i].name, feature) == 0)
            return degraded ? phrases[i].degraded : phrases[i].down;
    return NULL;
}

/* The list of names of features whose code changed to `code`. */
static int list_features(const qr_vocab *v, const qr_snapshot *a, const qr_snapshot *b, int code,
                         qr_strbuf *out)
{
    int n = 0;
    for (int f = 0; f < v->t->n_features; f++) {
        int k = v->k_feature0 + f;
        if (b->val[k] == code && a->val[k] != code) {
            qr_strbuf_addf(out, "%s%s", n ? ", " : "", v->t->features[f].name);
            n++;
        }
    }
    return n;
}

static void sep(qr_strbuf *b)
{
    qr_strbuf_addf(b, " — ");
}

static void narrate_components(const qr_vocab *v, const sim_step_info *info, const qr_snapshot *a,
                               const qr_snapshot *b, qr_strbuf *out)
{
    static const char *const what[] = { "back up", "down (unexpected)", "down (graceful)" };
    static const int order[] = { 1, 2, 0 };
    for (int o = 0; o < 3; o++) {
        int sub = order[o], n = 0;
        for (int i = 0; i < v->t->n_comps; i++) {
            int k = v->k_comp0 + i;
            if (a->val[k] == b->val[k] || b->val[k] != sub)
                continue;
            if (i == info->index &&
                ((info->cause == SIM_CAUSE_ACTION && info->action != SIM_ACT_MIGRATE) ||
                 info->cause == SIM_CAUSE_FAILURE || info->cause == SIM_CAUSE_REPAIR))
                continue; /* the cause says it (a move does not say what it did) */
            if (n == 0)
                sep(out);
            qr_strbuf_addf(out, "%s%s", n ? ", " : "", v->t->comps[i].name);
            n++;
        }
        if (n)
            qr_strbuf_addf(out, " %s", what[sub]);
    }
}

/* The container that holds component i down in snapshot b (M0.2): its
 * current host (a VM), else its site; -1 when none is down. */
static int holder(const qr_vocab *v, const qr_snapshot *b, int i)
{
    const qr_topology *t = v->t;
    if (i < 0 || i >= t->n_comps || b->val[v->k_comp0 + i] == 0)
        return -1;
    for (int k = v->k_host0; k < v->k_host0 + v->n_host_keys; k++)
        if (v->keys[k].index == i) {
            int h = b->val[k];
            if (h >= 0 && b->val[v->k_comp0 + h] != 0)
                return h;
            if (h >= 0 && t->comps[h].site >= 0 && b->val[v->k_comp0 + t->comps[h].site] != 0)
                return t->comps[h].site;
            return -1;
        }
    int s = t->comps[i].site;
    return s >= 0 && s != i && b->val[v->k_comp0 + s] != 0 ? s : -1;
}

/* VMs that changed host (M0.4 HA restart, M7.6 live migration). */
static void narrate_moves(const qr_vocab *v, const qr_snapshot *a, const qr_snapshot *b,
                          qr_strbuf *out)
{
    int n = 0;
    for (int k = v->k_host0; k < v->k_host0 + v->n_host_keys; k++) {
        if (a->val[k] == b->val[k])
            continue;
        const char *vm = qr_vocab_comp_name(v, v->keys[k].index);
        const char *to = qr_vocab_comp_name(v, b->val[k]);
        if (n++ == 0)
            sep(out);
        else
            qr_strbuf_adds(out, ", ");
        qr_strbuf_addf(out, "%s now on host %s", vm, to);
    }
}

static void narrate_pool(const qr_vocab *v, bool operator_on, const qr_snapshot *a,
                         const qr_snapshot *b, qr_strbuf *out, qr_strbuf *advice)
{
    const qr_topology *t = v->t;
    int p0 = a->val[v->k_pool], p1 = b->val[v->k_pool];
    int up = b->val[v->k_voters_up], all = b->val[v->k_voters];
    bool votes_changed = up != a->val[v->k_voters_up] || all != a->val[v->k_voters];
    /* M1.2, and a seed must run (fabric.c) */
    bool majority = 2 * up > all && b->val[v->k_seeds_up] > 0;
    bool was_majority = 2 * a->val[v->k_voters_up] > a->val[v->k_voters] &&
                        a->val[v->k_seeds_up] > 0;
    if (p0 != p1) {
        sep(out);
        if (p1 == 1) {
            if (b->val[v->k_seeds_up] == 0)
                qr_strbuf_addf(out, "no seed front end runs, pool DOWN");
            else
                qr_strbuf_addf(out, "pool voters up %d of %d, quorum LOST", up, all);
            if (operator_on)
                qr_strbuf_addf(advice,
                               " — the operator will run the soft reset "
                               "(Reset-CsPoolRegistrarState -ResetType QuorumLossRecovery) "
                               "in %g min (operations.quorum_reset.after)",
                               t->params.quorum_reset_after / 60.0);
            else
                qr_strbuf_addf(advice,
                               " — an operator must run the soft reset "
                               "(Reset-CsPoolRegistrarState -ResetType QuorumLossRecovery)");
            if (!majority)
                qr_strbuf_addf(advice,
                               "; it succeeds only once more than half the voters are up "
                               "(M1.7), or the pool restarts by itself once a front end "
                               "starts and %d of its %d front ends run (M1.6)",
                               qr_pool_start_threshold(t->pool.n_frontends), t->pool.n_frontends);
            if (!majority && t->pool.n_frontends == 2 && t->params.restart_order &&
                b->val[v->k_fe_up] == 0)
                qr_strbuf_addf(advice, " — the one shut down last must come back first, or "
                                       "both together (M1.9)");
        } else if (p1 == 2) {
            qr_strbuf_addf(out,
                           "pool starting, voters up %d of %d (up after fabric.restart_time, "
                           "%g min)",
                           up, all, t->params.restart_time / 60.0);
        } else {
            qr_strbuf_addf(out, "pool UP, voters up %d of %d", up, all);
        }
        return;
    }
    if (!votes_changed)
        return;
    sep(out);
    if (p1 == 0)
        qr_strbuf_addf(out, "pool voters up %d of %d, quorum kept", up, all);
    else if (p1 == 1 && majority && !was_majority)
        qr_strbuf_addf(out, "pool voters up %d of %d: the soft reset can succeed now (M1.7)", up,
                       all);
    else
        qr_strbuf_addf(out, "pool voters up %d of %d, pool still %s", up, all,
                       p1 == 1 ? "down" : "starting");
}

static void narrate_backend(const qr_vocab *v, bool operator_on, const qr_snapshot *a,
                            const qr_snapshot *b, qr_strbuf *out, qr_strbuf *advice)
{
    const qr_topology *t = v->t;
    const qr_backend *be = &t->pool.backend;
    if (a->val[v->k_principal] != b->val[v->k_principal]) {
        sep(out);
        qr_strbuf_addf(out, "%s now %s", backend_word(t),
                       qr_vocab_comp_name(v, b->val[v->k_principal]));
    }
    if (a->val[v->k_backend] != b->val[v->k_backend]) {
        sep(out);
        if (b->val[v->k_backend] == 0) {
            qr_strbuf_addf(out, "Back End serving");
        } else {
            qr_strbuf_addf(out, "Back End DOWN");
            int p = b->val[v->k_principal];
            bool principal_up = p >= 0 && b->val[v->k_comp0 + p] == 0;
            if (be->kind == QR_BACKEND_MIRRORING && be->witness < 0 && !principal_up) {
                if (operator_on)
                    qr_strbuf_addf(advice,
                                   " — no witness: the operator fails SQL over to the "
                                   "mirror in %g min (operations.sql_failover.after, M3.4)",
                                   t->params.sql_failover_after / 60.0);
                else
                    qr_strbuf_addf(advice, " — no witness: an operator must fail SQL over to the "
                                           "mirror by hand (M3.4)");
            } else if (be->kind == QR_BACKEND_MIRRORING && !principal_up && be->witness >= 0 &&
                       b->val[v->k_comp0 + be->witness] != 0) {
                if (operator_on)
                    qr_strbuf_addf(advice,
                                   " — the witness is down too: the operator forces service "
                                   "on the mirror in %g min (operations.sql_failover.after, "
                                   "M3.4)",
                                   t->params.sql_failover_after / 60.0);
                else
                    qr_strbuf_addf(advice, " — the witness is down too: an operator must force "
                                           "service on the mirror (M3.4)");
            } else if (be->kind == QR_BACKEND_MIRRORING && !principal_up) {
                if (a->val[v->k_sync])
                    qr_strbuf_addf(advice,
                                   " — the mirror takes over after %g min if it sees the "
                                   "witness (M3.3)",
                                   be->failover_time / 60.0);
                else
                    qr_strbuf_addf(advice, " — the mirror was not synchronized: no failover, the "
                                           "Back End is down until the principal's server returns "
                                           "(M3.3)");
            } else if (be->kind == QR_BACKEND_ALWAYSON && !principal_up &&
                       be->cluster >= 0 && be->cluster < t->n_clusters &&
                       b->val[v->k_cluster0 + 6 * be->cluster] == 0) {
                qr_strbuf_addf(advice,
                               " — a synchronized replica takes over after %g min if the "
                               "cluster keeps quorum (M4.6)",
                               be->failover_time / 60.0);
            }
            if (b->val[v->k_pool] == 0)
                qr_strbuf_addf(advice,
                               " — users keep working for %g min, then resiliency mode "
                               "(M3.5)",
                               be->resiliency_grace / 60.0);
        }
    }
    if (a->val[v->k_reachable] != b->val[v->k_reachable]) {
        sep(out);
        if (b->val[v->k_reachable])
            qr_strbuf_addf(out, "the pool's side reaches the Back End again");
        else
            qr_strbuf_addf(out, "the pool's front ends are cut off from the Back End's server "
                                "(site partition): for the pool it is down");
    }
    if (a->val[v->k_sync] != b->val[v->k_sync] &&
        (be->kind == QR_BACKEND_MIRRORING || be->kind == QR_BACKEND_ALWAYSON)) {
        bool m = be->kind == QR_BACKEND_MIRRORING;
        sep(out);
        if (b->val[v->k_sync])
            qr_strbuf_addf(out, m ? "mirror synchronized" : "secondary replica synchronized");
        else
            qr_strbuf_addf(out, m ? "no synchronized mirror: the principal runs exposed"
                                  : "no synchronized secondary replica: the primary runs exposed");
    }
    if (a->val[v->k_resiliency] != b->val[v->k_resiliency]) {
        sep(out);
        qr_strbuf_addf(out, b->val[v->k_resiliency]
                                ? "users in resiliency mode: no persistent changes (M3.5)"
                                : "resiliency mode over");
    }
    if (a->val[v->k_file_store] != b->val[v->k_file_store]) {
        sep(out);
        qr_strbuf_addf(out, b->val[v->k_file_store] ? "file store DOWN" : "file store up");
    }
}

static void narrate_groups(const qr_vocab *v, bool operator_on, const qr_snapshot *a,
                           const qr_snapshot *b, qr_strbuf *out, qr_strbuf *advice)
{
    int gw = b->val[v->k_gw], gl = b->val[v->k_gl], gd = b->val[v->k_gd];
    if (gw == a->val[v->k_gw] && gl == a->val[v->k_gl] && gd == a->val[v->k_gd])
        return;
    if (b->val[v->k_pool] != 0)
        return; /* the pool is down: its groups do not matter to users */
    sep(out);
    qr_strbuf_addf(out, "routing groups %d writable, %d in quorum loss, %d with no replica", gw, gl,
                   gd);
    if (gl > a->val[v->k_gl] && b->val[v->k_pool] == 0) {
        if (operator_on)
            qr_strbuf_addf(advice, " — the operator's soft reset will reload the groups in quorum "
                                   "loss from the Back End (M2.4)");
        else
            qr_strbuf_addf(advice, " — users of the groups in quorum loss are in limited "
                                   "functionality until their replicas return or a soft reset "
                                   "reloads them (M2.4)");
    }
}

static void narrate_clusters(const qr_vocab *v, bool operator_on, const qr_snapshot *a,
                             const qr_snapshot *b, qr_strbuf *out, qr_strbuf *advice)
{
    for (int c = 0; c < v->t->n_clusters; c++) {
        int k = v->k_cluster0 + 6 * c;
        const char *name = v->t->clusters[c].name;
        int st0 = a->val[k], st1 = b->val[k];
        int up = b->val[k + 1], all = b->val[k + 2];
        bool votes = up != a->val[k + 1] || all != a->val[k + 2] || a->val[k + 3] != b->val[k + 3];
        if (st0 != st1) {
            sep(out);
            if (st1 == 1) {
                qr_strbuf_addf(out, "cluster %s quorum LOST (voters up %d of %d), its roles stop",
                               name, up, all);
                if (operator_on)
                    qr_strbuf_addf(advice, " — the operator forces quorum on %s in %g min (M4.5)",
                                   name, v->t->params.force_quorum_after / 60.0);
                else
                    qr_strbuf_addf(advice,
                                   " — %s forms again when a majority of its configured "
                                   "votes returns, or an operator forces quorum (M4.5)",
                                   name);
            } else if (st1 == 2) {
                qr_strbuf_addf(out, "cluster %s runs in forced quorum", name);
            } else {
                qr_strbuf_addf(out, "cluster %s up, voters up %d of %d", name, up, all);
            }
        } else if (votes) {
            sep(out);
            qr_strbuf_addf(out, "cluster %s voters up %d of %d%s", name, up, all,
                           b->val[k + 3] ? " (witness votes)" : "");
        }
    }
}

static void narrate_features(const qr_vocab *v, const qr_snapshot *a, const qr_snapshot *b,
                             qr_strbuf *out, qr_strbuf *users)
{
    int nf = v->t->n_features, down = 0, up = 0, changed = 0;
    for (int f = 0; f < nf; f++) {
        int k = v->k_feature0 + f;
        down += b->val[k] == 2;
        up += b->val[k] == 0;
        changed += a->val[k] != b->val[k];
    }
    if (!changed)
        return;
    sep(out);
    if (down == nf) {
        qr_strbuf_addf(out, "all features down");
    } else if (up == nf) {
        qr_strbuf_addf(out, "all features up");
    } else {
        const char *labels[] = { "up again: ", "degraded: ", "down: " };
        int parts = 0;
        for (int code = 2; code >= 0; code--) {
            qr_strbuf l = QR_STRBUF_INIT;
            int n = list_features(v, a, b, code, &l);
            if (n) {
                qr_strbuf_addf(out, "%s%s%s", parts ? "; " : "", labels[code], l.buf);
                parts++;
            }
            if (l.failed)
                out->failed = true;
            qr_strbuf_release(&l);
        }
    }
    /* What users notice now: every feature not fully up. */
    int n = 0;
    for (int code = 2; code >= 1; code--)
        for (int f = 0; f < nf; f++) {
            if (b->val[v->k_feature0 + f] != code)
                continue;
            const char *name = v->t->features[f].name;
            const char *p = user_phrase(name, code == 1);
            if (p)
                qr_strbuf_addf(users, "%s%s", n ? "; " : "", p);
            else
                qr_strbuf_addf(users, "%s%s %s", n ? "; " : "", name,
                               code == 2 ? "unavailable" : "degraded");
            n++;
        }
    if (n == 0)
        qr_strbuf_addf(users, "everything works again");
}

static void narrate_counters(const qr_vocab *v, const qr_snapshot *a, const qr_snapshot *b,
                             qr_strbuf *out)
{
    if (b->val[v->k_soft_resets] > a->val[v->k_soft_resets]) {
        sep(out);
        qr_strbuf_addf(out, "soft reset accepted (data not yet written to the Back End may be "
                            "lost)");
    }
    if (b->val[v->k_resets_failed] > a->val[v->k_resets_failed]) {
        sep(out);
        if (b->val[v->k_pool] == 1)
            qr_strbuf_addf(out, "soft reset FAILED: voters up %d of %d is not a majority (M1.7)",
                           b->val[v->k_voters_up], b->val[v->k_voters]);
        else
            qr_strbuf_addf(out, "soft reset FAILED: the Back End is down, the groups cannot be "
                                "reloaded (M2.4)");
    }
}

void qr_tl_entry_release(qr_tl_entry *en)
{
    if (!en)
        return;
    for (int i = 0; i < en->n_changed; i++) {
        if (en->from)
            free(en->from[i]);
        if (en->to)
            free(en->to[i]);
    }
    free(en->from);
    free(en->to);
    free(en->changed);
    free(en->cause);
    free(en->text);
    free(en->users);
    free(en->votes);
    memset(en, 0, sizeof(*en));
}

/* M7.3: a latent fault shown at a start, or removed before it showed. */
static void narrate_latent(const qr_vocab *v, const qr_snapshot *a, const qr_snapshot *b,
                           qr_strbuf *out)
{
    for (int i = 0; i < v->n_latent_keys; i++) {
        int k = v->k_latent0 + i, f = -1, c = -1;
        int from = a->val[k], to = b->val[k];
        if (from == to || sim_latent_pair_decode(v->t, i, &f, &c) != 0)
            continue;
        if (to == SIM_LATENT_SHOWN) {
            sep(out);
            qr_strbuf_addf(out, "%s shows latent fault %s (M7.3)", qr_vocab_comp_name(v, c),
                           v->t->latent[f].name);
        } else if (from == SIM_LATENT_HIDDEN && to == SIM_LATENT_NONE) {
            sep(out);
            qr_strbuf_addf(out, "latent fault %s removed from %s before it showed",
                           v->t->latent[f].name, qr_vocab_comp_name(v, c));
        }
    }
}

int qr_narrate(const qr_vocab *v, const sim_step_info *info, const char *note, bool operator_on,
               const qr_snapshot *a, const qr_snapshot *b, qr_tl_entry *out)
{
    memset(out, 0, sizeof(*out));
    out->time = b->now;
    out->step = -1;
    out->info = *info;
    int n = 0;
    for (int k = 0; k < v->n; k++)
        n += a->val[k] != b->val[k];
    out->changed = calloc((size_t)n + 1, sizeof(int));
    out->from = calloc((size_t)n + 1, sizeof(char *));
    out->to = calloc((size_t)n + 1, sizeof(char *));
    if (!out->changed || !out->from || !out->to)
        goto oom;
    for (int k = 0; k < v->n; k++) {
        if (a->val[k] == b->val[k])
            continue;
        char x[160], y[160];
        int i = out->n_changed++;
        out->changed[i] = k;
        out->from[i] = strdup(qr_snapshot_value(a, v, k, x, sizeof(x)));
        out->to[i] = strdup(qr_snapshot_value(b, v, k, y, sizeof(y)));
        if (!out->from[i] || !out->to[i])
            goto oom;
    }
    char cause_buf[512];
    const char *cause = note; /* a note whole, however long */
    if (!cause) {
        qr_narrate_cause(v, info, cause_buf, sizeof(cause_buf));
        cause = cause_buf;
    }
    out->cause = strdup(cause);
    qr_strbuf text = QR_STRBUF_INIT, advice = QR_STRBUF_INIT, users = QR_STRBUF_INIT;
    qr_strbuf_addf(&text, "%s", cause);
    if (n == 0 && info->cause == SIM_CAUSE_ACTION) {
        qr_strbuf_addf(&text, " — no change");
        int by = (info->action == SIM_ACT_REPAIR || info->action == SIM_ACT_START)
                     ? holder(v, b, info->index) : -1;
        if (by >= 0) /* M0.2: what keeps it down */
            qr_strbuf_addf(&text, ": %s %s is down and holds %s down",
                           qr_comp_kind_name(v->t->comps[by].kind), v->t->comps[by].name,
                           v->t->comps[info->index].name);
    }
    narrate_components(v, info, a, b, &text);
    narrate_moves(v, a, b, &text);
    narrate_pool(v, operator_on, a, b, &text, &advice);
    narrate_backend(v, operator_on, a, b, &text, &advice);
    narrate_groups(v, operator_on, a, b, &text, &advice);
    narrate_clusters(v, operator_on, a, b, &text, &advice);
    narrate_counters(v, a, b, &text);
    narrate_latent(v, a, b, &text);
    narrate_features(v, a, b, &text, &users);
    if (n > 0 && text.len == strlen(cause)) {
        /* Nothing above speaks of it (a counter, a component's state
         * already in the cause): name the keys that changed. */
        int own = info->index >= 0 && info->index < v->t->n_comps &&
                          info->cause != SIM_CAUSE_REPLICA_REBUILD &&
                          info->cause != SIM_CAUSE_CLUSTER_ADJUST &&
                          info->cause != SIM_CAUSE_CLUSTER_FORCE
                      ? v->k_comp0 + info->index : -1;
        int shown = 0;
        for (int i = 0; i < out->n_changed; i++)
            if (out->changed[i] != own)
                qr_strbuf_addf(&text, "%s%s %s → %s", shown++ ? ", " : " — ",
                               qr_vocab_key(v, out->changed[i]), out->from[i], out->to[i]);
    }
    if (advice.buf)
        qr_strbuf_adds(&text, advice.buf);
    char votes[1024];
    out->votes = strdup(qr_narrate_votes(v, b, votes, sizeof(votes)));
    int oom = text.failed || advice.failed || users.failed || !out->cause || !out->votes;
    out->text = text.buf; /* the entry takes both texts over */
    out->users = users.buf;
    qr_strbuf_release(&advice);
    if (oom || !out->text)
        goto oom;
    return n > 0 ? 1 : 0;
oom:
    qr_tl_entry_release(out);
    return -1;
}
