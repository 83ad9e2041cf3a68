/*
 * cmd_graph.c: `quorate graph FILE --format dot|graphml [-o OUT]`, the
 * dependency graph of a pool design (depgraph.h): components, services and
 * user features, for Graphviz (`dot -Tsvg`: servers grouped by host and
 * site, quorum voters marked) or as GraphML written by igraph.
 *
 * Exit status: 0 written, 1 the topology has errors (printed as `quorate
 * check` prints them), 2 usage or I/O error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli_options.h"
#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "exact/depgraph.h"
#include "model/diag.h"
#include "util/file_out.h"
#include "model/loader.h"
#include "model/pool_view.h"
#include "out/report.h"
#include "check/rules.h"
#include "model/topology.h"

#define CMD "graph" /* for usage errors */

typedef struct {
    const char *file;
    const char *output;  /* NULL or "-": standard output */
    int         graphml; /* --format graphml: 1; dot: 0 */
    const char *pool;    /* --pool NAME: one pool of a design with pools */
} graph_options;

static const qr_opt_word format_words[] = { { "dot", 0 }, { "graphml", 1 }, { NULL, 0 } };

static const qr_opt options[] = {
    { .name = "--format", .arg = "F", .kind = QR_OPT_ENUM,
      .at = QR_OPT_AT(graph_options, graphml), .words = format_words,
      .help = "dot (default): Graphviz, servers grouped by host and site, quorum voters drawn "
              "with a double border and bold 'vote' edges; render with `dot -Tsvg`. graphml: "
              "GraphML written by igraph, with the vertex attributes name, class, kind, "
              "roles, site, host and the edge attribute kind" },
    QR_OPT_OUTPUT_ROW(graph_options, output, "write to FILE instead of standard output"),
    { .name = "--pool", .arg = "NAME", .kind = QR_OPT_STRING,
      .at = QR_OPT_AT(graph_options, pool),
      .help = "a design with several pools (pools:): the graph of pool NAME's view (its "
              "servers and the sites, hosts, links and clusters it uses); required there" },
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate graph [OPTIONS] FILE\n"
             "\n"
             "Write the dependency graph of a pool design: components (sites, hosts,\n"
             "servers, storage, links, witnesses), the services they carry (pool quorum,\n"
             "routing groups, back end, file store, failover clusters) and the user\n"
             "features that need them. An edge A -> B means B needs A.\n"
             "\n",
    .options = options,
    .after = QR_CLI_EXIT_WRITTEN,
};

/* Fills *o; returns -1 when --help was printed, 0 on success, 2 on a usage
 * error (reported). */
static int parse_args(int argc, char **argv, graph_options *o)
{
    memset(o, 0, sizeof(*o));
    return qr_cli_parse_one(&command, argc, argv, o, "topology file", &o->file);
}

/* What the graph is written from (qr_file_write's ctx). */
typedef struct {
    const qr_depgraph *g;
    const qr_topology *t;
    bool               graphml;
} graph_page;

static int emit_graph(FILE *out, void *ctx, char *why, size_t whylen)
{
    const graph_page *p = ctx;
    return p->graphml ? qr_depgraph_write_graphml(p->g, p->t, out, why, whylen)
                      : qr_depgraph_write_dot(p->g, p->t, out, why, whylen);
}

int cmd_graph(int argc, char **argv)
{
    graph_options o;
    qr_topology *t = NULL;
    qr_depgraph *g = NULL;
    char err[512] = "";
    int ret = 2;

    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    rc = qr_cli_load_checked(o.file, &t);
    if (rc != 0)
        return rc;
    if (qr_topology_is_paired(t)) { /* several pools (M10): one pool's view */
        int p = o.pool ? qr_topology_find_pool(t, o.pool) : -1;
        if (p < 0) {
            fprintf(stderr, "quorate graph: %s: %s; the design has several pools (pools:): "
                    "graph one at a time with --pool NAME (", o.file,
                    o.pool ? "no such pool" : "no --pool");
            for (int i = 0; i < t->n_pools; i++)
                fprintf(stderr, "%s%s", i ? ", " : "", t->pools[i].name);
            fputs(")\n", stderr);
            goto cleanup;
        }
        qr_topology *v = NULL;
        if (qr_topology_pool_view(t, p, &v, NULL) != 0) {
            fputs("quorate graph: out of memory\n", stderr);
            goto cleanup;
        }
        qr_topology_free(t);
        t = v;
    } else if (o.pool) {
        fprintf(stderr, "quorate graph: %s: --pool is for a design with several pools "
                "(pools:)\n", o.file);
        goto cleanup;
    }
    if (qr_depgraph_new(t, &g, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate graph: %s: %s\n", o.file, err);
        goto cleanup;
    }
    graph_page page = { g, t, o.graphml };
    if (qr_file_write(o.output, emit_graph, &page, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate graph: %s\n", err);
        goto cleanup;
    }
    ret = 0;
cleanup:
    qr_depgraph_free(g);
    qr_topology_free(t);
    return ret;
}
