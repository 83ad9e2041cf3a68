/*
 * html_topology.h: the drawing of one pool design as inline SVG for the
 * --html reports (html_report.h), laid out here, without Graphviz: sites
 * as large boxes side by side, hosts as boxes inside their site, servers
 * inside their host (or directly in the site when physical), shared
 * storage in its site, links between sites as arcs above them, and cloud
 * witnesses, external SQL and anything else without a site in a row
 * below. Each server is labelled with its roles: front end (seed front
 * ends marked as Windows Fabric voters, M1.1), SQL principal / mirror /
 * witness, AlwaysOn replica, FCI node, cluster node and witness, DFS
 * replica, file share. Voters are highlighted; a legend explains the
 * colours. Roles and votes come from the dependency graph (depgraph.h),
 * the one place that decides who votes.
 *
 * The layout is a pure function of the topology: the same design always
 * gives the same bytes.
 */
#ifndef QR_HTML_TOPOLOGY_H
#define QR_HTML_TOPOLOGY_H

#include <stddef.h>
#include <stdio.h>

#include "model/topology.h"

/* A component's box in the drawing, in SVG pixels. */
typedef struct {
    double x, y, w, h; /* w == 0: not drawn as a box (links are arcs)    */
} qr_html_box;

/* Lay out t: fills box[0..t->n_comps-1] (caller-owned) and the drawing's
 * size. Every component but links gets a box; a server's box lies inside
 * its host's (when on a host) and its site's. Returns 0, or -1 with a
 * message in err (out of memory, dependency graph error). */
int qr_html_topology_layout(const qr_topology *t, qr_html_box *box, double *width,
                            double *height, char *err, size_t errlen);

/* Write the drawing of t as one <svg> element followed by its legend.
 * Returns 0, or -1 with a message in err (nothing written then). */
int qr_html_topology(FILE *out, const qr_topology *t, char *err, size_t errlen);

#endif
