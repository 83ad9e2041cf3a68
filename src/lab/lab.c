/*
 * lab.c: the `quorate lab` console's commands (lab.h). Each accepted
 * command is both applied to the playback and appended to the history as
 * a scenario step at the current time; `undo` rebuilds the playback from
 * the history minus its last step: from the latest mark at or before it (a
 * copy of the playback, sim_engine_copy) when there is one, else from a
 * fresh engine, replaying only the commands after the mark. Marks are
 * taken every mark_every commands and thinned (every other one dropped,
 * the spacing doubled) past QR_LAB_MARKS, so an undo replays fewer than
 * 2 * mark_every commands and memory stays bounded: 6,000 commands and
 * 3,000 undos took a minute when every undo replayed everything. What
 * changed is printed with qr_playback_print from the entries not shown
 * yet.
 */
#include "lab/lab.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/file_out.h"
#include "lab/narrate.h"
#include "util/suggest.h"

const char *const qr_lab_commands[] = {
    "crash", "shutdown", "start", "repair", "reset", "failover", "advance", "expect",
    "note", "status", "undo", "save", "help", "quit", "exit", "migrate", "why",
    "patch_night", "latent_fault", "reboot", NULL,
};

static const char *const help_text =
    "commands (at the current time; nothing happens until you 'advance'):\n"
    "  crash NAME        NAME goes down unexpectedly (server, host, site, storage, link)\n"
    "  shutdown NAME     graceful shutdown: drained first\n"
    "  start NAME        start after a shutdown\n"
    "  repair NAME       back up after a crash\n"
    "  reset             the soft reset: Reset-CsPoolRegistrarState -ResetType QuorumLossRecovery\n"
    "  failover          manual SQL failover to the mirror\n"
    "  migrate VM HOST   move a virtual machine to another host of its site: live when it\n"
    "                    runs (virtualization.live_migration), cold when it is down\n"
    "  why NAME          what holds NAME down (itself, its host or its site, a common-cause\n"
    "                    failure, a latent fault shown at its start) and the way out\n"
    "  patch_night       a patch night now: the pool's servers patched one at a time (M7.1)\n"
    "  latent_fault NAME latent fault NAME lands on its servers, unseen until each one's\n"
    "                    next start (M7.3; the design's `latent_faults:`)\n"
    "  reboot SERVER     graceful shutdown, then a start patch.reboot later (M7.1, M7.3)\n"
    "  advance DURATION  let time pass, e.g. 'advance 10m' (units s, m, h, d)\n"
    "  expect KEY VALUE  check the state now, e.g. 'expect pool down'\n"
    "  note TEXT         a remark in the timeline\n"
    "  status            servers, votes, replicas and features now\n"
    "  undo              take back the last command\n"
    "  save FILE         write the session as a scenario for 'quorate scenario'\n"
    "  help              this list\n"
    "  quit              leave (also 'exit' or end of input)\n";

int qr_lab_init(qr_lab *l, const qr_topology *t, const char *topology_path, bool operator_on,
                char *err, size_t errlen)
{
    memset(l, 0, sizeof(*l));
    l->t = t;
    l->topology_path = topology_path;
    l->operator_on = operator_on;
    l->history = qr_scenario_new();
    if (!l->history) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    l->history->operator_on = operator_on;
    l->mark_every = QR_LAB_MARK_EVERY;
    l->marks = calloc(QR_LAB_MARKS + 1, sizeof(*l->marks));
    if (!l->marks) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    qr_playback_config pc = { operator_on, false, false, 0 };
    return qr_playback_init(&l->pb, t, &pc, err, errlen);
}

void qr_lab_release(qr_lab *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->n_marks; i++)
        qr_playback_mark_release(&l->marks[i].mark);
    free(l->marks);
    qr_playback_release(&l->pb);
    qr_scenario_free(l->history);
    memset(l, 0, sizeof(*l));
}

/* Print what happened since the last call. */
static void show_new(qr_lab *l, FILE *out)
{
    qr_playback_print(out, &l->pb, l->shown_entries, l->shown_checks, NULL);
    l->shown_entries = l->pb.n_entries;
    l->shown_checks = l->pb.n_checks;
}

/* Split line into at most `max` words (modified in place); the rest of
 * the line after the first word is kept in *rest. Returns the count. */
static int split(char *line, char **words, int max, char **rest)
{
    int n = 0;
    char *p = line;
    *rest = NULL;
    while (*p && n < max) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (n == 1 && !*rest)
            *rest = p;
        words[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

static int reject(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "error: <message>" and return QR_LAB_REJECTED. */
static int reject(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", out);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
    va_end(ap);
    return QR_LAB_REJECTED;
}

static int component(qr_lab *l, const char *name, FILE *out)
{
    int i = qr_topology_find(l->t, name);
    if (i >= 0)
        return i;
    const char **names = malloc(sizeof(*names) * (size_t)(l->t->n_comps + 1));
    const char *hint = NULL;
    if (names) {
        for (int k = 0; k < l->t->n_comps; k++)
            names[k] = l->t->comps[k].name;
        hint = qr_suggest(name, names, (size_t)l->t->n_comps);
    }
    if (hint)
        reject(out, "unknown component '%s' (did you mean '%s'?)", name, hint);
    else
        reject(out, "unknown component '%s'", name);
    free(names);
    return -1;
}

/* After a command: a mark when the history's length is a multiple of
 * mark_every; past QR_LAB_MARKS, every other mark goes and the spacing
 * doubles. Returns 0, -1 out of memory. */
static int add_mark(qr_lab *l)
{
    int steps = l->history->n_steps;
    if (steps % l->mark_every != 0)
        return 0;
    qr_lab_mark *m = &l->marks[l->n_marks];
    if (qr_playback_mark_take(&l->pb, &m->mark) != 0)
        return -1;
    m->steps = steps;
    l->n_marks++;
    if (l->n_marks > QR_LAB_MARKS) {
        l->mark_every *= 2;
        int kept = 0;
        for (int i = 0; i < l->n_marks; i++) {
            if (l->marks[i].steps % l->mark_every == 0)
                l->marks[kept++] = l->marks[i];
            else
                qr_playback_mark_release(&l->marks[i].mark);
        }
        l->n_marks = kept;
    }
    return 0;
}

/* Apply st now and keep it in the history. Returns QR_LAB_OK,
 * QR_LAB_REJECTED (the history is as long as a scenario may be), -1 or -2
 * (qr_playback_step). */
static int apply(qr_lab *l, qr_step *st, FILE *out)
{
    if (l->history->n_steps >= QR_SCENARIO_MAX_STEPS)
        return reject(out, "the session holds %d commands, the most a scenario may have: "
                           "'save' it, or 'undo'", QR_SCENARIO_MAX_STEPS);
    st->at = l->pb.now;
    st->loc = (qr_loc){ l->history->n_steps + 1, 1 };
    if (qr_scenario_add(l->history, st) != 0)
        return -1;
    int rc = qr_playback_step(&l->pb, st, l->history->n_steps - 1);
    if (rc != 0)
        return rc;
    l->history->until = l->pb.now;
    show_new(l, out);
    return add_mark(l) == 0 ? QR_LAB_OK : -1;
}

static int undo(qr_lab *l, FILE *out)
{
    if (l->history->n_steps == 0) {
        fputs("nothing to undo\n", out);
        return QR_LAB_REJECTED;
    }
    qr_scenario_pop(l->history);
    int n = l->history->n_steps, from = 0;
    while (l->n_marks > 0 && l->marks[l->n_marks - 1].steps > n)
        qr_playback_mark_release(&l->marks[--l->n_marks].mark);
    if (l->n_marks > 0) {
        const qr_lab_mark *m = &l->marks[l->n_marks - 1];
        if (qr_playback_mark_restore(&l->pb, &m->mark) != 0)
            return -1;
        from = m->steps;
    } else {
        char err[256];
        qr_playback_release(&l->pb);
        qr_playback_config pc = { l->operator_on, false, false, 0 };
        if (qr_playback_init(&l->pb, l->t, &pc, err, sizeof(err)) != 0)
            return -1;
    }
    for (int i = from; i < n; i++) {
        int rc = qr_playback_step(&l->pb, &l->history->steps[i], i);
        if (rc != 0)
            return rc;
    }
    l->undos++;
    l->replayed += n - from;
    if (n - from > l->replayed_max)
        l->replayed_max = n - from;
    l->history->until = l->pb.now;
    l->shown_entries = l->pb.n_entries;
    l->shown_checks = l->pb.n_checks;
    char clock[32];
    fprintf(out, "undone; %d command%s kept, now %s\n", n, n == 1 ? "" : "s",
            qr_narrate_clock(l->pb.now, clock, sizeof(clock)));
    return QR_LAB_OK;
}

static int emit_scenario(FILE *f, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    const qr_lab *l = ctx;
    return qr_scenario_write(f, l->history, l->t, l->topology_path);
}

static int save(qr_lab *l, const char *file, FILE *out)
{
    char err[512];
    l->history->until = l->pb.now;
    if (strcmp(file, "-") == 0)
        return reject(out, "save needs a file name, not '-'");
    if (qr_file_write(file, emit_scenario, l, err, sizeof(err)) != 0)
        return reject(out, "%s", err);
    fprintf(out, "saved %d step%s to %s\n", l->history->n_steps,
            l->history->n_steps == 1 ? "" : "s", file);
    return QR_LAB_OK;
}

static int expect_cmd(qr_lab *l, char **w, int n, FILE *out)
{
    if (n != 3)
        return reject(out, "usage: expect KEY VALUE, e.g. 'expect pool down'");
    int k = qr_vocab_find(l->pb.vocab, w[1]);
    if (k < 0) {
        const char *hint = qr_vocab_suggest(l->pb.vocab, w[1]);
        if (hint)
            return reject(out, "unknown expectation '%s' (did you mean '%s'?)", w[1], hint);
        return reject(out, "unknown expectation '%s'", w[1]);
    }
    char why[128];
    if (qr_vocab_check_value(l->pb.vocab, k, w[2], why, sizeof(why)) != 0) {
        return reject(out, "expected %s for '%s', got '%s'", why, w[1], w[2]);
    }
    qr_expect x = { w[1], w[2], { l->history->n_steps + 1, 1 } };
    qr_step st;
    memset(&st, 0, sizeof(st));
    st.kind = QR_STEP_EXPECT;
    st.comp = -1;
    st.expects = &x;
    st.n_expects = 1;
    return apply(l, &st, out);
}

/* `migrate VM HOST` (M7.6): refused with the reason when the move cannot
 * be made now, so that the history holds only moves that happen. */
static int migrate_cmd(qr_lab *l, char **w, int n, FILE *out)
{
    if (n != 3)
        return reject(out, "usage: migrate VM HOST, e.g. 'migrate fe1 h2'");
    int vm = component(l, w[1], out);
    if (vm < 0)
        return QR_LAB_REJECTED;
    int h = component(l, w[2], out);
    if (h < 0)
        return QR_LAB_REJECTED;
    int partner;
    sim_migrate_check c = sim_engine_migrate_check(l->pb.e, vm, h, &partner);
    if (c != SIM_MIGRATE_OK) {
        char why[400];
        return reject(out, "cannot migrate %s to %s: %s", w[1], w[2],
                      qr_narrate_migrate_refusal(l->t, c, vm, h, partner, why, sizeof(why)));
    }
    qr_step st;
    memset(&st, 0, sizeof(st));
    st.kind = QR_STEP_MIGRATE;
    st.comp = vm;
    st.host = h;
    return apply(l, &st, out);
}

/* `latent_fault NAME`: the design's latent fault NAME lands now (M7.3). */
static int latent_cmd(qr_lab *l, char **w, int n, FILE *out)
{
    const qr_topology *t = l->t;
    if (n != 2)
        return reject(out, "usage: latent_fault NAME, a latent fault of the design");
    if (t->n_latent == 0)
        return reject(out, "this design declares no latent faults (`latent_faults:`, or an "
                           "assumptions file's)");
    for (int f = 0; f < t->n_latent; f++)
        if (strcmp(t->latent[f].name, w[1]) == 0) {
            qr_step st;
            memset(&st, 0, sizeof(st));
            st.kind = QR_STEP_LATENT;
            st.comp = f;
            return apply(l, &st, out);
        }
    const char **names = malloc(sizeof(*names) * ((size_t)t->n_latent + 1));
    const char *hint = NULL;
    if (names) {
        for (int f = 0; f < t->n_latent; f++)
            names[f] = t->latent[f].name;
        hint = qr_suggest(w[1], names, (size_t)t->n_latent);
    }
    if (hint)
        reject(out, "unknown latent fault '%s' (did you mean '%s'?)", w[1], hint);
    else
        reject(out, "unknown latent fault '%s'", w[1]);
    free(names);
    return QR_LAB_REJECTED;
}

/* `reboot SERVER`: as a patch reboot of that server alone (M7.1). */
static int reboot_cmd(qr_lab *l, char **w, int n, FILE *out)
{
    if (n != 2)
        return reject(out, "usage: reboot SERVER");
    int i = component(l, w[1], out);
    if (i < 0)
        return QR_LAB_REJECTED;
    if (l->t->comps[i].kind != QR_COMP_SERVER)
        return reject(out, "'reboot' needs a server, and '%s' is a %s", w[1],
                      qr_comp_kind_name(l->t->comps[i].kind));
    qr_step st;
    memset(&st, 0, sizeof(st));
    st.kind = QR_STEP_REBOOT;
    st.comp = i;
    return apply(l, &st, out);
}

int qr_lab_exec(qr_lab *l, const char *line, FILE *out)
{
    char *copy = strdup(line);
    if (!copy)
        return -1;
    char *w[4], *rest;
    int n = split(copy, w, 4, &rest);
    int ret = QR_LAB_OK;
    qr_step st;
    memset(&st, 0, sizeof(st));
    st.comp = -1;
    if (n == 0 || w[0][0] == '#')
        goto done;
    const char *cmd = w[0];
    int which = -1;
    for (int k = 0; qr_lab_commands[k]; k++)
        if (strcmp(cmd, qr_lab_commands[k]) == 0)
            which = k;
    if (which < 0) {
        size_t count = 0;
        while (qr_lab_commands[count])
            count++;
        const char *hint = qr_suggest(cmd, qr_lab_commands, count);
        if (hint)
            ret = reject(out, "unknown command '%s' (did you mean '%s'?); 'help' lists them",
                         cmd, hint);
        else
            ret = reject(out, "unknown command '%s'; 'help' lists them", cmd);
        goto done;
    }
    if (which <= 3) { /* crash, shutdown, start, repair */
        if (n != 2) {
            ret = reject(out, "usage: %s NAME", cmd);
            goto done;
        }
        static const qr_step_kind kinds[] = { QR_STEP_CRASH, QR_STEP_SHUTDOWN, QR_STEP_START,
                                              QR_STEP_REPAIR };
        st.kind = kinds[which];
        st.comp = component(l, w[1], out);
        ret = st.comp < 0 ? QR_LAB_REJECTED : apply(l, &st, out);
        goto done;
    }
    if (strcmp(cmd, "note") == 0) {
        if (!rest) {
            ret = reject(out, "usage: note TEXT");
            goto done;
        }
        /* split() cut the copy into words: the text is the original's */
        char *text = strdup(line + (rest - copy));
        if (!text) {
            ret = -1;
            goto done;
        }
        for (size_t k = strlen(text); k > 0 && isspace((unsigned char)text[k - 1]); k--)
            text[k - 1] = '\0';
        int ctl = qr_text_control_char(text);
        if (ctl >= 0) { /* as a scenario's note: it is printed and saved as is */
            free(text);
            ret = reject(out, "a note must not contain control characters, got U+%04X",
                         (unsigned)ctl);
            goto done;
        }
        st.kind = QR_STEP_NOTE;
        st.text = text;
        ret = apply(l, &st, out);
        free(text);
        goto done;
    }
    if (strcmp(cmd, "expect") == 0) {
        ret = expect_cmd(l, w, n, out);
        goto done;
    }
    if (strcmp(cmd, "migrate") == 0) {
        ret = migrate_cmd(l, w, n, out);
        goto done;
    }
    if (strcmp(cmd, "latent_fault") == 0) {
        ret = latent_cmd(l, w, n, out);
        goto done;
    }
    if (strcmp(cmd, "reboot") == 0) {
        ret = reboot_cmd(l, w, n, out);
        goto done;
    }
    if (strcmp(cmd, "patch_night") == 0) {
        if (n > 2 || (n == 2 && strcmp(w[1], "pool") != 0)) {
            ret = reject(out, "usage: patch_night (or 'patch_night pool')");
            goto done;
        }
        st.kind = QR_STEP_PATCH_NIGHT;
        ret = apply(l, &st, out);
        goto done;
    }
    if (strcmp(cmd, "why") == 0) {
        if (n != 2) {
            ret = reject(out, "usage: why NAME");
            goto done;
        }
        int i = component(l, w[1], out);
        if (i < 0) {
            ret = QR_LAB_REJECTED;
            goto done;
        }
        char why[1024];
        fprintf(out, "%s\n", qr_narrate_why(l->t, l->pb.e, i, why, sizeof(why)));
        goto done;
    }
    bool one_arg = strcmp(cmd, "advance") == 0 || strcmp(cmd, "save") == 0;
    if ((one_arg && n != 2) || (!one_arg && n != 1)) {
        if (one_arg)
            ret = reject(out, "usage: %s %s", cmd,
                         strcmp(cmd, "save") == 0 ? "FILE" : "DURATION (e.g. 10m)");
        else
            ret = reject(out, "'%s' takes no argument", cmd);
        goto done;
    }
    if (strcmp(cmd, "reset") == 0 || strcmp(cmd, "failover") == 0) {
        st.kind = strcmp(cmd, "reset") == 0 ? QR_STEP_RESET : QR_STEP_FAILOVER;
        ret = apply(l, &st, out);
    } else if (strcmp(cmd, "advance") == 0) {
        const char *why = NULL;
        if (qr_scenario_parse_time(w[1], &st.wait, &why) != 0 || !(st.wait > 0)) {
            ret = reject(out, "expected a duration such as '10m' for 'advance', got '%s'",
                         w[1]);
            goto done;
        }
        if (st.wait > QR_SCENARIO_MAX_TIME - l->pb.now) {
            char left[32];
            if (QR_SCENARIO_MAX_TIME - l->pb.now > 0)
                ret = reject(out, "the clock stops at 100 years, as a scenario's does: "
                                  "'advance' at most %s now",
                             qr_scenario_format_time(QR_SCENARIO_MAX_TIME - l->pb.now, left,
                                                     sizeof(left)));
            else
                ret = reject(out, "the clock is at 100 years, where it stops, as a "
                                  "scenario's does");
            goto done;
        }
        st.kind = QR_STEP_WAIT;
        char clock[32];
        ret = apply(l, &st, out);
        if (ret == QR_LAB_OK)
            fprintf(out, "now %s\n", qr_narrate_clock(l->pb.now, clock, sizeof(clock)));
    } else if (strcmp(cmd, "status") == 0) {
        qr_lab_status(l, out);
    } else if (strcmp(cmd, "undo") == 0) {
        ret = undo(l, out);
    } else if (strcmp(cmd, "save") == 0) {
        ret = save(l, w[1], out);
    } else if (strcmp(cmd, "help") == 0) {
        fputs(help_text, out);
    } else { /* quit, exit */
        ret = QR_LAB_QUIT;
    }
done:
    free(copy);
    return ret;
}

/* ---- status ---- */

static const char *state_word(sim_comp_state s)
{
    return s == SIM_UP ? "up" : s == SIM_DOWN_UNEXPECTED ? "crashed" : "stopped";
}

/* Append "role" to buf with a separator. */
static void role(char *buf, size_t size, const char *fmt, const char *a)
{
    size_t o = strlen(buf);
    if (o + 2 >= size)
        return;
    if (o)
        o += (size_t)snprintf(buf + o, size - o, ", ");
    snprintf(buf + o, size - o, fmt, a);
}

static bool in_list(const int *list, int n, int i)
{
    for (int k = 0; k < n; k++)
        if (list[k] == i)
            return true;
    return false;
}

static void server_row(const qr_lab *l, int i, const sim_status *st, FILE *out)
{
    const qr_topology *t = l->t;
    const qr_pool *p = &t->pool;
    const qr_backend *b = &p->backend;
    const sim_engine *e = l->pb.e;
    sim_comp_state s = sim_engine_comp_state(e, i);
    char roles[256] = "", votes[256] = "";
    int seeds = qr_pool_seed_count(p->version, p->n_frontends);
    for (int k = 0; k < p->n_frontends; k++)
        if (p->frontends[k] == i) {
            /* M2.1, M2.3: the routing-group replicas it holds now */
            int replicas = 0;
            for (int g = 0; g < p->routing_groups; g++)
                for (int j = 0; j < 3; j++)
                    replicas += sim_engine_group_replica(e, g, j) == k;
            char fe[64];
            snprintf(fe, sizeof(fe), "%s, %d replicas", k < seeds ? "front end (seed)"
                                                                   : "front end",
                     replicas);
            role(roles, sizeof(roles), "%s", fe);
            if (k < seeds)
                role(votes, sizeof(votes), "%s",
                     s == SIM_UP ? (sim_engine_frontend_cut(e, k)
                                        ? "fabric: cut off (site partition)"
                                        : "fabric: votes")
                     : s == SIM_DOWN_UNEXPECTED
                         ? "fabric: counted, absent"
                         : (t->params.graceful_leave_adjusts_votes ? "fabric: left"
                                                                   : "fabric: counted, absent"));
        }
    bool principal = st->backend_principal == i;
    switch (b->kind) {
    case QR_BACKEND_STANDALONE:
        if (b->server == i)
            role(roles, sizeof(roles), "%s", "SQL");
        break;
    case QR_BACKEND_MIRRORING:
        if (b->principal == i || b->mirror == i)
            role(roles, sizeof(roles), "%s", principal ? "SQL principal" : "SQL mirror");
        if (b->witness == i)
            role(roles, sizeof(roles), "%s", "SQL witness");
        break;
    case QR_BACKEND_ALWAYSON:
        if (in_list(b->replicas, b->n_replicas, i))
            role(roles, sizeof(roles), "%s",
                 principal ? "AlwaysOn primary" : "AlwaysOn secondary");
        break;
    case QR_BACKEND_FCI:
        if (principal)
            role(roles, sizeof(roles), "%s", "SQL FCI owner");
        break;
    case QR_BACKEND_EXTERNAL:
        break;
    }
    const qr_file_store *f = &p->file_store;
    if ((f->kind == QR_FILE_STORE_SHARE && f->server == i) ||
        (f->kind == QR_FILE_STORE_DFS && in_list(f->replicas, f->n_replicas, i)))
        role(roles, sizeof(roles), "%s",
             f->kind == QR_FILE_STORE_SHARE ? "file share" : "DFS replica");
    for (int c = 0; c < t->n_clusters; c++) {
        const qr_cluster *cl = &t->clusters[c];
        for (int j = 0; j < cl->n_nodes; j++)
            if (cl->nodes[j] == i) {
                char w[200];
                snprintf(w, sizeof(w), "%s node", cl->name);
                role(roles, sizeof(roles), "%s", w);
                snprintf(w, sizeof(w), "%s: %s", cl->name,
                         sim_engine_node_vote(e, c, j) > 0 ? "votes" : "no vote");
                role(votes, sizeof(votes), "%s", w);
            }
        if (cl->witness == i) {
            char w[200];
            snprintf(w, sizeof(w), "%s witness", cl->name);
            role(roles, sizeof(roles), "%s", w);
        }
    }
    fprintf(out, "  %-12s %-8s %-58s %s\n", t->comps[i].name, state_word(s),
            roles[0] ? roles : "-", votes[0] ? votes : "-");
}

void qr_lab_status(const qr_lab *l, FILE *out)
{
    const qr_topology *t = l->t;
    const sim_engine *e = l->pb.e;
    sim_status st;
    sim_engine_status(e, &st);
    char clock[32], votes[1024];
    static const char *const pool[] = { "UP", "DOWN", "STARTING" };
    fprintf(out, "time %s: pool %s\n", qr_narrate_clock(l->pb.now, clock, sizeof(clock)),
            pool[st.pool]);
    fprintf(out, "votes: %s\n", qr_narrate_votes(l->pb.vocab, &l->pb.cur, votes,
                                                 sizeof(votes)));
    fprintf(out, "  %-12s %-8s %-58s %s\n", "server", "state", "roles", "votes");
    for (int i = 0; i < t->n_comps; i++)
        if (t->comps[i].kind == QR_COMP_SERVER)
            server_row(l, i, &st, out);
    int others = 0;
    for (int i = 0; i < t->n_comps; i++) {
        sim_comp_state s = sim_engine_comp_state(e, i);
        if (t->comps[i].kind == QR_COMP_SERVER || s == SIM_UP)
            continue;
        fprintf(out, "%s%s %s (%s)", others ? ", " : "other components down: ",
                qr_comp_kind_name(t->comps[i].kind), t->comps[i].name, state_word(s));
        others++;
    }
    if (others)
        fputc('\n', out);
    int moved = 0; /* M0.4, M7.6: VMs away from their design host */
    for (int i = 0; i < t->n_comps; i++) {
        int h = sim_engine_comp_host(e, i);
        if (h < 0 || h == t->comps[i].host)
            continue;
        fprintf(out, "%s%s on %s (design host %s)", moved++ ? ", " : "moved VMs: ",
                t->comps[i].name, t->comps[h].name, t->comps[t->comps[i].host].name);
    }
    if (moved)
        fputc('\n', out);
    const char *principal = st.backend_principal >= 0 && st.backend_principal < t->n_comps
                                ? t->comps[st.backend_principal].name : "none";
    fprintf(out, "Back End (%s): %s on %s", qr_backend_kind_name(t->pool.backend.kind),
            st.backend_serving ? "serving" : "DOWN", principal);
    if (t->pool.backend.kind == QR_BACKEND_MIRRORING || t->pool.backend.kind == QR_BACKEND_ALWAYSON)
        fprintf(out, ", %s", st.backend_synchronized ? "synchronized" : "not synchronized");
    if (!st.backend_reachable)
        fputs(", not reachable from the pool's side of the site partition", out);
    if (st.resiliency_mode)
        fputs(", users in resiliency mode", out);
    fprintf(out, "; file store %s\n", st.file_store_up ? "up" : "DOWN");
    int r = t->pool.n_frontends < 3 ? t->pool.n_frontends : 3;
    fprintf(out, "routing groups (%d replicas each): %d writable, %d in quorum loss, %d with no "
                 "replica\n",
            r, st.groups_writable, st.groups_limited, st.groups_down);
    fputs("features:", out);
    for (int f = 0; f < t->n_features; f++) {
        double a = sim_engine_feature(e, f);
        if (a >= 1.0 - 1e-12)
            fprintf(out, " %s up", t->features[f].name);
        else if (a <= 1e-12)
            fprintf(out, " %s DOWN", t->features[f].name);
        else
            fprintf(out, " %s %.0f%%", t->features[f].name, 100 * a);
        fputc(f + 1 < t->n_features ? ',' : '\n', out);
    }
}
