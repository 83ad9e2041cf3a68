/*
 * scenario_pairing.h: `quorate scenario --json` on a design with several
 * pools (`pools:`, M10): the run of lab/pairing_play.c as one JSON
 * document with the keys of a single pool's (docs/cli.md, "scenario"):
 * the topology, the scenario, every moment of the timeline with what
 * changed, every expectation and the result.
 */
#ifndef QR_CMD_SCENARIO_PAIRING_H
#define QR_CMD_SCENARIO_PAIRING_H

#include <stddef.h>

#include "lab/pairing_play.h"
#include "lab/scenario.h"
#include "model/topology.h"
#include "util/json_out.h"

/* The "scenario" object of every scenario JSON document (its file, name,
 * operator, seed, patching, until). */
void qr_scenario_json_about(qr_json *j, const char *scenario_file, const qr_scenario *s);

/* Play s on t and return the JSON document (the caller frees it), *res
 * filled for the exit status and the messages; NULL with a message in err
 * when the run fails or memory runs out. */
char *qr_scenario_pairing_json(const qr_topology *t, const char *topology_file,
                               const qr_scenario *s, const char *scenario_file,
                               int format_version, qr_pairing_result *res, char *err,
                               size_t errlen);

#endif
