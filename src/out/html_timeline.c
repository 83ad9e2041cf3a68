/*
 * html_timeline.c: the --html page of `quorate scenario` (html_timeline.h).
 *
 * Tracks are rebuilt from the timeline entries alone: a key's value at the
 * start is the `from` of its first change (or its value at the end when it
 * never changed), and each change starts a new segment. Segments are
 * absolutely positioned boxes whose left and width are percentages of the
 * run's length, so the page needs neither script nor fixed sizes.
 */
#include "out/html_timeline.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "out/html_util.h"
#include "lab/narrate.h"

/* The colour class of a value. */
static const char *cls(const char *v)
{
    if (strcmp(v, "up") == 0 || strcmp(v, "serving") == 0)
        return "up";
    if (strcmp(v, "degraded") == 0 || strcmp(v, "starting") == 0 || strcmp(v, "forced") == 0)
        return "degraded";
    if (strcmp(v, "stopped") == 0)
        return "stopped";
    return "down";
}

/* Is key k a track? Servers and services always; other components only
 * when they changed. */
static bool is_track(const qr_playback *p, int k, bool changed)
{
    const char *key = qr_vocab_key(p->vocab, k);
    if (strcmp(key, "pool") == 0 || strcmp(key, "backend") == 0 ||
        strcmp(key, "file_store") == 0 || strncmp(key, "feature.", 8) == 0 ||
        strncmp(key, "server.", 7) == 0)
        return true;
    if (strncmp(key, "cluster.", 8) == 0)
        return strchr(key + 8, '.') == NULL;
    static const char *const kinds[] = { "site.", "host.", "storage.", "link.",
                                         "cloud_witness.", "external." };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strncmp(key, kinds[i], strlen(kinds[i])) == 0)
            return changed;
    return false;
}

/* Key k's value at the start: the `from` of its first change, else its
 * value at the end (written into buf when that is needed). */
static const char *initial(const qr_playback *p, int k, char *buf, size_t size)
{
    for (int i = 0; i < p->n_entries; i++)
        for (int c = 0; c < p->entries[i].n_changed; c++)
            if (p->entries[i].changed[c] == k)
                return p->entries[i].from[c];
    return qr_snapshot_value(&p->cur, p->vocab, k, buf, size);
}

static void track(FILE *out, const qr_playback *p, int k, double span)
{
    char buf[160], clock[32];
    const char *start = initial(p, k, buf, sizeof(buf));
    fputs("<div class=\"row\"><div class=\"name\">", out);
    qr_html_escape(out, qr_vocab_key(p->vocab, k));
    fputs("</div><div class=\"bar\">", out);
    double t0 = 0;
    const char *v = start;
    for (int i = 0; i <= p->n_entries; i++) {
        const char *next = NULL;
        double t1 = span;
        if (i < p->n_entries) {
            for (int c = 0; c < p->entries[i].n_changed; c++)
                if (p->entries[i].changed[c] == k)
                    next = p->entries[i].to[c];
            if (!next)
                continue;
            t1 = p->entries[i].time;
        }
        if (t1 > t0 || i == p->n_entries) {
            fprintf(out, "<div class=\"seg %s\" style=\"left:%.4f%%;width:%.4f%%\" title=\"",
                    cls(v), 100 * t0 / span, 100 * (t1 - t0) / span);
            qr_html_escape(out, v);
            fprintf(out, " from %s\"></div>", qr_narrate_clock(t0, clock, sizeof(clock)));
        }
        if (next) {
            v = next;
            t0 = t1;
        }
    }
    fputs("</div></div>\n", out);
}

/* Entries that change a quorum: the pool, its votes, or a cluster. */
static bool quorum_entry(const qr_playback *p, const qr_tl_entry *en)
{
    for (int c = 0; c < en->n_changed; c++) {
        const char *key = qr_vocab_key(p->vocab, en->changed[c]);
        if (strcmp(key, "pool") == 0 || strncmp(key, "fabric.voters", 13) == 0 ||
            (strncmp(key, "cluster.", 8) == 0 && strstr(key, ".witness_votes") == NULL))
            return true;
    }
    return false;
}

/* "pool 1/3" and "NAME u/a" for every cluster the entry changed. */
static void vote_label(FILE *out, const qr_playback *p, const qr_tl_entry *en,
                       char (*val)[64])
{
    const char *sep = "";
    for (int c = 0; c < en->n_changed; c++) {
        const char *key = qr_vocab_key(p->vocab, en->changed[c]);
        if (strcmp(key, "pool") == 0 || strncmp(key, "fabric.voters", 13) == 0) {
            fprintf(out, "pool %s/%s", val[qr_vocab_find(p->vocab, "fabric.voters_up")],
                    val[qr_vocab_find(p->vocab, "fabric.voters")]);
            sep = ", ";
            break;
        }
    }
    for (int k = 0; k < p->t->n_clusters; k++) {
        const char *name = p->t->clusters[k].name;
        char key[300];
        bool hit = false;
        for (int c = 0; c < en->n_changed && !hit; c++) {
            const char *ck = qr_vocab_key(p->vocab, en->changed[c]);
            snprintf(key, sizeof(key), "cluster.%s", name);
            size_t n = strlen(key);
            hit = strncmp(ck, key, n) == 0 && (ck[n] == '\0' || ck[n] == '.') &&
                  strstr(ck + n, "witness") == NULL;
        }
        if (!hit)
            continue;
        snprintf(key, sizeof(key), "cluster.%s.voters_up", name);
        int ku = qr_vocab_find(p->vocab, key);
        snprintf(key, sizeof(key), "cluster.%s.voters", name);
        int ka = qr_vocab_find(p->vocab, key);
        fputs(sep, out);
        qr_html_escape(out, name);
        fprintf(out, " %s/%s", ku >= 0 ? val[ku] : "?", ka >= 0 ? val[ka] : "?");
        sep = ", ";
    }
}

int qr_html_timeline(FILE *out, const qr_playback *p, const qr_scenario *s,
                     const char *scenario_file)
{
    char clock[32];
    int nk = qr_vocab_count(p->vocab);
    bool *changed = calloc((size_t)nk + 1, sizeof(bool));
    if (!changed)
        return -1;
    for (int i = 0; i < p->n_entries; i++)
        for (int c = 0; c < p->entries[i].n_changed; c++)
            changed[p->entries[i].changed[c]] = true;
    double span = p->now > 0 ? p->now : 1;
    const char *title = s->name ? s->name : scenario_file;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", out);
    qr_html_escape(out, title);
    fputs("</title>\n<style>\n"
          "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
          ".row{display:flex;align-items:center;margin:2px 0}\n"
          ".name{width:16em;font-family:monospace;font-size:12px;overflow:hidden}\n"
          ".bar{position:relative;flex:1;height:18px;background:#eee}\n"
          ".seg{position:absolute;top:0;height:100%}\n"
          ".up{background:#3a3}.degraded{background:#e9b000}.down{background:#d33}"
          ".stopped{background:#888}\n"
          ".mark{position:absolute;top:0;height:100%;border-left:2px solid #000}\n"
          ".mark span{position:absolute;left:3px;top:0;font-size:11px;white-space:nowrap}\n"
          ".quorum .bar{height:auto;min-height:18px;background:none}\n"
          ".axis .bar{background:none;height:16px;font-size:11px}\n"
          ".legend span{display:inline-block;padding:0 .6em;margin-right:.4em;color:#fff}\n"
          "table{border-collapse:collapse;margin-top:1em}"
          "td{vertical-align:top;padding:2px 8px;border-top:1px solid #ddd}\n"
          "td.t{font-family:monospace;white-space:nowrap}.ok{color:#282}.failed{color:#c00}\n"
          "</style></head><body>\n<h1>",
          out);
    qr_html_escape(out, title);
    fputs("</h1>\n<p>", out);
    qr_html_escape(out, p->t->name);
    fprintf(out, ", from 00:00:00 to %s; automatic operator %s.</p>\n",
            qr_narrate_clock(span, clock, sizeof(clock)), s->operator_on ? "on" : "off");
    fputs("<p class=\"legend\"><span class=\"up\">up</span><span class=\"degraded\">degraded "
          "/ starting / forced</span><span class=\"down\">down</span><span class=\"stopped\">"
          "stopped (graceful)</span></p>\n",
          out);
    /* Time axis: five ticks. */
    fputs("<div class=\"row axis\"><div class=\"name\"></div><div class=\"bar\">", out);
    for (int i = 0; i <= 4; i++) /* the last label ends at the mark */
        fprintf(out, "<div class=\"mark\" style=\"left:%.4f%%\"><span%s>%s</span></div>",
                i * 25.0, i == 4 ? " style=\"left:auto;right:3px\"" : "",
                qr_narrate_clock(span * i / 4, clock, sizeof(clock)));
    fputs("</div></div>\n", out);
    /* Quorum annotations. */
    fputs("<div class=\"row quorum\"><div class=\"name\">quorum changes</div><div "
          "class=\"bar\">",
          out);
    /* Each mark is labelled with the votes that changed then ("pool 1/3",
     * "wsfc1 2/3"); a label closer than 6% of the width to the one before
     * is left to the tooltip, so labels do not overlap. */
    char (*val)[64] = calloc((size_t)nk + 1, sizeof(*val));
    if (!val) {
        free(changed);
        return -1;
    }
    for (int k = 0; k < nk; k++) {
        char buf[160];
        snprintf(val[k], sizeof(val[k]), "%s", initial(p, k, buf, sizeof(buf)));
    }
    double last_label = -1;
    for (int i = 0; i < p->n_entries; i++) {
        const qr_tl_entry *en = &p->entries[i];
        for (int c = 0; c < en->n_changed; c++)
            snprintf(val[en->changed[c]], sizeof(val[0]), "%s", en->to[c]);
        if (!quorum_entry(p, en))
            continue;
        fprintf(out, "<div class=\"mark\" style=\"left:%.4f%%\" title=\"%s ",
                100 * en->time / span, qr_narrate_clock(en->time, clock, sizeof(clock)));
        qr_html_escape(out, en->votes);
        fputs("\"><span>", out);
        if (last_label < 0 || en->time - last_label >= 0.06 * span) {
            last_label = en->time;
            vote_label(out, p, en, val);
        }
        fputs("</span></div>", out);
    }
    free(val);
    fputs("</div></div>\n", out);
    /* Services first, then servers, then other components. */
    for (int pass = 0; pass < 3; pass++)
        for (int k = 0; k < nk; k++) {
            if (!is_track(p, k, changed[k]))
                continue;
            const char *key = qr_vocab_key(p->vocab, k);
            bool server = strncmp(key, "server.", 7) == 0;
            bool service = strcmp(key, "pool") == 0 || strcmp(key, "backend") == 0 ||
                           strcmp(key, "file_store") == 0 || strncmp(key, "cluster.", 8) == 0 ||
                           strncmp(key, "feature.", 8) == 0;
            if ((pass == 0 && service) || (pass == 1 && server) ||
                (pass == 2 && !server && !service))
                track(out, p, k, span);
        }
    /* The narrated timeline, with the expectations where they were checked. */
    fputs("<table>\n", out);
    int c = 0;
    for (int i = 0; i <= p->n_entries; i++) {
        for (; c < p->n_checks && p->checks[c].entry <= i; c++) {
            const qr_check *x = &p->checks[c];
            fprintf(out, "<tr><td class=\"t\">%s</td><td class=\"%s\">expect ",
                    qr_narrate_clock(x->time, clock, sizeof(clock)), x->ok ? "ok" : "failed");
            qr_html_escape(out, qr_vocab_key(p->vocab, x->key));
            fputs(": ", out);
            qr_html_escape(out, x->expected);
            if (x->ok) {
                fputs(" — ok", out);
            } else {
                fputs(" — FAILED: it is ", out);
                qr_html_escape(out, x->actual);
            }
            fputs("</td></tr>\n", out);
        }
        if (i == p->n_entries)
            break;
        const qr_tl_entry *en = &p->entries[i];
        fprintf(out, "<tr><td class=\"t\">%s</td><td>",
                qr_narrate_clock(en->time, clock, sizeof(clock)));
        qr_html_escape(out, en->text);
        if (en->users) {
            fputs("<br><i>users: ", out);
            qr_html_escape(out, en->users);
            fputs("</i>", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n</body></html>\n", out);
    free(changed);
    return ferror(out) ? -1 : 0;
}
