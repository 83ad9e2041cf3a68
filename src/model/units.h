/*
 * units.h: strict parsing of the scalar values of a topology file:
 * durations with a unit ("90s", "15m", "4h", "30d", "2w", "6mo", "1.5y",
 * "250ms"), "never", percentages ("99.95%"), plain numbers and integers.
 *
 * Every parser takes a NUL-terminated string and either stores the value and
 * returns 0, or returns -1 and points *reason at a short static phrase
 * ("no unit", "unknown unit 'x'", "number out of range", ...) that the
 * loader puts into its message. Nothing is allocated.
 */
#ifndef QR_UNITS_H
#define QR_UNITS_H

/* Seconds in one year (365.25 days) and one month (a twelfth of that). */
#define QR_UNITS_YEAR (365.25 * 86400.0)
#define QR_UNITS_MONTH (QR_UNITS_YEAR / 12.0)

/* The units a duration is written in, largest first (y, mo, w, d, h, m,
 * s), for the writers that choose one (topology_write.h, uncertain.h). */
typedef struct {
    const char *name; /* "y", "mo", ...                                 */
    double seconds;   /* its length                                     */
} qr_units_unit;
#define QR_UNITS_WRITTEN 7
extern const qr_units_unit qr_units_written[QR_UNITS_WRITTEN];

/* A duration: a decimal number (optional fraction and exponent), then one
 * of the units ms, s, m, h, d, w, mo, y, with nothing around it. The value
 * must be finite and > 0. On success *seconds holds it in seconds. */
int qr_units_duration(const char *text, double *seconds, const char **reason);

/* The same, but zero is allowed too, with any unit ("0s", "0m", "0.0h"),
 * for a moment on a clock (a scenario's times); negative values are not. */
int qr_units_duration_or_zero(const char *text, double *seconds, const char **reason);

/* A duration or the word "never" (stored as INFINITY). */
int qr_units_duration_or_never(const char *text, double *seconds,
                               const char **reason);

/* A percentage: a number followed by '%', strictly between 0 and 100. On
 * success *fraction holds it divided by 100 (0.9995 for "99.95%"). */
int qr_units_percent(const char *text, double *fraction, const char **reason);

/* A plain finite decimal number (no unit), any sign. */
int qr_units_number(const char *text, double *value, const char **reason);

/* A plain decimal integer (optional '-'), in the range of long long. */
int qr_units_integer(const char *text, long long *value, const char **reason);

#endif
