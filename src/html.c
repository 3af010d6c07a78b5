/*
** html.c — see html.h.
*/
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "thai.h"

void html_text(buf *b, const char *s)
{
    const char *run = s;
    if (!s)
        return;
    for (; *s; s++) {
        const char *rep;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        buf_add(b, run, (size_t)(s - run));
        buf_adds(b, rep);
        run = s + 1;
    }
    buf_add(b, run, (size_t)(s - run));
}

void html_fmt(buf *b, const char *fmt, ...)
{
    va_list ap;
    const char *p = fmt, *run = fmt;
    va_start(ap, fmt);
    while (*p) {
        if (*p != '%') {
            p++;
            continue;
        }
        buf_add(b, run, (size_t)(p - run));
        p++;
        if (*p == 's') {
            html_text(b, va_arg(ap, const char *));
            p++;
        } else if (*p == 'd') {
            buf_printf(b, "%d", va_arg(ap, int));
            p++;
        } else if (strncmp(p, "lld", 3) == 0) {
            buf_printf(b, "%lld", va_arg(ap, long long));
            p += 3;
        } else if (strncmp(p, "zu", 2) == 0) {
            buf_printf(b, "%zu", va_arg(ap, size_t));
            p += 2;
        } else if (*p == 'm') {
            money_format(b, va_arg(ap, int64_t), false);
            p++;
        } else if (*p == '%') {
            buf_addc(b, '%');
            p++;
        } else {
            panic("html_fmt: unsupported conversion in \"%s\"", fmt);
        }
        run = p;
    }
    buf_add(b, run, (size_t)(p - run));
    va_end(ap);
}

void url_encode(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_addc(b, (char)c);
        } else {
            buf_addc(b, '%');
            buf_addc(b, hex[c >> 4]);
            buf_addc(b, hex[c & 15]);
        }
    }
}
