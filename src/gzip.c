/*
** gzip.c — see gzip.h.
*/
#include "gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* A qvalue ("0", "0.5", "1", "1.000"): 1 when above zero, 0 when zero,
** -1 when it is not a qvalue. */
static int qvalue_positive(const char *s, const char *end)
{
    int positive = 0, digits = 0;
    if (s == end || (*s != '0' && *s != '1'))
        return -1;
    positive = *s++ == '1';
    if (s == end)
        return positive;
    if (*s++ != '.')
        return -1;
    for (; s < end; s++, digits++) {
        if (*s < '0' || *s > '9' || digits == 3 || (positive && *s != '0'))
            return -1;
        if (*s != '0')
            positive = 1;
    }
    return positive;
}

/* The weight of one list element [s, end): 1 above zero, 0, -1 unreadable. */
static int element_weight(const char *s, const char *end)
{
    int weight = 1;
    while (s < end) {
        const char *p, *pend;
        while (s < end && *s != ';')
            s++;
        if (s == end)
            break;
        s++;
        while (s < end && is_ows(*s))
            s++;
        p = s;
        while (s < end && *s != ';')
            s++;
        pend = s;
        while (pend > p && is_ows(pend[-1]))
            pend--;
        if (pend - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
            weight = qvalue_positive(p + 2, pend);
        if (weight < 0)
            return -1;
    }
    return weight;
}

bool gzip_accepted(const char *ae)
{
    int gzip = -1, star = -1; /* weight of each when named */
    const char *s = ae;

    if (!s)
        return false;
    while (*s) {
        const char *e, *name, *name_end;
        size_t n;
        int w;
        while (*s == ',' || is_ows(*s))
            s++;
        if (!*s)
            break;
        for (e = s; *e && *e != ','; e++)
            ;
        name = s;
        for (name_end = s; name_end < e && *name_end != ';' && !is_ows(*name_end); name_end++)
            ;
        n = (size_t)(name_end - name);
        w = element_weight(name_end, e);
        if (w >= 0) {
            if ((n == 4 && strncasecmp(name, "gzip", 4) == 0) ||
                (n == 6 && strncasecmp(name, "x-gzip", 6) == 0))
                gzip = gzip > 0 ? gzip : w;
            else if (n == 1 && *name == '*')
                star = star > 0 ? star : w;
        }
        s = e;
    }
    return gzip >= 0 ? gzip > 0 : star > 0;
}

bool gzip_compressible(const char *ctype)
{
    static const char *const types[] = {"text/", "application/json", "application/atom+xml",
                                        "image/svg+xml"};
    for (size_t i = 0; ctype && i < sizeof types / sizeof *types; i++)
        if (strncmp(ctype, types[i], strlen(types[i])) == 0)
            return true;
    return false;
}

char *gzip_compress(const void *data, size_t len, int level, size_t *outlen)
{
    z_stream z = {0};
    char *out;
    uLong bound;
    int rc;

    /* windowBits 15 + 16: a gzip header and trailer around the deflate data */
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    bound = deflateBound(&z, (uLong)len);
    out = malloc(bound ? bound : 1);
    if (!out || len > UINT32_MAX) {
        deflateEnd(&z);
        free(out);
        return NULL;
    }
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)bound;
    rc = deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}
