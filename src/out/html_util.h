/*
 * html_util.h: what every self-contained HTML page of quorate shares
 * (html_timeline.h, html_report.h): escaping text for HTML and SVG. The
 * pages are written to their files by file_out.h.
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

#endif
