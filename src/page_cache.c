/*
** page_cache.c — see page_cache.h.
**
** A page goes gzip-compressed to a client that takes it: the seed's plan
** page is 133 KB as it is and 16 KB in gzip, made once in 2-3 ms instead
** of copying 133 KB into the socket at every request. Pages that hold a
** CSRF token are compressed too: BREACH needs the victim's browser to send
** the session cookie with requests an attacker's page makes, and the
** cookie is SameSite=Strict.
*/
#include "page_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "gzip.h"

#define SLOTS 64
#define MAX_TOTAL ((size_t)128 << 20) /* bytes as they are, all entries */
#define GZIP_MIN_BYTES 1400             /* smaller: one TCP segment either way */
#define GZIP_LEVEL6_MAX ((size_t)1 << 20)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static cached_page *slot[SLOTS];
static unsigned next_slot;
static size_t total;

static void unref_locked(cached_page *c)
{
    if (--c->refs == 0) {
        free(c->data);
        free(c->gz);
        free(c);
    }
}

/* Drop slot i from the table (the entry lives on while it is in use). */
static void evict_locked(unsigned i)
{
    if (slot[i]) {
        total -= slot[i]->len;
        unref_locked(slot[i]);
        slot[i] = NULL;
    }
}

void page_cache_release(void *c)
{
    pthread_mutex_lock(&mu);
    unref_locked(c);
    pthread_mutex_unlock(&mu);
}

cached_page *page_cache_get(const char *key)
{
    cached_page *hit = NULL;
    pthread_mutex_lock(&mu);
    for (int i = 0; i < SLOTS; i++)
        if (slot[i] && strcmp(slot[i]->key, key) == 0) {
            hit = slot[i];
            hit->refs++;
            break;
        }
    pthread_mutex_unlock(&mu);
    return hit;
}

cached_page *page_cache_put(const char *key, char *data, size_t len)
{
    cached_page *c = xcalloc(1, sizeof *c);
    unsigned char h[16];
    snprintf(c->key, sizeof c->key, "%s", key);
    c->data = data;
    c->len = len;
    /* from the bytes, not from a counter: a tag a browser kept from before a
    ** restart must not name another page (BLAKE2b: 0.1 ms for the plan page) */
    crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
    sodium_bin2hex(c->etag, sizeof c->etag, h, sizeof h);
    c->refs = 2; /* the table's and the caller's */
    pthread_mutex_lock(&mu);
    for (unsigned i = 0; i < SLOTS; i++) /* made meanwhile by another request */
        if (slot[i] && strcmp(slot[i]->key, c->key) == 0)
            evict_locked(i);
    for (unsigned i = 0; i < SLOTS && total + len > MAX_TOTAL; i++)
        evict_locked((next_slot + i) % SLOTS);
    evict_locked(next_slot % SLOTS);
    slot[next_slot++ % SLOTS] = c;
    total += len;
    pthread_mutex_unlock(&mu);
    return c;
}

/* The gzip bytes of a held entry, made on first use (outside the lock:
** two threads may both make them; one copy is kept). NULL if zlib fails. */
static const char *gz_of(cached_page *c, size_t *len)
{
    char *gz;
    size_t n = 0;

    pthread_mutex_lock(&mu);
    gz = c->gz;
    *len = c->gzlen;
    pthread_mutex_unlock(&mu);
    if (gz)
        return gz;
    /* once; level 6 (38 MB/s here) for a page, 1 (110 MB/s) for the page
    ** of a plan of thousands of projects, not to hold its thread for seconds */
    gz = gzip_compress(c->data, c->len, c->len <= GZIP_LEVEL6_MAX ? 6 : 1, &n);
    if (!gz)
        return NULL;
    pthread_mutex_lock(&mu);
    if (c->gz) {
        free(gz);
    } else {
        c->gz = gz;
        c->gzlen = n;
    }
    gz = c->gz;
    *len = c->gzlen;
    pthread_mutex_unlock(&mu);
    return gz;
}

/* Whether an If-None-Match value names etag (a quoted tag; weak
** comparison, as RFC 9110 §13.1.2 has it: a W/ prefix does not count). */
static bool none_match_names(const char *inm, const char *etag)
{
    size_t n = strlen(etag);
    const char *s = inm;
    while (s && *s) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (*s == '*')
            return true;
        if (strncmp(s, "W/", 2) == 0)
            s += 2;
        if (strncmp(s, etag, n) == 0 && (s[n] == ',' || s[n] == ' ' || s[n] == '\t' || !s[n]))
            return true;
        s = strchr(s, ',');
    }
    return false;
}

void page_cache_send(http_req *r, cached_page *c, const char *ctype)
{
    const char *gz = NULL;
    size_t gzlen = 0;
    bool negotiated = c->len >= GZIP_MIN_BYTES && gzip_compressible(ctype);
    char etag[48];

    r->ctype = ctype;
    buf_reset(&r->out);
    if (negotiated)
        http_header(r, "Vary", "Accept-Encoding");
    snprintf(etag, sizeof etag, "\"%s%s\"", c->etag, negotiated && r->gzip_ok ? "-gz" : "");
    if (r->if_none_match && none_match_names(r->if_none_match, etag)) {
        /* the client has these bytes already */
        r->status = 304;
        http_header(r, "ETag", etag);
        page_cache_release(c);
        return;
    }
    r->status = 200;
    if (negotiated && r->gzip_ok) {
        if ((gz = gz_of(c, &gzlen)))
            http_header(r, "Content-Encoding", "gzip");
        else
            snprintf(etag, sizeof etag, "\"%s\"", c->etag); /* zlib failed: as it is */
    }
    http_header(r, "ETag", etag);
    r->shared = gz ? gz : c->data;
    r->shared_len = gz ? gzlen : c->len;
    r->release = page_cache_release;
    r->release_cls = c;
}
