/*
 * strbuf.h: a growable string, the one text buffer of the writers (JSON,
 * CSV, the topology emitter) and of the prose builders (the comparison's
 * and the plan's recommendation, the lab narrator).
 *
 * Errors are sticky: when an allocation fails, or a length would overflow,
 * `failed` is set and every later call does nothing, so the caller checks
 * once at the end (qr_strbuf_detach returns NULL) instead of after every
 * append. Invariant: buf is NULL (nothing was added yet) or NUL-terminated
 * at buf[len].
 *
 * Ownership: the qr_strbuf owns buf until qr_strbuf_detach hands it to the
 * caller (who frees it) or qr_strbuf_release frees it. The struct itself is
 * the caller's (on the stack or inside another struct).
 */
#ifndef QR_STRBUF_H
#define QR_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *buf;   /* the text, NUL-terminated; NULL before the first byte */
    size_t len;  /* bytes in buf, without the NUL                        */
    size_t cap;  /* bytes allocated for buf                              */
    bool failed; /* sticky: an allocation failed or a length overflowed */
} qr_strbuf;

/* An empty buffer, for initialising a declaration. */
#define QR_STRBUF_INIT    \
    {                     \
        NULL, 0, 0, false \
    }

/* Set b up empty (no allocation). */
void qr_strbuf_init(qr_strbuf *b);

/* Free the text and make b empty again (failed cleared); accepts NULL. */
void qr_strbuf_release(qr_strbuf *b);

/* Make room for `extra` more bytes and the NUL, so that buf is non-NULL
 * afterwards. Returns 0, or -1 with `failed` set (or already set). */
int qr_strbuf_reserve(qr_strbuf *b, size_t extra);

/* Append n bytes of s (which may hold NULs). */
void qr_strbuf_add(qr_strbuf *b, const char *s, size_t n);

/* Append the string s. */
void qr_strbuf_adds(qr_strbuf *b, const char *s);

/* Append the byte c, n times. */
void qr_strbuf_addchars(qr_strbuf *b, char c, size_t n);

/* Append printf-formatted text; a formatting error sets `failed`. */
void qr_strbuf_addf(qr_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void qr_strbuf_vaddf(qr_strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Cut the text to its first len bytes (no-op when it is not longer). */
void qr_strbuf_truncate(qr_strbuf *b, size_t len);

/* The text as a malloc'd string the caller frees ("" when nothing was
 * added), and b empty again; NULL when b failed (its text is freed) or
 * when the empty string cannot be allocated. */
char *qr_strbuf_detach(qr_strbuf *b);

#endif
