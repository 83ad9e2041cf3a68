/*
 * scenario.c: reading and writing training-lab scenario files (scenario.h,
 * docs/scenario-format.md).
 *
 * The file is loaded with yaml_doc.c (size, depth and alias limits,
 * duplicate keys) and walked with the topology loader's tools
 * (loader_internal.h: unknown keys with "did you mean", typed scalars, one
 * diagnostic per problem with file:line:col), so a scenario's errors read
 * like a topology's. Every step is resolved against the topology as it is
 * read: component names, expectation keys (narrate.h's vocabulary) and
 * their values. Times only move forward: a step without `at:` happens when
 * the step before it did (after its `wait:`).
 */
#include "lab/scenario.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/loader_internal.h"
#include "lab/narrate.h"
#include "util/suggest.h"
#include "model/units.h"
#include "model/yaml_doc.h"

static const char *const step_words[] = {
    "crash", "shutdown", "start", "repair", "reset", "failover", "wait", "expect", "note",
    "migrate", "patch_night", "latent_fault", "reboot", "failback", NULL,
};

const char *qr_step_keyword(qr_step_kind k)
{
    if (k == QR_STEP_POOL_FAILOVER) /* `failover: POOL` (M10.3) */
        return "failover";
    return (k >= QR_STEP_CRASH && k <= QR_STEP_POOL_FAILBACK) ? step_words[k] : "?";
}

int qr_scenario_parse_time(const char *text, double *seconds, const char **reason)
{
    if (strcmp(text, "0") == 0) {
        *seconds = 0;
        return 0;
    }
    return qr_units_duration_or_zero(text, seconds, reason); /* 0s, 0m, 0h ... */
}

const char *qr_scenario_format_time(double seconds, char *buf, size_t size)
{
    static const struct {
        const char *unit;
        double      s;
    } units[] = { { "d", 86400 }, { "h", 3600 }, { "m", 60 }, { "s", 1 } };
    if (seconds <= 0) {
        snprintf(buf, size, "0s");
        return buf;
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        double q = seconds / units[i].s;
        if (q >= 1 && fabs(q - llround(q)) < 1e-9) {
            snprintf(buf, size, "%lld%s", llround(q), units[i].unit);
            return buf;
        }
    }
    /* The shortest decimal that reads back as the same double, so that a
     * saved lab session's times add up on load exactly as they did ("%.3f"
     * wrote 0.1ms as "0.000s", which does not load). */
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, size, "%.*gs", digits, seconds);
        if (strtod(buf, NULL) == seconds)
            break;
    }
    return buf;
}

/* ---- the scenario object ---- */

qr_scenario *qr_scenario_new(void)
{
    return calloc(1, sizeof(qr_scenario));
}

static void step_release(qr_step *st)
{
    for (int i = 0; i < st->n_expects; i++) {
        free(st->expects[i].key);
        free(st->expects[i].value);
    }
    free(st->expects);
    free(st->text);
    memset(st, 0, sizeof(*st));
}

int qr_scenario_add(qr_scenario *s, const qr_step *step)
{
    if (s->n_steps >= QR_SCENARIO_MAX_STEPS)
        return -1;
    if (s->n_steps == s->cap) {
        int cap = s->cap ? 2 * s->cap : 16;
        qr_step *p = realloc(s->steps, sizeof(*p) * (size_t)cap);
        if (!p)
            return -1;
        s->steps = p;
        s->cap = cap;
    }
    qr_step copy = *step;
    copy.expects = NULL;
    copy.n_expects = 0;
    copy.text = NULL;
    if (step->text && !(copy.text = strdup(step->text)))
        return -1;
    if (step->n_expects > 0) {
        copy.expects = calloc((size_t)step->n_expects, sizeof(qr_expect));
        if (!copy.expects) {
            step_release(&copy);
            return -1;
        }
        for (int i = 0; i < step->n_expects; i++) {
            copy.expects[i].loc = step->expects[i].loc;
            copy.expects[i].key = strdup(step->expects[i].key);
            copy.expects[i].value = strdup(step->expects[i].value);
            copy.n_expects++;
            if (!copy.expects[i].key || !copy.expects[i].value) {
                step_release(&copy);
                return -1;
            }
        }
    }
    s->steps[s->n_steps++] = copy;
    return 0;
}

void qr_scenario_pop(qr_scenario *s)
{
    if (s->n_steps > 0)
        step_release(&s->steps[--s->n_steps]);
}

void qr_scenario_free(qr_scenario *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n_steps; i++)
        step_release(&s->steps[i]);
    free(s->steps);
    free(s->file);
    free(s->name);
    free(s->description);
    free(s);
}

/* ---- reading ---- */

typedef struct {
    ld_ctx             c;
    const qr_topology *t;
    qr_vocab          *vocab;
    qr_scenario       *s;
    double             now;      /* time the next step defaults to       */
} sc_ctx;

static int sc_time(sc_ctx *x, const yaml_node_t *n, const char *key, bool allow_zero,
                   double *out)
{
    char ex[64];
    if (n->type != YAML_SCALAR_NODE) {
        char buf[80];
        ld_error(&x->c, qr_yaml_loc(n), QR_RULE_P003, "expected a duration for '%s', got %s", key,
                 ld_got(n, buf, sizeof(buf)));
        return -1;
    }
    const char *s = (const char *)n->data.scalar.value;
    const char *reason = "bad value";
    double v;
    int rc = allow_zero ? qr_scenario_parse_time(s, &v, &reason)
                        : qr_units_duration(s, &v, &reason);
    if (rc == 0 && strlen(s) == n->data.scalar.length && v <= QR_SCENARIO_MAX_TIME) {
        *out = v;
        return 0;
    }
    if (rc == 0)
        reason = strlen(s) != n->data.scalar.length ? "NUL character" : "more than 100 years";
    ld_error(&x->c, qr_yaml_loc(n), QR_RULE_P004,
             "expected a duration such as '%s' for '%s', got '%s' (%s)",
             allow_zero ? "5m' or '0s" : "5m", key, ld_excerpt(n, ex, sizeof(ex)), reason);
    return -1;
}

/* The component a crash, shutdown, start or repair names. */
static int sc_component(sc_ctx *x, const yaml_node_t *n, const char *key)
{
    const char *name;
    if (ld_string(&x->c, n, key, &name) != 0)
        return -1;
    int i = qr_topology_find(x->t, name);
    if (i >= 0)
        return i;
    char ex[64];
    ld_excerpt(n, ex, sizeof(ex));
    const char **names = malloc(sizeof(*names) * (size_t)(x->t->n_comps + 1));
    const char *hint = NULL;
    if (names) {
        for (int k = 0; k < x->t->n_comps; k++)
            names[k] = x->t->comps[k].name;
        hint = qr_suggest(ex, names, (size_t)x->t->n_comps);
    }
    if (hint)
        ld_error(&x->c, qr_yaml_loc(n), QR_RULE_P008,
                 "unknown component '%s' for '%s' (did you mean '%s'?)", ex, key, hint);
    else
        ld_error(&x->c, qr_yaml_loc(n), QR_RULE_P008, "unknown component '%s' for '%s'", ex, key);
    free(names);
    return -1;
}

/* The latent fault (M7.3) a `latent_fault:` step names: its index. */
static int sc_latent(sc_ctx *x, const yaml_node_t *n, const char *key)
{
    const char *name;
    if (ld_string(&x->c, n, key, &name) != 0)
        return -1;
    for (int i = 0; i < x->t->n_latent; i++)
        if (strcmp(x->t->latent[i].name, name) == 0)
            return i;
    char ex[64];
    ld_error(&x->c, qr_yaml_loc(n), QR_RULE_P008,
             "unknown latent fault '%s' for '%s': the topology's `latent_faults:` %s", ld_excerpt(n, ex, sizeof(ex)),
             key, x->t->n_latent ? "name others" : "are none");
    return -1;
}

/* `reset:` and `failover:` take no value, or the one word that says what. */
static void sc_no_value(sc_ctx *x, const yaml_node_t *n, const char *key, const char *word)
{
    char buf[80];
    if (ld_is_empty(n))
        return;
    if (n->type == YAML_SCALAR_NODE && strcmp((const char *)n->data.scalar.value, word) == 0)
        return;
    ld_error(&x->c, qr_yaml_loc(n), QR_RULE_P004, "expected nothing or '%s' for '%s', got %s", word,
             key, ld_got(n, buf, sizeof(buf)));
}

/* `migrate: { server: VM, to: HOST }` (M7.6): a server on a host, and a
 * host of the same site. */
static int sc_migrate(sc_ctx *x, const yaml_node_t *n, qr_step *st)
{
    static const char *const keys[] = { "server", "to", NULL };
    if (ld_expect(&x->c, n, YAML_MAPPING_NODE, "'migrate'") != 0)
        return -1;
    ld_map m = { .map = (yaml_node_t *)n, .what = "'migrate'", .loc = qr_yaml_loc(n) };
    ld_check_keys(&x->c, &m, keys);
    yaml_node_t *vm = ld_require(&x->c, &m, "server", NULL);
    yaml_node_t *to = ld_require(&x->c, &m, "to", NULL);
    if (!vm || !to)
        return -1;
    st->comp = sc_component(x, vm, "server");
    st->host = sc_component(x, to, "to");
    if (st->comp < 0 || st->host < 0)
        return -1;
    const qr_component *c = &x->t->comps[st->comp];
    if (c->kind != QR_COMP_SERVER || c->host < 0) {
        ld_error(&x->c, qr_yaml_loc(vm), QR_RULE_P004,
                 "'%s' is no virtual machine (a server with a 'host')", c->name);
        return -1;
    }
    const qr_component *h = &x->t->comps[st->host];
    if (h->kind != QR_COMP_HOST || h->site != x->t->comps[c->host].site) {
        ld_error(&x->c, qr_yaml_loc(to), QR_RULE_P004,
                 "'%s' is no host of the site of '%s'", h->name, c->name);
        return -1;
    }
    return 0;
}

static void sc_expects(sc_ctx *x, const yaml_node_t *n, qr_step *st)
{
    if (ld_expect(&x->c, n, YAML_MAPPING_NODE, "'expect'") != 0)
        return;
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (count == 0) {
        ld_error(&x->c, qr_yaml_loc(n), QR_RULE_P004, "'expect' has nothing to check");
        return;
    }
    st->expects = ld_alloc(&x->c, count, sizeof(qr_expect));
    if (!st->expects)
        return;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(&x->c, p->key), *v = ld_node(&x->c, p->value);
        char buf[80], ex[64], why[128];
        if (k->type != YAML_SCALAR_NODE) {
            ld_error(&x->c, qr_yaml_loc(k), QR_RULE_P003,
                     "expected a name as key in 'expect', got %s", ld_got(k, buf, sizeof(buf)));
            continue;
        }
        const char *key = (const char *)k->data.scalar.value;
        int kk = qr_vocab_find(x->vocab, key);
        if (kk < 0) {
            ld_excerpt(k, ex, sizeof(ex));
            const char *hint = qr_vocab_suggest(x->vocab, ex);
            if (hint)
                ld_error(&x->c, qr_yaml_loc(k), QR_RULE_P002,
                         "unknown expectation '%s' (did you mean '%s'?)", ex, hint);
            else
                ld_error(&x->c, qr_yaml_loc(k), QR_RULE_P002, "unknown expectation '%s'", ex);
            continue;
        }
        const char *value;
        if (v->type != YAML_SCALAR_NODE || ld_is_empty(v)) {
            qr_vocab_check_value(x->vocab, kk, "", why, sizeof(why));
            ld_error(&x->c, qr_yaml_loc(v), QR_RULE_P003, "expected %s for '%s', got %s", why, key,
                     ld_got(v, buf, sizeof(buf)));
            continue;
        }
        if (ld_string(&x->c, v, key, &value) != 0)
            continue;
        if (qr_vocab_check_value(x->vocab, kk, value, why, sizeof(why)) != 0) {
            ld_error(&x->c, qr_yaml_loc(v), QR_RULE_P004, "expected %s for '%s', got '%s'", why,
                     key, ld_excerpt(v, ex, sizeof(ex)));
            continue;
        }
        qr_expect *e = &st->expects[st->n_expects++];
        e->key = strdup(key);
        e->value = strdup(value);
        e->loc = qr_yaml_loc(k);
        if (!e->key || !e->value)
            x->c.oom = 1;
    }
}

static void sc_step(sc_ctx *x, yaml_node_t *item, int number)
{
    static const char *const keys[] = {
        "at", "crash", "shutdown", "start", "repair", "reset", "failover", "wait", "expect",
        "note", "migrate", "patch_night", "latent_fault", "reboot", "failback", NULL,
    };
    char what[48];
    snprintf(what, sizeof(what), "step %d", number);
    if (ld_expect(&x->c, item, YAML_MAPPING_NODE, what) != 0)
        return;
    ld_map m = { .map = item, .what = what, .loc = qr_yaml_loc(item) };
    int errors_before = x->c.errors;
    ld_check_keys(&x->c, &m, keys);
    qr_step st;
    memset(&st, 0, sizeof(st));
    st.loc = qr_yaml_loc(item);
    st.comp = -1;
    st.at = x->now;
    yaml_node_t *v;
    qr_loc at_loc;
    if ((v = ld_get(&x->c, &m, "at", &at_loc))) {
        double at;
        if (sc_time(x, v, "at", true, &at) == 0) {
            if (at < x->now) {
                char a[32], b[32];
                ld_error(&x->c, qr_yaml_loc(v), QR_RULE_P004,
                         "step %d at %s is earlier than the step before it (%s)", number,
                         qr_scenario_format_time(at, a, sizeof(a)),
                         qr_scenario_format_time(x->now, b, sizeof(b)));
            } else {
                st.at = at;
            }
        }
    }
    /* Exactly one action. */
    int kind = -1;
    yaml_node_t *value = NULL;
    for (int k = 0; step_words[k]; k++) {
        qr_loc kl;
        yaml_node_t *n = ld_get(&x->c, &m, step_words[k], &kl);
        if (!n)
            continue;
        if (kind >= 0) {
            ld_error(&x->c, kl, QR_RULE_P004, "step %d has more than one action ('%s' and '%s')",
                     number, step_words[kind], step_words[k]);
            continue;
        }
        kind = k;
        value = n;
    }
    if (kind < 0) {
        if (x->c.errors > errors_before)
            return; /* a misspelt action: its unknown key says it */
        ld_error(&x->c, st.loc, QR_RULE_P005,
                 "step %d has no action: expected one of 'crash', 'shutdown', 'start', "
                 "'repair', 'reset', 'failover', 'failback', 'wait', 'expect', 'note', "
                 "'migrate', 'patch_night', 'latent_fault' or 'reboot'",
                 number);
        return;
    }
    st.kind = (qr_step_kind)kind;
    const char *word = step_words[kind];
    switch (st.kind) {
    case QR_STEP_CRASH:
    case QR_STEP_SHUTDOWN:
    case QR_STEP_START:
    case QR_STEP_REPAIR:
        st.comp = sc_component(x, value, word);
        if (st.comp < 0)
            return;
        break;
    case QR_STEP_RESET:
        sc_no_value(x, value, word, "pool");
        break;
    case QR_STEP_FAILOVER:
        /* `failover: POOL`: the administrator's pool failover (M10.3). */
        if (qr_topology_is_paired(x->t) && value->type == YAML_SCALAR_NODE &&
            qr_topology_find_pool(x->t, (const char *)value->data.scalar.value) >= 0) {
            st.kind = QR_STEP_POOL_FAILOVER;
            st.comp = qr_topology_find_pool(x->t, (const char *)value->data.scalar.value);
            break;
        }
        sc_no_value(x, value, word, "sql");
        break;
    case QR_STEP_PATCH_NIGHT:
        sc_no_value(x, value, word, "pool");
        break;
    case QR_STEP_LATENT:
        st.comp = sc_latent(x, value, word);
        if (st.comp < 0)
            return;
        break;
    case QR_STEP_REBOOT:
        st.comp = sc_component(x, value, word);
        if (st.comp < 0)
            return;
        if (x->t->comps[st.comp].kind != QR_COMP_SERVER) {
            ld_error(&x->c, qr_yaml_loc(value), QR_RULE_P008,
                     "'reboot' needs a server, and '%s' is a %s", x->t->comps[st.comp].name,
                     qr_comp_kind_name(x->t->comps[st.comp].kind));
            return;
        }
        break;
    case QR_STEP_POOL_FAILBACK:
    case QR_STEP_POOL_FAILOVER: {
        char buf[80];
        if (value->type == YAML_SCALAR_NODE &&
            (st.comp = qr_topology_find_pool(x->t, (const char *)value->data.scalar.value)) >= 0)
            break;
        if (!qr_topology_is_paired(x->t))
            ld_error(&x->c, qr_yaml_loc(value), QR_RULE_P004, "'%s' is for a design with "
                     "several pools ('pools:', M10); this topology has a single pool", word);
        else
            ld_error(&x->c, qr_yaml_loc(value), QR_RULE_P008, "expected a pool of the topology "
                     "for '%s', got %s", word, ld_got(value, buf, sizeof(buf)));
        return;
    }
    case QR_STEP_WAIT:
        if (sc_time(x, value, "wait", false, &st.wait) != 0)
            return;
        break;
    case QR_STEP_EXPECT:
        sc_expects(x, value, &st);
        if (st.n_expects == 0) {
            free(st.expects);
            return;
        }
        break;
    case QR_STEP_NOTE: {
        const char *text;
        if (ld_string(&x->c, value, "note", &text) != 0)
            return;
        if (!(st.text = strdup(text)))
            x->c.oom = 1;
        break;
    }
    case QR_STEP_MIGRATE:
        if (sc_migrate(x, value, &st) != 0)
            return;
        break;
    }
    x->now = st.at + (st.kind == QR_STEP_WAIT ? st.wait : 0);
    if (x->now > QR_SCENARIO_MAX_TIME) {
        char a[32];
        ld_error(&x->c, st.loc, QR_RULE_P004,
                 "step %d ends at %s, more than 100 years from the start", number,
                 qr_scenario_format_time(x->now, a, sizeof(a)));
        x->now = QR_SCENARIO_MAX_TIME; /* one error, not one per later step */
    }
    if (qr_scenario_add(x->s, &st) != 0) {
        if (x->s->n_steps >= QR_SCENARIO_MAX_STEPS)
            ld_error(&x->c, st.loc, QR_RULE_P010, "more than %d steps", QR_SCENARIO_MAX_STEPS);
        else
            x->c.oom = 1;
    }
    step_release(&st);
}

static void sc_root(sc_ctx *x, yaml_node_t *root)
{
    static const char *const keys[] = { "name", "description", "operator", "random",
                                        "patching", "until", "steps", NULL };
    if (ld_is_empty(root)) {
        ld_error(&x->c, qr_yaml_loc(root), QR_RULE_P010,
                 "empty scenario: the document has no content");
        return;
    }
    if (ld_expect(&x->c, root, YAML_MAPPING_NODE, "the scenario") != 0)
        return;
    ld_map m = { .map = root, .what = "the scenario", .loc = qr_yaml_loc(root) };
    ld_check_keys_ext(&x->c, &m, keys, true);
    yaml_node_t *v;
    const char *s;
    if ((v = ld_get(&x->c, &m, "name", NULL)) && ld_string(&x->c, v, "name", &s) == 0 &&
        !(x->s->name = strdup(s)))
        x->c.oom = 1;
    if ((v = ld_get(&x->c, &m, "description", NULL)) &&
        ld_string(&x->c, v, "description", &s) == 0 && !(x->s->description = strdup(s)))
        x->c.oom = 1;
    ld_opt_bool(&x->c, &m, "operator", &x->s->operator_on);
    ld_opt_bool(&x->c, &m, "patching", &x->s->patching);
    ld_map rnd;
    if (ld_sub_map(&x->c, &m, "random", &rnd) == 1) {
        static const char *const rkeys[] = { "seed", NULL };
        ld_check_keys(&x->c, &rnd, rkeys);
        yaml_node_t *sv = ld_require(&x->c, &rnd, "seed", NULL);
        long long seed;
        if (sv && ld_integer(&x->c, sv, "seed", 0, INT64_MAX, &seed) == 0) {
            x->s->random_failures = true;
            x->s->seed = (unsigned long long)seed;
        }
    }
    yaml_node_t *until = ld_get(&x->c, &m, "until", NULL);
    yaml_node_t *steps = ld_require(&x->c, &m, "steps", NULL);
    if (steps && ld_expect(&x->c, steps, YAML_SEQUENCE_NODE, "'steps'") == 0) {
        int number = 0;
        for (yaml_node_item_t *it = steps->data.sequence.items.start;
             it < steps->data.sequence.items.top; it++)
            sc_step(x, ld_node(&x->c, *it), ++number);
        if (number == 0)
            ld_error(&x->c, qr_yaml_loc(steps), QR_RULE_P004, "'steps' is empty");
    }
    x->s->until = fmin(x->now + QR_SCENARIO_DEFAULT_TAIL, QR_SCENARIO_MAX_TIME);
    if (until) {
        double u;
        if (sc_time(x, until, "until", true, &u) == 0) {
            if (u < x->now) {
                char a[32], b[32];
                ld_error(&x->c, qr_yaml_loc(until), QR_RULE_P004,
                         "'until' (%s) is earlier than the last step (%s)",
                         qr_scenario_format_time(u, a, sizeof(a)),
                         qr_scenario_format_time(x->now, b, sizeof(b)));
            } else {
                x->s->until = u;
            }
        }
    }
}

/* sc_root over the scenario's context (ld_read_fn). */
static void read_document(ld_ctx *c, yaml_node_t *root, void *x)
{
    (void)c; /* the one inside x */
    sc_root(x, root);
}

int qr_scenario_load_buffer(const char *name, const char *text, size_t len, const qr_topology *t,
                            qr_scenario **out, qr_diags *diags)
{
    static const qr_loc nowhere = { 0, 0 };
    *out = NULL;
    if (!name)
        name = "<input>";
    qr_scenario *s = qr_scenario_new();
    qr_vocab *vocab = qr_vocab_new(t);
    if (!s || !vocab || !(s->file = strdup(name))) {
        qr_scenario_free(s);
        qr_vocab_free(vocab);
        qr_diag_add(diags, QR_SEV_ERROR, nowhere, QR_RULE_P010, "out of memory");
        return 2;
    }
    sc_ctx x;
    memset(&x, 0, sizeof(x));
    x.c.d = diags;
    x.t = t;
    x.vocab = vocab;
    x.s = s;
    int ret = ld_read_document(&x.c, text, len, read_document, &x);
    qr_vocab_free(vocab);
    if (ret == 0)
        *out = s;
    else
        qr_scenario_free(s);
    qr_diags_sort(diags);
    return ret;
}

int qr_scenario_load_file(const char *path, const qr_topology *t, qr_scenario **out,
                          qr_diags *diags)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int r = qr_yaml_read_file(path, &text, &len, diags);
    if (r != 0) {
        qr_diags_sort(diags);
        return r;
    }
    int ret = qr_scenario_load_buffer(path, text, len, t, out, diags);
    free(text);
    return ret;
}

/* ---- writing ---- */

/* A YAML double-quoted string. */
static void put_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20 || *p == 0x7F)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

int qr_scenario_write(FILE *out, const qr_scenario *s, const qr_topology *t,
                      const char *topology_path)
{
    char a[32];
    fputs("# A quorate training-lab scenario (docs/scenario-format.md).\n", out);
    if (topology_path)
        fprintf(out, "# Run it: quorate scenario %s THIS-FILE\n", topology_path);
    if (s->name) {
        fputs("name: ", out);
        put_quoted(out, s->name);
        fputc('\n', out);
    }
    if (s->description) {
        fputs("description: ", out);
        put_quoted(out, s->description);
        fputc('\n', out);
    }
    fprintf(out, "operator: %s\n", s->operator_on ? "true" : "false");
    if (s->random_failures)
        fprintf(out, "random: { seed: %llu }\n", s->seed);
    if (s->patching)
        fputs("patching: true\n", out);
    fputs("steps:\n", out);
    for (int i = 0; i < s->n_steps; i++) {
        const qr_step *st = &s->steps[i];
        fprintf(out, "  - at: %s\n    %s:", qr_scenario_format_time(st->at, a, sizeof(a)),
                qr_step_keyword(st->kind));
        switch (st->kind) {
        case QR_STEP_CRASH:
        case QR_STEP_SHUTDOWN:
        case QR_STEP_START:
        case QR_STEP_REPAIR:
        case QR_STEP_REBOOT:
            fputc(' ', out);
            put_quoted(out, (st->comp >= 0 && st->comp < t->n_comps) ? t->comps[st->comp].name
                                                                     : "");
            break;
        case QR_STEP_RESET:
            fputs(" pool", out);
            break;
        case QR_STEP_FAILOVER:
            fputs(" sql", out);
            break;
        case QR_STEP_PATCH_NIGHT:
            fputs(" pool", out);
            break;
        case QR_STEP_LATENT:
            fputc(' ', out);
            put_quoted(out, (st->comp >= 0 && st->comp < t->n_latent) ? t->latent[st->comp].name
                                                                      : "");
            break;
        case QR_STEP_POOL_FAILOVER:
        case QR_STEP_POOL_FAILBACK:
            fputc(' ', out);
            put_quoted(out, (st->comp >= 0 && st->comp < t->n_pools) ? t->pools[st->comp].name
                                                                     : "");
            break;
        case QR_STEP_WAIT:
            fprintf(out, " %s", qr_scenario_format_time(st->wait, a, sizeof(a)));
            break;
        case QR_STEP_EXPECT:
            for (int k = 0; k < st->n_expects; k++) {
                fputs("\n      ", out);
                put_quoted(out, st->expects[k].key);
                fputs(": ", out);
                put_quoted(out, st->expects[k].value);
            }
            break;
        case QR_STEP_NOTE:
            fputc(' ', out);
            put_quoted(out, st->text ? st->text : "");
            break;
        case QR_STEP_MIGRATE:
            fputs(" { server: ", out);
            put_quoted(out, (st->comp >= 0 && st->comp < t->n_comps) ? t->comps[st->comp].name
                                                                     : "");
            fputs(", to: ", out);
            put_quoted(out, (st->host >= 0 && st->host < t->n_comps) ? t->comps[st->host].name
                                                                     : "");
            fputs(" }", out);
            break;
        }
        fputc('\n', out);
    }
    fprintf(out, "until: %s\n", qr_scenario_format_time(s->until, a, sizeof(a)));
    return ferror(out) ? -1 : 0;
}
