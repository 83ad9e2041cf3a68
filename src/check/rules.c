/*
 * rules.c: the rule table as data (generated from rule_table.h), its
 * lookups, qr_rules_check() which runs every group of design rules, and the
 * helpers the rule files share (rules_impl.h).
 */
#include "check/rules.h"

#include <stdarg.h>
#include <string.h>

#include "check/rule_table.h"
#include "check/rules_impl.h"
#include "model/pool_view.h"

#define QR_SEV_OF_ERROR QR_SEV_ERROR
#define QR_SEV_OF_WARNING QR_SEV_WARNING
#define QR_SEV_OF_NOTE QR_SEV_NOTE

/* Row QR_RULE_<ID> of the table holds rule <ID>: a row naming an ID that
 * model/rule_ids.h does not list does not compile (no such enumerator); a
 * second row for one ID does not either (an initializer overridden: gcc's
 * -Woverride-init in -Wextra, clang's -Winitializer-overrides, with
 * -Werror); and the count below fails when an ID has no row. */
static const qr_rule rule_table[QR_RULE_COUNT] = {
#define ROW(id, sev, name, title, rationale, source, fix) \
    [QR_RULE_##id] = { #id, QR_SEV_OF_##sev, name, title, rationale, source, fix },
    QR_RULE_TABLE(ROW)
#undef ROW
};

#define ONE_ROW(...) +1
_Static_assert(0 QR_RULE_TABLE(ONE_ROW) == QR_RULE_COUNT,
               "every ID of model/rule_ids.h needs one row in check/rule_table.h");
#undef ONE_ROW

#define N_RULES ((size_t)QR_RULE_COUNT)

size_t qr_rule_count(void)
{
    return N_RULES;
}

const qr_rule *qr_rule_at(size_t i)
{
    return i < N_RULES ? &rule_table[i] : NULL;
}

int qr_rule_index(const char *id)
{
    return qr_rule_id_parse(id);
}

const qr_rule *qr_rule_find(const char *id)
{
    int i = qr_rule_index(id);
    return i >= 0 ? &rule_table[i] : NULL;
}

void rules_emit(qr_diags *d, qr_rule_id id, qr_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    qr_diag_vadd(d, rule_table[id].severity, loc, id, fmt, ap);
    va_end(ap);
}

/* The same diagnostic (rule, place and message) already in d. */
static bool already(const qr_diags *d, const qr_diag *x)
{
    for (size_t i = 0; i < d->n; i++) {
        const qr_diag *y = &d->items[i];
        if (y->rule == x->rule && y->loc.line == x->loc.line && y->loc.col == x->loc.col &&
            strcmp(y->message, x->message) == 0)
            return true;
    }
    return false;
}

/* Several pools (M10): the rules of one pool on each pool's view, each
 * finding once (a site or a witness two pools share is judged twice),
 * then the pairing rules. */
static void check_pools(const qr_topology *t, qr_diags *d)
{
    for (int p = 0; p < t->n_pools; p++) {
        qr_topology *v = NULL;
        qr_diags one;
        if (qr_topology_pool_view(t, p, &v, NULL) != 0 || qr_diags_init(&one, d->file) != 0) {
            qr_topology_free(v);
            d->oom = 1;
            return;
        }
        qr_rules_check(v, &one);
        for (size_t i = 0; i < one.n; i++)
            if (!already(d, &one.items[i]))
                qr_diag_add(d, one.items[i].sev, one.items[i].loc,
                            (qr_rule_id)qr_rule_id_parse(one.items[i].rule), "%s",
                            one.items[i].message);
        if (one.oom)
            d->oom = 1;
        qr_diags_release(&one);
        qr_topology_free(v);
    }
    rules_check_pairing(t, d);
}

int qr_rules_check(const qr_topology *t, qr_diags *d)
{
    size_t before = d->n;
    if (qr_topology_is_paired(t)) {
        check_pools(t, d);
        return (int)(d->n - before);
    }
    rules_check_pool(t, d);
    rules_check_backend(t, d);
    rules_check_cluster(t, d);
    rules_check_store(t, d);
    rules_check_ccf(t, d);
    rules_check_vm(t, d);
    rules_check_latent(t, d);
    return (int)(d->n - before);
}

int rules_host_of(const qr_topology *t, int i)
{
    if (i < 0 || i >= t->n_comps)
        return -1;
    return t->comps[i].host;
}

int rules_site_of(const qr_topology *t, int i)
{
    if (i < 0 || i >= t->n_comps)
        return -1;
    if (t->comps[i].site >= 0)
        return t->comps[i].site;
    int h = t->comps[i].host;
    return (h >= 0 && h < t->n_comps) ? t->comps[h].site : -1;
}

int rules_backend_primary(const qr_topology *t)
{
    const qr_backend *b = &t->pool.backend;
    switch (b->kind) {
    case QR_BACKEND_STANDALONE:
        return b->server;
    case QR_BACKEND_MIRRORING:
        return b->principal;
    case QR_BACKEND_ALWAYSON:
        if (b->n_replicas > 0)
            return b->replicas[0];
        break;
    case QR_BACKEND_FCI:
        break;
    case QR_BACKEND_EXTERNAL:
        return -1;
    }
    if (b->cluster >= 0 && b->cluster < t->n_clusters &&
        t->clusters[b->cluster].n_nodes > 0)
        return t->clusters[b->cluster].nodes[0];
    return -1;
}

bool rules_backend_auto_failover(const qr_topology *t)
{
    const qr_backend *b = &t->pool.backend;
    switch (b->kind) {
    case QR_BACKEND_STANDALONE:
        return false;
    case QR_BACKEND_MIRRORING:
        return b->witness >= 0;
    case QR_BACKEND_ALWAYSON:
        return b->n_replicas >= 2;
    case QR_BACKEND_FCI:
        return b->cluster >= 0 && b->cluster < t->n_clusters &&
               t->clusters[b->cluster].n_nodes >= 2;
    case QR_BACKEND_EXTERNAL:
        return true;
    }
    return false;
}

int rules_common_host(const qr_topology *t, const int *servers, int n)
{
    if (n < 2)
        return -1;
    int h = rules_host_of(t, servers[0]);
    for (int i = 1; i < n && h >= 0; i++)
        if (rules_host_of(t, servers[i]) != h)
            h = -1;
    return h;
}

bool rules_is_frontend(const qr_topology *t, int s)
{
    for (int i = 0; i < t->pool.n_frontends; i++)
        if (t->pool.frontends[i] == s)
            return true;
    return false;
}
