/*
 * rules_latent.c: the design rules about latent faults (LF, M7.3-M7.5).
 *
 * LF001: a common latent fault on every front end of a pool whose front
 * ends are all patched, without verification after each patch reboot: one
 * patch night reboots them all into it. A fault that breaks the whole
 * server is caught by M7.2 instead (a member down stops the night), unless
 * patching.skip_if_unhealthy is off. Only the design's own latent faults
 * are checked (an assumptions file's are the world's, and their place is
 * in that file).
 */
#include "check/rules_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static bool on_every_patched_frontend(const qr_topology *t, const qr_latent_fault *f)
{
    const qr_pool *p = &t->pool;
    if (p->n_frontends < 2)
        return false;
    for (int i = 0; i < p->n_frontends; i++) {
        int fe = p->frontends[i];
        bool member = false;
        for (int j = 0; j < f->n_members; j++)
            member |= f->members[j] == fe;
        if (!member || !t->comps[fe].patch.enabled)
            return false;
    }
    return true;
}

void rules_check_latent(const qr_topology *t, qr_diags *d)
{
    if (t->latent_practice.verify_after_reboot)
        return;
    for (int k = 0; k < t->n_latent; k++) {
        const qr_latent_fault *f = &t->latent[k];
        /* The design's own faults: one an assumptions file gives has its
         * place in that file, not in the design's. */
        if (f->from != QR_FROM_DESIGN || !f->common || (!isfinite(f->every) && f->at < 0) ||
            !on_every_patched_frontend(t, f))
            continue;
        if (f->breaks_server && t->params.patch_skip_if_unhealthy)
            continue; /* M7.2 stops the night at the first server down */
        char what[256] = "";
        size_t o = 0;
        for (int i = 0; i < f->n_features && o < sizeof(what); i++)
            o += (size_t)snprintf(what + o, sizeof(what) - o, "%s%s", i ? ", " : "",
                                  t->features[f->features[i]].name);
        if (f->breaks_server)
            rules_emit(d, QR_RULE_LF001, f->loc,
                       "latent fault '%s' lands on every front end at once and a patch night "
                       "restarts them all without verification: it can stop every front end",
                       f->name);
        else
            rules_emit(d, QR_RULE_LF001, f->loc,
                       "latent fault '%s' lands on every front end at once and a patch night "
                       "restarts them all without verification: it can take %s from every user",
                       f->name, what);
    }
}
