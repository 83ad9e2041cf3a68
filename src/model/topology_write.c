/*
 * topology_write.c: the YAML emitter of topology_write.h. It walks the
 * model in the loader's reading order (top-level keys, then sites, hosts,
 * servers, storage, links, clusters, pool, fabric, operations, patching,
 * features, costs) and hands libyaml one event at a time; libyaml chooses
 * the quoting of every scalar, so a name or free text can never break the
 * document. Small mappings (one component, a back end form) are written in
 * flow style, as the bundled topologies are. The output grows in a heap
 * buffer through the emitter's write handler.
 *
 * Errors: the first emitter failure stops the walk (the `failed` flag makes
 * every later call a no-op) and its problem text is returned.
 */
#include "model/topology_write.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/strbuf.h"
#include "model/units.h"

typedef struct {
    yaml_emitter_t emitter;
    qr_strbuf out; /* the document so far; out.failed: out of memory */
    bool           failed;
} writer;

static int write_handler(void *data, unsigned char *bytes, size_t size)
{
    writer *w = data;
    qr_strbuf_add(&w->out, (const char *)bytes, size);
    return !w->out.failed;
}

static void emit(writer *w, yaml_event_t *e, int initialized)
{
    if (w->failed)
        return;
    if (!initialized || !yaml_emitter_emit(&w->emitter, e))
        w->failed = true;
}

static void map_start(writer *w, bool flow)
{
    yaml_event_t e;
    emit(w, &e,
         yaml_mapping_start_event_initialize(&e, NULL, NULL, 1,
                                             flow ? YAML_FLOW_MAPPING_STYLE
                                                  : YAML_BLOCK_MAPPING_STYLE));
}

static void map_end(writer *w)
{
    yaml_event_t e;
    emit(w, &e, yaml_mapping_end_event_initialize(&e));
}

static void seq_start(writer *w, bool flow)
{
    yaml_event_t e;
    emit(w, &e,
         yaml_sequence_start_event_initialize(&e, NULL, NULL, 1,
                                              flow ? YAML_FLOW_SEQUENCE_STYLE
                                                   : YAML_BLOCK_SEQUENCE_STYLE));
}

static void seq_end(writer *w)
{
    yaml_event_t e;
    emit(w, &e, yaml_sequence_end_event_initialize(&e));
}

static void scalar(writer *w, const char *s)
{
    yaml_event_t e;
    emit(w, &e,
         yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                      YAML_ANY_SCALAR_STYLE));
}

static void key_str(writer *w, const char *key, const char *value)
{
    scalar(w, key);
    scalar(w, value);
}

static void key_int(writer *w, const char *key, long long v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", v);
    key_str(w, key, buf);
}

static void key_number(writer *w, const char *key, double v)
{
    char buf[40];
    snprintf(buf, sizeof(buf), "%.17g", v);
    /* Shorter when it reads back the same. */
    for (int digits = 1; digits < 17; digits++) {
        char shorter[40];
        snprintf(shorter, sizeof(shorter), "%.*g", digits, v);
        if (strtod(shorter, NULL) == v) {
            memcpy(buf, shorter, sizeof(buf));
            break;
        }
    }
    key_str(w, key, buf);
}

static void key_bool(writer *w, const char *key, bool v)
{
    key_str(w, key, v ? "true" : "false");
}

const char *qr_topology_write_duration(double seconds, char *buf, size_t size)
{
    const qr_units_unit *units = qr_units_written;
    if (isinf(seconds)) {
        snprintf(buf, size, "never");
        return buf;
    }
    for (int i = 0; i < QR_UNITS_WRITTEN; i++) {
        double k = seconds / units[i].seconds;
        if (k >= 1 && k < 1e15 && k == floor(k) && k * units[i].seconds == seconds) {
            snprintf(buf, size, "%.0f%s", k, units[i].name);
            return buf;
        }
    }
    /* No unit gives it exactly (the median of an uncertain assumption's
     * range): the largest unit it is at least 1 of, with the fewest digits
     * that load back to exactly the same value ("10.392304845413264mo", not
     * "27329683.282467801s"); when no decimal in that unit does (the
     * loader multiplies by the unit's length, which rounds), the next
     * smaller unit, down to seconds. */
    for (int i = 0; i < QR_UNITS_WRITTEN && seconds >= 1; i++) {
        double k = seconds / units[i].seconds;
        if (k < 1)
            continue;
        for (int digits = 1; digits <= 17; digits++) {
            double back;
            const char *reason;
            snprintf(buf, size, "%.*g%s", digits, k, units[i].name);
            if (strchr(buf, 'e') == NULL && qr_units_duration(buf, &back, &reason) == 0 &&
                back == seconds)
                return buf;
        }
    }
    snprintf(buf, size, "%.17gs", seconds);
    return buf;
}

static void key_duration(writer *w, const char *key, double seconds)
{
    char buf[48];
    key_str(w, key, qr_topology_write_duration(seconds, buf, sizeof(buf)));
}

static void dist(writer *w, const char *key, const qr_dist *d)
{
    if (d->kind == QR_DIST_EXPONENTIAL) {
        key_duration(w, key, d->mean);
        return;
    }
    scalar(w, key);
    map_start(w, true);
    key_duration(w, "mean", d->mean);
    key_str(w, "distribution", qr_dist_kind_name(d->kind));
    if (d->kind == QR_DIST_WEIBULL || d->kind == QR_DIST_LOGNORMAL)
        key_number(w, "shape", d->shape);
    map_end(w);
}

/* mtbf, mttr, cost of one component (inside its open mapping). */
static void failure_keys(writer *w, const qr_component *c)
{
    dist(w, "mtbf", &c->failure);
    dist(w, "mttr", &c->repair);
    if (c->cost > 0)
        key_number(w, "cost", c->cost);
}

/* One figure of a component's own: a plain mean when that is all it gave
 * (the family and shape stay its kind's), else the whole distribution. */
static void own_dist(writer *w, const char *key, const qr_dist *d, unsigned own,
                     qr_part mean)
{
    if ((own & (QR_PART_BIT(mean + 1) | QR_PART_BIT(mean + 2))) == 0)
        key_duration(w, key, d->mean);
    else
        dist(w, key, d);
}

static void patch_value(writer *w, const qr_patch *p)
{
    scalar(w, "patch");
    if (p->enabled) {
        map_start(w, true);
        key_duration(w, "every", p->every);
        key_duration(w, "reboot", p->reboot);
        map_end(w);
    } else {
        scalar(w, "none");
    }
}

/* The figures a component's own keys gave (a design choice, kept under an
 * assumptions file), and its cost; the rest is its kind's, in `defaults:`. */
static void own_keys(writer *w, const qr_component *c)
{
    if (c->own & QR_PARTS_FAILURE)
        own_dist(w, "mtbf", &c->failure, c->own, QR_PART_FAILURE_MEAN);
    if (c->own & QR_PARTS_REPAIR)
        own_dist(w, "mttr", &c->repair, c->own, QR_PART_REPAIR_MEAN);
    if (c->kind == QR_COMP_SERVER && (c->own & QR_PARTS_PATCH))
        patch_value(w, &c->patch);
    if (c->cost > 0)
        key_number(w, "cost", c->cost);
}

/* `defaults:` with the figures of every kind some component takes a part
 * of: what the design says about the world, which an assumptions file
 * replaces (docs/assumptions.md). */
static void kind_defaults(writer *w, const qr_topology *t)
{
    static const char *const keys[QR_COMP_KIND_COUNT] = {
        "site", "host", "server", "storage", "link", "cloud_witness", NULL,
    };
    bool open = false;
    for (int k = 0; k < QR_COMP_KIND_COUNT; k++) {
        bool used = false;
        for (int i = 0; i < t->n_comps && keys[k]; i++) {
            const qr_component *c = &t->comps[i];
            unsigned all = QR_PARTS_FAILURE | QR_PARTS_REPAIR |
                           (c->kind == QR_COMP_SERVER ? QR_PARTS_PATCH : 0);
            used |= c->kind == (qr_comp_kind)k && (c->own & all) != all;
        }
        if (!used)
            continue;
        if (!open) {
            scalar(w, "defaults");
            map_start(w, false);
            open = true;
        }
        const qr_kind_figures *f = &t->kinds[k];
        scalar(w, keys[k]);
        map_start(w, true);
        dist(w, "mtbf", &f->failure);
        dist(w, "mttr", &f->repair);
        if (k == QR_COMP_SERVER)
            patch_value(w, &f->patch);
        map_end(w);
    }
    if (open)
        map_end(w);
}

static const char *name_of(const qr_topology *t, int i)
{
    return t->comps[i].name;
}

static void components(writer *w, const qr_topology *t, qr_comp_kind kind, const char *list)
{
    int count = 0;
    for (int i = 0; i < t->n_comps; i++)
        count += t->comps[i].kind == kind;
    if (count == 0)
        return;
    scalar(w, list);
    seq_start(w, false);
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        if (c->kind != kind)
            continue;
        map_start(w, true);
        if (kind == QR_COMP_LINK) {
            scalar(w, "between");
            seq_start(w, true);
            scalar(w, name_of(t, c->link_a));
            scalar(w, name_of(t, c->link_b));
            seq_end(w);
        }
        key_str(w, "name", c->name);
        if (kind == QR_COMP_SERVER && c->host >= 0)
            key_str(w, "host", name_of(t, c->host));
        else if (kind != QR_COMP_SITE && kind != QR_COMP_LINK && c->site >= 0)
            key_str(w, "site", name_of(t, c->site));
        if (kind == QR_COMP_HOST && c->capacity > 0)
            key_int(w, "capacity", c->capacity); /* M0.4 */
        own_keys(w, c);
        map_end(w);
    }
    seq_end(w);
}

/* `virtualization:` (M0.4, M0.5, M7.6, M7.7), when it says anything. */
static void virtualization(writer *w, const qr_topology *t)
{
    const qr_virtualization *v = &t->virt;
    if (!v->ha && !v->live_migration && !isfinite(v->maint_every) && v->n_aa_groups == 0 &&
        !v->failback)
        return;
    scalar(w, "virtualization");
    map_start(w, false);
    if (v->ha) {
        scalar(w, "ha");
        map_start(w, true);
        key_duration(w, "restart", v->ha_restart);
        map_end(w);
    }
    if (v->live_migration)
        key_bool(w, "live_migration", true);
    if (isfinite(v->maint_every)) {
        scalar(w, "maintenance");
        map_start(w, true);
        key_duration(w, "every", v->maint_every);
        key_duration(w, "duration", v->maint_duration);
        key_duration(w, "gap", v->maint_gap);
        map_end(w);
    }
    if (v->failback) { /* M0.4 */
        scalar(w, "failback");
        map_start(w, true);
        key_duration(w, "after", v->failback_after);
        key_str(w, "how", v->failback_live ? "live" : "restart");
        map_end(w);
    }
    if (v->n_aa_groups > 0) {
        scalar(w, "anti_affinity");
        seq_start(w, false);
        for (int g = 0; g < v->n_aa_groups; g++) {
            seq_start(w, true);
            for (int k = v->aa_start[g]; k < v->aa_start[g + 1]; k++)
                scalar(w, name_of(t, v->aa_members[k]));
            seq_end(w);
        }
        seq_end(w);
    }
    map_end(w);
}

static void server_list(writer *w, const qr_topology *t, const char *key, const int *ids, int n)
{
    scalar(w, key);
    seq_start(w, true);
    for (int i = 0; i < n; i++)
        scalar(w, name_of(t, ids[i]));
    seq_end(w);
}

static const char *windows_name(qr_windows v)
{
    switch (v) {
    case QR_WINDOWS_2008: return "2008";
    case QR_WINDOWS_2008R2: return "2008r2";
    case QR_WINDOWS_2012: return "2012";
    case QR_WINDOWS_2012R2: return "2012r2";
    case QR_WINDOWS_2016: return "2016";
    case QR_WINDOWS_2019: return "2019";
    case QR_WINDOWS_2022: return "2022";
    }
    return "2019";
}

static void clusters(writer *w, const qr_topology *t)
{
    if (t->n_clusters == 0)
        return;
    scalar(w, "clusters");
    seq_start(w, false);
    for (int k = 0; k < t->n_clusters; k++) {
        const qr_cluster *cl = &t->clusters[k];
        map_start(w, false);
        key_str(w, "name", cl->name);
        scalar(w, "nodes");
        seq_start(w, true);
        for (int i = 0; i < cl->n_nodes; i++) {
            map_start(w, true);
            key_str(w, "server", name_of(t, cl->nodes[i]));
            key_int(w, "weight", cl->weight[i]);
            map_end(w);
        }
        seq_end(w);
        scalar(w, "witness");
        switch (cl->witness_kind) {
        case QR_WITNESS_NONE:
            scalar(w, "none");
            break;
        case QR_WITNESS_FILE_SHARE:
            map_start(w, true);
            key_str(w, "file_share", name_of(t, cl->witness));
            if (cl->witness_on_dfs)
                key_bool(w, "dfs", true);
            map_end(w);
            break;
        case QR_WITNESS_DISK:
            map_start(w, true);
            key_str(w, "disk", name_of(t, cl->witness));
            map_end(w);
            break;
        case QR_WITNESS_CLOUD:
            map_start(w, true);
            scalar(w, "cloud");
            map_start(w, true);
            own_keys(w, &t->comps[cl->witness]);
            map_end(w);
            map_end(w);
            break;
        }
        key_str(w, "windows", windows_name(cl->windows));
        key_bool(w, "dynamic_quorum", cl->dynamic_quorum);
        key_bool(w, "dynamic_witness", cl->dynamic_witness);
        if (cl->n_nodes > 0 && cl->lowest_priority >= 0 && cl->lowest_priority < cl->n_nodes)
            key_str(w, "lowest_priority", name_of(t, cl->nodes[cl->lowest_priority]));
        key_duration(w, "quorum_adjust_delay", cl->quorum_adjust_delay);
        map_end(w);
    }
    seq_end(w);
}

static void backend(writer *w, const qr_topology *t, const qr_pool *p)
{
    const qr_backend *b = &p->backend;
    scalar(w, "backend");
    map_start(w, false);
    switch (b->kind) {
    case QR_BACKEND_STANDALONE:
        key_str(w, "standalone", name_of(t, b->server));
        break;
    case QR_BACKEND_MIRRORING:
        scalar(w, "mirroring");
        map_start(w, true);
        key_str(w, "principal", name_of(t, b->principal));
        key_str(w, "mirror", name_of(t, b->mirror));
        if (b->witness >= 0)
            key_str(w, "witness", name_of(t, b->witness));
        map_end(w);
        break;
    case QR_BACKEND_ALWAYSON:
        scalar(w, "alwayson");
        map_start(w, true);
        key_str(w, "cluster", t->clusters[b->cluster].name);
        server_list(w, t, "replicas", b->replicas, b->n_replicas);
        map_end(w);
        break;
    case QR_BACKEND_FCI:
        scalar(w, "fci");
        map_start(w, true);
        key_str(w, "cluster", t->clusters[b->cluster].name);
        key_str(w, "storage", name_of(t, b->storage));
        map_end(w);
        break;
    case QR_BACKEND_EXTERNAL:
        scalar(w, "external");
        map_start(w, true);
        key_str(w, "name", name_of(t, b->external));
        failure_keys(w, &t->comps[b->external]);
        map_end(w);
        break;
    }
    key_duration(w, "failover_time", b->failover_time);
    key_duration(w, "resync_time", b->resync_time);
    key_duration(w, "resiliency_grace", b->resiliency_grace);
    map_end(w);
}

static void file_store(writer *w, const qr_topology *t, const qr_pool *p)
{
    const qr_file_store *f = &p->file_store;
    scalar(w, "file_store");
    map_start(w, false);
    switch (f->kind) {
    case QR_FILE_STORE_SHARE:
        key_str(w, "share", name_of(t, f->server));
        break;
    case QR_FILE_STORE_DFS:
        server_list(w, t, "dfs", f->replicas, f->n_replicas);
        break;
    case QR_FILE_STORE_CLUSTER:
        scalar(w, "cluster");
        map_start(w, true);
        key_str(w, "cluster", t->clusters[f->cluster].name);
        key_str(w, "storage", name_of(t, f->storage));
        map_end(w);
        break;
    }
    key_duration(w, "failover_time", f->failover_time);
    map_end(w);
}

/* The keys of one pool, `pool:`'s or an entry of `pools:`. */
static void pool_body(writer *w, const qr_topology *t, const qr_pool *p)
{
    key_str(w, "version", qr_version_name(p->version));
    server_list(w, t, "frontends", p->frontends, p->n_frontends);
    key_int(w, "routing_groups", p->routing_groups);
    if (p->users > 0)
        key_int(w, "users", p->users);
    backend(w, t, p);
    file_store(w, t, p);
}

static void pool(writer *w, const qr_topology *t)
{
    scalar(w, "pool");
    map_start(w, false);
    pool_body(w, t, &t->pool);
    map_end(w);
}

/* `pools:` and `pairing:` of a design with several pools (M10). */
static void pools(writer *w, const qr_topology *t)
{
    scalar(w, "pools");
    seq_start(w, false);
    for (int i = 0; i < t->n_pools; i++) {
        const qr_pool_def *d = &t->pools[i];
        map_start(w, false);
        key_str(w, "name", d->name);
        if (d->site >= 0)
            key_str(w, "site", name_of(t, d->site));
        if (d->paired_with >= 0)
            key_str(w, "paired_with", t->pools[d->paired_with].name);
        if (d->cms)
            key_bool(w, "cms", true);
        key_str(w, "edition", d->edition == QR_EDITION_STANDARD ? "standard" : "enterprise");
        key_str(w, "os", windows_name(d->os));
        pool_body(w, t, &d->pool);
        map_end(w);
    }
    seq_end(w);
    const qr_pairing *p = &t->pairing;
    scalar(w, "pairing");
    map_start(w, false);
    key_duration(w, "backup_lag", p->backup_lag);
    key_duration(w, "registrar_failover", p->registrar_failover);
    key_duration(w, "failover_after", p->failover_after);
    key_duration(w, "failover_time", p->failover_time);
    key_duration(w, "cms_failover_time", p->cms_failover_time);
    key_duration(w, "failback_after", p->failback_after);
    key_duration(w, "failback_time", p->failback_time);
    if (p->patch_offset > 0)
        key_duration(w, "patch_offset", p->patch_offset);
    else
        key_str(w, "patch_offset", "none");
    map_end(w);
}

static void params(writer *w, const qr_topology *t)
{
    const qr_params *p = &t->params;
    scalar(w, "fabric");
    map_start(w, true);
    key_bool(w, "graceful_leave_adjusts_votes", p->graceful_leave_adjusts_votes);
    key_duration(w, "restart_time", p->restart_time);
    key_duration(w, "replica_rebuild", p->replica_rebuild);
    /* Written only when not the default, so that the planner's designs
     * stay as they were. */
    if (p->sfb2019_backend_vote)
        key_bool(w, "sfb2019_backend_vote", true);
    if (!p->restart_order)
        key_bool(w, "restart_order", false);
    map_end(w);
    scalar(w, "operations");
    map_start(w, false);
    scalar(w, "quorum_reset");
    map_start(w, true);
    key_duration(w, "after", p->quorum_reset_after);
    key_duration(w, "retry", p->quorum_reset_retry);
    map_end(w);
    scalar(w, "sql_failover");
    map_start(w, true);
    key_duration(w, "after", p->sql_failover_after);
    map_end(w);
    scalar(w, "force_quorum");
    map_start(w, true);
    key_duration(w, "after", p->force_quorum_after);
    map_end(w);
    map_end(w);
    scalar(w, "patching");
    map_start(w, true);
    key_duration(w, "gap", p->patch_gap);
    key_bool(w, "skip_if_unhealthy", p->patch_skip_if_unhealthy);
    map_end(w);
}

static void features(writer *w, const qr_topology *t, const qr_topology *defaults)
{
    bool open = false;
    /* With pools, the design's own features only, not each pool's copy
     * ("pool1.signin_im") that the loader adds. */
    int nf = t->n_pools > 0 && t->pairing.n_user_features > 0 ? t->pairing.n_user_features
                                                              : t->n_features;
    for (int k = 0; k < nf; k++) {
        const qr_feature *f = &t->features[k];
        int d = qr_topology_find_feature(defaults, f->name);
        if (d >= 0 && defaults->features[d].needs == f->needs)
            continue;
        if (!open) {
            scalar(w, "features");
            map_start(w, false);
            open = true;
        }
        scalar(w, f->name);
        map_start(w, true);
        scalar(w, "needs");
        seq_start(w, true);
        for (int i = 0; i < QR_NEED_COUNT; i++)
            if (f->needs & (1u << i))
                scalar(w, qr_need_words[i]);
        seq_end(w);
        map_end(w);
    }
    if (open)
        map_end(w);
}

int qr_topology_write(const qr_topology *t, char **out, char *err, size_t errlen)
{
    writer w;
    memset(&w, 0, sizeof(w));
    qr_topology defaults;
    int ret = -1;
    *out = NULL;
    if (qr_topology_init(&defaults) != 0) {
        snprintf(err, errlen, "out of memory");
        goto cleanup;
    }
    if (!yaml_emitter_initialize(&w.emitter)) {
        snprintf(err, errlen, "out of memory");
        goto cleanup;
    }
    yaml_emitter_set_output(&w.emitter, write_handler, &w);
    yaml_emitter_set_unicode(&w.emitter, 1);
    yaml_emitter_set_width(&w.emitter, 100);
    yaml_event_t e;
    emit(&w, &e, yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING));
    emit(&w, &e, yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1));
    map_start(&w, false);
    if (t->name)
        key_str(&w, "name", t->name);
    if (t->notation)
        key_str(&w, "notation", t->notation);
    kind_defaults(&w, t);
    components(&w, t, QR_COMP_SITE, "sites");
    components(&w, t, QR_COMP_HOST, "hosts");
    components(&w, t, QR_COMP_SERVER, "servers");
    components(&w, t, QR_COMP_STORAGE, "storage");
    components(&w, t, QR_COMP_LINK, "links");
    clusters(&w, t);
    if (t->n_pools > 0)
        pools(&w, t);
    else
        pool(&w, t);
    params(&w, t);
    features(&w, t, &defaults);
    virtualization(&w, t);
    if (t->params.witness_cost > 0) {
        scalar(&w, "costs");
        map_start(&w, true);
        key_number(&w, "witness", t->params.witness_cost);
        map_end(&w);
    }
    map_end(&w);
    emit(&w, &e, yaml_document_end_event_initialize(&e, 1));
    emit(&w, &e, yaml_stream_end_event_initialize(&e));
    if (!w.failed && !yaml_emitter_flush(&w.emitter))
        w.failed = true;
    if (w.failed || w.out.failed) {
        snprintf(err, errlen, "cannot write the topology: %s",
                 w.out.failed        ? "out of memory"
                 : w.emitter.problem ? w.emitter.problem
                                     : "emitter error");
        goto cleanup;
    }
    *out = qr_strbuf_detach(&w.out);
    if (!*out) {
        snprintf(err, errlen, "out of memory");
        goto cleanup;
    }
    ret = 0;
cleanup:
    yaml_emitter_delete(&w.emitter);
    qr_strbuf_release(&w.out);
    qr_topology_release(&defaults);
    return ret;
}
