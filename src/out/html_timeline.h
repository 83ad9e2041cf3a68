/*
 * html_timeline.h: a played scenario (playback.h) as one self-contained
 * HTML page for `quorate scenario --html FILE`: one track per server and
 * per service (pool, Back End, file store, each failover cluster, each
 * feature; other components only when they changed), coloured up,
 * degraded, down (and stopped, for a graceful shutdown), with the quorum
 * changes of the fabric and the clusters marked and labelled with their
 * vote counts, and the narrated timeline below. Inline CSS, no script, no
 * network: it opens offline.
 */
#ifndef QR_HTML_TIMELINE_H
#define QR_HTML_TIMELINE_H

#include <stdio.h>

#include "lab/playback.h"
#include "lab/scenario.h"

/* Write the page for p (after qr_playback_run of s) to out; scenario_file
 * names the scenario in the title. Returns 0, -1 when out of memory or
 * when writing failed. */
int qr_html_timeline(FILE *out, const qr_playback *p, const qr_scenario *s,
                     const char *scenario_file);

#endif
