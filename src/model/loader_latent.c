/*
 * loader_latent.c: the `latent_faults:` list (M7.3) of a topology and of
 * an assumptions file (docs/topology-format.md, docs/assumptions.md).
 *
 *   latent_faults:
 *     - name: subca-in-root          # required, unique in the list
 *       members: [fe1, fe2, fe3]     # a topology: servers; an assumptions
 *                                    #   file: `frontends` or `servers`
 *       every: 2y                    # mean time between arrivals, and/or
 *       at: 30d                      # a scheduled one-off arrival
 *       common: true                 # one arrival lands on every member
 *       breaks: [presence, conferencing, address_book]   # or `server`
 *       fix: 2h                      # to fix it once it shows (default 4h)
 *
 * Features named in `breaks:` are broken for the users of the front ends
 * that show the fault, so they need members that are front ends (a
 * topology) and must be built-in features (an assumptions file, which
 * knows no design's own features). Errors carry file:line:col.
 */
#include "model/loader_internal.h"
#include "model/uncertain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fault_keys[] = { "name", "members", "every", "at", "common",
                                          "breaks", "fix", NULL };

/* The built-in feature names (M6), in qr_topology_init's order: an
 * assumptions file may name only these. */
static int builtin_feature(const char *name)
{
    static const char *const names[QR_DEFAULT_FEATURE_COUNT] = {
        "signin_im", "presence", "p2p_calls", "conferencing", "address_book",
        "persistent_changes",
    };
    for (int i = 0; i < QR_DEFAULT_FEATURE_COUNT; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

static void read_breaks(ld_ctx *c, yaml_node_t *v, qr_latent_fault *f)
{
    if (v->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)v->data.scalar.value;
        if (strcmp(s, "server") == 0) {
            f->breaks_server = true;
            return;
        }
        char ex[64];
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004,
                 "'breaks' is 'server' or a list of features, got '%s'",
                 ld_excerpt(v, ex, sizeof(ex)));
        return;
    }
    if (ld_expect(c, v, YAML_SEQUENCE_NODE, "'breaks'") != 0)
        return;
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n == 0) {
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004, "'breaks' names no feature");
        return;
    }
    f->features = ld_alloc(c, n, sizeof(int));
    if (!f->features)
        return;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = ld_node(c, v->data.sequence.items.start[i]);
        const char *s;
        if (ld_string(c, item, "breaks", &s) != 0)
            continue;
        int k = c->t ? qr_topology_find_feature(c->t, s) : builtin_feature(s);
        if (k < 0) {
            ld_error(c, qr_yaml_loc(item), QR_RULE_P008,
                     c->t ? "'breaks' names '%s', which is no feature"
                          : "'breaks' names '%s', which is no built-in feature (signin_im, "
                            "presence, p2p_calls, conferencing, address_book, "
                            "persistent_changes)",
                     s);
            continue;
        }
        bool dup = false;
        for (int j = 0; j < f->n_features; j++)
            dup |= f->features[j] == k;
        if (dup) {
            ld_error(c, qr_yaml_loc(item), QR_RULE_P009, "'%s' is listed twice in 'breaks'", s);
            continue;
        }
        f->features[f->n_features++] = k;
    }
}

static bool is_frontend(const qr_topology *t, int comp)
{
    for (int i = 0; i < t->pool.n_frontends; i++)
        if (t->pool.frontends[i] == comp)
            return true;
    for (int p = 0; p < t->n_pools; p++) /* several pools (M10): any one's */
        for (int i = 0; i < t->pools[p].pool.n_frontends; i++)
            if (t->pools[p].pool.frontends[i] == comp)
                return true;
    return false;
}

/* `members:` of a topology: server names; of an assumptions file: a role. */
static void read_members(ld_ctx *c, yaml_node_t *v, qr_latent_fault *f)
{
    if (!c->t) {
        static const char *const roles[] = { "frontends", "servers", NULL };
        if (v->type != YAML_SCALAR_NODE) {
            ld_error(c, qr_yaml_loc(v), QR_RULE_P003,
                     "'members' of an assumptions file is a role, 'frontends' or 'servers' "
                     "(an assumptions file names no server)");
            return;
        }
        int r = ld_enum(c, v, "members", roles);
        if (r >= 0)
            f->member_kind = r == 0 ? QR_LF_MEMBERS_FRONTENDS : QR_LF_MEMBERS_SERVERS;
        return;
    }
    int n = ld_server_list(c, v, "members", &f->members, &f->member_locs);
    if (n == 0 && v->type == YAML_SEQUENCE_NODE &&
        v->data.sequence.items.top == v->data.sequence.items.start)
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004, "'members' names no server");
    f->n_members = n > 0 ? n : 0;
}

/* One entry; 0 when good (f filled), -1 after an error. */
static int read_fault(ld_ctx *c, yaml_node_t *item, qr_origin from, qr_latent_fault *f)
{
    int errors = c->errors;
    memset(f, 0, sizeof(*f));
    f->every = INFINITY;
    f->at = -1;
    f->common = true;
    f->fix = QR_LATENT_FIX_DEFAULT;
    f->from = from;
    f->loc = qr_yaml_loc(item);
    if (ld_expect(c, item, YAML_MAPPING_NODE, "a latent fault") != 0)
        return -1;
    ld_map m = { .map = item, .what = "a latent fault", .loc = f->loc };
    ld_check_keys(c, &m, fault_keys);
    yaml_node_t *v;
    const char *s;
    if ((v = ld_require(c, &m, "name", NULL)) && ld_name_value(c, v, "name", &s) == 0) {
        f->name = strdup(s);
        if (!f->name)
            c->oom = 1;
    }
    if ((v = ld_require(c, &m, "members", NULL)))
        read_members(c, v, f);
    /* In an assumptions file 'every' and 'fix' may be ranges (the range
     * hook reads them, docs/sensitivity.md); 'at' may not (field -1). */
    c->range_target = QR_UNC_TARGET_LATENT;
    c->range_name = f->name;
    c->range_field = QR_UNC_LATENT_EVERY;
    if ((v = ld_get(c, &m, "every", NULL)))
        ld_mean(c, v, "every", false, &f->every);
    c->range_field = -1;
    if ((v = ld_get(c, &m, "at", NULL)))
        ld_duration(c, v, "at", false, &f->at);
    ld_opt_bool(c, &m, "common", &f->common);
    if ((v = ld_require(c, &m, "breaks", NULL)))
        read_breaks(c, v, f);
    c->range_field = QR_UNC_LATENT_FIX;
    ld_opt_duration(c, &m, "fix", &f->fix);
    c->range_target = QR_UNC_TARGET_ITEM;
    c->range_name = NULL;
    if (!ld_get(c, &m, "every", NULL) && !ld_get(c, &m, "at", NULL)) /* not a bad one */
        ld_error(c, f->loc, QR_RULE_P005,
                 "latent fault '%s' gives neither 'every' (a rate) nor 'at' (a scheduled "
                 "change)",
                 f->name ? f->name : "?");
    /* Features are broken for the users a front end serves (M7.3). */
    if (c->t && !f->breaks_server)
        for (int i = 0; i < f->n_members; i++)
            if (!is_frontend(c->t, f->members[i]))
                ld_error(c, f->member_locs[i], QR_RULE_P004,
                         "latent fault '%s' breaks features, but '%s' is no front end: "
                         "features break for the users a front end serves; use "
                         "'breaks: server' for other servers",
                         f->name ? f->name : "?", c->t->comps[f->members[i]].name);
    return c->errors > errors ? -1 : 0;
}

void ld_latent_faults(ld_ctx *c, const ld_map *root, qr_origin from, qr_latent_fault **out,
                      int *n_out)
{
    qr_loc key_loc;
    yaml_node_t *seq = ld_get(c, root, "latent_faults", &key_loc);
    if (!seq)
        return;
    if (ld_expect(c, seq, YAML_SEQUENCE_NODE, "'latent_faults'") != 0)
        return;
    size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    qr_latent_fault *list = n ? ld_alloc(c, n, sizeof(*list)) : NULL;
    int count = 0;
    for (size_t i = 0; list && i < n; i++) {
        yaml_node_t *item = ld_node(c, seq->data.sequence.items.start[i]);
        qr_latent_fault f;
        c->range_index = count; /* the index it takes when good */
        int bad = read_fault(c, item, from, &f);
        for (int j = 0; !bad && f.name && j < count; j++)
            if (strcmp(list[j].name, f.name) == 0) {
                ld_error(c, f.loc, QR_RULE_P007, "latent fault '%s' is declared twice",
                         f.name);
                bad = -1;
            }
        if (bad || !f.name)
            qr_latent_fault_release(&f);
        else
            list[count++] = f;
    }
    *out = list;
    *n_out = count;
}
