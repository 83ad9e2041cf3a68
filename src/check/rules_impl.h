/*
 * rules_impl.h: what the rule files (rules_*.c) share and nothing outside
 * them uses: the emit helper that takes a rule's severity from the table,
 * the per-group entry points, and small questions about the topology
 * (where a component runs, which server holds the primary database).
 */
#ifndef QR_RULES_IMPL_H
#define QR_RULES_IMPL_H

#include <stdbool.h>

#include "model/diag.h"
#include "check/rules.h"
#include "model/topology.h"

/* Append a diagnostic of rule `id` (QR_RULE_BE002) with the severity of its
 * table row. */
void rules_emit(qr_diags *d, qr_rule_id id, qr_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One entry point per group of the table. */
void rules_check_pool(const qr_topology *t, qr_diags *d);    /* FE */
void rules_check_backend(const qr_topology *t, qr_diags *d); /* BE */
void rules_check_cluster(const qr_topology *t, qr_diags *d); /* CL */
void rules_check_store(const qr_topology *t, qr_diags *d);   /* FS, ST */
void rules_check_ccf(const qr_topology *t, qr_diags *d);     /* CC */
void rules_check_vm(const qr_topology *t, qr_diags *d);      /* VM */
void rules_check_latent(const qr_topology *t, qr_diags *d);  /* LF */
void rules_check_pairing(const qr_topology *t, qr_diags *d); /* PP, M10 */

/* Site of component i (through its host when it has none itself), or -1. */
int rules_site_of(const qr_topology *t, int i);

/* Host of component i, or -1 (physical server, or not a server). */
int rules_host_of(const qr_topology *t, int i);

/* Server that holds the primary database when everything is up (M1.8: the
 * Back End vote of M1.2 is this server's): the standalone server, the
 * mirroring principal, the first availability-group replica, the first
 * node of an FCI cluster; -1 for an external SQL service. */
int rules_backend_primary(const qr_topology *t);

/* True when the Back End fails over without an operator: mirroring with a
 * witness (M3.3), an availability group with two or more replicas (M4.6),
 * an FCI on two or more nodes (M4.7), an external HA service (M3.6). */
bool rules_backend_auto_failover(const qr_topology *t);

/* The host that all n servers run on, or -1 (n < 2, a physical server, or
 * two hosts). */
int rules_common_host(const qr_topology *t, const int *servers, int n);

/* True when server s is one of the pool's front ends. */
bool rules_is_frontend(const qr_topology *t, int s);

#endif
