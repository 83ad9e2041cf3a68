/*
 * site_links.c: which sites are joined by a path of running links, the one
 * union-find that the failover clusters (cluster.c, M4.2) and the pool and
 * SQL mirroring across site partitions (pool_partition.c, M1.2, M3.2)
 * both read. A site's root is the smallest index of its connected group.
 */
#include "sim/state.h"

/* The root of s, halving the path on the way. */
static int site_root(int *root, int s)
{
    while (root[s] != s)
        s = root[s] = root[root[s]];
    return s;
}

void sim_site_roots(const sim_engine *e, const int *sites, int n_sites, const int *links,
                    int n_links, int *root)
{
    for (int k = 0; k < n_sites; k++)
        root[sites[k]] = sites[k];
    for (int k = 0; k < n_links; k++) {
        const qr_component *l = &e->t->comps[links[k]];
        if (!sim_up(e, links[k]) || l->link_a < 0 || l->link_b < 0 ||
            l->link_a >= e->n_comps || l->link_b >= e->n_comps || !sim_up(e, l->link_a) ||
            !sim_up(e, l->link_b))
            continue;
        int ra = site_root(root, l->link_a), rb = site_root(root, l->link_b);
        if (ra < rb)
            root[rb] = ra;
        else if (rb < ra)
            root[ra] = rb;
    }
    for (int k = 0; k < n_sites; k++)
        root[sites[k]] = site_root(root, sites[k]);
}
