/*
 * file_out.c: output files written whole or not at all (file_out.h).
 *
 * The temporary file is PATH.XXXXXX made by mkstemp() in the directory of
 * PATH, so the final rename() stays within one file system and is atomic:
 * a reader sees either the old file or the whole new one.
 */
#include "file_out.h"

#include <errno.h>
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

static int to_stdout(qr_emit_fn emit, void *ctx, char *err, size_t errlen)
{
    int wr = emit(stdout, ctx);
    int flushed = fflush(stdout);
    if (ferror(stdout) || flushed != 0)
        return fail(err, errlen, "standard output", strerror(errno));
    if (wr != 0)
        return fail(err, errlen, "standard output", "out of memory");
    return 0;
}

/* Write straight into an existing file that is not a regular file (a
 * terminal, /dev/null, a pipe): there is nothing to replace atomically, and
 * renaming over it would replace the device itself. */
static int to_special(const char *path, qr_emit_fn emit, void *ctx, char *err, size_t errlen)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return fail(err, errlen, path, strerror(errno));
    errno = 0;
    int wr = emit(out, ctx);
    int werr = ferror(out);
    int saved = errno;
    if (fclose(out) != 0 && !werr) {
        werr = 1;
        saved = errno;
    }
    if (werr)
        return fail(err, errlen, path, strerror(saved ? saved : EIO));
    if (wr != 0)
        return fail(err, errlen, path, "out of memory");
    return 0;
}

static int write_atomic(const char *path, const char *shown, qr_emit_fn emit, void *ctx,
                        char *err, size_t errlen);

int qr_file_write(const char *path, qr_emit_fn emit, void *ctx, char *err, size_t errlen)
{
    if (!path || strcmp(path, "-") == 0)
        return to_stdout(emit, ctx, err, errlen);
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return fail(err, errlen, path, strerror(EISDIR));
        if (!S_ISREG(st.st_mode))
            return to_special(path, emit, ctx, err, errlen);
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

/* path through PATH.XXXXXX and rename(2); messages name `shown`. */
static int write_atomic(const char *path, const char *shown, qr_emit_fn emit, void *ctx,
                        char *err, size_t errlen)
{
    int ret = -1;
    size_t n = strlen(path);
    char *tmp = malloc(n + 8);
    FILE *out = NULL;
    if (!tmp)
        return fail(err, errlen, shown, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".XXXXXX", 8);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        ret = fail(err, errlen, shown, strerror(errno));
        free(tmp);
        return ret;
    }
    /* mkstemp makes 0600; an output file is readable as any other. */
    if (fchmod(fd, 0644) != 0 || !(out = fdopen(fd, "w"))) {
        ret = fail(err, errlen, shown, strerror(errno));
        close(fd);
        goto cleanup;
    }
    errno = 0;
    int wr = emit(out, ctx);
    int werr = ferror(out);
    int saved = errno;
    if (fclose(out) != 0) {
        ret = fail(err, errlen, shown, strerror(errno));
        goto cleanup;
    }
    if (werr) {
        ret = fail(err, errlen, shown, strerror(saved ? saved : EIO));
        goto cleanup;
    }
    if (wr != 0) {
        ret = fail(err, errlen, shown, "out of memory");
        goto cleanup;
    }
    if (rename(tmp, path) != 0) {
        ret = fail(err, errlen, shown, strerror(errno));
        goto cleanup;
    }
    ret = 0;
cleanup:
    if (ret != 0)
        unlink(tmp);
    free(tmp);
    return ret;
}

typedef struct {
    const char *data;
    size_t      len;
} data_ctx;

static int emit_data(FILE *out, void *ctx)
{
    const data_ctx *d = ctx;
    return fwrite(d->data, 1, d->len, out) == d->len ? 0 : -1;
}

int qr_file_write_data(const char *path, const char *data, size_t len, char *err,
                       size_t errlen)
{
    data_ctx d = { data, len };
    return qr_file_write(path, emit_data, &d, err, errlen);
}
