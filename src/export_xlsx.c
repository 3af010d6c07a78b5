/*
** export_xlsx.c — a plan as an Excel workbook, with libxlsxwriter. See
** xlsx.h for the sheets; import_xlsx.c reads back "ข้อมูล" and "ข้อมูลแผน".
**
** The sheet "ข้อมูล" holds exactly the canonical CSV (docs/csv-format.md):
** its cells are taken from export_csv_string()'s output, so the two
** exporters cannot drift apart; only the amounts become numbers.
*/
#include "xlsx.h"

#include <errno.h>
#include <inttypes.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "csv.h"
#include "export.h"
#include "xlsx_sheet.h"

#define NO_BUDGET_TEXT "ไม่ใช้งบประมาณ"

/* Columns of the plan table (sheet "แผน"). */
enum {
    PC_NO, PC_NAME, PC_OBJ, PC_TARGET, PC_IND, PC_BUDGET,
    PC_Q1, PC_Q4 = PC_Q1 + 3,
    PC_PERIOD, PC_UNIT,
    PC_ALIGN, PC_LAST = PC_ALIGN + ALIGN__MAX - 1,
    PC__MAX
};

/* Rows of the plan sheet: the title block, then the two header rows. */
enum { PR_TITLE, PR_AGENCY, PR_YEAR, PR_VERSION, PR_HEAD0, PR_HEAD1, PR_FIRST };

/* The writer's state: the workbook, its formats and the first error. */
typedef struct xw {
    xsw s;              /* workbook, first error, row heights (xlsx_sheet.h) */
    bool measured;      /* the caller sets s.row_lines itself: need() does nothing */
    bool decimals;      /* some amount has satang: print every amount with .00 */
    lxw_format *title, *subtitle, *head, *band, *text, *center, *money, *qmoney, *nobudget;
    lxw_format *tot_label, *tot_money, *tot_blank, *words, *plain, *plain_money, *textcol,
        *percent, *bold;
} xw;

/* Note that the current row needs the lines of `text` in columns c0..c1. */
static void need(xw *x, const char *text, lxw_col_t c0, lxw_col_t c1, const lxw_format *f)
{
    if (x->measured)
        return;
    if (text && f && !f->text_wrap && !strchr(text, '\n'))
        text = NULL; /* a cell that does not wrap takes one line */
    xsw_need(&x->s, text, c0, c1, f && f->bold);
}

/* A new format in the document font, with thin borders when `boxed`. */
static lxw_format *fmt(xw *x, bool boxed)
{
    lxw_format *f = xsw_format(&x->s);
    if (boxed) {
        format_set_border(f, LXW_BORDER_THIN);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    }
    return f;
}

/* Every cell format of the workbook, in the document font. */
static void make_formats(xw *x)
{
    const char *m = x->decimals ? "#,##0.00" : "#,##0";
    const char *qm = x->decimals ? "#,##0.00;-#,##0.00;\"-\"" : "#,##0;-#,##0;\"-\"";

    xsw_default_font(&x->s);
    x->title = fmt(x, false);
    format_set_bold(x->title);
    format_set_font_size(x->title, XSW_FONT_SIZE * 16 / 14);
    format_set_align(x->title, LXW_ALIGN_CENTER);
    format_set_align(x->title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(x->title);
    x->subtitle = fmt(x, false);
    format_set_bold(x->subtitle);
    format_set_align(x->subtitle, LXW_ALIGN_CENTER);

    x->head = fmt(x, true);
    format_set_bold(x->head);
    format_set_align(x->head, LXW_ALIGN_CENTER);
    format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(x->head);
    format_set_bg_color(x->head, 0xDDEBF7);
    x->band = fmt(x, true);
    format_set_bold(x->band);
    format_set_bg_color(x->band, 0xF2F2F2);
    format_set_align(x->band, LXW_ALIGN_VERTICAL_CENTER);

    x->text = fmt(x, true);
    format_set_text_wrap(x->text);
    x->center = fmt(x, true);
    format_set_text_wrap(x->center);
    format_set_align(x->center, LXW_ALIGN_CENTER);
    x->money = fmt(x, true);
    format_set_num_format(x->money, m);
    x->qmoney = fmt(x, true);
    format_set_num_format(x->qmoney, qm);
    format_set_align(x->qmoney, LXW_ALIGN_RIGHT);
    x->nobudget = fmt(x, true);
    format_set_text_wrap(x->nobudget);
    format_set_align(x->nobudget, LXW_ALIGN_CENTER);

    x->tot_label = fmt(x, true);
    format_set_bold(x->tot_label);
    format_set_align(x->tot_label, LXW_ALIGN_CENTER);
    format_set_align(x->tot_label, LXW_ALIGN_VERTICAL_CENTER);
    x->tot_money = fmt(x, true);
    format_set_bold(x->tot_money);
    format_set_num_format(x->tot_money, m);
    x->tot_blank = fmt(x, true);
    x->words = fmt(x, false);
    format_set_bold(x->words);
    format_set_align(x->words, LXW_ALIGN_CENTER);

    x->plain = fmt(x, false);
    format_set_align(x->plain, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(x->plain);
    x->plain_money = fmt(x, false);
    format_set_num_format(x->plain_money, m);
    format_set_align(x->plain_money, LXW_ALIGN_VERTICAL_TOP);
    x->textcol = fmt(x, false);
    format_set_num_format(x->textcol, "@");
    format_set_align(x->textcol, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(x->textcol);
    x->percent = fmt(x, true);
    format_set_num_format(x->percent, "0.00%");
    x->bold = fmt(x, false);
    format_set_bold(x->bold);
    format_set_bg_color(x->bold, 0xDDEBF7);
    format_set_border(x->bold, LXW_BORDER_THIN);
    format_set_text_wrap(x->bold);
    format_set_align(x->bold, LXW_ALIGN_VERTICAL_CENTER);
}

static void put_str(xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *f)
{
    need(x, s, c, c, f);
    if (s && *s)
        xsw_check(&x->s, ws, r, c, worksheet_write_string(ws, r, c, s, f));
    else if (f)
        xsw_check(&x->s, ws, r, c, worksheet_write_blank(ws, r, c, f));
}

static void put_merge(xw *x, lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
                      lxw_col_t c1, const char *s, lxw_format *f)
{
    if (r0 == r1)
        need(x, s, c0, c1, f);
    xsw_check(&x->s, ws, r0, c0, worksheet_merge_range(ws, r0, c0, r1, c1, s ? s : "", f));
}

/* ---- the plan sheet ------------------------------------------------------------ */

/* A list cell: items one per line, numbered "1. " when there are several.
** Appends to b (a line break first when b is not empty). */
static void add_list(buf *b, const strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (b->len)
            buf_addc(b, '\n');
        if (l->n > 1)
            buf_printf(b, "%zu. ", i + 1);
        buf_adds(b, l->v[i]);
    }
}

/* A two-part cell: "heading" line then its items, for each non-empty part. */
static char *two_part(const project *pr, item_kind a, item_kind b)
{
    buf out;
    buf_init(&out, 0);
    for (int k = 0; k < 2; k++) {
        item_kind kind = k ? b : a;
        if (!pr->items[kind].n)
            continue;
        if (out.len)
            buf_addc(&out, '\n');
        buf_adds(&out, item_header_th(kind));
        add_list(&out, &pr->items[kind]);
    }
    return buf_detach(&out);
}

/* Width of `text` on one line, in characters (digit widths). */
static double text_chars(xsw *m, const char *text, bool bold)
{
    int w, h;
    pango_layout_set_width(m->l[bold], -1);
    pango_layout_set_text(m->l[bold], text, -1);
    pango_layout_get_size(m->l[bold], &w, &h);
    return (double)w / PANGO_SCALE / m->digit;
}

/* Width of an amount as the sheet shows it, in characters. */
static double amount_width(xw *x, int64_t satang, bool bold)
{
    buf b;
    double w;
    buf_init(&b, 0);
    money_format(&b, satang, false);
    if (x->decimals && satang % 100 == 0)
        buf_adds(&b, ".00");
    w = text_chars(&x->s, b.s, bold);
    buf_free(&b);
    return w;
}

/* The widest amount of column `q` (-1 = budget, 0..3 = quarter) with its
** bold total, in characters. */
static double amount_chars(xw *x, const plan_doc *p, int q, int64_t total)
{
    double w = amount_width(x, total, true);
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        double v = amount_width(x, q < 0 ? pr->budget : pr->q[q], false);
        if (v > w)
            w = v;
    }
    return w;
}

/*
** Column widths of the plan table in characters (the default font's digit
** width): narrow enough that the table prints on A4 landscape at about 85 %
** like the paper document, wide enough for the longest amount.
*/
static void plan_columns(xw *x, lxw_worksheet *ws, const plan_doc *p, const summary *s,
                         double w[PC__MAX])
{
    static const double base[PC__MAX] = {
        [PC_NO] = 3.5, [PC_NAME] = 18, [PC_OBJ] = 22, [PC_TARGET] = 22, [PC_IND] = 22,
        [PC_BUDGET] = 8, [PC_Q1] = 7, [PC_Q1 + 1] = 7, [PC_Q1 + 2] = 7, [PC_Q4] = 7,
        [PC_PERIOD] = 10, [PC_UNIT] = 12,
        [PC_ALIGN + ALIGN_NATIONAL_STRATEGY] = 4, [PC_ALIGN + ALIGN_MASTER_PLAN] = 5,
        [PC_ALIGN + ALIGN_SUBPLAN_TARGET] = 7, [PC_ALIGN + ALIGN_PLAN13_MILESTONE] = 5,
        [PC_ALIGN + ALIGN_SECURITY_POLICY] = 5, [PC_ALIGN + ALIGN_GOVERNMENT_POLICY] = 8,
        [PC_ALIGN + ALIGN_MOE_STRATEGY] = 4,
    };
    memcpy(w, base, sizeof base);
    for (int q = -1; q < 4; q++) {
        int c = q < 0 ? PC_BUDGET : PC_Q1 + q;
        double need_w = amount_chars(x, p, q, q < 0 ? s->budget : s->q[q]) + 1.5;
        if (need_w > w[c])
            w[c] = need_w;
    }
    xsw_use_columns(&x->s, ws, w, PC__MAX, NULL);
}

/* The title block: title line, agency, fiscal year, version label. */
static void plan_title(xw *x, lxw_worksheet *ws, const plan_doc *p)
{
    char *line, year[64];
    int n;
    if (p->title_line && *p->title_line)
        line = xstrdup(p->title_line);
    else
        line = xasprintf("%s ประจำปีงบประมาณ พ.ศ. %d",
                         p->title && *p->title ? p->title : "แผนการใช้จ่ายงบประมาณรายโครงการ",
                         p->fiscal_year);
    snprintf(year, sizeof year, "ปีงบประมาณ พ.ศ. %d", p->fiscal_year);
    put_merge(x, ws, PR_TITLE, 0, PR_TITLE, PC_LAST, line, x->title);
    /* the title is 16/14 the size of the text */
    n = xsw_lines(&x->s, line, xsw_cols_width(&x->s, 0, PC_LAST) * 14 / 16, true);
    worksheet_set_row(ws, PR_TITLE, n * x->s.line * 16 / 14 + 2 * XSW_ROW_PAD, NULL);
    x->s.row_lines = 0;
    put_merge(x, ws, PR_AGENCY, 0, PR_AGENCY, PC_LAST, p->agency, x->subtitle);
    xsw_end_row(&x->s, ws, PR_AGENCY);
    put_merge(x, ws, PR_YEAR, 0, PR_YEAR, PC_LAST, year, x->subtitle);
    xsw_end_row(&x->s, ws, PR_YEAR);
    put_merge(x, ws, PR_VERSION, 0, PR_VERSION, PC_LAST, p->version_label, x->subtitle);
    xsw_end_row(&x->s, ws, PR_VERSION);
    free(line);
}

/* The document's two-level header: merged over the quarters and over the
** seven alignment columns, every other column merged over both rows. */
static void plan_header(xw *x, lxw_worksheet *ws, int fy)
{
    static const char *const single[] = {
        [PC_NO] = "ที่", [PC_NAME] = "โครงการ", [PC_OBJ] = "วัตถุประสงค์",
        [PC_TARGET] = "เป้าหมาย", [PC_IND] = "ตัวชี้วัด", [PC_BUDGET] = "งบประมาณ (บาท)",
        [PC_PERIOD] = "ระยะเวลาดำเนินการ", [PC_UNIT] = "ผู้รับผิดชอบ",
    };
    char spend[96];
    int lines1, lines0;

    /* the second row first: the first must add what the merged cells need */
    for (int q = 0; q < 4; q++) {
        char h[32];
        snprintf(h, sizeof h, "ไตรมาส %d", q + 1);
        put_str(x, ws, PR_HEAD1, (lxw_col_t)(PC_Q1 + q), h, x->head);
    }
    for (int a = 0; a < ALIGN__MAX; a++)
        put_str(x, ws, PR_HEAD1, (lxw_col_t)(PC_ALIGN + a), align_header_th((align_field)a),
                x->head);
    lines1 = x->s.row_lines;
    xsw_end_row(&x->s, ws, PR_HEAD1);

    snprintf(spend, sizeof spend, "แผนการใช้จ่ายงบประมาณ พ.ศ. %d", fy);
    put_merge(x, ws, PR_HEAD0, PC_Q1, PR_HEAD0, PC_Q4, spend, x->head);
    put_merge(x, ws, PR_HEAD0, PC_ALIGN, PR_HEAD0, PC_LAST, "ความสอดคล้อง", x->head);
    lines0 = x->s.row_lines;
    for (int c = 0; c < PC__MAX; c++) {
        int n;
        if (c >= (int)ARRAY_LEN(single) || !single[c])
            continue;
        put_merge(x, ws, PR_HEAD0, (lxw_col_t)c, PR_HEAD1, (lxw_col_t)c, single[c], x->head);
        n = xsw_lines(&x->s, single[c], x->s.colw[c], true) - lines1;
        if (n > lines0)
            lines0 = n;
    }
    x->s.row_lines = lines0;
    xsw_end_row(&x->s, ws, PR_HEAD0);
}

static void plan_band(xw *x, lxw_worksheet *ws, lxw_row_t r, const plan_doc *p, int issue)
{
    const strategic_issue *si = issue ? plan_issue(p, issue) : NULL;
    char *s;
    if (!issue)
        s = xstrdup("ไม่ระบุประเด็นยุทธศาสตร์");
    else if (si && si->title && *si->title)
        s = xasprintf("ประเด็นยุทธศาสตร์ที่ %d %s", issue, si->title);
    else
        s = xasprintf("ประเด็นยุทธศาสตร์ที่ %d", issue);
    put_merge(x, ws, r, 0, r, PC_LAST, s, x->band);
    xsw_end_row(&x->s, ws, r);
    free(s);
}

/* "ม.ค. 68" style: month abbreviation and 2-digit BE year. */
static void month_year(buf *b, date d, bool year)
{
    buf_adds(b, thai_month_abbr(d.m));
    if (year)
        buf_printf(b, " %02d", thai_ce_to_be(d.y) % 100);
}

/*
** A period as plans write it, from its dates: "พ.ย. 67 - ก.ย. 68",
** "ม.ค. - ก.พ. 68", "ม.ค. 68" for whole months, else "1 - 31 ม.ค. 68" or
** "15 ต.ค. 67 - 30 ก.ย. 68". Appends to b.
*/
static void period_from_dates(buf *b, date a, date e)
{
    bool whole = a.d == 1 && e.d == date_days_in_month(e.y, e.m);
    if (whole && a.y == e.y && a.m == e.m) {
        month_year(b, e, true);
    } else if (whole) {
        month_year(b, a, thai_ce_to_be(a.y) % 100 != thai_ce_to_be(e.y) % 100);
        buf_adds(b, " - ");
        month_year(b, e, true);
    } else if (a.y == e.y && a.m == e.m) {
        buf_printf(b, "%d - ", a.d);
        date_thai_short(b, e, false);
    } else {
        date_thai_short(b, a, false);
        buf_adds(b, " - ");
        date_thai_short(b, e, false);
    }
}

/*
** The period cell of the official table: the text as the plan wrote it,
** unless it cannot be read or a month in it is misspelt (an OCR "ต.ย."):
** then the period written anew from its dates. Returns heap memory.
*/
static char *period_cell(const project *pr, int fy)
{
    thai_period tp;
    char perr[256];
    buf b;
    bool text = pr->period_text && *pr->period_text;
    if (text && (date_is_null(pr->start) ||
                 (thai_period_parse(pr->period_text, fy, &tp, perr, sizeof perr) == 0 &&
                  tp.nrepairs == 0)))
        return xstrdup(pr->period_text);
    if (date_is_null(pr->start) || date_is_null(pr->end))
        return xstrdup(text ? pr->period_text : "");
    buf_init(&b, 0);
    period_from_dates(&b, pr->start, pr->end);
    return buf_detach(&b);
}

/*
** Cut `text` into pieces of at most k lines each, as it wraps in a cell
** `chars` wide (a row of Excel holds 409 pt at most; the paper document too
** continues a long cell on the next row). Appends the pieces to out.
*/
static int split_cell(xsw *m, const char *text, double chars, bool bold, int k,
                      strlist *out)
{
    int n = xsw_lines(m, text, chars, bold);
    size_t len = text ? strlen(text) : 0;
    if (n <= k) {
        strlist_add(out, text ? text : "");
        return n;
    }
    for (int i = 0; i < n; i += k) { /* the layout still holds text */
        size_t a = (size_t)pango_layout_get_line_readonly(m->l[bold], i)->start_index;
        size_t e = i + k < n ? (size_t)pango_layout_get_line_readonly(m->l[bold], i + k)
                                   ->start_index
                             : len;
        while (a < e && (text[a] == ' ' || text[a] == '\n'))
            a++;
        while (e > a && (text[e - 1] == ' ' || text[e - 1] == '\n'))
            e--;
        strlist_addn(out, text + a, e - a);
    }
    return n;
}

/*
** One project: its row, then continuation rows while a text cell has more
** lines than a row holds. `csv` is the project's canonical CSV record (its
** alignment cells are shown as the CSV writes them). Returns how many rows
** it took.
*/
static lxw_row_t plan_row(xw *x, lxw_worksheet *ws, lxw_row_t r, const plan_doc *p,
                          const project *pr, const strlist *csv, size_t align_field0)
{
    char *text[PC__MAX] = {0};
    strlist piece[PC__MAX] = {{0}};
    int lines[PC__MAX] = {0};
    int k = (int)((XSW_MAX_ROW_PT - XSW_ROW_PAD) / x->s.line);
    size_t rows = 1;
    buf b;

    text[PC_NAME] = xstrdup(pr->name ? pr->name : "");
    buf_init(&b, 0);
    add_list(&b, &pr->items[ITEM_OBJECTIVE]);
    text[PC_OBJ] = buf_detach(&b);
    text[PC_TARGET] = two_part(pr, ITEM_OUTPUT, ITEM_OUTCOME);
    text[PC_IND] = two_part(pr, ITEM_INDICATOR_QUANT, ITEM_INDICATOR_QUAL);
    text[PC_PERIOD] = period_cell(pr, p->fiscal_year);
    text[PC_UNIT] = xstrdup(pr->unit ? pr->unit : pr->unit_text ? pr->unit_text : "");
    for (int a = 0; a < ALIGN__MAX; a++) {
        size_t i = align_field0 + (size_t)a;
        text[PC_ALIGN + a] = xstrdup(i < csv->n ? csv->v[i] : "");
    }
    if (!pr->has_budget)
        text[PC_BUDGET] = xstrdup(NO_BUDGET_TEXT);
    if (k < 1)
        k = 1;
    for (int c = 0; c < PC__MAX; c++) {
        if (!text[c])
            continue;
        lines[c] = split_cell(&x->s, text[c], x->s.colw[c], false, k, &piece[c]);
        if (piece[c].n > rows)
            rows = piece[c].n;
    }

    x->measured = true; /* piece j of a cell has min(k, lines - j k) lines */
    for (size_t j = 0; j < rows; j++) {
        lxw_row_t rj = (lxw_row_t)(r + j);
        x->s.row_lines = 1;
        for (int c = 0; c < PC__MAX; c++) {
            int left = lines[c] - (int)j * k;
            lxw_format *f = c == PC_BUDGET                    ? x->nobudget
                            : c >= PC_PERIOD && c != PC_UNIT ? x->center
                                                             : x->text;
            if (left > x->s.row_lines)
                x->s.row_lines = left < k ? left : k;
            if (text[c])
                put_str(x, ws, rj, (lxw_col_t)c, j < piece[c].n ? piece[c].v[j] : "", f);
            else if (j > 0)
                put_str(x, ws, rj, (lxw_col_t)c, "", x->text);
        }
        xsw_end_row(&x->s, ws, rj);
    }
    x->measured = false;
    xsw_put_num(&x->s, ws, r, PC_NO, pr->no, x->center);
    if (pr->has_budget)
        xsw_put_num(&x->s, ws, r, PC_BUDGET, xsw_baht(pr->budget), x->money);
    for (int q = 0; q < 4; q++)
        xsw_put_num(&x->s, ws, r, (lxw_col_t)(PC_Q1 + q), xsw_baht(pr->q[q]), x->qmoney);
    for (int c = 0; c < PC__MAX; c++) {
        free(text[c]);
        strlist_free(&piece[c]);
    }
    x->s.row_lines = 0;
    return (lxw_row_t)rows;
}

static void plan_print_setup(lxw_worksheet *ws)
{
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, PR_HEAD0, PR_HEAD1);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6); /* inches */
    worksheet_center_horizontally(ws);
    worksheet_set_footer(ws, "&Cหน้า &P / &N");
    worksheet_freeze_panes(ws, PR_FIRST, 0);
}

/* ---- the data and plan-field sheets -------------------------------------------- */

static int csv_col(const char *name)
{
    for (int i = 0; export_csv_columns[i]; i++)
        if (strcmp(export_csv_columns[i], name) == 0)
            return i;
    panic("export_xlsx: no CSV column %s", name);
}

/* Sheet "ข้อมูล": the canonical CSV records in `rows` (rows[0] = header),
** amounts as numbers from the plan itself. */
static void data_sheet(xw *x, lxw_worksheet *ws, const plan_doc *p, const strlist *rows,
                       size_t nrows)
{
    int c_budget = csv_col("budget"), c_q1 = csv_col("q1");
    char range[LXW_MAX_CELL_RANGE_LENGTH];
    size_t ncol = rows[0].n;
    double w[64];

    if (ncol > ARRAY_LEN(w))
        panic("export_xlsx: %zu CSV columns", ncol);
    for (size_t c = 0; c < ncol; c++) {
        bool amount = (int)c == c_budget || ((int)c >= c_q1 && (int)c < c_q1 + 4);
        w[c] = amount ? 13 : c < 2 ? 30 : c >= 3 && c <= 7 ? 40 : 14;
    }
    xsw_use_columns(&x->s, ws, w, ncol, NULL);
    for (size_t c = 0; c < ncol; c++) {
        bool amount = (int)c == c_budget || ((int)c >= c_q1 && (int)c < c_q1 + 4);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w[c],
                             amount ? x->plain_money : x->textcol);
        put_str(x, ws, 0, (lxw_col_t)c, rows[0].v[c], x->bold);
    }
    xsw_end_row(&x->s, ws, 0);
    for (size_t i = 1; i < nrows && i - 1 < p->nprojects; i++) {
        const project *pr = &p->projects[i - 1];
        lxw_row_t r = (lxw_row_t)i;
        for (size_t c = 0; c < ncol && c < rows[i].n; c++) {
            if ((int)c == c_budget) {
                if (pr->has_budget)
                    xsw_put_num(&x->s, ws, r, (lxw_col_t)c, xsw_baht(pr->budget), x->plain_money);
                else
                    put_str(x, ws, r, (lxw_col_t)c, NO_BUDGET_TEXT, x->plain);
            } else if ((int)c >= c_q1 && (int)c < c_q1 + 4) {
                xsw_put_num(&x->s, ws, r, (lxw_col_t)c, xsw_baht(pr->q[(int)c - c_q1]), x->plain_money);
            } else {
                put_str(x, ws, r, (lxw_col_t)c, rows[i].v[c], x->textcol);
            }
        }
        xsw_end_row(&x->s, ws, r);
    }
    worksheet_freeze_panes(ws, 1, 2);
    worksheet_set_paper(ws, 9);
    worksheet_set_landscape(ws);
    lxw_rowcol_to_range(range, 0, 0, (lxw_row_t)(nrows + 1000), (lxw_col_t)(ncol - 1));
    worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range);
}

static void meta_row(xw *x, lxw_worksheet *ws, lxw_row_t *r, const char *key, const char *value,
                     const char *about)
{
    put_str(x, ws, *r, 0, key, x->textcol);
    put_str(x, ws, *r, 1, value, x->textcol);
    put_str(x, ws, *r, 2, about, x->plain);
    xsw_end_row(&x->s, ws, *r);
    (*r)++;
}

static void meta_num(xw *x, lxw_worksheet *ws, lxw_row_t *r, const char *key, int v,
                     const char *about)
{
    put_str(x, ws, *r, 0, key, x->textcol);
    xsw_put_num(&x->s, ws, *r, 1, v, NULL);
    put_str(x, ws, *r, 2, about, x->plain);
    xsw_end_row(&x->s, ws, *r);
    (*r)++;
}

/* Sheet "ข้อมูลแผน": key / value / คำอธิบาย rows, read back by import. */
static void meta_sheet(xw *x, lxw_worksheet *ws, const plan_doc *p)
{
    static const double w[] = {22, 90, 50};
    lxw_row_t r = 0;
    buf inferred;

    xsw_use_columns(&x->s, ws, w, ARRAY_LEN(w), NULL);
    worksheet_set_column(ws, 0, 1, 22, x->textcol);
    worksheet_set_column(ws, 1, 1, 90, x->textcol);
    put_str(x, ws, r, 0, "key", x->bold);
    put_str(x, ws, r, 1, "value", x->bold);
    put_str(x, ws, r, 2, "คำอธิบาย", x->bold);
    xsw_end_row(&x->s, ws, r);
    r++;
    meta_row(x, ws, &r, "agency", p->agency, "หน่วยงานเจ้าของแผน");
    meta_num(x, ws, &r, "fiscal_year", p->fiscal_year, "ปีงบประมาณ (พ.ศ.)");
    meta_row(x, ws, &r, "title", p->title, "ชื่อแผน");
    meta_row(x, ws, &r, "title_line", p->title_line, "บรรทัดชื่อแผนตามเอกสาร");
    meta_num(x, ws, &r, "revision", p->revision, "ฉบับปรับปรุงครั้งที่ (0 = ฉบับแรก)");
    meta_row(x, ws, &r, "version_label", p->version_label, "ชื่อฉบับ");
    for (size_t i = 0; i < p->nissues; i++) {
        char key[48], about[128];
        snprintf(key, sizeof key, "strategic_issue.%d", p->issues[i].no);
        snprintf(about, sizeof about, "ชื่อประเด็นยุทธศาสตร์ที่ %d", p->issues[i].no);
        meta_row(x, ws, &r, key, p->issues[i].title, about);
    }
    buf_init(&inferred, 0);
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        if (pr->issue_inferred && pr->issue)
            buf_printf(&inferred, "%s%d=%d", inferred.len ? "," : "", pr->no, pr->issue);
    }
    if (inferred.len)
        meta_row(x, ws, &r, "issue_inferred", inferred.s,
                 "โครงการ=ประเด็น ที่อนุมานจาก ย.ศธ (ไม่มีแถวประเด็นในเอกสาร)");
    buf_free(&inferred);
}

/* ---- summaries ----------------------------------------------------------------- */

/* A summary sheet's column widths, header row and print setup. */
static void head_row(xw *x, lxw_worksheet *ws, const char *const *cols, size_t n,
                     const double *widths)
{
    xsw_use_columns(&x->s, ws, widths, n, NULL);
    for (size_t c = 0; c < n; c++)
        put_str(x, ws, 0, (lxw_col_t)c, cols[c], x->head);
    xsw_end_row(&x->s, ws, 0);
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_set_paper(ws, 9);
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 0);
}

/* Sheet "สรุปรายไตรมาส": per quarter its dates, the planned amount, the
** cumulative amount and share of the budget (formulas with their values). */
static void quarter_sheet(xw *x, lxw_worksheet *ws, const plan_doc *p, const summary *s)
{
    static const char *const cols[] = {"ไตรมาส", "ช่วงเวลา", "แผนการใช้จ่าย (บาท)",
                                       "สะสม (บาท)", "ร้อยละสะสมของงบประมาณ"};
    static const double widths[] = {10, 24, 20, 20, 22};
    char formula[96], cell[LXW_MAX_CELL_NAME_LENGTH];

    head_row(x, ws, cols, ARRAY_LEN(cols), widths);
    lxw_rowcol_to_cell(cell, 5, 2); /* the budget, below the quarters */
    for (int q = 0; q < 4; q++) {
        lxw_row_t r = (lxw_row_t)(q + 1);
        date a, b;
        buf span;
        double share = s->budget ? (double)s->cum[q] / (double)s->budget : 0;
        xsw_put_num(&x->s, ws, r, 0, q + 1, x->center);
        fy_quarter_range(p->fiscal_year, q + 1, &a, &b);
        buf_init(&span, 0);
        date_thai_short(&span, a, false);
        buf_adds(&span, " - ");
        date_thai_short(&span, b, false);
        put_str(x, ws, r, 1, span.s, x->center);
        buf_free(&span);
        xsw_put_num(&x->s, ws, r, 2, xsw_baht(s->q[q]), x->money);
        if (q == 0)
            snprintf(formula, sizeof formula, "=C2");
        else
            snprintf(formula, sizeof formula, "=D%d+C%d", q + 1, q + 2);
        xsw_check(&x->s, ws, r, 3, worksheet_write_formula_num(ws, r, 3, formula, x->money,
                                                       xsw_baht(s->cum[q])));
        snprintf(formula, sizeof formula, "=IF(%s=0,0,D%d/%s)", cell, q + 2, cell);
        xsw_check(&x->s, ws, r, 4, worksheet_write_formula_num(ws, r, 4, formula, x->percent, share));
        xsw_end_row(&x->s, ws, r);
    }
    put_str(x, ws, 5, 0, "งบประมาณทั้งสิ้น", x->tot_label);
    put_str(x, ws, 5, 1, "", x->tot_blank);
    xsw_put_num(&x->s, ws, 5, 2, xsw_baht(s->budget), x->tot_money);
    put_str(x, ws, 5, 3, "", x->tot_blank);
    put_str(x, ws, 5, 4, "", x->tot_blank);
    xsw_end_row(&x->s, ws, 5);
}

/* Rows of a summary by issue or unit, then a totals row of SUMs. */
static void group_sheet(xw *x, lxw_worksheet *ws, const summary *s, const summary_row *rows,
                        size_t n, bool by_issue)
{
    static const char *const cols_issue[] = {
        "ประเด็นยุทธศาสตร์", "ชื่อประเด็น", "จำนวนโครงการ", "งบประมาณ (บาท)",
        "ไตรมาส 1", "ไตรมาส 2", "ไตรมาส 3", "ไตรมาส 4", "ร้อยละของงบประมาณ"};
    static const double widths_issue[] = {12, 60, 12, 16, 13, 13, 13, 13, 14};
    static const char *const cols_unit[] = {
        "หน่วยงาน (ผู้รับผิดชอบ)", "จำนวนโครงการ", "งบประมาณ (บาท)", "ไตรมาส 1",
        "ไตรมาส 2", "ไตรมาส 3", "ไตรมาส 4", "ร้อยละของงบประมาณ"};
    static const double widths_unit[] = {40, 12, 16, 13, 13, 13, 13, 14};
    lxw_col_t c0 = by_issue ? 2 : 1; /* the project count column */
    lxw_row_t last = (lxw_row_t)n, tot = (lxw_row_t)(n + 1);
    char formula[128], total_cell[LXW_MAX_CELL_NAME_LENGTH], cell[LXW_MAX_CELL_NAME_LENGTH];
    char range[LXW_MAX_CELL_RANGE_LENGTH];

    if (by_issue)
        head_row(x, ws, cols_issue, ARRAY_LEN(cols_issue), widths_issue);
    else
        head_row(x, ws, cols_unit, ARRAY_LEN(cols_unit), widths_unit);
    lxw_rowcol_to_cell(total_cell, tot, c0 + 1);
    for (size_t i = 0; i < n; i++) {
        const summary_row *sr = &rows[i];
        lxw_row_t r = (lxw_row_t)(i + 1);
        if (by_issue) {
            if (strcmp(sr->key, "0") == 0)
                put_str(x, ws, r, 0, "-", x->center);
            else
                xsw_put_num(&x->s, ws, r, 0, atoi(sr->key), x->center);
            put_str(x, ws, r, 1, strcmp(sr->key, "0") == 0 ? "ไม่ระบุประเด็น" : sr->title,
                    x->text);
        } else {
            put_str(x, ws, r, 0, sr->title ? sr->title : sr->key, x->text);
        }
        xsw_put_num(&x->s, ws, r, c0, sr->nprojects, x->center);
        xsw_put_num(&x->s, ws, r, c0 + 1, xsw_baht(sr->budget), x->money);
        for (int q = 0; q < 4; q++)
            xsw_put_num(&x->s, ws, r, (lxw_col_t)(c0 + 2 + q), xsw_baht(sr->q[q]), x->qmoney);
        lxw_rowcol_to_cell(cell, r, c0 + 1);
        snprintf(formula, sizeof formula, "=IF(%s=0,0,%s/%s)", total_cell, cell, total_cell);
        xsw_check(&x->s, ws, r, c0 + 6,
              worksheet_write_formula_num(ws, r, c0 + 6, formula, x->percent,
                                          s->budget ? (double)sr->budget / (double)s->budget
                                                    : 0));
        xsw_end_row(&x->s, ws, r);
    }
    if (c0 > 1)
        put_merge(x, ws, tot, 0, tot, (lxw_col_t)(c0 - 1), "รวมทั้งสิ้น", x->tot_label);
    else
        put_str(x, ws, tot, 0, "รวมทั้งสิ้น", x->tot_label);
    if (n) {
        lxw_rowcol_to_range(range, 1, c0, last, c0);
        snprintf(formula, sizeof formula, "=SUM(%s)", range);
        xsw_check(&x->s, ws, tot, c0,
              worksheet_write_formula_num(ws, tot, c0, formula, x->tot_label, s->nprojects));
    } else {
        xsw_put_num(&x->s, ws, tot, c0, s->nprojects, x->tot_label);
    }
    xsw_put_sum(&x->s, ws, tot, c0 + 1, 1, last, s->budget, x->tot_money);
    for (int q = 0; q < 4; q++)
        xsw_put_sum(&x->s, ws, tot, (lxw_col_t)(c0 + 2 + q), 1, last, s->q[q], x->tot_money);
    put_str(x, ws, tot, c0 + 6, "", x->tot_blank);
    xsw_end_row(&x->s, ws, tot);
}

/* ---- the workbook --------------------------------------------------------------- */

static bool any_satang(const plan_doc *p)
{
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        if (pr->budget % 100)
            return true;
        for (int q = 0; q < 4; q++)
            if (pr->q[q] % 100)
                return true;
    }
    return false;
}

/* The plan's canonical CSV records (header first). *n = how many; the
** caller frees each with strlist_free and the array with free(). */
static strlist *csv_records(const plan_doc *p, size_t *n)
{
    char *csv = export_csv_string(p), cerr[128];
    csv_reader r;
    strlist *rows = xcalloc(p->nprojects + 1, sizeof *rows);
    size_t k = 0;
    csv_init(&r, csv, strlen(csv));
    while (k < p->nprojects + 1 && csv_next(&r, &rows[k], cerr, sizeof cerr) == 1)
        k++;
    if (k != p->nprojects + 1)
        panic("export_xlsx: the canonical CSV has %zu records for %zu projects", k,
              p->nprojects);
    free(csv);
    *n = k;
    return rows;
}

int xlsx_finish(int close_rc, int cell_rc, const char *where, const char *tmp, const char *path,
                char *err, size_t errlen)
{
    if (cell_rc != LXW_NO_ERROR) {
        snprintf(err, errlen, "%s: เขียนเซลล์ %s ไม่ได้: %s / cannot write cell %s: %s", path, where,
                 lxw_strerror((lxw_error)cell_rc), where, lxw_strerror((lxw_error)cell_rc));
        return -1;
    }
    if (close_rc != LXW_NO_ERROR) {
        snprintf(err, errlen, "%s: เขียนไฟล์ไม่ได้: %s / cannot write the file: %s", path,
                 lxw_strerror((lxw_error)close_rc), lxw_strerror((lxw_error)close_rc));
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: เขียนไฟล์ไม่ได้ / cannot write the file: %s", path,
                 strerror(errno));
        return -1;
    }
    return 0;
}

/* See xlsx.h. Returns 0, or -1 with err set. */
int export_xlsx(const plan_doc *p, const summary *s, const char *path, char *err, size_t errlen)
{
    summary own;
    const summary *sm = s;
    char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
    xw x = {0};
    lxw_worksheet *plan, *data, *meta, *byq, *byi, *byu;
    lxw_doc_properties props = {0};
    FILE *tf;
    strlist *rows;
    size_t nrows, align0 = (size_t)csv_col(align_key(ALIGN_NATIONAL_STRATEGY));
    lxw_row_t r;
    lxw_error rc;
    char *words;
    buf wb;
    double pw[PC__MAX];

    if (!sm) {
        summary_compute(p, &own);
        sm = &own;
    }
    /* can we write there? (libxlsxwriter would only find out at the end,
    ** and print its own message on stderr) */
    tf = fopen(tmp, "wb");
    if (!tf) {
        snprintf(err, errlen, "%s: เขียนไฟล์ไม่ได้ / cannot write the file: %s", path,
                 strerror(errno));
        goto fail;
    }
    fclose(tf);
    x.s.wb = workbook_new(tmp);
    if (!x.s.wb) {
        snprintf(err, errlen, "%s: สร้างไฟล์ไม่ได้ / cannot create the file", path);
        goto fail;
    }
    x.decimals = any_satang(p);
    xsw_init(&x.s, x.s.wb);
    make_formats(&x);
    props.title = p->title_line ? p->title_line : p->title;
    props.company = p->agency;
    props.subject = p->version_label;
    props.author = "phaen";
    workbook_set_properties(x.s.wb, &props);

    plan = workbook_add_worksheet(x.s.wb, XLSX_SHEET_PLAN);
    data = workbook_add_worksheet(x.s.wb, XLSX_SHEET_DATA);
    byq = workbook_add_worksheet(x.s.wb, XLSX_SHEET_BY_QUARTER);
    byi = workbook_add_worksheet(x.s.wb, XLSX_SHEET_BY_ISSUE);
    byu = workbook_add_worksheet(x.s.wb, XLSX_SHEET_BY_UNIT);
    meta = workbook_add_worksheet(x.s.wb, XLSX_SHEET_META);
    if (!plan || !data || !byq || !byi || !byu || !meta)
        panic("export_xlsx: cannot add a worksheet");

    rows = csv_records(p, &nrows);

    /* the plan sheet */
    plan_columns(&x, plan, p, sm, pw);
    plan_title(&x, plan, p);
    plan_header(&x, plan, p->fiscal_year);
    r = PR_FIRST;
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        if (i == 0 || pr->issue != p->projects[i - 1].issue)
            plan_band(&x, plan, r++, p, pr->issue);
        r += plan_row(&x, plan, r, p, pr, &rows[i + 1], align0);
    }
    put_merge(&x, plan, r, PC_NO, r, PC_IND, "รวมทั้งสิ้น", x.tot_label);
    xsw_put_sum(&x.s, plan, r, PC_BUDGET, PR_FIRST, r - 1, sm->budget, x.tot_money);
    for (int q = 0; q < 4; q++)
        xsw_put_sum(&x.s, plan, r, (lxw_col_t)(PC_Q1 + q), PR_FIRST, r - 1, sm->q[q], x.tot_money);
    put_merge(&x, plan, r, PC_PERIOD, r, PC_LAST, "", x.tot_blank);
    xsw_end_row(&x.s, plan, r);
    buf_init(&wb, 0);
    thai_baht_text(&wb, sm->budget);
    words = xasprintf("(%s)", wb.s ? wb.s : "");
    buf_free(&wb);
    put_merge(&x, plan, r + 1, PC_NO, r + 1, PC_LAST, words, x.words);
    xsw_end_row(&x.s, plan, r + 1);
    free(words);
    plan_print_setup(plan);
    worksheet_activate(plan);

    data_sheet(&x, data, p, rows, nrows);
    meta_sheet(&x, meta, p);
    quarter_sheet(&x, byq, p, sm);
    group_sheet(&x, byi, sm, sm->by_issue, sm->nissue, true);
    group_sheet(&x, byu, sm, sm->by_unit, sm->nunit, false);
    for (size_t i = 0; i < nrows; i++)
        strlist_free(&rows[i]);
    free(rows);

    rc = workbook_close(x.s.wb); /* frees the workbook */
    xsw_free(&x.s);
    if (xlsx_finish(rc, x.s.rc, x.s.where, tmp, path, err, errlen) != 0)
        goto fail;
    free(tmp);
    if (sm == &own)
        summary_free(&own);
    return 0;
fail:
    unlink(tmp);
    free(tmp);
    if (sm == &own)
        summary_free(&own);
    return -1;
}
