/*
** util.c — see util.h.
*/
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("phaen: internal error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        panic("out of memory (%zu bytes)", n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        panic("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        panic("out of memory (%zu bytes)", n);
    return q;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    buf b;
    va_list ap;
    buf_init(&b, 0);
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return buf_detach(&b);
}

void buf_init(buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

static bool buf_grow(buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (b->overflow)
        return false;
    if (b->max && b->len + extra > b->max) {
        b->overflow = true;
        return false;
    }
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
            cap *= 2;
        b->s = xrealloc(b->s, cap);
        b->cap = cap;
        b->s[b->len] = 0; /* a buffer with room reserved and nothing added is "" */
    }
    return true;
}

void buf_reserve(buf *b, size_t extra)
{
    if (b->max && b->len + extra > b->max)
        extra = b->max > b->len ? b->max - b->len : 0; /* a hint: never an overflow */
    buf_grow(b, extra);
}

void buf_add(buf *b, const char *s, size_t n)
{
    if (!buf_grow(b, n))
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void buf_adds(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_addc(buf *b, char c)
{
    buf_add(b, &c, 1);
}

/* Formatted once into a stack buffer when it fits (nearly always), else
** measured, then formatted into the grown buffer. */
void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    char tmp[512];
    va_list ap2;
    int n;
    va_copy(ap2, ap);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        panic("bad format string %s", fmt);
    if ((size_t)n < sizeof tmp) {
        buf_add(b, tmp, (size_t)n);
        return;
    }
    if (!buf_grow(b, (size_t)n))
        return;
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_reset(buf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->s)
        b->s[0] = 0;
}

char *buf_detach(buf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    size_t max = b->max;
    buf_init(b, max);
    return s;
}

void buf_free(buf *b)
{
    if (!b)
        return;
    free(b->s);
    buf_init(b, b->max);
}

void strlist_take(strlist *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

void strlist_add(strlist *l, const char *s)
{
    strlist_take(l, xstrdup(s));
}

void strlist_addn(strlist *l, const char *s, size_t n)
{
    strlist_take(l, xstrndup(s, n));
}

void strlist_clear(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    l->n = 0;
}

void strlist_free(strlist *l)
{
    if (!l)
        return;
    strlist_clear(l);
    free(l->v);
    l->v = NULL;
    l->cap = 0;
}

void strlist_copy(strlist *dst, const strlist *src)
{
    strlist_clear(dst);
    for (size_t i = 0; i < src->n; i++)
        strlist_add(dst, src->v[i]);
}

bool strlist_equal(const strlist *a, const strlist *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

char *strlist_join(const strlist *l, const char *sep)
{
    buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            buf_adds(&b, sep);
        buf_adds(&b, l->v[i]);
    }
    return buf_detach(&b);
}

/* Open a regular file of at most max bytes (0: any) for reading: the fd
** and its size, or -1 with the reason in err. */
static int open_limited(const char *path, size_t max, size_t *size, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;

    if (fd < 0) {
        snprintf(err, errlen, "%s: เปิดไฟล์ไม่ได้ / cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: ไม่ใช่ไฟล์ธรรมดา / not a regular file", path);
        close(fd);
        return -1;
    }
    if (max && (uint64_t)st.st_size > max) {
        snprintf(err, errlen,
                 "%s: ไฟล์ใหญ่เกินกำหนด %zu ไบต์ (ปรับได้ด้วย --max-size) / file is %lld bytes, "
                 "over the limit of %zu (raise it with --max-size)",
                 path, max, (long long)st.st_size, max);
        close(fd);
        return -1;
    }
    *size = (size_t)st.st_size;
    return fd;
}

static void read_error(const char *path, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: อ่านไฟล์ไม่ได้ / read error: %s", path, strerror(errno));
}

char *file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    size_t size, got = 0;
    int fd = open_limited(path, max, &size, err, errlen);
    char *data;

    if (fd < 0)
        return NULL;
    data = xmalloc(size + 1);
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            read_error(path, err, errlen);
            close(fd);
            free(data);
            return NULL;
        }
        if (n == 0) /* it shrank meanwhile: what there was */
            break;
        got += (size_t)n;
    }
    close(fd);
    data[got] = 0;
    *len = got;
    return data;
}

const char *file_map(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), size, span;
    int fd = open_limited(path, max, &size, err, errlen);
    char *area;

    if (fd < 0)
        return NULL;
    /* an anonymous (zeroed) span one page longer than the file, the file
    ** mapped over its start: the byte after the last is always a NUL */
    span = (size / page + 1) * page;
    area = mmap(NULL, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED ||
        (size && mmap(area, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) ==
                     MAP_FAILED)) {
        read_error(path, err, errlen);
        if (area != MAP_FAILED)
            munmap(area, span);
        close(fd);
        return NULL;
    }
    close(fd);
    *len = size;
    return area;
}

void file_unmap(const char *data, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (data)
        munmap((void *)data, (len / page + 1) * page);
}

void file_release(const char *data, size_t upto)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (data && upto >= page)
        madvise((void *)data, upto / page * page, MADV_DONTNEED);
}

int file_write(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
    char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (!f) {
        snprintf(err, errlen, "%s: เขียนไฟล์ไม่ได้ / cannot write: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    if (fwrite(data, 1, len, f) != len || fflush(f) != 0) {
        snprintf(err, errlen, "%s: เขียนไฟล์ไม่ได้ / cannot write: %s", path, strerror(errno));
        fclose(f);
        unlink(tmp);
    } else if (fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: เขียนไฟล์ไม่ได้ / cannot write: %s", path, strerror(errno));
        unlink(tmp);
    } else {
        rc = 0;
    }
    free(tmp);
    return rc;
}
