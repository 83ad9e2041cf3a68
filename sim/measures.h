/*
 * measures.h: the M8 measures of one replication (sim_rep) and their
 * summary over replications (sim_summary: mean and 95% confidence interval,
 * Student t on a scale that keeps the interval inside the measure's range:
 * logit for fractions of time, log for counts; see sim_stat_fraction).
 *
 * A sim_rep owns its per-feature array (n_features + 1 entries: the
 * topology's features, then the pool itself) and its downtime-by-cause
 * arrays (sim/causes.h); sim_rep_init allocates them and sim_rep_release
 * frees them. A sim_summary owns its arrays likewise. sim/split.c sends a
 * sim_rep between MPI ranks as its bytes plus those of f and cause: a new
 * scalar field travels with it, a new owned array must be added there (as
 * in sim_rep_clear).
 */
#ifndef SIM_MEASURES_H
#define SIM_MEASURES_H

#include <stdint.h>

#include "sim/causes.h"

/* One feature (or the pool) over one replication. */
typedef struct {
    double down_time; /* integral of 1 - availability, seconds (integrating */
                      /*   the loss keeps high availabilities precise)      */
    double out_time;  /* seconds with availability below 1                  */
    double longest;   /* longest outage, seconds                            */
    long   outages;   /* intervals with availability below 1                */
} sim_feature_rep;

/* Counters and times of one replication. Counts are per replication, not
 * per year; sim_summarize scales them. */
typedef struct {
    double   horizon;               /* seconds simulated                    */
    uint64_t events;                /* events processed                     */
    long     quorum_losses;         /* pool-level (M1.5)                    */
    long     group_quorum_losses;   /* routing groups entering loss (M2.4)  */
    long     soft_resets;           /* successful resets (M1.7)             */
    long     reset_attempts_failed; /* resets that could not succeed       */
    long     cluster_quorum_losses; /* failover clusters going offline (M4.5)*/
    long     forced_quorums;        /* operator forced quorum (M4.5)        */
    long     failovers;             /* SQL role changes (M3.3, M3.4)        */
    long     file_store_failovers;  /* DFS failovers (M5.1)                 */
    long     data_loss_risk;        /* resets and forced SQL failovers      */
    long     patch_nights;          /* patch nights started (M7.1)          */
    long     patch_nights_skipped;  /* skipped as unhealthy (M7.2)          */
    long     latent_shown;          /* latent faults shown at a start (M7.3)*/
    long     latent_found_by_audit; /* hidden ones a health audit found     */
                                    /*   (M7.4)                             */
    long     latent_nights_stopped; /* patch nights stopped by             */
                                    /*   verification (M7.5)                */
    long     vm_ha_restarts;        /* VMs restarted on another host (M0.4) */
    long     vm_live_migrations;    /* VMs moved without an outage (M7.6)   */
    long     vm_maint_shutdowns;    /* VMs shut down with their host for    */
                                    /*   its maintenance (M7.7)             */
    long     vm_failbacks;          /* VMs moved home after an HA restart   */
                                    /*   (M0.4, virtualization.failback)    */
    double   limited_time;          /* user-weighted seconds in limited     */
                                    /*   functionality, pool up (M2.4)      */
    double   resiliency_time;       /* seconds in resiliency mode (M3.5)    */
    int      n;                     /* n_features + 1                       */
    sim_feature_rep *f;             /* owned; f[n-1] is the pool            */
    double  *cause;                 /* owned, n * SIM_DC_COUNT: down_time   */
                                    /*   of feature k by cause c at         */
                                    /*   [k * SIM_DC_COUNT + c]; each row   */
                                    /*   sums to f[k].down_time             */
    double  *start;                 /* n * SIM_DS_COUNT: the same by what   */
                                    /*   started the outage (in cause's     */
                                    /*   allocation: freed with it)         */
} sim_rep;

/* The counts of sim_rep that become a rate a year in the summary, as
 * X(sim_rep field, sim_summary field): one list for sim_summarize and for
 * whatever adds replications' counts up (a paired design's pools,
 * sim/pairing.c), so that a new counter is not left out of either. */
#define SIM_REP_COUNTS(X)                                                  \
    X(quorum_losses, quorum_losses_year)                                   \
    X(group_quorum_losses, group_quorum_losses_year)                       \
    X(soft_resets, soft_resets_year)                                       \
    X(reset_attempts_failed, reset_attempts_failed_year)                   \
    X(cluster_quorum_losses, cluster_quorum_losses_year)                   \
    X(forced_quorums, forced_quorums_year)                                 \
    X(failovers, failovers_year)                                           \
    X(file_store_failovers, file_store_failovers_year)                     \
    X(data_loss_risk, data_loss_risk_year)                                 \
    X(patch_nights, patch_nights_year)                                     \
    X(patch_nights_skipped, patch_nights_skipped_year)                     \
    X(latent_shown, latent_shown_year)                                     \
    X(latent_found_by_audit, latent_found_by_audit_year)                   \
    X(latent_nights_stopped, latent_nights_stopped_year)                   \
    X(vm_ha_restarts, vm_ha_restarts_year)                                 \
    X(vm_live_migrations, vm_live_migrations_year)                         \
    X(vm_maint_shutdowns, vm_maint_shutdowns_year)                         \
    X(vm_failbacks, vm_failbacks_year)

/* Seconds of feature k's integrated loss attributed to cause c / start s. */
static inline double sim_rep_cause(const sim_rep *r, int k, sim_down_cause c)
{
    return r->cause[k * SIM_DC_COUNT + c];
}
static inline double sim_rep_start(const sim_rep *r, int k, sim_down_start s)
{
    return r->start[k * SIM_DS_COUNT + s];
}

/* Allocate r->f and the cause arrays for n_features features (+ the pool),
 * zeroed. 0, -1 OOM. */
int sim_rep_init(sim_rep *r, int n_features);
/* Zero every value, keeping the array. */
void sim_rep_clear(sim_rep *r);
/* Free what r owns; accepts NULL. */
void sim_rep_release(sim_rep *r);

/* Mean and 95% confidence interval of one measure over replications. The
 * interval need not be symmetric about the mean (sim_stat_fraction). */
typedef struct {
    double mean;
    double half_width;  /* (high - low) / 2; 0 when n < 2                   */
    double low, high;   /* the interval; low <= mean <= high                */
} sim_stat;

/* Summary of one feature (or the pool). */
typedef struct {
    sim_stat availability;        /* fraction of (user-)time                */
    sim_stat downtime_min_year;   /* (1 - availability) * minutes per year  */
    sim_stat outages_year;        /* outages per year                       */
    double   mean_outage_min;     /* pooled: total outage time / outages    */
    double   longest_outage_min;  /* longest over all replications          */
    long     outages_observed;    /* outages summed over all replications:  */
                                  /*   below SIM_FEW_OUTAGES the CIs of a   */
                                  /*   rare-event measure are approximate   */
    sim_stat by_cause[SIM_DC_COUNT]; /* downtime_min_year split by cause:   */
                                  /*   the means sum to its mean            */
    sim_stat by_start[SIM_DS_COUNT]; /* the same by what started it         */
} sim_feature_summary;

/* Fewer outages than this observed in all replications: the CI of the
 * availability rests on a handful of events and is approximate (it cannot
 * be right when none was seen), and the reports say so. */
#define SIM_FEW_OUTAGES 30

/* Summary of a whole simulation. */
typedef struct {
    int      runs;
    double   years;               /* per replication                        */
    uint64_t events;              /* summed over replications               */
    int      n;                   /* n_features + 1; f[n-1] is the pool     */
    sim_feature_summary *f;       /* owned                                  */
    sim_stat quorum_losses_year;
    sim_stat group_quorum_losses_year;
    sim_stat soft_resets_year;
    sim_stat reset_attempts_failed_year;
    sim_stat cluster_quorum_losses_year;
    sim_stat forced_quorums_year;
    sim_stat failovers_year;
    sim_stat file_store_failovers_year;
    sim_stat data_loss_risk_year;
    sim_stat patch_nights_year;
    sim_stat patch_nights_skipped_year;
    sim_stat latent_shown_year;
    sim_stat latent_found_by_audit_year;
    sim_stat latent_nights_stopped_year;
    sim_stat vm_ha_restarts_year;
    sim_stat vm_live_migrations_year;
    sim_stat vm_maint_shutdowns_year;
    sim_stat vm_failbacks_year;
    sim_stat limited_hours_year;
    sim_stat resiliency_hours_year;
} sim_summary;

/* Summarize reps[0..n_reps-1] (all of the same topology), reduced in index
 * order so the result does not depend on which thread ran what. Allocates
 * s->f (free with sim_summary_release). Returns 0, -1 OOM or n_reps < 1. */
int sim_summarize(const sim_rep *reps, int n_reps, sim_summary *s);
void sim_summary_release(sim_summary *s);

/* Fill by_cause and by_start of s->f[0..s->n) from reps (sim/causes.c), in
 * minutes a year like downtime_min_year. Returns 0, -1 OOM. */
int sim_causes_summarize(const sim_rep *reps, int n_reps, sim_summary *s);

/* Two-sided 95% Student t quantile t(0.975, df) for df >= 1. */
double sim_t975(int df);

/* Mean of x[0..n-1] (summed in order) and its symmetric 95% Student t
 * interval mean -/+ t(0.975, n-1) * s / sqrt(n), for a measure with no
 * bound (a difference). */
sim_stat sim_stat_of(const double *x, int n);

/* Mean of x[0..n-1], each >= 0 (a count or a rate), with the 95% interval
 * computed on the log scale by the delta method and mapped back:
 * [mean / f, mean * f], f = exp(t(0.975, n-1) * se / mean), se = s /
 * sqrt(n). Never below 0. The point interval [mean, mean] when n < 2, the
 * mean is 0 or the values do not vary. */
sim_stat sim_stat_nonneg(const double *x, int n);

/* Mean of x[0..n-1], each in [0, 1] (a fraction of time, such as the
 * unavailability), with the 95% interval computed on the logit scale,
 * logit(u) = ln(u / (1 - u)), by the delta method and mapped back:
 * expit(logit(mean) -/+ t(0.975, n-1) * se / (mean * (1 - mean))). Always
 * inside [0, 1]; for a small mean the same as sim_stat_nonneg. The point
 * interval when n < 2, the mean is 0 or 1, or the values do not vary. */
sim_stat sim_stat_fraction(const double *x, int n);

#define SIM_SECONDS_PER_YEAR (365.25 * 86400.0)

#endif
