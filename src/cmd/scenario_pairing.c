/*
 * scenario_pairing.c: the JSON document of a scenario on a design with
 * several pools (scenario_pairing.h). The events are written as the run
 * tells them (a qr_pairing_sink); the expectations, which come after the
 * events in the document, are kept until the run ends.
 */
#include "cmd/scenario_pairing.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab/narrate.h"
#include "out/report_json_doc.h"

/* One expectation as the run checked it. */
typedef struct {
    double time;
    int    step;
    qr_loc loc;
    char   key[160];
    char   expected[96];
    char   actual[96];
    bool   ok;
} seen_expect;

typedef struct {
    qr_json     *j;
    seen_expect *ex;
    int          n_ex, cap_ex;
    bool         oom;
} doc_state;

static void event_head(qr_json *j, double at, int step)
{
    char clock[32];
    qr_json_begin_object(j);
    qr_json_key(j, "time");
    qr_json_number(j, at);
    qr_json_key(j, "clock");
    qr_json_string(j, qr_narrate_clock(at, clock, sizeof(clock)));
    qr_json_key(j, "step");
    if (step >= 0)
        qr_json_int(j, step + 1);
    else
        qr_json_null(j);
}

static void on_moment(void *ctx, double at, int step, const char *label, int n,
                      const char *const *keys, const char *const *from, const char *const *to)
{
    qr_json *j = ((doc_state *)ctx)->j;
    event_head(j, at, step);
    qr_json_key(j, "cause");
    qr_json_string(j, label ? "step" : "simulation");
    qr_json_key(j, "text");
    if (label)
        qr_json_string(j, label);
    else
        qr_json_null(j);
    qr_json_key(j, "changes");
    qr_json_begin_array(j);
    for (int k = 0; k < n; k++) {
        qr_json_begin_object(j);
        qr_json_key(j, "key");
        qr_json_string(j, keys[k]);
        qr_json_key(j, "from");
        qr_json_string(j, from[k]);
        qr_json_key(j, "to");
        qr_json_string(j, to[k]);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_end_object(j);
}

static void on_note(void *ctx, double at, int step, const char *text)
{
    qr_json *j = ((doc_state *)ctx)->j;
    event_head(j, at, step);
    qr_json_key(j, "cause");
    qr_json_string(j, "note");
    qr_json_key(j, "text");
    qr_json_string(j, text);
    qr_json_key(j, "changes");
    qr_json_begin_array(j);
    qr_json_end_array(j);
    qr_json_end_object(j);
}

static void on_expect(void *ctx, double at, int step, const qr_expect *e, const char *actual,
                      bool ok)
{
    doc_state *d = ctx;
    if (d->n_ex == d->cap_ex) {
        int cap = d->cap_ex ? 2 * d->cap_ex : 16;
        seen_expect *grown = realloc(d->ex, sizeof(*grown) * (size_t)cap);
        if (!grown) {
            d->oom = true;
            return;
        }
        d->ex = grown;
        d->cap_ex = cap;
    }
    seen_expect *x = &d->ex[d->n_ex++];
    x->time = at;
    x->step = step;
    x->loc = e->loc;
    snprintf(x->key, sizeof(x->key), "%s", e->key);
    snprintf(x->expected, sizeof(x->expected), "%s", e->value);
    snprintf(x->actual, sizeof(x->actual), "%s", actual);
    x->ok = ok;
}

void qr_scenario_json_about(qr_json *j, const char *scenario_file, const qr_scenario *s)
{
    qr_json_key(j, "scenario");
    qr_json_begin_object(j);
    qr_json_key(j, "file");
    qr_json_string(j, scenario_file);
    qr_json_key(j, "name");
    if (s->name)
        qr_json_string(j, s->name);
    else
        qr_json_null(j);
    qr_json_key(j, "operator");
    qr_json_bool(j, s->operator_on);
    qr_json_key(j, "seed");
    if (s->random_failures)
        qr_json_uint(j, s->seed);
    else
        qr_json_null(j);
    qr_json_key(j, "patching");
    qr_json_bool(j, s->patching);
    qr_json_key(j, "until");
    qr_json_number(j, s->until);
    qr_json_end_object(j);
}

char *qr_scenario_pairing_json(const qr_topology *t, const char *topology_file,
                               const qr_scenario *s, const char *scenario_file,
                               int format_version, qr_pairing_result *res, char *err,
                               size_t errlen)
{
    doc_state d;
    memset(&d, 0, sizeof(d));
    d.j = qr_json_new();
    qr_report_json_begin(d.j, format_version, "scenario");
    qr_report_json_topology(d.j, topology_file, t);
    qr_scenario_json_about(d.j, scenario_file, s);
    qr_json_key(d.j, "pools");
    qr_json_begin_array(d.j);
    for (int i = 0; i < t->n_pools; i++)
        qr_json_string(d.j, t->pools[i].name);
    qr_json_end_array(d.j);
    qr_json_key(d.j, "events");
    qr_json_begin_array(d.j);
    qr_pairing_sink sink = { &d, on_moment, on_expect, on_note };
    if (qr_pairing_play_sink(&sink, t, s, res, err, errlen) != 0) {
        qr_json_free(d.j);
        free(d.ex);
        return NULL;
    }
    qr_json_end_array(d.j);
    char clock[32];
    qr_json_key(d.j, "expectations");
    qr_json_begin_array(d.j);
    for (int i = 0; i < d.n_ex; i++) {
        const seen_expect *x = &d.ex[i];
        qr_json_begin_object(d.j);
        qr_json_key(d.j, "time");
        qr_json_number(d.j, x->time);
        qr_json_key(d.j, "clock");
        qr_json_string(d.j, qr_narrate_clock(x->time, clock, sizeof(clock)));
        qr_json_key(d.j, "step");
        qr_json_int(d.j, x->step + 1);
        qr_json_key(d.j, "line");
        qr_json_int(d.j, x->loc.line);
        qr_json_key(d.j, "column");
        qr_json_int(d.j, x->loc.col);
        qr_json_key(d.j, "key");
        qr_json_string(d.j, x->key);
        qr_json_key(d.j, "expected");
        qr_json_string(d.j, x->expected);
        qr_json_key(d.j, "actual");
        qr_json_string(d.j, x->actual);
        qr_json_key(d.j, "ok");
        qr_json_bool(d.j, x->ok);
        qr_json_end_object(d.j);
    }
    qr_json_end_array(d.j);
    qr_json_key(d.j, "result");
    qr_json_begin_object(d.j);
    qr_json_key(d.j, "checked");
    qr_json_int(d.j, res->checks);
    qr_json_key(d.j, "failed");
    qr_json_int(d.j, res->failed);
    qr_json_key(d.j, "passed");
    qr_json_bool(d.j, res->failed == 0);
    qr_json_end_object(d.j);
    qr_json_end_object(d.j);
    free(d.ex);
    char *doc = qr_json_finish(d.j);
    if (!doc || d.oom) {
        free(doc);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    return doc;
}
