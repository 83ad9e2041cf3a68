/*
 * html_report.h: the self-contained HTML pages of `quorate compare --html`
 * and `quorate simulate --html`: inline CSS and inline SVG, no script, no
 * external reference, so the page opens offline and prints as it shows.
 *
 * compare: the scorecard table (the text output's columns), the
 *   recommendation, the availability-vs-servers scatter, the downtime
 *   distribution of each design, and per design its topology drawing
 *   (html_topology.h) and N-k table (html_nk.h).
 * simulate: the per-feature table (availability with its CI, downtime,
 *   outages, the exact value with --static), the downtime distribution of
 *   every feature and the pool, the topology drawing and the N-k table.
 *
 * Both end with the assumptions the run used (html_assumptions.h).
 *
 * Sections carry the same ids on both pages, so tests and links can find
 * them: scorecard (compare) or features (simulate), recommendation
 * (compare), causes, charts, downtime, topology, nk and assumptions; a
 * table of contents (contents) links them. In compare each design's
 * histograms, drawing and table are in downtime-N, topology-N and nk-N, N
 * its place in the ranking from 1; the drawings and tables are folded
 * (<details>) but for the recommended design's. With a target (--target)
 * both pages show its verdicts (the rule of qr_target_bound) and its line
 * on the charts.
 * The pages hold no time, date or thread count: the same inputs give the
 * same bytes.
 *
 * The writers only read their inputs; the caller owns everything.
 */
#ifndef QR_HTML_REPORT_H
#define QR_HTML_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exact/analysis.h"
#include "out/html_charts.h"
#include "sim/measures.h"
#include "compare/scorecard.h"
#include "model/assumption_list.h"
#include "model/topology.h"

/* One design of the compare page. */
typedef struct {
    const qr_scorecard    *card;
    const qr_topology     *topology;  /* the design drawn                   */
    const qr_analysis     *analysis;  /* NULL: no N-k table, see why        */
    const char            *analysis_error; /* why there is no analysis      */
    const sim_downtime_log *samples;       /* per-replication downtime; may be   */
                                           /*   NULL or empty (not simulated)    */
} qr_html_design;

typedef struct {
    int                   runs;
    double                years;
    uint64_t              seed;
    qr_rank_by            rank_by;
    qr_cost_rules         costs;
    const qr_html_design *designs;        /* n, in input order              */
    int                   n;
    const int            *order;          /* n indices, best first          */
    const char           *recommendation;
    const qr_assumption_list *assumptions; /* n lists, as designs; NULL:  */
                                          /*   no "assumptions" section   */
    double                target;         /* --target, a fraction; 0: none */
} qr_html_compare_page;

/* The start of every page: doctype, head with the one stylesheet and
 * `title`, the body and an h1 of the title (escaped). Other pages
 * (html_sensitivity.c) start with it too. */
void qr_html_page_head(FILE *out, const char *title);

/* Write the compare page. Returns 0, or -1 when a part could not be drawn
 * (out of memory, dependency graph error). */
int qr_html_compare(FILE *out, const qr_html_compare_page *p);

typedef struct {
    const qr_topology     *topology;
    const char            *file;          /* as given on the command line   */
    const sim_summary     *summary;
    bool                   static_mode;
    const double          *exact;         /* n_features + 1 exact values    */
                                          /*   (--static), or NULL          */
    double                 years;
    uint64_t               seed;
    double                 precision;     /* 0: none                        */
    bool                   converged;
    const qr_analysis     *analysis;      /* NULL: see analysis_error       */
    const char            *analysis_error;
    const sim_downtime_log *samples;
    const qr_assumption_list *assumptions; /* what the run assumed (the    */
                                          /*   "assumptions" section)     */
    double                 target;        /* --target, a fraction; 0: none */
    const double          *target_bound;  /* with a target: per feature the  */
                                          /*   availability it is judged by */
                                          /*   (qr_target_bound), else NULL */
} qr_html_simulate_page;

/* Write the simulate page. Returns 0, or -1 as qr_html_compare. */
int qr_html_simulate(FILE *out, const qr_html_simulate_page *p);

#endif
