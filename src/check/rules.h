/*
 * rules.h: the design rules of `quorate check` and the lookups into the rule
 * table (rule_table.h).
 *
 * qr_rules_check() judges a topology the loader accepted (no P errors) and
 * appends one diagnostic per finding; each rule lives in one of
 * rules_pool.c (FE), rules_backend.c (BE), rules_cluster.c (CL) and
 * rules_store.c (FS, ST). Every diagnostic a rule emits carries the severity
 * of its row in the table, so the table is the single truth for severities
 * and texts; the IDs themselves, and their order, are the enum of
 * model/rule_ids.h (the loader reports the P rules too).
 */
#ifndef QR_RULES_H
#define QR_RULES_H

#include <stddef.h>

#include "model/diag.h"
#include "model/topology.h"

/* One row of the rule table; all strings are static. */
typedef struct {
    const char *id;        /* "P001", "FE001" ...                          */
    qr_severity severity;  /* default severity                             */
    const char *name;      /* kebab-case short name                        */
    const char *title;     /* one-line title                               */
    const char *rationale; /* why it matters                               */
    const char *source;    /* behaviour rules, public sources (sources.md) */
    const char *fix;       /* how to fix it                                */
} qr_rule;

/* Run every design rule on a loaded topology t, appending to d. Returns the
 * number of diagnostics added. Reads t only; never prints. */
int qr_rules_check(const qr_topology *t, qr_diags *d);

/* True when the finding of rule `id` ("ST002") says that Microsoft does not
 * support the configuration (src/check/rules_support.c, docs/rules.md
 * "Unsupported configurations"), as opposed to a warning about robustness
 * or style that a supported design may carry. Errors are not listed: a
 * design with one is refused anyway. */
bool qr_rules_unsupported(const char *id);

/* Number of rows in the rule table. */
size_t qr_rule_count(void);

/* Row i (0 <= i < qr_rule_count()), in table order; NULL when out of range.
 * The row of a qr_rule_id r is qr_rule_at(r). */
const qr_rule *qr_rule_at(size_t i);

/* The row of rule `id` ("FE001"), or NULL when there is none. */
const qr_rule *qr_rule_find(const char *id);

/* Table index of rule `id`, or -1 (the SARIF ruleIndex). */
int qr_rule_index(const char *id);

#endif
