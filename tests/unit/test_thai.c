/* test_thai.c — unit tests of thai.c: UTF-8, digits, dates, fiscal years,
** months, operating periods, amounts, baht text and Thai text repair. */
#include "testutil.h"

#include <pthread.h>

#include "thai.h"

/* ---- helpers -------------------------------------------------------------- */

static date mkdate(int y, int m, int d)
{
    date x = {y, m, d};
    return x;
}

static void assert_date(date got, int y, int m, int d)
{
    assert_int_equal(got.y, y);
    assert_int_equal(got.m, m);
    assert_int_equal(got.d, d);
}

/* Parse a period for FY 2568 and check it succeeded with the given ISO dates. */
static void check_period(const char *text, const char *start, const char *end, int nrepairs)
{
    thai_period p;
    char err[200] = "", s[11], e[11];
    int rc = thai_period_parse(text, 2568, &p, err, sizeof err);
    if (rc != 0)
        print_error("period \"%s\": %s\n", text, err);
    assert_int_equal(rc, 0);
    date_iso(p.start, s);
    date_iso(p.end, e);
    assert_string_equal(s, start);
    assert_string_equal(e, end);
    assert_int_equal(p.nrepairs, nrepairs);
}

/* Parse a period for fiscal year fy and check it failed with a message. */
static void check_period_error(const char *text, int fy)
{
    thai_period p;
    char err[200] = "";
    assert_int_equal(thai_period_parse(text, fy, &p, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    assert_true(date_is_null(p.start) && date_is_null(p.end));
    assert_int_equal(p.nrepairs, 0);
}

static void check_amount(const char *s, amount_kind kind, int64_t satang)
{
    int64_t v = -1;
    amount_kind k = thai_amount_parse(s, strlen(s), &v);
    if (k != kind || v != satang)
        print_error("amount \"%s\": kind %d value %lld\n", s, (int)k, (long long)v);
    assert_int_equal(k, kind);
    assert_true(v == satang);
}

static void check_money(int64_t satang, bool thai, const char *want)
{
    buf b;
    buf_init(&b, 0);
    money_format(&b, satang, thai);
    assert_string_equal(b.s, want);
    buf_free(&b);
}

static void check_baht_text(int64_t satang, const char *want)
{
    buf b;
    buf_init(&b, 0);
    thai_baht_text(&b, satang);
    assert_string_equal(b.s, want);
    buf_free(&b);
}

static void check_clean(const char *in, const char *want)
{
    char *got = text_clean(in, strlen(in));
    assert_string_equal(got, want);
    free(got);
}

static void check_repair(const char *in, const char *want, int nremoved)
{
    int n = -1;
    char *got = thai_repair_spaces(in, &n);
    assert_string_equal(got, want);
    assert_int_equal(n, nremoved);
    free(got);
}

static void check_join(const char *left, const char *right, const char *want)
{
    char *got = thai_join(left, right);
    assert_string_equal(got, want);
    free(got);
}

static int nearest(const char *s, int months[12])
{
    return thai_month_nearest(s, strlen(s), months);
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/* utf8_valid() (byte checks, ASCII sixteen or eight at a time, Thai five
** characters at a time) says yes exactly when utf8_next() decodes every
** code point, and utf8_valid_text() when moreover no byte is NUL: checked
** on random strings built from pieces that sit on every boundary (lead
** bytes, continuation ranges, ASCII and Thai runs long enough for the fast
** paths, truncation at the end). */
static void test_utf8_valid_agrees_with_utf8_next(void **state)
{
    static const char *pieces[] = {
        "a", "abcdefgh", "abcdefghijklmnop", "ก", "\xE0\xB8", "\xE0\xA0\x80", "\xE0\x9F\xBF",
        "\xED\x9F\xBF", "\xED\xA0\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80",
        "\xF0\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
        "\xC2\x80", "\xC1\xBF", "\xDF\xBF", "\x80", "\xBF", "\xFF", "\xC2", "\xE0",
        "\xF0\x90", "\xF0\x90\x80", "\x00", " ", "\x7F", "กลุ่มอำนวยการ",
        "ยุวกาชาดและกิจการนักเรียน", "\xE0\xB8\x80", "\xE0\xB9\xBF", "\xE0\xBA\x80",
        "\xE0\xB8\xC0"};
    unsigned seed = 12345;
    (void)state;
    for (int round = 0; round < 20000; round++) {
        char s[1024]; /* at most 11 pieces of at most 75 bytes */
        size_t n = 0;
        int k = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
        for (int i = 0; i < k; i++) {
            const char *pc = pieces[((seed = seed * 1103515245u + 12345u) >> 16) % ARRAY_LEN(pieces)];
            size_t l = strcmp(pc, "\x00") == 0 ? 1 : strlen(pc);
            memcpy(s + n, pc, l);
            n += l;
        }
        {
            const char *p = s, *end = s + n;
            bool decodes = true, text;
            while (p < end)
                if (utf8_next(&p, end) < 0)
                    decodes = false;
            text = decodes && !memchr(s, 0, n);
            if (utf8_valid(s, n) != decodes)
                fail_msg("round %d: utf8_valid says %d, utf8_next decodes all: %d", round,
                         utf8_valid(s, n), decodes);
            if (utf8_valid_text(s, n) != text)
                fail_msg("round %d: utf8_valid_text says %d, should be %d", round,
                         utf8_valid_text(s, n), text);
        }
    }
}

static void test_utf8_valid_accepts_wellformed(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("abc", 3));
    assert_true(utf8_valid("กลุ่มอำนวยการ", strlen("กลุ่มอำนวยการ")));
    assert_true(utf8_valid("\xC2\x80", 2));             /* U+0080 */
    assert_true(utf8_valid("\xEF\xBF\xBF", 3));         /* U+FFFF */
    assert_true(utf8_valid("\xF4\x8F\xBF\xBF", 4));     /* U+10FFFF */
    assert_true(utf8_valid("a\0b", 3));                 /* NUL is a code point */
}

static void test_utf8_valid_rejects_overlong(void **state)
{
    (void)state;
    assert_false(utf8_valid("\xC0\x80", 2));
    assert_false(utf8_valid("\xC1\xBF", 2));
    assert_false(utf8_valid("\xE0\x80\x80", 3));
    assert_false(utf8_valid("\xE0\x9F\xBF", 3));
    assert_false(utf8_valid("\xF0\x80\x80\x80", 4));
    assert_false(utf8_valid("\xF0\x8F\xBF\xBF", 4));
}

static void test_utf8_valid_rejects_surrogates(void **state)
{
    (void)state;
    assert_false(utf8_valid("\xED\xA0\x80", 3)); /* U+D800 */
    assert_false(utf8_valid("\xED\xBF\xBF", 3)); /* U+DFFF */
    assert_true(utf8_valid("\xED\x9F\xBF", 3));  /* U+D7FF */
}

static void test_utf8_valid_rejects_truncated(void **state)
{
    (void)state;
    assert_false(utf8_valid("\xE0\xB8", 2));                 /* ก cut */
    assert_false(utf8_valid("ก\xE0", strlen("ก") + 1));
    assert_false(utf8_valid("\xC3", 1));
    assert_false(utf8_valid("\xF0\x9F\x98", 3));
    assert_false(utf8_valid("\xE0\xB8\x41", 3));             /* bad continuation */
    assert_false(utf8_valid("\x80", 1));                     /* lone continuation */
    /* a valid string cut in the middle of its last character */
    assert_false(utf8_valid("กข", strlen("กข") - 1));
}

static void test_utf8_valid_rejects_above_max(void **state)
{
    (void)state;
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* U+110000 */
    assert_false(utf8_valid("\xF5\x80\x80\x80", 4));
    assert_false(utf8_valid("\xFF", 1));
}

static void test_utf8_next_decodes_and_skips_bad_bytes(void **state)
{
    const char *s = "aก\xFF\xE0\xB8z";
    const char *p = s, *end = s + strlen(s);
    (void)state;
    assert_int_equal(utf8_next(&p, end), 'a');
    assert_int_equal(utf8_next(&p, end), 0x0E01);
    assert_int_equal(utf8_next(&p, end), -1); /* 0xFF */
    assert_ptr_equal(p, s + 5);
    assert_int_equal(utf8_next(&p, end), -1); /* E0 B8 then 'z': truncated */
    assert_ptr_equal(p, s + 6);
    assert_int_equal(utf8_next(&p, end), -1); /* lone B8 */
    assert_int_equal(utf8_next(&p, end), 'z');
    assert_ptr_equal(p, end);
    assert_int_equal(utf8_next(&p, end), -1); /* at the end: no advance */
    assert_ptr_equal(p, end);
}

static void test_utf8_put_encodes(void **state)
{
    buf b;
    (void)state;
    buf_init(&b, 0);
    utf8_put(&b, 'A');
    utf8_put(&b, 0xE9);
    utf8_put(&b, 0x0E01);
    utf8_put(&b, 0x1F600);
    assert_string_equal(b.s, "A\xC3\xA9ก\xF0\x9F\x98\x80");
    buf_reset(&b);
    utf8_put(&b, 0xD800);   /* surrogate */
    utf8_put(&b, 0x110000); /* too large */
    utf8_put(&b, -5);
    assert_string_equal(b.s, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    buf_free(&b);
}

/* ---- digits and years ----------------------------------------------------- */

static void test_digits_to_ascii(void **state)
{
    char *s;
    (void)state;
    s = thai_digits_to_ascii("๖,๓๓๐");
    assert_string_equal(s, "6,330");
    free(s);
    s = thai_digits_to_ascii("ศธ ๐๒๑๐๗/๑๒๓");
    assert_string_equal(s, "ศธ 02107/123");
    free(s);
    s = thai_digits_to_ascii("๐๑๒๓๔๕๖๗๘๙ ok");
    assert_string_equal(s, "0123456789 ok");
    free(s);
    assert_null(thai_digits_to_ascii(NULL));
}

static void test_digits_from_ascii(void **state)
{
    char *s;
    (void)state;
    s = thai_digits_from_ascii("6,330");
    assert_string_equal(s, "๖,๓๓๐");
    free(s);
    s = thai_digits_from_ascii("ศธ 02107/123");
    assert_string_equal(s, "ศธ ๐๒๑๐๗/๑๒๓");
    free(s);
    s = thai_digits_from_ascii("");
    assert_string_equal(s, "");
    free(s);
}

static void test_year_expand(void **state)
{
    (void)state;
    assert_int_equal(thai_year_expand(67), 2567);
    assert_int_equal(thai_year_expand(68), 2568);
    assert_int_equal(thai_year_expand(0), 2500);
    assert_int_equal(thai_year_expand(2568), 2568);
    assert_int_equal(thai_year_expand(100), 0);
    assert_int_equal(thai_year_expand(-1), 0);
    assert_int_equal(thai_be_to_ce(2568), 2025);
    assert_int_equal(thai_ce_to_be(2024), 2567);
}

/* ---- dates ---------------------------------------------------------------- */

static void test_date_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2025, 2), 28);
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(2025, 1), 31);
    assert_int_equal(date_days_in_month(2025, 4), 30);
    assert_int_equal(date_days_in_month(2025, 9), 30);
    assert_int_equal(date_days_in_month(2025, 12), 31);
    assert_int_equal(date_days_in_month(2025, 0), 0);
    assert_int_equal(date_days_in_month(2025, 13), 0);
}

static void test_date_valid_and_null(void **state)
{
    (void)state;
    assert_true(date_valid(mkdate(2024, 2, 29)));
    assert_false(date_valid(mkdate(2025, 2, 29)));
    assert_false(date_valid(mkdate(2025, 4, 31)));
    assert_false(date_valid(mkdate(2025, 13, 1)));
    assert_false(date_valid(mkdate(2025, 1, 0)));
    assert_false(date_valid(mkdate(0, 0, 0)));
    assert_true(date_is_null(mkdate(0, 0, 0)));
    assert_false(date_is_null(mkdate(2025, 1, 1)));
}

static void test_date_cmp(void **state)
{
    (void)state;
    assert_int_equal(date_cmp(mkdate(2024, 10, 1), mkdate(2024, 10, 1)), 0);
    assert_true(date_cmp(mkdate(2024, 9, 30), mkdate(2024, 10, 1)) < 0);
    assert_true(date_cmp(mkdate(2025, 1, 1), mkdate(2024, 12, 31)) > 0);
    assert_true(date_cmp(mkdate(2025, 1, 2), mkdate(2025, 1, 1)) > 0);
}

static void test_date_iso_format(void **state)
{
    char out[11];
    (void)state;
    date_iso(mkdate(2024, 10, 1), out);
    assert_string_equal(out, "2024-10-01");
    date_iso(mkdate(987, 1, 9), out);
    assert_string_equal(out, "0987-01-09");
    date_iso(mkdate(0, 0, 0), out);
    assert_string_equal(out, "");
    date_iso(mkdate(2025, 2, 30), out); /* invalid dates print as "" too */
    assert_string_equal(out, "");
}

static void test_date_parse_iso_strict(void **state)
{
    date d;
    (void)state;
    assert_true(date_parse_iso("2025-09-30", &d));
    assert_date(d, 2025, 9, 30);
    assert_true(date_parse_iso("2024-02-29", &d));
    assert_date(d, 2024, 2, 29);
    assert_false(date_parse_iso("2025-02-29", &d));
    assert_true(date_is_null(d));
    assert_false(date_parse_iso("2025-9-30", &d));
    assert_false(date_parse_iso("2025-09-30 ", &d));
    assert_false(date_parse_iso("2025/09/30", &d));
    assert_false(date_parse_iso("2025-13-01", &d));
    assert_false(date_parse_iso("", &d));
    assert_false(date_parse_iso(NULL, &d));
}

static void test_date_thai_long(void **state)
{
    buf b;
    (void)state;
    buf_init(&b, 0);
    date_thai_long(&b, mkdate(2025, 1, 13), true);
    assert_string_equal(b.s, "๑๓ มกราคม ๒๕๖๘");
    buf_reset(&b);
    date_thai_long(&b, mkdate(2025, 1, 13), false);
    assert_string_equal(b.s, "13 มกราคม 2568");
    buf_reset(&b);
    date_thai_long(&b, mkdate(2024, 10, 1), false);
    assert_string_equal(b.s, "1 ตุลาคม 2567");
    buf_reset(&b);
    buf_adds(&b, "x");
    date_thai_long(&b, mkdate(0, 0, 0), true); /* null date appends nothing */
    assert_string_equal(b.s, "x");
    buf_free(&b);
}

static void test_date_thai_short(void **state)
{
    buf b;
    (void)state;
    buf_init(&b, 0);
    date_thai_short(&b, mkdate(2025, 1, 13), false);
    assert_string_equal(b.s, "13 ม.ค. 68");
    buf_reset(&b);
    date_thai_short(&b, mkdate(2025, 1, 13), true);
    assert_string_equal(b.s, "๑๓ ม.ค. ๖๘");
    buf_reset(&b);
    date_thai_short(&b, mkdate(2024, 10, 1), false);
    assert_string_equal(b.s, "1 ต.ค. 67");
    buf_reset(&b);
    date_thai_short(&b, mkdate(1957, 5, 2), false); /* BE 2500: two-digit year 00 */
    assert_string_equal(b.s, "2 พ.ค. 00");
    buf_free(&b);
}

/* ---- months --------------------------------------------------------------- */

static void test_month_names_and_abbreviations(void **state)
{
    static const char *const names[12] = {
        "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
        "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
    };
    static const char *const abbrs[12] = {
        "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
        "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
    };
    (void)state;
    for (int m = 1; m <= 12; m++) {
        assert_string_equal(thai_month_name(m), names[m - 1]);
        assert_string_equal(thai_month_abbr(m), abbrs[m - 1]);
    }
    assert_null(thai_month_name(0));
    assert_null(thai_month_name(13));
    assert_null(thai_month_abbr(0));
    assert_null(thai_month_abbr(13));
}

static void test_month_lookup_exact_forms(void **state)
{
    (void)state;
    for (int m = 1; m <= 12; m++) {
        const char *name = thai_month_name(m), *abbr = thai_month_abbr(m);
        assert_int_equal(thai_month_lookup(name, strlen(name)), m);
        assert_int_equal(thai_month_lookup(abbr, strlen(abbr)), m);
        assert_int_equal(thai_month_lookup(abbr, strlen(abbr) - 1), m); /* no final dot */
    }
    assert_int_equal(thai_month_lookup("มค", strlen("มค")), 1);
    assert_int_equal(thai_month_lookup("มี.ค", strlen("มี.ค")), 3);
    assert_int_equal(thai_month_lookup("เมย", strlen("เมย")), 4);
    /* a token inside a longer string: only n bytes count */
    assert_int_equal(thai_month_lookup("ธ.ค. 67", strlen("ธ.ค.")), 12);
}

static void test_month_lookup_rejects_non_months(void **state)
{
    (void)state;
    assert_int_equal(thai_month_lookup("ต.ย.", strlen("ต.ย.")), 0);
    assert_int_equal(thai_month_lookup("พ.ศ.", strlen("พ.ศ.")), 0);
    assert_int_equal(thai_month_lookup("xyz", 3), 0);
    assert_int_equal(thai_month_lookup("", 0), 0);
    assert_int_equal(thai_month_lookup("...", 3), 0);
}

static void test_month_nearest_confusable_letter(void **state)
{
    int m[12];
    (void)state;
    /* ศ looks like ค: only ต.ค. is one step away */
    assert_int_equal(nearest("ต.ศ.", m), 1);
    assert_int_equal(m[0], 10);
    /* ร looks like ธ: ธ.ค.; ก.ค., ส.ค., พ.ค., ม.ค., ต.ค. are a full step away */
    assert_int_equal(nearest("ร.ค.", m), 1);
    assert_int_equal(m[0], 12);
}

static void test_month_nearest_tie(void **state)
{
    int m[12];
    (void)state;
    /* ต.ย.: ก.ย. (ก/ต) and ต.ค. (ค/ย) are equally near */
    assert_int_equal(nearest("ต.ย.", m), 2);
    assert_int_equal(m[0], 9);
    assert_int_equal(m[1], 10);
    /* dots and spaces do not matter */
    assert_int_equal(nearest("ต ย", m), 2);
    assert_int_equal(m[0], 9);
    assert_int_equal(m[1], 10);
}

static void test_month_nearest_exact_and_none(void **state)
{
    int m[12];
    (void)state;
    assert_int_equal(nearest("ม.ค.", m), 1);
    assert_int_equal(m[0], 1);
    assert_int_equal(nearest("มิ.ย.", m), 1);
    assert_int_equal(m[0], 6);
    assert_int_equal(nearest("xyz", m), 0);
    assert_int_equal(nearest("", m), 0);
    assert_int_equal(nearest("...", m), 0);
    assert_int_equal(nearest("มกราคม", m), 0); /* a name is no abbreviation */
}

/* ---- fiscal year ---------------------------------------------------------- */

static void test_fy_start_end(void **state)
{
    (void)state;
    assert_date(fy_start(2568), 2024, 10, 1);
    assert_date(fy_end(2568), 2025, 9, 30);
    assert_date(fy_start(2569), 2025, 10, 1);
    assert_date(fy_end(2567), 2024, 9, 30);
}

static void test_fy_of_date(void **state)
{
    (void)state;
    assert_int_equal(fy_of_date(mkdate(2024, 10, 1)), 2568);
    assert_int_equal(fy_of_date(mkdate(2024, 9, 30)), 2567);
    assert_int_equal(fy_of_date(mkdate(2025, 9, 30)), 2568);
    assert_int_equal(fy_of_date(mkdate(2025, 1, 13)), 2568);
    assert_int_equal(fy_of_date(mkdate(0, 0, 0)), 0);
}

static void test_fy_quarter_of(void **state)
{
    (void)state;
    assert_int_equal(fy_quarter_of(mkdate(2024, 10, 1), 2568), 1);
    assert_int_equal(fy_quarter_of(mkdate(2024, 12, 31), 2568), 1);
    assert_int_equal(fy_quarter_of(mkdate(2025, 1, 1), 2568), 2);
    assert_int_equal(fy_quarter_of(mkdate(2025, 3, 31), 2568), 2);
    assert_int_equal(fy_quarter_of(mkdate(2025, 4, 1), 2568), 3);
    assert_int_equal(fy_quarter_of(mkdate(2025, 7, 1), 2568), 4);
    assert_int_equal(fy_quarter_of(mkdate(2025, 9, 30), 2568), 4);
    assert_int_equal(fy_quarter_of(mkdate(2024, 9, 30), 2568), 0);
    assert_int_equal(fy_quarter_of(mkdate(2025, 10, 1), 2568), 0);
    assert_int_equal(fy_quarter_of(mkdate(2025, 10, 1), 2569), 1);
}

static void test_fy_quarter_range(void **state)
{
    date s, e;
    (void)state;
    fy_quarter_range(2568, 1, &s, &e);
    assert_date(s, 2024, 10, 1);
    assert_date(e, 2024, 12, 31);
    fy_quarter_range(2568, 2, &s, &e);
    assert_date(s, 2025, 1, 1);
    assert_date(e, 2025, 3, 31);
    fy_quarter_range(2568, 3, &s, &e);
    assert_date(s, 2025, 4, 1);
    assert_date(e, 2025, 6, 30);
    fy_quarter_range(2568, 4, &s, &e);
    assert_date(s, 2025, 7, 1);
    assert_date(e, 2025, 9, 30);
    fy_quarter_range(2568, 0, &s, &e);
    assert_true(date_is_null(s) && date_is_null(e));
    fy_quarter_range(2568, 5, &s, &e);
    assert_true(date_is_null(s) && date_is_null(e));
}

/* ---- operating periods ---------------------------------------------------- */

static void test_period_month_range_across_years(void **state)
{
    (void)state;
    check_period("พ.ย. 67 - ก.ย. 68", "2024-11-01", "2025-09-30", 0);
    check_period("ตุลาคม 2567 - กันยายน 2568", "2024-10-01", "2025-09-30", 0);
    check_period("ตุลาคม พ.ศ. 2567 - กันยายน พ.ศ. 2568", "2024-10-01", "2025-09-30", 0);
}

static void test_period_start_year_from_end(void **state)
{
    (void)state;
    check_period("ม.ค. - ก.พ. 68", "2025-01-01", "2025-02-28", 0);
    check_period("ก.พ. - ก.ย. 68", "2025-02-01", "2025-09-30", 0);
    /* start month after end month: the year before */
    check_period("พ.ย. - ก.พ. 68", "2024-11-01", "2025-02-28", 0);
}

static void test_period_day_range(void **state)
{
    (void)state;
    check_period("1 - 31 ม.ค. 68", "2025-01-01", "2025-01-31", 0);
    check_period("1-15 ม.ค. 68", "2025-01-01", "2025-01-15", 0);
    check_period("15 ต.ค. 67 - 20 ธ.ค. 67", "2024-10-15", "2024-12-20", 0);
}

static void test_period_single_side(void **state)
{
    (void)state;
    check_period("ม.ค. 68", "2025-01-01", "2025-01-31", 0);
    check_period("ก.พ. 67", "2024-02-01", "2024-02-29", 0); /* leap year */
    check_period("15 ต.ค. 67", "2024-10-15", "2024-10-15", 0);
}

static void test_period_separators_and_spacing(void **state)
{
    (void)state;
    check_period("พ.ย. 67 – ส.ค. 68", "2024-11-01", "2025-08-31", 0); /* en dash */
    check_period("พ.ย. 67 — ส.ค. 68", "2024-11-01", "2025-08-31", 0); /* em dash */
    check_period("พ.ย. 67 ถึง ส.ค. 68", "2024-11-01", "2025-08-31", 0);
    check_period("พ.ย.67-ก.ย.68", "2024-11-01", "2025-09-30", 0);
    check_period("พ.ย.67ถึงก.ย.68", "2024-11-01", "2025-09-30", 0);
    check_period("  พ.ย.   67  -   ก.ย.  68  ", "2024-11-01", "2025-09-30", 0);
    check_period("พ.ย.\t67\n-\u00A0ก.ย. 68", "2024-11-01", "2025-09-30", 0);
}

static void test_period_thai_digits(void **state)
{
    (void)state;
    check_period("พ.ย. ๖๗ - ก.ย. ๖๘", "2024-11-01", "2025-09-30", 0);
    check_period("๑ - ๓๑ ม.ค. ๖๘", "2025-01-01", "2025-01-31", 0);
}

static void test_period_whole_fiscal_year(void **state)
{
    (void)state;
    check_period("ตลอดปีงบประมาณ", "2024-10-01", "2025-09-30", 0);
    check_period(" ตลอดปี งบประมาณ ", "2024-10-01", "2025-09-30", 0);
    check_period_error("ตลอดปีงบประมาณ", 0); /* no fiscal year to cover */
}

static void test_period_repair_tie_decided_by_fiscal_year(void **state)
{
    thai_period p;
    char err[200];
    (void)state;
    /* ต.ย. is ก.ย. or ต.ค.; ก.ย. 67 (Sep 2024) falls outside FY 2568 */
    assert_int_equal(thai_period_parse("ต.ย. 67 - ก.ย. 68", 2568, &p, err, sizeof err), 0);
    assert_date(p.start, 2024, 10, 1);
    assert_date(p.end, 2025, 9, 30);
    assert_int_equal(p.nrepairs, 1);
    assert_string_equal(p.repairs[0].from, "ต.ย.");
    assert_int_equal(p.repairs[0].month, 10);
    /* alone in FY 2568, ต.ย. 68 can only be Sep 2025 (Oct 2025 is FY 2569) */
    assert_int_equal(thai_period_parse("ต.ย. 68", 2568, &p, err, sizeof err), 0);
    assert_date(p.start, 2025, 9, 1);
    assert_int_equal(p.repairs[0].month, 9);
}

static void test_period_repair_undecided_is_error(void **state)
{
    (void)state;
    /* in FY 2570 neither reading fits: unreadable, no silent guess */
    check_period_error("ต.ย. 67 - ก.ย. 68", 2570);
    /* without a fiscal year a tie cannot be decided */
    check_period_error("ต.ย. 67 - ก.ย. 68", 0);
}

static void test_period_repair_confusable(void **state)
{
    thai_period p;
    char err[200];
    (void)state;
    assert_int_equal(thai_period_parse("ร.ค. 67 - ก.ค. 68", 2568, &p, err, sizeof err), 0);
    assert_date(p.start, 2024, 12, 1);
    assert_date(p.end, 2025, 7, 31);
    assert_int_equal(p.nrepairs, 1);
    assert_string_equal(p.repairs[0].from, "ร.ค.");
    assert_int_equal(p.repairs[0].month, 12);

    assert_int_equal(thai_period_parse("ต.ศ. 67 - ก.ย. 68", 2568, &p, err, sizeof err), 0);
    assert_date(p.start, 2024, 10, 1);
    assert_int_equal(p.nrepairs, 1);
    assert_string_equal(p.repairs[0].from, "ต.ศ.");
    assert_int_equal(p.repairs[0].month, 10);

    /* a repair on each side, recorded start first */
    assert_int_equal(thai_period_parse("ต.ศ. 67 - ร.ค. 67", 2568, &p, err, sizeof err), 0);
    assert_int_equal(p.nrepairs, 2);
    assert_int_equal(p.repairs[0].month, 10);
    assert_string_equal(p.repairs[1].from, "ร.ค.");
    assert_int_equal(p.repairs[1].month, 12);
    /* repairs of a period with an exact month: none */
    check_period("ธ.ค. 67 - ก.ค. 68", "2024-12-01", "2025-07-31", 0);
}

static void test_period_errors(void **state)
{
    (void)state;
    check_period_error("", 2568);
    check_period_error("   ", 2568);
    check_period_error(NULL, 2568);
    check_period_error("ก.ย. 68 - ต.ค. 67", 2568); /* end before start */
    check_period_error("31 ก.พ. 68", 2568);         /* no such day */
    check_period_error("abc", 2568);
    check_period_error("ม.ค.", 2568);               /* no year anywhere */
    check_period_error("ม.ค. - ก.พ.", 2568);
    check_period_error("ต.ค. 2024", 2568);          /* CE year */
    check_period_error("ต.ค. 67 - ก.ย. 68 - ต.ค. 68", 2568);
    check_period_error("- ก.ย. 68", 2568);
    check_period_error("ต.ค. 67 -", 2568);
    check_period_error("ต.ค. 67 (แก้ไข)", 2568);
    check_period_error("32 ต.ค. 67", 2568);
    check_period_error("พ.ศ. 2568", 2568);          /* an era is not a month */
    check_period_error("ต.ค. ก.ย. 68", 2568);
    check_period_error("ต.ค. 67 68", 2568);
    check_period_error("ต.ค. 567", 2568);
}

static void test_period_error_message_is_readable(void **state)
{
    thai_period p;
    char err[200] = "";
    char small[8] = "";
    (void)state;
    assert_int_equal(thai_period_parse("ม.ค.", 2568, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "no year"));
    assert_int_equal(thai_period_parse("ก.ย. 68 - ต.ค. 67", 2568, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "before the start"));
    /* a short buffer is not overrun; NULL err is allowed */
    assert_int_equal(thai_period_parse("abc", 2568, &p, small, sizeof small), -1);
    assert_true(strlen(small) < sizeof small);
    assert_int_equal(thai_period_parse("abc", 2568, &p, NULL, 0), -1);
}

/* ---- amounts -------------------------------------------------------------- */

static void test_amount_values(void **state)
{
    (void)state;
    check_amount("6,330", AMOUNT_VALUE, 633000);
    check_amount("๖,๓๓๐", AMOUNT_VALUE, 633000);
    check_amount("1,234.50", AMOUNT_VALUE, 123450);
    check_amount("1234.5", AMOUNT_VALUE, 123450);
    check_amount("6330 บาท", AMOUNT_VALUE, 633000);
    check_amount("6330บาท", AMOUNT_VALUE, 633000);
    check_amount(" 21,000 ", AMOUNT_VALUE, 2100000);
    check_amount("0", AMOUNT_VALUE, 0);
    check_amount("0.05", AMOUNT_VALUE, 5);
    check_amount("1,000,000", AMOUNT_VALUE, 100000000);
    check_amount("546200", AMOUNT_VALUE, 54620000);
}

static void test_amount_empty(void **state)
{
    (void)state;
    check_amount("-", AMOUNT_EMPTY, 0);
    check_amount("–", AMOUNT_EMPTY, 0);
    check_amount("—", AMOUNT_EMPTY, 0);
    check_amount("", AMOUNT_EMPTY, 0);
    check_amount("  ", AMOUNT_EMPTY, 0);
    check_amount(" - ", AMOUNT_EMPTY, 0);
}

static void test_amount_no_budget(void **state)
{
    (void)state;
    check_amount("ไม่ใช้งบประมาณ", AMOUNT_NO_BUDGET, 0);
    check_amount("ไม่ใช้ งบประมาณ", AMOUNT_NO_BUDGET, 0);
    check_amount("ไม่ใช้งบ", AMOUNT_NO_BUDGET, 0);
    check_amount(" ไม่ใช้\nงบประมาณ ", AMOUNT_NO_BUDGET, 0);
}

static void test_amount_bad(void **state)
{
    static const char *const bad[] = {
        "6,33", "1.234", "abc", "-5", "1,2345", "12 34", "1.2.3", "1234,567", ",123",
        "1,,234", "1.", ".5", "+5", "5 บาทถ้วน", "บาท", "6,330-", "1e5", "๖,๓๓",
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        check_amount(bad[i], AMOUNT_BAD, 0);
}

static void test_amount_limits_and_overflow(void **state)
{
    (void)state;
    check_amount("10,000,000,000,000", AMOUNT_VALUE, AMOUNT_MAX_SATANG);
    check_amount("10000000000000.00", AMOUNT_VALUE, AMOUNT_MAX_SATANG);
    check_amount("10,000,000,000,000.01", AMOUNT_BAD, 0);
    check_amount("10000000000001", AMOUNT_BAD, 0);
    check_amount("99999999999999999999999999999999999999", AMOUNT_BAD, 0);
    check_amount("9,223,372,036,854,775,807", AMOUNT_BAD, 0);
}

static void test_amount_uses_only_n_bytes(void **state)
{
    int64_t v = -1;
    (void)state;
    assert_int_equal(thai_amount_parse("6,330xyz", 5, &v), AMOUNT_VALUE);
    assert_true(v == 633000);
    assert_int_equal(thai_amount_parse("12", 1, &v), AMOUNT_VALUE);
    assert_true(v == 100);
    assert_int_equal(thai_amount_parse("abc", 0, &v), AMOUNT_EMPTY);
    assert_true(v == 0);
}

static void test_money_format(void **state)
{
    (void)state;
    check_money(54620000, false, "546,200");
    check_money(54620000, true, "๕๔๖,๒๐๐");
    check_money(123450, false, "1,234.50");
    check_money(123450, true, "๑,๒๓๔.๕๐");
    check_money(0, false, "0");
    check_money(5, false, "0.05");
    check_money(99999, false, "999.99");
    check_money(100000, false, "1,000");
    check_money(-123450, false, "-1,234.50");
    check_money(AMOUNT_MAX_SATANG, false, "10,000,000,000,000");
    check_money(INT64_MIN, false, "-92,233,720,368,547,758.08");
}

static void test_money_add_checks_overflow(void **state)
{
    int64_t acc = 633000;
    (void)state;
    assert_true(money_add(&acc, 54620000));
    assert_true(acc == 55253000);
    acc = INT64_MAX - 1;
    assert_true(money_add(&acc, 1));
    assert_true(acc == INT64_MAX);
    assert_false(money_add(&acc, 1));
    assert_true(acc == INT64_MAX); /* untouched */
    acc = INT64_MIN;
    assert_false(money_add(&acc, -1));
    assert_true(acc == INT64_MIN);
}

static void test_baht_text_examples(void **state)
{
    (void)state;
    check_baht_text(54620000, "ห้าแสนสี่หมื่นหกพันสองร้อยบาทถ้วน");
    check_baht_text(633000, "หกพันสามร้อยสามสิบบาทถ้วน");
    check_baht_text(123450, "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์");
    check_baht_text(50, "ห้าสิบสตางค์");
    check_baht_text(0, "ศูนย์บาทถ้วน");
    check_baht_text(100, "หนึ่งบาทถ้วน");
}

static void test_baht_text_ed_and_yi(void **state)
{
    (void)state;
    check_baht_text(1100, "สิบเอ็ดบาทถ้วน");
    check_baht_text(2100, "ยี่สิบเอ็ดบาทถ้วน");
    check_baht_text(10100, "หนึ่งร้อยเอ็ดบาทถ้วน");
    check_baht_text(1000, "สิบบาทถ้วน");
    check_baht_text(2000, "ยี่สิบบาทถ้วน");
    check_baht_text(1, "หนึ่งสตางค์");
    check_baht_text(21, "ยี่สิบเอ็ดสตางค์");
    check_baht_text(101, "หนึ่งบาทหนึ่งสตางค์");
}

static void test_baht_text_millions(void **state)
{
    (void)state;
    check_baht_text(100000000, "หนึ่งล้านบาทถ้วน");
    check_baht_text(1000000000, "สิบล้านบาทถ้วน");
    check_baht_text(2100000000, "ยี่สิบเอ็ดล้านบาทถ้วน");
    check_baht_text(100000100, "หนึ่งล้านเอ็ดบาทถ้วน");
    check_baht_text(123456789000, "หนึ่งพันสองร้อยสามสิบสี่ล้าน"
                                  "ห้าแสนหกหมื่นเจ็ดพันแปดร้อยเก้าสิบบาทถ้วน");
    check_baht_text(100000000000000, "หนึ่งล้านล้านบาทถ้วน");
    check_baht_text(-100, "ลบหนึ่งบาทถ้วน");
}

/* ---- text ----------------------------------------------------------------- */

static void test_clean_html_fragments(void **state)
{
    (void)state;
    check_clean("<p>ผลลัพธ์ (Outcome)</p> <p>1. นักเรียน</p>", "ผลลัพธ์ (Outcome) 1. นักเรียน");
    check_clean("บรรทัด<br>ใหม่<br/>อีก<br />จบ", "บรรทัด ใหม่ อีก จบ");
    check_clean("<P>ก</P><h1>ข</h1>", "ก ข");
}

static void test_clean_keeps_lone_angle_brackets(void **state)
{
    (void)state;
    check_clean("<5", "<5");
    check_clean("a < b", "a < b");
    check_clean("x<y", "x<y");
    check_clean("< p>", "< p>");
    check_clean("ร้อยละ <80 > 70", "ร้อยละ <80 > 70");
}

static void test_clean_whitespace(void **state)
{
    (void)state;
    check_clean("  ก\tข\nค\r\nง  ", "ก ข ค ง");
    check_clean("กลุ่ม\u00A0อำนวยการ", "กลุ่ม อำนวยการ");    /* NBSP */
    check_clean("a\u2003\u3000b", "a b");                     /* em space, ideographic */
    check_clean("กลุ่ม\u200Bงาน\uFEFF", "กลุ่มงาน");        /* zero-width */
    check_clean("a \u200B b", "a b");
    check_clean("", "");
    check_clean(" \t\n ", "");
}

static void test_clean_null_input(void **state)
{
    char *got = text_clean(NULL, 0);
    (void)state;
    assert_string_equal(got, "");
    free(got);
    assert_true(utf8_valid(NULL, 0));
    assert_true(text_similarity(NULL, "") == 1.0);
}

static void test_clean_drops_invalid_utf8(void **state)
{
    char *got;
    (void)state;
    check_clean("ก\xFF" "ข", "กข");
    got = text_clean("ก\xE0\xB8", 5); /* cut mid-character */
    assert_string_equal(got, "ก");
    assert_true(utf8_valid(got, strlen(got)));
    free(got);
    got = text_clean("abc", 2); /* only n bytes */
    assert_string_equal(got, "ab");
    free(got);
}

static void test_repair_removes_space_inside_word(void **state)
{
    (void)state;
    /* libthai: ครู|แนะแนว */
    check_repair("ครูแนะ แนว", "ครูแนะแนว", 1);
    /* ธนาคาร|หน่วยกิต|ระดับ: the space inside หน่วยกิต goes, the one after stays */
    check_repair("ธนาคารหน่วย กิต ระดับจังหวัด", "ธนาคารหน่วยกิต ระดับจังหวัด", 1);
    check_repair("ธนาคารหน่วยกิ ตระดับจังหวัด", "ธนาคารหน่วยกิตระดับจังหวัด", 1);
    check_repair("รองรับกับทิศ ทางการพัฒนา", "รองรับกับทิศทางการพัฒนา", 1);
    check_repair("ร้อย ละ 90", "ร้อยละ 90", 1);
}

static void test_repair_keeps_space_at_word_boundary(void **state)
{
    (void)state;
    /* libthai: การ|เรียน|การ|สอน|ยุ|วกาชาด — a boundary where the space was */
    check_repair("การเรียนการสอน ยุวกาชาด", "การเรียนการสอน ยุวกาชาด", 0);
    check_repair("สำนักงานศึกษาธิการ จังหวัดลำปาง", "สำนักงานศึกษาธิการ จังหวัดลำปาง", 0);
    check_repair("จังหวัด ลำปาง", "จังหวัด ลำปาง", 0);
    /* the same text both ways in one string */
    check_repair("ครูแนะ แนว จังหวัด ลำปาง", "ครูแนะแนว จังหวัด ลำปาง", 1);
}

static void test_repair_never_next_to_digit_or_latin(void **state)
{
    (void)state;
    check_repair("ครูแนะ 2 แนว", "ครูแนะ 2 แนว", 0);
    check_repair("ครูแนะ A แนว", "ครูแนะ A แนว", 0);
    check_repair("แนะ2 แนว", "แนะ2 แนว", 0);
    check_repair("แนะ แนว PISA แนะ แนว", "แนะแนว PISA แนะแนว", 2);
    check_repair("ต่างๆ นานา", "ต่างๆ นานา", 0); /* ๆ is no letter */
}

static void test_repair_keeps_double_space_and_abbreviations(void **state)
{
    (void)state;
    check_repair("ครูแนะ  แนว", "ครูแนะ  แนว", 0);
    /* an abbreviation is a word of its own: without this rule libthai would
    ** glue พ onto งบประมาณ */
    check_repair("งบประมาณ พ.ศ. 2568", "งบประมาณ พ.ศ. 2568", 0);
    check_repair("โดยผ่านกลไกของ กศจ. ในการ", "โดยผ่านกลไกของ กศจ. ในการ", 0);
}

static void test_repair_edge_inputs(void **state)
{
    char *got;
    (void)state;
    check_repair("", "", 0);
    check_repair(" ", " ", 0);
    check_repair(" ครู ", " ครู ", 0);
    check_repair("ก \xE0\xB8", "ก \xE0\xB8", 0); /* truncated character after the space */
    got = thai_repair_spaces("ครูแนะ แนว", NULL);
    assert_string_equal(got, "ครูแนะแนว");
    free(got);
}

static void test_repair_long_text(void **state)
{
    buf in, want;
    int n = 0;
    char *got;
    (void)state;
    buf_init(&in, 0);
    buf_init(&want, 0);
    for (int i = 0; i < 2000; i++) {
        buf_adds(&in, "การดำเนินงานแนะ แนวให้แก่ครูแนะ แนว จังหวัด ลำปาง 2. ");
        buf_adds(&want, "การดำเนินงานแนะแนวให้แก่ครูแนะแนว จังหวัด ลำปาง 2. ");
    }
    got = thai_repair_spaces(in.s, &n);
    assert_string_equal(got, want.s);
    assert_int_equal(n, 4000);
    free(got);
    buf_free(&in);
    buf_free(&want);
}

typedef struct repair_job {
    const char *in;
    char *out;
    int n;
} repair_job;

static void *repair_thread(void *arg)
{
    repair_job *job = arg;
    for (int i = 0; i < 50; i++) {
        free(job->out);
        job->out = thai_repair_spaces(job->in, &job->n);
    }
    return NULL;
}

static void test_repair_from_several_threads(void **state)
{
    const char *in = "ครูแนะ แนว ธนาคารหน่วยกิ ตระดับจังหวัด การเรียนการสอน ยุวกาชาด";
    const char *want = "ครูแนะแนว ธนาคารหน่วยกิตระดับจังหวัด การเรียนการสอน ยุวกาชาด";
    pthread_t t[4];
    repair_job job[4];
    (void)state;
    for (int i = 0; i < 4; i++) {
        job[i].in = in;
        job[i].out = NULL;
        job[i].n = 0;
        assert_int_equal(pthread_create(&t[i], NULL, repair_thread, &job[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_string_equal(job[i].out, want);
        assert_int_equal(job[i].n, 2);
        free(job[i].out);
    }
}

static void test_join_inside_word(void **state)
{
    (void)state;
    check_join("รองรับกับทิศ", "ทางการพัฒนา", "รองรับกับทิศทางการพัฒนา");
    check_join("ให้แก่ครูแนะ", "แนว เพื่อเตรียม", "ให้แก่ครูแนะแนว เพื่อเตรียม");
    check_join("ครูแนะ ", "  แนว", "ครูแนะแนว"); /* spaces at the join are dropped */
}

static void test_join_at_boundary(void **state)
{
    (void)state;
    check_join("จังหวัด", "2. เพื่อ", "จังหวัด 2. เพื่อ");
    check_join("การเรียนการสอน", "ยุวกาชาด", "การเรียนการสอน ยุวกาชาด");
    check_join("Outcome)", "1. นักเรียน", "Outcome) 1. นักเรียน");
    check_join("งบประมาณ", "พ.ศ. 2568", "งบประมาณ พ.ศ. 2568");
}

static void test_join_empty_side(void **state)
{
    (void)state;
    check_join("", "ทางการพัฒนา", "ทางการพัฒนา");
    check_join("รองรับกับทิศ", "", "รองรับกับทิศ");
    check_join("", "", "");
    check_join(NULL, "ก", "ก");
    check_join("ก", NULL, "ก");
}

static void test_similarity(void **state)
{
    (void)state;
    assert_true(text_similarity("กลุ่มอำนาจการ", "กลุ่มอำนวยการ") > 0.8);
    assert_true(text_similarity("กลุ่มลูกเสือ ยูวภาษา และกิจการ นักเรียน",
                                "กลุ่มลูกเสือ ยุวกาชาด และกิจการนักเรียน") > 0.75);
    assert_true(text_similarity("abc", "xyz") == 0.0);
    assert_true(text_similarity("กลุ่มอำนวยการ", "กลุ่มอำนวยการ") == 1.0);
    assert_true(text_similarity("กลุ่ม อำนวยการ", "กลุ่มอำนวยการ") == 1.0);
    assert_true(text_similarity("", "") == 1.0);
    assert_true(text_similarity("abc", "") == 0.0);
    /* 2*LCS/(|a|+|b|): LCS("abcd","abed") = 3 -> 6/8 */
    assert_true(text_similarity("abcd", "abed") == 0.75);
    /* the two unit names that are really different stay apart */
    assert_true(text_similarity("กลุ่มอำนวยการ", "กลุ่มกฎหมายและคดี") < 0.6);
}

static void test_equal_nospace(void **state)
{
    (void)state;
    assert_true(text_equal_nospace("กลุ่ม บริหารงาน บุคคล", "กลุ่มบริหารงานบุคคล"));
    assert_true(text_equal_nospace(" a\tb\n", "ab"));
    assert_true(text_equal_nospace("ก\u00A0ข\u200B", "กข"));
    assert_true(text_equal_nospace("", "  "));
    assert_false(text_equal_nospace("กลุ่มอำนาจการ", "กลุ่มอำนวยการ"));
    assert_false(text_equal_nospace("ab", "abc"));
    assert_false(text_equal_nospace("a\xFF", "a\xFE")); /* different bad bytes differ */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid_accepts_wellformed),
        cmocka_unit_test(test_utf8_valid_agrees_with_utf8_next),
        cmocka_unit_test(test_utf8_valid_rejects_overlong),
        cmocka_unit_test(test_utf8_valid_rejects_surrogates),
        cmocka_unit_test(test_utf8_valid_rejects_truncated),
        cmocka_unit_test(test_utf8_valid_rejects_above_max),
        cmocka_unit_test(test_utf8_next_decodes_and_skips_bad_bytes),
        cmocka_unit_test(test_utf8_put_encodes),
        cmocka_unit_test(test_digits_to_ascii),
        cmocka_unit_test(test_digits_from_ascii),
        cmocka_unit_test(test_year_expand),
        cmocka_unit_test(test_date_days_in_month),
        cmocka_unit_test(test_date_valid_and_null),
        cmocka_unit_test(test_date_cmp),
        cmocka_unit_test(test_date_iso_format),
        cmocka_unit_test(test_date_parse_iso_strict),
        cmocka_unit_test(test_date_thai_long),
        cmocka_unit_test(test_date_thai_short),
        cmocka_unit_test(test_month_names_and_abbreviations),
        cmocka_unit_test(test_month_lookup_exact_forms),
        cmocka_unit_test(test_month_lookup_rejects_non_months),
        cmocka_unit_test(test_month_nearest_confusable_letter),
        cmocka_unit_test(test_month_nearest_tie),
        cmocka_unit_test(test_month_nearest_exact_and_none),
        cmocka_unit_test(test_fy_start_end),
        cmocka_unit_test(test_fy_of_date),
        cmocka_unit_test(test_fy_quarter_of),
        cmocka_unit_test(test_fy_quarter_range),
        cmocka_unit_test(test_period_month_range_across_years),
        cmocka_unit_test(test_period_start_year_from_end),
        cmocka_unit_test(test_period_day_range),
        cmocka_unit_test(test_period_single_side),
        cmocka_unit_test(test_period_separators_and_spacing),
        cmocka_unit_test(test_period_thai_digits),
        cmocka_unit_test(test_period_whole_fiscal_year),
        cmocka_unit_test(test_period_repair_tie_decided_by_fiscal_year),
        cmocka_unit_test(test_period_repair_undecided_is_error),
        cmocka_unit_test(test_period_repair_confusable),
        cmocka_unit_test(test_period_errors),
        cmocka_unit_test(test_period_error_message_is_readable),
        cmocka_unit_test(test_amount_values),
        cmocka_unit_test(test_amount_empty),
        cmocka_unit_test(test_amount_no_budget),
        cmocka_unit_test(test_amount_bad),
        cmocka_unit_test(test_amount_limits_and_overflow),
        cmocka_unit_test(test_amount_uses_only_n_bytes),
        cmocka_unit_test(test_money_format),
        cmocka_unit_test(test_money_add_checks_overflow),
        cmocka_unit_test(test_baht_text_examples),
        cmocka_unit_test(test_baht_text_ed_and_yi),
        cmocka_unit_test(test_baht_text_millions),
        cmocka_unit_test(test_clean_html_fragments),
        cmocka_unit_test(test_clean_keeps_lone_angle_brackets),
        cmocka_unit_test(test_clean_whitespace),
        cmocka_unit_test(test_clean_drops_invalid_utf8),
        cmocka_unit_test(test_clean_null_input),
        cmocka_unit_test(test_repair_removes_space_inside_word),
        cmocka_unit_test(test_repair_keeps_space_at_word_boundary),
        cmocka_unit_test(test_repair_never_next_to_digit_or_latin),
        cmocka_unit_test(test_repair_keeps_double_space_and_abbreviations),
        cmocka_unit_test(test_repair_edge_inputs),
        cmocka_unit_test(test_repair_long_text),
        cmocka_unit_test(test_repair_from_several_threads),
        cmocka_unit_test(test_join_inside_word),
        cmocka_unit_test(test_join_at_boundary),
        cmocka_unit_test(test_join_empty_side),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_equal_nospace),
    };
    return cmocka_run_group_tests_name("thai", tests, NULL, NULL);
}
