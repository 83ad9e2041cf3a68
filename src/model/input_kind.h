/*
 * input_kind.h: the three YAML files quorate reads (a topology, the
 * planner's requirements, an assumptions file) and their top-level keys,
 * in one place, so that a loader given the wrong one can say so once
 * (rule P011) instead of listing every key it does not know.
 *
 * The key lists are the loaders' own (loader.c, requirements_load.c,
 * assumptions_load.c check the top level against them). No allocation,
 * no state.
 */
#ifndef QR_INPUT_KIND_H
#define QR_INPUT_KIND_H

#include <stddef.h>

typedef enum {
    QR_INPUT_TOPOLOGY,     /* a design: check, simulate, compare, ...      */
    QR_INPUT_REQUIREMENTS, /* `quorate plan REQUIREMENTS.yaml`             */
    QR_INPUT_ASSUMPTIONS,  /* `--assume FILE`                              */
    QR_INPUT_KIND_COUNT
} qr_input_kind;

/* The top-level keys of kind k, NULL-ended (besides them a topology and an
 * assumptions file take any `x-...` key, a place for anchors). */
const char *const *qr_input_keys(qr_input_kind k);

/* Is key (len bytes, not NUL-ended) a top-level key of kind k? */
int qr_input_has_key(qr_input_kind k, const char *key, size_t len);

/* Which other kinds the top-level keys[0..n-1] (lens[i] bytes each) look
 * like, when the file was given as `as`: a bit (1u << kind) for every other
 * kind Y such that some key is not one of `as`'s, some key is one of Y's
 * and not `as`'s (typical of Y), and no key is one of `as`'s and not Y's
 * (typical of `as`). Only the kinds with the most typical keys are kept,
 * so two bits only on a tie. 0 when the keys fit `as` or look like nothing
 * else. O(n * keys). */
unsigned qr_input_kind_guess(const char *const *keys, const size_t *lens, int n,
                             qr_input_kind as);

/* "a topology", "a requirements file for `quorate plan`", "an assumptions
 * file for --assume". */
const char *qr_input_kind_name(qr_input_kind k);

/* What to do with a file of kind k: "check it with `quorate check FILE`",
 * "give it to `quorate plan FILE`", "give it with --assume FILE". */
const char *qr_input_kind_use(qr_input_kind k);

#endif
