/*
 * requirements_load.c: the requirements file of `quorate plan`
 * (docs/plan.md) into a qr_requirements (plan.h). It is a loader like the
 * topology's: the same safe document load (yaml_doc.c: size, depth and
 * alias limits, duplicate keys), the same scalar readers and "did you mean"
 * for unknown keys (loader_util.c), the same P001-P011 IDs and 1-based
 * file:line:col, every error collected rather than the first. It shares the
 * loader's context with no topology attached (ld_ctx.t is NULL: none of
 * the readers used here look at it).
 */
#include "model/loader_internal.h"
#include "plan/plan.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/units.h"

#define MIN_S 60.0
#define HOUR_S 3600.0

static qr_dist expo(double mean)
{
    return (qr_dist){ QR_DIST_EXPONENTIAL, mean, 1.0 };
}

int qr_requirements_init(qr_requirements *r)
{
    memset(r, 0, sizeof(*r));
    r->sites = 1;
    r->budget = INFINITY;
    r->version = QR_VERSION_SFB2015;
    /* The built-in templates of the topology format (loader_components.c),
     * and for the sites of two-site candidates the figure of the bundled
     * assumptions file (topologies/assumptions/default.yaml: a site fails
     * once in ten years for a day; the built-in site never fails, which
     * would make a second site pointless). */
    ld_template d[QR_COMP_KIND_COUNT];
    ld_builtin_defaults(d);
    r->server_failure = d[QR_COMP_SERVER].failure;
    r->server_repair = d[QR_COMP_SERVER].repair;
    r->site_failure = expo(10 * QR_UNITS_YEAR);
    r->site_repair = expo(24 * HOUR_S);
    r->link_failure = d[QR_COMP_LINK].failure;
    r->link_repair = d[QR_COMP_LINK].repair;
    r->quorum_reset_after = 30 * MIN_S; /* M1.7 */
    r->server_cost = 1.0;
    r->witness_cost = 0.25;
    r->runs = 200;
    r->years = 10;
    r->seed = 1;
    return 0;
}

void qr_requirements_release(qr_requirements *r)
{
    if (!r)
        return;
    free(r->file);
    r->file = NULL;
}

void qr_requirements_cost_rules(const qr_requirements *r, qr_cost_rules *rules)
{
    qr_cost_rules_init(rules, r->server_cost);
    rules->witness_cost = r->witness_cost;
}

int qr_requirements_frontends(const qr_requirements *r)
{
    int n = qr_pool_frontends_for_users(r->users);
    return n < 2 ? 2 : n;
}

/* `targets: { default: 99.9%, conferencing: 99.99%, ... }`. */
static void read_targets(ld_ctx *c, const ld_map *root, qr_requirements *r)
{
    ld_map m;
    int got = ld_sub_map(c, root, "targets", &m);
    if (got == 0)
        ld_error(c, root->loc, QR_RULE_P005, "missing required key 'targets' in %s", root->what);
    if (got <= 0)
        return;
    qr_topology names;
    if (qr_topology_init(&names) != 0) {
        qr_topology_release(&names);
        c->oom = 1;
        return;
    }
    const char *keys[QR_DEFAULT_FEATURE_COUNT + 2];
    keys[0] = "default";
    for (int k = 0; k < QR_DEFAULT_FEATURE_COUNT; k++)
        keys[k + 1] = names.features[k].name;
    keys[QR_DEFAULT_FEATURE_COUNT + 1] = NULL;
    ld_check_keys(c, &m, keys);
    if (m.map->data.mapping.pairs.top == m.map->data.mapping.pairs.start)
        ld_error(c, m.loc, QR_RULE_P004, "'targets' must give at least one availability");
    double fallback = 0;
    qr_loc fallback_loc = { 0, 0 };
    yaml_node_t *v = ld_get(c, &m, "default", &fallback_loc);
    if (v && ld_percent(c, v, "default", &fallback) != 0)
        fallback = 0;
    for (int k = 0; k < QR_DEFAULT_FEATURE_COUNT; k++) {
        qr_loc loc;
        double a;
        if ((v = ld_get(c, &m, keys[k + 1], &loc))) {
            if (ld_percent(c, v, keys[k + 1], &a) == 0) {
                r->target[k] = a;
                r->target_loc[k] = loc;
            }
        } else if (fallback > 0) {
            r->target[k] = fallback;
            r->target_loc[k] = fallback_loc;
        }
    }
    qr_topology_release(&names);
}

/* `server: { mtbf: 6mo, mttr: 4h }` and the same for site and link. */
static void read_figures(ld_ctx *c, const ld_map *root, const char *key, qr_dist *failure,
                         qr_dist *repair)
{
    ld_map m;
    if (ld_sub_map(c, root, key, &m) <= 0)
        return;
    static const char *const keys[] = { "mtbf", "mttr", NULL };
    ld_check_keys(c, &m, keys);
    yaml_node_t *v;
    double mean;
    if ((v = ld_get(c, &m, "mtbf", NULL)) && ld_mean(c, v, "mtbf", true, &mean) == 0)
        *failure = expo(mean);
    if ((v = ld_get(c, &m, "mttr", NULL)) && ld_mean(c, v, "mttr", false, &mean) == 0)
        *repair = expo(mean);
}

static void read_existing_sql(ld_ctx *c, const ld_map *root, qr_requirements *r)
{
    ld_map m;
    if (ld_sub_map(c, root, "existing_sql_ha", &m) <= 0)
        return;
    static const char *const keys[] = { "availability", NULL };
    ld_check_keys(c, &m, keys);
    yaml_node_t *v = ld_require(c, &m, "availability", NULL);
    double a, mtbf;
    ld_template d[QR_COMP_KIND_COUNT];
    ld_builtin_defaults(d); /* the candidates' external MTTR (plan_candidates.c) */
    if (v && ld_percent(c, v, "availability", &a) == 0 &&
        ld_external_mtbf(c, v, a, d[QR_COMP_EXTERNAL_SQL].repair.mean, &mtbf) == 0) {
        r->existing_sql = true;
        r->existing_sql_availability = a;
    }
}

static void read_simulation(ld_ctx *c, const ld_map *root, qr_requirements *r)
{
    ld_map m;
    if (ld_sub_map(c, root, "simulation", &m) <= 0)
        return;
    static const char *const keys[] = { "runs", "years", "seed", NULL };
    ld_check_keys(c, &m, keys);
    yaml_node_t *v;
    long long n;
    if ((v = ld_get(c, &m, "runs", NULL)) && ld_integer(c, v, "runs", 1, 10000000, &n) == 0)
        r->runs = (int)n;
    if ((v = ld_get(c, &m, "seed", NULL)) && ld_integer(c, v, "seed", 0, INT64_MAX, &n) == 0)
        r->seed = (uint64_t)n;
    double years;
    if ((v = ld_get(c, &m, "years", NULL)) && ld_nonneg(c, v, "years", &years) == 0) {
        if (years > 0 && years <= 1e7)
            r->years = years;
        else
            ld_error(c, qr_yaml_loc(v), QR_RULE_P004,
                     "'years' must be greater than 0 and at most 10000000");
    }
}

static void read_costs(ld_ctx *c, const ld_map *root, qr_requirements *r)
{
    ld_map m;
    if (ld_sub_map(c, root, "costs", &m) <= 0)
        return;
    static const char *const keys[] = { "server", "witness", NULL };
    ld_check_keys(c, &m, keys);
    yaml_node_t *v;
    double x;
    if ((v = ld_get(c, &m, "server", NULL)) && ld_cost(c, v, "server", &x) == 0) {
        if (x > 0)
            r->server_cost = x;
        else
            ld_error(c, qr_yaml_loc(v), QR_RULE_P004, "'server' cost must be greater than 0");
    }
    if ((v = ld_get(c, &m, "witness", NULL)) && ld_cost(c, v, "witness", &x) == 0)
        r->witness_cost = x;
    else if (!v)
        r->witness_cost = r->server_cost / 4; /* as compare's --witness-cost */
}

static void read_root(ld_ctx *c, yaml_node_t *root, void *arg)
{
    qr_requirements *r = arg;
    static const char *const versions[] = { "lync2013", "sfb2015", "sfb2019", NULL };
    if (ld_is_empty(root)) {
        ld_error(c, qr_yaml_loc(root), QR_RULE_P010,
                 "empty requirements: the document has no content");
        return;
    }
    if (ld_expect(c, root, YAML_MAPPING_NODE, "the requirements") != 0)
        return;
    ld_map m = { .map = root, .what = "the requirements", .loc = qr_yaml_loc(root) };
    if (ld_wrong_input_kind(c, &m, QR_INPUT_REQUIREMENTS))
        return;
    ld_check_keys_ext(c, &m, qr_input_keys(QR_INPUT_REQUIREMENTS), true);
    read_targets(c, &m, r);
    yaml_node_t *v;
    long long n;
    if ((v = ld_get(c, &m, "users", NULL)) &&
        ld_integer(c, v, "users", 0, QR_USERS_PER_POOL, &n) == 0)
        r->users = (long)n; /* SFB-CAP: 80,000 users in one pool */
    if ((v = ld_get(c, &m, "sites", NULL)) && ld_integer(c, v, "sites", 1, 2, &n) == 0)
        r->sites = (int)n;
    if ((v = ld_get(c, &m, "budget", NULL)))
        ld_cost(c, v, "budget", &r->budget);
    if ((v = ld_get(c, &m, "version", NULL))) {
        int k = ld_enum(c, v, "version", versions);
        if (k >= 0)
            r->version = (qr_version)k;
    }
    read_existing_sql(c, &m, r);
    if ((v = ld_get(c, &m, "allow_unsupported", NULL)))
        ld_bool(c, v, "allow_unsupported", &r->allow_unsupported);
    read_figures(c, &m, "server", &r->server_failure, &r->server_repair);
    read_figures(c, &m, "site", &r->site_failure, &r->site_repair);
    read_figures(c, &m, "link", &r->link_failure, &r->link_repair);
    ld_opt_duration(c, &m, "quorum_reset_after", &r->quorum_reset_after);
    read_costs(c, &m, r);
    read_simulation(c, &m, r);
    /* The pool must be able to home the users at all. */
    int need = qr_pool_frontends_for_users(r->users);
    if (need > qr_pool_max_frontends(r->version) && (v = ld_get(c, &m, "users", NULL)))
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004,
                 "%ld users need %d front ends with one in reserve, more than the %d of "
                 "one %s pool",
                 r->users, need, qr_pool_max_frontends(r->version),
                 qr_version_name(r->version));
}

int qr_requirements_load_buffer(const char *name, const char *text, size_t len,
                                qr_requirements *r, qr_diags *diags)
{
    static const qr_loc nowhere = { 0, 0 };
    qr_requirements_init(r);
    if (!name)
        name = "<input>";
    if (!(r->file = strdup(name))) {
        qr_diag_add(diags, QR_SEV_ERROR, nowhere, QR_RULE_P010, "out of memory");
        return 2;
    }
    ld_ctx c = { .t = NULL, .d = diags };
    int ret = ld_read_document(&c, text, len, read_root, r);
    qr_diags_sort(diags);
    return ret;
}

int qr_requirements_load_file(const char *path, qr_requirements *r, qr_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    int rc = qr_yaml_read_file(path, &text, &len, diags);
    if (rc != 0) {
        qr_requirements_init(r);
        qr_diags_sort(diags);
        return rc;
    }
    rc = qr_requirements_load_buffer(path, text, len, r, diags);
    free(text);
    return rc;
}
