/*
 * cmd_graph.c: `quorate graph FILE --format dot|graphml [-o OUT]`, the
 * dependency graph of a pool design (depgraph.h): components, services and
 * user features, for Graphviz (`dot -Tsvg`: servers grouped by host and
 * site, quorum voters marked) or as GraphML written by igraph.
 *
 * Exit status: 0 written, 1 the topology has errors (printed as `quorate
 * check` prints them), 2 usage or I/O error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "depgraph.h"
#include "diag.h"
#include "loader.h"
#include "report.h"
#include "rules.h"
#include "topology.h"

typedef struct {
    const char *file;
    const char *output;  /* NULL or "-": standard output */
    bool        graphml;
} graph_options;

static void usage(FILE *out)
{
    fputs("usage: quorate graph [OPTIONS] FILE\n"
          "\n"
          "Write the dependency graph of a pool design: components (sites, hosts,\n"
          "servers, storage, links, witnesses), the services they carry (pool quorum,\n"
          "routing groups, back end, file store, failover clusters) and the user\n"
          "features that need them. An edge A -> B means B needs A.\n"
          "\n"
          "options:\n"
          "  --format F     dot (default): Graphviz, servers grouped by host and site,\n"
          "                 quorum voters drawn with a double border and bold 'vote'\n"
          "                 edges; render with `dot -Tsvg`.\n"
          "                 graphml: GraphML written by igraph, with the vertex\n"
          "                 attributes name, class, kind, roles, site, host and the\n"
          "                 edge attribute kind\n"
          "  -o, --output FILE  write to FILE instead of standard output\n"
          "  -h, --help     show this help and exit\n"
          "\n"
          "exit status:\n"
          "  0  written\n"
          "  1  the topology has errors (printed as by `quorate check`)\n"
          "  2  usage or I/O error\n",
          out);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("quorate graph: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'quorate graph --help'.\n", stderr);
    return 2;
}

/* Fills *o; returns -1 when --help was printed, 0 on success, 2 on a usage
 * error (reported). */
static int parse_args(int argc, char **argv, graph_options *o)
{
    memset(o, 0, sizeof(*o));
    const char *file = NULL, *extra = NULL;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (!file)
                file = a;
            else if (!extra)
                extra = a;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return -1;
        }
        const char *value = NULL;
        bool is_format = false;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 || strcmp(a, "--format") == 0) {
            is_format = strcmp(a, "--format") == 0;
            if (i + 1 >= argc)
                return usage_error("option '%s' needs a value", a);
            value = argv[++i];
        } else if (strncmp(a, "--format=", 9) == 0) {
            is_format = true;
            value = a + 9;
        } else if (strncmp(a, "--output=", 9) == 0) {
            value = a + 9;
        } else {
            return usage_error("unknown option '%s'", a);
        }
        if (is_format) {
            if (strcmp(value, "dot") == 0)
                o->graphml = false;
            else if (strcmp(value, "graphml") == 0)
                o->graphml = true;
            else
                return usage_error("bad --format '%s' (expected dot or graphml)", value);
        } else {
            if (value[0] == '\0')
                return usage_error("%s", "empty output file name");
            o->output = value;
        }
    }
    if (!file)
        return usage_error("%s", "no topology file given");
    if (extra)
        return usage_error("more than one topology file given ('%s')", extra);
    o->file = file;
    return 0;
}

int cmd_graph(int argc, char **argv)
{
    graph_options o;
    qr_diags d;
    qr_topology *t = NULL;
    qr_depgraph *g = NULL;
    FILE *out = NULL;
    bool to_stdout;
    char err[512] = "";
    int ret = 2;

    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (qr_diags_init(&d, o.file) != 0) {
        fputs("quorate graph: out of memory\n", stderr);
        return 2;
    }
    rc = qr_topology_load_file(o.file, &t, &d);
    if (rc == 0)
        qr_rules_check(t, &d);
    if (rc != 0 || d.n_errors > 0) {
        qr_diags_sort(&d);
        qr_report_diags_text(stderr, &d);
        ret = rc == 2 ? 2 : 1;
        goto cleanup;
    }
    if (qr_depgraph_new(t, &g, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate graph: %s: %s\n", o.file, err);
        goto cleanup;
    }
    to_stdout = !o.output || strcmp(o.output, "-") == 0;
    out = to_stdout ? stdout : fopen(o.output, "w");
    if (!out) {
        fprintf(stderr, "quorate graph: cannot open '%s': %s\n", o.output, strerror(errno));
        goto cleanup;
    }
    rc = o.graphml ? qr_depgraph_write_graphml(g, t, out, err, sizeof(err))
                   : qr_depgraph_write_dot(g, t, out, err, sizeof(err));
    if (!to_stdout) {
        if (fclose(out) != 0 && rc == 0) {
            snprintf(err, sizeof(err), "cannot write '%s': %s", o.output, strerror(errno));
            rc = -1;
        }
        out = NULL;
    }
    if (rc != 0) {
        fprintf(stderr, "quorate graph: %s\n", err);
        goto cleanup;
    }
    ret = 0;
cleanup:
    qr_depgraph_free(g);
    qr_topology_free(t);
    qr_diags_release(&d);
    return ret;
}
