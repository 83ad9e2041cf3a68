/*
 * err.h: the error buffer of the library's 0 / -1 functions. A function
 * that can fail takes `char *err, size_t errlen` and, when it returns -1,
 * leaves one line there (lowercase first word, no final period) for the
 * command to print.
 */
#ifndef QR_ERR_H
#define QR_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* printf into err (truncated to errlen - 1 bytes, always terminated); does
 * nothing when err is NULL or errlen is 0, so callers that want no message
 * may pass (NULL, 0). */
void qr_err_set(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void qr_err_vset(char *err, size_t errlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
