/*
 * cmd_scenario.c: `quorate scenario TOPOLOGY SCENARIO`, a training-lab
 * scenario (docs/scenario-format.md) replayed on the simulator
 * (playback.h): a narrated timeline, one line per state change with its
 * cause, what users notice, the vote counts; the expectations checked
 * where they stand. --json writes the event log instead, --html a
 * self-contained timeline page (html_timeline.h).
 *
 * Exit status: 0 every expectation holds, 1 one does not, 2 bad input (a
 * topology or scenario with errors, a bad flag, an unreadable file, a
 * design the simulator cannot run, out of memory).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_options.h"
#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "cmd/scenario_pairing.h"
#include "model/diag.h"
#include "util/file_out.h"
#include "out/html_timeline.h"
#include "util/json_out.h"
#include "lab/narrate.h"
#include "lab/pairing_play.h"
#include "lab/playback.h"
#include "out/report.h"
#include "out/report_json_doc.h"
#include "lab/scenario.h"
#include "model/topology.h"

#define CMD "scenario" /* for usage errors */

#define JSON_FORMAT_VERSION 1

typedef struct {
    const char *topology;
    const char *scenario;
    const char *html;
    bool        json;
} scenario_options;

static const qr_opt options[] = {
    { .name = "--json", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(scenario_options, json),
      .flag = true, .help = "the event log as JSON (events, changes, expectations)" },
    QR_OPT_HTML_ROW(scenario_options, html,
                    "also write the timeline as a self-contained HTML page: one track per "
                    "server and per service, coloured up, degraded, down, with the quorum "
                    "changes marked"),
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate scenario [OPTIONS] TOPOLOGY SCENARIO\n"
             "\n"
             "Replay a training-lab scenario (docs/scenario-format.md) on a pool design:\n"
             "timed crashes, graceful shutdowns, starts, repairs, soft resets and manual\n"
             "SQL failovers, deterministically (no random failures, no patch nights, no\n"
             "operator unless the scenario says 'operator: true'). Prints a narrated\n"
             "timeline, one line per state change with its cause, what users notice and\n"
             "the vote counts, and checks the scenario's expectations.\n"
             "\n",
    .options = options,
    .after = "\n"
             "exit status:\n"
             "  0  every expectation holds\n"
             "  1  an expectation does not hold (expected and actual values are printed)\n"
             "  2  bad input: a topology or scenario with errors (file:line:col), a bad\n"
             "     flag, an unreadable file, a design the simulator cannot run\n",
};

static int parse_args(int argc, char **argv, scenario_options *o)
{
    memset(o, 0, sizeof(*o));
    qr_cli_args w;
    int rc = qr_cli_parse_command(&w, &command, argc, argv, o);
    if (rc != 0)
        return rc;
    const char *const *files = qr_cli_operands(&w);
    if (w.n_operands < 2)
        return qr_cli_usage_error(CMD, "expected a topology file and a scenario file");
    if (w.n_operands > 2)
        return qr_cli_usage_error(CMD, "unexpected argument '%s'", files[2]);
    if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0)
        return qr_cli_usage_error(CMD, "only one of the two files can be standard input");
    o->topology = files[0];
    o->scenario = files[1];
    return 0;
}

/* ---- JSON ---- */

static char *render_json(const qr_topology *t, const qr_scenario *s, const scenario_options *o,
                         const qr_playback *p)
{
    char buf[32];
    qr_json *j = qr_json_new();
    qr_report_json_begin(j, JSON_FORMAT_VERSION, "scenario");
    qr_report_json_topology(j, o->topology, t);
    qr_scenario_json_about(j, o->scenario, s);

    qr_json_key(j, "events");
    qr_json_begin_array(j);
    for (int i = 0; i < p->n_entries; i++) {
        const qr_tl_entry *en = &p->entries[i];
        qr_json_begin_object(j);
        qr_json_key(j, "time");
        qr_json_number(j, en->time);
        qr_json_key(j, "clock");
        qr_json_string(j, qr_narrate_clock(en->time, buf, sizeof(buf)));
        qr_json_key(j, "step");
        if (en->step >= 0)
            qr_json_int(j, en->step + 1);
        else
            qr_json_null(j);
        qr_json_key(j, "cause");
        qr_json_string(j, en->cause);
        qr_json_key(j, "text");
        qr_json_string(j, en->text);
        qr_json_key(j, "users");
        if (en->users)
            qr_json_string(j, en->users);
        else
            qr_json_null(j);
        qr_json_key(j, "votes");
        qr_json_string(j, en->votes);
        qr_json_key(j, "changes");
        qr_json_begin_array(j);
        for (int k = 0; k < en->n_changed; k++) {
            qr_json_begin_object(j);
            qr_json_key(j, "key");
            qr_json_string(j, qr_vocab_key(p->vocab, en->changed[k]));
            qr_json_key(j, "from");
            qr_json_string(j, en->from[k]);
            qr_json_key(j, "to");
            qr_json_string(j, en->to[k]);
            qr_json_end_object(j);
        }
        qr_json_end_array(j);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);

    qr_json_key(j, "expectations");
    qr_json_begin_array(j);
    for (int i = 0; i < p->n_checks; i++) {
        const qr_check *c = &p->checks[i];
        qr_json_begin_object(j);
        qr_json_key(j, "time");
        qr_json_number(j, c->time);
        qr_json_key(j, "clock");
        qr_json_string(j, qr_narrate_clock(c->time, buf, sizeof(buf)));
        qr_json_key(j, "step");
        qr_json_int(j, c->step + 1);
        qr_json_key(j, "line");
        qr_json_int(j, c->loc.line);
        qr_json_key(j, "column");
        qr_json_int(j, c->loc.col);
        qr_json_key(j, "key");
        qr_json_string(j, qr_vocab_key(p->vocab, c->key));
        qr_json_key(j, "expected");
        qr_json_string(j, c->expected);
        qr_json_key(j, "actual");
        qr_json_string(j, c->actual);
        qr_json_key(j, "ok");
        qr_json_bool(j, c->ok);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_key(j, "result");
    qr_json_begin_object(j);
    qr_json_key(j, "checked");
    qr_json_int(j, p->n_checks);
    qr_json_key(j, "failed");
    qr_json_int(j, p->failed);
    qr_json_key(j, "passed");
    qr_json_bool(j, p->failed == 0);
    qr_json_end_object(j);
    qr_json_end_object(j);
    return qr_json_finish(j);
}

/* ---- text ---- */

static void print_text(FILE *out, const qr_topology *t, const qr_scenario *s,
                       const scenario_options *o, const qr_playback *p)
{
    char notation[16], votes[1024], clock[32];
    fprintf(out, "scenario: %s (%s)\n", s->name ? s->name : o->scenario, o->scenario);
    fprintf(out, "topology: %s (%s), %s\n", t->name, qr_topology_notation(t, notation,
                                                                           sizeof(notation)),
            o->topology);
    fprintf(out, "automatic operator: %s\n",
            s->operator_on ? "on (soft resets, manual SQL failover, forced quorum after their "
                             "operations.* delays)"
                           : "off (the scenario's own steps are the only operator)");
    if (s->random_failures || s->patching) {
        fputs("random events:", out);
        if (s->random_failures)
            fprintf(out, " failures and repairs (M0.3) from seed %llu", s->seed);
        if (s->patching)
            fprintf(out, "%s patch nights (M7)", s->random_failures ? "," : "");
        fputc('\n', out);
    }
    fprintf(out, "start: everything up\n\n");
    qr_playback_print(out, p, 0, 0, o->scenario);
    fprintf(out, "\nend %s: %s\n", qr_narrate_clock(p->now, clock, sizeof(clock)),
            qr_narrate_votes(p->vocab, &p->cur, votes, sizeof(votes)));
    if (p->n_checks == 0)
        fprintf(out, "expectations: none\n");
    else if (p->failed == 0)
        fprintf(out, "expectations: %d checked, all hold\n", p->n_checks);
    else
        fprintf(out, "expectations: %d checked, %d FAILED\n", p->n_checks, p->failed);
}

/* What the --html page is written from (qr_file_write's ctx). */
typedef struct {
    const qr_playback *p;
    const qr_scenario *s;
    const char        *scenario_file;
} html_page;

static int write_page(FILE *out, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    const html_page *page = ctx;
    return qr_html_timeline(out, page->p, page->s, page->scenario_file);
}

/* A design with several pools: the timeline and the expectations, text
 * or JSON (--json). Returns the exit status. */
static int play_pools(const qr_topology *t, const qr_scenario *s, const scenario_options *o)
{
    qr_pairing_result *res = malloc(sizeof(*res));
    char err[512], clock[32];
    if (!res) {
        fputs("quorate scenario: out of memory\n", stderr);
        return 2;
    }
    if (o->json) {
        char *doc = qr_scenario_pairing_json(t, o->topology, s, o->scenario, JSON_FORMAT_VERSION,
                                             res, err, sizeof(err));
        if (!doc) {
            fprintf(stderr, "quorate scenario: %s: %s\n", o->scenario, err);
            free(res);
            return 2;
        }
        fputs(doc, stdout);
        fputc('\n', stdout);
        free(doc);
    } else {
        printf("%s: scenario %s on %s (%d pools, M10)\n", s->name ? s->name : o->scenario,
               o->scenario, o->topology, t->n_pools);
        if (qr_pairing_play(stdout, t, s, res, err, sizeof(err)) != 0) {
            fprintf(stderr, "quorate scenario: %s: %s\n", o->scenario, err);
            free(res);
            return 2;
        }
    }
    if (!o->json && res->failed == 0)
        printf("expectations: %d checked, all hold\n", res->checks);
    else if (!o->json)
        printf("expectations: %d checked, %d FAILED\n", res->checks, res->failed);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quorate scenario: cannot write the output: %s\n", strerror(errno));
        free(res);
        return 2;
    }
    for (int i = 0; i < res->failed && i < QR_PAIRING_MAX_MISSES; i++) {
        const qr_pairing_miss *m = &res->misses[i];
        fprintf(stderr, "%s:%d:%d: expectation failed at %s: '%s' is %s, expected %s\n",
                o->scenario, m->loc.line, m->loc.col, qr_narrate_clock(m->time, clock, sizeof(clock)),
                m->key, m->actual, m->expected);
    }
    int ret = res->failed ? 1 : 0;
    free(res);
    return ret;
}

int cmd_scenario(int argc, char **argv)
{
    scenario_options o;
    qr_diags sd;
    qr_topology *t = NULL;
    qr_scenario *s = NULL;
    qr_playback p;
    char err[512] = "";
    int ret = 2;
    memset(&p, 0, sizeof(p));
    memset(&sd, 0, sizeof(sd));

    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (qr_diags_init(&sd, o.scenario) != 0) {
        fputs("quorate scenario: out of memory\n", stderr);
        goto cleanup;
    }
    /* As `quorate check` judges it; a topology with errors is bad input. */
    if (qr_cli_load_checked(o.topology, &t) != 0 ||
        (o.html && qr_cli_refuse_pools("scenario --html", o.topology, t) != 0))
        goto cleanup;
    rc = qr_scenario_load_file(o.scenario, t, &s, &sd);
    if (rc != 0) {
        qr_report_diags_text(stderr, &sd);
        goto cleanup;
    }
    if (qr_topology_is_paired(t)) { /* several pools (M10): lab/pairing_play.c */
        ret = play_pools(t, s, &o);
        goto cleanup;
    }
    qr_playback_config pc = qr_playback_config_of(s);
    if (qr_playback_init(&p, t, &pc, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate scenario: %s: %s\n", o.topology, err);
        goto cleanup;
    }
    if ((rc = qr_playback_run(&p, s)) != 0) {
        fprintf(stderr, "quorate scenario: %s: %s\n", o.scenario, qr_playback_error(rc));
        goto cleanup;
    }
    if (o.json) {
        char *doc = render_json(t, s, &o, &p);
        if (!doc) {
            fputs("quorate scenario: out of memory\n", stderr);
            goto cleanup;
        }
        fputs(doc, stdout);
        fputc('\n', stdout);
        free(doc);
    } else {
        print_text(stdout, t, s, &o, &p);
    }
    if (o.html) {
        html_page page = { &p, s, o.scenario };
        if (qr_file_write(o.html, write_page, &page, err, sizeof(err)) != 0) {
            fprintf(stderr, "quorate scenario: %s\n", err);
            goto cleanup;
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quorate scenario: cannot write the output: %s\n", strerror(errno));
        goto cleanup;
    }
    for (int i = 0; i < p.n_checks; i++) {
        const qr_check *c = &p.checks[i];
        if (!c->ok)
            fprintf(stderr, "%s:%d:%d: expectation failed at %s: '%s' is %s, expected %s\n",
                    o.scenario, c->loc.line, c->loc.col,
                    qr_narrate_clock(c->time, err, sizeof(err)), qr_vocab_key(p.vocab, c->key),
                    c->actual, c->expected);
    }
    ret = p.failed ? 1 : 0;
cleanup:
    qr_playback_release(&p);
    qr_scenario_free(s);
    qr_topology_free(t);
    qr_diags_release(&sd);
    return ret;
}
