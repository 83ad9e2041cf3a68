/*
 * loader_ccf.c: `common_cause:` (docs/topology-format.md), groups of
 * components that can fail together, read from a topology or from an
 * assumptions file (there the members are a role word, since the designs
 * name their servers differently).
 *
 *   common_cause:
 *     - { name: same-build, members: [fe1, fe2, fe3], model: beta-factor, beta: 10% }
 *     - { name: sql-build, members: backend, model: mgl, beta: 10%, gamma: 30% }
 *     - { name: fe-patch, members: frontends, model: alpha-factor, alpha: [95%, 3%, 2%] }
 *
 * Factors are fractions in [0, 1], written as a percentage or a number;
 * in an assumptions file a factor may be a range, `beta: { low: 1%, high:
 * 10% }` (docs/sensitivity.md), which the file's range hook reads.
 */
#include "model/loader_internal.h"

#include <stdlib.h>
#include <string.h>

#include "model/ccf.h"
#include "model/uncertain.h"

/* A fraction in [0, 1]: "10%" or 0.1; in an assumptions file also a range
 * ({ low, high }, docs/sensitivity.md), factor `field` of group `g`, read
 * by the file's range hook. Returns 0, or -1 after an error. */
static int fraction(ld_ctx *c, const yaml_node_t *n, const char *key, const qr_ccf_group *g,
                    int field, double *out)
{
    int rc;
    if (ld_is_range(c, n)) {
        c->range_target = QR_UNC_TARGET_CCF;
        c->range_field = field;
        c->range_name = g->name;
        rc = ld_range(c, n, key, out);
        c->range_target = QR_UNC_TARGET_ITEM;
        c->range_name = NULL;
        return rc;
    }
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.length > 0 &&
        n->data.scalar.value[n->data.scalar.length - 1] == '%')
        rc = ld_percent(c, n, key, out);
    else
        rc = ld_nonneg(c, n, key, out);
    if (rc != 0)
        return -1;
    if (*out > 1.0) {
        char ex[64];
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "'%s' is a fraction between 0 and 1 (0%% to 100%%), got '%s'", key,
                 ld_excerpt(n, ex, sizeof(ex)));
        return -1;
    }
    return 0;
}

static char *dup_or_oom(ld_ctx *c, const char *s)
{
    char *d = strdup(s);
    if (!d)
        c->oom = 1;
    return d;
}

/* `members:`: a list of component names (topology only) or a role word. */
static void read_members(ld_ctx *c, yaml_node_t *v, qr_ccf_group *g, bool allow_list)
{
    if (v->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)v->data.scalar.value;
        if (strcmp(s, "frontends") != 0 && strcmp(s, "backend") != 0) {
            char ex[64];
            ld_error(c, qr_yaml_loc(v), QR_RULE_P004,
                     "unknown role '%s' for 'members': expected 'frontends' or 'backend'%s",
                     ld_excerpt(v, ex, sizeof(ex)),
                     allow_list ? ", or a list of components" : "");
            return;
        }
        g->role = dup_or_oom(c, s);
        if (!allow_list || !g->role)
            return;
        int buf[QR_CCF_MAX_MEMBERS + 1];
        int n = qr_ccf_role_members(c->t, s, buf, QR_CCF_MAX_MEMBERS + 1);
        if (n > QR_CCF_MAX_MEMBERS) {
            ld_error(c, qr_yaml_loc(v), QR_RULE_P010,
                     "more than %d members in common-cause group '%s'", QR_CCF_MAX_MEMBERS,
                     g->name ? g->name : "?");
            return;
        }
        g->members = ld_alloc(c, (size_t)n + 1, sizeof(int));
        g->member_locs = ld_alloc(c, (size_t)n + 1, sizeof(qr_loc));
        if (!g->members || !g->member_locs)
            return;
        for (int i = 0; i < n; i++) {
            g->members[i] = buf[i];
            g->member_locs[i] = qr_yaml_loc(v);
        }
        g->n_members = n;
        return;
    }
    if (!allow_list) {
        char buf[80];
        ld_error(c, qr_yaml_loc(v), QR_RULE_P003,
                 "expected a role ('frontends' or 'backend') for 'members', got %s",
                 ld_got(v, buf, sizeof(buf)));
        return;
    }
    if (ld_expect(c, v, YAML_SEQUENCE_NODE, "'members'") != 0)
        return;
    int count = (int)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (count > QR_CCF_MAX_MEMBERS) {
        ld_error(c, qr_yaml_loc(v), QR_RULE_P010,
                 "more than %d members in one common-cause group", QR_CCF_MAX_MEMBERS);
        return;
    }
    g->members = ld_alloc(c, (size_t)count + 1, sizeof(int));
    g->member_locs = ld_alloc(c, (size_t)count + 1, sizeof(qr_loc));
    if (!g->members || !g->member_locs)
        return;
    for (yaml_node_item_t *it = v->data.sequence.items.start;
         it < v->data.sequence.items.top; it++) {
        yaml_node_t *n = ld_node(c, *it);
        const char *s;
        if (ld_name_value(c, n, "members", &s) != 0)
            continue;
        const ld_name *e = ld_lookup(c, s);
        if (!e || e->comp < 0) {
            ld_error(c, qr_yaml_loc(n), QR_RULE_P008,
                     "'members' names '%s', which is no component", s);
            continue;
        }
        bool dup = false;
        for (int j = 0; j < g->n_members; j++)
            dup |= g->members[j] == e->comp;
        if (dup) {
            ld_error(c, qr_yaml_loc(n), QR_RULE_P009,
                     "'%s' is listed twice in 'members'", s);
            continue;
        }
        g->member_locs[g->n_members] = qr_yaml_loc(n);
        g->members[g->n_members++] = e->comp;
    }
}

/* The model and its factors. */
static void read_model(ld_ctx *c, const ld_map *m, qr_ccf_group *g)
{
    static const char *const models[] = { "beta-factor", "mgl", "alpha-factor", NULL };
    yaml_node_t *v;
    qr_loc at;
    g->model = QR_CCF_BETA;
    if ((v = ld_get(c, m, "model", NULL))) {
        int k = ld_enum(c, v, "model", models);
        if (k < 0)
            return;
        g->model = (qr_ccf_model)k;
    }
    static const char *const greek[] = { "beta", "gamma", "delta" };
    int allowed = g->model == QR_CCF_BETA ? 1 : g->model == QR_CCF_MGL ? 3 : 0;
    int given = 0; /* factor keys given in order, valid values or not: a bad */
                   /* value is its own error, not a missing key as well     */
    for (int i = 0; i < 3; i++) {
        v = ld_get(c, m, greek[i], &at);
        if (!v)
            continue;
        if (i >= allowed) {
            ld_error(c, at, QR_RULE_P004, "'%s' is no factor of the %s model%s", greek[i],
                     qr_ccf_model_name(g->model),
                     g->model == QR_CCF_ALPHA ? " (give 'alpha: [...]')" : "");
            continue;
        }
        if (i != given) {
            ld_error(c, at, QR_RULE_P005, "'%s' needs '%s' before it", greek[i],
                     greek[i - 1]);
            continue;
        }
        given++;
        if (fraction(c, v, greek[i], g, i, &g->factor[i]) == 0) {
            if (i == 0)
                g->factor_loc = qr_yaml_loc(v);
            g->n_factors++;
        }
    }
    v = ld_get(c, m, "alpha", &at);
    if (v && g->model != QR_CCF_ALPHA) {
        ld_error(c, at, QR_RULE_P004, "'alpha' is no factor of the %s model",
                 qr_ccf_model_name(g->model));
    } else if (v && ld_expect(c, v, YAML_SEQUENCE_NODE, "'alpha'") == 0) {
        g->factor_loc = qr_yaml_loc(v);
        for (yaml_node_item_t *it = v->data.sequence.items.start;
             it < v->data.sequence.items.top; it++) {
            if (g->n_factors >= QR_CCF_MAX_FACTORS) {
                ld_error(c, qr_yaml_loc(v), QR_RULE_P004,
                         "more than %d alpha factors", QR_CCF_MAX_FACTORS);
                break;
            }
            if (fraction(c, ld_node(c, *it), "alpha", g, g->n_factors,
                         &g->factor[g->n_factors]) == 0)
                g->n_factors++;
        }
    }
    if (g->n_factors == 0 && given == 0 && !(v && g->model == QR_CCF_ALPHA))
        ld_error(c, m->loc, QR_RULE_P005, "%s needs '%s'", m->what,
                 g->model == QR_CCF_ALPHA ? "alpha" : "beta");
}

bool ld_ccf_group(ld_ctx *c, yaml_node_t *item, qr_ccf_group *g, bool allow_list,
                  qr_origin from)
{
    static const char *const keys[] = { "name", "members", "model", "beta", "gamma",
                                        "delta", "alpha", "source", NULL };
    memset(g, 0, sizeof(*g));
    g->from = from;
    if (ld_expect(c, item, YAML_MAPPING_NODE, "a 'common_cause' entry") != 0)
        return false;
    ld_map m = { .map = item, .what = "a 'common_cause' entry", .loc = qr_yaml_loc(item) };
    ld_check_keys(c, &m, keys);
    yaml_node_t *v;
    const char *s;
    qr_loc at;
    int errors = c->errors;
    if ((v = ld_require(c, &m, "name", &at)) && ld_name_value(c, v, "name", &s) == 0) {
        g->name = dup_or_oom(c, s);
        g->loc = qr_yaml_loc(v);
    }
    if ((v = ld_require(c, &m, "members", NULL)))
        read_members(c, v, g, allow_list);
    read_model(c, &m, g);
    if ((v = ld_get(c, &m, "source", NULL)) && ld_string(c, v, "source", &s) == 0)
        g->source = dup_or_oom(c, s);
    return c->errors == errors && g->name && !c->oom;
}

void ld_ccf_group_release(qr_ccf_group *g)
{
    free(g->name);
    free(g->members);
    free(g->member_locs);
    free(g->source);
    free(g->role);
    memset(g, 0, sizeof(*g));
}

void ld_common_cause(ld_ctx *c, const ld_map *root)
{
    qr_loc at;
    yaml_node_t *seq = ld_get(c, root, "common_cause", &at);
    if (!seq || ld_expect(c, seq, YAML_SEQUENCE_NODE, "'common_cause'") != 0)
        return;
    qr_topology *t = c->t;
    int count = (int)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    t->ccf = ld_alloc(c, (size_t)count + 1, sizeof(*t->ccf));
    if (!t->ccf)
        return;
    for (yaml_node_item_t *it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        qr_ccf_group g;
        if (!ld_ccf_group(c, ld_node(c, *it), &g, true, QR_FROM_DESIGN)) {
            ld_ccf_group_release(&g);
            continue;
        }
        bool taken = false;
        for (int i = 0; i < t->n_ccf; i++)
            taken |= strcmp(t->ccf[i].name, g.name) == 0;
        if (taken) {
            ld_error(c, g.loc, QR_RULE_P007, "common-cause group '%s' is defined twice",
                     g.name);
            ld_ccf_group_release(&g);
            continue;
        }
        t->ccf[t->n_ccf++] = g;
    }
}
