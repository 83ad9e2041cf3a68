/*
 * assumptions_load.c: the assumptions file (docs/assumptions.md) into a
 * qr_assumptions (assumptions.h). It is a loader like the topology's: the
 * same safe document load (yaml_doc.c: size, depth and alias limits,
 * duplicate keys), the same value syntax and readers (a kind's `mtbf`,
 * `mttr` and `patch` are read by the code that reads a topology's
 * `defaults:`), the same "did you mean" for unknown keys, P001-P011 and a
 * 1-based file:line:col, every error collected rather than the first. It
 * shares the loader's context with no topology attached (ld_ctx.t NULL).
 *
 * Any duration of the file may be uncertain (model/uncertain.h): the
 * loader's duration reader hands a range mapping to read_range() below
 * (ld_ctx.range), which records it in qr_assumptions.uncertain and gives
 * the reader its point value; what is being read (a kind's figure or a
 * timing) is said by the walk before each read (range_target).
 */
#include "model/assumptions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/loader_internal.h"
#include "model/yaml_doc.h"

/* Longest text of a `sources:` entry: reports print it on one line. */
#define MAX_SOURCE 300

/* The top-level keys that name a kind, in qr_comp_kind order (external SQL
 * is a service the design buys: not an assumption). */
static const char *const kind_keys[QR_COMP_KIND_COUNT] = {
    "site", "host", "server", "storage", "link", "cloud_witness", NULL,
};

/* Largest error factor: 100 already spans four orders of magnitude between
 * the 5th and the 95th percentile. */
#define MAX_ERROR_FACTOR 100.0

/* What the walk is reading, for read_range(): a kind's figures (kind >= 0)
 * or a timing (setting >= 0). */
typedef struct {
    qr_assumptions *a;
    int             kind;
    int             setting;
} range_target;

/* A bound or the median of a range: a finite duration. */
static int range_duration(ld_ctx *c, const yaml_node_t *v, const char *what, double *out)
{
    if (v->type == YAML_SCALAR_NODE && strcmp((const char *)v->data.scalar.value, "never") == 0) {
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004,
                 "'%s' of an uncertain value must be a finite duration, not 'never'", what);
        return -1;
    }
    char quoted[16];
    snprintf(quoted, sizeof(quoted), "'%s'", what);
    if (ld_expect(c, v, YAML_SCALAR_NODE, quoted) != 0)
        return -1;
    return ld_duration(c, v, what, false, out);
}

/* A bound of a common-cause factor's range: "5%" or 0.05, in (0, 1) (a
 * log-uniform needs a bound above 0; a factor of 1 is no range to draw
 * from, and ld_percent excludes 100% as well). */
static int range_fraction(ld_ctx *c, const yaml_node_t *v, const char *what, const char *key,
                          double *out)
{
    char quoted[16];
    snprintf(quoted, sizeof(quoted), "'%s'", what);
    if (ld_expect(c, v, YAML_SCALAR_NODE, quoted) != 0)
        return -1;
    size_t len = v->data.scalar.length;
    int rc = len > 0 && v->data.scalar.value[len - 1] == '%' ? ld_percent(c, v, what, out)
                                                            : ld_nonneg(c, v, what, out);
    if (rc != 0)
        return -1;
    if (!(*out > 0) || !(*out < 1)) {
        char ex[64];
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004,
                 "'%s' of the uncertain value of '%s' must be a fraction between 0 and 1 "
                 "(0%% and 100%%), both excluded, got '%s'",
                 what, key, ld_excerpt(v, ex, sizeof(ex)));
        return -1;
    }
    return 0;
}

/* A common-cause factor (c->range_target CCF) or a latent fault's 'every'
 * or 'fix' (LATENT): name and target of the uncertain value. */
static int range_identify_entry(const ld_ctx *c, const char *key, qr_uncertain *u)
{
    const char *name = c->range_name ? c->range_name : "?";
    u->item = -1;
    u->target = (qr_uncertain_target)c->range_target;
    u->index = c->range_index;
    u->field = c->range_field;
    if (c->range_field < 0)
        return -1;
    if (c->range_target == QR_UNC_TARGET_CCF) {
        u->fraction = true;
        if (strcmp(key, "alpha") == 0)
            snprintf(u->key, sizeof(u->key), "common_cause.%.128s.alpha_%d", name,
                     c->range_field + 1);
        else
            snprintf(u->key, sizeof(u->key), "common_cause.%.128s.%.8s", name, key);
        return 0;
    }
    snprintf(u->key, sizeof(u->key), "latent_faults.%.128s.%.8s", name, key);
    return 0;
}

/* Name, item and target of the uncertain value being read as `key`. */
static int range_identify(const ld_ctx *c, const range_target *tg, const char *key,
                          qr_uncertain *u)
{
    static const char *const kind_names[QR_COMP_KIND_COUNT] = {
        "site", "host", "server", "storage", "link", "cloud_witness", NULL,
    };
    u->kind = u->part = u->setting = -1;
    if (c->range_target != QR_UNC_TARGET_ITEM)
        return range_identify_entry(c, key, u);
    if (tg->setting >= 0) {
        for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++)
            if (qr_assumption_item_at(i)->setting == tg->setting) {
                u->item = i;
                u->setting = tg->setting;
                snprintf(u->key, sizeof(u->key), "%s", qr_assumption_item_at(i)->key);
                return 0;
            }
        return -1;
    }
    if (tg->kind < 0 || !kind_names[tg->kind])
        return -1;
    const char *item = "mtbf";
    if (strcmp(key, "mtbf") == 0) {
        u->part = QR_PART_FAILURE_MEAN;
    } else if (strcmp(key, "mttr") == 0) {
        u->part = QR_PART_REPAIR_MEAN;
        item = "mttr";
    } else if (strcmp(key, "every") == 0 || strcmp(key, "reboot") == 0) {
        u->part = key[0] == 'e' ? QR_PART_PATCH_EVERY : QR_PART_PATCH_REBOOT;
        item = "patch";
    } else {
        return -1;
    }
    char name[48];
    snprintf(name, sizeof(name), "%.16s.%.8s", kind_names[tg->kind], item);
    u->item = qr_assumption_item_find(name);
    u->kind = tg->kind;
    if (u->part == QR_PART_PATCH_EVERY || u->part == QR_PART_PATCH_REBOOT)
        snprintf(u->key, sizeof(u->key), "%.24s.%.8s", name, key);
    else
        snprintf(u->key, sizeof(u->key), "%s", name);
    return u->item >= 0 ? 0 : -1;
}

/* ld_ctx.range: `{ low: 3mo, high: 3y }` (log-uniform) or `{ median: 4h,
 * error_factor: 3 }` (lognormal) in place of the duration `key`. */
static int read_range(ld_ctx *c, const yaml_node_t *n, const char *key, double *out)
{
    static const char *const keys[] = { "low", "high", "median", "error_factor", NULL };
    range_target *tg = c->range_ctx;
    qr_uncertain u;
    memset(&u, 0, sizeof(u));
    u.loc = qr_yaml_loc(n);
    if (range_identify(c, tg, key, &u) != 0) {
        if (c->range_target == QR_UNC_TARGET_LATENT)
            ld_error(c, u.loc, QR_RULE_P004,
                     "'%s' cannot be an uncertain value: of a latent fault only 'every' and "
                     "'fix' can (docs/sensitivity.md)",
                     key);
        else
            ld_error(c, u.loc, QR_RULE_P004, "'%s' cannot be an uncertain value", key);
        return -1;
    }
    char what[200];
    snprintf(what, sizeof(what), "the uncertain value of '%s'", u.key);
    ld_map m = { .map = (yaml_node_t *)n, .what = what, .loc = u.loc };
    int errors = c->errors;
    ld_check_keys(c, &m, keys);
    qr_loc high_loc, ef_loc;
    yaml_node_t *low = ld_get(c, &m, "low", NULL), *high = ld_get(c, &m, "high", &high_loc);
    yaml_node_t *median = ld_get(c, &m, "median", NULL);
    yaml_node_t *ef = ld_get(c, &m, "error_factor", &ef_loc);
    if ((low || high) && (median || ef)) {
        ld_error(c, u.loc, QR_RULE_P004,
                 "give 'low' and 'high' (log-uniform) or 'median' and 'error_factor' "
                 "(lognormal) for '%s', not both",
                 u.key);
        return -1;
    }
    if (u.fraction && !(low || high)) {
        /* A lognormal has no upper bound: its draws would pass 100%. */
        ld_error(c, u.loc, QR_RULE_P004,
                 "the uncertain value of common-cause factor '%s' is { low, high } "
                 "(log-uniform within 0 to 100%%): a lognormal ({ median, error_factor }) "
                 "has no upper bound",
                 u.key);
        return -1;
    }
    if (low || high) {
        u.form = QR_UNC_LOG_UNIFORM;
        if (!ld_require(c, &m, "low", NULL) || !ld_require(c, &m, "high", NULL))
            return -1;
        if (u.fraction ? range_fraction(c, low, "low", u.key, &u.low) != 0 ||
                             range_fraction(c, high, "high", u.key, &u.high) != 0
                       : range_duration(c, low, "low", &u.low) != 0 ||
                             range_duration(c, high, "high", &u.high) != 0)
            return -1;
        if (!(u.high > u.low)) {
            char a[48], b[48];
            ld_error(c, qr_yaml_loc(high), QR_RULE_P004,
                     "'high' (%s) must be greater than 'low' (%s) in the uncertain value "
                     "of '%s'",
                     qr_uncertain_value_text(&u, u.high, a, sizeof(a)),
                     qr_uncertain_value_text(&u, u.low, b, sizeof(b)), u.key);
            return -1;
        }
    } else {
        u.form = QR_UNC_LOGNORMAL;
        if (!ld_require(c, &m, "median", NULL) || !ld_require(c, &m, "error_factor", NULL) ||
            range_duration(c, median, "median", &u.median) != 0 ||
            ld_cost(c, ef, "error_factor", &u.error_factor) != 0)
            return -1;
        if (!(u.error_factor > 1) || u.error_factor > MAX_ERROR_FACTOR) {
            ld_error(c, qr_yaml_loc(ef), QR_RULE_P004,
                     "'error_factor' must be greater than 1 and at most %g, got %g (1 would "
                     "be no uncertainty: give the value itself)",
                     MAX_ERROR_FACTOR, u.error_factor);
            return -1;
        }
    }
    if (c->errors != errors)
        return -1;
    if (tg->a->n_uncertain >= QR_UNCERTAIN_MAX) { /* more than the file has room for */
        ld_error(c, u.loc, QR_RULE_P004, "more than %d uncertain values", QR_UNCERTAIN_MAX);
        return -1;
    }
    tg->a->uncertain[tg->a->n_uncertain++] = u;
    *out = qr_uncertain_point(&u);
    return 0;
}

/* A figure in an assumptions file is whole: `mtbf: 6mo` is an exponential
 * of mean 6mo, whatever family a design's `defaults:` named, and `patch:
 * { every: 7d }` reboots for the built-in 15m. So the parts of a figure
 * the file leaves out are given too, with their built-in values (fig
 * starts from them), at the place of the part it wrote. */
static void whole(qr_kind_figures *fig, unsigned parts)
{
    static const unsigned groups[] = { QR_PARTS_FAILURE, QR_PARTS_REPAIR, QR_PARTS_PATCH };
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        if (!(parts & groups[g]))
            continue;
        qr_given at = { QR_FROM_ASSUMPTIONS, { 0, 0 } };
        for (int p = 0; p < QR_PART_COUNT; p++)
            if ((parts & groups[g] & QR_PART_BIT(p)) && at.loc.line == 0)
                at = fig->given[p];
        for (int p = 0; p < QR_PART_COUNT; p++)
            if (groups[g] & QR_PART_BIT(p))
                fig->given[p] = at;
    }
}

/* `site: { mtbf: 10y, mttr: 24h }`, `server: { ..., patch: ... }`. */
static void read_kinds(ld_ctx *c, const ld_map *root, qr_assumptions *a)
{
    range_target *tg = c->range_ctx;
    static const char *const keys[] = { "mtbf", "mttr", "cost", NULL };
    static const char *const server_keys[] = { "mtbf", "mttr", "patch", "cost", NULL };
    for (int k = 0; k < QR_COMP_KIND_COUNT; k++) {
        ld_map m;
        if (!kind_keys[k] || ld_sub_map(c, root, kind_keys[k], &m) <= 0)
            continue;
        ld_check_keys(c, &m, k == QR_COMP_SERVER ? server_keys : keys);
        qr_loc cost_loc;
        if (ld_get(c, &m, "cost", &cost_loc))
            ld_error(c, cost_loc, QR_RULE_P002,
                     "'cost' is a design matter, not an assumption: give it in the "
                     "design (or with compare's --server-cost)");
        tg->kind = k;
        whole(&a->kinds[k],
              ld_figure_keys(c, &m, (qr_comp_kind)k, &a->kinds[k], NULL, QR_FROM_ASSUMPTIONS));
        tg->kind = -1;
    }
}

static void duration(ld_ctx *c, const ld_map *m, const char *key, qr_assumptions *a,
                     qr_setting s)
{
    range_target *tg = c->range_ctx;
    tg->setting = (int)s;
    ld_opt_duration_given(c, m, key, &a->setting[s], QR_FROM_ASSUMPTIONS,
                          &a->setting_given[s]);
    tg->setting = -1;
}

/* A delay that may be `none` (0): pairing.patch_offset. */
static void delay(ld_ctx *c, const ld_map *m, const char *key, qr_assumptions *a,
                  qr_setting s)
{
    range_target *tg = c->range_ctx;
    tg->setting = (int)s;
    ld_opt_duration_or_none_given(c, m, key, &a->setting[s], QR_FROM_ASSUMPTIONS,
                                  &a->setting_given[s]);
    tg->setting = -1;
}

static void flag(ld_ctx *c, const ld_map *m, const char *key, qr_assumptions *a,
                 qr_setting s)
{
    bool b = false;
    ld_opt_bool_given(c, m, key, &b, QR_FROM_ASSUMPTIONS, &a->setting_given[s]);
    if (a->setting_given[s].from == QR_FROM_ASSUMPTIONS)
        a->setting[s] = b ? 1 : 0;
}

/* The timings: the same keys as a topology's `fabric`, `operations` and
 * `patching`, and as its back end's, file store's and clusters' timings. */
static void read_settings(ld_ctx *c, const ld_map *root, qr_assumptions *a)
{
    ld_map m, sub;
    if (ld_sub_map(c, root, "fabric", &m) > 0) {
        static const char *const keys[] = { "graceful_leave_adjusts_votes", "restart_time",
                                            "replica_rebuild", NULL };
        ld_check_keys(c, &m, keys);
        flag(c, &m, "graceful_leave_adjusts_votes", a, QR_SET_GRACEFUL_LEAVE); /* M1.3 */
        duration(c, &m, "restart_time", a, QR_SET_RESTART_TIME);              /* M1.6 */
        duration(c, &m, "replica_rebuild", a, QR_SET_REPLICA_REBUILD);        /* M2.3 */
    }
    if (ld_sub_map(c, root, "operations", &m) > 0) {
        static const char *const keys[] = { "quorum_reset", "sql_failover", "force_quorum",
                                            "health_audit", NULL };
        static const char *const every_keys[] = { "every", NULL };
        static const char *const reset_keys[] = { "after", "retry", NULL };
        static const char *const after_keys[] = { "after", NULL };
        ld_check_keys(c, &m, keys);
        if (ld_sub_map(c, &m, "quorum_reset", &sub) > 0) { /* M1.7 */
            ld_check_keys(c, &sub, reset_keys);
            duration(c, &sub, "after", a, QR_SET_QUORUM_RESET_AFTER);
            duration(c, &sub, "retry", a, QR_SET_QUORUM_RESET_RETRY);
        }
        if (ld_sub_map(c, &m, "sql_failover", &sub) > 0) { /* M3.4 */
            ld_check_keys(c, &sub, after_keys);
            duration(c, &sub, "after", a, QR_SET_SQL_FAILOVER_AFTER);
        }
        if (ld_sub_map(c, &m, "force_quorum", &sub) > 0) { /* M4.5 */
            ld_check_keys(c, &sub, after_keys);
            duration(c, &sub, "after", a, QR_SET_FORCE_QUORUM_AFTER);
        }
        if (ld_sub_map(c, &m, "health_audit", &sub) > 0) { /* M7.4 */
            ld_check_keys(c, &sub, every_keys);
            yaml_node_t *v = ld_get(c, &sub, "every", NULL);
            double every;
            if (v && ld_mean(c, v, "every", true, &every) == 0) {
                a->setting[QR_SET_HEALTH_AUDIT] = every;
                a->setting_given[QR_SET_HEALTH_AUDIT] =
                    (qr_given){ QR_FROM_ASSUMPTIONS, qr_yaml_loc(v) };
            }
        }
    }
    if (ld_sub_map(c, root, "patching", &m) > 0) {
        static const char *const keys[] = { "gap", "skip_if_unhealthy", "verify_after_reboot",
                                            NULL };
        ld_check_keys(c, &m, keys);
        flag(c, &m, "verify_after_reboot", a, QR_SET_VERIFY_AFTER_REBOOT); /* M7.5 */
        duration(c, &m, "gap", a, QR_SET_PATCH_GAP);             /* M7.1 */
        flag(c, &m, "skip_if_unhealthy", a, QR_SET_PATCH_SKIP); /* M7.2 */
    }
    if (ld_sub_map(c, root, "backend", &m) > 0) {
        static const char *const keys[] = { "failover_time", "resync_time",
                                            "resiliency_grace", NULL };
        ld_check_keys(c, &m, keys);
        duration(c, &m, "failover_time", a, QR_SET_BACKEND_FAILOVER);  /* M3.3, M4.6 */
        duration(c, &m, "resync_time", a, QR_SET_BACKEND_RESYNC);      /* M3.3 */
        duration(c, &m, "resiliency_grace", a, QR_SET_RESILIENCY_GRACE); /* M3.5 */
    }
    if (ld_sub_map(c, root, "file_store", &m) > 0) {
        static const char *const keys[] = { "failover_time", NULL };
        ld_check_keys(c, &m, keys);
        duration(c, &m, "failover_time", a, QR_SET_FILE_STORE_FAILOVER); /* M5.1 */
    }
    if (ld_sub_map(c, root, "cluster", &m) > 0) {
        static const char *const keys[] = { "quorum_adjust_delay", NULL };
        ld_check_keys(c, &m, keys);
        duration(c, &m, "quorum_adjust_delay", a, QR_SET_QUORUM_ADJUST_DELAY); /* M4.2 */
    }
    if (ld_sub_map(c, root, "pairing", &m) > 0) { /* M10: a design with pools only */
        static const char *const keys[] = { "backup_lag", "registrar_failover",
                                            "failover_after", "failover_time",
                                            "cms_failover_time", "failback_after",
                                            "failback_time", "patch_offset", NULL };
        ld_check_keys(c, &m, keys);
        duration(c, &m, "backup_lag", a, QR_SET_PAIR_BACKUP_LAG);               /* M10.1 */
        duration(c, &m, "registrar_failover", a, QR_SET_PAIR_REGISTRAR_FAILOVER); /* M10.2 */
        duration(c, &m, "failover_after", a, QR_SET_PAIR_FAILOVER_AFTER);       /* M10.3 */
        duration(c, &m, "failover_time", a, QR_SET_PAIR_FAILOVER_TIME);         /* M10.3 */
        duration(c, &m, "cms_failover_time", a, QR_SET_PAIR_CMS_FAILOVER_TIME); /* M10.4 */
        duration(c, &m, "failback_after", a, QR_SET_PAIR_FAILBACK_AFTER);       /* M10.5 */
        duration(c, &m, "failback_time", a, QR_SET_PAIR_FAILBACK_TIME);         /* M10.5 */
        delay(c, &m, "patch_offset", a, QR_SET_PAIR_PATCH_OFFSET);              /* M7.1 */
    }
}

/* `sources: { site.mtbf: "...", ... }`: where a value of this file comes
 * from, one entry per item the file gives. */
static void read_sources(ld_ctx *c, const ld_map *root, qr_assumptions *a)
{
    ld_map m;
    if (ld_sub_map(c, root, "sources", &m) <= 0)
        return;
    const char *names[QR_ASSUMPTION_ITEM_COUNT + 1];
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++)
        names[i] = qr_assumption_item_at(i)->key;
    names[QR_ASSUMPTION_ITEM_COUNT] = NULL;
    ld_check_keys(c, &m, names); /* unknown items, with a suggestion */
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++) {
        qr_loc loc;
        yaml_node_t *v = ld_get(c, &m, names[i], &loc);
        const char *text;
        if (!v || ld_string(c, v, names[i], &text) != 0)
            continue;
        if (!qr_assumptions_gives(a, i)) {
            ld_error(c, loc, QR_RULE_P004,
                     "'sources' names '%s', which this file gives no value for", names[i]);
            continue;
        }
        size_t len = strlen(text);
        if (len == 0 || len > MAX_SOURCE) {
            ld_error(c, qr_yaml_loc(v), QR_RULE_P004,
                     "the source of '%s' must be 1 to %d characters, got %zu", names[i],
                     MAX_SOURCE, len);
            continue;
        }
        if (!(a->source[i] = strdup(text)))
            c->oom = 1;
    }
}

/* `common_cause:`: groups by role (loader_ccf.c), kept for apply. */
static void read_common_cause(ld_ctx *c, const ld_map *root, qr_assumptions *a)
{
    yaml_node_t *seq = ld_get(c, root, "common_cause", NULL);
    if (!seq || ld_expect(c, seq, YAML_SEQUENCE_NODE, "'common_cause'") != 0)
        return;
    int count = (int)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    a->ccf = ld_alloc(c, (size_t)count + 1, sizeof(*a->ccf));
    if (!a->ccf)
        return;
    for (yaml_node_item_t *it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        qr_ccf_group g;
        c->range_index = a->n_ccf; /* a factor's range (uncertain.h) */
        bool ok = ld_ccf_group(c, ld_node(c, *it), &g, false, QR_FROM_ASSUMPTIONS);
        for (int i = 0; ok && i < a->n_ccf; i++)
            if (strcmp(a->ccf[i].name, g.name) == 0) {
                ld_error(c, g.loc, QR_RULE_P007, "common-cause group '%s' is defined twice",
                         g.name);
                ok = false;
            }
        if (!ok) {
            ld_ccf_group_release(&g);
            continue;
        }
        a->ccf[a->n_ccf++] = g;
    }
}

static void read_root(ld_ctx *c, yaml_node_t *root, qr_assumptions *a)
{
    if (ld_is_empty(root)) {
        ld_error(c, qr_yaml_loc(root), QR_RULE_P010,
                 "empty assumptions: the document has no content");
        return;
    }
    if (ld_expect(c, root, YAML_MAPPING_NODE, "the assumptions") != 0)
        return;
    ld_map m = { .map = root, .what = "the assumptions", .loc = qr_yaml_loc(root) };
    if (ld_wrong_input_kind(c, &m, QR_INPUT_ASSUMPTIONS))
        return;
    ld_check_keys_ext(c, &m, qr_input_keys(QR_INPUT_ASSUMPTIONS), true); /* `x-...:`: anchors */
    qr_loc loc;
    if (ld_get(c, &m, "defaults", &loc))
        ld_error(c, loc, QR_RULE_P002,
                 "'defaults' is a topology key: an assumptions file gives each kind at "
                 "its top level ('site:', 'server:', ...)");
    yaml_node_t *v;
    const char *s;
    if ((v = ld_get(c, &m, "name", NULL)) && ld_string(c, v, "name", &s) == 0 &&
        !(a->name = strdup(s)))
        c->oom = 1;
    read_kinds(c, &m, a);
    read_settings(c, &m, a);
    ld_latent_faults(c, &m, QR_FROM_ASSUMPTIONS, &a->latent, &a->n_latent); /* M7.3 */
    read_sources(c, &m, a);
    read_common_cause(c, &m, a);
}

/* read_root, then the count of the errors past the cap (ld_read_fn). */
static void read_document(ld_ctx *c, yaml_node_t *root, void *a)
{
    static const qr_loc nowhere = { 0, 0 };
    read_root(c, root, a);
    if (c->errors > LD_MAX_ERRORS)
        qr_diag_add(c->d, QR_SEV_NOTE, nowhere, QR_RULE_P010, "%d more errors not shown",
                    c->errors - LD_MAX_ERRORS);
}

int qr_assumptions_load_buffer(const char *name, const char *text, size_t len,
                               qr_assumptions **out, qr_diags *diags)
{
    static const qr_loc nowhere = { 0, 0 };
    *out = NULL;
    if (!name)
        name = "<input>";
    qr_assumptions *a = calloc(1, sizeof(*a));
    if (a)
        qr_assumptions_init(a);
    if (!a || !(a->file = strdup(name))) {
        qr_assumptions_free(a);
        qr_diag_add(diags, QR_SEV_ERROR, nowhere, QR_RULE_P010, "out of memory");
        return 2;
    }
    range_target tg = { a, -1, -1 };
    ld_ctx c = { .t = NULL, .d = diags, .range = read_range, .range_ctx = &tg };
    int ret = ld_read_document(&c, text, len, read_document, a);
    qr_diags_sort(diags);
    if (ret == 0)
        *out = a;
    else
        qr_assumptions_free(a);
    return ret;
}

int qr_assumptions_load_file(const char *path, qr_assumptions **out, qr_diags *diags)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = qr_yaml_read_file(path, &text, &len, diags);
    if (rc != 0) {
        qr_diags_sort(diags);
        return rc;
    }
    rc = qr_assumptions_load_buffer(path, text, len, out, diags);
    free(text);
    return rc;
}
