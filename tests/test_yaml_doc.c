/*
 * test_yaml_doc.c: the safe YAML front door (yaml_doc.c): size, NUL and
 * UTF-8 checks, the empty stream, more than one document, syntax errors
 * with 1-based marks, the depth limit (64, also through aliases), the
 * alias-expansion budget (billion laughs), self-referencing aliases, and
 * duplicate keys (P006), which libyaml itself accepts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/yaml_doc.h"

/* Load text; return the load result and leave diagnostics in *d. */
static int load(const char *text, size_t len, qr_diags *d)
{
    qr_yaml_doc y;
    assert_int_equal(qr_diags_init(d, "t.yaml"), 0);
    int r = qr_yaml_doc_load(&y, text, len, d);
    if (r == 0)
        assert_non_null(qr_yaml_doc_root(&y));
    else
        assert_null(qr_yaml_doc_root(&y));
    qr_yaml_doc_release(&y);
    return r;
}

/* Assert exactly one diagnostic, with this place, rule and message. */
static void assert_one(const qr_diags *d, int line, int col, const char *rule,
                       const char *message)
{
    assert_int_equal(d->n, 1);
    assert_int_equal(d->items[0].loc.line, line);
    assert_int_equal(d->items[0].loc.col, col);
    assert_string_equal(d->items[0].rule, rule);
    assert_string_equal(d->items[0].message, message);
}

static void test_yaml_doc_loads_mapping(void **state)
{
    (void)state;
    const char *text = "a: 1\nb: [x, y]\n";
    qr_yaml_doc y;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "t.yaml"), 0);
    assert_int_equal(qr_yaml_doc_load(&y, text, strlen(text), &d), 0);
    yaml_node_t *root = qr_yaml_doc_root(&y);
    assert_int_equal(root->type, YAML_MAPPING_NODE);
    yaml_node_t *b = qr_yaml_doc_node(&y, root->data.mapping.pairs.start[1].value);
    assert_int_equal(b->type, YAML_SEQUENCE_NODE);
    qr_loc loc = qr_yaml_loc(b);
    assert_int_equal(loc.line, 2); /* 1-based */
    assert_int_equal(loc.col, 4);
    assert_int_equal(d.n, 0);
    qr_yaml_doc_release(&y);
    qr_yaml_doc_release(&y); /* twice is harmless */
    qr_yaml_doc_release(NULL);
    qr_diags_release(&d);
}

static void test_yaml_doc_empty(void **state)
{
    (void)state;
    qr_diags d;
    assert_int_equal(load("", 0, &d), 1);
    assert_one(&d, 0, 0, "P010", "empty topology: the file holds no YAML document");
    qr_diags_release(&d);
    const char *comments = "# only a comment\n\n   # and another\n";
    assert_int_equal(load(comments, strlen(comments), &d), 1);
    assert_one(&d, 0, 0, "P010", "empty topology: the file holds no YAML document");
    qr_diags_release(&d);
}

static void test_yaml_doc_nul_byte(void **state)
{
    (void)state;
    qr_diags d;
    const char text[] = "a: 1\nbc\0d: 2\n";
    assert_int_equal(load(text, sizeof(text) - 1, &d), 1);
    assert_one(&d, 2, 3, "P010", "not a text file: it contains a NUL byte");
    qr_diags_release(&d);
}

static void test_yaml_doc_invalid_utf8(void **state)
{
    (void)state;
    qr_diags d;
    const char *cases[] = {
        "a: \xff\n",          /* never valid                  */
        "a: \xc0\x80\n",      /* overlong NUL                  */
        "a: \xed\xa0\x80\n",  /* UTF-16 surrogate              */
        "a: \xf4\x90\x80\x80\n", /* past U+10FFFF              */
        "a: \xe2\x82\n",      /* truncated                     */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(load(cases[i], strlen(cases[i]), &d), 1);
        assert_int_equal(d.n, 1);
        assert_int_equal(d.items[0].loc.line, 1);
        assert_int_equal(d.items[0].loc.col, 4);
        assert_string_equal(d.items[0].rule, "P010");
        assert_non_null(strstr(d.items[0].message, "not UTF-8 text"));
        qr_diags_release(&d);
    }
    /* Valid multi-byte text, columns count characters. */
    const char *ok = "caf\xc3\xa9: \xe2\x82\xac\n";
    assert_int_equal(load(ok, strlen(ok), &d), 0);
    qr_diags_release(&d);
    const char *late = "\xc3\xa9\xc3\xa9: \xff\n";
    assert_int_equal(load(late, strlen(late), &d), 1);
    assert_int_equal(d.items[0].loc.col, 5);
    qr_diags_release(&d);
}

static void test_yaml_doc_too_large(void **state)
{
    (void)state;
    size_t len = 2 * 1024 * 1024;
    char *big = malloc(len + 1);
    assert_non_null(big);
    for (size_t i = 0; i < len; i++)
        big[i] = (i % 64 == 63) ? '\n' : '#';
    big[len] = '\0';
    qr_diags d;
    assert_int_equal(load(big, len, &d), 1);
    assert_one(&d, 0, 0, "P010", "file is larger than 1 MiB (2097152 bytes)");
    qr_diags_release(&d);

    /* The same through a file: refused before being read. */
    char path[] = "/tmp/quorate-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(big, 1, len, f), len);
    fclose(f);
    char *text = NULL;
    size_t got = 0;
    assert_int_equal(qr_diags_init(&d, path), 0);
    assert_int_equal(qr_yaml_read_file(path, &text, &got, &d), 1);
    assert_null(text);
    assert_one(&d, 0, 0, "P010", "file is larger than 1 MiB (2097152 bytes)");
    qr_diags_release(&d);
    unlink(path);
    free(big);
}

static void test_yaml_doc_read_errors(void **state)
{
    (void)state;
    qr_diags d;
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(qr_diags_init(&d, "x"), 0);
    assert_int_equal(qr_yaml_read_file("/nonexistent/quorate.yaml", &text, &len, &d), 2);
    assert_one(&d, 0, 0, "P010", "cannot open file: No such file or directory");
    qr_diags_release(&d);
    assert_int_equal(qr_diags_init(&d, "x"), 0);
    assert_int_equal(qr_yaml_read_file("tests", &text, &len, &d), 2);
    assert_one(&d, 0, 0, "P010", "cannot read file: Is a directory");
    qr_diags_release(&d);
    assert_int_equal(qr_diags_init(&d, "x"), 0);
    assert_int_equal(qr_yaml_read_file("topologies/3.0-three-servers.yaml", &text, &len, &d), 0);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "frontends"));
    free(text);
    qr_diags_release(&d);
}

static void test_yaml_doc_syntax_error(void **state)
{
    (void)state;
    qr_diags d;
    const char *text = "a: 1\nb: [x, y\nc: 2\n";
    assert_int_equal(load(text, strlen(text), &d), 1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].rule, "P001");
    assert_int_equal(d.items[0].loc.line, 3);
    assert_int_equal(d.items[0].loc.col, 2);
    assert_string_equal(d.items[0].message,
                        "did not find expected ',' or ']' (while parsing a "
                        "flow sequence at line 2)");
    qr_diags_release(&d);
    const char *tab = "a:\n\tb: 1\n";
    assert_int_equal(load(tab, strlen(tab), &d), 1);
    assert_one(&d, 2, 1, "P001",
               "tab character where YAML expects spaces (indent with spaces)");
    qr_diags_release(&d);
    const char utf16[] = "\xff\xfe" "a\0:\0 \0" "1\0";
    assert_int_equal(load(utf16, sizeof(utf16) - 1, &d), 1);
    assert_one(&d, 1, 1, "P010", "not UTF-8 text: the file is UTF-16 (save it as UTF-8)");
    qr_diags_release(&d);
    /* UTF-32, both byte orders (finding 12 of issue 13: called UTF-16). */
    const char utf32le[] = "\xff\xfe\0\0" "a\0\0\0:\0\0\0";
    assert_int_equal(load(utf32le, sizeof(utf32le) - 1, &d), 1);
    assert_one(&d, 1, 1, "P010", "not UTF-8 text: the file is UTF-32 (save it as UTF-8)");
    qr_diags_release(&d);
    const char utf32be[] = "\0\0\xfe\xff" "\0\0\0a\0\0\0:";
    assert_int_equal(load(utf32be, sizeof(utf32be) - 1, &d), 1);
    assert_one(&d, 1, 1, "P010", "not UTF-8 text: the file is UTF-32 (save it as UTF-8)");
    qr_diags_release(&d);
}

static void test_yaml_doc_two_documents(void **state)
{
    (void)state;
    qr_diags d;
    const char *text = "---\na: 1\n---\nb: 2\n";
    assert_int_equal(load(text, strlen(text), &d), 1);
    assert_one(&d, 3, 1, "P001",
               "more than one YAML document: a topology is one document");
    qr_diags_release(&d);
}

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 2);
    for (int i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth + i] = ']';
    }
    s[2 * depth] = '\n';
    s[2 * depth + 1] = '\0';
    return s;
}

static void test_yaml_doc_depth_limit(void **state)
{
    (void)state;
    qr_diags d;
    char *ok = nested(64);
    assert_int_equal(load(ok, strlen(ok), &d), 0);
    qr_diags_release(&d);
    free(ok);
    char *over = nested(65);
    assert_int_equal(load(over, strlen(over), &d), 1);
    assert_one(&d, 1, 65, "P010", "nesting deeper than 64 levels");
    qr_diags_release(&d);
    free(over);
    char *deep = nested(10000);
    assert_int_equal(load(deep, strlen(deep), &d), 1);
    assert_one(&d, 1, 65, "P010", "nesting deeper than 64 levels");
    qr_diags_release(&d);
    free(deep);
}

static void test_yaml_doc_depth_through_aliases(void **state)
{
    (void)state;
    /* Each line nests the previous one once more: 40 levels of text, but
     * 2 * 40 once expanded. */
    char text[8192];
    size_t o = 0;
    o += (size_t)snprintf(text + o, sizeof(text) - o, "a0: &a0 [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n");
    for (int i = 1; i <= 40; i++)
        o += (size_t)snprintf(text + o, sizeof(text) - o, "a%d: &a%d [*a%d]\n", i, i, i - 1);
    qr_diags d;
    assert_int_equal(load(text, o, &d), 1);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].rule, "P010");
    assert_string_equal(d.items[0].message,
                        "nesting deeper than 64 levels once aliases are expanded");
    qr_diags_release(&d);
}

static void test_yaml_doc_alias_bomb(void **state)
{
    (void)state;
    const char *bomb =
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
        "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    qr_diags d;
    assert_int_equal(load(bomb, strlen(bomb), &d), 1);
    assert_one(&d, 0, 0, "P010",
               "aliases expand the document to more than 100000 nodes");
    qr_diags_release(&d);
    /* A few aliases well within the budget are fine. */
    const char *small = "a: &a [x, y]\nb: [*a, *a, *a]\n";
    assert_int_equal(load(small, strlen(small), &d), 0);
    assert_int_equal(d.n, 0);
    qr_diags_release(&d);
}

static void test_yaml_doc_node_budget_without_aliases(void **state)
{
    (void)state;
    /* 110,000 scalars in a flow list: under 1 MiB, over the node budget. */
    size_t n = 110000, len = 0;
    char *text = malloc(n * 2 + 4);
    text[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        text[len++] = 'x';
        text[len++] = i + 1 < n ? ',' : ']';
    }
    qr_diags d;
    assert_int_equal(load(text, len, &d), 1);
    assert_one(&d, 0, 0, "P010", "document has more than 100000 nodes");
    qr_diags_release(&d);
    free(text);
}

static void test_yaml_doc_recursive_alias(void **state)
{
    (void)state;
    qr_diags d;
    const char *text = "a: &a [x, *a]\n";
    assert_int_equal(load(text, strlen(text), &d), 1);
    assert_one(&d, 1, 4, "P010", "alias refers to a node that contains it");
    qr_diags_release(&d);
    const char *map = "a: &m { k: *m }\n";
    assert_int_equal(load(map, strlen(map), &d), 1);
    assert_string_equal(d.items[0].message, "alias refers to a node that contains it");
    qr_diags_release(&d);
}

static void test_yaml_doc_duplicate_keys(void **state)
{
    (void)state;
    qr_diags d;
    const char *text = "a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\na: 4\n";
    assert_int_equal(load(text, strlen(text), &d), 0); /* usable, with errors */
    assert_int_equal(d.n, 2);
    assert_int_equal(d.n_errors, 2);
    qr_diags_sort(&d);
    assert_int_equal(d.items[0].loc.line, 5);
    assert_int_equal(d.items[0].loc.col, 3);
    assert_string_equal(d.items[0].rule, "P006");
    assert_string_equal(d.items[0].message, "duplicate key 'x'");
    assert_int_equal(d.items[1].loc.line, 6);
    assert_int_equal(d.items[1].loc.col, 1);
    assert_string_equal(d.items[1].message, "duplicate key 'a'");
    qr_diags_release(&d);
    /* A mapping used through two aliases is reported once. */
    const char *aliased = "m: &m { k: 1, k: 2 }\nn: [*m, *m]\n";
    assert_int_equal(load(aliased, strlen(aliased), &d), 0);
    assert_int_equal(d.n, 1);
    qr_diags_release(&d);
    /* Keys that differ only by length are distinct. */
    const char *prefix = "ab: 1\na: 2\nabc: 3\n";
    assert_int_equal(load(prefix, strlen(prefix), &d), 0);
    assert_int_equal(d.n, 0);
    qr_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_doc_loads_mapping),
        cmocka_unit_test(test_yaml_doc_empty),
        cmocka_unit_test(test_yaml_doc_nul_byte),
        cmocka_unit_test(test_yaml_doc_invalid_utf8),
        cmocka_unit_test(test_yaml_doc_too_large),
        cmocka_unit_test(test_yaml_doc_read_errors),
        cmocka_unit_test(test_yaml_doc_syntax_error),
        cmocka_unit_test(test_yaml_doc_two_documents),
        cmocka_unit_test(test_yaml_doc_depth_limit),
        cmocka_unit_test(test_yaml_doc_depth_through_aliases),
        cmocka_unit_test(test_yaml_doc_alias_bomb),
        cmocka_unit_test(test_yaml_doc_node_budget_without_aliases),
        cmocka_unit_test(test_yaml_doc_recursive_alias),
        cmocka_unit_test(test_yaml_doc_duplicate_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
