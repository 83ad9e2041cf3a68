/*
 * html_util.c: HTML escaping and the atomic page writer (html_util.h).
 *
 * The temporary file is PATH.XXXXXX made by mkstemp() in the directory of
 * PATH, so the final rename() stays within one file system and is atomic:
 * a reader sees either the old file or the whole new page.
 */
#include "html_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void qr_html_escape(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out); break;
        }
    }
}

static int fail(char *err, size_t errlen, const char *path, const char *reason)
{
    if (err && errlen > 0)
        snprintf(err, errlen, "cannot write '%s': %s", path, reason);
    return -1;
}

int qr_html_write_file(const char *path, int (*emit)(FILE *out, void *ctx), void *ctx,
                       char *err, size_t errlen)
{
    int ret = -1;
    size_t n = strlen(path);
    char *tmp = malloc(n + 8);
    FILE *out = NULL;
    int fd = -1;
    if (!tmp)
        return fail(err, errlen, path, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".XXXXXX", 8);
    fd = mkstemp(tmp);
    if (fd < 0) {
        ret = fail(err, errlen, path, strerror(errno));
        free(tmp);
        return ret;
    }
    if (fchmod(fd, 0644) != 0 || !(out = fdopen(fd, "w"))) {
        ret = fail(err, errlen, path, strerror(errno));
        close(fd);
        goto cleanup;
    }
    int wr = emit(out, ctx);
    int werr = ferror(out);
    int saved = errno;
    if (fclose(out) != 0) {
        ret = fail(err, errlen, path, strerror(errno));
        goto cleanup;
    }
    if (wr != 0 || werr) {
        ret = fail(err, errlen, path, wr != 0 && !werr ? "out of memory" : strerror(saved));
        goto cleanup;
    }
    if (rename(tmp, path) != 0) {
        ret = fail(err, errlen, path, strerror(errno));
        goto cleanup;
    }
    ret = 0;
cleanup:
    if (ret != 0)
        unlink(tmp);
    free(tmp);
    return ret;
}
