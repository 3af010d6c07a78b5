/*
** import_csv.c — read the canonical CSV back into a plan_doc. See
** import_csv.h and docs/csv-format.md; the writer is export_csv.c.
*/
#include "import_csv.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* Column ids, in the canonical order of export_csv_columns[]. */
enum col {
    C_NO, C_NAME, C_ISSUE,
    C_ITEMS, /* ITEM__MAX columns, item_kind order */
    C_BUDGET = C_ITEMS + ITEM__MAX,
    C_Q1, C_Q2, C_Q3, C_Q4,
    C_PERIOD, C_PERIOD_START, C_PERIOD_END, C_UNIT, C_UNIT_TEXT,
    C_ALIGN, /* ALIGN__MAX columns, align_field order */
    C__MAX = C_ALIGN + ALIGN__MAX
};

static const char *const col_names[C__MAX] = {
    [C_NO] = "no", [C_NAME] = "name", [C_ISSUE] = "strategic_issue",
    [C_ITEMS + ITEM_OBJECTIVE] = "objectives", [C_ITEMS + ITEM_OUTPUT] = "outputs",
    [C_ITEMS + ITEM_OUTCOME] = "outcomes",
    [C_ITEMS + ITEM_INDICATOR_QUANT] = "indicators_quantitative",
    [C_ITEMS + ITEM_INDICATOR_QUAL] = "indicators_qualitative",
    [C_BUDGET] = "budget", [C_Q1] = "q1", [C_Q2] = "q2", [C_Q3] = "q3", [C_Q4] = "q4",
    [C_PERIOD] = "period", [C_PERIOD_START] = "period_start", [C_PERIOD_END] = "period_end",
    [C_UNIT] = "unit", [C_UNIT_TEXT] = "unit_text",
    [C_ALIGN + ALIGN_NATIONAL_STRATEGY] = "national_strategy",
    [C_ALIGN + ALIGN_MASTER_PLAN] = "master_plan",
    [C_ALIGN + ALIGN_SUBPLAN_TARGET] = "subplan_target",
    [C_ALIGN + ALIGN_PLAN13_MILESTONE] = "plan13_milestone",
    [C_ALIGN + ALIGN_SECURITY_POLICY] = "security_policy",
    [C_ALIGN + ALIGN_GOVERNMENT_POLICY] = "government_policy",
    [C_ALIGN + ALIGN_MOE_STRATEGY] = "moe_strategy",
};

static bool col_required(int c)
{
    return c == C_NO || c == C_NAME || c == C_BUDGET || (c >= C_Q1 && c <= C_Q4);
}

/* The import's state: where we are and where errors go. */
typedef struct ctx {
    const char *source;
    char *err;
    size_t errlen;
    int line;
    int field_of[C__MAX]; /* CSV field index of each column, -1 = absent */
    const strlist *rec;
    int fy;
    int *col_at; /* column of each header field, -1 = none (an empty header) */
    size_t ncol_at;
} ctx;

/* Write "source: " (when there is a source) and the formatted rest to err.
** Always returns -1, so callers can `return fail(...)`. */
__attribute__((format(printf, 2, 3))) static int fail(ctx *c, const char *fmt, ...)
{
    buf b;
    va_list ap;
    if (!c->err || !c->errlen)
        return -1;
    buf_init(&b, 0);
    if (c->source && *c->source)
        buf_printf(&b, "%s: ", c->source);
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.len >= c->errlen) {
        size_t n = c->errlen - 1;
        while (n > 0 && ((unsigned char)b.s[n] & 0xC0) == 0x80)
            n--; /* do not cut a code point */
        b.len = n;
        b.s[n] = 0;
    }
    snprintf(c->err, c->errlen, "%s", b.s ? b.s : "");
    buf_free(&b);
    return -1;
}

/*
** A cell value fit to quote in a one-line message: line breaks become
** spaces and long values are cut (on a UTF-8 boundary) with "…".
** Writes into out (size outlen); returns out.
*/
static const char *shown(const char *s, char *out, size_t outlen)
{
    size_t n = strlen(s), max = outlen > 4 ? outlen - 4 : 0;
    bool cut = n > max;
    if (cut) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* do not cut a code point */
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
    if (cut) {
        memcpy(out + n, "\xE2\x80\xA6", 3); /* … */
        n += 3;
    }
    out[n] = 0;
    return out;
}

/* A cell error: "บรรทัด N คอลัมน์ X: <th> / line N, column X: <en>". */
#define CELL_FAIL(c, col, th, en, ...)                                                         \
    fail((c), "บรรทัด %d คอลัมน์ %s: " th " / line %d, column %s: " en, (c)->line,           \
         col_names[col], __VA_ARGS__)

/* The cell of column col in the current record, surrounding white space
** trimmed (into a buffer owned by the caller: free()); "" when the column
** is absent or the record is short. Returns heap memory. */
static char *cell(const ctx *c, int col)
{
    int i = c->field_of[col];
    const char *s, *e;
    if (i < 0 || (size_t)i >= c->rec->n)
        return xstrdup("");
    s = c->rec->v[i];
    e = s + strlen(s);
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    return xstrndup(s, (size_t)(e - s));
}

static char *nonempty_or_null(char *s)
{
    if (s && !*s) {
        free(s);
        return NULL;
    }
    return s;
}

/* Parse a positive decimal int (ASCII or Thai digits) into *out. */
static bool parse_posint(const char *s, int *out)
{
    char *ascii = thai_digits_to_ascii(s), *end;
    long v;
    bool ok;
    errno = 0;
    v = strtol(ascii, &end, 10);
    ok = *ascii && isdigit((unsigned char)ascii[0]) && !*end && errno == 0 && v > 0 &&
         v <= 1000000;
    free(ascii);
    if (ok)
        *out = (int)v;
    return ok;
}

/* Split a list cell on line breaks; items trimmed, blank lines dropped. */
static void split_lines(const char *s, strlist *out)
{
    while (*s) {
        const char *e = s + strcspn(s, "\r\n"), *b = s, *t = e;
        while (b < t && isspace((unsigned char)*b))
            b++;
        while (t > b && isspace((unsigned char)t[-1]))
            t--;
        if (t > b)
            strlist_addn(out, b, (size_t)(t - b));
        s = *e ? e + 1 : e;
    }
}

static int read_amount(ctx *c, int col, int64_t *satang, amount_kind *kind)
{
    char *s = cell(c, col), tmp[96];
    int rc = 0;
    *kind = thai_amount_parse(s, strlen(s), satang);
    if (*kind == AMOUNT_BAD)
        rc = CELL_FAIL(c, col, "อ่านจำนวนเงิน '%s' ไม่ได้ ให้ใส่ตัวเลข เช่น 6,330 หรือ 1,234.50",
                       "cannot read amount '%s'; write a number such as 6,330 or 1,234.50",
                       shown(s, tmp, sizeof tmp), c->line, col_names[col],
                       shown(s, tmp, sizeof tmp));
    free(s);
    return rc;
}

static int read_budget(ctx *c, project *pr)
{
    amount_kind k;
    if (read_amount(c, C_BUDGET, &pr->budget, &k) < 0)
        return -1;
    if (k == AMOUNT_EMPTY)
        return CELL_FAIL(c, C_BUDGET,
                         "ไม่ได้ใส่งบประมาณ ให้ใส่จำนวนเงิน (0 ได้) หรือ 'ไม่ใช้งบประมาณ'",
                         "no budget given; write an amount (0 is fine) or 'ไม่ใช้งบประมาณ'%s",
                         c->line, col_names[C_BUDGET], "");
    pr->has_budget = k == AMOUNT_VALUE;
    return 0;
}

static int read_quarters(ctx *c, project *pr)
{
    for (int q = 0; q < 4; q++) {
        amount_kind k;
        if (read_amount(c, C_Q1 + q, &pr->q[q], &k) < 0)
            return -1;
        if (k == AMOUNT_NO_BUDGET)
            return CELL_FAIL(c, C_Q1 + q,
                             "ช่องไตรมาสใส่ได้เฉพาะจำนวนเงินหรือ '-' "
                             "(ไม่ใช้งบประมาณ ให้ใส่ที่คอลัมน์ budget)",
                             "a quarter holds an amount or '-' (write ไม่ใช้งบประมาณ in "
                             "column budget)%s",
                             c->line, col_names[C_Q1 + q], "");
    }
    return 0;
}

static int read_date(ctx *c, int col, date *out)
{
    char *s = cell(c, col), tmp[96];
    int rc = 0;
    *out = (date){0, 0, 0};
    if (*s && !date_parse_iso(s, out))
        rc = CELL_FAIL(c, col,
                       "อ่านวันที่ '%s' ไม่ได้ ให้เขียนแบบ ค.ศ. ปปปป-ดด-วว เช่น 2024-10-01",
                       "cannot read date '%s'; write YYYY-MM-DD (Common Era), "
                       "e.g. 2024-10-01",
                       shown(s, tmp, sizeof tmp), c->line, col_names[col],
                       shown(s, tmp, sizeof tmp));
    free(s);
    return rc;
}

/* period, period_start, period_end: dates win over the text. */
static int read_period(ctx *c, project *pr)
{
    char perr[256];
    thai_period tp;

    pr->period_text = nonempty_or_null(cell(c, C_PERIOD));
    if (read_date(c, C_PERIOD_START, &pr->start) < 0 ||
        read_date(c, C_PERIOD_END, &pr->end) < 0)
        return -1;
    if (date_is_null(pr->start) != date_is_null(pr->end)) {
        int col = date_is_null(pr->start) ? C_PERIOD_START : C_PERIOD_END;
        return CELL_FAIL(c, col,
                         "ใส่วันเริ่มและวันสิ้นสุดทั้งคู่ หรือเว้นว่างทั้งคู่ "
                         "(จะอ่านจากคอลัมน์ period)",
                         "give both period_start and period_end, or neither (then the period "
                         "column is read)%s",
                         c->line, col_names[col], "");
    }
    if (!date_is_null(pr->start)) {
        if (date_cmp(pr->start, pr->end) > 0)
            return CELL_FAIL(c, C_PERIOD_END, "วันสิ้นสุดอยู่ก่อนวันเริ่ม",
                             "the end date is before the start date%s", c->line,
                             col_names[C_PERIOD_END], "");
        return 0;
    }
    if (!pr->period_text)
        return 0;
    if (thai_period_parse(pr->period_text, c->fy, &tp, perr, sizeof perr) != 0) {
        findings_addf(&pr->notes, "csv-period-unreadable", SEV_WARNING, pr->no, "period",
                      c->line, "อ่านระยะเวลา '%s' ไม่ได้: %s", "cannot read period '%s': %s",
                      pr->period_text, perr);
        return 0;
    }
    pr->start = tp.start;
    pr->end = tp.end;
    for (int i = 0; i < tp.nrepairs && i < (int)ARRAY_LEN(tp.repairs); i++)
        findings_addf(&pr->notes, "csv-period-repaired", SEV_INFO, pr->no, "period", c->line,
                      "อ่าน '%s' เป็น %s", "read '%s' as %s", tp.repairs[i].from,
                      thai_month_abbr(tp.repairs[i].month), tp.repairs[i].from,
                      thai_month_abbr(tp.repairs[i].month));
    return 0;
}

static int read_alignment(ctx *c, project *pr)
{
    for (int a = 0; a < ALIGN__MAX; a++) {
        int col = C_ALIGN + a;
        char *s = cell(c, col);
        if (!plan_parse_alignment((align_field)a, s, &pr->align[a])) {
            char field[64];
            snprintf(field, sizeof field, "alignment.%s", align_key((align_field)a));
            findings_addf(&pr->notes, "csv-alignment-malformed", SEV_WARNING, pr->no, field,
                          c->line, "คอลัมน์ %s: '%s' ไม่ใช่รหัสที่ถูกต้อง เก็บไว้ตามที่เขียน",
                          "column %s: '%s' is not a valid code; kept as written",
                          col_names[col], s);
        }
        free(s);
    }
    return 0;
}

/* Fill pr from the current record. 0, or -1 with err set. */
static int read_project(ctx *c, plan_doc *p, project *pr)
{
    char *s, tmp[96];

    pr->line = c->line;
    s = cell(c, C_NO);
    if (!parse_posint(s, &pr->no)) {
        CELL_FAIL(c, C_NO, "ลำดับโครงการ '%s' ต้องเป็นจำนวนเต็มบวก เช่น 1",
                  "project number '%s' must be a positive whole number such as 1",
                  shown(s, tmp, sizeof tmp), c->line, col_names[C_NO],
                  shown(s, tmp, sizeof tmp));
        free(s);
        return -1;
    }
    free(s);
    for (size_t i = 0; i + 1 < p->nprojects; i++)
        if (p->projects[i].no == pr->no)
            return CELL_FAIL(c, C_NO, "ลำดับโครงการ %d ซ้ำกับบรรทัด %d ให้แก้ลำดับไม่ให้ซ้ำ",
                             "project number %d is also used on line %d; renumber one of them",
                             pr->no, p->projects[i].line, c->line, col_names[C_NO], pr->no,
                             p->projects[i].line);

    pr->name = cell(c, C_NAME);
    if (!*pr->name)
        return CELL_FAIL(c, C_NAME, "ไม่มีชื่อโครงการ ให้ใส่ชื่อโครงการ",
                         "the project name is empty; write the project's name%s", c->line,
                         col_names[C_NAME], "");

    s = cell(c, C_ISSUE);
    if (*s && !parse_posint(s, &pr->issue)) {
        CELL_FAIL(c, C_ISSUE, "ประเด็นยุทธศาสตร์ '%s' ต้องเป็นเลขประเด็น เช่น 3 หรือเว้นว่าง",
                  "strategic issue '%s' must be an issue number such as 3, or empty",
                  shown(s, tmp, sizeof tmp), c->line, col_names[C_ISSUE],
                  shown(s, tmp, sizeof tmp));
        free(s);
        return -1;
    }
    free(s);
    pr->issue_inferred = false;

    for (int k = 0; k < ITEM__MAX; k++) {
        s = cell(c, C_ITEMS + k);
        split_lines(s, &pr->items[k]);
        free(s);
    }
    if (read_budget(c, pr) < 0 || read_quarters(c, pr) < 0 || read_period(c, pr) < 0)
        return -1;
    pr->unit = nonempty_or_null(cell(c, C_UNIT));
    pr->unit_text = nonempty_or_null(cell(c, C_UNIT_TEXT));
    if (!pr->unit_text && pr->unit)
        pr->unit_text = xstrdup(pr->unit);
    return read_alignment(c, pr);
}

/* Match header names to columns; error on unknown, duplicate or missing. */
static int read_header(ctx *c, const strlist *h)
{
    buf unknown, missing;
    int rc = 0;

    for (int i = 0; i < C__MAX; i++)
        c->field_of[i] = -1;
    buf_init(&unknown, 0);
    buf_init(&missing, 0);
    for (size_t i = 0; i < h->n; i++) {
        char *name = xstrdup(h->v[i]), *s = name, *e;
        int col = -1;
        while (isspace((unsigned char)*s))
            s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = 0;
        for (char *t = s; *t; t++)
            *t = (char)tolower((unsigned char)*t);
        c->col_at[i] = -1;
        if (!*s) { /* an empty column from a spreadsheet: must stay empty */
            free(name);
            continue;
        }
        for (int k = 0; k < C__MAX && col < 0; k++)
            if (strcmp(col_names[k], s) == 0)
                col = k;
        if (col < 0) {
            buf_printf(&unknown, "%s'%s'", unknown.len ? ", " : "", s);
        } else if (c->field_of[col] >= 0) {
            rc = fail(c, "บรรทัด %d: คอลัมน์ %s ซ้ำกัน ให้ลบคอลัมน์ที่ซ้ำออก / line %d: "
                         "column %s appears twice; delete one of them",
                      c->line, s, c->line, s);
            free(name);
            goto out;
        } else {
            c->field_of[col] = (int)i;
            c->col_at[i] = col;
        }
        free(name);
    }
    if (unknown.len) {
        rc = fail(c,
                  "บรรทัด %d: ไม่รู้จักคอลัมน์ %s ให้ลบหรือแก้ชื่อให้ตรงกับ docs/csv-format.md / "
                  "line %d: unknown column(s) %s; delete or rename them as in "
                  "docs/csv-format.md",
                  c->line, unknown.s, c->line, unknown.s);
        goto out;
    }
    for (int k = 0; k < C__MAX; k++)
        if (col_required(k) && c->field_of[k] < 0)
            buf_printf(&missing, "%s%s", missing.len ? ", " : "", col_names[k]);
    if (missing.len)
        rc = fail(c, "บรรทัด %d: ขาดคอลัมน์ %s ให้เพิ่มคอลัมน์เหล่านี้ในหัวตาราง / line %d: "
                     "missing column(s) %s; add them to the header row",
                  c->line, missing.s, c->line, missing.s);
out:
    buf_free(&unknown);
    buf_free(&missing);
    return rc;
}

static bool record_blank_field(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static bool record_blank(const strlist *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (!record_blank_field(r->v[i]))
            return false;
    return true;
}

/* Check the record: UTF-8 everywhere, no data in fields without a column
** header. 0, or -1 with err set. */
static int check_record(ctx *c, const strlist *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const char *s = r->v[i];
        int col = i < c->ncol_at ? c->col_at[i] : -1;
        char name[32];
        if (col >= 0)
            snprintf(name, sizeof name, "%s", col_names[col]);
        else
            snprintf(name, sizeof name, "#%zu", i + 1);
        if (!utf8_valid(s, strlen(s)))
            return fail(c, "บรรทัด %d คอลัมน์ %s: ไม่ใช่ข้อความ UTF-8 ให้บันทึกไฟล์เป็น "
                           "'CSV UTF-8' / line %d, column %s: not UTF-8 text; save the file "
                           "as 'CSV UTF-8'",
                        c->line, name, c->line, name);
        if (col < 0 && c->col_at && !record_blank_field(s))
            return fail(c, "บรรทัด %d: ช่องที่ %zu มีข้อมูลแต่ไม่มีหัวคอลัมน์ "
                           "ให้ลบข้อมูลนั้นหรือใส่ชื่อคอลัมน์ / line %d: field %zu has data "
                           "but no column header; delete it or name the column",
                        c->line, i + 1, c->line, i + 1);
    }
    return 0;
}

/* See import_csv.h. Returns a plan (plan_free) or NULL with err set. */
plan_doc *import_csv(const char *data, size_t len, const char *source_name, int fiscal_year_be,
                     char *err, size_t errlen)
{
    ctx c = {.source = source_name, .err = err, .errlen = errlen, .fy = fiscal_year_be};
    csv_reader r;
    strlist header = {0}, rec = {0};
    plan_doc *p = plan_new();
    char cerr[256];
    int got;

    if (err && errlen)
        err[0] = 0;
    p->fiscal_year = fiscal_year_be;
    p->source_file = xstrdup(source_name);
    csv_init(&r, data ? data : "", data ? len : 0);

    /* the header: the first record that is not blank */
    do {
        got = csv_next(&r, &header, cerr, sizeof cerr);
        c.line = r.line;
    } while (got == 1 && record_blank(&header));
    if (got == 0) {
        fail(&c, "ไฟล์ว่าง ไม่มีหัวตาราง ให้ใช้ไฟล์ที่ส่งออกด้วย export csv / "
                 "the file is empty (no header row); start from a file written by export csv");
        goto bad;
    }
    if (got < 0)
        goto unterminated;
    c.rec = &header;
    if (check_record(&c, &header) < 0)
        goto bad;
    c.col_at = xcalloc(header.n, sizeof *c.col_at);
    c.ncol_at = header.n;
    if (read_header(&c, &header) < 0)
        goto bad;

    for (;;) {
        got = csv_next(&r, &rec, cerr, sizeof cerr);
        c.line = r.line;
        if (got == 0)
            break;
        if (got < 0)
            goto unterminated;
        if (record_blank(&rec))
            continue;
        c.rec = &rec;
        if (check_record(&c, &rec) < 0 || read_project(&c, p, plan_add_project(p)) < 0)
            goto bad;
    }
    if (p->nprojects == 0) {
        fail(&c, "ไม่มีโครงการในไฟล์ (มีแต่หัวตาราง) ให้เพิ่มอย่างน้อยหนึ่งแถว / "
                 "the file has a header but no projects; add at least one row");
        goto bad;
    }
    strlist_free(&header);
    strlist_free(&rec);
    free(c.col_at);
    return p;

unterminated:
    fail(&c, "บรรทัด %d: เครื่องหมายคำพูด (\") เปิดแล้วไม่ปิด ให้ตรวจช่องที่เริ่มในบรรทัดนี้ / "
             "line %d: unterminated quote (\"); close the quoted cell that starts on this line",
         r.line, r.line);
bad:
    strlist_free(&header);
    strlist_free(&rec);
    free(c.col_at);
    plan_free(p);
    return NULL;
}
