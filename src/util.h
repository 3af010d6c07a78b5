/*
** util.h — allocation that never returns NULL, growable strings with a
** size cap, string lists, and the two kinds of failure.
**
** Ownership: every function documented "returns heap memory" hands the
** caller a pointer to free(); every *_free() accepts NULL.
*/
#ifndef PHAEN_UTIL_H
#define PHAEN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation: abort the program on out-of-memory (a bug-class failure). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);          /* returns heap memory; NULL -> NULL */
char *xstrndup(const char *s, size_t n); /* returns heap memory */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A broken invariant: print and abort. Never for bad input. */
noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
** Growable byte buffer, always NUL-terminated. Appends past `max` (0 = no
** cap) set the sticky `overflow` flag and are dropped, so a caller checks
** once at the end instead of after every append (SQLite's StrAccum idea).
*/
typedef struct buf {
    char *s;
    size_t len, cap, max;
    bool overflow;
} buf;

void buf_init(buf *b, size_t max);
void buf_add(buf *b, const char *s, size_t n);
void buf_adds(buf *b, const char *s);
void buf_addc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_reset(buf *b);
void buf_reserve(buf *b, size_t extra); /* room for `extra` more bytes, ahead of adding them */
char *buf_detach(buf *b); /* returns heap memory ("" when empty); resets b */
void buf_free(buf *b);

/* A list of owned strings. */
typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

void strlist_add(strlist *l, const char *s);           /* copies s */
void strlist_addn(strlist *l, const char *s, size_t n); /* copies n bytes */
void strlist_take(strlist *l, char *s);                /* takes ownership */
void strlist_clear(strlist *l);
void strlist_free(strlist *l);
void strlist_copy(strlist *dst, const strlist *src);
bool strlist_equal(const strlist *a, const strlist *b);
char *strlist_join(const strlist *l, const char *sep); /* returns heap memory */

/* Read a whole file, refusing more than `max` bytes. On failure returns
** NULL and writes a one-line reason to err. Returns heap memory. */
char *file_read(const char *path, size_t max, size_t *len, char *err, size_t errlen);
/* The same bytes mapped read-only instead of copied (a 66 MB import spent
** a tenth of its time copying the file and faulting in the copy), also
** followed by a NUL; the same errors. Give them back with file_unmap(). */
const char *file_map(const char *path, size_t max, size_t *len, char *err, size_t errlen);
void file_unmap(const char *data, size_t len);
/* Give back the pages of a file_map()ed file before data + upto that were
** read: they stop counting in the resident set and come back from the file
** if touched again (a reader going front to back keeps its peak down). */
void file_release(const char *data, size_t upto);

/* Write a whole file atomically (temp + rename). 0 or -1 with err. */
int file_write(const char *path, const char *data, size_t len, char *err, size_t errlen);

#endif
