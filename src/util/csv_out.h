/*
 * csv_out.h: a small CSV writer (RFC 4180) that builds a table in memory,
 * for the reports a spreadsheet reads (`--format csv`).
 *
 * The caller writes fields left to right and ends each record with
 * qr_csv_end_row(); the first record is the header. Fields are separated by
 * commas and every record, the last included, ends with CRLF. A field is
 * enclosed in double quotes when it contains a comma, a double quote, CR or
 * LF, and a double quote inside it is written twice; any other field is
 * written as it is (UTF-8 passes through; no byte-order mark), except that
 * a record made of one empty field is written "" (not a blank line). A text
 * field that a spreadsheet would read as a formula (its first character is
 * =, +, -, @, tab or CR: OWASP "CSV Injection") is written with a single
 * quote before it ('=SUM(A1) for =SUM(A1)), so that it stays text; numbers
 * (qr_csv_number, qr_csv_int) are never guarded. Numbers use
 * the JSON writer's digits (shortest round trip, json_out.h); a missing
 * value is an empty field.
 *
 * Every record must have as many fields as the header (RFC 4180: "each line
 * should contain the same number of fields"). Errors are sticky: after an
 * allocation failure, or a record of the wrong length, or an empty record,
 * every later call does nothing and qr_csv_text() returns NULL.
 *
 * Every function accepts a NULL writer and then does nothing, so a failed
 * qr_csv_new() surfaces at the end like any other failure.
 *
 * Ownership: a qr_csv owns its buffer; the text returned by qr_csv_text()
 * stays valid until the next call on the same writer or qr_csv_free();
 * qr_csv_finish() hands it to the caller and frees the writer.
 * Numbers assume the C locale for LC_NUMERIC (quorate never calls setlocale).
 */
#ifndef QR_CSV_OUT_H
#define QR_CSV_OUT_H

#include <stdbool.h>

typedef struct qr_csv qr_csv; /* opaque */

/* New empty writer. NULL when out of memory; free with qr_csv_free. */
qr_csv *qr_csv_new(void);

/* Free the writer and its text; accepts NULL. */
void qr_csv_free(qr_csv *c);

/* A text field, quoted when needed (above). NULL writes an empty field. */
void qr_csv_string(qr_csv *c, const char *s);

/* Whether qr_csv_string guards s with a leading single quote (above):
 * s starts with =, +, -, @, tab or CR. False for NULL and "". */
bool qr_csv_formula_like(const char *s);

/* A number; NaN and infinities write an empty field. */
void qr_csv_number(qr_csv *c, double v);

/* An integer, exactly. */
void qr_csv_int(qr_csv *c, long long v);

/* An empty field: a value that is missing. */
void qr_csv_empty(qr_csv *c);

/* End the current record (CRLF). The header fixes the number of fields. */
void qr_csv_end_row(qr_csv *c);

/* The table so far, NUL-terminated: NULL when an allocation failed, a
 * record had the wrong number of fields, a record is still open, or no
 * record was written. The writer keeps ownership. */
const char *qr_csv_text(qr_csv *c);

/* The table as a malloc'd string the caller frees (NULL where qr_csv_text
 * would give NULL), and the writer freed in every case (c may be NULL). */
char *qr_csv_finish(qr_csv *c);

#endif
