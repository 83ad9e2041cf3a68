/*
 * loader_internal.h: what the loader's files share (loader.c,
 * loader_util.c, loader_components.c, loader_clusters.c, loader_pool.c,
 * loader_extras.c). Not a public header: only loader*.c include it, and
 * the readers of the other input files with the same tools: scenario.c,
 * the planner's requirements_load.c and plan_candidates.c, and
 * assumptions_load.c.
 *
 * The walk keeps one context: the document, the topology being filled,
 * the diagnostics, the per-kind component templates (built-in defaults
 * overridden by `defaults:`) and a hash table of every component and
 * cluster name, so that name checks and references are O(1).
 */
#ifndef QR_LOADER_INTERNAL_H
#define QR_LOADER_INTERNAL_H

#include <stdbool.h>
#include <yaml.h>

#include "model/diag.h"
#include "model/input_kind.h"
#include "model/topology.h"
#include "model/yaml_doc.h"

/* Past this many errors in one file, "did you mean" suggestions (costly)
 * are no longer looked for; the diagnostics list stores at most
 * QR_DIAGS_MAX_ERRORS. */
#define LD_MAX_ERRORS 1000
/* Most entries of `features:` (real designs have a handful). */
#define LD_MAX_FEATURES 256

/* Defaults for the components of one kind. */
typedef struct {
    qr_dist  failure;
    qr_dist  repair;
    qr_patch patch;
    double   cost;
    bool     has_mtbf; /* external: `defaults.external.mtbf` was given   */
    qr_given given[QR_PART_COUNT]; /* which layer gave each part         */
} ld_template;

/* One entry of the name table: a component (cluster < 0) or a cluster. */
typedef struct {
    const char *name;   /* points into the topology (not owned)          */
    int         comp;   /* component index, or -1                        */
    int         cluster;/* cluster index, or -1                          */
    int         line;   /* where it was declared                         */
} ld_name;

typedef struct ld_ctx {
    qr_yaml_doc *y;
    qr_topology *t;
    qr_diags    *d;
    int          errors;      /* errors found, stored or not            */
    int          oom;         /* an allocation failed                   */
    int          comps_cap;
    int          clusters_cap;
    ld_template  defaults[QR_COMP_KIND_COUNT];
    ld_name     *names;       /* open addressing, power-of-two size     */
    size_t       names_cap;
    size_t       n_names;
    /* Uncertain values (model/uncertain.h): a duration given as a range
     * mapping ({ low, high } or { median, error_factor }) is read by this
     * hook, which stores *out = its point value and returns 0 (-1 after
     * reporting an error). NULL (topologies, scenarios, requirements): a
     * range is an error. Only the assumptions loader sets it; range_ctx
     * stays set while a part that takes no range (latent faults) has the
     * hook off, and the error then says so. */
    int        (*range)(struct ld_ctx *c, const yaml_node_t *n, const char *key,
                        double *out);
    void        *range_ctx;
    /* Where a range being read belongs when it is not a kind's figure or a
     * timing (model/uncertain.h): range_target a qr_uncertain_target
     * (0: the walk's own), range_index the entry (the count read so far),
     * range_field its value (a factor's index; QR_UNC_LATENT_EVERY or
     * _FIX), range_name the entry's name. Set by the common_cause and
     * latent_faults readers around each read. */
    int          range_target;
    int          range_index;
    int          range_field;
    const char  *range_name;
} ld_ctx;

/* A mapping being read, with the words that name it in messages. */
typedef struct {
    yaml_node_t *map;   /* a YAML_MAPPING_NODE                           */
    const char  *what;  /* "'pool'", "server 's1'", ...                  */
    qr_loc       loc;   /* where missing keys are reported               */
    char         buf[64]; /* holds `what` when ld_sub_map() wrote it;    */
                          /* so an ld_map must not be copied after that  */
} ld_map;

/* ---- loader_util.c: the document, diagnostics, node access, values ---- */

/* What a reader does with the root of its document (arg: its own state). */
typedef void (*ld_read_fn)(ld_ctx *c, yaml_node_t *root, void *arg);

/* The body every reader of a YAML input shares (topology, assumptions,
 * requirements, scenario): parse text[0..len-1] as one document (syntax
 * errors into c->d), hand its root to read(c, root, arg), and judge. The
 * caller sets c->d (and c->t for a topology) and zeroes the rest; the name
 * table is freed before returning. Returns 0; 1 when the input has errors
 * (found here or by read); 2 when memory ran out (reported as a P010
 * error). The caller sorts the diagnostics. */
int ld_read_document(ld_ctx *c, const char *text, size_t len, ld_read_fn read, void *arg);


void ld_error(ld_ctx *c, qr_loc loc, qr_rule_id rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void *ld_alloc(ld_ctx *c, size_t n, size_t size);   /* calloc; flags OOM */
yaml_node_t *ld_node(ld_ctx *c, int id);
/* A short, printable, quoted-safe excerpt of a scalar into buf. */
const char *ld_excerpt(const yaml_node_t *n, char *buf, size_t size);
/* "a mapping", "a sequence", or "'text'" (into buf). */
const char *ld_got(const yaml_node_t *n, char *buf, size_t size);
/* P003 unless n has type `type`; returns 0 when it has. */
int ld_expect(ld_ctx *c, const yaml_node_t *n, yaml_node_type_t type,
              const char *what);
/* True when n is a mapping with a key of an uncertain value ('low',
 * 'high', 'median', 'error_factor'): a range, not a distribution mapping. */
bool ld_is_range(ld_ctx *c, const yaml_node_t *n);
/* A range n in place of the value `key`: read by the ctx's range hook
 * (*out its point value, 0), or an error saying where ranges are allowed
 * (-1). */
int ld_range(ld_ctx *c, const yaml_node_t *n, const char *key, double *out);
/* True for an empty plain scalar (`key:` with nothing after it). */
bool ld_is_empty(const yaml_node_t *n);
/* Report unknown and non-scalar keys of m against `allowed` (NULL-ended). */
void ld_check_keys(ld_ctx *c, const ld_map *m, const char *const *allowed);
/* The same; with allow_x, keys starting with "x-" are accepted too (the
 * top level's place for anchors). */
void ld_check_keys_ext(ld_ctx *c, const ld_map *m, const char *const *allowed,
                       bool allow_x);
/* Value of `key` in m (first occurrence), or NULL; *key_loc when found. */
yaml_node_t *ld_get(ld_ctx *c, const ld_map *m, const char *key,
                    qr_loc *key_loc);
/* As ld_get, but P005 when missing. */
yaml_node_t *ld_require(ld_ctx *c, const ld_map *m, const char *key,
                        qr_loc *key_loc);
/* Open the value of `key` in m as a mapping into *sub (what = "'key'",
 * kept in sub->buf).
 * Returns 1 when present and a mapping, 0 when absent, -1 on P003. */
int ld_sub_map(ld_ctx *c, const ld_map *m, const char *key, ld_map *sub);

/* Scalar values: each reports P003/P004 itself and returns 0 or -1. */
int ld_string(ld_ctx *c, const yaml_node_t *n, const char *key,
              const char **out);
int ld_name_value(ld_ctx *c, const yaml_node_t *n, const char *key,
                  const char **out);
int ld_duration(ld_ctx *c, const yaml_node_t *n, const char *key,
                bool allow_never, double *out);
/* M3.6: the MTBF of an existing SQL HA service of the given availability
 * (n: its value, for messages) and MTTR, MTTR * A / (1 - A); P004 when it
 * is infinite or below QR_DIST_MIN_MEAN. */
int ld_external_mtbf(ld_ctx *c, const yaml_node_t *n, double availability, double mttr,
                     double *mtbf);
/* A mean time to failure or repair: ld_duration, and at least
 * QR_DIST_MIN_MEAN (P004). */
int ld_mean(ld_ctx *c, const yaml_node_t *n, const char *key, bool allow_never,
            double *out);
int ld_bool(ld_ctx *c, const yaml_node_t *n, const char *key, bool *out);
int ld_integer(ld_ctx *c, const yaml_node_t *n, const char *key,
               long long lo, long long hi, long long *out);
/* A number >= 0. */
int ld_nonneg(ld_ctx *c, const yaml_node_t *n, const char *key, double *out);
/* A yearly cost or budget: a number >= 0 and at most QR_COST_MAX. */
int ld_cost(ld_ctx *c, const yaml_node_t *n, const char *key, double *out);
int ld_percent(ld_ctx *c, const yaml_node_t *n, const char *key,
               double *out);
/* Index of n's text in `names` (NULL-ended), or -1 with a P004 listing
 * them (`what` names the value, e.g. "version"). */
int ld_enum(ld_ctx *c, const yaml_node_t *n, const char *what,
            const char *const *names);
/* Shorthands for optional keys: parse when present, keep *out otherwise. */
void ld_opt_duration(ld_ctx *c, const ld_map *m, const char *key,
                     double *out);
void ld_opt_bool(ld_ctx *c, const ld_map *m, const char *key, bool *out);
/* The same, and *given = { from, the value's place } when the key is
 * present and its value good (docs/assumptions.md: where a value comes
 * from). */
void ld_opt_duration_given(ld_ctx *c, const ld_map *m, const char *key,
                           double *out, qr_origin from, qr_given *given);
void ld_opt_bool_given(ld_ctx *c, const ld_map *m, const char *key, bool *out,
                       qr_origin from, qr_given *given);
/* ld_opt_duration_given that also takes the word `none`, for 0 (a delay
 * that may be absent: pairing.patch_offset). */
void ld_opt_duration_or_none_given(ld_ctx *c, const ld_map *m, const char *key,
                                   double *out, qr_origin from, qr_given *given);

/* ---- input_kind.c ---- */

/* When the top-level keys of root say the file is another kind than `as`
 * (qr_input_kind_guess), report it once (P011, at the first telling key)
 * and return true: the caller then reads nothing more of it. */
bool ld_wrong_input_kind(ld_ctx *c, const ld_map *root, qr_input_kind as);

/* ---- names and references (loader_util.c) ---- */

/* The name of a new component or cluster: a copy for the caller to store,
 * or NULL after reporting a name already taken (P007) or flagging OOM. */
char *ld_new_name(ld_ctx *c, const char *name, qr_loc loc);

/* Room for one more item in `items` (n used, *cap allocated, `size` bytes
 * each), doubling from `first`: the array, moved or not; NULL with OOM
 * flagged (items untouched). */
void *ld_grow(ld_ctx *c, void *items, int n, int *cap, size_t size, int first);

/* Register a component or cluster name; P007 when taken. Returns 0 / -1. */
int ld_register(ld_ctx *c, const char *name, int comp, int cluster,
                qr_loc loc);
/* The table entry for name, or NULL. */
const ld_name *ld_lookup(ld_ctx *c, const char *name);
/* Resolve n (a name) to a component of `kind`; P003/P008 otherwise.
 * Returns the index or -1; *loc gets n's place when loc is not NULL. */
int ld_ref(ld_ctx *c, const yaml_node_t *n, qr_comp_kind kind, qr_loc *loc);
/* Resolve n to a cluster; -1 with P003/P008 otherwise. */
int ld_ref_cluster(ld_ctx *c, const yaml_node_t *n);
/* Resolve a sequence of server names (P003, P008, and P009 for one listed
 * twice). *out and *locs are allocated (NULL when empty). Returns the
 * count, or -1 when n is not a sequence. */
int ld_server_list(ld_ctx *c, const yaml_node_t *n, const char *key,
                   int **out, qr_loc **locs);

/* ---- loader_components.c ---- */

/* The built-in templates of docs/topology-format.md, one per kind (d has
 * QR_COMP_KIND_COUNT entries). */
void ld_builtin_defaults(ld_template *d);
/* Fill c->defaults with the built-ins, then apply `defaults:`. */
void ld_defaults(ld_ctx *c, const ld_map *root);
/* Append a component of `kind` initialised from its template and register
 * its name. Returns its index, -1 on a duplicate name or OOM. */
int ld_add_comp(ld_ctx *c, const char *name, qr_comp_kind kind, qr_loc loc);
/* Read mtbf, mttr, cost (and patch for servers) of m into comp; the parts
 * given are added to comp->own (a design choice). */
void ld_failure_keys(ld_ctx *c, const ld_map *m, qr_component *comp);
/* Read mtbf, mttr (and patch for servers) of m over *fig, a layer above
 * it: parts given replace fig's and get given[p] = { from, place }; the
 * others stay. `cost` is read into *cost when cost is not NULL. Returns the
 * QR_PART_BIT()s given. Shared with the assumptions file
 * (assumptions_load.c). */
unsigned ld_figure_keys(ld_ctx *c, const ld_map *m, qr_comp_kind kind,
                        qr_kind_figures *fig, double *cost, qr_origin from);
/* Copy the kind templates (c->defaults) into c->t->kinds, once the
 * components are made: what an assumptions file applied later replaces. */
void ld_store_kinds(ld_ctx *c);
/* sites, hosts, servers, storage, links. */
void ld_components(ld_ctx *c, const ld_map *root);

/* ---- loader_clusters.c ---- */
/* Append a cluster with the loader's defaults (Windows 2019, dynamic
 * quorum and witness, no witness, no nodes) and register its name. Returns
 * its index, -1 on a duplicate name or OOM. */
int ld_add_cluster(ld_ctx *c, const char *name, qr_loc loc);
void ld_clusters(ld_ctx *c, const ld_map *root);

/* ---- loader_pool.c ---- */
/* `pool:` (or `pools:`, through ld_pools). */
void ld_pool(ld_ctx *c, const ld_map *root);
/* The keys of `pool:` (NULL-ended). */
extern const char *const ld_pool_keys[];
/* Read the keys of ld_pool_keys from m into *p (the caller checks m's
 * keys). */
void ld_pool_body(ld_ctx *c, qr_pool *p, const ld_map *m);

/* ---- loader_pools.c: `pools:` and `pairing:` (M10) ---- */
void ld_pools(ld_ctx *c, const ld_map *root);
void ld_pairing(ld_ctx *c, const ld_map *root);
/* After `features:`: append each pool's copy of every feature (topology.h,
 * qr_pairing.n_user_features). */
void ld_pool_features(ld_ctx *c);

/* ---- loader_ccf.c: `common_cause:` ---- */
/* Read one group mapping into *g (zeroed first; the caller releases it with
 * ld_ccf_group_release, also after a failure). allow_list: members may be a
 * list of components (topologies); else only a role word (assumptions
 * files: g->role set, no members). Returns true when it has no error. */
bool ld_ccf_group(ld_ctx *c, yaml_node_t *item, qr_ccf_group *g, bool allow_list,
                  qr_origin from);
void ld_ccf_group_release(qr_ccf_group *g);
/* A topology's `common_cause:` into c->t->ccf (after the pool). */
void ld_common_cause(ld_ctx *c, const ld_map *root);

/* ---- loader_extras.c: features, fabric, operations, patching, costs ---- */
void ld_extras(ld_ctx *c, const ld_map *root);

/* ---- loader_virt.c: `virtualization:` (HA restart, anti-affinity, host
 * maintenance: M0.4, M0.5, M7.6, M7.7) ---- */
void ld_virtualization(ld_ctx *c, const ld_map *root);
/* ---- loader_latent.c ---- */
/* `latent_faults:` of root (M7.3) into a new array *out of *n faults (left
 * as they are when the key is absent). With c->t (a topology) members are
 * server names; without (an assumptions file) a role. */
void ld_latent_faults(ld_ctx *c, const ld_map *root, qr_origin from, qr_latent_fault **out,
                      int *n_out);

#endif
