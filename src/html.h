/*
** html.h — the one HTML writer. Text is escaped by default: html_fmt()'s
** %s escapes, and raw markup can only come from a string literal through
** html_lit() (Fossil's trick: "" LIT does not compile for a variable).
*/
#ifndef PHAEN_HTML_H
#define PHAEN_HTML_H

#include <stdint.h>

#include "util.h"

/* Append s with & < > " ' escaped (safe in text and in quoted attributes). */
void html_text(buf *b, const char *s);

/* Raw markup, from a string literal only. */
#define html_lit(b, LIT) buf_add((b), "" LIT, sizeof(LIT) - 1)

/*
** printf for HTML. The format is trusted markup; arguments are not:
**   %s   string, escaped (NULL prints nothing)
**   %d   int          %lld  long long      %zu  size_t
**   %m   int64 satang as baht with separators ("6,330", "1,234.50")
**   %%   a percent sign
** Anything else in a format is a bug (panic).
*/
void html_fmt(buf *b, const char *fmt, ...);

/* Percent-encode s for a URL query value. */
void url_encode(buf *b, const char *s);

#endif
