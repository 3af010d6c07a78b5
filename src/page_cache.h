/*
** page_cache.h — responses kept in memory and sent without copying: the
** plan page and JSON export (web.c; keyed by version, store generation and
** filters, so nothing stale is found again), the published files of the
** public site (web_public.c; they never change) and the stylesheet and
** script. An entry lives while a response still uses it, even after it has
** been replaced or evicted. A client that takes gzip gets the entry's gzip
** bytes, made once when the first such client asks.
*/
#ifndef PHAEN_PAGE_CACHE_H
#define PHAEN_PAGE_CACHE_H

#include <stddef.h>

#include "http.h"

typedef struct cached_page {
    char key[300];
    char *data;   /* the body as it is */
    size_t len;
    char etag[40];  /* "BLAKE2b-128 of data in hex": the same bytes, the same tag */
    /* private: the gzip bytes (NULL until asked for) and references */
    char *gz;
    size_t gzlen;
    int refs;
} cached_page;

/* A held reference to the entry for key, or NULL. */
cached_page *page_cache_get(const char *key);
/* Keep data (malloc'd; ownership passes) under key, evicting the oldest
** entries beyond 64 or 128 MB in all; returns a held reference. */
cached_page *page_cache_put(const char *key, char *data, size_t len);
/* Give a reference back (also the release callback of a response). */
void page_cache_release(void *c);
/* Answer with a held entry, whose reference goes with the response:
** Content-Type ctype; for a text type (HTML, CSS, JavaScript, CSV, JSON,
** Atom, SVG) of 1,400 bytes or more "Vary: Accept-Encoding", and the gzip
** bytes with "Content-Encoding: gzip" when the request takes them. The
** ETag is the entry's, with "-gz" inside the quotes for the gzip bytes;
** a request whose If-None-Match names it gets 304 and no body. */
void page_cache_send(http_req *r, cached_page *c, const char *ctype);

#endif
