/*
 * stop_at_fchmod.c: an LD_PRELOAD shim for tests/cli/hostile.sh. quorate
 * calls fchmod() on an output's temporary file right after creating it; the
 * shim's fchmod first stops the process (SIGSTOP), so that the test can
 * send a signal at a known moment, while the temporary file exists and
 * nothing is blocked, then does the real fchmod. Built by the test itself.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

int fchmod(int fd, mode_t mode)
{
    int (*real)(int, mode_t) = (int (*)(int, mode_t))dlsym(RTLD_NEXT, "fchmod");
    kill(getpid(), SIGSTOP);
    return real ? real(fd, mode) : -1;
}
