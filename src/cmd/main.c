/*
 * main.c: the quorate command table and dispatch, and the check that
 * standard output was written. Each command is src/cmd/cmd_<name>.c and
 * returns the exit status. Under an MPI launcher, main starts and ends
 * MPI around the command (mpi_run.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/mpi_run.h"
#include "util/version.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    { "check", cmd_check, "check topology files for errors and design risks" },
    { "simulate", cmd_simulate, "Monte Carlo simulation of a pool design" },
    { "analyze", cmd_analyze, "single points of failure, N-k survival, exact availability" },
    { "graph", cmd_graph, "dependency graph as Graphviz DOT or GraphML" },
    { "compare", cmd_compare, "scorecard and ranking of several pool designs" },
    { "sensitivity", cmd_sensitivity, "how sure a comparison is under uncertain assumptions" },
    { "plan", cmd_plan, "candidate designs for given requirements, the Pareto front, a pick" },
    { "export", cmd_export, "fault trees in Open-PSA MEF XML (check with SCRAM)" },
    { "scenario", cmd_scenario, "replay a training-lab scenario as a narrated timeline" },
    { "lab", cmd_lab, "interactive training-lab console on a pool design" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
    fprintf(out,
            "usage: quorate COMMAND [OPTIONS] FILE...\n"
            "\n"
            "Quorum and high-availability analysis of Skype for Business / Lync\n"
            "Enterprise pool designs.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "quorate COMMAND --help shows the options of a command.\n"
            "exit status: 0 success, 1 problems found in the input, 2 usage or I/O error\n");
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("quorate %s\nMPI: %s\n", QR_VERSION_STRING, qr_mpi_library());
        return 0;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "quorate: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}

/* Whatever a command printed on standard output (its report, its --help)
 * must have reached it: a write error (a full disk, /dev/full, a closed
 * pipe's EPIPE) is an I/O error, exit 2, even when the command itself
 * did not look. */
int main(int argc, char **argv)
{
    int ret = qr_mpi_start(&argc, &argv);
    if (ret != 0)
        return ret;
    ret = dispatch(argc, argv);
    errno = 0;
    int flushed = fflush(stdout) == 0;
    int err = errno ? errno : EIO; /* an earlier failure left only the flag */
    if (!flushed || ferror(stdout)) {
        if (ret != 2) /* else the command has said why already */
            fprintf(stderr, "quorate: cannot write the output: %s\n", strerror(err));
        ret = 2;
    }
    return qr_mpi_finish(ret);
}
