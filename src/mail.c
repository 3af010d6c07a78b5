/*
** mail.c — see mail.h. libcurl speaks SMTP; this file builds the MIME
** message and hands it over through a read callback.
*/
#include "mail.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "thai.h"

#define MAIL_CONNECT_TIMEOUT 5L
#define MAIL_TIMEOUT 30L
#define ADDRESS_MAX 254
/* An encoded word is at most 75 characters: "=?UTF-8?B?" + 60 base64 + "?=",
** and 60 base64 characters carry 45 bytes. */
#define WORD_BYTES 45
#define BODY_LINE 76

/* ---- the message -------------------------------------------------------------------- */

/* A plain address: local@domain, printable ASCII, nothing that could end a
** header line or an SMTP command. */
static bool address_ok(const char *a)
{
    const char *at = a ? strchr(a, '@') : NULL;
    size_t n = a ? strlen(a) : 0;
    if (!at || at == a || !at[1] || strchr(at + 1, '@') || n > ADDRESS_MAX)
        return false;
    for (const char *p = a; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '(' || c == ')' ||
            c == ',' || c == ';' || c == ':' || c == '"' || c == '\\' || c == '[' || c == ']')
            return false;
    }
    return true;
}

/* Base64 (standard alphabet, padded) of n bytes, appended to out. */
static void base64_add(buf *out, const unsigned char *s, size_t n)
{
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *t = xmalloc(len);
    sodium_bin2base64(t, len, s, n, sodium_base64_VARIANT_ORIGINAL);
    buf_adds(out, t);
    free(t);
}

/* "Name: " followed by s as RFC 2047 encoded words ("=?UTF-8?B?...?="),
** each cut on a character boundary, folded onto continuation lines. */
static void header_encoded(buf *out, const char *name, const char *s)
{
    size_t n = strlen(s), i = 0;
    buf_printf(out, "%s: ", name);
    if (!n)
        buf_adds(out, "=?UTF-8?B?" "?="); /* split: "??=" would be a trigraph */
    while (i < n) {
        size_t k = n - i > WORD_BYTES ? WORD_BYTES : n - i;
        /* back off to the start of a UTF-8 character */
        while (i + k < n && k > 1 && ((unsigned char)s[i + k] & 0xC0) == 0x80)
            k--;
        if (i)
            buf_adds(out, "\r\n ");
        buf_adds(out, "=?UTF-8?B?");
        base64_add(out, (const unsigned char *)s + i, k);
        buf_adds(out, "?=");
        i += k;
    }
    buf_adds(out, "\r\n");
}

/* RFC 5322 date in UTC, English names whatever the locale. */
static void header_date(buf *out)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
               tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
               tm.tm_sec);
}

int mail_format(buf *out, const char *from, const char *to, const char *subject_utf8,
                const char *body_utf8, char *err, size_t errlen)
{
    unsigned char rnd[16];
    char hex[33];
    buf body, b64;
    if (!address_ok(from)) {
        snprintf(err, errlen, "ที่อยู่ผู้ส่ง '%s' ใช้ไม่ได้ / unusable sender address '%s'",
                 from ? from : "", from ? from : "");
        return -1;
    }
    if (!address_ok(to)) {
        snprintf(err, errlen, "ที่อยู่ผู้รับ '%s' ใช้ไม่ได้ / unusable recipient address '%s'",
                 to ? to : "", to ? to : "");
        return -1;
    }
    if (!subject_utf8 || !body_utf8 || !utf8_valid(subject_utf8, strlen(subject_utf8)) ||
        !utf8_valid(body_utf8, strlen(body_utf8))) {
        snprintf(err, errlen, "หัวเรื่องหรือเนื้อความไม่ใช่ UTF-8 / subject or body is not UTF-8");
        return -1;
    }
    if (sodium_init() < 0)
        panic("libsodium cannot initialise");
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);

    header_date(out);
    buf_printf(out, "From: %s\r\nTo: %s\r\n", from, to);
    buf_printf(out, "Message-ID: <%s.phaen@%s>\r\n", hex, strchr(from, '@') + 1);
    header_encoded(out, "Subject", subject_utf8);
    buf_adds(out, "MIME-Version: 1.0\r\n"
                  "Content-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: base64\r\n"
                  "Auto-Submitted: auto-generated\r\n"
                  "\r\n");

    /* the body in canonical form (CRLF line ends), then base64 in lines */
    buf_init(&body, 0);
    for (const char *p = body_utf8; *p; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n')
            buf_addc(&body, '\r');
        buf_addc(&body, *p);
    }
    buf_init(&b64, 0);
    base64_add(&b64, (const unsigned char *)(body.s ? body.s : ""), body.len);
    for (size_t i = 0; i < b64.len; i += BODY_LINE) {
        size_t k = b64.len - i > BODY_LINE ? BODY_LINE : b64.len - i;
        buf_add(out, b64.s + i, k);
        buf_adds(out, "\r\n");
    }
    buf_free(&body);
    buf_free(&b64);
    return 0;
}

/* ---- sending ---------------------------------------------------------------------------- */

typedef struct reader {
    const char *data;
    size_t len, pos;
} reader;

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *cls)
{
    reader *r = cls;
    size_t n = size * nmemb;
    if (n > r->len - r->pos)
        n = r->len - r->pos;
    memcpy(dst, r->data + r->pos, n);
    r->pos += n;
    return n;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        panic("libcurl cannot initialise");
}

/* Does the URL carry a user name (so a password may follow)? */
static bool url_has_user(const char *url)
{
    CURLU *u = curl_url();
    char *user = NULL;
    bool has = false;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK && user && *user)
        has = true;
    curl_free(user);
    curl_url_cleanup(u);
    return has;
}

int mail_send(const char *smtp_url, const char *from, const char *to, const char *subject_utf8,
              const char *body_utf8, char *err, size_t errlen)
{
    buf msg;
    reader rd;
    CURL *c;
    CURLcode rc;
    struct curl_slist *rcpt = NULL;
    char cerr[CURL_ERROR_SIZE] = "", *mfrom, *mto;
    if (!smtp_url || (strncmp(smtp_url, "smtp://", 7) != 0 && strncmp(smtp_url, "smtps://", 8) != 0)) {
        snprintf(err, errlen, "ที่อยู่เซิร์ฟเวอร์อีเมลต้องขึ้นต้นด้วย smtp:// หรือ smtps:// / the "
                              "mail server URL must start with smtp:// or smtps://");
        return -1;
    }
    buf_init(&msg, 0);
    if (mail_format(&msg, from, to, subject_utf8, body_utf8, err, errlen) != 0) {
        buf_free(&msg);
        return -1;
    }
    pthread_once(&curl_once, curl_start);
    if (!(c = curl_easy_init()))
        panic("libcurl: out of memory");
    mfrom = xasprintf("<%s>", from);
    mto = xasprintf("<%s>", to);
    rcpt = curl_slist_append(rcpt, mto);
    rd = (reader){msg.s, msg.len, 0};
    curl_easy_setopt(c, CURLOPT_URL, smtp_url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mfrom);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &rd);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, MAIL_CONNECT_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, MAIL_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    /* never send a password in the clear; otherwise encrypt when offered */
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     url_has_user(smtp_url) ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        snprintf(err, errlen, "ส่งอีเมลถึง %s ไม่สำเร็จ / sending mail to %s failed: %s", to, to,
                 *cerr ? cerr : curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    free(mfrom);
    free(mto);
    buf_free(&msg);
    return rc == CURLE_OK ? 0
           : rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                   rc == CURLE_OPERATION_TIMEDOUT
               ? -2
               : -1;
}
