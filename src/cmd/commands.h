/*
 * commands.h: the subcommands of the quorate CLI. Each lives in its own file
 * src/cmd/cmd_<name>.c and returns the process exit status (0 success, 1 the
 * input has problems, 2 usage or I/O error); main.c only dispatches.
 */
#ifndef QR_COMMANDS_H
#define QR_COMMANDS_H

/* argv[0] is the subcommand's name ("check"). */
int cmd_check(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_scenario(int argc, char **argv);
int cmd_lab(int argc, char **argv);

#endif
