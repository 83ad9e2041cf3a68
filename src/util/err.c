/*
 * err.c: the error-buffer setter of err.h, the one copy the loaders'
 * neighbours (exact view, dependency graph, MEF export, simulator) share.
 */
#include "util/err.h"

#include <stdio.h>

void qr_err_vset(char *err, size_t errlen, const char *fmt, va_list ap)
{
    if (!err || errlen == 0)
        return;
    vsnprintf(err, errlen, fmt, ap);
}

void qr_err_set(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    qr_err_vset(err, errlen, fmt, ap);
    va_end(ap);
}
