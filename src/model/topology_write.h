/*
 * topology_write.h: write a qr_topology back as a topology file
 * (docs/topology-format.md) with libyaml's emitter, so that loading the
 * text gives the same model: `defaults:` with each kind's failure, repair
 * and patch figures, every component with only the figures of its own (so
 * the written design keeps what is a design choice apart from what an
 * assumptions file replaces; durations in the largest unit that is exact,
 * else, as for the median of an uncertain assumption, in the largest unit
 * the value is at least 1 of whose shortest decimal loads back exactly,
 * seconds as the last resort), clusters, the pool, the timings of
 * fabric, operations and patching, the features that differ from the M6
 * defaults, and costs. Cloud witnesses are written inside their cluster's
 * witness and the external SQL service inside the back end, as the loader
 * expects them. Source positions (qr_loc) and t->file are not written.
 */
#ifndef QR_TOPOLOGY_WRITE_H
#define QR_TOPOLOGY_WRITE_H

#include <stddef.h>

#include "model/topology.h"

/* Write t into *out, a NUL-terminated string the caller frees. Returns 0,
 * or -1 with a message in err (the emitter's error, or out of memory; *out
 * NULL). */
int qr_topology_write(const qr_topology *t, char **out, char *err, size_t errlen);

/* A duration in seconds as the topology format writes it ("6mo", "15m",
 * "never", "0.25s", "10.392304845413264mo" for a value no unit gives
 * exactly), parsing back to exactly the same double. buf of at
 * least 32 bytes; returns buf. */
const char *qr_topology_write_duration(double seconds, char *buf, size_t size);

#endif
