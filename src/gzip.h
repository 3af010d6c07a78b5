/*
** gzip.h — gzip content coding for responses (zlib does the deflating):
** whether a client's Accept-Encoding takes gzip, and compressing a body.
*/
#ifndef PHAEN_GZIP_H
#define PHAEN_GZIP_H

#include <stdbool.h>
#include <stddef.h>

/* Whether an Accept-Encoding field value (RFC 9110 §12.5.3; NULL when the
** request has none) accepts the gzip coding: "gzip" or "x-gzip" with a
** weight above 0, or "*" above 0 when gzip is not named. Names are
** case-insensitive; "gzip;q=0" refuses it; an element whose weight cannot
** be read counts as not given. */
bool gzip_accepted(const char *accept_encoding);

/* Whether a body of Content-Type ctype is worth compressing: text (HTML,
** CSS, JavaScript, CSV), JSON, Atom and SVG; not PDF, XLSX or images,
** which are compressed already. */
bool gzip_compressible(const char *ctype);

/* data[0..len) as a gzip member at zlib level 1-9 (no name, time 0: the
** same bytes for the same input); a malloc'd buffer and its length in
** *outlen, or NULL when zlib fails (out of memory). */
char *gzip_compress(const void *data, size_t len, int level, size_t *outlen);

#endif
