/*
 * loader.c: the entry points of loader.h. It reads the file (yaml_doc.c
 * enforces the size, depth and alias limits), checks the top-level keys,
 * then walks the document in dependency order: defaults and components
 * (loader_components.c), clusters (loader_clusters.c), the pool
 * (loader_pool.c), then features and timings (loader_extras.c). Errors are
 * collected all along; the topology is handed out only when there are none.
 */
#include "model/loader.h"

#include <stdlib.h>
#include <string.h>

#include "model/loader_internal.h"
#include "model/yaml_doc.h"

/* "dir/5x-recommended.yaml" -> "5x-recommended". */
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, base, len);
        s[len] = '\0';
    }
    return s;
}

static void read_root(ld_ctx *c, yaml_node_t *root, void *unused)
{
    (void)unused;
    if (ld_is_empty(root)) {
        ld_error(c, qr_yaml_loc(root), QR_RULE_P010,
                 "empty topology: the document has no content");
        return;
    }
    if (ld_expect(c, root, YAML_MAPPING_NODE, "the topology") != 0)
        return;
    ld_map m = { .map = root, .what = "the topology", .loc = qr_yaml_loc(root) };
    if (ld_wrong_input_kind(c, &m, QR_INPUT_TOPOLOGY))
        return;
    ld_check_keys_ext(c, &m, qr_input_keys(QR_INPUT_TOPOLOGY), true); /* `x-...:`: anchors */
    yaml_node_t *v;
    const char *s;
    if ((v = ld_get(c, &m, "name", NULL)) && ld_string(c, v, "name", &s) == 0) {
        free(c->t->name);
        if (!(c->t->name = strdup(s)))
            c->oom = 1;
    }
    if ((v = ld_get(c, &m, "notation", NULL)) &&
        ld_string(c, v, "notation", &s) == 0 &&
        !(c->t->notation = strdup(s)))
        c->oom = 1;
    ld_defaults(c, &m);
    ld_components(c, &m);
    ld_clusters(c, &m);
    ld_pool(c, &m);
    ld_pairing(c, &m);
    ld_extras(c, &m);
    ld_common_cause(c, &m);
    ld_virtualization(c, &m);
    ld_pool_features(c);
    ld_store_kinds(c);
}

static int finish(int ret, qr_topology *t, qr_diags *diags, qr_topology **out)
{
    if (ret == 0) {
        *out = t;
    } else {
        qr_topology_free(t);
    }
    qr_diags_sort(diags);
    return ret;
}

int qr_topology_load_buffer(const char *name, const char *text, size_t len,
                            qr_topology **out, qr_diags *diags)
{
    static const qr_loc nowhere = { 0, 0 };
    *out = NULL;
    if (!name)
        name = "<input>";
    qr_topology *t = calloc(1, sizeof(*t));
    if (!t || qr_topology_init(t) != 0) {
        qr_topology_free(t);
        qr_diag_add(diags, QR_SEV_ERROR, nowhere, QR_RULE_P010, "out of memory");
        return 2;
    }
    t->file = strdup(name);
    t->name = base_name(name);
    if (!t->file || !t->name) {
        qr_diag_add(diags, QR_SEV_ERROR, nowhere, QR_RULE_P010, "out of memory");
        return finish(2, t, diags, out);
    }
    ld_ctx c = { .t = t, .d = diags };
    return finish(ld_read_document(&c, text, len, read_root, NULL), t, diags, out);
}

int qr_topology_load_file(const char *path, qr_topology **out,
                          qr_diags *diags)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int r = qr_yaml_read_file(path, &text, &len, diags);
    if (r != 0) {
        qr_diags_sort(diags);
        return r;
    }
    int ret = qr_topology_load_buffer(path, text, len, out, diags);
    free(text);
    return ret;
}
