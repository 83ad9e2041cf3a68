/*
 * latent.c: the latent faults of a topology (M7.3, topology.h): freeing
 * them, and appending a copy of one, with its members resolved for this
 * design when an assumptions file gives them by role (`members:
 * frontends` or `servers`).
 */
#include "model/topology.h"

#include <stdlib.h>
#include <string.h>

void qr_latent_fault_release(qr_latent_fault *f)
{
    if (!f)
        return;
    free(f->name);
    free(f->members);
    free(f->member_locs);
    free(f->features);
    memset(f, 0, sizeof(*f));
}

void qr_topology_free_latent(qr_topology *t)
{
    for (int i = 0; i < t->n_latent; i++)
        qr_latent_fault_release(&t->latent[i]);
    free(t->latent);
    t->latent = NULL;
    t->n_latent = 0;
}

/* The servers of role `kind` in t, into members (t->n_comps entries);
 * returns their count. A fault that names features keeps only front ends:
 * features are broken for the users a front end serves. */
static int resolve(const qr_topology *t, const qr_latent_fault *f, int *members)
{
    int n = 0;
    if (f->member_kind == QR_LF_MEMBERS_LISTED) {
        for (int i = 0; i < f->n_members; i++)
            members[n++] = f->members[i];
        return n;
    }
    char *full = calloc((size_t)t->n_comps + 1, 1);
    if (!full)
        return -1;
    if (f->member_kind == QR_LF_MEMBERS_SERVERS && f->breaks_server)
        qr_topology_mark_full_servers(t, full);
    for (int i = 0; i < t->pool.n_frontends; i++)
        full[t->pool.frontends[i]] = 1;
    for (int i = 0; i < t->n_comps; i++)
        if (full[i] && t->comps[i].kind == QR_COMP_SERVER)
            members[n++] = i;
    free(full);
    return n;
}

int qr_topology_add_latent(qr_topology *t, const qr_latent_fault *f)
{
    qr_latent_fault *grown = realloc(t->latent, sizeof(*grown) * ((size_t)t->n_latent + 1));
    if (!grown)
        return -1;
    t->latent = grown;
    qr_latent_fault *d = &t->latent[t->n_latent];
    *d = *f;
    d->name = strdup(f->name ? f->name : "");
    d->members = malloc(sizeof(int) * ((size_t)t->n_comps + 1));
    d->member_locs = calloc((size_t)t->n_comps + 1, sizeof(qr_loc));
    d->features = malloc(sizeof(int) * ((size_t)f->n_features + 1));
    int n = (d->members && d->member_locs) ? resolve(t, f, d->members) : -1;
    if (!d->name || n < 0 || !d->features) {
        qr_latent_fault_release(d);
        return -1;
    }
    d->n_members = n;
    if (f->member_kind == QR_LF_MEMBERS_LISTED && f->member_locs)
        memcpy(d->member_locs, f->member_locs, sizeof(qr_loc) * (size_t)n);
    if (f->n_features > 0)
        memcpy(d->features, f->features, sizeof(int) * (size_t)f->n_features);
    if (f->member_kind != QR_LF_MEMBERS_LISTED)
        d->role = f->member_kind; /* M10: each pool's view resolves it again */
    d->member_kind = QR_LF_MEMBERS_LISTED;
    t->n_latent++;
    return 0;
}
