/*
 * strbuf.c: the growable string of strbuf.h. The capacity doubles (from 64
 * bytes) until the text and its NUL fit, so n appends cost O(total length);
 * a length past SIZE_MAX / 2 is refused as an overflow before any
 * arithmetic could wrap.
 */
#include "util/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_CAP 64

void qr_strbuf_init(qr_strbuf *b)
{
    *b = (qr_strbuf)QR_STRBUF_INIT;
}

void qr_strbuf_release(qr_strbuf *b)
{
    if (!b)
        return;
    free(b->buf);
    qr_strbuf_init(b);
}

int qr_strbuf_reserve(qr_strbuf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (b->buf && need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : FIRST_CAP;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->buf, cap);
    if (!p) {
        b->failed = true;
        return -1;
    }
    if (!b->buf)
        p[0] = '\0';
    b->buf = p;
    b->cap = cap;
    return 0;
}

void qr_strbuf_add(qr_strbuf *b, const char *s, size_t n)
{
    if (qr_strbuf_reserve(b, n) < 0)
        return;
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

void qr_strbuf_adds(qr_strbuf *b, const char *s)
{
    qr_strbuf_add(b, s, strlen(s));
}

void qr_strbuf_addchars(qr_strbuf *b, char c, size_t n)
{
    if (qr_strbuf_reserve(b, n) < 0)
        return;
    memset(b->buf + b->len, c, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

void qr_strbuf_vaddf(qr_strbuf *b, const char *fmt, va_list ap)
{
    if (b->failed)
        return;
    va_list again;
    va_copy(again, ap);
    int need = vsnprintf(NULL, 0, fmt, ap);
    if (need < 0) {
        b->failed = true;
    } else if (qr_strbuf_reserve(b, (size_t)need) == 0) {
        vsnprintf(b->buf + b->len, b->cap - b->len, fmt, again);
        b->len += (size_t)need;
    }
    va_end(again);
}

void qr_strbuf_addf(qr_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    qr_strbuf_vaddf(b, fmt, ap);
    va_end(ap);
}

void qr_strbuf_truncate(qr_strbuf *b, size_t len)
{
    if (b->buf && len < b->len) {
        b->len = len;
        b->buf[len] = '\0';
    }
}

char *qr_strbuf_detach(qr_strbuf *b)
{
    char *text = b->failed ? NULL : b->buf;
    if (b->failed)
        free(b->buf);
    else if (!text)
        text = strdup("");
    qr_strbuf_init(b);
    return text;
}
