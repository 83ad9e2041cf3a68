/*
 * loader_clusters.c: `clusters:`, the Windows failover clusters (M4) that
 * AlwaysOn, a SQL failover cluster instance or a file-share cluster run on.
 * Nodes are servers, each with a NodeWeight of 0 or 1 (M4.1); the witness is
 * a file share on a server, a disk on shared storage, or a cloud witness,
 * which becomes a component of its own named `<cluster>-cloud-witness`.
 * Version-dependent defaults: dynamic quorum from 2012 (M4.2), dynamic
 * witness from 2012 R2 (M4.3); asking for them on an older version is an
 * error.
 */
#include "model/loader_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const windows_names[] = {
    "2008", "2008r2", "2012", "2012r2", "2016", "2019", "2022", NULL,
};
static const qr_windows windows_values[] = {
    QR_WINDOWS_2008, QR_WINDOWS_2008R2, QR_WINDOWS_2012, QR_WINDOWS_2012R2,
    QR_WINDOWS_2016, QR_WINDOWS_2019, QR_WINDOWS_2022,
};

int ld_add_cluster(ld_ctx *c, const char *name, qr_loc loc)
{
    qr_topology *t = c->t;
    char *copy = ld_new_name(c, name, loc);
    qr_cluster *cl =
        copy ? ld_grow(c, t->clusters, t->n_clusters, &c->clusters_cap, sizeof(*cl), 4) : NULL;
    if (!cl) {
        free(copy);
        return -1;
    }
    t->clusters = cl;
    int i = t->n_clusters++;
    t->clusters[i] = (qr_cluster){
        .name = copy, .loc = loc, .witness_kind = QR_WITNESS_NONE,
        .witness = -1, .windows = QR_WINDOWS_2019, .dynamic_quorum = true,
        .dynamic_witness = true, .lowest_priority = -1,
        .quorum_adjust_delay = 10.0, /* M4.2 */
    };
    if (ld_register(c, copy, -1, i, loc) != 0)
        return -1;
    return i;
}

/* `nodes: [s1, s2]` or `[ { server: s1, weight: 0 }, ... ]`. */
static void read_nodes(ld_ctx *c, qr_cluster *cl, yaml_node_t *seq)
{
    if (ld_expect(c, seq, YAML_SEQUENCE_NODE, "'nodes'") != 0)
        return;
    size_t items = (size_t)(seq->data.sequence.items.top -
                            seq->data.sequence.items.start);
    if (items == 0) {
        ld_error(c, qr_yaml_loc(seq), QR_RULE_P004,
                 "'nodes' of cluster '%s' must list at least one server",
                 cl->name);
        return;
    }
    cl->nodes = ld_alloc(c, items, sizeof(int));
    cl->node_locs = ld_alloc(c, items, sizeof(qr_loc));
    cl->weight = ld_alloc(c, items, sizeof(int));
    if (!cl->nodes || !cl->node_locs || !cl->weight)
        return;
    static const char *const keys[] = { "server", "weight", NULL };
    char *listed = ld_alloc(c, (size_t)c->t->n_comps, 1);
    if (!listed)
        return;
    for (size_t i = 0; i < items; i++) {
        yaml_node_t *item = ld_node(c, seq->data.sequence.items.start[i]);
        yaml_node_t *server = item;
        long long weight = 1;
        if (item->type == YAML_MAPPING_NODE) {
            ld_map m = { .map = item, .what = "an entry of 'nodes'", .loc = qr_yaml_loc(item) };
            ld_check_keys(c, &m, keys);
            server = ld_require(c, &m, "server", NULL);
            yaml_node_t *w = ld_get(c, &m, "weight", NULL);
            if (w && ld_integer(c, w, "weight", 0, 1, &weight) != 0)
                weight = 1;
            if (!server)
                continue;
        }
        qr_loc loc;
        int s = ld_ref(c, server, QR_COMP_SERVER, &loc);
        if (s < 0)
            continue;
        if (listed[s]) {
            ld_error(c, loc, QR_RULE_P009, "'%s' is listed twice in 'nodes' of "
                     "cluster '%s'", c->t->comps[s].name, cl->name);
            continue;
        }
        listed[s] = 1;
        cl->nodes[cl->n_nodes] = s;
        cl->node_locs[cl->n_nodes] = loc;
        cl->weight[cl->n_nodes] = (int)weight;
        cl->n_nodes++;
    }
    free(listed);
}

static int node_position(const qr_cluster *cl, int server)
{
    for (int k = 0; k < cl->n_nodes; k++)
        if (cl->nodes[k] == server)
            return k;
    return -1;
}

/* `witness: none`, `{ file_share: S, dfs: bool }`, `{ disk: D }`, or
 * `{ cloud: { mtbf, mttr, cost } }`. */
static void read_witness(ld_ctx *c, int ci, yaml_node_t *v, qr_loc key_loc)
{
    qr_cluster *cl = &c->t->clusters[ci];
    cl->witness_loc = key_loc;
    if (v->type == YAML_SCALAR_NODE &&
        strcmp((const char *)v->data.scalar.value, "none") == 0)
        return;
    if (ld_expect(c, v, YAML_MAPPING_NODE, "'witness' (or 'none')") != 0)
        return;
    static const char *const keys[] = { "file_share", "disk", "cloud", "dfs",
                                        NULL };
    ld_map m = { .map = v, .what = "'witness'", .loc = key_loc };
    ld_check_keys(c, &m, keys);
    qr_loc fs_loc, disk_loc, cloud_loc;
    yaml_node_t *fs = ld_get(c, &m, "file_share", &fs_loc);
    yaml_node_t *disk = ld_get(c, &m, "disk", &disk_loc);
    yaml_node_t *cloud = ld_get(c, &m, "cloud", &cloud_loc);
    int forms = !!fs + !!disk + !!cloud;
    if (forms == 0) {
        ld_error(c, key_loc, QR_RULE_P005, "'witness' of cluster '%s' needs one of "
                 "'file_share', 'disk' or 'cloud' (or 'none')", cl->name);
        return;
    }
    if (forms > 1) {
        qr_loc second = cloud ? cloud_loc : disk_loc;
        ld_error(c, second, QR_RULE_P004, "'witness' of cluster '%s' takes exactly "
                 "one of 'file_share', 'disk' or 'cloud'", cl->name);
        return;
    }
    qr_loc dfs_loc;
    yaml_node_t *dfs = ld_get(c, &m, "dfs", &dfs_loc);
    if (dfs && !fs)
        ld_error(c, dfs_loc, QR_RULE_P004, "'dfs' applies only to a 'file_share' "
                 "witness");
    if (fs) {
        cl->witness_kind = QR_WITNESS_FILE_SHARE;
        cl->witness = ld_ref(c, fs, QR_COMP_SERVER, &cl->witness_loc);
        if (dfs)
            ld_bool(c, dfs, "dfs", &cl->witness_on_dfs);
        if (cl->witness >= 0 && node_position(cl, cl->witness) >= 0)
            ld_error(c, cl->witness_loc, QR_RULE_P009, "'%s' cannot be both a node "
                     "and the file share witness of cluster '%s'",
                     c->t->comps[cl->witness].name, cl->name);
    } else if (disk) {
        cl->witness_kind = QR_WITNESS_DISK;
        cl->witness = ld_ref(c, disk, QR_COMP_STORAGE, &cl->witness_loc);
    } else {
        cl->witness_kind = QR_WITNESS_CLOUD;
        cl->witness_loc = cloud_loc;
        char name[160];
        snprintf(name, sizeof(name), "%s-cloud-witness", cl->name);
        int w = ld_add_comp(c, name, QR_COMP_CLOUD_WITNESS, cloud_loc);
        cl = &c->t->clusters[ci];
        cl->witness = w;
        if (ld_is_empty(cloud))
            return;
        if (ld_expect(c, cloud, YAML_MAPPING_NODE, "'cloud'") != 0)
            return;
        static const char *const ckeys[] = { "mtbf", "mttr", "cost", NULL };
        ld_map cm = { .map = cloud, .what = "'cloud'", .loc = cloud_loc };
        ld_check_keys(c, &cm, ckeys);
        qr_component scratch = { .kind = QR_COMP_CLOUD_WITNESS };
        ld_failure_keys(c, &cm, w >= 0 ? &c->t->comps[w] : &scratch);
    }
}

static void read_cluster(ld_ctx *c, yaml_node_t *item)
{
    static const char *const keys[] = {
        "name", "nodes", "witness", "windows", "dynamic_quorum",
        "dynamic_witness", "lowest_priority", "quorum_adjust_delay", NULL,
    };
    if (ld_expect(c, item, YAML_MAPPING_NODE, "an entry of 'clusters'") != 0)
        return;
    char what[192] = "an entry of 'clusters'";
    ld_map m = { .map = item, .what = what, .loc = qr_yaml_loc(item) };
    const char *name = NULL;
    yaml_node_t *nv = ld_require(c, &m, "name", NULL);
    if (nv && ld_name_value(c, nv, "name", &name) == 0)
        snprintf(what, sizeof(what), "cluster '%s'", name);
    ld_check_keys(c, &m, keys);
    if (!name)
        return;
    int ci = ld_add_cluster(c, name, qr_yaml_loc(nv));
    if (ci < 0)
        return;
    yaml_node_t *v;
    qr_loc kloc;
    if ((v = ld_require(c, &m, "nodes", NULL)))
        read_nodes(c, &c->t->clusters[ci], v);
    if ((v = ld_get(c, &m, "witness", &kloc)))
        read_witness(c, ci, v, kloc);
    qr_cluster *cl = &c->t->clusters[ci];
    if ((v = ld_get(c, &m, "windows", NULL))) {
        char text[16] = "";
        /* `2012 R2` and `2012R2` are accepted as `2012r2`. */
        if (v->type == YAML_SCALAR_NODE && v->data.scalar.length < sizeof(text)) {
            size_t o = 0;
            for (size_t i = 0; i < v->data.scalar.length; i++)
                if (v->data.scalar.value[i] != ' ')
                    text[o++] = (char)tolower(v->data.scalar.value[i]);
            text[o] = '\0';
        }
        int k = -1;
        for (int i = 0; windows_names[i] && text[0]; i++)
            if (strcmp(text, windows_names[i]) == 0)
                k = i;
        if (k < 0)
            k = ld_enum(c, v, "windows version", windows_names);
        if (k >= 0)
            cl->windows = windows_values[k];
    }
    cl->dynamic_quorum = cl->windows >= QR_WINDOWS_2012;    /* M4.2 */
    cl->dynamic_witness = cl->windows >= QR_WINDOWS_2012R2; /* M4.3 */
    qr_loc dq_loc, dw_loc;
    if ((v = ld_get(c, &m, "dynamic_quorum", &dq_loc)) &&
        ld_bool(c, v, "dynamic_quorum", &cl->dynamic_quorum) == 0 &&
        cl->dynamic_quorum && cl->windows < QR_WINDOWS_2012)
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004, "'dynamic_quorum' needs Windows "
                 "Server 2012 or later (cluster '%s')", cl->name);
    if ((v = ld_get(c, &m, "dynamic_witness", &dw_loc)) &&
        ld_bool(c, v, "dynamic_witness", &cl->dynamic_witness) == 0 &&
        cl->dynamic_witness && cl->windows < QR_WINDOWS_2012R2)
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004, "'dynamic_witness' needs Windows "
                 "Server 2012 R2 or later (cluster '%s')", cl->name);
    cl->lowest_priority = cl->n_nodes - 1;
    if ((v = ld_get(c, &m, "lowest_priority", NULL))) {
        int s = ld_ref(c, v, QR_COMP_SERVER, NULL);
        if (s >= 0) {
            int pos = node_position(cl, s);
            if (pos < 0)
                ld_error(c, qr_yaml_loc(v), QR_RULE_P008, "'%s' is not a node of "
                         "cluster '%s'", c->t->comps[s].name, cl->name);
            else
                cl->lowest_priority = pos;
        }
    }
    ld_opt_duration_given(c, &m, "quorum_adjust_delay", &cl->quorum_adjust_delay,
                          QR_FROM_DESIGN, &cl->quorum_adjust_delay_given);
}

void ld_clusters(ld_ctx *c, const ld_map *root)
{
    yaml_node_t *seq = ld_get(c, root, "clusters", NULL);
    if (!seq || ld_is_empty(seq) ||
        ld_expect(c, seq, YAML_SEQUENCE_NODE, "'clusters'") != 0)
        return;
    for (yaml_node_item_t *it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++)
        read_cluster(c, ld_node(c, *it));
}
