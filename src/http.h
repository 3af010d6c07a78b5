/*
** http.h — the HTTP server on libmicrohttpd: one request context per
** request (no globals per request), form and upload parsing through
** MHD's post processor, responses with the security headers, an access log
** with request ids, and a graceful stop. Pages live in web.c.
*/
#ifndef PHAEN_HTTP_H
#define PHAEN_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "util.h"

typedef struct kv {
    char *key, *value;
    size_t len;       /* value length (uploads may hold any bytes) */
    char *filename;   /* uploads: the file's name; NULL for plain fields */
} kv;

typedef struct kvlist {
    kv *v;
    size_t n, cap;
} kvlist;

const char *kv_get(const kvlist *l, const char *key);
const kv *kv_find(const kvlist *l, const char *key);

typedef struct http_server_opts {
    const char *listen;    /* "127.0.0.1:8080" */
    const char *db_path;
    size_t max_body;       /* bytes; larger bodies get 413 */
    int threads;           /* threads answering requests (the event loops) */
    int workers;           /* threads for slow requests (web_is_slow); 0 = none */
    bool trust_proxy;      /* honour X-Forwarded-Proto */
    bool quiet;            /* no access log */
} http_server_opts;

typedef struct http_req {
    /* request */
    char id[20];           /* request id, also in the access log */
    const char *method;    /* "GET", "POST", ... */
    const char *path;      /* "/plan" (no query) */
    kvlist query;          /* ?a=b */
    kvlist form;           /* POST fields and uploads */
    kvlist cookies;
    buf body;              /* the raw body (JSON API) */
    bool body_too_large;
    bool form_bad;         /* the form could not be read */
    const char *content_type;
    const char *authorization;
    const char *client;    /* client address as text */
    bool secure;           /* TLS, or a trusted proxy said https */
    bool gzip_ok;          /* its Accept-Encoding takes gzip (gzip.h) */
    const char *if_none_match; /* the If-None-Match field, or NULL */
    store *st;             /* this thread's database connection */
    const http_server_opts *opts;
    /* who (filled by the web layer) */
    uint64_t generation;   /* store_generation() when the request began */
    bool signed_in;
    user u;
    char csrf[72];
    char token_hash[72];
    /* response */
    int status;
    buf out;
    const char *ctype;     /* default "text/html; charset=utf-8" */
    strlist headers;       /* "Name: value" */
    /* a shared body sent without copying between `out` (prefix) and `tail`
    ** (suffix); release(cls) is called when the response is done */
    const void *shared;
    size_t shared_len;
    void (*release)(void *cls);
    void *release_cls;
    buf tail;
    void *priv;            /* web layer scratch */
} http_req;

void http_header(http_req *r, const char *name, const char *value);
void http_redirect(http_req *r, const char *location); /* 303 See Other */

/* The request handler, implemented by web.c. */
void web_handle(http_req *r);
/* Whether r may take long (web.c's routes say): then a worker handles it,
** not the thread that answers every other connection of its event loop. */
bool web_is_slow(const http_req *r);

/* Run the server until SIGTERM/SIGINT; finishes requests in flight, closes
** the database cleanly, returns 0. -1 with err when it cannot start. */
int http_serve(const http_server_opts *o, char *err, size_t errlen);

#endif
