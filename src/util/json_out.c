/*
 * json_out.c: the in-memory pretty JSON writer of json_out.h.
 *
 * State: a growing text buffer (util/strbuf.h), and a stack with one frame
 * per open container (object or array) counting the values already written
 * in it, so the writer knows whether a comma is due. `want_value` is set
 * between a key and its value. Invariants: the text is always
 * NUL-terminated; once `failed` is set nothing is appended any more (sticky error), so a
 * partial document is never mistaken for a whole one.
 */
#include "util/json_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

typedef struct {
    char   kind;   /* '{' or '['                                  */
    size_t count;  /* values (members) written so far in it       */
} frame;

struct qr_json {
    qr_strbuf out; /* the document so far                         */
    frame *stack;  /* open containers, innermost last             */
    size_t depth;  /* number of open containers                   */
    size_t stack_cap;
    int want_value; /* a key was written, its value is due          */
    int top_done;   /* the top-level value has been written         */
    int failed;     /* OOM or misuse: sticky, text() returns NULL   */
};

qr_json *qr_json_new(void)
{
    qr_json *j = calloc(1, sizeof(*j));
    if (!j)
        return NULL;
    if (qr_strbuf_reserve(&j->out, 255) < 0) {
        free(j);
        return NULL;
    }
    return j;
}

void qr_json_free(qr_json *j)
{
    if (!j)
        return;
    qr_strbuf_release(&j->out);
    free(j->stack);
    free(j);
}

/* The writer's sticky error follows its buffer's. */
static void append(qr_json *j, const char *s, size_t n)
{
    if (j->failed)
        return;
    qr_strbuf_add(&j->out, s, n);
    j->failed = j->out.failed;
}

static void append_str(qr_json *j, const char *s)
{
    append(j, s, strlen(s));
}

static void newline_indent(qr_json *j, size_t depth)
{
    if (j->failed)
        return;
    qr_strbuf_addchars(&j->out, '\n', 1);
    qr_strbuf_addchars(&j->out, ' ', 2 * depth);
    j->failed = j->out.failed;
}

/* Everything due before a value: inside an array a comma (after the first
 * element) and a fresh indented line; inside an object the key has already
 * done that. Returns 0 when a value may be written here, else marks the
 * writer failed (misuse) and returns -1. */
static int before_value(qr_json *j)
{
    if (!j || j->failed)
        return -1;
    if (j->depth == 0) {
        if (j->top_done) {
            j->failed = 1;
            return -1;
        }
        return 0;
    }
    frame *f = &j->stack[j->depth - 1];
    if (f->kind == '{') {
        if (!j->want_value) {
            j->failed = 1;
            return -1;
        }
        j->want_value = 0;
        return 0;
    }
    if (f->count > 0)
        append(j, ",", 1);
    newline_indent(j, j->depth);
    f->count++;
    return j->failed ? -1 : 0;
}

/* Bookkeeping after a complete value. */
static void after_value(qr_json *j)
{
    if (j->depth == 0)
        j->top_done = 1;
}

static void begin(qr_json *j, char kind)
{
    if (before_value(j) < 0)
        return;
    if (j->depth == j->stack_cap) {
        size_t cap = j->stack_cap ? j->stack_cap * 2 : 8;
        frame *s = realloc(j->stack, cap * sizeof(*s));
        if (!s) {
            j->failed = 1;
            return;
        }
        j->stack = s;
        j->stack_cap = cap;
    }
    j->stack[j->depth++] = (frame){ .kind = kind, .count = 0 };
    char c = kind;
    append(j, &c, 1);
}

static void end(qr_json *j, char kind)
{
    if (!j || j->failed)
        return;
    if (j->depth == 0 || j->stack[j->depth - 1].kind != kind || j->want_value) {
        j->failed = 1;
        return;
    }
    size_t count = j->stack[j->depth - 1].count;
    j->depth--;
    if (count > 0)
        newline_indent(j, j->depth);
    append(j, kind == '{' ? "}" : "]", 1);
    after_value(j);
}

void qr_json_begin_object(qr_json *j) { begin(j, '{'); }
void qr_json_end_object(qr_json *j) { end(j, '{'); }
void qr_json_begin_array(qr_json *j) { begin(j, '['); }
void qr_json_end_array(qr_json *j) { end(j, '['); }

/* Length of the valid UTF-8 sequence starting at s (1-4), or 0 when the
 * bytes there are not valid UTF-8 (overlong forms, surrogates, code points
 * above U+10FFFF, truncated sequences). s[0] is >= 0x80. */
static size_t utf8_valid_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c >= 0xC2 && c <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = (c == 0xE0) ? 0xA0 : 0x80;
        unsigned char hi = (c == 0xED) ? 0x9F : 0xBF;
        if (s[1] < lo || s[1] > hi)
            return 0;
        return (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = (c == 0xF0) ? 0x90 : 0x80;
        unsigned char hi = (c == 0xF4) ? 0x8F : 0xBF;
        if (s[1] < lo || s[1] > hi)
            return 0;
        if ((s[2] & 0xC0) != 0x80)
            return 0;
        return (s[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

/* Write s as a quoted, escaped JSON string. Reading stops at the NUL, and
 * the checks above never look past a byte that failed (a NUL fails every
 * continuation test), so no byte after the terminator is read. */
static void append_quoted(qr_json *j, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    append(j, "\"", 1);
    while (*s && !j->failed) {
        size_t run = 0;
        /* Copy the longest run of bytes that need no escaping at once. */
        while (s[run] >= 0x20 && s[run] < 0x7F && s[run] != '"' && s[run] != '\\')
            run++;
        if (run) {
            append(j, (const char *)s, run);
            s += run;
            continue;
        }
        unsigned char c = *s;
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            append(j, esc, 2);
            s++;
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            append(j, esc, 6);
            s++;
        } else {
            size_t n = utf8_valid_len(s);
            if (n) {
                append(j, (const char *)s, n);
                s += n;
            } else {
                append(j, "\\ufffd", 6);
                s++;
            }
        }
    }
    append(j, "\"", 1);
}

void qr_json_key(qr_json *j, const char *key)
{
    if (!j || j->failed)
        return;
    if (!key || j->depth == 0 || j->stack[j->depth - 1].kind != '{' || j->want_value) {
        j->failed = 1;
        return;
    }
    frame *f = &j->stack[j->depth - 1];
    if (f->count > 0)
        append(j, ",", 1);
    newline_indent(j, j->depth);
    f->count++;
    append_quoted(j, key);
    append(j, ": ", 2);
    j->want_value = 1;
}

void qr_json_string(qr_json *j, const char *s)
{
    if (!s) {
        qr_json_null(j);
        return;
    }
    if (before_value(j) < 0)
        return;
    append_quoted(j, s);
    after_value(j);
}

/* Shortest-round-trip formatting (see json_out.h). Written to buf (>= 32). */
void qr_json_format_number(char *buf, size_t size, double v)
{
    /* 2^53: every integer below it is exact, and %.0f prints it in full. */
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    static const char *const fmts[] = { "%.15g", "%.16g", "%.17g" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(buf, size, fmts[i], v);
        if (i == 2 || strtod(buf, NULL) == v)
            return;
    }
}

void qr_json_number(qr_json *j, double v)
{
    if (!isfinite(v)) {
        qr_json_null(j);
        return;
    }
    if (before_value(j) < 0)
        return;
    char buf[40];
    qr_json_format_number(buf, sizeof(buf), v);
    append_str(j, buf);
    after_value(j);
}

void qr_json_int(qr_json *j, long long v)
{
    if (before_value(j) < 0)
        return;
    char buf[32];
    snprintf(buf, sizeof(buf), "%lld", v);
    append_str(j, buf);
    after_value(j);
}

void qr_json_uint(qr_json *j, unsigned long long v)
{
    if (before_value(j) < 0)
        return;
    char buf[32];
    snprintf(buf, sizeof(buf), "%llu", v);
    append_str(j, buf);
    after_value(j);
}

void qr_json_bool(qr_json *j, int v)
{
    if (before_value(j) < 0)
        return;
    append_str(j, v ? "true" : "false");
    after_value(j);
}

void qr_json_null(qr_json *j)
{
    if (before_value(j) < 0)
        return;
    append_str(j, "null");
    after_value(j);
}

const char *qr_json_text(qr_json *j)
{
    if (!j || j->failed || j->depth > 0 || !j->top_done)
        return NULL;
    return j->out.buf;
}

char *qr_json_finish(qr_json *j)
{
    char *text = NULL;
    if (qr_json_text(j))
        text = qr_strbuf_detach(&j->out);
    qr_json_free(j);
    return text;
}
