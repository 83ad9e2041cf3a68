/*
 * input_kind.c: the top-level keys of a topology, a requirements file and
 * an assumptions file (input_kind.h), the guess of which one a document
 * is from its keys, and the loaders' check that reports a file given in
 * the wrong place once (P011), at its first telling key, instead of one
 * unknown-key error per key.
 */
#include "model/input_kind.h"

#include <stdio.h>
#include <string.h>

#include "model/loader_internal.h"

static const char *const topology_keys[] = {
    "name", "notation", "defaults", "sites", "hosts", "servers",
    "storage", "links", "clusters", "pool", "fabric", "operations",
    "patching", "features", "costs", "common_cause", "virtualization", "latent_faults",
    "pools", "pairing", NULL,
};

static const char *const requirements_keys[] = {
    "targets", "users", "sites", "budget", "existing_sql_ha", "version", "server",
    "site", "link", "quorum_reset_after", "costs", "simulation", "allow_unsupported", NULL,
};

static const char *const assumptions_keys[] = {
    "name", "site", "host", "server", "storage", "link", "cloud_witness", "fabric",
    "operations", "patching", "backend", "file_store", "cluster", "sources",
    "defaults", "common_cause", "latent_faults", "pairing", NULL,
};

const char *const *qr_input_keys(qr_input_kind k)
{
    switch (k) {
    case QR_INPUT_TOPOLOGY: return topology_keys;
    case QR_INPUT_REQUIREMENTS: return requirements_keys;
    case QR_INPUT_ASSUMPTIONS: return assumptions_keys;
    case QR_INPUT_KIND_COUNT: break;
    }
    return NULL;
}

int qr_input_has_key(qr_input_kind k, const char *key, size_t len)
{
    const char *const *keys = qr_input_keys(k);
    for (int i = 0; keys && keys[i]; i++)
        if (strlen(keys[i]) == len && memcmp(keys[i], key, len) == 0)
            return 1;
    return 0;
}

/* Keys of y that `as` does not have, among keys[]: how many. */
static int typical(const char *const *keys, const size_t *lens, int n, qr_input_kind y,
                   qr_input_kind as)
{
    int count = 0;
    for (int i = 0; i < n; i++)
        count += qr_input_has_key(y, keys[i], lens[i]) && !qr_input_has_key(as, keys[i], lens[i]);
    return count;
}

unsigned qr_input_kind_guess(const char *const *keys, const size_t *lens, int n,
                             qr_input_kind as)
{
    bool unknown = false;
    for (int i = 0; i < n; i++)
        unknown |= !qr_input_has_key(as, keys[i], lens[i]);
    if (!unknown)
        return 0;
    unsigned bits = 0;
    int best = 0;
    for (int y = 0; y < QR_INPUT_KIND_COUNT; y++) {
        if (y == (int)as)
            continue;
        int theirs = typical(keys, lens, n, (qr_input_kind)y, as);
        int ours = typical(keys, lens, n, as, (qr_input_kind)y);
        if (theirs == 0 || ours > 0 || theirs < best)
            continue;
        if (theirs > best)
            bits = 0;
        best = theirs;
        bits |= 1u << y;
    }
    return bits;
}

const char *qr_input_kind_name(qr_input_kind k)
{
    switch (k) {
    case QR_INPUT_TOPOLOGY: return "a topology";
    case QR_INPUT_REQUIREMENTS: return "a requirements file for `quorate plan`";
    case QR_INPUT_ASSUMPTIONS: return "an assumptions file for --assume";
    case QR_INPUT_KIND_COUNT: break;
    }
    return "?";
}

const char *qr_input_kind_use(qr_input_kind k)
{
    switch (k) {
    case QR_INPUT_TOPOLOGY: return "check it with `quorate check FILE`";
    case QR_INPUT_REQUIREMENTS: return "give it to `quorate plan FILE`";
    case QR_INPUT_ASSUMPTIONS: return "give it with --assume FILE";
    case QR_INPUT_KIND_COUNT: break;
    }
    return "?";
}

/* ---- the loaders' check (loader_internal.h) ---- */

/* At most this many top-level keys are looked at (a real file has ~15). */
#define MAX_KEYS 64
/* At most this many telling keys are named in the message. */
#define MAX_NAMED 3

bool ld_wrong_input_kind(ld_ctx *c, const ld_map *root, qr_input_kind as)
{
    const char *keys[MAX_KEYS];
    size_t lens[MAX_KEYS];
    yaml_node_t *nodes[MAX_KEYS];
    int n = 0;
    for (yaml_node_pair_t *p = root->map->data.mapping.pairs.start;
         p < root->map->data.mapping.pairs.top && n < MAX_KEYS; p++) {
        yaml_node_t *k = ld_node(c, p->key);
        if (!k || k->type != YAML_SCALAR_NODE)
            continue;
        const char *text = (const char *)k->data.scalar.value;
        if (k->data.scalar.length >= 2 && strncmp(text, "x-", 2) == 0)
            continue; /* anchors: any kind */
        keys[n] = text;
        lens[n] = k->data.scalar.length;
        nodes[n++] = k;
    }
    unsigned bits = qr_input_kind_guess(keys, lens, n, as);
    if (!bits)
        return false;
    /* "a requirements file for `quorate plan`" or "... or an assumptions
     * file (--assume)", and how to use it. */
    char looks[256] = "", use[256] = "", told[160] = "";
    qr_input_kind first = QR_INPUT_KIND_COUNT;
    for (int y = 0; y < QR_INPUT_KIND_COUNT; y++) {
        if (!(bits & (1u << y)))
            continue;
        if (first == QR_INPUT_KIND_COUNT)
            first = (qr_input_kind)y;
        size_t l = strlen(looks), u = strlen(use);
        snprintf(looks + l, sizeof(looks) - l, "%s%s", l ? " or " : "",
                 qr_input_kind_name((qr_input_kind)y));
        snprintf(use + u, sizeof(use) - u, "%s%s", u ? " or " : "",
                 qr_input_kind_use((qr_input_kind)y));
    }
    /* The keys that gave it away: typical of the first kind guessed. */
    int named = 0, telling = 0;
    qr_loc at = root->loc;
    for (int i = 0; i < n; i++) {
        if (!qr_input_has_key(first, keys[i], lens[i]) || qr_input_has_key(as, keys[i], lens[i]))
            continue;
        if (telling++ == 0)
            at = qr_yaml_loc(nodes[i]);
        if (named < MAX_NAMED) {
            char ex[40];
            size_t l = strlen(told);
            snprintf(told + l, sizeof(told) - l, "%s'%s'", named ? ", " : "",
                     ld_excerpt(nodes[i], ex, sizeof(ex)));
            named++;
        }
    }
    ld_error(c, at, QR_RULE_P011, "this looks like %s, not %s (it has %s%s and none of %s's own "
             "keys): %s", looks, qr_input_kind_name(as), told, telling > named ? " ..." : "",
             as == QR_INPUT_TOPOLOGY       ? "a topology"
             : as == QR_INPUT_REQUIREMENTS ? "a requirements file"
                                           : "an assumptions file",
             use);
    return true;
}
