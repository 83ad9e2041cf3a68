/*
 * report_sarif.c: the SARIF 2.1.0 log of `quorate check --format sarif`
 * (report.h), for code-scanning tools. One run; its driver describes every
 * rule of rule_table.h, in table order, so a result's ruleIndex is the
 * rule's table index. Each diagnostic is one result whose location is the
 * file as a URI reference and, unless the diagnostic is about the whole file
 * (0:0), a region with the 1-based start line and column.
 */
#include <stdlib.h>
#include <string.h>

#include "util/json_out.h"
#include "out/report.h"
#include "check/rules.h"
#include "util/version.h"

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *sarif_level(qr_severity sev)
{
    /* SARIF's levels have the same names as ours. */
    return qr_severity_name(sev);
}

/* A URI reference for a file path (RFC 3986): unreserved bytes and '/'
 * pass, every other byte is %XX; an absolute path becomes file:///...
 * Returns a malloc'd string or NULL on OOM. */
static char *path_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(path);
    char *uri = malloc(len * 3 + sizeof("file://"));
    if (!uri)
        return NULL;
    char *o = uri;
    if (path[0] == '/') {
        memcpy(o, "file://", 7);
        o += 7;
    }
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return uri;
}

static void text_object(qr_json *j, const char *key, const char *text)
{
    qr_json_key(j, key);
    qr_json_begin_object(j);
    qr_json_key(j, "text");
    qr_json_string(j, text);
    qr_json_end_object(j);
}

static void driver(qr_json *j)
{
    qr_json_key(j, "tool");
    qr_json_begin_object(j);
    qr_json_key(j, "driver");
    qr_json_begin_object(j);
    qr_json_key(j, "name");
    qr_json_string(j, "quorate");
    qr_json_key(j, "version");
    qr_json_string(j, QR_VERSION_STRING);
    qr_json_key(j, "informationUri");
    qr_json_string(j, QR_REPORT_INFORMATION_URI);
    qr_json_key(j, "rules");
    qr_json_begin_array(j);
    for (size_t i = 0; i < qr_rule_count(); i++) {
        const qr_rule *r = qr_rule_at(i);
        qr_json_begin_object(j);
        qr_json_key(j, "id");
        qr_json_string(j, r->id);
        qr_json_key(j, "name");
        qr_json_string(j, r->name);
        text_object(j, "shortDescription", r->title);
        text_object(j, "fullDescription", r->rationale);
        text_object(j, "help", r->fix);
        qr_json_key(j, "defaultConfiguration");
        qr_json_begin_object(j);
        qr_json_key(j, "level");
        qr_json_string(j, sarif_level(r->severity));
        qr_json_end_object(j);
        qr_json_key(j, "properties");
        qr_json_begin_object(j);
        qr_json_key(j, "source");
        qr_json_string(j, r->source);
        qr_json_end_object(j);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_end_object(j);
    qr_json_end_object(j);
}

static void result(qr_json *j, const char *uri, const qr_diag *g)
{
    qr_json_begin_object(j);
    qr_json_key(j, "ruleId");
    qr_json_string(j, g->rule);
    int index = qr_rule_index(g->rule);
    if (index >= 0) {
        qr_json_key(j, "ruleIndex");
        qr_json_int(j, index);
    }
    qr_json_key(j, "level");
    qr_json_string(j, sarif_level(g->sev));
    text_object(j, "message", g->message);
    qr_json_key(j, "locations");
    qr_json_begin_array(j);
    qr_json_begin_object(j);
    qr_json_key(j, "physicalLocation");
    qr_json_begin_object(j);
    qr_json_key(j, "artifactLocation");
    qr_json_begin_object(j);
    qr_json_key(j, "uri");
    qr_json_string(j, uri);
    qr_json_end_object(j);
    if (g->loc.line > 0) {
        qr_json_key(j, "region");
        qr_json_begin_object(j);
        qr_json_key(j, "startLine");
        qr_json_int(j, g->loc.line);
        if (g->loc.col > 0) {
            qr_json_key(j, "startColumn");
            qr_json_int(j, g->loc.col);
        }
        qr_json_end_object(j);
    }
    qr_json_end_object(j);
    qr_json_end_object(j);
    qr_json_end_array(j);
    qr_json_end_object(j);
}

char *qr_report_sarif(const qr_diags *files, size_t n_files)
{
    qr_json *j = qr_json_new();
    int failed = 0;

    qr_json_begin_object(j);
    qr_json_key(j, "$schema");
    qr_json_string(j, SARIF_SCHEMA);
    qr_json_key(j, "version");
    qr_json_string(j, "2.1.0");
    qr_json_key(j, "runs");
    qr_json_begin_array(j);
    qr_json_begin_object(j);
    driver(j);
    qr_json_key(j, "columnKind");
    qr_json_string(j, "unicodeCodePoints");
    qr_json_key(j, "results");
    qr_json_begin_array(j);
    for (size_t f = 0; f < n_files && !failed; f++) {
        char *uri = path_uri(files[f].file);
        if (!uri) {
            failed = 1;
            break;
        }
        for (size_t i = 0; i < files[f].n; i++)
            result(j, uri, &files[f].items[i]);
        free(uri);
    }
    qr_json_end_array(j);
    qr_json_end_object(j);
    qr_json_end_array(j);
    qr_json_end_object(j);

    if (failed) {
        qr_json_free(j);
        return NULL;
    }
    return qr_json_finish(j);
}
