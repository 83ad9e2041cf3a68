/*
 * json_out.h: a small JSON writer that builds a pretty-printed document
 * (2-space indent, one member or element per line) in memory.
 *
 * The caller emits values in document order; commas, newlines and indentation
 * are automatic. Output is deterministic: the same calls give the same bytes
 * on every platform and thread count (numbers use the shortest of %.15g,
 * %.16g, %.17g that reads back to the same double; integral doubles below
 * 2^53 are written without exponent or fraction).
 *
 * Errors are sticky: after an allocation failure, or a call that cannot form
 * valid JSON (a key outside an object, a value where a key is needed, an
 * unbalanced end, a second top-level value), every later call does nothing
 * and qr_json_text() returns NULL. qr_json_text() also returns NULL while a
 * container is still open or before any value was written.
 *
 * Every function accepts a NULL writer and then does nothing (qr_json_text
 * returns NULL), so a failed qr_json_new() surfaces at the end like any OOM.
 *
 * Ownership: a qr_json owns its buffer; the text returned by qr_json_text()
 * stays valid until the next call on the same writer or qr_json_free();
 * qr_json_finish() hands it to the caller and frees the writer.
 * A writer is not thread-safe; use one per thread.
 *
 * Numbers assume the C locale for LC_NUMERIC (quorate never calls setlocale).
 */
#ifndef QR_JSON_OUT_H
#define QR_JSON_OUT_H

#include <stddef.h>

typedef struct qr_json qr_json; /* opaque */

/* New empty writer. Returns NULL when out of memory; free with qr_json_free. */
qr_json *qr_json_new(void);

/* Free the writer and its text; accepts NULL. */
void qr_json_free(qr_json *j);

/* Open / close an object or an array. An empty container is written as {}
 * or []. Opening is a value: inside an object it must follow qr_json_key. */
void qr_json_begin_object(qr_json *j);
void qr_json_end_object(qr_json *j);
void qr_json_begin_array(qr_json *j);
void qr_json_end_array(qr_json *j);

/* Member name inside an object (escaped like a string; NULL is an error).
 * The next call must write the member's value. */
void qr_json_key(qr_json *j, const char *key);

/* A string value, escaped: '"', '\\' and control characters U+0000-U+001F
 * and U+007F as \u00XX; valid UTF-8 passes through unchanged; every byte of
 * an invalid UTF-8 sequence becomes \ufffd. s == NULL writes null. */
void qr_json_string(qr_json *j, const char *s);

/* A number: the shortest of %.15g / %.16g / %.17g that round-trips through
 * strtod; integral values with |v| < 2^53 as plain integers ("3", "-0").
 * NaN and infinities write null (JSON has no such numbers). */
void qr_json_number(qr_json *j, double v);

/* The text qr_json_number writes for a finite v, into buf (size >= 32):
 * also used by the CSV writer (csv_out.h), so both formats show the same
 * digits. */
void qr_json_format_number(char *buf, size_t size, double v);

/* An integer, exactly. */
void qr_json_int(qr_json *j, long long v);

/* Write an unsigned integer value (seeds: the full 64-bit range). */
void qr_json_uint(qr_json *j, unsigned long long v);

/* true when v is nonzero, else false. */
void qr_json_bool(qr_json *j, int v);

/* null. */
void qr_json_null(qr_json *j);

/* The finished document, NUL-terminated, without a trailing newline. NULL
 * when an allocation failed, a call was misused (see above), a container is
 * still open, or nothing was written. The writer keeps ownership. */
const char *qr_json_text(qr_json *j);

/* The end of every JSON report: the finished document as a malloc'd string
 * the caller frees (NULL where qr_json_text would give NULL), and the
 * writer freed in every case (j may be NULL). */
char *qr_json_finish(qr_json *j);

#endif
