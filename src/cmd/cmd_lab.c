/*
 * cmd_lab.c: `quorate lab TOPOLOGY`, the interactive training-lab console
 * (lab.h). On a terminal, lines are read with libedit (line editing,
 * history, completion of command words and component names); when
 * standard input is not a terminal, plain mode reads lines with getline
 * and echoes each one after a "lab> " prompt, so a piped script gives a
 * readable transcript.
 *
 * Exit status: 0 the session ended (quit or end of input) and, in plain
 * mode, every command was accepted and every expectation held; 1 in plain
 * mode, a command was rejected or an expectation did not hold; 2 bad input (a topology with errors, a bad flag, an unreadable
 * file, a design the simulator cannot run, out of memory).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "cmd/cli_options.h"
#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "lab/lab.h"
#include "lab/pairing_lab.h"
#include "model/topology.h"

typedef struct {
    bool operator_on; /* --operator */
} lab_options;

static const qr_opt options[] = {
    { .name = "--operator", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(lab_options, operator_on),
      .flag = true,
      .help = "the automatic operator acts too (soft resets, manual SQL failover, forced "
              "quorum after their operations.* delays)" },
    { 0 },
};

static const qr_cli_command command = {
    .name = "lab",
    .about = "usage: quorate lab [OPTIONS] TOPOLOGY\n"
             "\n"
             "Interactive training-lab console on a pool design: crash, shut down, start\n"
             "and repair components, run the soft reset or a manual SQL failover, let\n"
             "time pass, and watch the narrated timeline; 'status' shows servers, votes,\n"
             "replicas and features, 'undo' takes back the last command, 'save FILE'\n"
             "writes the session as a scenario for 'quorate scenario'. Type 'help' in the\n"
             "console for every command. When standard input is not a terminal, commands\n"
             "are read one per line (plain mode) and echoed.\n"
             "\n",
    .options = options,
    .after = "\n"
             "exit status:\n"
             "  0  the session ended (quit or end of input)\n"
             "  1  plain mode: a command was rejected or an expectation did not hold\n"
             "  2  bad input: a topology with errors, a bad flag, an unreadable file\n",
};

/* ---- completion (libedit's readline interface has no context pointer:
 * the topology is kept here for the session's length) ---- */

static const qr_topology *completion_topology;

static char *complete_word(const char *text, int state)
{
    static int index;
    static size_t len;
    if (state == 0) {
        index = 0;
        len = strlen(text);
    }
    int n_cmds = 0;
    while (qr_lab_commands[n_cmds])
        n_cmds++;
    int n_comps = completion_topology ? completion_topology->n_comps : 0;
    while (index < n_cmds + n_comps) {
        int k = index++;
        const char *w = k < n_cmds ? qr_lab_commands[k]
                                   : completion_topology->comps[k - n_cmds].name;
        if (strncmp(w, text, len) == 0)
            return strdup(w);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)start;
    (void)end;
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, complete_word);
}

static int run_terminal(qr_lab *l)
{
    completion_topology = l->t;
    rl_readline_name = "quorate";
    rl_attempted_completion_function = complete;
    using_history();
    int ret = 0;
    char *line;
    while ((line = readline("lab> ")) != NULL) {
        if (strlen(line) > QR_LAB_MAX_LINE) {
            printf("error: the line is %zu bytes long, more than %d: ignored\n", strlen(line),
                   QR_LAB_MAX_LINE);
            free(line);
            continue;
        }
        if (*line)
            add_history(line);
        int rc = qr_lab_exec(l, line, stdout);
        free(line);
        fflush(stdout);
        if (rc < 0) {
            fprintf(stderr, "quorate lab: %s\n", qr_playback_error(rc));
            ret = 2;
            break;
        }
        if (rc == QR_LAB_QUIT)
            break;
    }
    clear_history();
    completion_topology = NULL;
    return ret;
}

/* Read one line of at most QR_LAB_MAX_LINE bytes into buf (which holds
 * QR_LAB_MAX_LINE + 2), without its line break. Returns its length, -1 at
 * the end of input, or -2 for a longer line, which is read to its end and
 * dropped (memory stays bounded whatever the input; *total says its
 * length). */
static long read_line(FILE *in, char *buf, size_t *total)
{
    size_t n = 0;
    int ch;
    *total = 0;
    while ((ch = getc(in)) != EOF && ch != '\n') {
        if (n < QR_LAB_MAX_LINE + 1)
            buf[n++] = (char)ch;
        (*total)++;
    }
    if (ch == EOF && *total == 0)
        return -1;
    if (*total > 0 && *total <= QR_LAB_MAX_LINE + 1 && buf[n - 1] == '\r')
        n--, (*total)--;
    if (*total > QR_LAB_MAX_LINE)
        return -2;
    buf[n] = '\0';
    return (long)n;
}

static int run_plain(qr_lab *l)
{
    char *line = malloc(QR_LAB_MAX_LINE + 2);
    size_t total;
    long n;
    int ret = 0;
    if (!line) {
        fputs("quorate lab: out of memory\n", stderr);
        return 2;
    }
    while ((n = read_line(stdin, line, &total)) != -1) {
        if (n == -2) {
            printf("lab> %.60s...\nerror: the line is %zu bytes long, more than %d: ignored\n",
                   line, total, QR_LAB_MAX_LINE);
            ret = 1;
            continue;
        }
        printf("lab> %s\n", line);
        int rc = qr_lab_exec(l, line, stdout);
        if (rc < 0) {
            fprintf(stderr, "quorate lab: %s\n", qr_playback_error(rc));
            ret = 2;
            break;
        }
        if (rc == QR_LAB_REJECTED)
            ret = 1;
        if (rc == QR_LAB_QUIT)
            break;
    }
    free(line);
    return ret;
}

/* A design with several pools (M10): lab/pairing_lab.c, lines read as in
 * run_plain (with a prompt on a terminal). Returns the exit status. */
static int run_pools(const qr_topology *t, const char *file, bool operator_on)
{
    qr_pairing_lab l;
    char *line = malloc(QR_LAB_MAX_LINE + 2);
    if (!line || qr_pairing_lab_init(&l, t, file, operator_on) != 0) {
        free(line);
        fputs("quorate lab: out of memory\n", stderr);
        return 2;
    }
    bool tty = isatty(STDIN_FILENO);
    printf("quorate lab: %s, %d pools (M10), %s; everything up at 00:00:00. Type 'help' for "
           "commands.\n", t->name, t->n_pools,
           operator_on ? "automatic operator on" : "no automatic operator");
    int ret = 0;
    size_t total;
    long n;
    for (;;) {
        if (tty) {
            fputs("lab> ", stdout);
            fflush(stdout);
        }
        if ((n = read_line(stdin, line, &total)) == -1)
            break;
        if (n == -2) {
            printf("error: the line is %zu bytes long, more than %d: ignored\n", total,
                   QR_LAB_MAX_LINE);
            ret = 1;
            continue;
        }
        if (!tty)
            printf("lab> %s\n", line);
        int rc = qr_pairing_lab_exec(&l, line, stdout);
        if (rc < 0) {
            ret = 2;
            break;
        }
        if (rc == QR_LAB_REJECTED && !tty)
            ret = 1;
        if (rc == QR_LAB_QUIT)
            break;
    }
    if (!tty && ret == 0 && l.failed > 0)
        ret = 1; /* a script's expectation did not hold */
    qr_pairing_lab_release(&l);
    free(line);
    return ret;
}

int cmd_lab(int argc, char **argv)
{
    const char *file = NULL;
    lab_options o = { .operator_on = false };
    qr_cli_args w;
    int rc = qr_cli_parse_command(&w, &command, argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (qr_cli_one_operand(&w, "topology file", &file) != 0)
        return 2;
    if (strcmp(file, "-") == 0)
        return qr_cli_usage_error("lab", "the topology cannot be standard input: the console reads it");

    qr_topology *t = NULL;
    qr_lab l;
    char err[512];
    int ret = 2;
    memset(&l, 0, sizeof(l));
    /* As `quorate check` judges it; a topology with errors is bad input. */
    if (qr_cli_load_checked(file, &t) != 0)
        goto cleanup;
    if (qr_topology_is_paired(t)) {
        ret = run_pools(t, file, o.operator_on);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "quorate lab: cannot write the output: %s\n", strerror(errno));
            ret = 2;
        }
        goto cleanup;
    }
    if (qr_lab_init(&l, t, file, o.operator_on, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate lab: %s: %s\n", file, err);
        goto cleanup;
    }
    bool tty = isatty(STDIN_FILENO);
    printf("quorate lab: %s, %s; everything up at 00:00:00. Type 'help' for commands.\n",
           t->name, l.operator_on ? "automatic operator on" : "no automatic operator");
    fflush(stdout);
    ret = tty ? run_terminal(&l) : run_plain(&l);
    if (!tty && ret == 0 && l.pb.failed > 0)
        ret = 1; /* a script's expectation did not hold */
    const char *stats = getenv("QUORATE_LAB_STATS");
    if (stats && strcmp(stats, "1") == 0)
        fprintf(stderr, "quorate lab: %d undos replayed %ld commands, at most %d in one\n",
                l.undos, l.replayed, l.replayed_max);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quorate lab: cannot write the output: %s\n", strerror(errno));
        ret = 2;
    }
cleanup:
    qr_lab_release(&l);
    qr_topology_free(t);
    return ret;
}
