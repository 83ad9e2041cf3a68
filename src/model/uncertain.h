/*
 * uncertain.h: uncertain values of an assumptions file (docs/sensitivity.md,
 * "Uncertain values"). A duration of the assumptions file (a kind's MTBF or
 * MTTR, the patch period or reboot, a timing) may be given as a
 * distribution of what its value might be instead of the value itself:
 *
 *     mtbf: { low: 3mo, high: 3y }               log-uniform between them
 *     mttr: { median: 4h, error_factor: 3 }      lognormal: 5th percentile
 *                                                median / EF, 95th median x EF
 *
 * Such a value is epistemic: one number nobody knows, not the spread of
 * the times to failure (that stays the `distribution:` of the figure). A
 * plain run uses its point value, the median of its distribution (the
 * geometric mean sqrt(low x high) of a log-uniform); `quorate sensitivity`
 * draws it (src/compare/sensitivity.h).
 *
 * Plain data, no allocation: a qr_uncertain is a value type.
 */
#ifndef QR_UNCERTAIN_H
#define QR_UNCERTAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "model/topology.h"

/* The two forms of an uncertain value. */
typedef enum {
    QR_UNC_LOG_UNIFORM, /* { low, high }: log-uniform on [low, high]        */
    QR_UNC_LOGNORMAL    /* { median, error_factor }: lognormal, sigma =     */
                        /*   ln(EF) / z(0.95)                               */
} qr_uncertain_form;

/* What an uncertain value stands for: an assumption item (a kind's figure
 * or a timing; the zero value), a factor of a `common_cause:` group, or a
 * duration of a `latent_faults:` entry (docs/sensitivity.md). */
typedef enum {
    QR_UNC_TARGET_ITEM = 0, /* item, kind, part, setting say which         */
    QR_UNC_TARGET_CCF,      /* index: the file's group (qr_assumptions.ccf); */
                            /*   field: its factor[] (beta, gamma, delta,  */
                            /*   or alpha_1 .. alpha_8)                    */
    QR_UNC_TARGET_LATENT    /* index: the file's latent fault; field:      */
                            /*   QR_UNC_LATENT_EVERY or _FIX               */
} qr_uncertain_target;

#define QR_UNC_LATENT_EVERY 0 /* qr_latent_fault.every */
#define QR_UNC_LATENT_FIX   1 /* qr_latent_fault.fix   */

/* Most uncertain values one assumptions file can hold: every failure and
 * repair mean of the six kinds, the patch period and reboot, every timing,
 * and room for common-cause factors and latent-fault durations. */
#define QR_UNCERTAIN_MAX 48

/* z(0.95), the standard normal's 95th percentile: an error factor EF puts
 * the 5th and 95th percentiles of a lognormal at median / EF and median x
 * EF (the PSA convention). */
#define QR_Z95 1.6448536269514722

/* One uncertain value. */
typedef struct {
    char              key[160]; /* its name in reports: "server.mtbf",      */
                                /*   "server.patch.reboot",                 */
                                /*   "operations.quorum_reset.after",       */
                                /*   "common_cause.GROUP.beta",             */
                                /*   "latent_faults.NAME.every"             */
    int               item;     /* its assumption item (assumptions.h);     */
                                /*   -1 for a CCF or latent-fault target    */
    int               kind;     /* qr_comp_kind of a figure, else -1        */
    int               part;     /* qr_part of a figure (FAILURE_MEAN,       */
                                /*   REPAIR_MEAN, PATCH_EVERY,              */
                                /*   PATCH_REBOOT), else -1                 */
    int               setting;  /* qr_setting of a timing, else -1          */
    qr_uncertain_form form;
    double            low, high;    /* log-uniform bounds, seconds          */
    double            median;       /* lognormal median, seconds            */
    double            error_factor; /* lognormal EF, > 1                    */
    qr_loc            loc;      /* the mapping in the assumptions file      */
    qr_uncertain_target target; /* ITEM unless set (zero value)             */
    int               index;    /* CCF, LATENT: which group or fault        */
    int               field;    /* CCF, LATENT: which of its values         */
    bool              fraction; /* a fraction in (0, 1] (a common-cause     */
                                /*   factor), not a duration in seconds     */
} qr_uncertain;

/* The value at quantile q (0 < q < 1) of u's distribution, seconds:
 * low x (high / low)^q, or median x EF^(z(q) / z(0.95)). Monotone in q. */
double qr_uncertain_quantile(const qr_uncertain *u, double q);

/* The point value a plain run uses: the median, qr_uncertain_quantile(u,
 * 0.5) (sqrt(low x high) for a log-uniform). */
double qr_uncertain_point(const qr_uncertain *u);

/* The standard normal quantile z(p) for 0 < p < 1 (Wichura's AS 241,
 * about 1e-16 relative accuracy); -INFINITY / INFINITY at 0 / 1. */
double qr_normal_quantile(double p);

/* u in words, durations as the topology format writes them:
 * "log-uniform 3mo to 3y" or "lognormal, median 4h, error factor 3".
 * Returns buf. */
const char *qr_uncertain_text(const qr_uncertain *u, char *buf, size_t size);

/* A duration for reports: as the topology format writes it when it is a
 * whole number of one unit ("3mo"; whole seconds under an hour, "90s"), else with three significant
 * digits in the largest unit it holds at least once ("10.4mo", "1.73y",
 * "22.4m"); "never" for INFINITY. Returns buf. */
const char *qr_duration_text(double seconds, char *buf, size_t size);

/* One value v of u for reports: a percentage with three significant
 * digits ("5%", "1.58%") for a fraction, else qr_duration_text(). Returns
 * buf. */
const char *qr_uncertain_value_text(const qr_uncertain *u, double v, char *buf, size_t size);

/* The unit of u's values in JSON and CSV: "fraction" or "seconds"
 * (static). */
const char *qr_uncertain_unit(const qr_uncertain *u);

/* "log-uniform" or "lognormal" (static). */
const char *qr_uncertain_form_name(qr_uncertain_form f);

#endif
