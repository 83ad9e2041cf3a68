/*
 * test_rule_ids.c: unit tests of the rule-ID enum (src/model/rule_ids.h):
 * each enumerator's text is its own name without the QR_RULE_ prefix,
 * text and parse are inverse over the whole list, values that are no ID
 * give NULL / -1, and a diagnostic added with an enumerator carries its
 * text. That a misspelt ID does not compile is tests/repo/rule_ids.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "model/diag.h"
#include "model/rule_ids.h"

/* The enumerator names, spelled out by hand (not from QR_RULE_IDS), in the
 * order `quorate check --list-rules` prints them. */
static const struct {
    qr_rule_id  id;
    const char *text;
} known[] = {
    { QR_RULE_P001, "P001" },   { QR_RULE_P004, "P004" },   { QR_RULE_P011, "P011" },
    { QR_RULE_FE001, "FE001" }, { QR_RULE_FE008, "FE008" }, { QR_RULE_BE001, "BE001" },
    { QR_RULE_BE008, "BE008" }, { QR_RULE_CL001, "CL001" }, { QR_RULE_CL008, "CL008" },
    { QR_RULE_FS001, "FS001" }, { QR_RULE_FS003, "FS003" }, { QR_RULE_ST001, "ST001" },
    { QR_RULE_ST002, "ST002" }, { QR_RULE_CC001, "CC001" }, { QR_RULE_CC007, "CC007" },
    { QR_RULE_VM001, "VM001" }, { QR_RULE_VM007, "VM007" }, { QR_RULE_LF001, "LF001" },
    { QR_RULE_PP001, "PP001" }, { QR_RULE_PP012, "PP012" }, { QR_RULE_PP013, "PP013" },
    { QR_RULE_AS001, "AS001" },
};

static void test_rule_ids_text(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
        assert_string_equal(qr_rule_id_text(known[k].id), known[k].text);
        if (k > 0) /* the list keeps its order */
            assert_true(known[k - 1].id < known[k].id);
    }
    assert_int_equal(QR_RULE_P001, 0);
    assert_int_equal(QR_RULE_AS001, QR_RULE_COUNT - 1);
    assert_int_equal(QR_RULE_COUNT, 11 + 8 + 8 + 8 + 3 + 2 + 7 /* CC */ + 7 /* VM */ + 1 /* LF */ +
                                         13 /* PP */ + 1);
    assert_null(qr_rule_id_text(QR_RULE_COUNT));
    assert_null(qr_rule_id_text((qr_rule_id)-1));
}

static void test_rule_ids_parse_inverts_text(void **state)
{
    (void)state;
    for (int i = 0; i < QR_RULE_COUNT; i++) {
        const char *t = qr_rule_id_text((qr_rule_id)i);
        assert_non_null(t);
        assert_int_equal(qr_rule_id_parse(t), i);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(qr_rule_id_text((qr_rule_id)j), t);
    }
    assert_int_equal(qr_rule_id_parse("BE002"), QR_RULE_BE002);
    assert_int_equal(qr_rule_id_parse("be002"), -1); /* exact */
    assert_int_equal(qr_rule_id_parse("BE00"), -1);
    assert_int_equal(qr_rule_id_parse("BE0021"), -1);
    assert_int_equal(qr_rule_id_parse(""), -1);
    assert_int_equal(qr_rule_id_parse(NULL), -1);
}

static void test_rule_ids_diag_carries_text(void **state)
{
    (void)state;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "t.yaml"), 0);
    qr_diag_add(&d, QR_SEV_WARNING, (qr_loc){ 3, 1 }, QR_RULE_CL005, "x %d", 1);
    qr_diag_add(&d, QR_SEV_ERROR, (qr_loc){ 1, 1 }, QR_RULE_P002, "y");
    assert_int_equal(d.n, 2);
    assert_string_equal(d.items[0].rule, "CL005");
    assert_string_equal(d.items[1].rule, "P002");
    assert_ptr_equal(d.items[0].rule, qr_rule_id_text(QR_RULE_CL005)); /* static */
    qr_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_ids_text),
        cmocka_unit_test(test_rule_ids_parse_inverts_text),
        cmocka_unit_test(test_rule_ids_diag_carries_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
