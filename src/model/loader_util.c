/*
 * loader_util.c: the loader's small tools (loader_internal.h): storing
 * diagnostics with a cap, reading mapping keys with "did you mean", strict
 * scalar values through units.c, and the name table that resolves
 * references to components and clusters of the expected kind.
 */
#include "model/loader_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"
#include "model/units.h"

int ld_read_document(ld_ctx *c, const char *text, size_t len, ld_read_fn read, void *arg)
{
    static const qr_loc nowhere = { 0, 0 };
    qr_yaml_doc y;
    size_t before = c->d->n_errors;
    int rc = qr_yaml_doc_load(&y, text ? text : "", text ? len : 0, c->d);
    int ret = 0;
    if (rc != 0) {
        if (rc < 0)
            qr_diag_add(c->d, QR_SEV_ERROR, nowhere, QR_RULE_P010, "out of memory");
        ret = rc < 0 ? 2 : 1;
    } else {
        c->y = &y;
        read(c, qr_yaml_doc_root(&y), arg);
        c->y = NULL;
        if (c->oom || c->d->oom) {
            qr_diag_add(c->d, QR_SEV_ERROR, nowhere, QR_RULE_P010, "out of memory");
            ret = 2;
        } else if (c->errors > 0 || c->d->n_errors > before) {
            ret = 1;
        }
    }
    free(c->names);
    c->names = NULL;
    qr_yaml_doc_release(&y);
    return ret;
}

void ld_error(ld_ctx *c, qr_loc loc, qr_rule_id rule, const char *fmt, ...)
{
    c->errors++; /* the list keeps at most QR_DIAGS_MAX_ERRORS and counts the rest */
    va_list ap;
    va_start(ap, fmt);
    qr_diag_vadd(c->d, QR_SEV_ERROR, loc, rule, fmt, ap);
    va_end(ap);
}

void *ld_alloc(ld_ctx *c, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        c->oom = 1;
    return p;
}

yaml_node_t *ld_node(ld_ctx *c, int id)
{
    return qr_yaml_doc_node(c->y, id);
}

const char *ld_excerpt(const yaml_node_t *n, char *buf, size_t size)
{
    const unsigned char *s = n->data.scalar.value;
    size_t len = n->data.scalar.length, max = size - 4, o = 0;
    size_t cut = len;
    if (len > max) {
        /* Cut on a character boundary, then mark the cut. */
        cut = max;
        while (cut > 0 && (s[cut] & 0xC0) == 0x80)
            cut--;
    }
    for (size_t i = 0; i < cut; i++) {
        if (s[i] == 0xC2 && i + 1 < cut && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
            buf[o++] = '?'; /* a C1 control (U+0080-U+009F), two bytes */
            i++;
            continue;
        }
        buf[o++] = (s[i] < 0x20 || s[i] == 0x7F) ? '?' : (char)s[i];
    }
    if (cut < len) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

const char *ld_got(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a sequence";
    if (n->data.scalar.length == 0 && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        return "nothing";
    char ex[64];
    snprintf(buf, size, "'%s'", ld_excerpt(n, ex, sizeof(ex)));
    return buf;
}

static const char *type_word(yaml_node_type_t type)
{
    switch (type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    default: return "a single value";
    }
}

int ld_expect(ld_ctx *c, const yaml_node_t *n, yaml_node_type_t type,
              const char *what)
{
    if (n->type == type)
        return 0;
    char buf[80];
    ld_error(c, qr_yaml_loc(n), QR_RULE_P003, "expected %s for %s, got %s",
             type_word(type), what, ld_got(n, buf, sizeof(buf)));
    return -1;
}

bool ld_is_empty(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0 &&
           n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* The key text of a scalar node (NUL-terminated by libyaml). */
static const char *key_text(const yaml_node_t *k)
{
    return (const char *)k->data.scalar.value;
}

void ld_check_keys(ld_ctx *c, const ld_map *m, const char *const *allowed)
{
    ld_check_keys_ext(c, m, allowed, false);
}

void ld_check_keys_ext(ld_ctx *c, const ld_map *m, const char *const *allowed,
                       bool allow_x)
{
    size_t n_allowed = 0;
    while (allowed[n_allowed])
        n_allowed++;
    for (yaml_node_pair_t *p = m->map->data.mapping.pairs.start;
         p < m->map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(c, p->key);
        if (k->type != YAML_SCALAR_NODE) {
            ld_error(c, qr_yaml_loc(k), QR_RULE_P003,
                     "expected a name as key in %s, got %s", m->what,
                     type_word(k->type));
            continue;
        }
        const char *key = key_text(k);
        size_t i;
        for (i = 0; i < n_allowed; i++)
            if (strlen(key) == k->data.scalar.length &&
                strcmp(key, allowed[i]) == 0)
                break;
        if (i < n_allowed || (allow_x && strncmp(key, "x-", 2) == 0))
            continue;
        char ex[64];
        ld_excerpt(k, ex, sizeof(ex));
        const char *hint = c->errors >= LD_MAX_ERRORS
                               ? NULL : qr_suggest(ex, allowed, n_allowed);
        if (hint)
            ld_error(c, qr_yaml_loc(k), QR_RULE_P002,
                     "unknown key '%s' in %s (did you mean '%s'?)", ex,
                     m->what, hint);
        else
            ld_error(c, qr_yaml_loc(k), QR_RULE_P002, "unknown key '%s' in %s", ex,
                     m->what);
    }
}

yaml_node_t *ld_get(ld_ctx *c, const ld_map *m, const char *key,
                    qr_loc *key_loc)
{
    size_t len = strlen(key);
    for (yaml_node_pair_t *p = m->map->data.mapping.pairs.start;
         p < m->map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(c, p->key);
        if (k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
            memcmp(k->data.scalar.value, key, len) == 0) {
            if (key_loc)
                *key_loc = qr_yaml_loc(k);
            return ld_node(c, p->value);
        }
    }
    return NULL;
}

yaml_node_t *ld_require(ld_ctx *c, const ld_map *m, const char *key,
                        qr_loc *key_loc)
{
    yaml_node_t *v = ld_get(c, m, key, key_loc);
    if (!v)
        ld_error(c, m->loc, QR_RULE_P005, "missing required key '%s' in %s", key,
                 m->what);
    return v;
}

int ld_sub_map(ld_ctx *c, const ld_map *m, const char *key, ld_map *sub)
{
    qr_loc kloc;
    yaml_node_t *v = ld_get(c, m, key, &kloc);
    if (!v)
        return 0;
    snprintf(sub->buf, sizeof(sub->buf), "'%s'", key);
    if (ld_expect(c, v, YAML_MAPPING_NODE, sub->buf) != 0)
        return -1;
    sub->map = v;
    sub->what = sub->buf;
    sub->loc = kloc;
    return 1;
}

/* The scalar text of n, or NULL with P003 (not a scalar) or P004 (a NUL
 * inside, which only a "\0" escape can produce). */
static const char *scalar(ld_ctx *c, const yaml_node_t *n, const char *key,
                          const char *expected)
{
    char buf[80];
    if (n->type != YAML_SCALAR_NODE) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P003, "expected %s for '%s', got %s",
                 expected, key, ld_got(n, buf, sizeof(buf)));
        return NULL;
    }
    const char *s = (const char *)n->data.scalar.value;
    if (strlen(s) != n->data.scalar.length) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "value of '%s' contains a NUL character", key);
        return NULL;
    }
    return s;
}

int ld_string(ld_ctx *c, const yaml_node_t *n, const char *key,
              const char **out)
{
    const char *s = scalar(c, n, key, "a string");
    if (!s)
        return -1;
    int ctl = qr_text_control_char(s);
    if (ctl >= 0) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "'%s' must not contain control characters, got U+%04X", key, (unsigned)ctl);
        return -1;
    }
    *out = s;
    return 0;
}

int ld_name_value(ld_ctx *c, const yaml_node_t *n, const char *key,
                  const char **out)
{
    const char *s = scalar(c, n, key, "a name");
    if (!s)
        return -1;
    char ex[64];
    if (*s == '\0') {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004, "empty name for '%s'", key);
        return -1;
    }
    for (const char *p = s; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
              ch == '.')) {
            ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                     "invalid name '%s': use letters, digits, '_', '-' and "
                     "'.'", ld_excerpt(n, ex, sizeof(ex)));
            return -1;
        }
    }
    if (strlen(s) > 128) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "name '%s' is longer than 128 characters",
                 ld_excerpt(n, ex, sizeof(ex)));
        return -1;
    }
    *out = s;
    return 0;
}

bool ld_is_range(ld_ctx *c, const yaml_node_t *n)
{
    static const char *const keys[] = { "low", "high", "median", "error_factor" };
    if (!n || n->type != YAML_MAPPING_NODE)
        return false;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = ld_node(c, p->key);
        for (size_t i = 0; k && k->type == YAML_SCALAR_NODE && i < sizeof(keys) / sizeof(keys[0]);
             i++)
            if (strcmp(key_text(k), keys[i]) == 0)
                return true;
    }
    return false;
}

int ld_range(ld_ctx *c, const yaml_node_t *n, const char *key, double *out)
{
    if (c->range)
        return c->range(c, n, key, out);
    if (c->range_ctx) /* an assumptions file, in a part that takes none */
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "'%s' here cannot be an uncertain value: only a kind's figures, the "
                 "patch period and reboot, the timings, common-cause factors and "
                 "latent faults' 'every' and 'fix' can (docs/sensitivity.md)",
                 key);
    else
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
             "an uncertain value ({ low, high } or { median, error_factor }) for "
             "'%s' is allowed only in an assumptions file (--assume; "
             "docs/sensitivity.md)",
             key);
    return -1;
}

int ld_duration(ld_ctx *c, const yaml_node_t *n, const char *key,
                bool allow_never, double *out)
{
    if (ld_is_range(c, n)) /* an uncertain value (docs/sensitivity.md) */
        return ld_range(c, n, key, out);
    const char *s = scalar(c, n, key, "a duration");
    if (!s)
        return -1;
    const char *reason = NULL;
    char ex[64];
    if (strcmp(s, "never") == 0 && !allow_never) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "'never' is only allowed for 'mtbf', not for '%s'", key);
        return -1;
    }
    if (qr_units_duration_or_never(s, out, &reason) == 0)
        return 0;
    if (strcmp(reason, "no unit") == 0)
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "expected a duration with a unit such as '15m' or '4h', got "
                 "'%s'", ld_excerpt(n, ex, sizeof(ex)));
    else
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "expected a duration with a unit such as '15m' or '4h', got "
                 "'%s' (%s)", ld_excerpt(n, ex, sizeof(ex)), reason);
    return -1;
}

int ld_external_mtbf(ld_ctx *c, const yaml_node_t *n, double availability, double mttr,
                     double *mtbf)
{
    double mean = mttr * availability / (1.0 - availability);
    char ex[64];
    if (!isfinite(mean)) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004, "'availability' is too close to 100%% for the "
                 "given 'mttr'");
        return -1;
    }
    if (!(mean >= QR_DIST_MIN_MEAN)) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004, "'availability' of '%s' with a repair time of "
                 "%gs gives an MTBF below 1s (at least %.2g%% is needed)",
                 ld_excerpt(n, ex, sizeof(ex)), mttr,
                 100.0 * QR_DIST_MIN_MEAN / (QR_DIST_MIN_MEAN + mttr));
        return -1;
    }
    *mtbf = mean;
    return 0;
}

/* *out = v when ok, else the P004 error "'key' must be <bound>, got '...'"
 * and -1. */
static int bounded(ld_ctx *c, const yaml_node_t *n, const char *key, double v, bool ok,
                   const char *bound, double *out)
{
    if (!ok) {
        char ex[64];
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004, "'%s' must be %s, got '%s'", key, bound,
                 ld_excerpt(n, ex, sizeof(ex)));
        return -1;
    }
    *out = v;
    return 0;
}

int ld_mean(ld_ctx *c, const yaml_node_t *n, const char *key, bool allow_never, double *out)
{
    double v;
    if (ld_duration(c, n, key, allow_never, &v) != 0)
        return -1;
    return bounded(c, n, key, v, !(v < QR_DIST_MIN_MEAN), "at least 1s", out);
}

int ld_bool(ld_ctx *c, const yaml_node_t *n, const char *key, bool *out)
{
    const char *s = scalar(c, n, key, "true or false");
    if (!s)
        return -1;
    if (strcmp(s, "true") == 0) {
        *out = true;
        return 0;
    }
    if (strcmp(s, "false") == 0) {
        *out = false;
        return 0;
    }
    char ex[64];
    ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
             "expected true or false for '%s', got '%s'", key,
             ld_excerpt(n, ex, sizeof(ex)));
    return -1;
}

int ld_integer(ld_ctx *c, const yaml_node_t *n, const char *key,
               long long lo, long long hi, long long *out)
{
    const char *s = scalar(c, n, key, "an integer");
    if (!s)
        return -1;
    const char *reason = NULL;
    long long v;
    char ex[64];
    if (qr_units_integer(s, &v, &reason) != 0 || v < lo || v > hi) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "expected an integer from %lld to %lld for '%s', got '%s'",
                 lo, hi, key, ld_excerpt(n, ex, sizeof(ex)));
        return -1;
    }
    *out = v;
    return 0;
}

int ld_cost(ld_ctx *c, const yaml_node_t *n, const char *key, double *out)
{
    double v;
    if (ld_nonneg(c, n, key, &v) != 0)
        return -1;
    return bounded(c, n, key, v, !(v > QR_COST_MAX), "at most 1e12", out);
}

int ld_nonneg(ld_ctx *c, const yaml_node_t *n, const char *key, double *out)
{
    const char *s = scalar(c, n, key, "a number");
    if (!s)
        return -1;
    const char *reason = NULL;
    double v;
    char ex[64];
    if (qr_units_number(s, &v, &reason) != 0) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "expected a number for '%s', got '%s' (%s)", key,
                 ld_excerpt(n, ex, sizeof(ex)), reason);
        return -1;
    }
    if (v < 0) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "'%s' must not be negative, got '%s'", key,
                 ld_excerpt(n, ex, sizeof(ex)));
        return -1;
    }
    *out = v;
    return 0;
}

int ld_percent(ld_ctx *c, const yaml_node_t *n, const char *key,
               double *out)
{
    const char *s = scalar(c, n, key, "a percentage");
    if (!s)
        return -1;
    const char *reason = NULL;
    char ex[64];
    if (qr_units_percent(s, out, &reason) != 0) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "expected a percentage such as '99.95%%' for '%s', got '%s' "
                 "(%s)", key, ld_excerpt(n, ex, sizeof(ex)), reason);
        return -1;
    }
    return 0;
}

int ld_enum(ld_ctx *c, const yaml_node_t *n, const char *what,
            const char *const *names)
{
    const char *s = scalar(c, n, what, "a value");
    if (!s)
        return -1;
    size_t count = 0;
    for (; names[count]; count++)
        if (strcmp(s, names[count]) == 0)
            return (int)count;
    char list[256] = "";
    size_t o = 0;
    for (size_t i = 0; i < count && o < sizeof(list); i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s'%s'",
                              i == 0 ? "" : i + 1 == count ? " or " : ", ",
                              names[i]);
    char ex[64];
    ld_excerpt(n, ex, sizeof(ex));
    const char *hint = c->errors >= LD_MAX_ERRORS
                           ? NULL : qr_suggest(ex, names, count);
    if (hint)
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "unknown %s '%s' (did you mean '%s'?): expected %s", what, ex,
                 hint, list);
    else
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004, "unknown %s '%s': expected %s",
                 what, ex, list);
    return -1;
}

void ld_opt_duration(ld_ctx *c, const ld_map *m, const char *key,
                     double *out)
{
    yaml_node_t *v = ld_get(c, m, key, NULL);
    if (v)
        ld_duration(c, v, key, false, out);
}

void ld_opt_bool(ld_ctx *c, const ld_map *m, const char *key, bool *out)
{
    yaml_node_t *v = ld_get(c, m, key, NULL);
    if (v)
        ld_bool(c, v, key, out);
}

void ld_opt_duration_given(ld_ctx *c, const ld_map *m, const char *key,
                           double *out, qr_origin from, qr_given *given)
{
    yaml_node_t *v = ld_get(c, m, key, NULL);
    if (v && ld_duration(c, v, key, false, out) == 0)
        *given = (qr_given){ from, qr_yaml_loc(v) };
}

void ld_opt_duration_or_none_given(ld_ctx *c, const ld_map *m, const char *key,
                                   double *out, qr_origin from, qr_given *given)
{
    yaml_node_t *v = ld_get(c, m, key, NULL);
    if (v && v->type == YAML_SCALAR_NODE &&
        strcmp((const char *)v->data.scalar.value, "none") == 0) {
        *out = 0;
        *given = (qr_given){ from, qr_yaml_loc(v) };
        return;
    }
    ld_opt_duration_given(c, m, key, out, from, given);
}

void ld_opt_bool_given(ld_ctx *c, const ld_map *m, const char *key, bool *out,
                       qr_origin from, qr_given *given)
{
    yaml_node_t *v = ld_get(c, m, key, NULL);
    if (v && ld_bool(c, v, key, out) == 0)
        *given = (qr_given){ from, qr_yaml_loc(v) };
}

/* ---- the name table ---- */

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static ld_name *slot(ld_name *table, size_t cap, const char *name)
{
    size_t i = (size_t)hash_name(name) & (cap - 1);
    while (table[i].name && strcmp(table[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &table[i];
}

const ld_name *ld_lookup(ld_ctx *c, const char *name)
{
    if (!c->names_cap)
        return NULL;
    ld_name *s = slot(c->names, c->names_cap, name);
    return s->name ? s : NULL;
}

char *ld_new_name(ld_ctx *c, const char *name, qr_loc loc)
{
    if (ld_lookup(c, name)) {
        ld_register(c, name, -1, -1, loc); /* reports P007 */
        return NULL;
    }
    char *copy = strdup(name);
    if (!copy)
        c->oom = 1;
    return copy;
}

void *ld_grow(ld_ctx *c, void *items, int n, int *cap, size_t size, int first)
{
    if (n < *cap)
        return items;
    int grown = *cap ? *cap * 2 : first;
    void *p = realloc(items, (size_t)grown * size);
    if (!p) {
        c->oom = 1;
        return NULL;
    }
    *cap = grown;
    return p;
}

static const char *entry_name(const ld_ctx *c, const ld_name *e)
{
    return e->comp >= 0 ? c->t->comps[e->comp].name
                        : c->t->clusters[e->cluster].name;
}

int ld_register(ld_ctx *c, const char *name, int comp, int cluster,
                qr_loc loc)
{
    const ld_name *old = ld_lookup(c, name);
    if (old) {
        ld_error(c, loc, QR_RULE_P007, "duplicate name '%s' (first defined at line "
                 "%d)", name, old->line);
        return -1;
    }
    if ((c->n_names + 1) * 2 > c->names_cap) {
        size_t cap = c->names_cap ? c->names_cap * 2 : 64;
        ld_name *table = calloc(cap, sizeof(*table));
        if (!table) {
            c->oom = 1;
            return -1;
        }
        for (size_t i = 0; i < c->names_cap; i++)
            if (c->names[i].name)
                *slot(table, cap, c->names[i].name) = c->names[i];
        free(c->names);
        c->names = table;
        c->names_cap = cap;
    }
    /* The table points at the topology's copy of the name, which lives as
     * long as the table; entry_name() re-reads it after arrays move. */
    ld_name *s = slot(c->names, c->names_cap, name);
    *s = (ld_name){ name, comp, cluster, loc.line };
    c->n_names++;
    return 0;
}

/* After comps or clusters are reallocated, the table's name pointers still
 * point at the same heap strings (only the arrays move), so nothing needs
 * fixing; entry_name() exists for messages that want the current copy. */

static void suggest_kind(ld_ctx *c, const char *name, qr_comp_kind kind,
                         int want_cluster, char *hint, size_t size)
{
    hint[0] = '\0';
    if (c->errors >= LD_MAX_ERRORS)
        return; /* the message will not be stored: save the search */
    /* Candidates: names of the wanted kind, at most 1000 of them (the
     * search is quadratic in the name length per candidate). */
    const char *cand[1000];
    size_t n = 0;
    if (want_cluster) {
        for (int i = 0; i < c->t->n_clusters && n < 1000; i++)
            cand[n++] = c->t->clusters[i].name;
    } else {
        for (int i = 0; i < c->t->n_comps && n < 1000; i++)
            if (c->t->comps[i].kind == kind)
                cand[n++] = c->t->comps[i].name;
    }
    const char *best = qr_suggest(name, cand, n);
    if (best)
        snprintf(hint, size, " (did you mean '%s'?)", best);
}

int ld_ref(ld_ctx *c, const yaml_node_t *n, qr_comp_kind kind, qr_loc *loc)
{
    const char *kname = qr_comp_kind_name(kind);
    if (loc)
        *loc = qr_yaml_loc(n);
    const char *s = scalar(c, n, kname, "a name");
    if (!s)
        return -1;
    char ex[64], hint[160];
    ld_excerpt(n, ex, sizeof(ex));
    const ld_name *e = ld_lookup(c, s);
    if (!e) {
        suggest_kind(c, ex, kind, 0, hint, sizeof(hint));
        ld_error(c, qr_yaml_loc(n), QR_RULE_P008, "'%s' is not a defined %s%s", ex,
                 kname, hint);
        return -1;
    }
    if (e->comp < 0) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P008, "'%s' is a cluster, not a %s",
                 entry_name(c, e), kname);
        return -1;
    }
    if (c->t->comps[e->comp].kind != kind) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P008, "'%s' is a %s, not a %s",
                 entry_name(c, e), qr_comp_kind_name(c->t->comps[e->comp].kind),
                 kname);
        return -1;
    }
    return e->comp;
}

int ld_ref_cluster(ld_ctx *c, const yaml_node_t *n)
{
    const char *s = scalar(c, n, "cluster", "a name");
    if (!s)
        return -1;
    char ex[64], hint[160];
    ld_excerpt(n, ex, sizeof(ex));
    const ld_name *e = ld_lookup(c, s);
    if (!e) {
        suggest_kind(c, ex, QR_COMP_SERVER, 1, hint, sizeof(hint));
        ld_error(c, qr_yaml_loc(n), QR_RULE_P008, "'%s' is not a defined cluster%s",
                 ex, hint);
        return -1;
    }
    if (e->cluster < 0) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P008, "'%s' is a %s, not a cluster",
                 entry_name(c, e), qr_comp_kind_name(c->t->comps[e->comp].kind));
        return -1;
    }
    return e->cluster;
}

int ld_server_list(ld_ctx *c, const yaml_node_t *n, const char *key,
                   int **out, qr_loc **locs)
{
    *out = NULL;
    *locs = NULL;
    char what[64];
    snprintf(what, sizeof(what), "'%s'", key);
    if (ld_expect(c, n, YAML_SEQUENCE_NODE, what) != 0)
        return -1;
    size_t items = (size_t)(n->data.sequence.items.top -
                            n->data.sequence.items.start);
    if (items == 0)
        return 0;
    int *idx = ld_alloc(c, items, sizeof(*idx));
    qr_loc *where = ld_alloc(c, items, sizeof(*where));
    int *seen = ld_alloc(c, (size_t)c->t->n_comps, sizeof(*seen));
    int count = 0;
    if (!idx || !where || !seen)
        goto cleanup;
    for (size_t i = 0; i < items; i++) {
        yaml_node_t *item = ld_node(c, n->data.sequence.items.start[i]);
        qr_loc loc;
        int s = ld_ref(c, item, QR_COMP_SERVER, &loc);
        if (s < 0)
            continue;
        if (seen[s]) {
            ld_error(c, loc, QR_RULE_P009, "'%s' is listed twice in '%s'",
                     c->t->comps[s].name, key);
            continue;
        }
        seen[s] = 1;
        idx[count] = s;
        where[count] = loc;
        count++;
    }
cleanup:
    free(seen);
    if (count == 0) {
        free(idx);
        free(where);
        return 0;
    }
    *out = idx;
    *locs = where;
    return count;
}
