/*
 * file_out.c: output files written whole or not at all (file_out.h).
 *
 * The temporary file is PATH.XXXXXX made by mkstemp() in the directory of
 * PATH, so the final rename() stays within one file system and is atomic:
 * a reader sees either the old file or the whole new one. Every way of
 * writing (standard output, a special file, the temporary file) runs the
 * writer through emit_and_finish(), so failures read the same everywhere.
 */
#include "util/file_out.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* path through PATH.XXXXXX and rename(2); messages name `shown`. */
static int write_atomic(const char *path, const char *shown, qr_emit_fn emit, void *ctx,
                        char *err, size_t errlen)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 8);
    if (!tmp)
        return fail(err, errlen, shown, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".XXXXXX", 8);
    int ret = -1, fd = mkstemp(tmp);
    if (fd < 0) {
        ret = fail(err, errlen, shown, strerror(errno));
        free(tmp);
        return ret;
    }
    /* mkstemp makes 0600; an output file is readable as any other. */
    FILE *out = NULL;
    if (fchmod(fd, 0644) != 0 || !(out = fdopen(fd, "w"))) {
        ret = fail(err, errlen, shown, strerror(errno));
        close(fd);
    } else if (emit_and_finish(out, true, emit, ctx, shown, err, errlen) == 0) {
        ret = rename(tmp, path) == 0 ? 0 : fail(err, errlen, shown, strerror(errno));
    }
    if (ret != 0)
        unlink(tmp);
    free(tmp);
    return ret;
}

int qr_file_write(const char *path, qr_emit_fn emit, void *ctx, char *err, size_t errlen)
{
    if (!path || strcmp(path, "-") == 0)
        return emit_and_finish(stdout, false, emit, ctx, "standard output", err, errlen);
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return fail(err, errlen, path, strerror(EISDIR));
        /* A terminal, /dev/null, a pipe: there is nothing to replace
         * atomically, and a rename would replace the device itself. */
        if (!S_ISREG(st.st_mode)) {
            FILE *out = fopen(path, "w");
            if (!out)
                return fail(err, errlen, path, strerror(errno));
            return emit_and_finish(out, true, emit, ctx, path, err, errlen);
        }
    }
    /* A symbolic link to a file: replace the file it points to, and keep
     * the link. */
    char *real = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        real = realpath(path, NULL);
    int ret = write_atomic(real ? real : path, path, emit, ctx, err, errlen);
    free(real);
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
