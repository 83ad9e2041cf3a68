/*
 * file_out.c: output files written whole or not at all (file_out.h).
 *
 * The temporary file is PATH.XXXXXX made by mkstemp() in the directory of
 * PATH, so the final rename() stays within one file system and is atomic:
 * a reader sees either the old file or the whole new one. Every way of
 * writing (standard output, a special file, the temporary file) runs the
 * writer through emit_and_finish(), so failures read the same everywhere.
 *
 * A signal that ends the process (SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGPIPE) while a temporary file exists must not leave it behind, as git's
 * tempfile.c does: the temporary file's name is kept in a fixed table (the
 * first piece of global state here, set and cleared with those signals
 * blocked), the handlers are installed for as long as a temporary file
 * exists, and a handler only unlinks the names in the table, puts the
 * previous action back and raises the signal again (async-signal-safe
 * calls only), so the process ends as it would have.
 * The other: a switch that makes every write a no-op, for the MPI ranks
 * other than rank 0 (qr_file_out_discard).
 */
#include "util/file_out.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary files removed on a fatal signal ---- */

#define PENDING_MAX 4        /* temporary files at once (one in practice) */
#define PENDING_PATH 4096    /* PATH_MAX: longer names fail in mkstemp    */

static const int fatal_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE };
#define N_FATAL ((int)(sizeof(fatal_signals) / sizeof(fatal_signals[0])))

static char pending_path[PENDING_MAX][PENDING_PATH];
static volatile sig_atomic_t pending_used[PENDING_MAX];
static int pending_count;                  /* only touched outside handlers */
static struct sigaction saved_action[N_FATAL];

static void remove_pending(int sig)
{
    for (int k = 0; k < PENDING_MAX; k++)
        if (pending_used[k])
            unlink(pending_path[k]);
    for (int i = 0; i < N_FATAL; i++)
        if (fatal_signals[i] == sig)
            sigaction(sig, &saved_action[i], NULL);
    raise(sig); /* delivered with the previous action once this returns */
}

static void block_fatal(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < N_FATAL; i++)
        sigaddset(&set, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Called with the fatal signals blocked: the first pending file installs
 * the handlers (a signal the process ignores stays ignored). */
static void handlers_on(void)
{
    if (pending_count++ > 0)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = remove_pending;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < N_FATAL; i++) {
        sigaction(fatal_signals[i], NULL, &saved_action[i]);
        if (saved_action[i].sa_handler != SIG_IGN)
            sigaction(fatal_signals[i], &sa, NULL);
    }
}

/* Called with the fatal signals blocked: the last one puts them back. */
static void handlers_off(void)
{
    if (--pending_count > 0)
        return;
    for (int i = 0; i < N_FATAL; i++)
        sigaction(fatal_signals[i], &saved_action[i], NULL);
}

/* mkstemp(template) with the name kept in the table until pending_done.
 * Returns the descriptor and the slot in *slot (-1 when the table is full:
 * the file is then made unprotected), or -1 with errno. */
static int pending_mkstemp(char *template, int *slot)
{
    *slot = -1;
    size_t n = strlen(template);
    if (n >= PENDING_PATH) {
        errno = ENAMETOOLONG;
        return -1;
    }
    sigset_t old;
    block_fatal(&old);
    int fd = mkstemp(template);
    int err = errno;
    if (fd >= 0) {
        for (int k = 0; k < PENDING_MAX && *slot < 0; k++)
            if (!pending_used[k])
                *slot = k;
        if (*slot >= 0) {
            memcpy(pending_path[*slot], template, n + 1);
            pending_used[*slot] = 1;
            handlers_on();
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = err;
    return fd;
}

/* Rename tmp to path (or unlink it when path is NULL) and take it out of
 * the table (*slot becomes -1), with the signals blocked so that no handler
 * sees a half-done state. Returns rename's or unlink's result. */
static int pending_done(int *slot, const char *tmp, const char *path)
{
    sigset_t old;
    block_fatal(&old);
    int rc = path ? rename(tmp, path) : unlink(tmp);
    int err = errno;
    if (*slot >= 0) {
        pending_used[*slot] = 0;
        *slot = -1;
        handlers_off();
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = err;
    return rc;
}

static int fail(char *err, size_t errlen, const char *path, const char *reason)
{
    if (err && errlen > 0)
        snprintf(err, errlen, "cannot write '%s': %s", path, reason);
    return -1;
}

/* Run emit on out, then close it (or only flush it, for standard output).
 * A stream error wins over the writer's own reason, which wins over "out
 * of memory". 0, or -1 with the message in err naming `shown`. */
static int emit_and_finish(FILE *out, bool close_it, qr_emit_fn emit, void *ctx,
                           const char *shown, char *err, size_t errlen)
{
    char why[256] = "";
    errno = 0;
    int wr = emit(out, ctx, why, sizeof(why));
    int werr = ferror(out) ? (errno ? errno : EIO) : 0;
    if ((close_it ? fclose(out) : fflush(out)) != 0 && !werr)
        werr = errno ? errno : EIO;
    if (werr)
        return fail(err, errlen, shown, strerror(werr));
    if (wr != 0)
        return fail(err, errlen, shown, why[0] ? why : "out of memory");
    return 0;
}

/* path through PATH.XXXXXX and rename(2), the new file with `mode`;
 * messages name `shown`. */
static int write_atomic(const char *path, const char *shown, mode_t mode, qr_emit_fn emit,
                        void *ctx, char *err, size_t errlen)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 8);
    if (!tmp)
        return fail(err, errlen, shown, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".XXXXXX", 8);
    int ret = -1, slot, fd = pending_mkstemp(tmp, &slot);
    if (fd < 0) {
        ret = fail(err, errlen, shown, strerror(errno));
        free(tmp);
        return ret;
    }
    /* mkstemp makes 0600: give the file the mode it will have. */
    FILE *out = NULL;
    bool written = false;
    if (fchmod(fd, mode) != 0 || !(out = fdopen(fd, "w"))) {
        ret = fail(err, errlen, shown, strerror(errno));
        close(fd);
    } else {
        written = emit_and_finish(out, true, emit, ctx, shown, err, errlen) == 0;
    }
    if (written)
        ret = pending_done(&slot, tmp, path) == 0 ? 0 : fail(err, errlen, shown, strerror(errno));
    if (ret != 0)
        pending_done(&slot, tmp, NULL);
    free(tmp);
    return ret;
}

/* The file that writing to `path` means: path itself, or, through any chain
 * of symbolic links, the name the last link holds, whether it exists or
 * not (a dangling link is written through, as the shell's `>` does, and
 * stays a link). A relative link is resolved against its own directory.
 * Returns a malloc'ed name, or NULL with errno (ELOOP past 40 links: a
 * loop). */
static char *link_target(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        if (hops == 40) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        size_t size = (size_t)st.st_size + 1;
        if (size < 2 || size > 65536)
            size = 65536; /* /proc's links say 0; a link is never longer */
        char *link = malloc(size);
        ssize_t n = link ? readlink(cur, link, size - 1) : -1;
        if (n < 0) {
            int e = link ? errno : ENOMEM;
            free(link);
            free(cur);
            errno = e;
            return NULL;
        }
        link[n] = '\0';
        const char *slash = strrchr(cur, '/');
        size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - cur) + 1;
        char *next = malloc(dir + (size_t)n + 1);
        if (next) {
            memcpy(next, cur, dir);
            memcpy(next + dir, link, (size_t)n + 1);
        } else {
            errno = ENOMEM;
        }
        free(link);
        free(cur);
        cur = next;
    }
    return NULL;
}

/* The mode of a new file: 0666 less the umask, as open(2) would give it.
 * umask() can only be read by setting it; the process writes its output
 * files from one thread. */
static mode_t new_file_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* Set once at start-up (qr_file_out_discard), before any thread starts. */
static bool discard_all;

void qr_file_out_discard(void)
{
    discard_all = true;
}

int qr_file_write(const char *path, qr_emit_fn emit, void *ctx, char *err, size_t errlen)
{
    if (discard_all)
        return 0;
    if (!path || strcmp(path, "-") == 0)
        return emit_and_finish(stdout, false, emit, ctx, "standard output", err, errlen);
    /* A symbolic link keeps pointing where it did: the file it names is
     * replaced (or made). */
    char *target = link_target(path);
    if (!target)
        return fail(err, errlen, path, strerror(errno));
    struct stat st;
    bool exists = stat(target, &st) == 0;
    int ret;
    if (exists && S_ISDIR(st.st_mode)) {
        ret = fail(err, errlen, path, strerror(EISDIR));
    } else if (exists && !S_ISREG(st.st_mode)) {
        /* A terminal, /dev/null, a pipe: there is nothing to replace
         * atomically, and a rename would replace the device itself. */
        FILE *out = fopen(target, "w");
        ret = out ? emit_and_finish(out, true, emit, ctx, path, err, errlen)
                  : fail(err, errlen, path, strerror(errno));
    } else {
        /* A file replaced keeps its permissions (0600 stays 0600). */
        mode_t mode = exists ? st.st_mode & 0777 : new_file_mode();
        ret = write_atomic(target, path, mode, emit, ctx, err, errlen);
    }
    free(target);
    return ret;
}

typedef struct {
    const char *data;
    size_t      len;
} data_ctx;

static int emit_data(FILE *out, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    const data_ctx *d = ctx;
    return fwrite(d->data, 1, d->len, out) == d->len ? 0 : -1;
}

int qr_file_write_data(const char *path, const char *data, size_t len, char *err,
                       size_t errlen)
{
    data_ctx d = { data, len };
    return qr_file_write(path, emit_data, &d, err, errlen);
}
