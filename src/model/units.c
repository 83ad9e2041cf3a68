/*
 * units.c: the strict scalar parsers of units.h. A number is scanned by
 * hand first (sign, digits, optional fraction, optional exponent) so that
 * strtod never sees what it would accept but a topology must not: leading
 * blanks, hex, "inf", "nan". Only the scanned span is converted; whatever
 * follows must be exactly a known unit.
 */
#include "model/units.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const qr_units_unit qr_units_written[QR_UNITS_WRITTEN] = {
    { "y", QR_UNITS_YEAR }, { "mo", QR_UNITS_MONTH }, { "w", 7 * 86400.0 },
    { "d", 86400.0 },       { "h", 3600.0 },          { "m", 60.0 },
    { "s", 1.0 },
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the decimal number at the start of s (0 when there is none).
 * Accepts [+-]?digits[.digits]?([eE][+-]?digits)?, and ".5" / "5." too. */
static size_t scan_number(const char *s)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (is_digit(s[i])) {
        i++;
        digits++;
    }
    if (s[i] == '.') {
        i++;
        while (is_digit(s[i])) {
            i++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-')
            j++;
        if (is_digit(s[j])) {
            while (is_digit(s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

/* Convert the first len characters of s (a span from scan_number). */
static int convert(const char *s, size_t len, double *value,
                   const char **reason)
{
    char buf[64];
    char *heap = NULL;
    char *p = buf;
    if (len >= sizeof(buf)) {
        heap = malloc(len + 1);
        if (!heap) {
            *reason = "out of memory";
            return -1;
        }
        p = heap;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    errno = 0;
    char *end = NULL;
    double v = strtod(p, &end);
    int range = errno == ERANGE;
    int whole = end == p + len;
    free(heap);
    if (!whole) {
        *reason = "not a number";
        return -1;
    }
    /* ERANGE also flags underflow: a tiny value that is not zero is out of
     * range too, as nothing in a topology is that small. */
    if (range || !isfinite(v)) {
        *reason = "number out of range";
        return -1;
    }
    *value = v;
    return 0;
}

static const struct {
    const char *name;
    double      seconds;
} units[] = {
    { "ms", 0.001 },  { "s", 1.0 },       { "m", 60.0 },
    { "h", 3600.0 },  { "d", 86400.0 },   { "w", 7 * 86400.0 },
    { "mo", QR_UNITS_MONTH }, { "y", QR_UNITS_YEAR },
};

static int duration(const char *text, bool zero_ok, double *seconds, const char **reason)
{
    size_t len = scan_number(text);
    if (len == 0) {
        *reason = "not a number";
        return -1;
    }
    const char *unit = text + len;
    if (*unit == '\0') {
        *reason = "no unit";
        return -1;
    }
    double factor = 0;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcmp(unit, units[i].name) == 0)
            factor = units[i].seconds;
    if (factor == 0) {
        *reason = "unknown unit";
        return -1;
    }
    double v;
    if (convert(text, len, &v, reason) != 0)
        return -1;
    if (v < 0 || (v == 0 && !zero_ok)) {
        *reason = zero_ok ? "must not be negative" : "must be greater than zero";
        return -1;
    }
    double s = v == 0 ? 0.0 : v * factor; /* "-0m" is 0 too */
    if (!isfinite(s)) {
        *reason = "number out of range";
        return -1;
    }
    *seconds = s;
    return 0;
}

int qr_units_duration(const char *text, double *seconds, const char **reason)
{
    return duration(text, false, seconds, reason);
}

int qr_units_duration_or_zero(const char *text, double *seconds, const char **reason)
{
    return duration(text, true, seconds, reason);
}

int qr_units_duration_or_never(const char *text, double *seconds,
                               const char **reason)
{
    if (strcmp(text, "never") == 0) {
        *seconds = INFINITY;
        return 0;
    }
    return qr_units_duration(text, seconds, reason);
}

int qr_units_percent(const char *text, double *fraction, const char **reason)
{
    size_t len = scan_number(text);
    if (len == 0) {
        *reason = "not a number";
        return -1;
    }
    if (strcmp(text + len, "%") != 0) {
        *reason = text[len] ? "trailing characters" : "no '%'";
        return -1;
    }
    double v;
    if (convert(text, len, &v, reason) != 0)
        return -1;
    if (!(v > 0 && v < 100)) {
        *reason = "must be between 0% and 100%, both excluded";
        return -1;
    }
    *fraction = v / 100.0;
    return 0;
}

int qr_units_number(const char *text, double *value, const char **reason)
{
    size_t len = scan_number(text);
    if (len == 0) {
        *reason = "not a number";
        return -1;
    }
    if (text[len] != '\0') {
        *reason = "trailing characters";
        return -1;
    }
    return convert(text, len, value, reason);
}

int qr_units_integer(const char *text, long long *value, const char **reason)
{
    size_t i = text[0] == '-' ? 1 : 0;
    if (!is_digit(text[i])) {
        *reason = "not an integer";
        return -1;
    }
    while (is_digit(text[i]))
        i++;
    if (text[i] != '\0') {
        *reason = "not an integer";
        return -1;
    }
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno == ERANGE) {
        *reason = "number out of range";
        return -1;
    }
    *value = v;
    return 0;
}
