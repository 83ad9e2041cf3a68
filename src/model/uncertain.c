/*
 * uncertain.c: the distributions of uncertain values (uncertain.h): their
 * quantiles, their point value, and their description in words. The normal
 * quantile is Wichura's algorithm AS 241 (PPND16), Applied Statistics 37
 * (1988) 477-484: rational approximations in three ranges, accurate to
 * about 1e-16.
 */
#include "model/uncertain.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model/topology_write.h"
#include "model/units.h"

/* Evaluate c[0] + c[1] r + ... + c[7] r^7 (Horner). */
static double poly7(const double *c, double r)
{
    double v = c[7];
    for (int i = 6; i >= 0; i--)
        v = v * r + c[i];
    return v;
}

double qr_normal_quantile(double p)
{
    static const double a[8] = { 3.3871328727963666080e0,  1.3314166789178437745e+2,
                                 1.9715909503065514427e+3, 1.3731693765509461125e+4,
                                 4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                 3.3430575583588128105e+4, 2.5090809287301226727e+3 };
    static const double b[8] = { 1.0,
                                 4.2313330701600911252e+1,
                                 6.8718700749205790830e+2,
                                 5.3941960214247511077e+3,
                                 2.1213794301586595867e+4,
                                 3.9307895800092710610e+4,
                                 2.8729085735721942674e+4,
                                 5.2264952788528545610e+3 };
    static const double c[8] = { 1.42343711074968357734e0,  4.63033784615654529590e0,
                                 5.76949722146069140550e0,  3.64784832476320460504e0,
                                 1.27045825245236838258e0,  2.41780725177450611770e-1,
                                 2.27238449892691845833e-2, 7.74545014278341407640e-4 };
    static const double d[8] = { 1.0,
                                 2.05319162663775882187e0,
                                 1.67638483018380384940e0,
                                 6.89767334985100004550e-1,
                                 1.48103976427480074590e-1,
                                 1.51986665636164571966e-2,
                                 5.47593808499534494600e-4,
                                 1.05075007164441684324e-9 };
    static const double e[8] = { 6.65790464350110377720e0,  5.46378491116411436990e0,
                                 1.78482653991729133580e0,  2.96560571828504891230e-1,
                                 2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                 2.71155556874348757815e-5, 2.01033439929228813265e-7 };
    static const double f[8] = { 1.0,
                                 5.99832206555887937690e-1,
                                 1.36929880922735805310e-1,
                                 1.48753612908506148525e-2,
                                 7.86869131145613259100e-4,
                                 1.84631831751005468180e-5,
                                 1.42151175831644588870e-7,
                                 2.04426310338993978564e-15 };
    if (!(p > 0))
        return -INFINITY;
    if (!(p < 1))
        return INFINITY;
    double q = p - 0.5;
    if (fabs(q) <= 0.425) {
        double r = 0.180625 - q * q;
        return q * poly7(a, r) / poly7(b, r);
    }
    double r = sqrt(-log(q < 0 ? p : 1 - p)), v;
    if (r <= 5) {
        r -= 1.6;
        v = poly7(c, r) / poly7(d, r);
    } else {
        r -= 5;
        v = poly7(e, r) / poly7(f, r);
    }
    return q < 0 ? -v : v;
}

double qr_uncertain_quantile(const qr_uncertain *u, double q)
{
    if (u->form == QR_UNC_LOG_UNIFORM)
        return u->low * pow(u->high / u->low, q);
    return u->median * pow(u->error_factor, qr_normal_quantile(q) / QR_Z95);
}

double qr_uncertain_point(const qr_uncertain *u)
{
    if (u->form == QR_UNC_LOG_UNIFORM)
        return sqrt(u->low * u->high);
    return u->median;
}

const char *qr_duration_text(double seconds, char *buf, size_t size)
{
    const qr_units_unit *units = qr_units_written;
    qr_topology_write_duration(seconds, buf, size);
    size_t n = strlen(buf);
    /* A whole number of a unit other than seconds, or whole seconds under an
     * hour: as written (a value no unit gives exactly has a fraction). */
    bool whole = !strchr(buf, '.') && !strchr(buf, 'e');
    if (isinf(seconds) || !(seconds > 0) || n < 2 ||
        (whole && (buf[n - 1] != 's' || seconds < 3600)))
        return buf;
    for (int i = 0; i < QR_UNITS_WRITTEN; i++) {
        double k = seconds / units[i].seconds;
        if (k >= 1) {
            snprintf(buf, size, k >= 1000 ? "%.0f%s" : "%.3g%s", k, units[i].name);
            return buf;
        }
    }
    return buf;
}

const char *qr_uncertain_form_name(qr_uncertain_form f)
{
    return f == QR_UNC_LOG_UNIFORM ? "log-uniform" : "lognormal";
}

const char *qr_uncertain_value_text(const qr_uncertain *u, double v, char *buf, size_t size)
{
    if (u->fraction) {
        snprintf(buf, size, "%.3g%%", v * 100);
        return buf;
    }
    return qr_duration_text(v, buf, size);
}

const char *qr_uncertain_unit(const qr_uncertain *u)
{
    return u->fraction ? "fraction" : "seconds";
}

const char *qr_uncertain_text(const qr_uncertain *u, char *buf, size_t size)
{
    char x[48], y[48];
    if (u->fraction) /* a factor: { low, high } only (assumptions_load.c) */
        snprintf(buf, size, "log-uniform %s to %s", qr_uncertain_value_text(u, u->low, x, sizeof(x)),
                 qr_uncertain_value_text(u, u->high, y, sizeof(y)));
    else if (u->form == QR_UNC_LOG_UNIFORM)
        snprintf(buf, size, "log-uniform %s to %s",
                 qr_topology_write_duration(u->low, x, sizeof(x)),
                 qr_topology_write_duration(u->high, y, sizeof(y)));
    else
        snprintf(buf, size, "lognormal, median %s, error factor %g",
                 qr_topology_write_duration(u->median, x, sizeof(x)), u->error_factor);
    return buf;
}
