/*
 * cmd_simulate.c: placeholder so that this branch links on its own; the
 * simulator's real `quorate simulate` (helper "engine") replaces it at merge.
 */
#include <stdio.h>

#include "commands.h"

int cmd_simulate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("quorate simulate: not available in this build\n", stderr);
    return 2;
}
