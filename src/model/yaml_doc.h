/*
 * yaml_doc.h: one YAML document loaded safely with libyaml's document API.
 *
 * Before anything is composed the text is checked: at most 1 MiB, no NUL
 * byte, valid UTF-8; then an event pre-scan refuses syntax errors, more
 * than one document, an empty stream and nesting deeper than 64 levels.
 * After composing, the node graph is measured without expanding it: a
 * document whose aliases would expand past QR_YAML_MAX_NODES nodes or past
 * QR_YAML_MAX_DEPTH levels, or that refers to itself, is refused (P010).
 * Duplicate keys, which libyaml accepts silently, are reported (P006) but
 * do not stop the load. Marks are converted to 1-based line:col.
 *
 * Ownership: a qr_yaml_doc owns its yaml_document_t; node pointers taken
 * from it are valid until qr_yaml_doc_release().
 */
#ifndef QR_YAML_DOC_H
#define QR_YAML_DOC_H

#include <stddef.h>
#include <yaml.h>

#include "model/diag.h"

#define QR_YAML_MAX_BYTES (1024 * 1024) /* file size limit              */
#define QR_YAML_MAX_DEPTH 64            /* nesting of collections       */
#define QR_YAML_MAX_NODES 100000        /* nodes after alias expansion  */

typedef struct {
    yaml_document_t doc;    /* the composed document                    */
    int             loaded; /* doc must be deleted                      */
    int             aliases;/* number of aliases in the text            */
} qr_yaml_doc;

/* Read a whole file ("-": standard input) into a NUL-terminated heap
 * buffer (*text, owned by the caller, free()). Refuses files over QR_YAML_MAX_BYTES without reading
 * them whole. Returns 0; 1 when over the limit (one P010 diagnostic); 2
 * when it cannot be read (one diagnostic at 0:0 with the reason). */
int qr_yaml_read_file(const char *path, char **text, size_t *len,
                      qr_diags *d);

/* Check and compose `len` bytes of `text` into *y (which the call sets
 * up). Returns 0 when the document is loaded and usable (duplicate-key
 * errors may have been added to d: the caller decides), 1 when it could
 * not be loaded (errors in d; *y holds nothing), -1 when out of memory.
 * Release *y with qr_yaml_doc_release() in every case. */
int qr_yaml_doc_load(qr_yaml_doc *y, const char *text, size_t len,
                     qr_diags *d);

/* Delete the document; accepts NULL and an unloaded doc. */
void qr_yaml_doc_release(qr_yaml_doc *y);

/* The root node, or NULL. */
yaml_node_t *qr_yaml_doc_root(qr_yaml_doc *y);

/* The node with 1-based id `id`, or NULL. */
yaml_node_t *qr_yaml_doc_node(qr_yaml_doc *y, int id);

/* Where a node starts, 1-based. */
qr_loc qr_yaml_loc(const yaml_node_t *n);

#endif
