/*
 * diag.h: diagnostics, the way quorate reports problems in a topology file.
 *
 * The library never prints: the loader and the design rules append
 * diagnostics to a qr_diags list, and a report (text, JSON, SARIF) prints
 * them later. Each diagnostic has a severity, a 1-based file:line:column, a
 * message (lowercase first word, no final period, subjects in quotes) and a
 * stable rule ID such as P003 or BE001: callers name it by its enum
 * (QR_RULE_P003, model/rule_ids.h), so a misspelt ID does not compile; the
 * list keeps its text.
 *
 * Ownership: a qr_diags owns its file name, its array and every message.
 */
#ifndef QR_DIAG_H
#define QR_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "model/rule_ids.h"
#include "model/topology.h"

typedef enum {
    QR_SEV_ERROR,
    QR_SEV_WARNING,
    QR_SEV_NOTE
} qr_severity;

typedef struct {
    qr_severity sev;
    qr_loc      loc;      /* 1-based; 0:0 when the whole file is meant */
    const char *rule;     /* the rule ID's static text, e.g. "P002"     */
    char       *message;  /* owned                                      */
} qr_diag;

/* Errors stored per list: more are counted (n_errors) but not kept, and
 * qr_diags_sort ends the list with one note saying how many. */
#define QR_DIAGS_MAX_ERRORS 1000

typedef struct {
    char    *file;        /* path the diagnostics are about (owned)     */
    qr_diag *items;
    size_t   n;
    size_t   cap;
    size_t   n_errors;    /* every error added, stored or not           */
    size_t   n_warnings;
    size_t   n_notes;
    size_t   n_hidden;    /* errors past QR_DIAGS_MAX_ERRORS, not kept  */
    int      trailer;     /* 1 when items[n - 1] is the "too many" note */
    int      oom;         /* set when a diagnostic could not be stored  */
} qr_diags;

/* Set up an empty list about `file` (copied). Returns 0, -1 on OOM. */
int qr_diags_init(qr_diags *d, const char *file);

/* Free everything the list owns; accepts NULL. */
void qr_diags_release(qr_diags *d);

/* Append one diagnostic; the message is printf-formatted. On OOM the list
 * keeps what it has and sets d->oom. An error past QR_DIAGS_MAX_ERRORS is
 * only counted. */
void qr_diag_add(qr_diags *d, qr_severity sev, qr_loc loc, qr_rule_id rule,
                 const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void qr_diag_vadd(qr_diags *d, qr_severity sev, qr_loc loc, qr_rule_id rule,
                  const char *fmt, va_list ap);

/* Sort by line, column, then insertion order (stable); when errors were
 * not kept, the list ends with the note "too many errors: N more not shown"
 * (P010, whole file), whatever its position. */
void qr_diags_sort(qr_diags *d);

/* "error", "warning", "note". */
const char *qr_severity_name(qr_severity sev);

#endif
