/*
 * diag.c: the diagnostics list (see diag.h). Appending never fails loudly:
 * on OOM the list keeps what it has and sets `oom`, so a report can still
 * print the diagnostics collected so far and the caller can exit 2.
 */
#include "model/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qr_diags_init(qr_diags *d, const char *file)
{
    memset(d, 0, sizeof(*d));
    d->file = strdup(file ? file : "<input>");
    return d->file ? 0 : -1;
}

void qr_diags_release(qr_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->items[i].message);
    free(d->items);
    free(d->file);
    memset(d, 0, sizeof(*d));
}

void qr_diag_vadd(qr_diags *d, qr_severity sev, qr_loc loc, qr_rule_id rule,
                  const char *fmt, va_list ap)
{
    if (sev == QR_SEV_ERROR && d->n_errors >= QR_DIAGS_MAX_ERRORS) {
        d->n_errors++;
        d->n_hidden++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        qr_diag *items = realloc(d->items, cap * sizeof(*items));
        if (!items) {
            d->oom = 1;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    char *msg = NULL;
    va_list copy;
    va_copy(copy, ap);
    int len = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (len >= 0 && (msg = malloc((size_t)len + 1)) != NULL)
        vsnprintf(msg, (size_t)len + 1, fmt, ap);
    if (!msg) {
        d->oom = 1;
        return;
    }
    d->items[d->n++] = (qr_diag){ .sev = sev, .loc = loc, .rule = qr_rule_id_text(rule),
                                  .message = msg };
    if (d->trailer) { /* the "too many" note stays last */
        qr_diag last = d->items[d->n - 1];
        d->items[d->n - 1] = d->items[d->n - 2];
        d->items[d->n - 2] = last;
    }
    if (sev == QR_SEV_ERROR)
        d->n_errors++;
    else if (sev == QR_SEV_WARNING)
        d->n_warnings++;
    else
        d->n_notes++;
}

void qr_diag_add(qr_diags *d, qr_severity sev, qr_loc loc, qr_rule_id rule,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    qr_diag_vadd(d, sev, loc, rule, fmt, ap);
    va_end(ap);
}

/* Insertion sort: stable, and lists are short (at most 1000 errors). */
void qr_diags_sort(qr_diags *d)
{
    if (d->n_hidden > 0) { /* the trailer: made once, its count kept up */
        if (d->trailer) {
            free(d->items[d->n - 1].message);
            d->n--;
            d->n_notes--;
            d->trailer = 0;
        }
        size_t before = d->n;
        qr_diag_add(d, QR_SEV_NOTE, (qr_loc){ 0, 0 }, QR_RULE_P010,
                    "too many errors: %zu more not shown", d->n_hidden);
        d->trailer = d->n > before;
    }
    size_t n = d->n - (size_t)d->trailer;
    for (size_t i = 1; i < n; i++) {
        qr_diag key = d->items[i];
        size_t j = i;
        while (j > 0 && (d->items[j - 1].loc.line > key.loc.line ||
                         (d->items[j - 1].loc.line == key.loc.line &&
                          d->items[j - 1].loc.col > key.loc.col))) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = key;
    }
}

const char *qr_severity_name(qr_severity sev)
{
    switch (sev) {
    case QR_SEV_ERROR: return "error";
    case QR_SEV_WARNING: return "warning";
    case QR_SEV_NOTE: return "note";
    }
    return "error";
}
