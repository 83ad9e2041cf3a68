/*
 * loader.h: build a qr_topology (topology.h) from a YAML topology file
 * (docs/topology-format.md). The loader applies the built-in defaults, then
 * `defaults:`, then each component's own values, resolves every reference
 * to the right kind of component, and reports every problem it finds (not
 * just the first) as a diagnostic with the rule IDs P001-P011 and a 1-based
 * file:line:col. Design smells are not its business (rules.c).
 */
#ifndef QR_LOADER_H
#define QR_LOADER_H

#include <stddef.h>

#include "model/diag.h"
#include "model/topology.h"

/* Load a topology. The caller has done qr_diags_init(diags, path). Returns
 * 0 when loaded with no errors (*out set, caller frees with
 * qr_topology_free; diags may hold warnings), 1 when the file has errors
 * (*out NULL, every error found is in diags, sorted by position), 2 when it
 * could not be read at all (I/O error or out of memory: *out NULL, one
 * diagnostic at 0:0 says why). Never prints, never aborts. */
int qr_topology_load_file(const char *path, qr_topology **out,
                          qr_diags *diags);

/* The same from `len` bytes of `text` (need not be NUL-terminated); `name`
 * stands for the file name (t->file, and the default t->name is its base
 * name without extension). */
int qr_topology_load_buffer(const char *name, const char *text, size_t len,
                            qr_topology **out, qr_diags *diags);

#endif
