/*
 * causes.h: the vocabulary of downtime by cause (docs/simulate.md,
 * "Downtime by cause"). Every second a feature (or the pool) loses is
 * attributed twice, so that each breakdown sums to the feature's downtime:
 *
 * - to a cause (sim_down_cause): the first unmet need of the feature in a
 *   fixed order, pool, then Back End, then file store, then routing groups,
 *   refined by that module's state (a Back End failing over, or down and
 *   waiting for the operator, ...). sim/behaviour/attribution.c decides it;
 * - to what started it (sim_down_start): the kind of event that last
 *   lowered the feature's availability during the outage (a server crash, a
 *   host failure, a patch reboot ...), carried through the timers that
 *   event armed.
 *
 * The enums are indices into fixed-size arrays (sim/measures.h); their
 * order is the order of the reports. Keys and labels are static strings.
 */
#ifndef SIM_CAUSES_H
#define SIM_CAUSES_H

/* Why a feature is down now: the first unmet need, refined. */
typedef enum {
    SIM_DC_POOL_VOTES,       /* M1.5: pool quorum lost, the running front   */
                             /*   ends (and the Back End vote) do not meet  */
                             /*   M1.2: waiting for repairs or a failover   */
    SIM_DC_POOL_RESET,       /* M1.7: quorum lost, votes back, waiting for  */
                             /*   the soft reset (or the M1.6 threshold)    */
    SIM_DC_POOL_RESTART,     /* M1.6, M1.7: fabric.restart_time running     */
    SIM_DC_BE_FAILOVER,      /* M3.3, M4.6, M4.7: automatic failover time   */
    SIM_DC_BE_MANUAL,        /* M3.4 (M4.6 forced): waiting for the         */
                             /*   operator's manual SQL failover            */
    SIM_DC_BE_CLUSTER,       /* M4.5: the Back End's failover cluster has   */
                             /*   lost quorum (re-forming or forced later)  */
    SIM_DC_BE_DOWN,          /* M3: Back End down, no failover under way    */
    SIM_DC_RESILIENCY,       /* M3.5: Back End down past the grace          */
    SIM_DC_FS_FAILOVER,      /* M5.1: file store failover time              */
    SIM_DC_FS_CLUSTER,       /* M4.5: the file-share cluster lost quorum    */
    SIM_DC_FS_DOWN,          /* M5: file store down, no failover under way  */
    SIM_DC_GROUPS,           /* M2.4: routing groups in quorum loss         */
    SIM_DC_STATIC,           /* M9 (--static): components down              */
    SIM_DC_LATENT,           /* M7.3: a latent fault shown at a start holds */
                             /*   a server down, or breaks the feature for  */
                             /*   the users its front end serves            */
    SIM_DC_DR_REGISTRAR,     /* M10.2: home pool down, waiting for the      */
                             /*   registrar failover to the backup pool     */
    SIM_DC_DR_RESILIENCY,    /* M10.2, M10.3: on the backup pool in         */
                             /*   resiliency mode until the pool failover   */
    SIM_DC_DR_FAILBACK,      /* M10.5: resiliency mode during the failback  */
    SIM_DC_COUNT
} sim_down_cause;

/* What started (or last deepened) an outage: the kind of event. */
typedef enum {
    SIM_DS_NONE,             /* down from the start of the replication      */
    SIM_DS_SERVER,           /* a server crashed (random or scripted)       */
    SIM_DS_HOST,             /* a host failed                               */
    SIM_DS_SITE,             /* a site failed                               */
    SIM_DS_STORAGE,          /* shared storage failed                       */
    SIM_DS_LINK,             /* a link between sites failed                 */
    SIM_DS_OTHER,            /* a cloud witness or external SQL failed      */
    SIM_DS_PLANNED,          /* a planned shutdown: patch reboot (M7.1) or  */
                             /*   a scripted graceful shutdown              */
    SIM_DS_RETURN,           /* a component came back (repair or start)     */
    SIM_DS_OPERATOR,         /* a scripted soft reset or SQL failover       */
    SIM_DS_COMMON_CAUSE,     /* a common-cause failure took several members */
                             /*   of a `common_cause:` group down at once   */
    SIM_DS_LATENT,           /* a latent fault shown at a start (M7.3)      */
    SIM_DS_COUNT
} sim_down_start;

/* Stable identifier of a cause for JSON ("sql_failover", ...). */
const char *sim_down_cause_key(sim_down_cause c);
/* One line for people, with its rule IDs ("Back End: automatic failover
 * (M3.3, M4.6, M4.7)"). */
const char *sim_down_cause_label(sim_down_cause c);
const char *sim_down_start_key(sim_down_start s);
const char *sim_down_start_label(sim_down_start s);

#endif
