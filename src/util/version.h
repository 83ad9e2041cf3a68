/* version.h: the release of quorate, printed by --version and in reports. */
#ifndef QR_VERSION_H
#define QR_VERSION_H
#define QR_VERSION_STRING "0.1.0"
#endif
