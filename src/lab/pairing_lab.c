/*
 * pairing_lab.c: the lab console on a design with several pools
 * (pairing_lab.h): commands parsed into scenario steps, the history
 * replayed after each, the new lines of its timeline printed.
 */
#include "lab/pairing_lab.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lab/lab.h"
#include "lab/narrate.h"
#include "lab/pairing_play.h"
#include "util/file_out.h"

static const char *const help_text =
    "commands (at the current time; nothing happens until you 'advance'):\n"
    "  crash NAME        NAME goes down unexpectedly (server, host, site, storage, link)\n"
    "  shutdown NAME     graceful shutdown: drained first\n"
    "  start NAME        start after a shutdown\n"
    "  repair NAME       back up after a crash\n"
    "  reset             the soft reset, in every pool\n"
    "  failover POOL     the pool failover: Invoke-CsPoolFailover (M10.3; 'failover sql': SQL)\n"
    "  failback POOL     the pool failback: Invoke-CsPoolFailback (M10.5)\n"
    "  advance DURATION  let time pass, e.g. 'advance 10m' (units s, m, h, d)\n"
    "  expect KEY VALUE  check the state now, e.g. 'expect pool1.users resiliency'\n"
    "  note TEXT         a remark in the timeline\n"
    "  status            the pools, their users, the CMS and every feature now\n"
    "  undo              take back the last command\n"
    "  save FILE         write the session as a scenario for 'quorate scenario'\n"
    "  help              this list\n"
    "  quit              leave (also 'exit' or end of input)\n";

int qr_pairing_lab_init(qr_pairing_lab *l, const qr_topology *t, const char *topology_path,
                        bool operator_on)
{
    memset(l, 0, sizeof(*l));
    l->t = t;
    l->topology_path = topology_path;
    if (!(l->history = qr_scenario_new()))
        return -1;
    l->history->operator_on = operator_on;
    return 0;
}

void qr_pairing_lab_release(qr_pairing_lab *l)
{
    if (!l)
        return;
    qr_scenario_free(l->history);
    memset(l, 0, sizeof(*l));
}

/* Replay the history to l->now; print the timeline lines after the first
 * l->shown (the closing count line left out). */
static int replay(qr_pairing_lab *l, FILE *out, bool print)
{
    char *buf = NULL, err[256];
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    qr_pairing_result *res = malloc(sizeof(*res));
    if (!mem || !res) {
        if (mem)
            fclose(mem);
        free(buf);
        free(res);
        fputs("error: out of memory\n", out);
        return -1;
    }
    l->history->until = l->now;
    int rc = qr_pairing_play(mem, l->t, l->history, res, err, sizeof(err));
    fclose(mem);
    if (rc != 0) {
        fprintf(out, "error: %s\n", err);
        free(buf);
        free(res);
        return -1;
    }
    int line = 0;
    for (char *p = buf; p && *p;) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (line >= l->shown && print)
            fprintf(out, "%.*s\n", (int)n, p);
        line++;
        p = nl ? nl + 1 : NULL;
    }
    l->shown = line;
    l->failed = res->failed;
    free(buf);
    free(res);
    return 0;
}

static int add(qr_pairing_lab *l, qr_step *st, FILE *out)
{
    st->at = l->now;
    if (qr_scenario_add(l->history, st) != 0) {
        fputs("error: out of memory or too many steps\n", out);
        return -1;
    }
    if (st->kind == QR_STEP_WAIT)
        l->now += st->wait;
    return replay(l, out, true) == 0 ? QR_LAB_OK : -1;
}

static int emit_history(FILE *f, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    const qr_pairing_lab *l = ctx;
    return qr_scenario_write(f, l->history, l->t, l->topology_path);
}

int qr_pairing_lab_exec(qr_pairing_lab *l, const char *line, FILE *out)
{
    char cmd[32] = "", arg[4096] = "";
    while (isspace((unsigned char)*line))
        line++;
    if (!*line)
        return QR_LAB_OK;
    size_t n = strcspn(line, " \t");
    if (n >= sizeof(cmd)) {
        fprintf(out, "error: unknown command (type 'help')\n");
        return QR_LAB_REJECTED;
    }
    memcpy(cmd, line, n);
    const char *rest = line + n;
    while (isspace((unsigned char)*rest))
        rest++;
    snprintf(arg, sizeof(arg), "%s", rest);
    for (size_t e = strlen(arg); e > 0 && isspace((unsigned char)arg[e - 1]); e--)
        arg[e - 1] = '\0';
    qr_step st;
    memset(&st, 0, sizeof(st));
    st.comp = -1;
    static const struct {
        const char  *word;
        qr_step_kind kind;
    } comp_cmds[] = { { "crash", QR_STEP_CRASH }, { "shutdown", QR_STEP_SHUTDOWN },
                      { "start", QR_STEP_START }, { "repair", QR_STEP_REPAIR } };
    for (size_t k = 0; k < sizeof(comp_cmds) / sizeof(comp_cmds[0]); k++)
        if (strcmp(cmd, comp_cmds[k].word) == 0) {
            st.kind = comp_cmds[k].kind;
            if ((st.comp = qr_topology_find(l->t, arg)) < 0) {
                fprintf(out, "error: no component '%s'\n", arg);
                return QR_LAB_REJECTED;
            }
            return add(l, &st, out);
        }
    if (strcmp(cmd, "reset") == 0) {
        st.kind = QR_STEP_RESET;
        return add(l, &st, out);
    }
    if (strcmp(cmd, "failover") == 0 || strcmp(cmd, "failback") == 0) {
        bool over = cmd[4] == 'o';
        if (over && (!*arg || strcmp(arg, "sql") == 0)) {
            st.kind = QR_STEP_FAILOVER;
            return add(l, &st, out);
        }
        if ((st.comp = qr_topology_find_pool(l->t, arg)) < 0) {
            fprintf(out, "error: no pool '%s'\n", arg);
            return QR_LAB_REJECTED;
        }
        st.kind = over ? QR_STEP_POOL_FAILOVER : QR_STEP_POOL_FAILBACK;
        return add(l, &st, out);
    }
    if (strcmp(cmd, "advance") == 0) {
        const char *why = NULL;
        st.kind = QR_STEP_WAIT;
        if (qr_scenario_parse_time(arg, &st.wait, &why) != 0 || !(st.wait > 0) ||
            l->now + st.wait > QR_SCENARIO_MAX_TIME) {
            fprintf(out, "error: expected a duration such as '10m', got '%s'\n", arg);
            return QR_LAB_REJECTED;
        }
        return add(l, &st, out);
    }
    if (strcmp(cmd, "expect") == 0) {
        char key[256] = "";
        size_t k = strcspn(arg, " \t");
        const char *value = arg + k;
        while (isspace((unsigned char)*value))
            value++;
        if (k == 0 || k >= sizeof(key) || !*value) {
            fputs("error: expected 'expect KEY VALUE'\n", out);
            return QR_LAB_REJECTED;
        }
        memcpy(key, arg, k);
        qr_vocab *v = qr_vocab_new(l->t);
        char why[160];
        int kk = v ? qr_vocab_find(v, key) : -1;
        bool ok = kk >= 0 && qr_vocab_check_value(v, kk, value, why, sizeof(why)) == 0;
        if (!ok)
            fprintf(out, "error: %s\n", kk < 0 ? "unknown expectation key" : why);
        qr_vocab_free(v);
        if (!ok)
            return QR_LAB_REJECTED;
        qr_expect e = { key, (char *)value, { 0, 0 } };
        st.kind = QR_STEP_EXPECT;
        st.expects = &e;
        st.n_expects = 1;
        return add(l, &st, out);
    }
    if (strcmp(cmd, "note") == 0) {
        st.kind = QR_STEP_NOTE;
        st.text = arg;
        return add(l, &st, out);
    }
    if (strcmp(cmd, "status") == 0) {
        char err[256];
        l->history->until = l->now;
        if (qr_pairing_play_status(out, l->t, l->history, err, sizeof(err)) != 0) {
            fprintf(out, "error: %s\n", err);
            return -1;
        }
        return QR_LAB_OK;
    }
    if (strcmp(cmd, "undo") == 0) {
        if (l->history->n_steps == 0) {
            fputs("error: nothing to undo\n", out);
            return QR_LAB_REJECTED;
        }
        const qr_step *last = &l->history->steps[l->history->n_steps - 1];
        if (last->kind == QR_STEP_WAIT)
            l->now -= last->wait;
        qr_scenario_pop(l->history);
        fputs("undone: the session is back before its last command\n", out);
        return replay(l, out, false) == 0 ? QR_LAB_OK : -1;
    }
    if (strcmp(cmd, "save") == 0) {
        char err[256];
        if (!*arg) {
            fputs("error: expected 'save FILE'\n", out);
            return QR_LAB_REJECTED;
        }
        l->history->until = l->now;
        if (qr_file_write(arg, emit_history, l, err, sizeof(err)) != 0) {
            fprintf(out, "error: %s\n", err);
            return QR_LAB_REJECTED;
        }
        fprintf(out, "saved: %s\n", arg);
        return QR_LAB_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        fputs(help_text, out);
        return QR_LAB_OK;
    }
    if (strcmp(cmd, "quit") == 0 || strcmp(cmd, "exit") == 0)
        return QR_LAB_QUIT;
    fprintf(out, "error: unknown command '%s' (type 'help')\n", cmd);
    return QR_LAB_REJECTED;
}
