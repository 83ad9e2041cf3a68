/*
 * assume_fixture.h: helpers for the unit tests of assumptions files
 * (test_assumptions.c, test_uncertain.c). Header-only; include it after
 * cmocka.h. af_dump prints a diagnostics list into the test log;
 * af_assume_ok loads YAML text that must give no diagnostic at all and
 * fails the test otherwise (the caller frees the result with
 * qr_assumptions_free).
 */
#ifndef QR_TESTS_ASSUME_FIXTURE_H
#define QR_TESTS_ASSUME_FIXTURE_H

#include <string.h>

#include "model/assumptions.h"
#include "model/diag.h"

static inline void af_dump(const qr_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_message("  %d:%d %s %s\n", d->items[i].loc.line, d->items[i].loc.col,
                      d->items[i].rule, d->items[i].message);
}

static inline qr_assumptions *af_assume_ok(const char *file, const char *yaml)
{
    qr_diags d;
    qr_assumptions *a = NULL;
    assert_int_equal(qr_diags_init(&d, file), 0);
    int rc = qr_assumptions_load_buffer(file, yaml, strlen(yaml), &a, &d);
    if (rc != 0 || d.n != 0) {
        af_dump(&d);
        fail_msg("assumptions did not load: %d", rc);
    }
    qr_diags_release(&d);
    assert_non_null(a);
    return a;
}

#endif
