/*
** render_diff.c — the comparison of two versions of a plan as a PDF (see
** diff.h): A4 landscape, Laksaman at TH Sarabun sizes, real text drawn with
** rc_show_line so that pdftotext and search read it back.
**
** A small table engine: a table is a list of columns with a one- or
** two-level header (repeated on every page); a row is one Pango layout per
** cell (a cell may span columns, may be highlighted); a row that does not
** fit moves to the next page, and one taller than a page continues there,
** line range by line range, as in render_plan.c.
*/
#include "diff.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_common.h"

/* A4 landscape in points; margins as render_plan.c. */
#define PAGE_W 841.89
#define PAGE_H 595.28
#define MARGIN_X 28.0
#define MARGIN_TOP 30.0
#define MARGIN_BOTTOM 34.0
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define PAD 2.5
#define LINE_W 0.5
/* TH Sarabun sizes (see render_common.h) */
#define CELL_PT RC_SARABUN_PT(14)
#define SMALL_PT RC_SARABUN_PT(12)
#define TINY_PT RC_SARABUN_PT(10)
#define SECTION_PT RC_SARABUN_PT(16)
#define TITLE_PT RC_SARABUN_PT(18)
#define MAXCOL 20

/* colours: highlight of a changed value, increase, decrease, shading */
#define HL_R 1.0
#define HL_G 0.95
#define HL_B 0.62
#define UP_COLOR "#006100"
#define DOWN_COLOR "#B00000"

/* A table: column widths and the header. */
typedef struct tdef {
    int ncol;
    double w[MAXCOL];
    const char *top[MAXCOL]; /* top heading of a column group; NULL inside a group */
    int span[MAXCOL];        /* columns the top heading covers (0 = 1) */
    const char *sub[MAXCOL]; /* second-row heading; a group without any spans both rows */
} tdef;

typedef struct cell {
    PangoLayout *l; /* NULL = empty (or covered by a spanning cell) */
    int span;       /* columns covered (0 = 1) */
    bool hl;        /* highlighted: a changed value */
} cell;

typedef struct trow {
    cell c[MAXCOL];
    int from[MAXCOL]; /* first line not yet drawn */
    bool shade;
} trow;

typedef struct dpdf {
    cairo_t *cr;
    PangoContext *pc;
    PangoFontDescription *font, *bold, *small, *small_bold, *tiny, *tiny_bold, *section,
        *title;
    double y, table_top;
    double header_h; /* height of the current table's header */
    int page;
    const tdef *t; /* the table being drawn (its header repeats), NULL = none */
    double x[MAXCOL + 1];
    double mw;     /* width of a money column */
} dpdf;

/* ---- text ------------------------------------------------------------------------------ */

/* "+3,600", "-500", "0" */
static char *signed_money(int64_t v)
{
    buf b;
    buf_init(&b, 0);
    if (v > 0)
        buf_addc(&b, '+');
    money_format(&b, v, false);
    return buf_detach(&b);
}

/* ---- pages and tables --------------------------------------------------------------------- */

static double page_bottom(void)
{
    return PAGE_H - MARGIN_BOTTOM;
}

static void page_number(dpdf *d)
{
    rc_page_number(d->cr, d->pc, d->page, d->small, MARGIN_X, TEXT_W, PAGE_H - MARGIN_BOTTOM + 8);
}

static void new_page(dpdf *d)
{
    if (d->page > 0) {
        page_number(d);
        cairo_show_page(d->cr);
    }
    d->page++;
    d->y = MARGIN_TOP;
    d->table_top = d->y;
}

static int span_of(const tdef *t, int c)
{
    return t->span[c] > 0 ? t->span[c] : 1;
}

/* The current table's header at d->y. */
static void draw_header(dpdf *d)
{
    const tdef *t = d->t;
    PangoLayout *lt[MAXCOL] = {0}, *ls[MAXCOL] = {0};
    bool two_rows[MAXCOL] = {0}, any_sub = false;
    double h1 = 0, h2 = 0, y0 = d->y, y1, y2;

    for (int c = 0; c < t->ncol; c++)
        if (t->sub[c]) {
            any_sub = true;
            ls[c] = rc_layout_text(d->pc, t->sub[c], t->w[c] - 2 * PAD, d->small_bold,
                                PANGO_ALIGN_CENTER);
            if (rc_height(ls[c]) > h2)
                h2 = rc_height(ls[c]);
        }
    for (int c = 0; c < t->ncol; c++) {
        int s = span_of(t, c);
        double w = 0;
        if (!t->top[c])
            continue;
        for (int k = c; k < c + s && k < t->ncol; k++) {
            w += t->w[k];
            if (t->sub[k])
                two_rows[c] = true;
        }
        lt[c] = rc_layout_text(d->pc, t->top[c], w - 2 * PAD, d->small_bold, PANGO_ALIGN_CENTER);
        if (two_rows[c] && rc_height(lt[c]) > h1)
            h1 = rc_height(lt[c]);
    }
    h1 += 2 * PAD;
    h2 = any_sub ? h2 + 2 * PAD : 0;
    for (int c = 0; c < t->ncol; c++)
        if (lt[c] && !two_rows[c] && rc_height(lt[c]) + 2 * PAD > h1 + h2)
            h2 = rc_height(lt[c]) + 2 * PAD - h1;
    y1 = y0 + h1;
    y2 = y1 + h2;

    cairo_set_source_rgb(d->cr, 0.88, 0.92, 0.97);
    cairo_rectangle(d->cr, d->x[0], y0, d->x[t->ncol] - d->x[0], y2 - y0);
    cairo_fill(d->cr);
    cairo_set_source_rgb(d->cr, 0, 0, 0);
    cairo_set_line_width(d->cr, LINE_W);
    for (int c = 0; c < t->ncol; c++) {
        int s = span_of(t, c);
        int e = c + s < t->ncol ? c + s : t->ncol;
        if (lt[c]) {
            if (two_rows[c]) {
                rc_show_layout(d->cr, lt[c], d->x[c] + PAD, y0 + PAD);
                rc_line(d->cr, d->x[c], y1, d->x[e], y1);
            } else {
                rc_show_layout(d->cr, lt[c], d->x[c] + PAD, y0 + (y2 - y0 - rc_height(lt[c])) / 2);
            }
        }
        if (ls[c])
            rc_show_layout(d->cr, ls[c], d->x[c] + PAD, y1 + (h2 - rc_height(ls[c])) / 2);
    }
    cairo_rectangle(d->cr, d->x[0], y0, d->x[t->ncol] - d->x[0], y2 - y0);
    cairo_stroke(d->cr);
    for (int c = 1; c < t->ncol; c++)
        rc_line(d->cr, d->x[c], t->top[c] ? y0 : y1, d->x[c], y2);
    for (int c = 0; c < t->ncol; c++) {
        if (lt[c])
            g_object_unref(lt[c]);
        if (ls[c])
            g_object_unref(ls[c]);
    }
    d->y = y2;
    d->table_top = y2;
    d->header_h = y2 - y0;
}

/* A new page, with the current table's header when in a table. */
static void next_page(dpdf *d)
{
    new_page(d);
    if (d->t)
        draw_header(d);
}

/* Start drawing table t (column edges from its widths) with its header. */
static void table_begin(dpdf *d, const tdef *t)
{
    d->t = t;
    d->x[0] = MARGIN_X;
    for (int c = 0; c < t->ncol; c++)
        d->x[c + 1] = d->x[c] + t->w[c];
    if (d->y + 50 > page_bottom())
        new_page(d);
    draw_header(d);
}

static void table_end(dpdf *d)
{
    d->t = NULL;
    d->y += 4;
}

/* Top of line i of l (its height when i is the line count). */
static double line_top(PangoLayout *l, int i)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double y = 0;
    int k = 0;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        if (k == i) {
            y = (double)r.y / PANGO_SCALE;
            pango_layout_iter_free(it);
            return y;
        }
        y = (double)(r.y + r.height) / PANGO_SCALE;
        k++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return y;
}

static int lines_fitting(PangoLayout *l, int from, double avail, int *total)
{
    int n = pango_layout_get_line_count(l), k = from;
    double top = line_top(l, from);
    *total = n;
    while (k < n && line_top(l, k + 1) - top <= avail)
        k++;
    return k - from;
}

static void draw_lines(dpdf *d, PangoLayout *l, int from, int count, double x, double y)
{
    double top = line_top(l, from);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int k = 0;
    do {
        if (k >= from && k < from + count) {
            PangoRectangle r;
            int baseline = pango_layout_iter_get_baseline(it);
            pango_layout_iter_get_line_extents(it, NULL, &r);
            rc_show_line(d->cr, pango_layout_iter_get_line_readonly(it),
                         x + (double)r.x / PANGO_SCALE, y - top + (double)baseline / PANGO_SCALE);
        }
        k++;
    } while (k < from + count && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static int cell_end(const trow *r, int c, int ncol)
{
    int e = c + (r->c[c].span > 0 ? r->c[c].span : 1);
    return e < ncol ? e : ncol;
}

/* Draw the row, page after page, until every line of every cell is out. */
static void draw_row(dpdf *d, trow *r)
{
    int ncol = d->t->ncol;
    for (;;) {
        double avail = page_bottom() - d->y - 2 * PAD, h = 0;
        int fit[MAXCOL] = {0};
        bool done = true, any = false;

        for (int c = 0; c < ncol; c++) {
            int total;
            PangoLayout *l = r->c[c].l;
            if (!l)
                continue;
            fit[c] = lines_fitting(l, r->from[c], avail, &total);
            if (r->from[c] + fit[c] < total)
                done = false;
            if (fit[c] > 0) {
                double ch = line_top(l, r->from[c] + fit[c]) - line_top(l, r->from[c]);
                if (ch > h)
                    h = ch;
                any = true;
            }
        }
        /* a row that fits a fresh page is moved there whole; a long one is
        ** continued unless only a sliver of the page is left */
        if (!done && d->y > d->table_top + 1) {
            double need = 0, fresh = page_bottom() - MARGIN_TOP - d->header_h - 2 * PAD;
            for (int c = 0; c < ncol; c++)
                if (r->c[c].l) {
                    PangoLayout *l = r->c[c].l;
                    double ch = line_top(l, pango_layout_get_line_count(l)) -
                                line_top(l, r->from[c]);
                    if (ch > need)
                        need = ch;
                }
            if (need <= fresh * 0.6 || avail < fresh / 5 || !any) {
                next_page(d);
                continue;
            }
        }
        if (!any)
            for (int c = 0; c < ncol; c++)
                if (r->c[c].l && r->from[c] < pango_layout_get_line_count(r->c[c].l)) {
                    double ch = line_top(r->c[c].l, r->from[c] + 1) -
                                line_top(r->c[c].l, r->from[c]);
                    fit[c] = 1;
                    if (ch > h)
                        h = ch;
                }
        h += 2 * PAD;
        if (r->shade) {
            cairo_set_source_rgb(d->cr, 0.93, 0.93, 0.93);
            cairo_rectangle(d->cr, d->x[0], d->y, d->x[ncol] - d->x[0], h);
            cairo_fill(d->cr);
        }
        for (int c = 0; c < ncol; c++)
            if (r->c[c].hl) {
                cairo_set_source_rgb(d->cr, HL_R, HL_G, HL_B);
                cairo_rectangle(d->cr, d->x[c], d->y, d->x[cell_end(r, c, ncol)] - d->x[c], h);
                cairo_fill(d->cr);
            }
        cairo_set_source_rgb(d->cr, 0, 0, 0);
        for (int c = 0; c < ncol; c++) {
            if (!r->c[c].l || fit[c] == 0)
                continue;
            draw_lines(d, r->c[c].l, r->from[c], fit[c], d->x[c] + PAD, d->y + PAD);
            r->from[c] += fit[c];
        }
        cairo_set_line_width(d->cr, LINE_W);
        cairo_rectangle(d->cr, d->x[0], d->y, d->x[ncol] - d->x[0], h);
        cairo_stroke(d->cr);
        for (int c = 1; c < ncol; c++) {
            bool covered = false;
            for (int k = 0; k < c; k++)
                if (r->c[k].l && cell_end(r, k, ncol) > c)
                    covered = true;
            if (!covered)
                rc_line(d->cr, d->x[c], d->y, d->x[c], d->y + h);
        }
        d->y += h;
        if (done)
            return;
        next_page(d);
    }
}

static void row_free(trow *r)
{
    for (int c = 0; c < MAXCOL; c++)
        if (r->c[c].l)
            g_object_unref(r->c[c].l);
}

static double cell_w(const dpdf *d, int c, int span)
{
    double w = 0;
    for (int k = c; k < c + (span > 0 ? span : 1) && k < d->t->ncol; k++)
        w += d->t->w[k];
    return w - 2 * PAD;
}

static void put_text(dpdf *d, trow *r, int c, int span, const char *text,
                     const PangoFontDescription *font, PangoAlignment a)
{
    r->c[c].span = span;
    r->c[c].l = rc_layout_text(d->pc, text, cell_w(d, c, span), font, a);
}

static void put_markup(dpdf *d, trow *r, int c, int span, const char *markup,
                       const PangoFontDescription *font, PangoAlignment a)
{
    r->c[c].span = span;
    r->c[c].l = rc_layout_markup(d->pc, markup, cell_w(d, c, span), font, a);
}

/*
** An amount cell, right-aligned, never wrapped if it can help it (the
** smaller face when too wide). kind: 0 a value (zero quarters as "-"), 1 a
** new value (bold when changed), 2 a signed change (coloured, bold).
*/
static void put_amount(dpdf *d, trow *r, int c, bool set, int64_t v, int kind, bool changed,
                       bool is_budget)
{
    buf b;
    char *s;
    bool bold = kind == 2 || (kind == 1 && changed);
    PangoAlignment a = PANGO_ALIGN_RIGHT;
    buf_init(&b, 0);
    if (!set) {
        s = xstrdup(is_budget ? "ไม่ใช้\nงบประมาณ" : "-");
        a = PANGO_ALIGN_CENTER;
    } else if (kind == 2) {
        s = signed_money(v);
    } else if (v == 0 && !is_budget) {
        s = xstrdup("-");
        a = PANGO_ALIGN_CENTER;
    } else {
        s = rc_money(v);
    }
    if (kind == 2 && v != 0)
        buf_printf(&b, "<span foreground=\"%s\">", v > 0 ? UP_COLOR : DOWN_COLOR);
    rc_markup_append(&b, s);
    if (kind == 2 && v != 0)
        buf_adds(&b, "</span>");
    put_markup(d, r, c, 1, b.s, bold ? d->small_bold : d->small, a);
    if (!set && is_budget) {
        g_object_unref(r->c[c].l);
        put_markup(d, r, c, 1, b.s, d->tiny, a);
    } else if (set && pango_layout_get_line_count(r->c[c].l) > 1) {
        g_object_unref(r->c[c].l);
        put_markup(d, r, c, 1, b.s, bold ? d->tiny_bold : d->tiny, a);
    }
    r->c[c].hl = changed;
    buf_free(&b);
    free(s);
}

/* The three cells old / new / change of one amount from column c. */
static void put_triple(dpdf *d, trow *r, int c, const diff_amount *m, bool is_budget)
{
    put_amount(d, r, c, m->old_set, m->old_v, 0, m->changed, is_budget);
    put_amount(d, r, c + 1, m->new_set, m->new_v, 1, m->changed, is_budget);
    put_amount(d, r, c + 2, m->old_set || m->new_set, m->delta, 2, m->changed, false);
}

/* A section heading, kept with at least the start of what follows. */
static void section(dpdf *d, const char *title, const char *note)
{
    buf b;
    PangoLayout *l;
    buf_init(&b, 0);
    buf_adds(&b, "<b>");
    rc_markup_append(&b, title);
    buf_adds(&b, "</b>");
    if (note) {
        buf_adds(&b, "  <span size=\"smaller\">");
        rc_markup_append(&b, note);
        buf_adds(&b, "</span>");
    }
    l = rc_layout_markup(d->pc, b.s, TEXT_W, d->section, PANGO_ALIGN_LEFT);
    d->y += 6;
    if (d->page == 0 || d->y + rc_height(l) + 70 > page_bottom())
        new_page(d);
    rc_show_layout(d->cr, l, MARGIN_X, d->y);
    d->y += rc_height(l) + 3;
    g_object_unref(l);
    buf_free(&b);
}

/* A paragraph of plain text. */
static void para(dpdf *d, const char *text, const PangoFontDescription *font)
{
    PangoLayout *l = rc_layout_text(d->pc, text, TEXT_W, font, PANGO_ALIGN_LEFT);
    if (d->y + rc_height(l) > page_bottom())
        new_page(d);
    rc_show_layout(d->cr, l, MARGIN_X, d->y);
    d->y += rc_height(l) + 2;
    g_object_unref(l);
}

/* ---- the document --------------------------------------------------------------------------- */

static int64_t abs64(int64_t v)
{
    return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

/* Width of a money column: the widest amount in the smaller bold face. */
static double money_width(dpdf *d, const plan_diff *df)
{
    int64_t mx = 0;
    char *s;
    PangoLayout *l;
    double w;
#define TAKE(v) \
    do { \
        if (abs64(v) > mx) \
            mx = abs64(v); \
    } while (0)
    for (size_t i = 0; i < df->npairs; i++)
        for (int k = 0; k < DIFF__MONEY; k++) {
            TAKE(df->pairs[i].money[k].old_v);
            TAKE(df->pairs[i].money[k].new_v);
            TAKE(df->pairs[i].money[k].delta);
        }
    for (int k = 0; k < DIFF__MONEY; k++) {
        TAKE(df->total.before[k]);
        TAKE(df->total.after[k]);
        TAKE(df->total.delta[k]);
    }
    for (size_t i = 0; i < df->nadded; i++)
        TAKE(df->added[i].budget);
    for (size_t i = 0; i < df->nremoved; i++)
        TAKE(df->removed[i].budget);
#undef TAKE
    s = signed_money(mx);
    l = rc_layout_text(d->pc, s, -1, d->small_bold, PANGO_ALIGN_LEFT);
    pango_layout_set_width(l, -1);
    w = rc_width(l) + 2 * PAD + 1.5;
    g_object_unref(l);
    free(s);
    return w < 30 ? 30 : w;
}

static void money_header(tdef *t, int c, int m)
{
    static const char *const heads[DIFF__MONEY] = {"งบประมาณ (บาท)", "ไตรมาส 1", "ไตรมาส 2",
                                                    "ไตรมาส 3", "ไตรมาส 4"};
    t->top[c] = heads[m];
    t->span[c] = 3;
    t->sub[c] = "เดิม";
    t->sub[c + 1] = "ใหม่";
    t->sub[c + 2] = "เพิ่ม/ลด";
}

/* ที่ | โครงการ | 5 × (เดิม ใหม่ เพิ่ม/ลด) | last; or the label over the first two. */
static void money_table(const dpdf *d, tdef *t, bool totals)
{
    double mw = d->mw, no_w = 30, rest;
    memset(t, 0, sizeof *t);
    t->ncol = 2 + 3 * DIFF__MONEY + 1;
    rest = TEXT_W - no_w - 3 * DIFF__MONEY * mw;
    t->w[0] = no_w;
    /* the reason column; in the totals only "เดิม 21 ใหม่ 21" */
    t->w[1] = totals ? rest - 62 : rest * 0.62;
    for (int c = 2; c < 2 + 3 * DIFF__MONEY; c++)
        t->w[c] = mw;
    t->w[t->ncol - 1] = rest - t->w[1];
    if (totals) {
        t->top[0] = "รายการ";
        t->span[0] = 2;
        t->top[t->ncol - 1] = "จำนวนโครงการ";
    } else {
        t->top[0] = "ที่";
        t->top[1] = "โครงการ";
        t->top[t->ncol - 1] = "เหตุผลการเปลี่ยนแปลง";
    }
    for (int m = 0; m < DIFF__MONEY; m++)
        money_header(t, 2 + 3 * m, m);
}

/* "12" or "6 (เดิม 5)" */
static char *number_text(const diff_pair *p)
{
    if (p->old_no != p->new_no)
        return xasprintf("%d (เดิม %d)", p->new_no, p->old_no);
    return xasprintf("%d", p->new_no);
}

static void money_section(dpdf *d, const plan_diff *df)
{
    tdef t;
    size_t n = 0;
    section(d, "๑. การเปลี่ยนแปลงงบประมาณและแผนการใช้จ่ายรายไตรมาส", "(หน่วย : บาท)");
    for (size_t i = 0; i < df->npairs; i++)
        n += df->pairs[i].money_changed;
    if (!n) {
        para(d, "ไม่มีโครงการที่เปลี่ยนแปลงงบประมาณหรือแผนการใช้จ่าย", d->font);
        return;
    }
    money_table(d, &t, false);
    table_begin(d, &t);
    for (size_t i = 0; i < df->npairs; i++) {
        const diff_pair *p = &df->pairs[i];
        trow r = {0};
        char *no;
        if (!p->money_changed)
            continue;
        no = number_text(p);
        put_text(d, &r, 0, 1, no, d->small, PANGO_ALIGN_CENTER);
        put_text(d, &r, 1, 1, p->new_name, d->font, PANGO_ALIGN_LEFT);
        for (int m = 0; m < DIFF__MONEY; m++)
            put_triple(d, &r, 2 + 3 * m, &p->money[m], m == DIFF_BUDGET);
        put_text(d, &r, t.ncol - 1, 1, p->reason && *p->reason ? p->reason : "-", d->font,
                 p->reason && *p->reason ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
        draw_row(d, &r);
        row_free(&r);
        free(no);
    }
    table_end(d);
}

static bool is_list_field(const char *key)
{
    return item_from_key(key) >= 0;
}

/* A list field's text "a\nb" as "1. a\n2. b" (several items), else as is. */
static char *field_text(const char *key, const char *text)
{
    buf b;
    int n = 1, k = 1;
    const char *p;
    if (!text || !*text)
        return xstrdup("-");
    if (!is_list_field(key) || !strchr(text, '\n'))
        return xstrdup(text);
    for (p = text; *p; p++)
        n += *p == '\n';
    buf_init(&b, 0);
    buf_printf(&b, "%d. ", k++);
    for (p = text; *p; p++) {
        buf_addc(&b, *p);
        if (*p == '\n' && k <= n)
            buf_printf(&b, "%d. ", k++);
    }
    return buf_detach(&b);
}

static void fields_section(dpdf *d, const plan_diff *df)
{
    tdef t = {0};
    double rest;
    size_t n = 0;
    section(d, "๒. การเปลี่ยนแปลงรายละเอียดโครงการ", NULL);
    for (size_t i = 0; i < df->npairs; i++)
        n += df->pairs[i].nfields;
    if (!n) {
        para(d, "ไม่มีการเปลี่ยนแปลงรายละเอียดอื่นของโครงการ", d->font);
        return;
    }
    t.ncol = 6;
    t.w[0] = 30;
    t.w[1] = 140;
    t.w[2] = 85;
    t.w[5] = 110;
    rest = TEXT_W - t.w[0] - t.w[1] - t.w[2] - t.w[5];
    t.w[3] = rest / 2;
    t.w[4] = rest - t.w[3];
    t.top[0] = "ที่";
    t.top[1] = "โครงการ";
    t.top[2] = "รายการ";
    t.top[3] = "เดิม";
    t.top[4] = "ใหม่";
    t.top[5] = "เหตุผลการเปลี่ยนแปลง";
    table_begin(d, &t);
    for (size_t i = 0; i < df->npairs; i++) {
        const diff_pair *p = &df->pairs[i];
        for (size_t k = 0; k < p->nfields; k++) {
            const diff_field *f = &p->fields[k];
            trow r = {0};
            char *label = diff_field_th(f->key), *o = field_text(f->key, f->old_text),
                 *nw = field_text(f->key, f->new_text);
            if (k == 0) {
                char *no = number_text(p);
                put_text(d, &r, 0, 1, no, d->small, PANGO_ALIGN_CENTER);
                put_text(d, &r, 1, 1, p->new_name, d->font, PANGO_ALIGN_LEFT);
                put_text(d, &r, 5, 1, p->reason && *p->reason ? p->reason : "-", d->font,
                         p->reason && *p->reason ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
                free(no);
            }
            put_text(d, &r, 2, 1, label, d->small, PANGO_ALIGN_LEFT);
            put_text(d, &r, 3, 1, o, d->font, PANGO_ALIGN_LEFT);
            put_text(d, &r, 4, 1, nw, d->font, PANGO_ALIGN_LEFT);
            r.c[4].hl = true;
            draw_row(d, &r);
            row_free(&r);
            free(label);
            free(o);
            free(nw);
        }
    }
    table_end(d);
}

/* Added or removed projects: ที่ | โครงการ | งบ | Q1..Q4 | ระยะเวลา | ผู้รับผิดชอบ | ประเด็น | last */
static void side_section(dpdf *d, const char *title, const diff_project *v, size_t n,
                         bool added)
{
    tdef t = {0};
    double rest;
    int64_t sum[DIFF__MONEY] = {0};
    trow tr = {0};
    section(d, title, n ? "(หน่วย : บาท)" : NULL);
    if (!n) {
        para(d, added ? "ไม่มีโครงการที่เพิ่มใหม่" : "ไม่มีโครงการที่ตัดออก", d->font);
        return;
    }
    t.ncol = 11;
    t.w[0] = 30;
    for (int c = 2; c < 7; c++)
        t.w[c] = d->mw;
    if (t.w[2] < 46)
        t.w[2] = 46; /* "งบประมาณ" on one line */
    t.w[7] = 62;
    t.w[8] = 90;
    t.w[9] = 46;
    rest = TEXT_W - t.w[0] - t.w[2] - 4 * d->mw - t.w[7] - t.w[8] - t.w[9];
    t.w[1] = rest * 0.6;
    t.w[10] = rest - t.w[1];
    t.top[0] = "ที่";
    t.top[1] = "โครงการ";
    t.top[2] = "งบประมาณ\n(บาท)";
    t.top[3] = "ไตรมาส 1";
    t.top[4] = "ไตรมาส 2";
    t.top[5] = "ไตรมาส 3";
    t.top[6] = "ไตรมาส 4";
    t.top[7] = "ระยะเวลา\nดำเนินการ";
    t.top[8] = "ผู้รับผิดชอบ";
    t.top[9] = "ประเด็น\nยุทธศาสตร์";
    t.top[10] = added ? "เหตุผล" : "หมายเหตุ";
    table_begin(d, &t);
    for (size_t i = 0; i < n; i++) {
        const diff_project *p = &v[i];
        trow r = {0};
        char no[16], issue[16];
        snprintf(no, sizeof no, "%d", p->no);
        snprintf(issue, sizeof issue, "%d", p->issue);
        put_text(d, &r, 0, 1, no, d->small, PANGO_ALIGN_CENTER);
        put_text(d, &r, 1, 1, p->name, d->font, PANGO_ALIGN_LEFT);
        put_amount(d, &r, 2, p->has_budget, p->budget, 0, false, true);
        for (int q = 0; q < 4; q++)
            put_amount(d, &r, 3 + q, true, p->q[q], 0, false, false);
        put_text(d, &r, 7, 1, p->period_text ? p->period_text : "-", d->small,
                 PANGO_ALIGN_CENTER);
        put_text(d, &r, 8, 1, p->unit ? p->unit : "-", d->small, PANGO_ALIGN_LEFT);
        put_text(d, &r, 9, 1, p->issue ? issue : "-", d->small, PANGO_ALIGN_CENTER);
        put_text(d, &r, 10, 1, p->reason && *p->reason ? p->reason : "-", d->font,
                 p->reason && *p->reason ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
        draw_row(d, &r);
        row_free(&r);
        money_add(&sum[DIFF_BUDGET], p->budget);
        for (int q = 0; q < 4; q++)
            money_add(&sum[DIFF_Q1 + q], p->q[q]);
    }
    put_markup(d, &tr, 0, 2, "<b>รวม</b>", d->font, PANGO_ALIGN_CENTER);
    for (int m = 0; m < DIFF__MONEY; m++)
        put_amount(d, &tr, 2 + m, true, sum[m], 1, true, m == DIFF_BUDGET);
    for (int m = 0; m < DIFF__MONEY; m++)
        tr.c[2 + m].hl = false;
    tr.shade = true;
    draw_row(d, &tr);
    row_free(&tr);
    table_end(d);
}

static void renumbered_section(dpdf *d, const plan_diff *df)
{
    tdef t = {0};
    section(d, "๕. โครงการที่เปลี่ยนลำดับที่", NULL);
    if (!df->nrenumbered) {
        para(d, "ไม่มีโครงการที่เปลี่ยนลำดับที่", d->font);
        return;
    }
    t.ncol = 3;
    t.w[0] = 50;
    t.w[1] = 50;
    t.w[2] = TEXT_W - 100;
    t.top[0] = "ที่เดิม";
    t.top[1] = "ที่ใหม่";
    t.top[2] = "โครงการ";
    table_begin(d, &t);
    for (size_t i = 0; i < df->npairs; i++) {
        const diff_pair *p = &df->pairs[i];
        trow r = {0};
        char o[16], nw[16];
        if (!diff_pair_renumbered(p))
            continue;
        snprintf(o, sizeof o, "%d", p->old_no);
        snprintf(nw, sizeof nw, "%d", p->new_no);
        put_text(d, &r, 0, 1, o, d->font, PANGO_ALIGN_CENTER);
        put_text(d, &r, 1, 1, nw, d->font, PANGO_ALIGN_CENTER);
        put_text(d, &r, 2, 1, p->new_name, d->font, PANGO_ALIGN_LEFT);
        draw_row(d, &r);
        row_free(&r);
    }
    table_end(d);
}

static void total_row(dpdf *d, const tdef *t, const diff_total *tot, const char *label,
                      bool shade)
{
    trow r = {0};
    char *n = xasprintf("เดิม %d ใหม่ %d", tot->nbefore, tot->nafter);
    if (shade) {
        buf b;
        buf_init(&b, 0);
        buf_adds(&b, "<b>");
        rc_markup_append(&b, label);
        buf_adds(&b, "</b>");
        put_markup(d, &r, 0, 2, b.s, d->font, PANGO_ALIGN_LEFT);
        buf_free(&b);
    } else {
        put_text(d, &r, 0, 2, label, d->small, PANGO_ALIGN_LEFT);
    }
    for (int m = 0; m < DIFF__MONEY; m++) {
        diff_amount a = {.old_set = true, .new_set = true, .old_v = tot->before[m],
                         .new_v = tot->after[m], .delta = tot->delta[m],
                         .changed = tot->before[m] != tot->after[m]};
        put_triple(d, &r, 2 + 3 * m, &a, m == DIFF_BUDGET);
    }
    put_text(d, &r, t->ncol - 1, 1, n, d->small, PANGO_ALIGN_CENTER);
    r.c[t->ncol - 1].hl = tot->nbefore != tot->nafter;
    r.shade = shade;
    draw_row(d, &r);
    row_free(&r);
    free(n);
}

static void band_row(dpdf *d, const tdef *t, const char *text)
{
    trow r = {0};
    buf b;
    buf_init(&b, 0);
    buf_adds(&b, "<b>");
    rc_markup_append(&b, text);
    buf_adds(&b, "</b>");
    put_markup(d, &r, 0, t->ncol, b.s, d->font, PANGO_ALIGN_LEFT);
    r.shade = true;
    draw_row(d, &r);
    row_free(&r);
    buf_free(&b);
}

static void totals_section(dpdf *d, const plan_diff *df)
{
    tdef t;
    section(d, "๖. ยอดรวมก่อนและหลังการปรับปรุง", "(หน่วย : บาท)");
    money_table(d, &t, true);
    table_begin(d, &t);
    total_row(d, &t, &df->total, "รวมทั้งสิ้น", true);
    band_row(d, &t, "ตามประเด็นยุทธศาสตร์");
    for (size_t i = 0; i < df->nissue; i++) {
        const diff_total *x = &df->by_issue[i];
        char *label = strcmp(x->key, "0") == 0
                          ? xstrdup(x->title && *x->title ? x->title : "ไม่ระบุประเด็นยุทธศาสตร์")
                          : xasprintf("ประเด็นยุทธศาสตร์ที่ %s %s", x->key, x->title ? x->title : "");
        total_row(d, &t, x, label, false);
        free(label);
    }
    band_row(d, &t, "ตามหน่วยงานผู้รับผิดชอบ");
    for (size_t i = 0; i < df->nunit; i++) {
        const diff_total *x = &df->by_unit[i];
        total_row(d, &t, x, x->title && *x->title ? x->title : "ไม่ระบุผู้รับผิดชอบ", false);
    }
    table_end(d);
}

/* "แผนการใช้จ่าย…ประจำปีงบประมาณ พ.ศ. 2568" */
static char *plan_title(const plan_doc *p)
{
    const char *t = p->title && *p->title ? p->title : "แผนการใช้จ่ายงบประมาณรายโครงการ";
    if (strstr(t, "พ.ศ."))
        return xstrdup(t);
    if (strstr(t, "ประจำปีงบประมาณ"))
        return xasprintf("%s พ.ศ. %d", t, p->fiscal_year);
    return xasprintf("%s ประจำปีงบประมาณ พ.ศ. %d", t, p->fiscal_year);
}

/* The version's name, with its fiscal year when the two years differ. */
static char *vname(const plan_diff *df, bool to)
{
    const diff_version *v = to ? &df->to : &df->from;
    if (df->from.fiscal_year != df->to.fiscal_year)
        return xasprintf("%s (พ.ศ. %d)", v->name, v->fiscal_year);
    return xstrdup(v->name);
}

/* The whole title: "เปรียบเทียบแผน… พ.ศ. 2568 ฉบับ X กับ ฉบับ Y". Heap memory. */
static char *diff_title(const plan_doc *b, const plan_diff *df)
{
    char *t = plan_title(b), *x = vname(df, false), *y = vname(df, true);
    char *s = xasprintf("เปรียบเทียบ%s %s กับ %s", t, x, y);
    free(t);
    free(x);
    free(y);
    return s;
}

static void title_block(dpdf *d, const plan_doc *a, const plan_doc *b, const plan_diff *df)
{
    char *title = diff_title(b, df);
    const char *agency = b->agency && *b->agency ? b->agency : a->agency;
    buf s;
    PangoLayout *l;
    char *m0 = rc_money(df->total.before[DIFF_BUDGET]), *m1 = rc_money(df->total.after[DIFF_BUDGET]),
         *dm = signed_money(df->total.delta[DIFF_BUDGET]);
    size_t unchanged = 0;

    for (size_t i = 0; i < df->npairs; i++)
        unchanged += !diff_pair_changed(&df->pairs[i]) && !diff_pair_renumbered(&df->pairs[i]);
    new_page(d);
    {
        buf b2;
        buf_init(&b2, 0);
        buf_adds(&b2, "<b>");
        rc_markup_append(&b2, title);
        buf_adds(&b2, "</b>");
        l = rc_layout_markup(d->pc, b2.s, TEXT_W - 60, d->title, PANGO_ALIGN_CENTER);
        rc_show_layout(d->cr, l, MARGIN_X + 30, d->y);
        d->y += rc_height(l) + 2;
        g_object_unref(l);
        buf_free(&b2);
    }
    if (agency && *agency) {
        l = rc_layout_text(d->pc, agency, TEXT_W, d->bold, PANGO_ALIGN_CENTER);
        rc_show_layout(d->cr, l, MARGIN_X, d->y);
        d->y += rc_height(l) + 6;
        g_object_unref(l);
    }
    buf_init(&s, 0);
    buf_printf(&s,
               "สรุป: จำนวนโครงการ เดิม %zu ใหม่ %zu โครงการ | เปลี่ยนแปลง %zu | เพิ่มใหม่ %zu | "
               "ตัดออก %zu | เปลี่ยนลำดับที่ %zu | ไม่เปลี่ยนแปลง %zu | งบประมาณรวม เดิม %s บาท "
               "ใหม่ %s บาท (%s)",
               df->from.nprojects, df->to.nprojects, df->nchanged, df->nadded, df->nremoved,
               df->nrenumbered, unchanged, m0, m1, dm);
    para(d, s.s, d->font);
    if (df->overflow)
        para(d,
             "คำเตือน: ผลรวมบางรายการเกินขีดจำกัดของโปรแกรม ยอดรวมในเอกสารนี้จึงไม่ถูกต้อง / "
             "warning: a sum overflowed",
             d->bold);
    buf_free(&s);
    free(m0);
    free(m1);
    free(dm);
    free(title);
}

int render_diff_pdf(const plan_doc *a, const plan_doc *b, const plan_diff *df, const char *path,
                    char *err, size_t errlen)
{
    dpdf d = {0};
    buf out;
    cairo_surface_t *surface;
    char *title;

    if (!a || !b || !df || !path) {
        snprintf(err, errlen, "ไม่มีข้อมูลที่จะเปรียบเทียบ / nothing to compare");
        return -1;
    }
    if (render_font_check(err, errlen) != 0)
        return -1;
    buf_init(&out, 0);
    surface = cairo_pdf_surface_create_for_stream(rc_write_buf, &out, PAGE_W, PAGE_H);
    title = diff_title(b, df);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "phaen");
    free(title);
    d.cr = cairo_create(surface);
    d.pc = rc_context(d.cr);
    d.font = rc_font(CELL_PT, false);
    d.bold = rc_font(CELL_PT, true);
    d.small = rc_font(SMALL_PT, false);
    d.small_bold = rc_font(SMALL_PT, true);
    d.tiny = rc_font(TINY_PT, false);
    d.tiny_bold = rc_font(TINY_PT, true);
    d.section = rc_font(SECTION_PT, true);
    d.title = rc_font(TITLE_PT, true);
    cairo_set_source_rgb(d.cr, 0, 0, 0);
    cairo_set_line_width(d.cr, LINE_W);

    d.mw = money_width(&d, df);
    /* the name and reason columns keep at least 160 pt */
    if (TEXT_W - 30 - 3 * DIFF__MONEY * d.mw < 160)
        d.mw = (TEXT_W - 30 - 160) / (3 * DIFF__MONEY);

    title_block(&d, a, b, df);
    money_section(&d, df);
    fields_section(&d, df);
    side_section(&d, "๓. โครงการที่เพิ่มใหม่", df->added, df->nadded, true);
    side_section(&d, "๔. โครงการที่ตัดออก", df->removed, df->nremoved, false);
    renumbered_section(&d, df);
    totals_section(&d, df);
    page_number(&d);

    pango_font_description_free(d.font);
    pango_font_description_free(d.bold);
    pango_font_description_free(d.small);
    pango_font_description_free(d.small_bold);
    pango_font_description_free(d.tiny);
    pango_font_description_free(d.tiny_bold);
    pango_font_description_free(d.section);
    pango_font_description_free(d.title);
    g_object_unref(d.pc);
    {
        int rc = rc_pdf_finish(d.cr, surface, &out, path, err, errlen);
        buf_free(&out);
        return rc;
    }
}
