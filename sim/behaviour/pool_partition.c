/*
 * pool_partition.c: site partitions as the pool (M1, M2) and SQL mirroring
 * (M3.2, M3.3) see them, for topologies that declare links between sites.
 *
 * Two sites are connected while a path of links that are up joins them
 * through sites that are up (transit through a third site counts), the
 * same rule as the failover clusters' (cluster.c). A component's site is
 * its own or its host's; a component without a site reaches every site.
 *
 * The pool's side (M1.2 on each side): every front end has a site, and
 * the sites split, so each side counts its own running seeds, and the Back
 * End's tie-break vote (when the counted seeds are even) goes to the side
 * that reaches the Back End's server (the principal, the AlwaysOn
 * primary's node, the FCI's owner). The side with the most votes is the
 * pool's side (ties: the side of the first running seed in topology
 * order); a front end running outside it is cut off: to the fabric and
 * the routing groups it is lost as if it had crashed (M1.4: it stays
 * counted, so only a side with a majority of the counted votes keeps the
 * pool), and it comes back when the sites join again. The pool sees the
 * Back End (e->be_seen) while it serves and its server is on the pool's
 * side; the features that need the Back End, its grace (M3.5), its vote
 * and the R = 2 tie-break (M2.2) follow e->be_seen.
 *
 * Everything here is recomputed from the component states in the Back End
 * module's settle (backend.c): the sites first, before the back end's
 * variant decides (mirroring asks sim_partition_reach), the pool's side
 * after it. Without links (e->part NULL) nothing is ever cut and
 * e->be_seen is e->be_serving.
 */
#include "sim/state.h"

#include <stdlib.h>
#include <string.h>

/* The site of component i: itself when a site, else up its containers. */
static int site_of(const sim_engine *e, int i)
{
    for (int k = 0; i >= 0 && k < 4; k++) {
        if (e->t->comps[i].kind == QR_COMP_SITE)
            return i;
        int up = e->parent[i];
        if (up < 0)
            return e->t->comps[i].site; /* a link or a siteless component */
        i = up;
    }
    return -1;
}

void sim_partition_free(sim_partition *p)
{
    if (!p)
        return;
    free(p->sites);
    free(p->links);
    free(p->root);
    free(p->comp_site);
    free(p->cut);
    free(p->flip);
    free(p);
}

int sim_partition_new(sim_engine *e)
{
    const qr_topology *t = e->t;
    int n_links = 0;
    for (int i = 0; i < t->n_comps; i++)
        n_links += t->comps[i].kind == QR_COMP_LINK;
    e->part = NULL;
    if (n_links == 0)
        return 0;
    sim_partition *p = calloc(1, sizeof(*p));
    if (!p)
        return -1;
    size_t n1 = (size_t)t->n_comps + 1;
    p->sites = malloc(sizeof(int) * n1);
    p->links = malloc(sizeof(int) * n1);
    p->root = malloc(sizeof(int) * n1);
    p->comp_site = malloc(sizeof(int) * n1);
    p->cut = calloc((size_t)e->n_fe + 1, 1);
    p->flip = calloc((size_t)e->n_fe + 1, 1);
    if (!p->sites || !p->links || !p->root || !p->comp_site || !p->cut || !p->flip) {
        sim_partition_free(p);
        return -1;
    }
    for (int i = 0; i < t->n_comps; i++) {
        if (t->comps[i].kind == QR_COMP_SITE)
            p->sites[p->n_sites++] = i;
        else if (t->comps[i].kind == QR_COMP_LINK)
            p->links[p->n_links++] = i;
        p->comp_site[i] = site_of(e, i);
        p->root[i] = p->comp_site[i];
    }
    p->applies = e->n_fe > 0;
    for (int fe = 0; fe < e->n_fe; fe++)
        if (p->comp_site[t->pool.frontends[fe]] < 0)
            p->applies = false; /* a front end everywhere: no side */
    p->side = -1;
    p->be_reach = true;
    e->part = p;
    return 0;
}

void sim_partition_copy(sim_partition *dst, const sim_partition *src, int n_comps, int n_fe)
{
    if (!dst || !src)
        return;
    memcpy(dst->root, src->root, sizeof(int) * (size_t)n_comps);
    memcpy(dst->cut, src->cut, (size_t)n_fe);
    dst->side = src->side;
    dst->be_reach = src->be_reach;
}

void sim_partition_begin(sim_engine *e)
{
    sim_partition *p = e->part;
    if (!p)
        return;
    for (int k = 0; k < p->n_sites; k++)
        p->root[p->sites[k]] = p->sites[k];
    memset(p->cut, 0, (size_t)e->n_fe);
    p->side = -1;
    p->be_reach = true;
}

void sim_partition_sites(sim_engine *e)
{
    sim_partition *p = e->part;
    if (!p)
        return;
    sim_site_roots(e, p->sites, p->n_sites, p->links, p->n_links, p->root);
}

/* The partition key of component i: its site's root, -1 for everywhere. */
static int key_of(const sim_partition *p, int i)
{
    if (i < 0)
        return -1;
    int s = p->comp_site[i];
    return s < 0 ? -1 : p->root[s];
}

bool sim_engine_frontend_cut(const sim_engine *e, int fe)
{
    if (!e->part || fe < 0 || fe >= e->n_fe)
        return false;
    return e->part->cut[fe] && sim_up(e, e->t->pool.frontends[fe]);
}

bool sim_partition_reach(const sim_engine *e, int a, int b)
{
    const sim_partition *p = e->part;
    if (!p || a < 0 || b < 0)
        return true;
    int ka = key_of(p, a), kb = key_of(p, b);
    return ka < 0 || kb < 0 || ka == kb;
}

/* Votes of the side with key `key` (M1.2): its running seeds, and the Back
 * End when the counted seeds are even and it serves on that side. */
static int side_votes(const sim_engine *e, const sim_partition *p, int key, bool be_vote,
                      int be_key)
{
    int votes = 0;
    for (int fe = 0; fe < e->n_seeds; fe++) {
        int c = e->t->pool.frontends[fe];
        if (sim_up(e, c) && key_of(p, c) == key)
            votes++;
    }
    if (be_vote && (be_key < 0 || be_key == key))
        votes++;
    return votes;
}

void sim_partition_pool(sim_engine *e)
{
    sim_partition *p = e->part;
    if (!p || !p->applies) {
        e->be_seen = e->be_serving;
        return;
    }
    p->be_reach = true; /* set below */
    const int *fes = e->t->pool.frontends;
    int be_key = key_of(p, e->be_principal);
    bool be_vote = e->be_serving && e->seeds_counted % 2 == 0 && qr_pool_backend_votes(e->t);
    /* The side with the most votes; the first running seed's side wins a
     * tie (sides are visited in the order of their first running seed). */
    int side = -1, best = -1;
    for (int fe = 0; fe < e->n_seeds; fe++) {
        int c = fes[fe];
        if (!sim_up(e, c))
            continue;
        int key = key_of(p, c);
        bool seen = false;
        for (int g = 0; g < fe && !seen; g++)
            seen = sim_up(e, fes[g]) && key_of(p, fes[g]) == key;
        if (seen)
            continue;
        int v = side_votes(e, p, key, be_vote, be_key);
        if (v > best) {
            best = v;
            side = key;
        }
    }
    p->side = side;
    /* Cut flags first, then tell the fabric and routing (a front end's
     * view changes only while it runs). */
    for (int fe = 0; fe < e->n_fe; fe++) {
        bool cut = side >= 0 && key_of(p, fes[fe]) != side;
        p->flip[fe] = cut != (p->cut[fe] != 0) && sim_up(e, fes[fe]);
        p->cut[fe] = cut;
    }
    for (int fe = 0; fe < e->n_fe; fe++) {
        if (!p->flip[fe])
            continue;
        int now = p->cut[fe] ? SIM_DOWN_UNEXPECTED : SIM_UP;
        int old = p->cut[fe] ? SIM_UP : SIM_DOWN_UNEXPECTED;
        sim_fabric_fe_changed(e, fe, old, now);
        sim_routing_fe_changed(e, fe, old, now);
    }
    p->be_reach = side < 0 || be_key < 0 || be_key == side;
    e->be_seen = e->be_serving && p->be_reach;
}
