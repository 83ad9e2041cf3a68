/*
 * analyze_pairing.h: `quorate analyze` on a design with several pools
 * (`pools:`, M10): each row's exact availability in the static view and
 * its single points of failure and minimal cut sets across the pools.
 */
#ifndef QR_CMD_ANALYZE_PAIRING_H
#define QR_CMD_ANALYZE_PAIRING_H

#include <stdbool.h>

#include "model/assumption_list.h"
#include "model/topology.h"

/* Analyse and print (text or JSON) on stdout. Returns the exit status:
 * 0, 1 with fail_on_spof and a row with a single point of failure, 2 an
 * error (reported on stderr). */
int qr_analyze_pairing(const char *file, const qr_topology *t, int max_k, long max_combinations,
                       bool json, bool fail_on_spof, const qr_assumption_list *assumed);

#endif
