/*
 * html_util.h: what every self-contained HTML page of quorate shares
 * (html_timeline.h, html_report.h): escaping text for HTML and SVG, and
 * writing a page to a file atomically (a temporary file in the same
 * directory, renamed into place only when everything was written, so an
 * error never leaves a half-written page behind).
 *
 * Nothing here allocates memory that outlives a call.
 */
#ifndef QR_HTML_UTIL_H
#define QR_HTML_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* Write s to out with <, >, &, " and ' escaped, so that it is safe both as
 * element text and inside a double- or single-quoted attribute, in HTML
 * and in inline SVG. NULL writes nothing. */
void qr_html_escape(FILE *out, const char *s);

/* Write the page to `path`: create a temporary file beside it, call
 * emit(out, ctx) on it (which returns 0 on success, -1 on failure), and
 * rename the temporary file to path only when emit, every write to the
 * stream and its close succeeded; on any failure the temporary file is
 * removed and path is left as it was. Returns 0, or -1 with a message in
 * err ("cannot write 'PATH': REASON"; err may be NULL when errlen is 0).
 * The page gets mode 0644. */
int qr_html_write_file(const char *path, int (*emit)(FILE *out, void *ctx), void *ctx,
                       char *err, size_t errlen);

#endif
