/*
 * test_report.c: the text, JSON and SARIF reports (report.h) on diagnostics
 * lists built by hand, so that each format is pinned independently of the
 * loader and the rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/diag.h"
#include "out/report.h"
#include "out/report_stats.h"
#include "out/report_json_doc.h"
#include "out/report_assumptions.h"
#include "check/rules.h"
#include "util/version.h"

static char *text_of(const qr_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    qr_report_diags_text(f, d);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void sample(qr_diags *d, const char *file)
{
    assert_int_equal(qr_diags_init(d, file), 0);
    qr_diag_add(d, QR_SEV_ERROR, (qr_loc){ 12, 5 }, QR_RULE_P002,
                "unknown key '%s' in 'backend'", "mirorr");
    qr_diag_add(d, QR_SEV_WARNING, (qr_loc){ 7, 3 }, QR_RULE_BE002,
                "SQL mirroring between 'a' and 'b' has no witness");
    qr_diag_add(d, QR_SEV_NOTE, (qr_loc){ 0, 0 }, QR_RULE_FE008, "whole \"file\" note");
}

/* qr_report_pad into a string. */
static void pad(char *buf, size_t size, const char *text, int width, bool left)
{
    FILE *m = fmemopen(buf, size, "w");
    assert_non_null(m);
    qr_report_pad(m, text, width, left);
    fclose(m);
}

/* Columns never run together (finding 12 of issue 13): a value as wide as
 * its column or wider keeps one space towards its neighbour; narrower ones
 * are padded as before, counting UTF-8 characters ("±" is one column). */
static void test_report_pad_keeps_columns_apart(void **state)
{
    (void)state;
    char buf[64];
    pad(buf, sizeof(buf), "1.5 ± 0.2", 12, false);
    assert_string_equal(buf, "   1.5 ± 0.2");
    pad(buf, sizeof(buf), "1.5 ± 0.2", 12, true);
    assert_string_equal(buf, "1.5 ± 0.2   ");
    pad(buf, sizeof(buf), "379481.1 ± 3314.7", 16, false);
    assert_string_equal(buf, " 379481.1 ± 3314.7");
    pad(buf, sizeof(buf), "12345", 5, false);
    assert_string_equal(buf, " 12345");
    pad(buf, sizeof(buf), "12345", 5, true);
    assert_string_equal(buf, "12345 ");
    pad(buf, sizeof(buf), "1234", 5, true);
    assert_string_equal(buf, "1234 ");
}

static void test_report_text_compiler_style(void **state)
{
    (void)state;
    qr_diags d;
    sample(&d, "topo.yaml");
    qr_diag_add(&d, QR_SEV_WARNING, (qr_loc){ 4, 0 }, QR_RULE_FS001, "line only");
    char *t = text_of(&d);
    assert_string_equal(t,
                        "topo.yaml:12:5: error: unknown key 'mirorr' in 'backend' [P002]\n"
                        "topo.yaml:7:3: warning: SQL mirroring between 'a' and 'b' has no witness [BE002]\n"
                        "topo.yaml: note: whole \"file\" note [FE008]\n"
                        "topo.yaml:4: warning: line only [FS001]\n");
    free(t);
    qr_diags_release(&d);
}

static void test_report_text_summary_counts_all_files(void **state)
{
    (void)state;
    qr_diags d[2];
    sample(&d[0], "a.yaml");
    assert_int_equal(qr_diags_init(&d[1], "b.yaml"), 0);
    qr_diag_add(&d[1], QR_SEV_WARNING, (qr_loc){ 1, 1 }, QR_RULE_FS001, "x");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    qr_report_summary_text(f, d, 2);
    fclose(f);
    assert_string_equal(buf, "quorate: 2 files checked: 1 error, 2 warnings, 1 note\n");
    free(buf);
    f = open_memstream(&buf, &len);
    qr_report_summary_text(f, d, 0);
    fclose(f);
    assert_string_equal(buf, "quorate: 0 files checked: 0 errors, 0 warnings, 0 notes\n");
    free(buf);
    qr_diags_release(&d[0]);
    qr_diags_release(&d[1]);
}

static void test_report_json_fields_and_totals(void **state)
{
    (void)state;
    qr_diags d[2];
    sample(&d[0], "a.yaml");
    assert_int_equal(qr_diags_init(&d[1], "b.yaml"), 0);
    char *j = qr_report_json(d, 2);
    assert_non_null(j);
    assert_non_null(strstr(j, "\"format_version\": 1,"));
    assert_non_null(strstr(j, "\"name\": \"quorate\""));
    /* A diagnostic object, exactly as written. */
    assert_non_null(strstr(j,
                           "{\n"
                           "          \"file\": \"a.yaml\",\n"
                           "          \"line\": 12,\n"
                           "          \"column\": 5,\n"
                           "          \"severity\": \"error\",\n"
                           "          \"rule\": \"P002\",\n"
                           "          \"message\": \"unknown key 'mirorr' in 'backend'\"\n"
                           "        }"));
    /* The quote in a message is escaped. */
    assert_non_null(strstr(j, "\"message\": \"whole \\\"file\\\" note\""));
    /* An empty file still has its entry, with an empty list. */
    assert_non_null(strstr(j, "\"file\": \"b.yaml\",\n      \"errors\": 0,\n"
                              "      \"warnings\": 0,\n      \"notes\": 0,\n"
                              "      \"diagnostics\": []"));
    assert_non_null(strstr(j, "\"totals\": {\n    \"files\": 2,\n    \"errors\": 1,\n"
                              "    \"warnings\": 1,\n    \"notes\": 1\n  }"));
    free(j);
    qr_diags_release(&d[0]);
    qr_diags_release(&d[1]);
}

static void test_report_sarif_rules_results_regions(void **state)
{
    (void)state;
    qr_diags d;
    sample(&d, "dir/my topo.yaml");
    char *s = qr_report_sarif(&d, 1);
    assert_non_null(s);
    assert_non_null(strstr(s, "\"version\": \"2.1.0\""));
    assert_non_null(strstr(s, "\"$schema\": \"https://"));
    /* Every rule of the table is described, in table order. */
    const char *p = s;
    for (size_t i = 0; i < qr_rule_count(); i++) {
        char key[64];
        snprintf(key, sizeof(key), "\"id\": \"%s\"", qr_rule_at(i)->id);
        p = strstr(p, key);
        assert_non_null(p);
    }
    /* ruleIndex is the table index of the rule. */
    char want[64];
    snprintf(want, sizeof(want), "\"ruleId\": \"BE002\",\n          \"ruleIndex\": %d,",
             qr_rule_index("BE002"));
    assert_non_null(strstr(s, want));
    /* The path is a URI reference (space encoded); a region for 12:5. */
    assert_non_null(strstr(s, "\"uri\": \"dir/my%20topo.yaml\""));
    assert_non_null(strstr(s, "\"startLine\": 12,\n"));
    assert_non_null(strstr(s, "\"startColumn\": 5\n"));
    /* The 0:0 note has no region: exactly two regions for three results. */
    int regions = 0;
    for (const char *q = s; (q = strstr(q, "\"region\"")) != NULL; q++)
        regions++;
    assert_int_equal(regions, 2);
    assert_non_null(strstr(s, "\"level\": \"note\""));
    free(s);
    qr_diags_release(&d);
}

static void test_report_sarif_absolute_path_is_file_uri(void **state)
{
    (void)state;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "/tmp/a:b.yaml"), 0);
    qr_diag_add(&d, QR_SEV_ERROR, (qr_loc){ 0, 0 }, QR_RULE_P010, "empty file");
    char *s = qr_report_sarif(&d, 1);
    assert_non_null(s);
    assert_non_null(strstr(s, "\"uri\": \"file:///tmp/a%3Ab.yaml\""));
    assert_null(strstr(s, "\"region\""));
    free(s);
    qr_diags_release(&d);
}

/* The frame every JSON document shares, pinned byte for byte: the head
 * with and without a command, the topology object, the tool, the two
 * forms of an interval and a missing assumptions list. */
static void test_report_json_doc_frame(void **state)
{
    (void)state;
    qr_topology t;
    assert_int_equal(qr_topology_init(&t), 0);
    t.name = strdup("two-site");
    t.notation = strdup("2.x");
    assert_non_null(t.name);
    assert_non_null(t.notation);
    qr_json *j = qr_json_new();
    qr_report_json_begin(j, 7, "simulate");
    qr_report_json_topology(j, "a/b.yaml", &t);
    qr_report_json_tool(j);
    sim_stat st = { .mean = 2.5, .low = 2.0, .high = 3.5, .half_width = 0.75 };
    qr_report_json_stat(j, "s", st);
    qr_report_json_interval(j, "i", st);
    qr_report_assumptions_json(j, NULL);
    qr_json_end_object(j);
    char *doc = qr_json_finish(j);
    assert_non_null(doc);
    char want[1024];
    snprintf(want, sizeof(want),
             "{\n"
             "  \"format_version\": 7,\n"
             "  \"command\": \"simulate\",\n"
             "  \"topology\": {\n"
             "    \"file\": \"a/b.yaml\",\n"
             "    \"name\": \"two-site\",\n"
             "    \"notation\": \"2.x\"\n"
             "  },\n"
             "  \"tool\": {\n"
             "    \"name\": \"quorate\",\n"
             "    \"version\": \"%s\"\n"
             "  },\n"
             "  \"s\": {\n"
             "    \"mean\": 2.5,\n"
             "    \"ci_low\": 2,\n"
             "    \"ci_high\": 3.5,\n"
             "    \"half_width\": 0.75\n"
             "  },\n"
             "  \"i\": {\n"
             "    \"mean\": 2.5,\n"
             "    \"ci_low\": 2,\n"
             "    \"ci_high\": 3.5\n"
             "  },\n"
             "  \"assumptions\": null\n"
             "}",
             QR_VERSION_STRING);
    assert_string_equal(doc, want);
    free(doc);

    j = qr_json_new(); /* no command: the check report's head */
    qr_report_json_begin(j, 1, NULL);
    qr_json_end_object(j);
    doc = qr_json_finish(j);
    assert_string_equal(doc, "{\n  \"format_version\": 1\n}");
    free(doc);
    qr_topology_release(&t);
}

/* The measures simulate and compare both write for a feature, in order. */
static void test_report_json_feature_stats(void **state)
{
    (void)state;
    sim_feature_summary f;
    memset(&f, 0, sizeof(f));
    f.availability = (sim_stat){ .mean = 0.999, .low = 0.998, .high = 0.9995, .half_width = 5e-4 };
    f.downtime_min_year = (sim_stat){ .mean = 525.96 };
    f.outages_year = (sim_stat){ .mean = 2 };
    f.mean_outage_min = 262.98;
    f.longest_outage_min = 600;
    qr_json *j = qr_json_new();
    qr_json_begin_object(j);
    qr_report_json_feature_stats(j, &f);
    qr_json_end_object(j);
    char *doc = qr_json_finish(j);
    assert_non_null(doc);
    const char *keys[] = { "\"availability\": {\n    \"mean\": 0.999,",
                           "\"downtime_min_per_year\": {\n    \"mean\": 525.96,",
                           "\"outages_per_year\": {\n    \"mean\": 2,",
                           "\"mean_outage_min\": 262.98,", "\"longest_outage_min\": 600\n}" };
    const char *at = doc;
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        const char *p = strstr(at, keys[k]);
        if (!p)
            fail_msg("no %s after offset %d in\n%s", keys[k], (int)(at - doc), doc);
        at = p;
    }
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_pad_keeps_columns_apart),
        cmocka_unit_test(test_report_text_compiler_style),
        cmocka_unit_test(test_report_text_summary_counts_all_files),
        cmocka_unit_test(test_report_json_fields_and_totals),
        cmocka_unit_test(test_report_sarif_rules_results_regions),
        cmocka_unit_test(test_report_sarif_absolute_path_is_file_uri),
        cmocka_unit_test(test_report_json_doc_frame),
        cmocka_unit_test(test_report_json_feature_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
