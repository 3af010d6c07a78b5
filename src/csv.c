/*
** csv.c — see csv.h.
*/
#include "csv.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void csv_init(csv_reader *r, const char *data, size_t len)
{
    r->p = data;
    r->end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->line = r->next_line = 1;
}

int csv_next(csv_reader *r, strlist *fields, char *err, size_t errlen)
{
    buf f;
    strlist_clear(fields);
    r->line = r->next_line;
    if (r->p >= r->end)
        return 0;
    buf_init(&f, 0);
    for (;;) {
        buf_reset(&f);
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            for (;;) {
                if (r->p >= r->end) {
                    snprintf(err, errlen,
                             "บรรทัด %d: เครื่องหมายคำพูดไม่ปิด / line %d: unterminated quote",
                             r->line, r->line);
                    buf_free(&f);
                    return -1;
                }
                if (*r->p == '"') {
                    if (r->p + 1 < r->end && r->p[1] == '"') {
                        buf_addc(&f, '"');
                        r->p += 2;
                        continue;
                    }
                    r->p++;
                    break;
                }
                if (*r->p == '\n')
                    r->next_line++;
                buf_addc(&f, *r->p++);
            }
            /* anything between the closing quote and the separator is kept */
            while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
                buf_addc(&f, *r->p++);
        } else {
            const char *b = r->p;
            while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
                r->p++;
            buf_add(&f, b, (size_t)(r->p - b));
        }
        strlist_add(fields, f.s ? f.s : "");
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == '\r')
            r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
        r->next_line++;
        break;
    }
    buf_free(&f);
    return 1;
}

/* Every field is written followed by a comma; csv_end() takes the last
** comma back. So an empty first field needs no special case. */
void csv_put(buf *b, const char *field)
{
    const char *s = field ? field : "";
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ') {
        buf_adds(b, s);
    } else {
        buf_addc(b, '"');
        for (; *s; s++) {
            if (*s == '"')
                buf_addc(b, '"');
            buf_addc(b, *s);
        }
        buf_addc(b, '"');
    }
    buf_addc(b, ',');
}

void csv_end(buf *b)
{
    if (b->len && b->s[b->len - 1] == ',')
        b->s[--b->len] = 0;
    buf_adds(b, "\r\n");
}
