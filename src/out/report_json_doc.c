/*
 * report_json_doc.c: the shared frame of the JSON documents
 * (report_json_doc.h).
 */
#include "out/report_json_doc.h"

#include "util/version.h"

void qr_report_json_begin(qr_json *j, int format_version, const char *command)
{
    qr_json_begin_object(j);
    qr_json_key(j, "format_version");
    qr_json_int(j, format_version);
    if (command) {
        qr_json_key(j, "command");
        qr_json_string(j, command);
    }
}

void qr_report_json_tool(qr_json *j)
{
    qr_json_key(j, "tool");
    qr_json_begin_object(j);
    qr_json_key(j, "name");
    qr_json_string(j, "quorate");
    qr_json_key(j, "version");
    qr_json_string(j, QR_VERSION_STRING);
    qr_json_end_object(j);
}

void qr_report_json_skipped(qr_json *j, const char *file, const char *reason)
{
    qr_json_begin_object(j);
    qr_json_key(j, "file");
    qr_json_string(j, file);
    qr_json_key(j, "reason");
    qr_json_string(j, reason);
    qr_json_end_object(j);
}

void qr_report_json_timing_begin(qr_json *j, double wall_seconds, int threads)
{
    qr_json_key(j, "timing");
    qr_json_begin_object(j);
    qr_json_key(j, "wall_seconds");
    qr_json_number(j, wall_seconds);
    qr_json_key(j, "threads");
    qr_json_int(j, threads);
}

void qr_report_json_topology(qr_json *j, const char *file, const qr_topology *t)
{
    char notation[16];
    qr_json_key(j, "topology");
    qr_json_begin_object(j);
    qr_json_key(j, "file");
    qr_json_string(j, file);
    qr_json_key(j, "name");
    qr_json_string(j, t->name);
    qr_json_key(j, "notation");
    qr_json_string(j, qr_topology_notation(t, notation, sizeof(notation)));
    qr_json_end_object(j);
}
