/*
** test_page_cache.c — the page cache the web server answers from: an entry
** outlives its eviction while a response still holds it, the oldest go
** first (by count and by bytes), a key put again replaces the old entry,
** and page_cache_send() negotiates gzip: the compressed bytes only for a
** client that takes them and a text type, Vary on both answers, small
** bodies and PDFs as they are.
*/
#include "testutil.h"

#include <zlib.h>

#include "page_cache.h"

/* A malloc'd body of n bytes of c. */
static char *body(size_t n, char c)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = 0;
    return s;
}

/* The value of header name in r ("" when absent). */
static const char *header(const http_req *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->headers.n; i++)
        if (strncmp(r->headers.v[i], name, n) == 0 && r->headers.v[i][n] == ':')
            return r->headers.v[i] + n + 2;
    return "";
}

static void req_init(http_req *r, bool gzip_ok)
{
    memset(r, 0, sizeof *r);
    buf_init(&r->out, 0);
    r->gzip_ok = gzip_ok;
}

/* What a response does when it is done with its entry. */
static void req_done(http_req *r)
{
    if (r->release)
        r->release(r->release_cls);
    strlist_free(&r->headers);
    buf_free(&r->out);
}

static void test_evict_while_held(void **state)
{
    char key[32];
    cached_page *held, *c;
    (void)state;
    held = page_cache_put("evict:0", body(100, 'a'), 100);
    /* 64 newer entries push the first out of the table */
    for (int i = 1; i <= 64; i++) {
        snprintf(key, sizeof key, "evict:%d", i);
        page_cache_release(page_cache_put(key, body(10, 'b'), 10));
    }
    assert_null(page_cache_get("evict:0"));
    c = page_cache_get("evict:64");
    assert_non_null(c);
    assert_int_equal(c->len, 10);
    page_cache_release(c);
    /* ... but the response that holds it still reads its bytes (ASan would say) */
    assert_int_equal(held->len, 100);
    assert_int_equal(held->data[99], 'a');
    page_cache_release(held);
}

static void test_bytes_and_replace(void **state)
{
    const size_t mb40 = (size_t)40 << 20;
    cached_page *c;
    (void)state;
    /* 128 MB in all: a fourth 40 MB entry sends the oldest away */
    for (int i = 0; i < 4; i++) {
        char key[32];
        snprintf(key, sizeof key, "big:%d", i);
        page_cache_release(page_cache_put(key, body(mb40, (char)('0' + i)), mb40));
    }
    assert_null(page_cache_get("big:0"));
    for (int i = 1; i < 4; i++) {
        char key[32];
        snprintf(key, sizeof key, "big:%d", i);
        c = page_cache_get(key);
        assert_non_null(c);
        assert_int_equal(c->data[0], '0' + i);
        page_cache_release(c);
    }
    /* the same key again: the newer bytes are found */
    page_cache_release(page_cache_put("same", body(5, 'x'), 5));
    page_cache_release(page_cache_put("same", body(7, 'y'), 7));
    c = page_cache_get("same");
    assert_int_equal(c->len, 7);
    assert_int_equal(c->data[0], 'y');
    page_cache_release(c);
}

static void test_send_gzip(void **state)
{
    /* HTML of 20 KB (the size of a small plan page) */
    const size_t n = 20000;
    cached_page *c = page_cache_put("gz:html", body(n, 'p'), n);
    cached_page *pdf, *small;
    http_req r;
    char out[20001];
    uLongf outlen = sizeof out;
    (void)state;

    /* a hold for each of the three answers below (the put's is the first) */
    assert_ptr_equal(page_cache_get("gz:html"), c);
    assert_ptr_equal(page_cache_get("gz:html"), c);
    req_init(&r, true);
    page_cache_send(&r, c, "text/html; charset=utf-8");
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Encoding"), "gzip");
    assert_string_equal(header(&r, "Vary"), "Accept-Encoding");
    assert_true(r.shared_len < n / 50);
    {
        /* zlib's decoder gives the page back */
        z_stream z = {0};
        assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
        z.next_in = (Bytef *)r.shared;
        z.avail_in = (uInt)r.shared_len;
        z.next_out = (Bytef *)out;
        z.avail_out = (uInt)outlen;
        assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
        assert_int_equal(z.total_out, n);
        assert_memory_equal(out, c->data, n);
        inflateEnd(&z);
    }
    req_done(&r);

    /* no gzip asked for: the bytes as they are, Vary all the same */
    req_init(&r, false);
    page_cache_send(&r, c, "text/html; charset=utf-8");
    assert_string_equal(header(&r, "Content-Encoding"), "");
    assert_string_equal(header(&r, "Vary"), "Accept-Encoding");
    assert_ptr_equal(r.shared, c->data);
    assert_int_equal(r.shared_len, n);
    req_done(&r);

    /* a PDF is compressed already; a small body is one packet either way */
    pdf = page_cache_put("gz:pdf", body(n, '%'), n);
    req_init(&r, true);
    page_cache_send(&r, pdf, "application/pdf");
    assert_string_equal(header(&r, "Content-Encoding"), "");
    assert_string_equal(header(&r, "Vary"), "");
    assert_int_equal(r.shared_len, n);
    req_done(&r);
    small = page_cache_put("gz:small", body(1399, 's'), 1399);
    req_init(&r, true);
    page_cache_send(&r, small, "application/json; charset=utf-8");
    assert_string_equal(header(&r, "Content-Encoding"), "");
    assert_int_equal(r.shared_len, 1399);
    req_done(&r);

    /* JSON of the same size: gzip */
    req_init(&r, true);
    page_cache_send(&r, c, "application/json; charset=utf-8");
    assert_string_equal(header(&r, "Content-Encoding"), "gzip");
    req_done(&r);
    /* the table's own hold is left: still found */
    c = page_cache_get("gz:html");
    assert_non_null(c);
    page_cache_release(c);
}

/* ETag from the bytes (the same after a restart), a variant for gzip, 304
** for If-None-Match naming the tag the request would get. */
static void test_etag(void **state)
{
    const size_t n = 5000;
    cached_page *c = page_cache_put("etag:a", body(n, 'e'), n);
    cached_page *same, *other;
    http_req r;
    char tag[64], tag_gz[64], inm[200];
    (void)state;

    assert_int_equal(strlen(c->etag), 32);
    /* the same bytes under another key (as after a restart): the same tag */
    same = page_cache_put("etag:b", body(n, 'e'), n);
    assert_string_equal(same->etag, c->etag);
    other = page_cache_put("etag:c", body(n, 'f'), n);
    assert_string_not_equal(other->etag, c->etag);
    page_cache_release(same);
    page_cache_release(other);

    snprintf(tag, sizeof tag, "\"%s\"", c->etag);
    snprintf(tag_gz, sizeof tag_gz, "\"%s-gz\"", c->etag);
    /* a hold for each of the six answers below (the put's is the first) */
    assert_ptr_equal(page_cache_get("etag:a"), c);
    assert_ptr_equal(page_cache_get("etag:a"), c);
    assert_ptr_equal(page_cache_get("etag:a"), c);
    assert_ptr_equal(page_cache_get("etag:a"), c);
    assert_ptr_equal(page_cache_get("etag:a"), c);

    req_init(&r, false);
    page_cache_send(&r, c, "text/html; charset=utf-8");
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "ETag"), tag);
    req_done(&r);
    req_init(&r, true);
    page_cache_send(&r, c, "text/html; charset=utf-8");
    assert_string_equal(header(&r, "ETag"), tag_gz);
    req_done(&r);

    /* the tag it would get, in a list, or weak: 304 and nothing to send */
    req_init(&r, true);
    snprintf(inm, sizeof inm, "\"x\", W/%s", tag_gz);
    r.if_none_match = inm;
    page_cache_send(&r, c, "text/html; charset=utf-8");
    assert_int_equal(r.status, 304);
    assert_null(r.shared);
    assert_null(r.release);
    assert_string_equal(header(&r, "ETag"), tag_gz);
    req_done(&r);
    /* the other encoding's tag is another representation: 200 */
    req_init(&r, true);
    r.if_none_match = tag;
    page_cache_send(&r, c, "text/html; charset=utf-8");
    assert_int_equal(r.status, 200);
    assert_non_null(r.shared);
    req_done(&r);
    /* a tag that is only a prefix of ours does not match */
    req_init(&r, false);
    snprintf(inm, sizeof inm, "\"%.20s\"", c->etag);
    r.if_none_match = inm;
    page_cache_send(&r, c, "text/html; charset=utf-8");
    assert_int_equal(r.status, 200);
    req_done(&r);
    req_init(&r, false);
    r.if_none_match = "*";
    page_cache_send(&r, c, "text/html; charset=utf-8");
    assert_int_equal(r.status, 304);
    req_done(&r);
    /* six answers, six holds given back: the table's is left */
    c = page_cache_get("etag:a");
    assert_non_null(c);
    page_cache_release(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evict_while_held),
        cmocka_unit_test(test_bytes_and_replace),
        cmocka_unit_test(test_send_gzip),
        cmocka_unit_test(test_etag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
