/*
 * html_topology.c: the topology drawing of the --html reports
 * (html_topology.h).
 *
 * Layout, in one pass over sites in topology order: a site is a row of
 * columns, first one column per host in the site (the host box holding
 * its servers stacked), then one column of the site's physical servers and
 * storage. Sites stand side by side; links are arcs over the top joining
 * their two sites, one lane each, nested like brackets (the longest
 * highest, feet spread along a site's top edge) so that nested arcs never
 * cross. Components without a site go in a row
 * of columns below, the same way. Box heights follow the number of label
 * lines, so nothing overlaps.
 */
#include "out/html_topology.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exact/depgraph.h"
#include "out/html_util.h"

#define MAX_LINES 8
#define LINE_LEN  96
#define BOX_W     230.0 /* a server or storage box                      */
#define LINE_H    13.0
#define PAD       10.0
#define GAP       12.0
#define HEAD      22.0  /* a site's or host's title                     */
#define MARGIN    12.0
#define LANE      16.0  /* one link's arc above the sites               */

typedef struct {
    unsigned roles;
    int      n_lines;
    char     lines[MAX_LINES][LINE_LEN];
} comp_label;

static void add_line(comp_label *l, const char *fmt, const char *a, const char *b)
{
    if (l->n_lines >= MAX_LINES)
        return;
    snprintf(l->lines[l->n_lines++], LINE_LEN, fmt, a ? a : "", b ? b : "");
}

static bool in_list(const int *list, int n, int i)
{
    for (int k = 0; k < n; k++)
        if (list[k] == i)
            return true;
    return false;
}

/* The purpose of cluster k in the design, for a node's label. */
static const char *cluster_purpose(const qr_topology *t, int k)
{
    const qr_backend *b = &t->pool.backend;
    if (b->kind == QR_BACKEND_FCI && b->cluster == k)
        return "FCI node";
    if (b->kind == QR_BACKEND_ALWAYSON && b->cluster == k)
        return "WSFC node";
    if (t->pool.file_store.kind == QR_FILE_STORE_CLUSTER && t->pool.file_store.cluster == k)
        return "file-share cluster node";
    return "cluster node";
}

static void label_of(const qr_topology *t, const qr_depgraph *g, int i, comp_label *l)
{
    const qr_component *c = &t->comps[i];
    const qr_dg_vertex *v = qr_depgraph_vertex(g, i);
    unsigned r = v ? v->roles : 0;
    memset(l, 0, sizeof(*l));
    l->roles = r;
    add_line(l, "%s%s", c->name, "");
    if (c->kind != QR_COMP_SERVER)
        add_line(l, "%s%s", qr_comp_kind_name(c->kind),
                 qr_component_fails(c) ? "" : " (never fails)");
    else if (!qr_component_fails(c))
        add_line(l, "%s%s", "never fails", "");
    if (r & QR_DG_ROLE_FRONTEND)
        add_line(l, "%s%s", "front end", (r & QR_DG_ROLE_SEED) ? ", seed (votes)" : "");
    if (r & QR_DG_ROLE_SQL_PRINCIPAL)
        add_line(l, "%s%s", "SQL principal", "");
    if (r & QR_DG_ROLE_SQL_MIRROR)
        add_line(l, "%s%s", "SQL mirror", "");
    if (r & QR_DG_ROLE_SQL_WITNESS)
        add_line(l, "%s%s", "SQL witness (votes)", "");
    if (r & QR_DG_ROLE_SQL) {
        const qr_backend *b = &t->pool.backend;
        add_line(l, "%s%s",
                 b->kind == QR_BACKEND_ALWAYSON && in_list(b->replicas, b->n_replicas, i)
                     ? "AlwaysOn replica"
                 : b->kind == QR_BACKEND_STANDALONE ? "SQL Back End (standalone)"
                 : b->kind == QR_BACKEND_EXTERNAL   ? "SQL Back End (external)"
                                                    : "SQL",
                 "");
    }
    for (int k = 0; k < t->n_clusters; k++) {
        const qr_cluster *cl = &t->clusters[k];
        for (int n = 0; n < cl->n_nodes; n++)
            if (cl->nodes[n] == i)
                add_line(l, cl->weight[n] ? "%s of %s (votes)" : "%s of %s (no vote)",
                         cluster_purpose(t, k), cl->name);
        if (cl->witness == i && cl->witness_kind != QR_WITNESS_NONE)
            add_line(l, "%s of %s (votes)",
                     cl->witness_kind == QR_WITNESS_FILE_SHARE
                         ? (cl->witness_on_dfs ? "file share witness on DFS" : "file share witness")
                     : cl->witness_kind == QR_WITNESS_DISK ? "disk witness"
                                                           : "cloud witness",
                     cl->name);
    }
    if (r & QR_DG_ROLE_FILE_STORE)
        add_line(l, "%s%s",
                 t->pool.file_store.kind == QR_FILE_STORE_DFS ? "DFS replica (file store)"
                                                              : "file share (file store)",
                 "");
    if (r & QR_DG_ROLE_SHARED_DISK)
        add_line(l, "%s%s", "shared disk", "");
}

static bool is_voter(unsigned roles)
{
    return roles & (QR_DG_ROLE_SEED | QR_DG_ROLE_SQL_WITNESS | QR_DG_ROLE_CLUSTER_VOTE |
                    QR_DG_ROLE_CLUSTER_WITNESS);
}

static double leaf_height(const comp_label *l)
{
    return 8 + LINE_H * l->n_lines;
}

/* Is component i a leaf drawn in container `site` (-1: outside) outside
 * any host? */
static bool loose_in(const qr_topology *t, int i, int site)
{
    const qr_component *c = &t->comps[i];
    switch (c->kind) {
    case QR_COMP_SERVER:
        return c->host < 0 && c->site == site;
    case QR_COMP_STORAGE:
        return c->site == site;
    case QR_COMP_CLOUD_WITNESS:
    case QR_COMP_EXTERNAL_SQL:
        return site < 0;
    default:
        return false;
    }
}

static bool host_in(const qr_topology *t, int h, int site)
{
    return t->comps[h].kind == QR_COMP_HOST && t->comps[h].site == site;
}

/* Lay out the columns of container `site` (-1: the outside row) with the
 * top-left corner at (x, y); returns its inner width and height through
 * *w, *h (0 when empty). */
static void layout_container(const qr_topology *t, const comp_label *lab, int site, double x,
                             double y, qr_html_box *box, double *w, double *h)
{
    double cx = x, tallest = 0;
    for (int hst = 0; hst < t->n_comps; hst++) {
        if (!host_in(t, hst, site))
            continue;
        double cy = y + HEAD;
        for (int i = 0; i < t->n_comps; i++) {
            if (t->comps[i].kind != QR_COMP_SERVER || t->comps[i].host != hst)
                continue;
            box[i] = (qr_html_box){ cx + PAD, cy, BOX_W, leaf_height(&lab[i]) };
            cy += box[i].h + GAP;
        }
        double hh = cy - y + (cy > y + HEAD ? PAD - GAP : PAD);
        box[hst] = (qr_html_box){ cx, y, BOX_W + 2 * PAD, hh };
        tallest = hh > tallest ? hh : tallest;
        cx += BOX_W + 2 * PAD + GAP;
    }
    double cy = y;
    bool any = false;
    for (int i = 0; i < t->n_comps; i++) {
        if (!loose_in(t, i, site))
            continue;
        box[i] = (qr_html_box){ cx, cy, BOX_W, leaf_height(&lab[i]) };
        cy += box[i].h + GAP;
        any = true;
    }
    if (any) {
        tallest = cy - GAP - y > tallest ? cy - GAP - y : tallest;
        cx += BOX_W + GAP;
    }
    *w = cx > x ? cx - GAP - x : 0;
    *h = tallest;
}

/* Labels and layout together: lab[] and box[] have t->n_comps entries. */
static int layout(const qr_topology *t, comp_label *lab, qr_html_box *box, double *width,
                  double *height, char *err, size_t errlen)
{
    qr_depgraph *g = NULL;
    if (qr_depgraph_new(t, &g, err, errlen) != 0)
        return -1;
    int n_links = 0;
    for (int i = 0; i < t->n_comps; i++) {
        label_of(t, g, i, &lab[i]);
        box[i] = (qr_html_box){ 0, 0, 0, 0 };
        n_links += t->comps[i].kind == QR_COMP_LINK;
    }
    qr_depgraph_free(g);
    double top = MARGIN + (n_links ? LANE * (n_links + 1) : 0);
    double x = MARGIN, bottom = top;
    for (int s = 0; s < t->n_comps; s++) {
        if (t->comps[s].kind != QR_COMP_SITE)
            continue;
        double w, h;
        layout_container(t, lab, s, x + PAD, top + HEAD, box, &w, &h);
        if (w < BOX_W)
            w = BOX_W;
        box[s] = (qr_html_box){ x, top, w + 2 * PAD, HEAD + h + PAD };
        if (top + box[s].h > bottom)
            bottom = top + box[s].h;
        x += box[s].w + 2 * GAP;
    }
    double right = x > MARGIN ? x - 2 * GAP : MARGIN;
    double w = 0, h = 0;
    layout_container(t, lab, -1, MARGIN, bottom + GAP + HEAD, box, &w, &h);
    if (h > 0) {
        bottom += GAP + HEAD + h;
        if (MARGIN + w > right)
            right = MARGIN + w;
    }
    *width = right + MARGIN;
    *height = bottom + MARGIN;
    return 0;
}

int qr_html_topology_layout(const qr_topology *t, qr_html_box *box, double *width,
                            double *height, char *err, size_t errlen)
{
    comp_label *lab = calloc((size_t)t->n_comps + 1, sizeof(*lab));
    if (!lab) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = layout(t, lab, box, width, height, err, errlen);
    free(lab);
    return rc;
}

static void draw_text_lines(FILE *out, const comp_label *l, double x, double y)
{
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">", x, y);
    for (int k = 0; k < l->n_lines; k++) {
        fprintf(out, "<tspan x=\"%.1f\" dy=\"%s\"%s>", x, k ? "13" : "0",
                k == 0 ? " class=\"cname\"" : "");
        qr_html_escape(out, l->lines[k]);
        fputs("</tspan>", out);
    }
    fputs("</text>\n", out);
}

static void draw_leaf(FILE *out, const qr_topology *t, const comp_label *l, int i,
                      const qr_html_box *b)
{
    const qr_component *c = &t->comps[i];
    const char *cls = is_voter(l->roles) ? "voter" : l->roles ? "role" : "plain";
    fprintf(out, "<g class=\"comp %s %s%s\" id=\"c-", qr_comp_kind_name(c->kind), cls,
            qr_component_fails(c) ? "" : " nofail");
    qr_html_escape(out, c->name);
    fprintf(out, "\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%d\"/>",
            b->x, b->y, b->w, b->h,
            c->kind == QR_COMP_STORAGE || c->kind == QR_COMP_EXTERNAL_SQL ? 12 : 3);
    draw_text_lines(out, l, b->x + 6, b->y + 15);
    fputs("</g>\n", out);
}

static void draw_container(FILE *out, const qr_topology *t, int i, const qr_html_box *b)
{
    const qr_component *c = &t->comps[i];
    fprintf(out, "<g class=\"%s%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                 "rx=\"6\"/><text class=\"cname\" x=\"%.1f\" y=\"%.1f\">",
            qr_comp_kind_name(c->kind), qr_component_fails(c) ? "" : " nofail", b->x, b->y,
            b->w, b->h, b->x + 8, b->y + 15);
    fputs(qr_comp_kind_name(c->kind), out);
    fputc(' ', out);
    qr_html_escape(out, c->name);
    if (!qr_component_fails(c))
        fputs(" (never fails)", out);
    fputs("</text></g>\n", out);
}

/* Where a link's arc meets its two sites, and its lane (0 the highest). */
typedef struct {
    double xa, xb; /* x where it meets link_a's and link_b's site          */
    int    lane;
} link_geo;

/* Is link j "before" link i at site s: the order of the arcs' feet along
 * the site's top edge, left to right? Links to sites on the left come
 * first, then links to sites on the right; within each, the farther site
 * first on the right side and last on the left, so that a longer arc's
 * feet lie outside a shorter one's, and arcs that nest never cross. */
static bool foot_before(const qr_topology *t, const qr_html_box *box, int s, int j, int i)
{
    const qr_component *cj = &t->comps[j], *ci = &t->comps[i];
    int oj = cj->link_a == s ? cj->link_b : cj->link_a;
    int oi = ci->link_a == s ? ci->link_b : ci->link_a;
    double xs = box[s].x, xj = box[oj].x, xi = box[oi].x;
    bool lj = xj < xs, li = xi < xs;
    if (lj != li)
        return lj;
    if (xj != xi)
        return xj > xi; /* left side: nearer first; right side: farther first */
    return j < i;
}

/* Fill geo[i] for every link i: feet spread evenly along each site's top
 * edge in foot_before() order; lanes by span, the longest highest (ties
 * in topology order). O(links^2 + links * components). */
static void link_geometry(const qr_topology *t, const qr_html_box *box, link_geo *geo)
{
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        if (c->kind != QR_COMP_LINK || c->link_a < 0 || c->link_b < 0)
            continue;
        for (int end = 0; end < 2; end++) {
            int s = end ? c->link_b : c->link_a;
            int feet = 0, slot = 0;
            for (int j = 0; j < t->n_comps; j++) {
                const qr_component *cj = &t->comps[j];
                if (cj->kind != QR_COMP_LINK || (cj->link_a != s && cj->link_b != s) ||
                    cj->link_a < 0 || cj->link_b < 0)
                    continue;
                feet++;
                slot += j != i && foot_before(t, box, s, j, i);
            }
            double x = box[s].x + box[s].w * (slot + 1) / (feet + 1);
            if (end)
                geo[i].xb = x;
            else
                geo[i].xa = x;
        }
    }
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        if (c->kind != QR_COMP_LINK || c->link_a < 0 || c->link_b < 0)
            continue;
        double span = fabs(geo[i].xa - geo[i].xb);
        geo[i].lane = 0;
        for (int j = 0; j < t->n_comps; j++) {
            const qr_component *cj = &t->comps[j];
            if (j == i || cj->kind != QR_COMP_LINK || cj->link_a < 0 || cj->link_b < 0)
                continue;
            double sj = fabs(geo[j].xa - geo[j].xb);
            geo[i].lane += sj > span || (sj == span && j < i);
        }
    }
}

int qr_html_topology(FILE *out, const qr_topology *t, char *err, size_t errlen)
{
    int ret = -1;
    comp_label *lab = calloc((size_t)t->n_comps + 1, sizeof(*lab));
    qr_html_box *box = calloc((size_t)t->n_comps + 1, sizeof(*box));
    link_geo *geo = calloc((size_t)t->n_comps + 1, sizeof(*geo));
    double width, height;
    if (!lab || !box || !geo) {
        snprintf(err, errlen, "out of memory");
        goto cleanup;
    }
    if (layout(t, lab, box, &width, &height, err, errlen) != 0)
        goto cleanup;
    fprintf(out,
            "<svg class=\"topology\" viewBox=\"0 0 %.0f "
            "%.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"topology of ",
            width, height, width, height);
    qr_html_escape(out, t->name);
    fputs("\">\n", out);
    /* Containers first (sites, then hosts), so leaves are drawn on top. */
    for (int kind = QR_COMP_SITE; kind <= QR_COMP_HOST; kind++)
        for (int i = 0; i < t->n_comps; i++)
            if ((int)t->comps[i].kind == kind && box[i].w > 0)
                draw_container(out, t, i, &box[i]);
    /* Links: arcs over the top, nested like brackets (link_geometry). */
    link_geometry(t, box, geo);
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        if (c->kind != QR_COMP_LINK || c->link_a < 0 || c->link_b < 0)
            continue;
        double xa = geo[i].xa, xb = geo[i].xb, ytop = box[c->link_a].y;
        double yl = MARGIN + LANE * (geo[i].lane + 1);
        fprintf(out,
                "<g class=\"link%s\"><path d=\"M %.1f %.1f V %.1f H %.1f V %.1f\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">link ",
                qr_component_fails(c) ? "" : " nofail", xa, ytop, yl, xb, ytop, (xa + xb) / 2,
                yl - 3);
        qr_html_escape(out, c->name);
        fputs("</text></g>\n", out);
    }
    bool outside = false;
    for (int i = 0; i < t->n_comps; i++) {
        int k = t->comps[i].kind;
        if (k == QR_COMP_SITE || k == QR_COMP_HOST || k == QR_COMP_LINK || box[i].w <= 0)
            continue;
        draw_leaf(out, t, &lab[i], i, &box[i]);
        if (t->comps[i].site < 0 && t->comps[i].host < 0 && !outside) {
            outside = true;
            fprintf(out, "<text class=\"cname\" x=\"%.1f\" y=\"%.1f\">outside the sites</text>\n",
                    box[i].x, box[i].y - 6);
        }
    }
    fputs("</svg>\n", out);
    int seeds = qr_pool_seed_count(t->pool.version, t->pool.n_frontends);
    fputs("<p class=\"legend\"><span class=\"key voter\"></span> votes in a quorum (seed front "
          "end, SQL witness, voting cluster node or witness) "
          "<span class=\"key role\"></span> other pool role "
          "<span class=\"key plain\"></span> no pool role "
          "<span class=\"key nofail\"></span> never fails in this model",
          out);
    if (seeds > 0 && seeds % 2 == 0 && qr_pool_backend_votes(t))
        fprintf(out, "; with %d seed front ends the Back End also votes in pool quorum (M1.2)",
                seeds);
    fputs("</p>\n", out);
    ret = 0;
cleanup:
    free(lab);
    free(box);
    free(geo);
    return ret;
}
