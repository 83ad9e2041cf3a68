/*
 * narrate_internal.h: the inside of a qr_vocab (narrate.h), shared by the two
 * files that implement narrate.h: narrate_vocab.c builds the vocabulary and takes
 * snapshots; narrate.c turns two snapshots into words. Nothing else
 * includes it.
 */
#ifndef QR_VOCAB_INTERNAL_H
#define QR_VOCAB_INTERNAL_H

#include "lab/narrate.h"

/* The quantities a key can name. */
typedef enum {
    Q_POOL,            /* up, down, starting (M1.5-M1.7)                 */
    Q_VOTERS_UP,       /* fabric votes present (M1.2)                    */
    Q_VOTERS,          /* fabric votes counted                           */
    Q_SEEDS_UP,        /* seeds present                                  */
    Q_SEEDS_COUNTED,   /* seeds in the membership (M1.3, M1.4)           */
    Q_FE_UP,           /* front ends running                             */
    Q_BACKEND,         /* serving, down (M3)                             */
    Q_PRINCIPAL,       /* component index of the principal, -1 none      */
    Q_SYNC,            /* mirror synchronized (M3.3)                     */
    Q_RESILIENCY,      /* resiliency mode (M3.5)                         */
    Q_FILE_STORE,      /* up, down (M5)                                  */
    Q_GROUPS_WRITABLE, /* routing groups (M2)                            */
    Q_GROUPS_LIMITED,
    Q_GROUPS_DOWN,
    Q_FEATURE,         /* up, degraded, down (M6); index: feature        */
    Q_CLUSTER,         /* up, down, forced (M4.5); index: cluster        */
    Q_CL_VOTERS_UP,
    Q_CL_VOTERS,
    Q_CL_WITNESS,      /* the witness votes now (M4.3)                   */
    Q_COMP,            /* up, crashed, stopped; index: component         */
    Q_COUNT_QUORUM_LOSSES,
    Q_COUNT_GROUP_LOSSES,
    Q_COUNT_SOFT_RESETS,
    Q_COUNT_RESETS_FAILED,
    Q_COUNT_FAILOVERS,
    Q_COUNT_FS_FAILOVERS,
    Q_COUNT_DATA_LOSS,
    Q_COUNT_CL_LOSSES, /* index: cluster                                 */
    Q_COUNT_CL_FORCED,
    Q_REACHABLE,       /* the pool's side reaches the Back End's server  */
                       /*   (site partitions)                            */
    Q_VM_HOST,         /* the host a VM runs on now (M0.4, M7.6); index: */
                       /*   component                                    */
    Q_LATENT,          /* none, hidden, shown (M7.3); index: latent pair */
    Q_COUNT_LATENT_SHOWN,   /* latent faults shown at a start (M7.3)     */
    Q_COUNT_LATENT_AUDIT,   /* hidden ones a health audit found (M7.4)   */
    Q_COUNT_NIGHTS_STOPPED, /* patch nights verification stopped (M7.5)  */
    /* A design with several pools (M10): read from a sim_pairing. */
    Q_DR_POOL,         /* up, down, starting; index: pool               */
    Q_DR_USERS,        /* where its users are served (sim_dr_state)      */
    Q_DR_CMS,          /* the pool holding the CMS (VT_POOL)             */
    Q_DR_COUNT         /* index: pool * SIM_PX_COUNT + counter           */
} qty;

typedef enum { VT_ENUM, VT_INT, VT_BOOL, VT_SERVER, VT_POOL } vtype;

typedef struct {
    char  *key;
    qty    q;
    int    index;
    vtype  type;
    const char *const *words; /* VT_ENUM */
} vkey;

struct qr_vocab {
    const qr_topology *t;
    vkey  *keys;
    int    n, cap;
    int    oom;
    /* Keys the narrator reads directly. */
    int    k_pool, k_seeds_up, k_voters_up, k_voters, k_fe_up, k_backend, k_principal,
           k_sync, k_resiliency, k_file_store, k_gw, k_gl, k_gd,
           k_soft_resets, k_resets_failed, k_quorum_losses, k_reachable;
    int    k_feature0, k_cluster0, k_comp0; /* first key of each series */
    int    k_host0, n_host_keys; /* the VMs' host keys, last of all      */
    int    k_latent0, n_latent_keys; /* latent.FAULT.SERVER keys (M7.3)   */
};

/* The name of component i, "none" when there is none (a principal of -1). */
static inline const char *qr_vocab_comp_name(const qr_vocab *v, int i)
{
    return (i >= 0 && i < v->t->n_comps) ? v->t->comps[i].name : "none";
}

/* The word of a cluster state value (up, down, forced). */
const char *qr_vocab_cluster_word(int value);

#endif
