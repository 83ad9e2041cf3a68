/*
 * csv_out.c: the in-memory RFC 4180 writer of csv_out.h.
 *
 * State: a growing text buffer (util/strbuf.h), the number of fields of
 * the header (0 until the header is ended), and of the record being
 * written. Invariants: the text is always NUL-terminated; once `failed`
 * is set nothing is appended any more (sticky error), so a partial table is
 * never mistaken for a whole one.
 */
#include "util/csv_out.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_out.h"
#include "util/strbuf.h"

struct qr_csv {
    qr_strbuf out;    /* the table so far                               */
    size_t columns;   /* fields of the header; 0 before it ends         */
    size_t fields;    /* fields written in the current record           */
    size_t rows;      /* records ended                                  */
    size_t row_start; /* offset in out where the current record begins  */
    int failed;       /* OOM or misuse: sticky, text() returns NULL     */
};

qr_csv *qr_csv_new(void)
{
    qr_csv *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    if (qr_strbuf_reserve(&c->out, 255) < 0) {
        free(c);
        return NULL;
    }
    return c;
}

void qr_csv_free(qr_csv *c)
{
    if (!c)
        return;
    qr_strbuf_release(&c->out);
    free(c);
}

/* Append n bytes; the writer's sticky error follows its buffer's. */
static void append(qr_csv *c, const char *s, size_t n)
{
    if (c->failed)
        return;
    qr_strbuf_add(&c->out, s, n);
    c->failed = c->out.failed;
}

/* The separator before a field; 0 when the field may be written. */
static int begin_field(qr_csv *c)
{
    if (!c || c->failed)
        return -1;
    if (c->columns > 0 && c->fields == c->columns) {
        c->failed = 1; /* more fields than the header */
        return -1;
    }
    if (c->fields > 0)
        append(c, ",", 1);
    c->fields++;
    return c->failed ? -1 : 0;
}

bool qr_csv_formula_like(const char *s)
{
    return s && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void qr_csv_string(qr_csv *c, const char *s)
{
    if (begin_field(c) < 0 || !s)
        return;
    /* The guard quote goes first, inside the double quotes if any. */
    bool guard = qr_csv_formula_like(s);
    if (strpbrk(s, ",\"\r\n") == NULL) {
        if (guard)
            append(c, "'", 1);
        append(c, s, strlen(s));
        return;
    }
    append(c, guard ? "\"'" : "\"", guard ? 2 : 1);
    for (const char *p = s; *p; p++) {
        const char *q = strchr(p, '"');
        size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
        append(c, p, n);
        if (!q)
            break;
        append(c, "\"", 1); /* the quote again */
        p = q;
    }
    append(c, "\"", 1);
}

void qr_csv_number(qr_csv *c, double v)
{
    if (begin_field(c) < 0 || !isfinite(v))
        return;
    char buf[40];
    qr_json_format_number(buf, sizeof(buf), v);
    append(c, buf, strlen(buf));
}

void qr_csv_int(qr_csv *c, long long v)
{
    if (begin_field(c) < 0)
        return;
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", v);
    append(c, buf, strlen(buf));
}

void qr_csv_empty(qr_csv *c)
{
    begin_field(c);
}

void qr_csv_end_row(qr_csv *c)
{
    if (!c || c->failed)
        return;
    if (c->fields == 0 || (c->columns > 0 && c->fields != c->columns)) {
        c->failed = 1;
        return;
    }
    if (c->columns == 0)
        c->columns = c->fields;
    /* A record of one empty field would be a blank line: quote it. */
    if (c->fields == 1 && c->out.len == c->row_start)
        append(c, "\"\"", 2);
    c->fields = 0;
    c->rows++;
    append(c, "\r\n", 2);
    c->row_start = c->out.len;
}

const char *qr_csv_text(qr_csv *c)
{
    if (!c || c->failed || c->fields > 0 || c->rows == 0)
        return NULL;
    return c->out.buf;
}

char *qr_csv_finish(qr_csv *c)
{
    char *text = NULL;
    if (qr_csv_text(c))
        text = qr_strbuf_detach(&c->out);
    qr_csv_free(c);
    return text;
}
