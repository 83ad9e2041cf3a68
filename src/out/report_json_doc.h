/*
 * report_json_doc.h: the frame every JSON document of quorate shares, so
 * that it reads the same in every command (docs/cli.md): the head
 * ("format_version", then "command" or "tool"), and the topology a
 * document is about ("file", "name", "notation").
 *
 * Each function writes into an open writer (util/json_out.h) and keeps
 * its sticky error; nothing is allocated that outlives a call.
 */
#ifndef QR_REPORT_JSON_DOC_H
#define QR_REPORT_JSON_DOC_H

#include "util/json_out.h"
#include "model/topology.h"

/* Open the document's top-level object and write "format_version" and,
 * when command is not NULL, "command" ("simulate", "analyze", ...). */
void qr_report_json_begin(qr_json *j, int format_version, const char *command);

/* "tool": { "name": "quorate", "version": QR_VERSION_STRING }. */
void qr_report_json_tool(qr_json *j);

/* "topology": { "file", "name", "notation" } of t, read from `file`. */
void qr_report_json_topology(qr_json *j, const char *file, const qr_topology *t);

/* One element of a "skipped" array: { "file", "reason" } (a design that
 * could not be read or compared; compare, sensitivity). */
void qr_report_json_skipped(qr_json *j, const char *file, const char *reason);

/* "timing": { "wall_seconds", "threads" ...: the object is left open for
 * the command's own keys; the caller closes it. */
void qr_report_json_timing_begin(qr_json *j, double wall_seconds, int threads);

#endif
