/*
 * cuts_pairing.c: exact availability and minimal cut sets of every row of
 * a paired design (cuts_pairing.h), from the paired structure
 * (exact_pairing.h).
 */
#include "exact/cuts_pairing.h"

#include <stdlib.h>
#include <string.h>

#include "exact/exact_pairing.h"
#include "util/err.h"

void sim_pairing_analysis_release(sim_pairing_analysis *a)
{
    if (!a)
        return;
    if (a->cuts)
        for (int i = 0; i < a->n_rows * a->max_k; i++)
            free(a->cuts[i].sets);
    free(a->cuts);
    free(a->avail);
    free(a->unavail);
    memset(a, 0, sizeof(*a));
}

/* Rows below 1 with the components set[0..k-1] down, everything else up. */
static void eval_down(sim_pstructure *s, unsigned char *up, int nc, const int *set, int k,
                      double *rows)
{
    memset(up, 1, (size_t)nc + 1);
    for (int j = 0; j < k; j++)
        up[set[j]] = 0;
    sim_pstructure_eval(s, up, rows);
}

static long choose(int n, int k)
{
    long c = 1;
    for (int i = 1; i <= k; i++) {
        c = c * (n - k + i) / i;
        if (c > 2000000000L)
            return 2000000000L;
    }
    return c;
}

int sim_pairing_analyze(const qr_topology *t, int max_k, long max_combinations,
                        sim_pairing_analysis *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (max_k < 1)
        max_k = 1;
    if (max_k > SIM_PCUTS_MAX_K)
        max_k = SIM_PCUTS_MAX_K;
    int nr = t->n_features + 1, nc = t->n_comps;
    out->n_rows = nr;
    out->max_k = max_k;
    out->avail = calloc((size_t)nr, sizeof(double));
    out->unavail = calloc((size_t)nr, sizeof(double));
    out->cuts = calloc((size_t)nr * (size_t)max_k, sizeof(sim_pcuts));
    if (!out->avail || !out->unavail || !out->cuts) {
        qr_err_set(err, errlen, "out of memory");
        sim_pairing_analysis_release(out);
        return -1;
    }
    int rc = sim_exact_pairing(t, out->avail, out->unavail, NULL, err, errlen);
    if (rc != 0) {
        sim_pairing_analysis_release(out);
        return rc;
    }
    sim_pstructure *s = sim_pstructure_new(t, err, errlen);
    unsigned char *up = malloc((size_t)nc + 1), *rel = malloc((size_t)nc + 1);
    int *var = malloc(((size_t)nc + 1) * sizeof(int));
    double *rows = malloc((size_t)nr * sizeof(double));
    double *sub = malloc((size_t)nr * sizeof(double));
    int *cap = calloc((size_t)nr * (size_t)max_k, sizeof(int));
    int ret = -1;
    if (!s) /* err says why (a design it cannot take: common-cause groups) */
        goto cleanup;
    if (!up || !rel || !var || !rows || !sub || !cap) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }
    sim_pstructure_relevant(s, rel);
    int n = 0;
    for (int c = 0; c < nc; c++)
        if (rel[c])
            var[n++] = c;
    out->n_relevant = n;
    for (int k = 1; k <= max_k && k <= n; k++) {
        if (choose(n, k) > max_combinations) {
            for (int r = 0; r < nr; r++)
                out->cuts[r * max_k + k - 1].n = -1;
            continue;
        }
        int idx[SIM_PCUTS_MAX_K], set[SIM_PCUTS_MAX_K], subset[SIM_PCUTS_MAX_K];
        for (int j = 0; j < k; j++)
            idx[j] = j;
        for (;;) {
            for (int j = 0; j < k; j++)
                set[j] = var[idx[j]];
            eval_down(s, up, nc, set, k, rows);
            for (int r = 0; r < nr; r++) {
                if (rows[r] >= 1.0)
                    continue;
                /* Minimal: no proper subset is a cut. The paired structure
                 * is not monotone (a home pool that stops sends its users
                 * to the backup, which may serve a feature the home pool
                 * lacked), so every proper subset is tried, not only the
                 * (k-1)-subsets. */
                bool minimal = true;
                for (unsigned mask = 1; mask + 1 < (1u << k) && minimal; mask++) {
                    int m = 0;
                    for (int j = 0; j < k; j++)
                        if (mask & (1u << j))
                            subset[m++] = set[j];
                    eval_down(s, up, nc, subset, m, sub);
                    minimal = sub[r] >= 1.0;
                }
                if (!minimal)
                    continue;
                sim_pcuts *c = &out->cuts[r * max_k + k - 1];
                int *room = &cap[r * max_k + k - 1];
                if (c->n == *room) {
                    int grow = *room ? 2 * *room : 8;
                    int *p = realloc(c->sets, (size_t)grow * (size_t)k * sizeof(int));
                    if (!p) {
                        qr_err_set(err, errlen, "out of memory");
                        goto cleanup;
                    }
                    c->sets = p;
                    *room = grow;
                }
                memcpy(&c->sets[c->n * k], set, (size_t)k * sizeof(int));
                c->n++;
            }
            int j = k - 1;
            while (j >= 0 && idx[j] == n - k + j)
                j--;
            if (j < 0)
                break;
            idx[j]++;
            for (int m = j + 1; m < k; m++)
                idx[m] = idx[m - 1] + 1;
        }
    }
    ret = 0;
cleanup:
    sim_pstructure_free(s);
    free(up);
    free(rel);
    free(var);
    free(rows);
    free(sub);
    free(cap);
    if (ret != 0)
        sim_pairing_analysis_release(out);
    return ret;
}
