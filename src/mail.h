/*
** mail.h — sending one plain-text e-mail over SMTP (libcurl).
**
** The message is MIME: UTF-8 header text (the subject) as RFC 2047 encoded
** words, a text/plain; charset=UTF-8 body in base64, a Date and a
** Message-ID. Addresses are bare ("planning@example.go.th"); one that could
** smuggle headers or commands (CR, LF, <, >, spaces, no '@') is refused.
**
** The SMTP server is a URL: smtp://host:25 (STARTTLS when the server offers
** it; required when the URL carries user:password@), smtps://host:465
** (TLS from the start). The web server reads it from PHAEN_SMTP_URL and the
** sender from PHAEN_SMTP_FROM (see web_life.c).
*/
#ifndef PHAEN_MAIL_H
#define PHAEN_MAIL_H

#include <stddef.h>

#include "util.h"

/* Send one message. 0; -1 with a one-line reason in err; -2 (also with err)
** when the server could not be reached at all (no point in trying the next
** message now). Blocks for at most about 30 seconds. Safe to call from
** several threads. */
int mail_send(const char *smtp_url, const char *from, const char *to, const char *subject_utf8,
              const char *body_utf8, char *err, size_t errlen);

/* The message mail_send would send (headers + CRLF + base64 body), for
** tests: appended to out. 0, or -1 with err when an argument is unusable. */
int mail_format(buf *out, const char *from, const char *to, const char *subject_utf8,
                const char *body_utf8, char *err, size_t errlen);

#endif
