/*
** test_gzip.c — the gzip content coding of responses: which Accept-Encoding
** values take gzip (what browsers, curl and proxies send, and the weights
** RFC 9110 allows), and that the compressed bytes decode to the input,
** are the same every time, and are a gzip member with no time in it.
*/
#include "testutil.h"

#include <zlib.h>

#include "gzip.h"

static void test_accepted(void **state)
{
    (void)state;
    /* as sent by Chromium, Firefox, curl --compressed, and older clients */
    assert_true(gzip_accepted("gzip, deflate, br, zstd"));
    assert_true(gzip_accepted("gzip, deflate, br"));
    assert_true(gzip_accepted("deflate, gzip, br, zstd"));
    assert_true(gzip_accepted("gzip"));
    assert_true(gzip_accepted("x-gzip"));
    assert_true(gzip_accepted("GZip"));
    assert_true(gzip_accepted("br;q=1.0, gzip;q=0.8, *;q=0.1"));
    assert_true(gzip_accepted("br , gzip ; q=0.5"));
    assert_true(gzip_accepted("gzip;Q=1"));
    assert_true(gzip_accepted("gzip;q=0.001"));
    assert_true(gzip_accepted("gzip;q=1."));
    assert_true(gzip_accepted("*"));
    assert_true(gzip_accepted("identity;q=0.5, *;q=0.1"));
    /* no header, nothing that names gzip, or gzip refused */
    assert_false(gzip_accepted(NULL));
    assert_false(gzip_accepted(""));
    assert_false(gzip_accepted(" , ,"));
    assert_false(gzip_accepted("identity"));
    assert_false(gzip_accepted("deflate, br"));
    assert_false(gzip_accepted("gzipx, xgzip"));
    assert_false(gzip_accepted("gzip;q=0"));
    assert_false(gzip_accepted("gzip;q=0.000"));
    assert_false(gzip_accepted("gzip;q=0, *"));      /* named: the star does not count */
    assert_false(gzip_accepted("*;q=0"));
    /* weights that are not qvalues: the element counts as not given */
    assert_false(gzip_accepted("gzip;q=1.5"));
    assert_false(gzip_accepted("gzip;q=0.0001"));
    assert_false(gzip_accepted("gzip;q=yes"));
    assert_false(gzip_accepted("gzip;q="));
    assert_true(gzip_accepted("gzip;q=2, gzip"));   /* the readable one */
}

static void test_compressible(void **state)
{
    (void)state;
    assert_true(gzip_compressible("text/html; charset=utf-8"));
    assert_true(gzip_compressible("text/css; charset=utf-8"));
    assert_true(gzip_compressible("text/javascript; charset=utf-8"));
    assert_true(gzip_compressible("text/csv; charset=utf-8"));
    assert_true(gzip_compressible("application/json; charset=utf-8"));
    assert_true(gzip_compressible("application/json"));
    assert_true(gzip_compressible("application/atom+xml; charset=utf-8"));
    assert_true(gzip_compressible("image/svg+xml"));
    assert_false(gzip_compressible("application/pdf"));
    assert_false(gzip_compressible(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assert_false(gzip_compressible("image/png"));
    assert_false(gzip_compressible("application/octet-stream"));
    assert_false(gzip_compressible(NULL));
}

/* zlib's own decoder, for a gzip member; the decoded length or -1. */
static long gunzip(const char *in, size_t len, char *out, size_t cap)
{
    z_stream z = {0};
    long n;
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return -1;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    n = inflate(&z, Z_FINISH) == Z_STREAM_END && z.avail_in == 0 ? (long)z.total_out : -1;
    inflateEnd(&z);
    return n;
}

static void test_compress(void **state)
{
    size_t len = 0, glen = 0, glen2 = 0;
    char err[256];
    char *seed = file_read(TEST_SEED, 0, &len, err, sizeof err);
    char *gz, *gz2, *back;
    (void)state;

    assert_non_null(seed);
    gz = gzip_compress(seed, len, 6, &glen);
    assert_non_null(gz);
    /* a gzip member: magic, deflate, no flags, mtime 0 */
    assert_int_equal((unsigned char)gz[0], 0x1f);
    assert_int_equal((unsigned char)gz[1], 0x8b);
    assert_int_equal(gz[2], 8);
    assert_int_equal(gz[3], 0);
    assert_memory_equal(gz + 4, "\0\0\0\0", 4);
    /* the seed's Thai text (3 bytes a letter) shrinks to well under a quarter */
    assert_true(glen * 4 < len);
    back = malloc(len + 1);
    assert_int_equal(gunzip(gz, glen, back, len + 1), (long)len);
    assert_memory_equal(back, seed, len);
    /* the same input, the same bytes (caches and ETags may rely on it) */
    gz2 = gzip_compress(seed, len, 6, &glen2);
    assert_int_equal(glen2, glen);
    assert_memory_equal(gz2, gz, glen);
    free(gz2);
    /* level 1 (bodies made per request): larger, and the same text back */
    gz2 = gzip_compress(seed, len, 1, &glen2);
    assert_non_null(gz2);
    assert_true(glen2 > glen);
    assert_true(glen2 * 3 < len);
    assert_int_equal(gunzip(gz2, glen2, back, len + 1), (long)len);
    assert_memory_equal(back, seed, len);
    free(gz2);
    /* an empty body is a valid, empty member */
    gz2 = gzip_compress("", 0, 1, &glen2);
    assert_non_null(gz2);
    assert_int_equal(gunzip(gz2, glen2, back, len + 1), 0);
    free(gz2);
    free(back);
    free(gz);
    free(seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_compressible),
        cmocka_unit_test(test_compress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
