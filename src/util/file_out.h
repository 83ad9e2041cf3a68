/*
 * file_out.h: the output files of the commands (check -o, export -o,
 * graph -o, plan -o, every --html page, a lab's `save`), written whole or
 * not at all: into a temporary file beside the target, renamed into place
 * only when everything was written and closed, so an error never leaves a
 * half-written file behind and never damages an existing one. "-" (or no
 * path) means standard output. A path that exists but is no regular file
 * (/dev/null, a terminal, a pipe) is written directly, never replaced; a
 * symbolic link keeps pointing where it did (the file it names, through any
 * chain of links, is replaced or, when the link dangles, made; a loop is an
 * error); a directory is an error. A file replaced keeps its permissions; a
 * new one gets 0666 less the umask. A fatal signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGPIPE) while the temporary file exists removes it, then ends the
 * process as the signal would (handlers installed only meanwhile).
 *
 * Nothing here allocates memory that outlives a call.
 */
#ifndef QR_FILE_OUT_H
#define QR_FILE_OUT_H

#include <stddef.h>
#include <stdio.h>

/* Writes the content to out; 0 on success, -1 on failure, with the
 * reason in why (left empty: "out of memory"). Stream errors need no
 * reason: the writer reports them from the stream. */
typedef int (*qr_emit_fn)(FILE *out, void *ctx, char *why, size_t whylen);

/* Write what emit(out, ctx) writes to `path` as above, or to standard
 * output (flushed) when path is NULL or "-".
 * Returns 0, or -1 with a message in err: "cannot write 'PATH': REASON"
 * (REASON the system's on a stream error, else the writer's why, else
 * "out of memory"); err may be NULL when errlen is 0. */
int qr_file_write(const char *path, qr_emit_fn emit, void *ctx, char *err, size_t errlen);

/* From now on every qr_file_write (and _data) of this process writes
 * nothing and returns 0: quorate under MPI calls it once at start-up on
 * every rank but rank 0, so that only rank 0 writes the output files. */
void qr_file_out_discard(void);

/* The same for data[0..len-1]. */
int qr_file_write_data(const char *path, const char *data, size_t len, char *err,
                       size_t errlen);

#endif
