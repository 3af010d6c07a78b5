/*
** csv.h — an RFC 4180 reader and writer (UTF-8; a leading BOM is skipped).
** Fields may be quoted with "..." and contain commas, quotes ("") and
** newlines. The reader works on a whole buffer held by the caller.
*/
#ifndef PHAEN_CSV_H
#define PHAEN_CSV_H

#include <stddef.h>

#include "util.h"

typedef struct csv_reader {
    const char *p, *end;
    int line;      /* line where the current record starts (1-based) */
    int next_line; /* line after it */
} csv_reader;

void csv_init(csv_reader *r, const char *data, size_t len);

/* Read the next record into fields (cleared first). Returns 1 for a
** record, 0 at end of input, -1 for an unterminated quote (err set). */
int csv_next(csv_reader *r, strlist *fields, char *err, size_t errlen);

/* Append one field, quoted when needed. */
void csv_put(buf *b, const char *field);
/* Append a record terminator (CRLF, as spreadsheets write). */
void csv_end(buf *b);

#endif
