/*
** http.c — see http.h. libmicrohttpd does the HTTP: parsing, keep-alive,
** chunking, the form and multipart decoding (MHD_PostProcessor). This file
** only turns its callbacks into one http_req per request and back.
**
** Threads: MHD's epoll thread pool. Each worker thread opens its own
** SQLite connection on first use (SQLite connections are not shared
** across threads); all are closed after the daemon has stopped.
*/
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gzip.h"

/* ---- key/value lists -------------------------------------------------------- */

static void kv_add(kvlist *l, const char *key, const char *value, size_t len,
                   const char *filename)
{
    kv *e;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    e = &l->v[l->n++];
    e->key = xstrdup(key);
    e->value = xstrndup(value ? value : "", len);
    e->len = len;
    e->filename = filename ? xstrdup(filename) : NULL;
}

const kv *kv_find(const kvlist *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].key, key) == 0)
            return &l->v[i];
    return NULL;
}

const char *kv_get(const kvlist *l, const char *key)
{
    const kv *e = kv_find(l, key);
    return e ? e->value : NULL;
}

static void kv_free(kvlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].value);
        free(l->v[i].filename);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- per-thread database connections ------------------------------------------ */

static pthread_mutex_t stores_mu = PTHREAD_MUTEX_INITIALIZER;
static store **stores;
static size_t nstores;
static _Thread_local store *thread_store;

static store *thread_db(const http_server_opts *o)
{
    char err[512];
    if (thread_store)
        return thread_store;
    thread_store = store_open(o->db_path, err, sizeof err);
    if (!thread_store)
        panic("%s", err); /* it opened at start-up; failing now is not bad input */
    pthread_mutex_lock(&stores_mu);
    stores = xrealloc(stores, (nstores + 1) * sizeof *stores);
    stores[nstores++] = thread_store;
    pthread_mutex_unlock(&stores_mu);
    return thread_store;
}

/* ---- request lifetime ------------------------------------------------------------- */

typedef struct conn_state {
    http_req r;
    struct MHD_PostProcessor *pp;
    buf field;          /* the upload field being received */
    char *field_key, *field_file;
    struct timespec t0;
    bool handled;       /* the request was read whole and handed on */
    bool offloaded;     /* to a worker (suspended until it is done) */
    bool ready;         /* the worker is done (atomic) */
    bool responded;
} conn_state;

static uint64_t next_id;

void http_header(http_req *r, const char *name, const char *value)
{
    strlist_take(&r->headers, xasprintf("%s: %s", name, value));
}

void http_redirect(http_req *r, const char *location)
{
    r->status = 303;
    http_header(r, "Location", location);
    buf_reset(&r->out);
}

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    kvlist *l = cls;
    (void)kind;
    kv_add(l, key, value, value ? strlen(value) : 0, NULL);
    return MHD_YES;
}

static void field_flush(conn_state *cs)
{
    if (!cs->field_key)
        return;
    kv_add(&cs->r.form, cs->field_key, cs->field.s ? cs->field.s : "", cs->field.len,
           cs->field_file);
    free(cs->field_key);
    free(cs->field_file);
    cs->field_key = cs->field_file = NULL;
    buf_reset(&cs->field);
}

/* MHD_PostProcessor hands fields over in pieces; a piece with a new key
** (or a new offset 0) starts a new field. */
static enum MHD_Result on_post(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    conn_state *cs = cls;
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    if (!cs->field_key || off == 0 || strcmp(cs->field_key, key) != 0) {
        field_flush(cs);
        cs->field_key = xstrdup(key);
        cs->field_file = filename ? xstrdup(filename) : NULL;
    }
    if (size)
        buf_add(&cs->field, data, size);
    if (cs->field.overflow) {
        cs->r.body_too_large = true;
        return MHD_NO;
    }
    return MHD_YES;
}

static const char *client_addr(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = 0;
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
                      (socklen_t)n);
    }
    return out;
}

static const char *security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
};

/* a body made for one request is compressed from this size on, up to 1 MB
** (larger ones are downloads, whose compression would hold the event loop;
** pages that are kept compress themselves: page_cache.h) */
#define GZIP_DYNAMIC_MIN 8192
#define GZIP_DYNAMIC_MAX ((size_t)1 << 20)

/* The three parts of a response with a shared body. */
typedef struct iov_parts {
    char *prefix, *suffix;
    void (*release)(void *cls);
    void *release_cls;
} iov_parts;

static void iov_done(void *cls)
{
    iov_parts *p = cls;
    free(p->prefix);
    free(p->suffix);
    if (p->release)
        p->release(p->release_cls);
    free(p);
}

static enum MHD_Result respond(struct MHD_Connection *c, conn_state *cs)
{
    http_req *r = &cs->r;
    struct MHD_Response *resp;
    enum MHD_Result ret;
    size_t len = r->out.len;
    const char *ctype = r->ctype ? r->ctype : "text/html; charset=utf-8";
    bool vary = false, gzipped = false;

    if (r->shared && !len && !r->tail.len) {
        /* the whole body is shared: one buffer, which MHD sends in the same
        ** sendmsg(2) as the header (an iovec body costs a second call) */
        resp = MHD_create_response_from_buffer_with_free_callback_cls(
            r->shared_len, (void *)r->shared, r->release, r->release_cls);
        r->shared = NULL;
    } else if (r->shared) {
        iov_parts *parts = xcalloc(1, sizeof *parts);
        struct MHD_IoVec iov[3];
        size_t tl = r->tail.len;
        parts->prefix = buf_detach(&r->out);
        parts->suffix = buf_detach(&r->tail);
        parts->release = r->release;
        parts->release_cls = r->release_cls;
        iov[0] = (struct MHD_IoVec){parts->prefix, len};
        iov[1] = (struct MHD_IoVec){r->shared, r->shared_len};
        iov[2] = (struct MHD_IoVec){parts->suffix, tl};
        resp = MHD_create_response_from_iovec(iov, 3, iov_done, parts);
        r->shared = NULL;
    } else {
        char *body = buf_detach(&r->out);
        if (len >= GZIP_DYNAMIC_MIN && len <= GZIP_DYNAMIC_MAX && gzip_compressible(ctype)) {
            /* a large body made for this request alone goes compressed on the
            ** way: zlib level 1, a 19 KB project form to 6 KB in 0.2 ms */
            size_t glen = 0;
            char *gz = r->gzip_ok && strcmp(r->method, "HEAD") != 0
                           ? gzip_compress(body, len, 1, &glen)
                           : NULL;
            vary = true;
            if (gz) {
                free(body);
                body = gz;
                len = glen;
                gzipped = true;
            }
        }
        resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    }
    MHD_add_response_header(resp, "Content-Type", ctype);
    if (vary)
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    if (gzipped)
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    for (size_t i = 0; i < ARRAY_LEN(security_headers); i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    for (size_t i = 0; i < r->headers.n; i++) {
        char *h = r->headers.v[i], *colon = strchr(h, ':');
        if (!colon)
            continue;
        *colon = 0;
        MHD_add_response_header(resp, h, colon + 2);
        *colon = ':';
    }
    ret = MHD_queue_response(c, (unsigned)(r->status ? r->status : 200), resp);
    MHD_destroy_response(resp);
    return ret;
}

static void plain_error(http_req *r, int status, const char *th, const char *en)
{
    r->status = status;
    buf_reset(&r->out);
    if (strncmp(r->path, "/api/", 5) == 0) {
        r->ctype = "application/json";
        buf_printf(&r->out, "{\"error\":{\"status\":%d,\"message_th\":\"%s\",\"message_en\":\"%s\"}}\n",
                   status, th, en);
    } else {
        r->ctype = "text/plain; charset=utf-8";
        buf_printf(&r->out, "%d %s / %s\n", status, th, en);
    }
}

/* The response to a request read whole, on this thread's database connection. */
static void handle(conn_state *cs, const http_server_opts *o)
{
    cs->r.st = thread_db(o);
    if (cs->r.body_too_large)
        plain_error(&cs->r, 413, "ข้อมูลที่ส่งมาใหญ่เกินกำหนด", "request body too large");
    else if (cs->r.form_bad)
        plain_error(&cs->r, 400, "อ่านแบบฟอร์มไม่ได้", "malformed form data");
    else
        web_handle(&cs->r);
}

/* ---- slow requests, off the event loops ------------------------------------------- */

/*
** The event loops answer what is quick: pages from the cache, small forms.
** A request the web layer calls slow (a PDF or workbook to render, a
** password to hash, an upload to read, mail to send) is suspended and
** handled by a worker, which resumes it when the response is ready: a 200 ms
** export no longer holds up every other connection of its loop.
*/
typedef struct job {
    struct MHD_Connection *c;
    conn_state *cs;
    struct job *next;
} job;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *head, *tail;
    bool stopping;      /* no new jobs: slow requests are handled where they come */
    pthread_t *t;
    int n;
    const http_server_opts *o;
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void *worker_main(void *unused)
{
    (void)unused;
    for (;;) {
        job *j;
        pthread_mutex_lock(&pool.mu);
        while (!pool.head && !pool.stopping)
            pthread_cond_wait(&pool.cv, &pool.mu);
        j = pool.head;
        if (j && !(pool.head = j->next))
            pool.tail = NULL;
        pthread_mutex_unlock(&pool.mu);
        if (!j)
            return NULL; /* stopping, and nothing left */
        handle(j->cs, pool.o);
        __atomic_store_n(&j->cs->ready, true, __ATOMIC_RELEASE);
        MHD_resume_connection(j->c);
        free(j);
    }
}

/* Hand cs to a worker (called in the access handler, which may suspend c);
** false when there are no workers or they are stopping. */
static bool offload(struct MHD_Connection *c, conn_state *cs)
{
    job *j;
    pthread_mutex_lock(&pool.mu);
    if (!pool.n || pool.stopping) {
        pthread_mutex_unlock(&pool.mu);
        return false;
    }
    j = xcalloc(1, sizeof *j);
    j->c = c;
    j->cs = cs;
    MHD_suspend_connection(c); /* before a worker can resume it */
    if (pool.tail)
        pool.tail->next = j;
    else
        pool.head = j;
    pool.tail = j;
    pthread_cond_signal(&pool.cv);
    pthread_mutex_unlock(&pool.mu);
    return true;
}

static void pool_start(const http_server_opts *o)
{
    pool.o = o;
    pool.stopping = false;
    pool.t = xcalloc((size_t)(o->workers > 0 ? o->workers : 1), sizeof *pool.t);
    for (pool.n = 0; pool.n < o->workers; pool.n++)
        if (pthread_create(&pool.t[pool.n], NULL, worker_main, NULL) != 0)
            break;
}

/* The jobs queued are finished (their connections resumed), then the
** workers end; slow requests that come meanwhile are handled in place. */
static void pool_stop(void)
{
    pthread_mutex_lock(&pool.mu);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.cv);
    pthread_mutex_unlock(&pool.mu);
    while (pool.n > 0)
        pthread_join(pool.t[--pool.n], NULL);
    free(pool.t);
    pool.t = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    const http_server_opts *o = cls;
    conn_state *cs = *con_cls;
    (void)version;

    if (!cs) {
        char addr[64];
        cs = xcalloc(1, sizeof *cs);
        clock_gettime(CLOCK_MONOTONIC, &cs->t0);
        snprintf(cs->r.id, sizeof cs->r.id, "%llx",
                 (unsigned long long)__atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED));
        cs->r.method = method;
        cs->r.path = url;
        cs->r.opts = o;
        buf_init(&cs->r.body, o->max_body);
        buf_init(&cs->field, o->max_body);
        buf_init(&cs->r.out, 0);
        buf_init(&cs->r.tail, 0);
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &cs->r.query);
        MHD_get_connection_values(c, MHD_COOKIE_KIND, collect, &cs->r.cookies);
        cs->r.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        cs->r.authorization =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        cs->r.gzip_ok = gzip_accepted(
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
        cs->r.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
        cs->r.client = xstrdup(client_addr(c, addr, sizeof addr));
        if (o->trust_proxy) {
            const char *xf =
                MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
            cs->r.secure = xf && strcmp(xf, "https") == 0;
        }
        {
            const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
            if (cl && strtoull(cl, NULL, 10) > o->max_body)
                cs->r.body_too_large = true;
        }
        if (!cs->r.body_too_large && strcmp(method, "POST") == 0 && cs->r.content_type &&
            (strncmp(cs->r.content_type, "application/x-www-form-urlencoded", 33) == 0 ||
             strncmp(cs->r.content_type, "multipart/form-data", 19) == 0))
            cs->pp = MHD_create_post_processor(c, 64 * 1024, on_post, cs);
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cs->r.body_too_large) {
            buf_add(&cs->r.body, upload_data, *upload_size);
            if (cs->r.body.overflow)
                cs->r.body_too_large = true;
            else if (cs->pp && MHD_post_process(cs->pp, upload_data, *upload_size) != MHD_YES)
                cs->r.form_bad = !cs->r.body_too_large;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (cs->handled) {
        /* resumed: a worker has the response ready */
        if (cs->offloaded && !cs->responded && __atomic_load_n(&cs->ready, __ATOMIC_ACQUIRE)) {
            cs->responded = true;
            return respond(c, cs);
        }
        return MHD_YES;
    }
    cs->handled = true;
    field_flush(cs);
    if (web_is_slow(&cs->r) && offload(c, cs)) {
        cs->offloaded = true;
        return MHD_YES;
    }
    handle(cs, o);
    cs->responded = true;
    return respond(c, cs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    const http_server_opts *o = cls;
    conn_state *cs = *con_cls;
    (void)c;
    (void)toe;
    if (!cs)
        return;
    if (!o->quiet) {
        struct timespec t1;
        time_t now = time(NULL);
        struct tm tm;
        char ts[32];
        clock_gettime(CLOCK_MONOTONIC, &t1);
        gmtime_r(&now, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(stderr, "%s %s %s %s %s %d %.1fms %s\n", ts, cs->r.id,
                cs->r.client ? cs->r.client : "-", cs->r.method, cs->r.path,
                cs->r.status ? cs->r.status : 200,
                (double)(t1.tv_sec - cs->t0.tv_sec) * 1e3 +
                    (double)(t1.tv_nsec - cs->t0.tv_nsec) / 1e6,
                cs->r.signed_in ? cs->r.u.login : "-");
    }
    if (cs->pp)
        MHD_destroy_post_processor(cs->pp);
    free(cs->field_key);
    free(cs->field_file);
    buf_free(&cs->field);
    kv_free(&cs->r.query);
    kv_free(&cs->r.form);
    kv_free(&cs->r.cookies);
    buf_free(&cs->r.body);
    buf_free(&cs->r.out);
    buf_free(&cs->r.tail);
    if (cs->r.shared && cs->r.release) /* never handed to MHD */
        cs->r.release(cs->r.release_cls);
    strlist_free(&cs->r.headers);
    free((char *)cs->r.client);
    free(cs);
    *con_cls = NULL;
}

/* ---- serving ------------------------------------------------------------------------ */

static int parse_listen(const char *listen, struct sockaddr_in *sa, char *err, size_t errlen)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    long port;
    char *end;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (!colon || (size_t)(colon - listen) >= sizeof host) {
        snprintf(err, errlen, "--listen ต้องเป็น ที่อยู่:พอร์ต เช่น 127.0.0.1:8080 / --listen must "
                              "be ADDRESS:PORT, e.g. 127.0.0.1:8080");
        return -1;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
        snprintf(err, errlen, "--listen '%s': ที่อยู่หรือพอร์ตไม่ถูกต้อง / bad address or port",
                 listen);
        return -1;
    }
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

int http_serve(const http_server_opts *o, char *err, size_t errlen)
{
    struct sockaddr_in sa;
    struct MHD_Daemon *d;
    sigset_t set;
    int sig = 0;
    store *probe;

    if (parse_listen(o->listen, &sa, err, errlen) != 0)
        return -1;
    /* open once here so a bad database is a start-up error, not a 500 */
    probe = store_open(o->db_path, err, errlen);
    if (!probe)
        return -1;
    store_close(probe);

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* worker threads inherit the mask */
    pool_start(o);

    d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
                             MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC | MHD_USE_TURBO,
                         0, NULL, NULL, on_request, (void *)o, MHD_OPTION_SOCK_ADDR, &sa,
                         MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ? o->threads : 4),
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)o,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                         /* MHD clears what a request used of this at the next one on
                         ** the connection: bigger is slower, not better (bodies stream) */
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
                         MHD_OPTION_END);
    if (!d) {
        pool_stop();
        snprintf(err, errlen, "เปิดพอร์ต %s ไม่ได้ (ถูกใช้อยู่?) / cannot listen on %s (in use?)",
                 o->listen, o->listen);
        return -1;
    }
    {
        const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        fprintf(stderr, "phaen: serving http://%s:%u/ (database %s)\n",
                inet_ntoa(sa.sin_addr), di ? di->port : ntohs(sa.sin_port), o->db_path);
    }
    sigwait(&set, &sig);
    fprintf(stderr, "phaen: signal %d: finishing requests in flight\n", sig);
    /* stop accepting; the workers finish what they hold; let the requests
    ** in flight finish (up to 10 s) */
    MHD_quiesce_daemon(d);
    pool_stop();
    for (int i = 0; i < 100; i++) {
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!di || di->num_connections == 0)
            break;
        usleep(100 * 1000);
    }
    MHD_stop_daemon(d);
    pthread_mutex_lock(&stores_mu);
    for (size_t i = 0; i < nstores; i++)
        store_close(stores[i]);
    free(stores);
    stores = NULL;
    nstores = 0;
    pthread_mutex_unlock(&stores_mu);
    fprintf(stderr, "phaen: stopped cleanly\n");
    return 0;
}
