/*
** thai.h — Thai text, calendar and money utilities. A leaf module: it knows
** nothing of SQL, HTTP or the plan model. Word breaking uses libthai.
**
** Conventions: text is UTF-8; a `date` is a Common Era calendar date;
** fiscal years are given in Buddhist Era (BE = CE + 543); money is int64
** satang (1 baht = 100 satang).
*/
#ifndef PHAEN_THAI_H
#define PHAEN_THAI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* ---- UTF-8 ------------------------------------------------------------ */

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t n);
/* The same, and no NUL byte in s[0..n): text, not binary. */
bool utf8_valid_text(const char *s, size_t n);

/* Decode one code point at *p (advancing it); returns -1 on bad input
** and advances one byte. `end` bounds the read. */
int32_t utf8_next(const char **p, const char *end);

/* Append code point cp as UTF-8. */
void utf8_put(buf *b, int32_t cp);

/* ---- digits and years ------------------------------------------------- */

/* Returns heap memory: s with Thai digits ๐..๙ replaced by 0..9. */
char *thai_digits_to_ascii(const char *s);
/* Returns heap memory: s with 0..9 replaced by Thai digits ๐..๙. */
char *thai_digits_from_ascii(const char *s);

static inline int thai_be_to_ce(int be) { return be - 543; }
static inline int thai_ce_to_be(int ce) { return ce + 543; }
/* A year as written in a Thai document: 2 digits (67 -> 2567) or 4 (BE). */
int thai_year_expand(int y);

/* ---- dates -------------------------------------------------------------- */

typedef struct date {
    int y, m, d; /* CE; m 1..12; all 0 = no date */
} date;

bool date_valid(date d);
bool date_is_null(date d);
int date_days_in_month(int y_ce, int m);
int date_cmp(date a, date b);
void date_iso(date d, char out[11]);             /* "2024-10-01"; "" for null */
bool date_parse_iso(const char *s, date *out);   /* strict YYYY-MM-DD */
/* "๑๓ มกราคม ๒๕๖๘" (thai_digits) or "13 มกราคม 2568". Appends to b. */
void date_thai_long(buf *b, date d, bool thai_digits);
/* "13 ม.ค. 68" style (abbreviated month, 2-digit BE year). Appends to b. */
void date_thai_short(buf *b, date d, bool thai_digits);

/* ---- months --------------------------------------------------------------- */

const char *thai_month_name(int m); /* 1..12 -> "มกราคม"; NULL otherwise */
const char *thai_month_abbr(int m); /* 1..12 -> "ม.ค." */

/* Exact lookup of a month token: full name or abbreviation, the
** abbreviation with or without its dots ("ม.ค.", "ม.ค", "มค").
** Returns 1..12, or 0 when it is not a month. */
int thai_month_lookup(const char *s, size_t n);

/*
** Nearest abbreviations for an OCR-damaged token such as "ต.ย.", "ต.ศ.",
** "ร.ค.". Dots and spaces are ignored; the distance is an edit distance
** over code points where insertion, deletion and substitution cost 2, but a
** substitution between visually confusable Thai letters (ร/ธ, ค/ศ, ค/ด,
** ด/ต, ถ/ภ, บ/ป, ข/ช, ผ/ฝ, พ/ฟ, ม/น, ซ/ช, ฎ/ฏ, ว/ร, ก/ต, ค/ย) costs 1. Candidates
** farther than 2 are not offered. Fills months[] with every month at the
** minimum distance (ascending month order) and returns how many (0..12).
*/
int thai_month_nearest(const char *s, size_t n, int months[12]);

/* ---- fiscal year (BE) ------------------------------------------------------ */

date fy_start(int fy_be);                 /* FY 2568 -> 2024-10-01 */
date fy_end(int fy_be);                   /* FY 2568 -> 2025-09-30 */
int fy_of_date(date d);                   /* fiscal year (BE) containing d */
int fy_quarter_of(date d, int fy_be);     /* 1..4, or 0 outside that year */
void fy_quarter_range(int fy_be, int q, date *start, date *end);

/* ---- operating periods ----------------------------------------------------- */

/* One repaired month token: what the document says and what it became. */
typedef struct period_repair {
    char from[48];
    int month;
} period_repair;

typedef struct thai_period {
    date start, end;
    int nrepairs;
    period_repair repairs[2];
} thai_period;

/*
** Parse an operating period as written in a plan:
**   "พ.ย. 67 - ก.ย. 68"   "ม.ค. - ก.พ. 68"   "1 - 31 ม.ค. 68"
**   "พ.ย. 67 – ส.ค. 68" (en/em dash or "ถึง")   "ม.ค. 68"   "15 ต.ค. 67"
**   "ตุลาคม 2567 - กันยายน 2568"   "ตลอดปีงบประมาณ" (the whole fiscal year)
** Thai or ASCII digits; years of 2 digits (67) or 4 (2567, BE). A missing
** start year is the end's year, or the year before when the start month
** comes after the end month. A missing day means the 1st (start) or the
** month's last day (end).
** A damaged month token is repaired with thai_month_nearest(); when several
** months are equally near, the one that keeps the period inside fiscal year
** `fy_be` (and start <= end) is chosen; if that does not decide, the period
** is unreadable. Every repair is recorded in out->repairs.
** Returns 0, or -1 with a one-line reason (Thai / English) in err.
*/
int thai_period_parse(const char *text, int fy_be, thai_period *out, char *err, size_t errlen);

/* ---- amounts -------------------------------------------------------------- */

typedef enum amount_kind {
    AMOUNT_VALUE,     /* a number: "6,330", "๖,๓๓๐", "1,234.50", "6330 บาท" */
    AMOUNT_EMPTY,     /* "", "-", "–", "—": nothing (zero) */
    AMOUNT_NO_BUDGET, /* "ไม่ใช้งบประมาณ", "ไม่ใช้ งบประมาณ", "ไม่ใช้งบ" */
    AMOUNT_BAD        /* anything else, including negative, > 2 decimals, overflow */
} amount_kind;

/* Largest amount accepted: 10^13 baht, in satang. */
#define AMOUNT_MAX_SATANG INT64_C(1000000000000000)

/* Parse an amount cell; on AMOUNT_VALUE *satang holds it, else 0.
** Thousands separators must group by three when present. */
amount_kind thai_amount_parse(const char *s, size_t n, int64_t *satang);

/* Append "6,330" (or "1,234.50" when there are satang) to b;
** thai_digits gives "๖,๓๓๐". */
void money_format(buf *b, int64_t satang, bool thai_digits);

/* Append the amount in Thai words as in official documents (Excel's
** BAHTTEXT): 54620000 -> "ห้าแสนสี่หมื่นหกพันสองร้อยบาทถ้วน",
** 123450 -> "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์", 0 -> "ศูนย์บาทถ้วน",
** 50 -> "ห้าสิบสตางค์". 11 -> สิบเอ็ด, 21 -> ยี่สิบเอ็ด, 101 -> หนึ่งร้อยเอ็ด,
** millions recurse: 1,000,000 -> หนึ่งล้าน, 10,000,000 -> สิบล้าน. */
void thai_baht_text(buf *b, int64_t satang);

/* Checked addition: false on overflow (result untouched). */
bool money_add(int64_t *acc, int64_t v);

/* ---- text ---------------------------------------------------------------- */

/*
** Clean a cell of extracted text: drop HTML fragments (<p>, </p>, <br>,
** <br/>, any <tag> of letters), turn tabs, newlines, NBSP and other Unicode
** spaces into plain spaces, remove zero-width characters, collapse runs of
** spaces, trim. Returns heap memory.
*/
char *text_clean(const char *s, size_t n);

/* Start loading libthai's dictionary (2-6 ms here) on a thread of its own,
** so that it overlaps other work; the first word-break decision waits for
** it. The thread then offers itself for 30 ms to the next par job started
** (par_offer(): the rows of a small import). Harmless when the dictionary
** is loaded already, or when no thread can start. */
void thai_preload(void);

/*
** Remove spaces that split a Thai word (a PDF line break inside a word):
** a single space between two Thai letters is removed when libthai's word
** breaker, run on the text around it with the space taken out, finds no
** word boundary at that point. A piece of an abbreviation (at most three
** letters next to a '.', as in "พ.ศ.") counts as a word of its own. Returns
** heap memory; *nremoved counts the spaces removed (may be NULL).
*/
char *thai_repair_spaces(const char *s, int *nremoved);

/* Join two pieces of a cell split across a page: with no space when the
** join falls inside a Thai word (libthai), with one space otherwise.
** Returns heap memory. */
char *thai_join(const char *left, const char *right);

/* Similarity of two names in 0..1, ignoring whitespace: 2*LCS/(|a|+|b|)
** over code points (LCS = longest common subsequence). */
double text_similarity(const char *a, const char *b);

/*
** Split text into words for search: Thai runs by libthai's word breaker,
** runs of Latin letters and digits as they are; spaces and punctuation
** separate. fn gets each word (not NUL-terminated) with its byte offsets;
** a non-zero return stops the walk and is returned as -1.
*/
typedef int (*thai_word_fn)(void *ctx, const char *word, size_t len, size_t start, size_t end);
int thai_words(const char *s, size_t n, thai_word_fn fn, void *ctx);

/* True when a and b are equal once all whitespace is removed. */
bool text_equal_nospace(const char *a, const char *b);

#endif
