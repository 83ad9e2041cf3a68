/*
 * fail_malloc.c: an LD_PRELOAD shim for tests/cli/hostile.sh that runs
 * quorate out of memory. With QUORATE_FAIL_MALLOC=N in the environment,
 * the Nth call of malloc, calloc or realloc and every later one return NULL
 * (memory exhausted from that point on), or, with QUORATE_FAIL_MALLOC_ONCE
 * set too, that call alone (one allocation fails, later ones succeed: a
 * failure that the program could wrongly take for something else has room
 * to show); with QUORATE_COUNT_MALLOC set, the
 * number of calls is printed on standard error at exit, so that a test can
 * sweep N over a whole run. Built by the test itself; glibc only (it
 * forwards to __libc_malloc and friends).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);

static long calls;
static long fail_from = -2; /* -2: not read yet, -1: never */
static int fail_once;

static int fail_now(void)
{
    if (fail_from == -2) {
        const char *s = getenv("QUORATE_FAIL_MALLOC");
        fail_from = s ? atol(s) : -1;
        fail_once = getenv("QUORATE_FAIL_MALLOC_ONCE") != NULL;
    }
    calls++;
    if (fail_from > 0 && (fail_once ? calls == fail_from : calls >= fail_from)) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    return fail_now() ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __libc_realloc(p, n);
}

__attribute__((destructor)) static void count(void)
{
    if (getenv("QUORATE_COUNT_MALLOC")) {
        char buf[64];
        int len = snprintf(buf, sizeof(buf), "malloc calls: %ld\n", calls);
        if (write(STDERR_FILENO, buf, (size_t)len) < 0)
            return;
    }
}
