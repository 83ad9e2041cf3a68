/*
 * causes.c: names of the downtime causes and starts (causes.h) and their
 * summary over replications: for every feature, every cause's share of the
 * downtime in minutes a year, as a mean with its 95% confidence interval
 * (sim_stat_fraction on the share of the horizon, so never below 0,
 * reduced in replication order like every other measure).
 * The means of one feature's causes sum to its downtime_min_year mean
 * within floating rounding, as the per-replication rows sum to down_time.
 */
#include "sim/measures.h"

#include <stdlib.h>

static const struct {
    const char *key, *label;
} CAUSES[SIM_DC_COUNT] = {
    [SIM_DC_POOL_VOTES] = { "pool_votes_missing", "pool: quorum lost, votes missing (M1.5)" },
    [SIM_DC_POOL_RESET] = { "pool_waiting_for_reset",
                            "pool: quorum lost, waiting for the soft reset (M1.7)" },
    [SIM_DC_POOL_RESTART] = { "pool_restart", "pool: restarting (M1.6, M1.7)" },
    [SIM_DC_BE_FAILOVER] = { "sql_failover", "Back End: automatic failover (M3.3, M4.6, M4.7)" },
    [SIM_DC_BE_MANUAL] = { "sql_manual_failover_wait",
                           "Back End: waiting for the manual failover (M3.4)" },
    [SIM_DC_BE_CLUSTER] = { "backend_cluster_quorum",
                            "Back End: failover cluster quorum lost (M4.5)" },
    [SIM_DC_BE_DOWN] = { "backend_down", "Back End: down (M3)" },
    [SIM_DC_RESILIENCY] = { "resiliency_mode", "Back End down past the grace (M3.5)" },
    [SIM_DC_FS_FAILOVER] = { "file_store_failover", "file store: failover (M5.1)" },
    [SIM_DC_FS_CLUSTER] = { "file_store_cluster_quorum",
                            "file store: failover cluster quorum lost (M4.5)" },
    [SIM_DC_FS_DOWN] = { "file_store_down", "file store: down (M5)" },
    [SIM_DC_GROUPS] = { "routing_group_quorum_loss", "routing groups in quorum loss (M2.4)" },
    [SIM_DC_STATIC] = { "components_down", "components down (M9)" },
    [SIM_DC_LATENT] = { "latent_fault", "latent fault shown at a start (M7.3)" },
    [SIM_DC_DR_REGISTRAR] = { "registrar_failover_wait",
                              "pool down: waiting for the registrar failover (M10.2)" },
    [SIM_DC_DR_RESILIENCY] = { "backup_pool_resiliency",
                               "on the backup pool in resiliency mode (M10.2, M10.3)" },
    [SIM_DC_DR_FAILBACK] = { "pool_failback", "pool failback in resiliency mode (M10.5)" },
};

static const struct {
    const char *key, *label;
} STARTS[SIM_DS_COUNT] = {
    [SIM_DS_NONE] = { "none", "down from the start" },
    [SIM_DS_SERVER] = { "server_crash", "server crash" },
    [SIM_DS_HOST] = { "host_failure", "host failure" },
    [SIM_DS_SITE] = { "site_failure", "site failure" },
    [SIM_DS_STORAGE] = { "storage_failure", "storage failure" },
    [SIM_DS_LINK] = { "link_failure", "link failure" },
    [SIM_DS_OTHER] = { "other_failure", "cloud witness or external SQL failure" },
    [SIM_DS_PLANNED] = { "planned_shutdown", "planned shutdown (patch reboot)" },
    [SIM_DS_RETURN] = { "component_back", "a component coming back" },
    [SIM_DS_OPERATOR] = { "operator_action", "operator action" },
    [SIM_DS_COMMON_CAUSE] = { "common_cause_failure", "common-cause failure" },
    [SIM_DS_LATENT] = { "latent_fault_shown", "latent fault shown at a start" },
};

const char *sim_down_cause_key(sim_down_cause c)
{
    return (int)c >= 0 && c < SIM_DC_COUNT ? CAUSES[c].key : "?";
}

const char *sim_down_cause_label(sim_down_cause c)
{
    return (int)c >= 0 && c < SIM_DC_COUNT ? CAUSES[c].label : "?";
}

const char *sim_down_start_key(sim_down_start s)
{
    return (int)s >= 0 && s < SIM_DS_COUNT ? STARTS[s].key : "?";
}

const char *sim_down_start_label(sim_down_start s)
{
    return (int)s >= 0 && s < SIM_DS_COUNT ? STARTS[s].label : "?";
}

#define MIN_PER_YEAR (SIM_SECONDS_PER_YEAR / 60.0)

/* The interval of a share of the horizon (sim_stat_fraction: logit scale,
 * never below 0), in minutes a year. */
static sim_stat min_per_year(const double *fraction, int n)
{
    sim_stat st = sim_stat_fraction(fraction, n);
    st.mean *= MIN_PER_YEAR;
    st.half_width *= MIN_PER_YEAR;
    st.low *= MIN_PER_YEAR;
    st.high *= MIN_PER_YEAR;
    return st;
}

int sim_causes_summarize(const sim_rep *reps, int n_reps, sim_summary *s)
{
    double *x = malloc(sizeof(double) * (size_t)(n_reps > 0 ? n_reps : 1));
    if (!x)
        return -1;
    for (int k = 0; k < s->n; k++) {
        sim_feature_summary *fs = &s->f[k];
        for (int c = 0; c < SIM_DC_COUNT; c++) {
            for (int i = 0; i < n_reps; i++)
                x[i] = sim_rep_cause(&reps[i], k, (sim_down_cause)c) / reps[i].horizon;
            fs->by_cause[c] = min_per_year(x, n_reps);
        }
        for (int c = 0; c < SIM_DS_COUNT; c++) {
            for (int i = 0; i < n_reps; i++)
                x[i] = sim_rep_start(&reps[i], k, (sim_down_start)c) / reps[i].horizon;
            fs->by_start[c] = min_per_year(x, n_reps);
        }
    }
    free(x);
    return 0;
}
