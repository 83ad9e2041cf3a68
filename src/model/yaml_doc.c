/*
 * yaml_doc.c: the safe front door to libyaml (see yaml_doc.h). The order of
 * the checks matters: cheap byte checks first, then an event pre-scan that
 * bounds nesting before the composer (which recurses and allocates per
 * node) ever runs, then a memoised walk over the composed node graph that
 * measures alias expansion without performing it. Each node is measured
 * once, so the walk is linear in the size of the text even for an alias
 * bomb ("billion laughs").
 */
#include "model/yaml_doc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

qr_loc qr_yaml_loc(const yaml_node_t *n)
{
    qr_loc loc = { (int)n->start_mark.line + 1, (int)n->start_mark.column + 1 };
    return loc;
}

static qr_loc mark_loc(yaml_mark_t m)
{
    qr_loc loc = { (int)m.line + 1, (int)m.column + 1 };
    return loc;
}

static const qr_loc NO_LOC = { 0, 0 };

int qr_yaml_read_file(const char *path, char **text, size_t *len,
                      qr_diags *d)
{
    *text = NULL;
    *len = 0;
    bool is_stdin = strcmp(path, "-") == 0; /* "-": standard input */
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010, "cannot open file: %s",
                    strerror(errno));
        return 2;
    }
    int ret = 0;
    char *buf = NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size > QR_YAML_MAX_BYTES) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010,
                    "file is larger than 1 MiB (%lld bytes)",
                    (long long)st.st_size);
        ret = 1;
        goto cleanup;
    }
    /* Read at most one byte over the limit: special files report no size. */
    buf = malloc(QR_YAML_MAX_BYTES + 2);
    if (!buf) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010,
                    "cannot read file: out of memory");
        ret = 2;
        goto cleanup;
    }
    size_t n = fread(buf, 1, QR_YAML_MAX_BYTES + 1, f);
    if (ferror(f)) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010, "cannot read file: %s",
                    errno ? strerror(errno) : "read error");
        ret = 2;
        goto cleanup;
    }
    if (n > QR_YAML_MAX_BYTES) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010,
                    "file is larger than 1 MiB");
        ret = 1;
        goto cleanup;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    buf = NULL;
cleanup:
    free(buf);
    if (!is_stdin)
        fclose(f);
    return ret;
}

/* 1-based line:col of byte offset `off` (columns count characters). */
static qr_loc offset_loc(const char *text, size_t off)
{
    qr_loc loc = { 1, 1 };
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            loc.line++;
            loc.col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            loc.col++;
        }
    }
    return loc;
}

/* Offset of the first byte that breaks UTF-8 (overlong forms, surrogates
 * and code points past U+10FFFF included), or len when all is valid. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t need;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            min = 0x10000;
        } else {
            return i;
        }
        if (len - i <= need)
            return i;
        unsigned cp = c & (0x3F >> need);
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return len;
}

static void syntax_error(const yaml_parser_t *p, const char *text, size_t len,
                         qr_diags *d)
{
    const char *problem = p->problem ? p->problem : "cannot parse the input";
    size_t at = p->problem_mark.index;
    /* libyaml's words for a tab are obscure; say what is wrong. */
    if (text && at < len && text[at] == '\t') {
        qr_diag_add(d, QR_SEV_ERROR, mark_loc(p->problem_mark), QR_RULE_P001,
                    "tab character where YAML expects spaces (indent with "
                    "spaces)");
        return;
    }
    if (p->context)
        qr_diag_add(d, QR_SEV_ERROR, mark_loc(p->problem_mark), QR_RULE_P001,
                    "%s (%s at line %d)", problem, p->context,
                    (int)p->context_mark.line + 1);
    else
        qr_diag_add(d, QR_SEV_ERROR, mark_loc(p->problem_mark), QR_RULE_P001, "%s",
                    problem);
}

/* Parse events only: syntax, document count, nesting depth, aliases.
 * Returns 0 when the text may be composed, 1 with an error added. */
static int prescan(qr_yaml_doc *y, const char *text, size_t len, qr_diags *d)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010, "out of memory");
        return 1;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int ret = 0, depth = 0, documents = 0, done = 0;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            syntax_error(&p, text, len, d);
            ret = 1;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) {
                qr_diag_add(d, QR_SEV_ERROR, mark_loc(ev.start_mark), QR_RULE_P001,
                            "more than one YAML document: a topology is one "
                            "document");
                ret = 1;
                done = 1;
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > QR_YAML_MAX_DEPTH) {
                qr_diag_add(d, QR_SEV_ERROR, mark_loc(ev.start_mark), QR_RULE_P010,
                            "nesting deeper than %d levels",
                            QR_YAML_MAX_DEPTH);
                ret = 1;
                done = 1;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_ALIAS_EVENT:
            y->aliases++;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    if (ret == 0 && documents == 0) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010,
                    "empty topology: the file holds no YAML document");
        ret = 1;
    }
    yaml_parser_delete(&p);
    return ret;
}

/* Per-node measure of the expanded graph. */
typedef struct {
    unsigned char state;  /* 0 new, 1 on the walk's path, 2 measured   */
    int           height; /* collection levels below and including it  */
    uint64_t      size;   /* expanded node count, saturated             */
} measure;

typedef struct {
    yaml_document_t *doc;
    measure         *m;
    int              error; /* 0, 1 cycle, 2 too deep                   */
    int              error_node;
} walk;

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    uint64_t cap = (uint64_t)QR_YAML_MAX_NODES + 1;
    uint64_t s = a + b;
    return s > cap ? cap : s;
}

/* Measure node `id`. The recursion follows the text's nesting (an anchor
 * is always defined before its aliases, so a measured node is met again
 * only as a finished node or as an ancestor, which is a cycle); its depth
 * is therefore bounded by the pre-scan's limit. */
static void measure_node(walk *w, int id, int depth)
{
    measure *m = &w->m[id - 1];
    if (m->state == 2 || w->error)
        return;
    if (m->state == 1) {
        w->error = 1;
        w->error_node = id;
        return;
    }
    if (depth > QR_YAML_MAX_DEPTH + 1) {
        w->error = 2;
        w->error_node = id;
        return;
    }
    m->state = 1;
    yaml_node_t *n = yaml_document_get_node(w->doc, id);
    uint64_t size = 1;
    int height = 0;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start;
             it < n->data.sequence.items.top && !w->error; it++) {
            measure_node(w, *it, depth + 1);
            size = sat_add(size, w->m[*it - 1].size);
            if (w->m[*it - 1].height > height)
                height = w->m[*it - 1].height;
        }
        height++;
    } else if (n->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
             pr < n->data.mapping.pairs.top && !w->error; pr++) {
            int kv[2] = { pr->key, pr->value };
            for (int k = 0; k < 2 && !w->error; k++) {
                measure_node(w, kv[k], depth + 1);
                size = sat_add(size, w->m[kv[k] - 1].size);
                if (w->m[kv[k] - 1].height > height)
                    height = w->m[kv[k] - 1].height;
            }
        }
        height++;
    }
    m->size = size;
    m->height = height;
    m->state = 2;
    if (height > QR_YAML_MAX_DEPTH && !w->error) {
        w->error = 2;
        w->error_node = id;
    }
}

/* Refuse self-reference, and depth or size past the limits once aliases
 * are expanded. Returns 0, 1 with an error added, -1 out of memory. */
static int check_expansion(qr_yaml_doc *y, qr_diags *d)
{
    int n = (int)(y->doc.nodes.top - y->doc.nodes.start);
    if (n == 0)
        return 0;
    walk w = { &y->doc, calloc((size_t)n, sizeof(measure)), 0, 0 };
    if (!w.m)
        return -1;
    measure_node(&w, 1, 1);
    int ret = 0;
    if (w.error == 1) {
        qr_diag_add(d, QR_SEV_ERROR,
                    qr_yaml_loc(yaml_document_get_node(&y->doc, w.error_node)),
                    QR_RULE_P010, "alias refers to a node that contains it");
        ret = 1;
    } else if (w.error == 2) {
        qr_diag_add(d, QR_SEV_ERROR,
                    qr_yaml_loc(yaml_document_get_node(&y->doc, w.error_node)),
                    QR_RULE_P010, "nesting deeper than %d levels once aliases are "
                    "expanded", QR_YAML_MAX_DEPTH);
        ret = 1;
    } else if (w.m[0].size > QR_YAML_MAX_NODES) {
        if (y->aliases)
            qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010,
                        "aliases expand the document to more than %d nodes",
                        QR_YAML_MAX_NODES);
        else
            qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010,
                        "document has more than %d nodes", QR_YAML_MAX_NODES);
        ret = 1;
    }
    free(w.m);
    return ret;
}

typedef struct {
    const yaml_node_t *key;
    int                pos; /* position in the mapping                  */
} key_ref;

static int key_cmp(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    size_t lx = x->key->data.scalar.length, ly = y->key->data.scalar.length;
    size_t l = lx < ly ? lx : ly;
    int c = memcmp(x->key->data.scalar.value, y->key->data.scalar.value, l);
    if (c == 0 && lx != ly)
        c = lx < ly ? -1 : 1;
    if (c == 0)
        c = x->pos - y->pos;
    return c;
}

/* Scalar n for a message, at most 60 bytes (cut on a character boundary),
 * a control character (C0, DEL, C1) shown as '?' so that a key cannot
 * drive the terminal. buf holds at least 64 bytes. */
static const char *printable(const yaml_node_t *n, char *buf, size_t size)
{
    const unsigned char *s = n->data.scalar.value;
    size_t len = n->data.scalar.length, o = 0, i = 0, max = size - 1 < 60 ? size - 1 : 60;
    while (i < len && o < max) {
        if (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
            buf[o++] = '?';
            i += 2;
        } else {
            buf[o++] = (s[i] < 0x20 || s[i] == 0x7F) ? '?' : (char)s[i];
            i++;
        }
    }
    if (i < len) /* cut: do not end inside a character */
        while (o > 0 && (s[i] & 0xC0) == 0x80 && (unsigned char)buf[o - 1] >= 0x80) {
            o--;
            i--;
        }
    buf[o] = '\0';
    return buf;
}

/* P006: every mapping node once (not per alias use), sorted keys. */
static int check_duplicate_keys(qr_yaml_doc *y, qr_diags *d)
{
    key_ref *keys = NULL;
    size_t cap = 0;
    for (yaml_node_t *n = y->doc.nodes.start; n < y->doc.nodes.top; n++) {
        if (n->type != YAML_MAPPING_NODE)
            continue;
        size_t count = 0;
        size_t pairs = (size_t)(n->data.mapping.pairs.top -
                                n->data.mapping.pairs.start);
        if (pairs < 2)
            continue;
        if (pairs > cap) {
            key_ref *k = realloc(keys, pairs * sizeof(*k));
            if (!k) {
                free(keys);
                return -1;
            }
            keys = k;
            cap = pairs;
        }
        for (size_t i = 0; i < pairs; i++) {
            yaml_node_t *k = yaml_document_get_node(
                &y->doc, n->data.mapping.pairs.start[i].key);
            if (k && k->type == YAML_SCALAR_NODE)
                keys[count++] = (key_ref){ k, (int)i };
        }
        qsort(keys, count, sizeof(*keys), key_cmp);
        for (size_t i = 1; i < count; i++) {
            const yaml_node_t *a = keys[i - 1].key, *b = keys[i].key;
            if (a->data.scalar.length == b->data.scalar.length &&
                memcmp(a->data.scalar.value, b->data.scalar.value,
                       a->data.scalar.length) == 0) {
                char shown[64];
                qr_diag_add(d, QR_SEV_ERROR, qr_yaml_loc(b), QR_RULE_P006,
                            "duplicate key '%s'", printable(b, shown, sizeof(shown)));
            }
        }
    }
    free(keys);
    return 0;
}

int qr_yaml_doc_load(qr_yaml_doc *y, const char *text, size_t len,
                     qr_diags *d)
{
    memset(y, 0, sizeof(*y));
    if (len > QR_YAML_MAX_BYTES) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010,
                    "file is larger than 1 MiB (%zu bytes)", len);
        return 1;
    }
    const unsigned char *u = (const unsigned char *)text;
    /* A byte order mark: UTF-32 first (its little-endian mark begins as
     * UTF-16's does). */
    if (len >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) ||
                     (u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF))) {
        qr_diag_add(d, QR_SEV_ERROR, (qr_loc){ 1, 1 }, QR_RULE_P010,
                    "not UTF-8 text: the file is UTF-32 (save it as UTF-8)");
        return 1;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                     (u[0] == 0xFE && u[1] == 0xFF))) {
        qr_diag_add(d, QR_SEV_ERROR, (qr_loc){ 1, 1 }, QR_RULE_P010,
                    "not UTF-8 text: the file is UTF-16 (save it as UTF-8)");
        return 1;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        qr_diag_add(d, QR_SEV_ERROR, offset_loc(text, (size_t)(nul - text)),
                    QR_RULE_P010, "not a text file: it contains a NUL byte");
        return 1;
    }
    size_t bad = utf8_invalid_at((const unsigned char *)text, len);
    if (bad < len) {
        qr_diag_add(d, QR_SEV_ERROR, offset_loc(text, bad), QR_RULE_P010,
                    "not UTF-8 text: invalid byte 0x%02x",
                    (unsigned char)text[bad]);
        return 1;
    }
    if (prescan(y, text, len, d) != 0)
        return 1;

    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return -1;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int ret = 0;
    if (!yaml_parser_load(&p, &y->doc)) {
        if (p.error == YAML_MEMORY_ERROR) {
            ret = -1;
        } else {
            syntax_error(&p, text, len, d);
            ret = 1;
        }
        goto cleanup;
    }
    y->loaded = 1;
    if (!qr_yaml_doc_root(y)) {
        qr_diag_add(d, QR_SEV_ERROR, NO_LOC, QR_RULE_P010,
                    "empty topology: the file holds no YAML document");
        ret = 1;
        goto cleanup;
    }
    ret = check_expansion(y, d);
    if (ret == 0)
        ret = check_duplicate_keys(y, d);
cleanup:
    yaml_parser_delete(&p);
    if (ret != 0)
        qr_yaml_doc_release(y);
    return ret;
}

void qr_yaml_doc_release(qr_yaml_doc *y)
{
    if (!y)
        return;
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = 0;
}

yaml_node_t *qr_yaml_doc_root(qr_yaml_doc *y)
{
    return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *qr_yaml_doc_node(qr_yaml_doc *y, int id)
{
    return y->loaded ? yaml_document_get_node(&y->doc, id) : NULL;
}
