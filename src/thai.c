/*
** thai.c — Thai text, calendar and money utilities; see thai.h.
**
** Word breaking: one libthai breaker (ThBrk) is created lazily under
** pthread_once and shared. Since libthai 0.1.25 th_brk_find_breaks() keeps
** its working state per call (BrkEnv) and only reads the dictionary trie, so
** calls on one ThBrk may run in parallel without a mutex; only creation needs
** to be serialised, which pthread_once does. Break decisions for
** thai_repair_spaces()/thai_join() are cached per thread.
*/
#include "thai.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thai/thbrk.h>

#include "par.h"

/* ---- UTF-8 ------------------------------------------------------------ */

/* The well-formed sequences of Unicode's table 3-7, as utf8_next() decodes
** them: every file is validated before it is read, so this runs over every
** byte. ASCII goes eight bytes at a time and the Thai block (most of every
** document) a character at a time; with SSE2 (every x86-64), sixteen ASCII
** bytes or five Thai characters at a time. With `nul_ok` false a NUL byte
** fails too (one pass instead of a memchr() and a validation). */
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static inline bool has_zero_byte(uint64_t w)
{
    return ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) != 0;
}

/* E0 B8|B9 80..BF: a character of the Thai block, U+0E00..U+0E7F */
static inline bool thai3(const unsigned char *p)
{
    return p[0] == 0xE0 && (p[1] & 0xFE) == 0xB8 && (p[2] & 0xC0) == 0x80;
}

static bool utf8_check(const unsigned char *p, const unsigned char *end, bool nul_ok)
{
#ifdef __SSE2__
    const __m128i zero = _mm_setzero_si128();
    const __m128i thai_mask = _mm_setr_epi8(
        (char)0xFF, (char)0xFE, (char)0xC0, (char)0xFF, (char)0xFE, (char)0xC0, (char)0xFF,
        (char)0xFE, (char)0xC0, (char)0xFF, (char)0xFE, (char)0xC0, (char)0xFF, (char)0xFE,
        (char)0xC0, 0);
    const __m128i thai_bits = _mm_setr_epi8(
        (char)0xE0, (char)0xB8, (char)0x80, (char)0xE0, (char)0xB8, (char)0x80, (char)0xE0,
        (char)0xB8, (char)0x80, (char)0xE0, (char)0xB8, (char)0x80, (char)0xE0, (char)0xB8,
        (char)0x80, 0);
#endif
    while (p < end) {
        unsigned c = *p, lo, hi;
        uint64_t w;
        if (c < 0x80) {
#ifdef __SSE2__
            while (end - p >= 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
                if (_mm_movemask_epi8(v) != 0)
                    break;
                if (!nul_ok && _mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)) != 0)
                    return false;
                p += 16;
            }
#endif
            while (end - p >= 8 && (memcpy(&w, p, 8), (w & 0x8080808080808080ull) == 0)) {
                if (!nul_ok && has_zero_byte(w))
                    return false;
                p += 8;
            }
            while (p < end && *p < 0x80) {
                if (!nul_ok && *p == 0)
                    return false;
                p++;
            }
        } else if (end - p >= 3 && thai3(p)) {
#ifdef __SSE2__
            while (end - p >= 16 &&
                   _mm_movemask_epi8(_mm_cmpeq_epi8(
                       _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)p),
                                     thai_mask),
                       thai_bits)) == 0xFFFF)
                p += 15;
#endif
            while (end - p >= 3 && thai3(p))
                p += 3;
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (end - p < 2 || (p[1] & 0xC0) != 0x80)
                return false;
            p += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlongs */
            hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
            if (end - p < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80)
                return false;
            p += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            lo = c == 0xF0 ? 0x90 : 0x80; /* no overlongs */
            hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
            if (end - p < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 ||
                (p[3] & 0xC0) != 0x80)
                return false;
            p += 4;
        } else {
            return false;
        }
    }
    return true;
}

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    return utf8_check(p, p + (s ? n : 0), true);
}

bool utf8_valid_text(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    return utf8_check(p, p + (s ? n : 0), false);
}

/* Decode one code point. Rejects overlongs, surrogates, code points above
** U+10FFFF and truncated sequences; on those returns -1 and skips one byte.
** At or past `end` returns -1 without advancing. */
int32_t utf8_next(const char **p, const char *end)
{
    const unsigned char *s = (const unsigned char *)*p;
    size_t avail, len, i;
    int32_t cp;

    if (*p >= end)
        return -1;
    avail = (size_t)(end - *p);
    if (s[0] < 0x80) {
        *p += 1;
        return s[0];
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
        cp = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        cp = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        cp = s[0] & 0x07;
    } else {
        goto bad;
    }
    if (avail < len)
        goto bad;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto bad;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        goto bad;
    *p += len;
    return cp;
bad:
    *p += 1;
    return -1;
}

/* Append cp as UTF-8; a value that is no Unicode scalar becomes U+FFFD. */
void utf8_put(buf *b, int32_t cp)
{
    char o[4];
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        o[0] = (char)cp;
        buf_add(b, o, 1);
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, o, 2);
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, o, 3);
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, o, 4);
    }
}

/* ---- character classes ------------------------------------------------ */

/* Whitespace: ASCII, NBSP and the other Unicode space separators. */
static bool is_space_cp(int32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Invisible characters that extraction leaves inside words. */
static bool is_zero_width(int32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD;
}

/* A Thai letter: consonant, vowel, tone or other mark; not a digit, ฯ, ๆ,
** ฿ or the other Thai punctuation. */
static bool is_thai_letter(int32_t cp)
{
    return (cp >= 0x0E01 && cp <= 0x0E2E) || (cp >= 0x0E30 && cp <= 0x0E3A) ||
           (cp >= 0x0E40 && cp <= 0x0E45) || (cp >= 0x0E47 && cp <= 0x0E4E);
}

/* Thai-block code point encoded at p[0..3), or -1 (no bounds check). */
static int32_t thai3_at(const unsigned char *p)
{
    if (!thai3(p))
        return -1;
    return 0x0E00 | ((p[1] & 0x01) << 6) | (p[2] & 0x3F);
}

/* ---- digits and years ------------------------------------------------- */

/* Append s, with ASCII digits turned into Thai digits when `thai`. */
static void add_digits(buf *b, const char *s, bool thai)
{
    for (; *s; s++) {
        if (thai && *s >= '0' && *s <= '9')
            utf8_put(b, 0x0E50 + (*s - '0'));
        else
            buf_addc(b, *s);
    }
}

char *thai_digits_to_ascii(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    buf b;
    if (!s)
        return NULL;
    buf_init(&b, 0);
    while (*p) {
        if (p[0] == 0xE0 && p[1] == 0xB9 && p[2] >= 0x90 && p[2] <= 0x99) {
            buf_addc(&b, (char)('0' + (p[2] - 0x90)));
            p += 3;
        } else {
            buf_addc(&b, (char)*p++);
        }
    }
    return buf_detach(&b);
}

char *thai_digits_from_ascii(const char *s)
{
    buf b;
    if (!s)
        return NULL;
    buf_init(&b, 0);
    add_digits(&b, s, true);
    return buf_detach(&b);
}

/* 0..99 -> 2500..2599 BE; 1000..9999 is already a BE year; else 0. */
int thai_year_expand(int y)
{
    if (y >= 0 && y <= 99)
        return 2500 + y;
    if (y >= 1000 && y <= 9999)
        return y;
    return 0;
}

/* ---- dates -------------------------------------------------------------- */

int date_days_in_month(int y_ce, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y_ce % 4 == 0 && y_ce % 100 != 0) || y_ce % 400 == 0;
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Years 1..9999 CE only. */
bool date_valid(date d)
{
    return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
           d.d <= date_days_in_month(d.y, d.m);
}

bool date_is_null(date d)
{
    return d.y == 0 && d.m == 0 && d.d == 0;
}

int date_cmp(date a, date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

/* Writes "" for a null or invalid date. */
void date_iso(date d, char out[11])
{
    int v[3] = {d.y, d.m, d.d}, w[3] = {4, 2, 2}, k = 0;
    if (!date_valid(d)) {
        out[0] = 0;
        return;
    }
    for (int i = 0; i < 3; i++) {
        for (int j = w[i] - 1, x = v[i]; j >= 0; j--, x /= 10)
            out[k + j] = (char)('0' + x % 10);
        k += w[i];
        if (i < 2)
            out[k++] = '-';
    }
    out[10] = 0;
}

/* Exactly "YYYY-MM-DD" naming a valid date; *out is the null date otherwise. */
bool date_parse_iso(const char *s, date *out)
{
    date d = {0, 0, 0};
    *out = d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    }
    d.y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    d.m = (s[5] - '0') * 10 + (s[6] - '0');
    d.d = (s[8] - '0') * 10 + (s[9] - '0');
    if (!date_valid(d))
        return false;
    *out = d;
    return true;
}

/* Appends nothing for a null or invalid date. */
void date_thai_long(buf *b, date d, bool thai_digits)
{
    char tmp[64];
    if (!date_valid(d))
        return;
    snprintf(tmp, sizeof tmp, "%d %s %d", d.d, thai_month_name(d.m), thai_ce_to_be(d.y));
    add_digits(b, tmp, thai_digits);
}

/* "13 ม.ค. 68": day without padding, two-digit BE year; nothing if invalid. */
void date_thai_short(buf *b, date d, bool thai_digits)
{
    char tmp[64];
    if (!date_valid(d))
        return;
    snprintf(tmp, sizeof tmp, "%d %s %02d", d.d, thai_month_abbr(d.m),
             thai_ce_to_be(d.y) % 100);
    add_digits(b, tmp, thai_digits);
}

/* ---- months --------------------------------------------------------------- */

static const char *const month_names[12] = {
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
};

static const char *const month_abbrs[12] = {
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
};

const char *thai_month_name(int m)
{
    return m >= 1 && m <= 12 ? month_names[m - 1] : NULL;
}

const char *thai_month_abbr(int m)
{
    return m >= 1 && m <= 12 ? month_abbrs[m - 1] : NULL;
}

/* Copy s[0..n) without dots and spaces into out (size cap); false if long. */
static bool strip_dots(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' || s[i] == ' ')
            continue;
        if (k + 1 >= cap)
            return false;
        out[k++] = s[i];
    }
    out[k] = 0;
    return true;
}

int thai_month_lookup(const char *s, size_t n)
{
    char key[64], abbr[16];
    if (!s || !strip_dots(s, n, key, sizeof key) || !key[0])
        return 0;
    for (int m = 1; m <= 12; m++) {
        strip_dots(month_abbrs[m - 1], strlen(month_abbrs[m - 1]), abbr, sizeof abbr);
        if (strcmp(key, month_names[m - 1]) == 0 || strcmp(key, abbr) == 0)
            return m;
    }
    return 0;
}

/* Pairs of Thai letters that OCR of Thai fonts confuses (see thai.h). */
static const int32_t confusable[][2] = {
    {0x0E23, 0x0E18}, /* ร ธ */
    {0x0E04, 0x0E28}, /* ค ศ */
    {0x0E04, 0x0E14}, /* ค ด */
    {0x0E14, 0x0E15}, /* ด ต */
    {0x0E16, 0x0E20}, /* ถ ภ */
    {0x0E1A, 0x0E1B}, /* บ ป */
    {0x0E02, 0x0E0A}, /* ข ช */
    {0x0E1C, 0x0E1D}, /* ผ ฝ */
    {0x0E1E, 0x0E1F}, /* พ ฟ */
    {0x0E21, 0x0E19}, /* ม น */
    {0x0E0B, 0x0E0A}, /* ซ ช */
    {0x0E0E, 0x0E0F}, /* ฎ ฏ */
    {0x0E27, 0x0E23}, /* ว ร */
    {0x0E01, 0x0E15}, /* ก ต */
    {0x0E04, 0x0E22}, /* ค ย */
};

static int subst_cost(int32_t a, int32_t b)
{
    if (a == b)
        return 0;
    for (size_t i = 0; i < ARRAY_LEN(confusable); i++) {
        if ((confusable[i][0] == a && confusable[i][1] == b) ||
            (confusable[i][0] == b && confusable[i][1] == a))
            return 1;
    }
    return 2;
}

/* Code points of s[0..n) without dots and spaces; -1 when more than cap. */
static int month_cps(const char *s, size_t n, int32_t *out, int cap)
{
    const char *p = s, *end = s + n;
    int k = 0;
    while (p < end) {
        int32_t cp = utf8_next(&p, end);
        if (cp == '.' || cp == ' ')
            continue;
        if (k == cap)
            return -1;
        out[k++] = cp;
    }
    return k;
}

/* Weighted edit distance (see thai.h) between two short code point strings. */
static int month_distance(const int32_t *a, int la, const int32_t *b, int lb)
{
    int d[8][8];
    for (int i = 0; i <= la; i++)
        d[i][0] = 2 * i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = 2 * j;
    for (int i = 1; i <= la; i++) {
        for (int j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + subst_cost(a[i - 1], b[j - 1]);
            if (d[i - 1][j] + 2 < v)
                v = d[i - 1][j] + 2;
            if (d[i][j - 1] + 2 < v)
                v = d[i][j - 1] + 2;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

int thai_month_nearest(const char *s, size_t n, int months[12])
{
    int32_t tok[7], ab[7];
    int lt, best = 3, count = 0, dist[12];

    lt = s ? month_cps(s, n, tok, 7) : -1;
    if (lt <= 0)
        return 0;
    for (int m = 1; m <= 12; m++) {
        int la = month_cps(month_abbrs[m - 1], strlen(month_abbrs[m - 1]), ab, 7);
        dist[m - 1] = month_distance(tok, lt, ab, la);
        if (dist[m - 1] < best)
            best = dist[m - 1];
    }
    for (int m = 1; m <= 12; m++) {
        if (dist[m - 1] == best)
            months[count++] = m;
    }
    return count;
}

/* ---- fiscal year (BE) ------------------------------------------------------ */

date fy_start(int fy_be)
{
    date d = {thai_be_to_ce(fy_be) - 1, 10, 1};
    return d;
}

date fy_end(int fy_be)
{
    date d = {thai_be_to_ce(fy_be), 9, 30};
    return d;
}

/* 0 for an invalid date. */
int fy_of_date(date d)
{
    if (!date_valid(d))
        return 0;
    return thai_ce_to_be(d.y) + (d.m >= 10 ? 1 : 0);
}

int fy_quarter_of(date d, int fy_be)
{
    if (!date_valid(d) || date_cmp(d, fy_start(fy_be)) < 0 || date_cmp(d, fy_end(fy_be)) > 0)
        return 0;
    return (d.m + 2) % 12 / 3 + 1; /* Oct..Dec -> 1, Jan..Mar -> 2, ... */
}

/* Quarter q (1..4) of the fiscal year; null dates when q is out of range. */
void fy_quarter_range(int fy_be, int q, date *start, date *end)
{
    date s = {0, 0, 0}, e = {0, 0, 0};
    if (q >= 1 && q <= 4) {
        s = fy_start(fy_be);
        s.m += 3 * (q - 1);
        if (s.m > 12) {
            s.m -= 12;
            s.y++;
        }
        e.y = s.y;
        e.m = s.m + 2;
        e.d = date_days_in_month(e.y, e.m);
    }
    *start = s;
    *end = e;
}

/* ---- operating periods ----------------------------------------------------- */

enum { PTOK_NUM, PTOK_WORD, PTOK_SEP };

typedef struct ptok {
    int kind;
    const char *s;
    size_t n;
} ptok;

/* One side of a period ("15 ต.ค. 67"): each part optional. */
typedef struct pside {
    int day, year;    /* 0 = not written; year in BE */
    int ncand;        /* 0 = no month written */
    int cand[12];     /* candidate months (one unless repaired and ambiguous) */
    bool repaired;    /* month token was not an exact month */
    char from[48];    /* the token as written */
} pside;

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

#define TH_THUENG "\xE0\xB8\x96\xE0\xB8\xB6\xE0\xB8\x87" /* ถึง */

/* Length of a range separator at p ("-", en/em dash, minus, "ถึง"), or 0. */
static size_t period_sep_len(const char *p, const char *end)
{
    size_t left = (size_t)(end - p);
    if (*p == '-')
        return 1;
    if (left >= 3 && (memcmp(p, "\xE2\x80\x92", 3) == 0 || memcmp(p, "\xE2\x80\x93", 3) == 0 ||
                      memcmp(p, "\xE2\x80\x94", 3) == 0 || memcmp(p, "\xE2\x88\x92", 3) == 0))
        return 3;
    if (left >= 9 && memcmp(p, TH_THUENG, 9) == 0)
        return 9;
    return 0;
}

static bool is_word_cp(int32_t cp)
{
    return cp == '.' || is_thai_letter(cp) || (cp >= 'a' && cp <= 'z') ||
           (cp >= 'A' && cp <= 'Z');
}

/* Split a cleaned, ASCII-digit period into tokens; -1 on a stray character. */
static int period_tokens(const char *s, ptok *tok, int cap, char *err, size_t errlen)
{
    const char *p = s, *end = s + strlen(s);
    int n = 0;
    while (p < end) {
        const char *start = p, *q;
        size_t sl;
        int kind;
        if (*p == ' ') {
            p++;
            continue;
        }
        sl = period_sep_len(p, end);
        if (sl) {
            kind = PTOK_SEP;
            p += sl;
        } else if (*p >= '0' && *p <= '9') {
            kind = PTOK_NUM;
            while (p < end && *p >= '0' && *p <= '9')
                p++;
        } else {
            kind = PTOK_WORD;
            for (q = p; q < end && !period_sep_len(q, end); p = q) {
                if (!is_word_cp(utf8_next(&q, end)))
                    break;
            }
            if (p == start) {
                set_err(err, errlen, "มีอักขระที่อ่านไม่ได้ในระยะเวลา / unexpected character "
                                     "in period");
                return -1;
            }
        }
        if (n == cap) {
            set_err(err, errlen, "ระยะเวลายาวเกินไป / period has too many parts");
            return -1;
        }
        tok[n].kind = kind;
        tok[n].s = start;
        tok[n].n = (size_t)(p - start);
        n++;
    }
    return n;
}

/* The era marker "พ.ศ." (with or without dots). */
static bool is_era_token(const ptok *t)
{
    char key[16];
    return strip_dots(t->s, t->n, key, sizeof key) && strcmp(key, "พศ") == 0;
}

/* Copy s[0..n) into dst[cap], shortened on a UTF-8 character boundary. */
static void copy_cut(char *dst, size_t cap, const char *s, size_t n)
{
    size_t k = n < cap - 1 ? n : cap - 1;
    while (k > 0 && k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(dst, s, k);
    dst[k] = 0;
}

/* Read one side: [day] [month] [year]. 0 or -1 with err. */
static int period_side(const ptok *tok, int n, pside *side, char *err, size_t errlen)
{
    memset(side, 0, sizeof *side);
    if (n == 0) {
        set_err(err, errlen, "ระยะเวลาขาดวันเริ่มหรือวันสิ้นสุด / period is missing a start or "
                             "an end");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const ptok *t = &tok[i];
        if (t->kind == PTOK_WORD) {
            int m;
            if (is_era_token(t))
                continue; /* "ตุลาคม พ.ศ. 2567": an era, never a damaged month */
            if (side->ncand || side->year) {
                set_err(err, errlen, "ระยะเวลาอ่านไม่ได้ / unreadable period");
                return -1;
            }
            m = thai_month_lookup(t->s, t->n);
            if (m) {
                side->cand[0] = m;
                side->ncand = 1;
                continue;
            }
            side->ncand = thai_month_nearest(t->s, t->n, side->cand);
            if (!side->ncand) {
                set_err(err, errlen, "ไม่รู้จักเดือนในระยะเวลา / unknown month in period");
                return -1;
            }
            side->repaired = true;
            copy_cut(side->from, sizeof side->from, t->s, t->n);
        } else {
            int v = 0;
            if (t->n > 4) {
                set_err(err, errlen, "ตัวเลขในระยะเวลาไม่ถูกต้อง / bad number in period");
                return -1;
            }
            for (size_t k = 0; k < t->n; k++)
                v = v * 10 + (t->s[k] - '0');
            if (!side->ncand) {
                if (side->day || t->n > 2 || v < 1 || v > 31) {
                    set_err(err, errlen, "วันที่ไม่ถูกต้อง / bad day in period");
                    return -1;
                }
                side->day = v;
            } else {
                if (side->year || (t->n != 2 && t->n != 4)) {
                    set_err(err, errlen, "ปีไม่ถูกต้อง / bad year in period");
                    return -1;
                }
                side->year = thai_year_expand(v);
                if (side->year < 2400) {
                    set_err(err, errlen, "ปีต้องเป็น พ.ศ. / the year must be Buddhist Era");
                    return -1;
                }
            }
        }
    }
    return 0;
}

/* Build the dates from two sides with months ma, mb chosen (0 = not written).
** A side without month or year takes them from the other side: the start's
** year is the year before when its month comes after the end's, and the
** end's the year after when its month comes before the start's.
** For a single-sided period pass the same side twice. 0 or -1 with err. */
static int period_build(const pside *a, int ma, const pside *b, int mb, date *start,
                        date *end, char *err, size_t errlen)
{
    int sy = a->year, ey = b->year;
    if (!ma && !mb) {
        set_err(err, errlen, "ไม่พบเดือนในระยะเวลา / no month in period");
        return -1;
    }
    if (!sy && !ey) {
        set_err(err, errlen, "ไม่พบปีในระยะเวลา / no year in period");
        return -1;
    }
    if (!ma)
        ma = mb;
    if (!mb)
        mb = ma;
    if (!sy)
        sy = ey - (ma > mb ? 1 : 0);
    if (!ey)
        ey = sy + (mb < ma ? 1 : 0);
    start->y = thai_be_to_ce(sy);
    start->m = ma;
    start->d = a->day ? a->day : 1;
    end->y = thai_be_to_ce(ey);
    end->m = mb;
    end->d = b->day ? b->day : date_days_in_month(end->y, mb);
    if (!date_valid(*start) || !date_valid(*end)) {
        set_err(err, errlen, "วันที่ไม่มีในปฏิทิน / no such date");
        return -1;
    }
    if (date_cmp(*start, *end) > 0) {
        set_err(err, errlen, "วันสิ้นสุดอยู่ก่อนวันเริ่ม / the end is before the start");
        return -1;
    }
    return 0;
}

/* Try every pair of candidate months; see thai_period_parse() in thai.h. */
static int period_resolve(const pside *a, const pside *b, int fy_be, thai_period *out,
                          char *err, size_t errlen)
{
    int na = a->ncand ? a->ncand : 1, nb = b == a ? 1 : b->ncand ? b->ncand : 1;
    bool ambiguous = na > 1 || nb > 1;
    int found = 0, ma = 0, mb = 0;
    char why[160] = "";

    for (int i = 0; i < na; i++) {
        for (int j = 0; j < nb; j++) {
            int ca = a->ncand ? a->cand[i] : 0;
            int cb = b == a ? ca : b->ncand ? b->cand[j] : 0;
            date s, e;
            if (period_build(a, ca, b, cb, &s, &e, why, sizeof why) != 0)
                continue;
            if (ambiguous && (fy_be <= 0 || date_cmp(s, fy_start(fy_be)) < 0 ||
                              date_cmp(e, fy_end(fy_be)) > 0))
                continue;
            found++;
            out->start = s;
            out->end = e;
            ma = ca;
            mb = cb;
        }
    }
    if (found == 1) {
        if (a->repaired) {
            snprintf(out->repairs[out->nrepairs].from, sizeof out->repairs[0].from, "%s",
                     a->from);
            out->repairs[out->nrepairs++].month = ma;
        }
        if (b != a && b->repaired) {
            snprintf(out->repairs[out->nrepairs].from, sizeof out->repairs[0].from, "%s",
                     b->from);
            out->repairs[out->nrepairs++].month = mb;
        }
        return 0;
    }
    if (!ambiguous)
        set_err(err, errlen, why);
    else
        set_err(err, errlen, "เดือนที่อ่านผิดแก้ได้หลายทาง / a misread month could be more "
                             "than one month");
    return -1;
}

int thai_period_parse(const char *text, int fy_be, thai_period *out, char *err, size_t errlen)
{
    ptok tok[16];
    pside a, b;
    int n, sep = -1, rc = -1;
    char *clean = text_clean(text, text ? strlen(text) : 0);
    char *s = thai_digits_to_ascii(clean);

    memset(out, 0, sizeof *out);
    free(clean);
    if (!s[0]) {
        set_err(err, errlen, "ไม่มีระยะเวลา / empty period");
        goto done;
    }
    if (text_equal_nospace(s, "ตลอดปีงบประมาณ") || text_equal_nospace(s, "ตลอดปี")) {
        if (fy_be <= 0) {
            set_err(err, errlen, "ไม่ทราบปีงบประมาณ / fiscal year unknown");
            goto done;
        }
        out->start = fy_start(fy_be);
        out->end = fy_end(fy_be);
        rc = 0;
        goto done;
    }
    n = period_tokens(s, tok, (int)ARRAY_LEN(tok), err, errlen);
    if (n < 0)
        goto done;
    for (int i = 0; i < n; i++) {
        if (tok[i].kind != PTOK_SEP)
            continue;
        if (sep >= 0) {
            set_err(err, errlen, "ระยะเวลามีขีดมากกว่าหนึ่ง / more than one range separator");
            goto done;
        }
        sep = i;
    }
    if (sep < 0) {
        if (period_side(tok, n, &a, err, errlen) != 0)
            goto done;
        rc = period_resolve(&a, &a, fy_be, out, err, errlen);
    } else {
        if (period_side(tok, sep, &a, err, errlen) != 0 ||
            period_side(tok + sep + 1, n - sep - 1, &b, err, errlen) != 0)
            goto done;
        rc = period_resolve(&a, &b, fy_be, out, err, errlen);
    }
done:
    if (rc != 0)
        memset(out, 0, sizeof *out);
    free(s);
    return rc;
}

/* ---- amounts -------------------------------------------------------------- */

/* Strict number: digits grouped by three with commas (or not grouped at all),
** then optionally '.' and one or two satang digits. */
static amount_kind amount_number(const char *p, const char *end, int64_t *satang)
{
    const int64_t max_baht = AMOUNT_MAX_SATANG / 100;
    int64_t baht = 0, frac = 0;
    int group = 0;
    bool grouped = false;

    for (; p < end && *p != '.'; p++) {
        if (*p == ',') {
            if (group == 0 || (grouped ? group != 3 : group > 3))
                return AMOUNT_BAD;
            grouped = true;
            group = 0;
            continue;
        }
        if (*p < '0' || *p > '9')
            return AMOUNT_BAD;
        baht = baht * 10 + (*p - '0');
        if (baht > max_baht)
            return AMOUNT_BAD;
        group++;
    }
    if (group == 0 || (grouped && group != 3))
        return AMOUNT_BAD;
    if (p < end) { /* '.' */
        int nd = 0;
        for (p++; p < end; p++, nd++) {
            if (*p < '0' || *p > '9' || nd == 2)
                return AMOUNT_BAD;
            frac = frac * 10 + (*p - '0');
        }
        if (nd == 0)
            return AMOUNT_BAD;
        if (nd == 1)
            frac *= 10;
    }
    if (baht * 100 + frac > AMOUNT_MAX_SATANG)
        return AMOUNT_BAD;
    *satang = baht * 100 + frac;
    return AMOUNT_VALUE;
}

amount_kind thai_amount_parse(const char *s, size_t n, int64_t *satang)
{
    static const char baht_word[] = "บาท";
    const size_t bl = sizeof baht_word - 1;
    int64_t v = 0;
    amount_kind k;
    char *clean = text_clean(s, n);
    char *a = thai_digits_to_ascii(clean);
    size_t len = strlen(a);

    free(clean);
    if (len == 0 || strcmp(a, "-") == 0 || strcmp(a, "\xE2\x80\x93") == 0 ||
        strcmp(a, "\xE2\x80\x94") == 0) {
        k = AMOUNT_EMPTY;
    } else if (text_equal_nospace(a, "ไม่ใช้งบประมาณ") || text_equal_nospace(a, "ไม่ใช้งบ")) {
        k = AMOUNT_NO_BUDGET;
    } else {
        if (len > bl && memcmp(a + len - bl, baht_word, bl) == 0) {
            len -= bl;
            if (len && a[len - 1] == ' ')
                len--;
        }
        k = amount_number(a, a + len, &v);
    }
    free(a);
    if (satang)
        *satang = k == AMOUNT_VALUE ? v : 0;
    return k;
}

/* Negative amounts get a leading '-'. */
void money_format(buf *b, int64_t satang, bool thai_digits)
{
    uint64_t mag = satang < 0 ? (uint64_t)0 - (uint64_t)satang : (uint64_t)satang;
    uint64_t baht = mag / 100;
    unsigned st = (unsigned)(mag % 100);
    char tmp[40];
    int k = (int)sizeof tmp - 1, nd = 0;

    tmp[k] = 0;
    do {
        if (nd && nd % 3 == 0)
            tmp[--k] = ',';
        tmp[--k] = (char)('0' + baht % 10);
        baht /= 10;
        nd++;
    } while (baht);
    if (satang < 0)
        tmp[--k] = '-';
    add_digits(b, tmp + k, thai_digits);
    if (st) {
        char frac[4] = {'.', (char)('0' + st / 10), (char)('0' + st % 10), 0};
        add_digits(b, frac, thai_digits);
    }
}

static const char *const thai_digit_words[10] = {
    "ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า",
};

/* Words for n < 1,000,000. `higher`: digits precede this group (1 -> เอ็ด). */
static void baht_words_group(buf *b, unsigned n, bool higher)
{
    static const char *const units[6] = {"", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"};
    unsigned div = 100000;
    for (int pos = 5; pos >= 0; pos--, div /= 10) {
        unsigned d = n / div % 10;
        if (d == 0)
            continue;
        if (pos == 1 && d == 1)
            buf_adds(b, "สิบ");
        else if (pos == 1 && d == 2)
            buf_adds(b, "ยี่สิบ");
        else if (pos == 0 && d == 1 && (higher || n >= 10))
            buf_adds(b, "เอ็ด");
        else {
            buf_adds(b, thai_digit_words[d]);
            buf_adds(b, units[pos]);
        }
    }
}

/* Words for any n > 0; millions recurse (หนึ่งล้านล้าน ...). */
static void baht_words(buf *b, uint64_t n, bool higher)
{
    if (n >= 1000000) {
        baht_words(b, n / 1000000, higher);
        buf_adds(b, "ล้าน");
        baht_words_group(b, (unsigned)(n % 1000000), true);
    } else {
        baht_words_group(b, (unsigned)n, higher);
    }
}

/* Negative amounts are prefixed with ลบ, as BAHTTEXT does. */
void thai_baht_text(buf *b, int64_t satang)
{
    uint64_t mag = satang < 0 ? (uint64_t)0 - (uint64_t)satang : (uint64_t)satang;
    uint64_t baht = mag / 100;
    unsigned st = (unsigned)(mag % 100);

    if (mag == 0) {
        buf_adds(b, "ศูนย์บาทถ้วน");
        return;
    }
    if (satang < 0)
        buf_adds(b, "ลบ");
    if (baht) {
        baht_words(b, baht, false);
        buf_adds(b, "บาท");
    }
    if (st == 0) {
        buf_adds(b, "ถ้วน");
    } else {
        baht_words_group(b, st, false);
        buf_adds(b, "สตางค์");
    }
}

bool money_add(int64_t *acc, int64_t v)
{
    int64_t r;
    if (__builtin_add_overflow(*acc, v, &r))
        return false;
    *acc = r;
    return true;
}

/* ---- text ---------------------------------------------------------------- */

/* Length of an HTML-like tag at p: '<' ['/'] letters [digits] [' '*'/'] '>';
** 0 when p does not start one ("<5", "a < b"). */
static size_t tag_len(const char *p, const char *end)
{
    const char *q = p + 1;
    if (q < end && *q == '/')
        q++;
    if (q >= end || !((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
        return 0;
    while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
        q++;
    while (q < end && *q >= '0' && *q <= '9')
        q++;
    while (q < end && *q == ' ')
        q++;
    if (q < end && *q == '/')
        q++;
    if (q >= end || *q != '>')
        return 0;
    return (size_t)(q + 1 - p);
}

/* Invalid UTF-8 bytes are dropped; control characters count as spaces. The
** output is never longer than the input, so it is written straight into one
** allocation of that size. */
char *text_clean(const char *s, size_t n)
{
    const char *p = s ? s : "", *end = p + (s ? n : 0);
    char *out = xmalloc((size_t)(end - p) + 1), *o = out;
    bool space = false;

    while (p < end) {
        const char *start = p;
        int32_t cp;
        size_t tl;
        /* fast path: a run of printable ASCII and Thai letters (U+0E01..U+0E5B,
        ** bytes E0 B8 81..E0 B9 9B) is copied as it is */
        const unsigned char *u = (const unsigned char *)p;
        while (u < (const unsigned char *)end &&
               ((*u > 0x20 && *u < 0x7F && *u != '<') ||
                (*u == 0xE0 && u + 2 < (const unsigned char *)end &&
                 ((u[1] == 0xB8 && u[2] >= 0x81 && u[2] <= 0xBF) ||
                  (u[1] == 0xB9 && u[2] >= 0x80 && u[2] <= 0x9B)))))
            u += *u == 0xE0 ? 3 : 1;
        if (u > (const unsigned char *)p) {
            if (space && o > out)
                *o++ = ' ';
            space = false;
            memcpy(o, p, (size_t)((const char *)u - p));
            o += (const char *)u - p;
            p = (const char *)u;
            continue;
        }
        if (*p == ' ') { /* the usual way a run ends */
            space = true;
            p++;
            continue;
        }
        tl = *p == '<' ? tag_len(p, end) : 0;
        if (tl) {
            p += tl;
            space = true;
            continue;
        }
        cp = utf8_next(&p, end);
        if (cp < 0 || is_zero_width(cp))
            continue;
        if (is_space_cp(cp) || cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
            space = true;
            continue;
        }
        if (space && o > out)
            *o++ = ' ';
        space = false;
        memcpy(o, start, (size_t)(p - start));
        o += p - start;
    }
    *o = 0;
    return out;
}

/* ---- word breaking ------------------------------------------------------- */

#define WIN_MAX 12    /* Thai letters of context on each side of a join */
#define ABBR_MAX 3    /* letters of one abbreviation piece, as libthai's acronyms */
#define CACHE_SETS 2048 /* a power of two */
#define CACHE_WAYS 4  /* per thread: 8192 decisions, about 330 KB */
/* how long the thread that loaded the dictionary waits to help lay out
** rows (par_offer): a small import is ready for it within a few ms */
#define PRELOAD_OFFER_MS 30

/* The context of a join: up to WIN_MAX Thai letters on each side, as
** TIS-620 bytes packed into words (w[0..1]: the left side from the join
** backwards; w[2..3]: the right side forwards; unused bytes 0), so that a
** window is hashed and compared a word at a time. */
typedef struct brk_window {
    uint64_t w[4];
    uint8_t nl, nr;
} brk_window;

/* One cached decision: the window and the verdict (0 = empty slot,
** 1 = word boundary, 2 = inside a word). */
typedef struct brk_slot {
    uint64_t w[4];
    uint8_t nl, nr, verdict;
} brk_slot;

static pthread_once_t brk_once = PTHREAD_ONCE_INIT;
static ThBrk *brk_shared;           /* NULL when libthai has no dictionary */
static pthread_key_t brk_cache_key; /* frees a thread's cache when it exits */
static _Thread_local brk_slot *brk_cache;

/* is_thai_letter() as bits of cp - 0x0E00: 01-2E, 30-3A | 40-45, 47-4E
** (letter_tis(); brk_init() checks that the two agree) */
static const uint64_t thai_letter_bits[2] = {0x07FF7FFFFFFFFFFEu, 0x7FBFu};

static void brk_init(void)
{
    for (int i = 0; i < 128; i++)
        if (is_thai_letter(0x0E00 + i) != (((thai_letter_bits[i >> 6] >> (i & 63)) & 1) != 0))
            panic("thai_letter_bits disagrees with is_thai_letter at U+%04X", 0x0E00 + i);
    brk_shared = th_brk_new(NULL);
    if (pthread_key_create(&brk_cache_key, free) != 0)
        panic("pthread_key_create failed");
}

static void *preload_main(void *unused)
{
    (void)unused;
    pthread_once(&brk_once, brk_init);
    par_offer(PRELOAD_OFFER_MS);
    return NULL;
}

void thai_preload(void)
{
    pthread_t t;
    pthread_attr_t a;
    if (pthread_attr_init(&a) != 0)
        return;
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &a, preload_main, NULL) != 0) {
        /* then the first decision loads it */
    }
    pthread_attr_destroy(&a);
}

/* True when libthai puts a word boundary at the join of w. Without a
** dictionary every join counts as a boundary, so spaces are kept. */
static bool brk_boundary_uncached(const brk_window *w)
{
    const unsigned char *b = (const unsigned char *)w->w;
    thchar_t str[2 * WIN_MAX + 1];
    int pos[2 * WIN_MAX + 1], n, len = 0;
    if (!brk_shared)
        return true;
    for (int k = w->nl - 1; k >= 0; k--)
        str[len++] = b[k];
    for (int k = 0; k < w->nr; k++)
        str[len++] = b[16 + k];
    str[len] = 0;
    n = th_brk_find_breaks(brk_shared, str, pos, ARRAY_LEN(pos));
    for (int i = 0; i < n && pos[i] <= w->nl; i++) {
        if (pos[i] == w->nl)
            return true;
    }
    return false;
}

/* brk_boundary_uncached() behind this thread's cache: a set-associative
** table keyed by the window; a miss evicts the oldest way of its set. */
static bool brk_boundary(const brk_window *w)
{
    uint64_t h;
    brk_slot *set;

    pthread_once(&brk_once, brk_init);
    if (!brk_cache) {
        brk_cache = xcalloc(CACHE_SETS * CACHE_WAYS, sizeof *brk_cache);
        pthread_setspecific(brk_cache_key, brk_cache);
    }
    h = (w->w[0] * 0x9E3779B97F4A7C15u) ^ (w->w[1] * 0xC2B2AE3D27D4EB4Fu) ^
        (w->w[2] * 0x165667B19E3779F9u) ^ (w->w[3] * 0xD6E8FEB86659FD93u) ^
        ((uint64_t)w->nl << 8 | w->nr);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 32;
    set = &brk_cache[(h & (CACHE_SETS - 1)) * CACHE_WAYS];
    for (int i = 0; i < CACHE_WAYS && set[i].verdict; i++) {
        if (set[i].w[0] == w->w[0] && set[i].w[2] == w->w[2] && set[i].w[1] == w->w[1] &&
            set[i].w[3] == w->w[3] && set[i].nl == w->nl && set[i].nr == w->nr)
            return set[i].verdict == 1;
    }
    memmove(set + 1, set, (CACHE_WAYS - 1) * sizeof *set);
    memcpy(set->w, w->w, sizeof set->w);
    set->nl = w->nl;
    set->nr = w->nr;
    set->verdict = brk_boundary_uncached(w) ? 1 : 2;
    return set->verdict == 1;
}

/* The TIS-620 byte of the Thai letter (is_thai_letter()) encoded at p[0..3),
** or 0 (no bounds check). */
static inline unsigned letter_tis(const unsigned char *p)
{
    unsigned i;
    if (!thai3(p))
        return 0;
    i = ((p[1] & 1u) << 6) | (p[2] & 0x3Fu);
    return (thai_letter_bits[i >> 6] >> (i & 63)) & 1 ? i + 0xA0 : 0;
}

/* The left side of w: up to WIN_MAX Thai letters ending at s[end); how
** many, or -1 when they are a piece of an abbreviation (at most ABBR_MAX
** letters right after a '.', as "ศ" in "พ.ศ"). */
static int window_left(const char *s, size_t end, brk_window *w)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char *b = (unsigned char *)w->w;
    unsigned t;
    int k = 0;
    while (k < WIN_MAX && end >= 3 && (t = letter_tis(u + end - 3)) != 0) {
        b[k++] = (unsigned char)t;
        end -= 3;
    }
    if (k <= ABBR_MAX && end >= 1 && s[end - 1] == '.')
        return -1;
    w->nl = (uint8_t)k;
    return k;
}

/* The right side of w: up to WIN_MAX Thai letters from s[start) (s is len
** bytes); -1 when they are a piece of an abbreviation (at most ABBR_MAX
** letters and a '.'). */
static int window_right(const char *s, size_t start, size_t len, brk_window *w)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char *b = (unsigned char *)w->w + 16;
    unsigned t;
    int k = 0;
    while (k < WIN_MAX && start + 3 <= len && (t = letter_tis(u + start)) != 0) {
        b[k++] = (unsigned char)t;
        start += 3;
    }
    if (k <= ABBR_MAX && start < len && s[start] == '.')
        return -1;
    w->nr = (uint8_t)k;
    return k;
}

/* Does s[..mid) + t[tstart..tlen) join inside a Thai word? The text on each
** side of the join is cut at the first character that is no Thai letter,
** and a piece of an abbreviation ("พ.ศ.", "กศจ.") is a word of its own. */
static bool joins_inside_word(const char *s, size_t mid, const char *t, size_t tstart,
                              size_t tlen)
{
    brk_window w = {{0, 0, 0, 0}, 0, 0};
    if (window_left(s, mid, &w) <= 0 || window_right(t, tstart, tlen, &w) <= 0)
        return false;
    return !brk_boundary(&w);
}

/* The space at s[i] sits between two Thai letters (fast byte test). */
static bool space_between_thai(const unsigned char *s, size_t i, size_t len)
{
    return i >= 3 && i + 4 <= len && is_thai_letter(thai3_at(s + i - 3)) &&
           is_thai_letter(thai3_at(s + i + 1));
}

/* One pass left to right; each decision sees the repairs made before it. */
char *thai_repair_spaces(const char *s, int *nremoved)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = s ? strlen(s) : 0, from = 0;
    char *out = xmalloc(len + 1), *o = out;
    int removed = 0;
    const char *sp = s ? memchr(s, ' ', len) : NULL;

    while (sp) {
        size_t i = (size_t)(sp - s);
        if (space_between_thai(u, i, len)) {
            /* the left context is the output so far: earlier repairs applied */
            memcpy(o, s + from, i - from);
            o += i - from;
            from = i;
            if (joins_inside_word(out, (size_t)(o - out), s, i + 1, len)) {
                from = i + 1;
                removed++;
            }
        }
        sp = i + 1 < len ? memchr(s + i + 1, ' ', len - i - 1) : NULL;
    }
    memcpy(o, s ? s + from : "", len - from);
    o[len - from] = 0;
    if (nremoved)
        *nremoved = removed;
    return out;
}

char *thai_join(const char *left, const char *right)
{
    size_t ll, rs = 0, rl;
    buf b;

    if (!left || !*left)
        return xstrdup(right ? right : "");
    if (!right || !*right)
        return xstrdup(left);
    ll = strlen(left);
    rl = strlen(right);
    while (ll && (left[ll - 1] == ' ' || left[ll - 1] == '\t' || left[ll - 1] == '\n'))
        ll--;
    while (rs < rl && (right[rs] == ' ' || right[rs] == '\t' || right[rs] == '\n'))
        rs++;
    buf_init(&b, 0);
    buf_reserve(&b, ll + 1 + (rl - rs));
    buf_add(&b, left, ll);
    if (ll && rs < rl && !joins_inside_word(left, ll, right, rs, rl))
        buf_addc(&b, ' ');
    buf_add(&b, right + rs, rl - rs);
    return buf_detach(&b);
}

/* Code points of s without whitespace and zero-width characters (heap). */
static int32_t *cps_nospace(const char *s, size_t *n)
{
    const char *p = s ? s : "", *end = p + strlen(p);
    size_t len = (size_t)(end - p), k = 0;
    int32_t *v = xmalloc((len + 1) * sizeof *v);
    while (p < end) {
        int32_t cp = utf8_next(&p, end);
        if (cp >= 0 && !is_space_cp(cp) && !is_zero_width(cp))
            v[k++] = cp;
    }
    *n = k;
    return v;
}

/* O(|a|*|b|) time, O(|b|) memory; meant for names and short cells. */
double text_similarity(const char *a, const char *b)
{
    size_t na, nb, lcs;
    int32_t *x = cps_nospace(a, &na), *y = cps_nospace(b, &nb);
    size_t *prev = xcalloc(nb + 1, sizeof *prev), *cur = xcalloc(nb + 1, sizeof *cur);
    double r;

    for (size_t i = 1; i <= na; i++) {
        size_t *t;
        for (size_t j = 1; j <= nb; j++) {
            if (x[i - 1] == y[j - 1])
                cur[j] = prev[j - 1] + 1;
            else
                cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
        }
        t = prev;
        prev = cur;
        cur = t;
    }
    lcs = prev[nb];
    r = na + nb == 0 ? 1.0 : 2.0 * (double)lcs / (double)(na + nb);
    free(x);
    free(y);
    free(prev);
    free(cur);
    return r;
}

/* Next code point of p that is not whitespace or zero-width; an invalid
** byte b gives -256 - b, so only equal bytes compare equal; -1 at the end. */
static int32_t next_visible(const char **p, const char *end)
{
    while (*p < end) {
        const char *start = *p;
        int32_t cp = utf8_next(p, end);
        if (cp < 0)
            return -256 - (unsigned char)*start;
        if (!is_space_cp(cp) && !is_zero_width(cp))
            return cp;
    }
    return -1;
}

bool text_equal_nospace(const char *a, const char *b)
{
    const char *pa = a ? a : "", *pb = b ? b : "";
    const char *ea = pa + strlen(pa), *eb = pb + strlen(pb);
    for (;;) {
        int32_t ca = next_visible(&pa, ea), cb = next_visible(&pb, eb);
        if (ca != cb)
            return false;
        if (ca == -1)
            return true;
    }
}

/* ---- word segmentation (search) ------------------------------------------ */

/* True for code points that belong inside a Thai word (letters, vowels,
** tone marks; not Thai digits or punctuation such as ฯ ๆ ๏). */
static bool thai_word_cp(int32_t c)
{
    return (c >= 0x0E01 && c <= 0x0E3A) || (c >= 0x0E40 && c <= 0x0E4E);
}

/*
** Word breaks of Thai runs, cached per thread: documents repeat phrases
** (and a revision re-indexes a whole copy of a plan), and libthai's
** maximal matching is the costly part of indexing. A run is keyed by its
** TIS-620 bytes; the value is the list of break positions.
*/
#define WB_SLOTS 4096
#define WB_KEY 96
#define WB_BREAKS 48
typedef struct wb_slot {
    uint32_t hash;
    uint8_t len, nb;
    thchar_t key[WB_KEY];
    uint8_t breaks[WB_BREAKS];
} wb_slot;
static _Thread_local wb_slot *wb_cache;
static pthread_key_t wb_key;
static pthread_once_t wb_once = PTHREAD_ONCE_INIT;

static void wb_init(void)
{
    if (pthread_key_create(&wb_key, free) != 0)
        panic("pthread_key_create failed");
}

/* Breaks of tis[0..len) into pos[], as th_brk_find_breaks returns them. */
static int word_breaks(const thchar_t *tis, int len, int *pos, int max)
{
    uint32_t h = 2166136261u;
    wb_slot *sl;
    int nb;
    if (len > WB_KEY || !brk_shared)
        return brk_shared ? th_brk_find_breaks(brk_shared, tis, pos, (size_t)max) : 0;
    if (!wb_cache) {
        pthread_once(&wb_once, wb_init);
        wb_cache = xcalloc(WB_SLOTS, sizeof *wb_cache);
        pthread_setspecific(wb_key, wb_cache);
    }
    for (int i = 0; i < len; i++)
        h = (h ^ tis[i]) * 16777619u;
    sl = &wb_cache[h % WB_SLOTS];
    if (sl->hash == h && sl->len == len && memcmp(sl->key, tis, (size_t)len) == 0) {
        for (int i = 0; i < sl->nb && i < max; i++)
            pos[i] = sl->breaks[i];
        return sl->nb < max ? sl->nb : max;
    }
    nb = th_brk_find_breaks(brk_shared, tis, pos, (size_t)max);
    if (nb <= WB_BREAKS) {
        sl->hash = h;
        sl->len = (uint8_t)len;
        memcpy(sl->key, tis, (size_t)len);
        sl->nb = (uint8_t)nb;
        for (int i = 0; i < nb; i++)
            sl->breaks[i] = (uint8_t)pos[i];
    }
    return nb;
}

int thai_words(const char *s, size_t n, thai_word_fn fn, void *ctx)
{
    const char *p = s, *end = s + n;
    pthread_once(&brk_once, brk_init);
    while (p < end) {
        const char *start = p, *q = p;
        int32_t c = utf8_next(&q, end);
        if (c < 0) {
            p = q;
            continue;
        }
        if (thai_word_cp(c)) {
            /* a run of Thai: TIS-620 for libthai, with the byte offset of each
            ** character so the breaks map back to UTF-8 */
            enum { RUN_MAX = 512 };
            thchar_t tis[RUN_MAX + 1];
            size_t off[RUN_MAX + 1];
            int pos[RUN_MAX], len = 0, nb, last = 0;
            const char *r = start;
            while (r < end && len < RUN_MAX) {
                const char *r2 = r;
                int32_t cc = utf8_next(&r2, end);
                if (!thai_word_cp(cc))
                    break;
                off[len] = (size_t)(r - s);
                tis[len++] = (thchar_t)(cc - 0x0E00 + 0xA0);
                r = r2;
            }
            off[len] = (size_t)(r - s);
            tis[len] = 0;
            nb = word_breaks(tis, len, pos, RUN_MAX);
            for (int i = 0; i <= nb; i++) {
                int at = i < nb ? pos[i] : len;
                if (at <= last || at > len)
                    continue;
                if (fn(ctx, s + off[last], off[at] - off[last], off[last], off[at]) != 0)
                    return -1;
                last = at;
            }
            p = r;
            continue;
        }
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= 0x0E50 && c <= 0x0E59) || c >= 0x0100) {
            /* a run of Latin letters and digits (or other scripts) */
            while (q < end) {
                const char *q2 = q;
                int32_t cc = utf8_next(&q2, end);
                if (!((cc >= '0' && cc <= '9') || (cc >= 'a' && cc <= 'z') ||
                      (cc >= 'A' && cc <= 'Z') || (cc >= 0x0E50 && cc <= 0x0E59) ||
                      (cc >= 0x0100 && !(cc >= 0x0E00 && cc <= 0x0E7F) && cc != 0x00A0 &&
                       !(cc >= 0x2000 && cc <= 0x206F))))
                    break;
                q = q2;
            }
            if (fn(ctx, start, (size_t)(q - start), (size_t)(start - s), (size_t)(q - s)) != 0)
                return -1;
        }
        p = q;
    }
    return 0;
}
