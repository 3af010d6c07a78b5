/*
** render_plan.c — the spending-plan table as a PDF, the way offices print
** it: A4 landscape, title block, the two-level header repeated on every
** page, strategic-issue band rows, long cells wrapped at Thai word
** boundaries (Pango + libthai) and continued on the next page, amounts
** right-aligned, a totals row with the total in Thai words, page numbers in
** Thai digits, the three signature blocks, and the findings on a last page.
**
** Layout is one pass: each row's cells are laid out with Pango, drawn line
** range by line range; when a row does not fit, the lines that fit are
** drawn and the rest continue on the next page under a repeated header,
** exactly as the original documents continue long cells.
*/
#include "render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "render_common.h"

/* A4 landscape in points; margins. */
#define PAGE_W 841.89
#define PAGE_H 595.28
#define MARGIN_X 28.0
#define MARGIN_TOP 30.0
#define MARGIN_BOTTOM 34.0
#define PAD 2.5 /* inside a cell */
/* Sizes as TH Sarabun sizes (the official font; Laksaman draws them 1.503
** times larger, see render_common.h): a table in 14 pt, as offices print. */
#define CELL_PT RC_SARABUN_PT(14)
#define HEAD_PT RC_SARABUN_PT(14)
#define SUB_PT RC_SARABUN_PT(12)
#define TITLE_PT RC_SARABUN_PT(18)
#define LINE_W 0.5

enum {
    C_NO, C_NAME, C_OBJ, C_TARGET, C_IND, C_BUDGET, C_Q1, C_Q2, C_Q3, C_Q4, C_PERIOD, C_UNIT,
    C_ALIGN, /* seven alignment columns follow */
    NCOL = C_ALIGN + ALIGN__MAX
};

/* Column widths in points; they add up to the text width (785.89). */
static const double col_w[NCOL] = {
    [C_NO] = 14,     [C_NAME] = 63,   [C_OBJ] = 93,    [C_TARGET] = 93,  [C_IND] = 93,
    [C_BUDGET] = 46, [C_Q1] = 38,     [C_Q2] = 38,     [C_Q3] = 38,      [C_Q4] = 38,
    [C_PERIOD] = 44, [C_UNIT] = 50,   [C_ALIGN + 0] = 14, [C_ALIGN + 1] = 16,
    [C_ALIGN + 2] = 38, [C_ALIGN + 3] = 16, [C_ALIGN + 4] = 18, [C_ALIGN + 5] = 21.89,
    [C_ALIGN + 6] = 14,
};

typedef struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoFontDescription *font, *bold, *title_font, *small, *code;
    PangoLanguage *th;
    PangoContext *pc;   /* one Pango context at 72 dpi: 1 unit = 1 pt */
    double x[NCOL + 1]; /* column left edges, x[NCOL] = right edge */
    double y;           /* next free y on the page */
    double table_top;   /* y below the header on the current page */
    int page;
    const plan_doc *p;
    strlist notes;      /* free-text alignment cells, printed as หมายเหตุ */
    /* the header's layouts, made once and drawn on every page */
    PangoLayout *h_top[NCOL], *h_sub[NCOL], *h_span_q, *h_span_a;
    double h1, h2;
} pdf;

/* ---- fonts and text -------------------------------------------------------- */

int render_font_check(char *err, size_t errlen)
{
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    PangoContext *ctx = pango_font_map_create_context(fm);
    PangoFontDescription *want = pango_font_description_from_string(RENDER_FONT " 12");
    PangoFont *f = pango_font_map_load_font(fm, ctx, want);
    int rc = -1;
    if (f) {
        PangoFontDescription *got = pango_font_describe(f);
        const char *fam = pango_font_description_get_family(got);
        rc = fam && strcmp(fam, RENDER_FONT) == 0 ? 0 : -1;
        pango_font_description_free(got);
        g_object_unref(f);
    }
    pango_font_description_free(want);
    g_object_unref(ctx);
    if (rc != 0)
        snprintf(err, errlen,
                 "ไม่พบฟอนต์ %s ให้ติดตั้งแพ็กเกจ fonts-tlwg-laksaman (apt-get install "
                 "fonts-tlwg-laksaman) / font %s not found: install the Debian package "
                 "fonts-tlwg-laksaman",
                 RENDER_FONT, RENDER_FONT);
    return rc;
}

/* "1. a\n2. b" (numbered when more than one item). */
static void add_list(buf *b, const strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (b->len && b->s[b->len - 1] != '\n')
            buf_addc(b, '\n');
        if (l->n > 1)
            buf_printf(b, "%zu. ", i + 1);
        rc_markup_append(b, l->v[i]);
    }
}

static void add_labelled(buf *b, const char *label, const strlist *l)
{
    if (!l->n)
        return;
    if (b->len)
        buf_addc(b, '\n');
    buf_adds(b, "<b>");
    rc_markup_append(b, label);
    buf_adds(b, "</b>");
    add_list(b, l);
}

/* ---- drawing ------------------------------------------------------------------- */

/* Draw a whole layout with its top left at (x, y). */
static void draw_layout(pdf *d, PangoLayout *l, double x, double y)
{
    rc_show_layout(d->cr, l, x, y);
}

static void page_number(pdf *d)
{
    rc_page_number(d->cr, d->pc, d->page, d->small, MARGIN_X, PAGE_W - 2 * MARGIN_X, PAGE_H - MARGIN_BOTTOM + 8);
}

static void new_page(pdf *d)
{
    if (d->page > 0) {
        page_number(d);
        cairo_show_page(d->cr);
    }
    d->page++;
    d->y = MARGIN_TOP;
}

/* The two-level header: spending plan over Q1..Q4, alignment over seven.
** The seven narrow alignment headers are set vertically, as offices do. */
static void draw_header(pdf *d)
{
    static const char *top[NCOL] = {
        [C_NO] = "ที่", [C_NAME] = "โครงการ", [C_OBJ] = "วัตถุประสงค์", [C_TARGET] = "เป้าหมาย",
        [C_IND] = "ตัวชี้วัด", [C_BUDGET] = "งบประมาณ\n(บาท)", [C_PERIOD] = "ระยะเวลา\nดำเนินการ",
        [C_UNIT] = "ผู้รับผิดชอบ",
    };
    static const char *sub[NCOL] = {
        [C_Q1] = "ไตรมาส 1", [C_Q2] = "ไตรมาส 2", [C_Q3] = "ไตรมาส 3", [C_Q4] = "ไตรมาส 4",
        [C_ALIGN + 0] = "ย.ชาติ", [C_ALIGN + 1] = "แผนแม่บท",
        [C_ALIGN + 2] = "เป้าหมายแผนแม่บทย่อย", [C_ALIGN + 3] = "แผน 13 (หมุดหมายที่)",
        [C_ALIGN + 4] = "น.ความมั่นคง", [C_ALIGN + 5] = "น.รัฐบาล", [C_ALIGN + 6] = "ย.ศธ",
    };
    PangoLayout **lt = d->h_top, **ls = d->h_sub, *span_q, *span_a;
    double h1 = 0, h2 = 0, y0 = d->y, y1, y2;

    if (d->h_span_q)
        goto draw;
    {
    char *qhead = xasprintf("แผนการใช้จ่ายงบประมาณ พ.ศ. %d (หน่วย : บาท)", d->p->fiscal_year);
    span_q = rc_layout_markup(d->pc, qhead, d->x[C_PERIOD] - d->x[C_Q1] - 2 * PAD, d->bold,
                        PANGO_ALIGN_CENTER);
    span_a = rc_layout_markup(d->pc, "ความสอดคล้อง", d->x[NCOL] - d->x[C_ALIGN] - 2 * PAD, d->bold,
                        PANGO_ALIGN_CENTER);
    h1 = rc_height(span_q) > rc_height(span_a) ? rc_height(span_q) : rc_height(span_a);
    for (int c = 0; c < NCOL; c++) {
        if (sub[c] && c >= C_ALIGN) {
            /* vertical: the layout's width is the free height, its height
            ** must fit the column's width */
            int w, h;
            ls[c] = rc_layout_markup(d->pc, sub[c], 200, d->small, PANGO_ALIGN_LEFT);
            pango_layout_set_width(ls[c], -1); /* one line, no wrapping */
            pango_layout_get_size(ls[c], &w, &h);
            if ((double)w / PANGO_SCALE > h2)
                h2 = (double)w / PANGO_SCALE;
        } else if (sub[c]) {
            ls[c] = rc_layout_markup(d->pc, sub[c], col_w[c] - 2 * PAD, d->small, PANGO_ALIGN_CENTER);
            if (rc_height(ls[c]) > h2)
                h2 = rc_height(ls[c]);
        } else {
            /* a narrow column's heading in the small face, so no word breaks */
            lt[c] = rc_layout_markup(d->pc, top[c], col_w[c] - 2 * PAD, col_w[c] < 50 ? d->small : d->bold,
                               PANGO_ALIGN_CENTER);
        }
    }
    h1 += 2 * PAD;
    h2 += 2 * PAD;
    for (int c = 0; c < NCOL; c++)
        if (lt[c] && rc_height(lt[c]) + 2 * PAD > h1 + h2)
            h2 = rc_height(lt[c]) + 2 * PAD - h1;
    d->h_span_q = span_q;
    d->h_span_a = span_a;
    d->h1 = h1;
    d->h2 = h2;
    free(qhead);
    }
draw:
    span_q = d->h_span_q;
    span_a = d->h_span_a;
    h1 = d->h1;
    h2 = d->h2;
    y1 = y0 + h1;
    y2 = y1 + h2;

    cairo_set_source_rgb(d->cr, 0.90, 0.90, 0.90);
    cairo_rectangle(d->cr, d->x[0], y0, d->x[NCOL] - d->x[0], y2 - y0);
    cairo_fill(d->cr);
    cairo_set_source_rgb(d->cr, 0, 0, 0);
    draw_layout(d, span_q, d->x[C_Q1] + PAD, y0 + PAD);
    draw_layout(d, span_a, d->x[C_ALIGN] + PAD, y0 + PAD);
    for (int c = 0; c < NCOL; c++) {
        if (lt[c])
            draw_layout(d, lt[c], d->x[c] + PAD, y0 + (y2 - y0 - rc_height(lt[c])) / 2);
        if (ls[c] && c >= C_ALIGN) {
            int w, h;
            pango_layout_get_size(ls[c], &w, &h);
            cairo_save(d->cr);
            /* bottom-to-top text, centred in the cell */
            cairo_translate(d->cr, d->x[c] + (col_w[c] - (double)h / PANGO_SCALE) / 2,
                            y2 - (h2 - (double)w / PANGO_SCALE) / 2);
            cairo_rotate(d->cr, -G_PI / 2);
            cairo_move_to(d->cr, 0, 0);
            /* the context is not updated for the rotation: metrics are
            ** unhinted, so the glyphs are simply turned with the page */
            pango_cairo_show_layout(d->cr, ls[c]);
            cairo_restore(d->cr);
        } else if (ls[c]) {
            draw_layout(d, ls[c], d->x[c] + PAD, y1 + (h2 - rc_height(ls[c])) / 2);
        }
    }
    /* rules */
    cairo_set_line_width(d->cr, LINE_W);
    cairo_rectangle(d->cr, d->x[0], y0, d->x[NCOL] - d->x[0], y2 - y0);
    cairo_stroke(d->cr);
    rc_line(d->cr, d->x[C_Q1], y1, d->x[C_PERIOD], y1);
    rc_line(d->cr, d->x[C_ALIGN], y1, d->x[NCOL], y1);
    for (int c = 1; c < NCOL; c++) {
        bool inner = (c > C_Q1 && c < C_PERIOD) || c > C_ALIGN;
        rc_line(d->cr, d->x[c], inner ? y1 : y0, d->x[c], y2);
    }
    d->y = y2;
    d->table_top = y2;
}

static double page_bottom(void)
{
    return PAGE_H - MARGIN_BOTTOM;
}

/* Start a page with the header; the first page also carries the title. */
static void start_table_page(pdf *d)
{
    new_page(d);
    if (d->page == 1) {
        buf b;
        PangoLayout *l;
        buf_init(&b, 0);
        buf_adds(&b, "<b>");
        rc_markup_append(&b, d->p->title_line && *d->p->title_line ? d->p->title_line : d->p->title);
        buf_adds(&b, "</b>");
        l = rc_layout_markup(d->pc, b.s, PAGE_W - 2 * MARGIN_X - 80, d->title_font, PANGO_ALIGN_CENTER);
        draw_layout(d, l, MARGIN_X + 40, d->y);
        d->y += rc_height(l) + 8;
        g_object_unref(l);
        buf_free(&b);
    }
    draw_header(d);
}

/* ---- rows ------------------------------------------------------------------------ */

/* A row being laid out: one layout per column (NULL = empty), drawn in
** chunks; `from[c]` is the first line of column c not yet drawn. */
typedef struct row {
    PangoLayout *cell[NCOL];
    int from[NCOL];
    bool shade;
    double *tops[NCOL]; /* top of each line, and the bottom at [nlines] */
    int nlines[NCOL];
} row;

/* Line tops of cell c, computed once per cell (a long cell is asked many
** times while it is split over pages). */
static const double *cell_tops(row *r, int c)
{
    if (!r->tops[c]) {
        PangoLayoutIter *it = pango_layout_get_iter(r->cell[c]);
        int n = pango_layout_get_line_count(r->cell[c]), k = 0;
        r->tops[c] = xmalloc(((size_t)n + 1) * sizeof(double));
        do {
            PangoRectangle lr;
            pango_layout_iter_get_line_extents(it, NULL, &lr);
            r->tops[c][k] = (double)lr.y / PANGO_SCALE;
            r->tops[c][k + 1] = (double)(lr.y + lr.height) / PANGO_SCALE;
            k++;
        } while (k < n && pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        r->nlines[c] = n;
    }
    return r->tops[c];
}

/* Draw lines [from, from+count) of l with their top at y. */
static void draw_lines(pdf *d, PangoLayout *l, int from, int count, double top, double x,
                       double y)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int k = 0;
    /* only the lines in range are drawn: a line is never emitted twice */
    do {
        if (k >= from && k < from + count) {
            PangoLayoutLine *pl = pango_layout_iter_get_line_readonly(it);
            PangoRectangle r;
            int baseline = pango_layout_iter_get_baseline(it);
            pango_layout_iter_get_line_extents(it, NULL, &r);
            rc_show_line(d->cr, pl, x + (double)r.x / PANGO_SCALE,
                         y - top + (double)baseline / PANGO_SCALE);
        }
        k++;
    } while (k < from + count && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* Draw the row, page after page, until every line of every cell is out. */
static void draw_row(pdf *d, row *r)
{
    for (;;) {
        double avail = page_bottom() - d->y - 2 * PAD, h = 0;
        int fit[NCOL] = {0};
        bool done = true, any = false;

        for (int c = 0; c < NCOL; c++) {
            const double *t;
            int k;
            if (!r->cell[c])
                continue;
            t = cell_tops(r, c);
            k = r->from[c];
            while (k < r->nlines[c] && t[k + 1] - t[r->from[c]] <= avail)
                k++;
            fit[c] = k - r->from[c];
            if (k < r->nlines[c])
                done = false;
            if (fit[c] > 0) {
                double ch = t[k] - t[r->from[c]];
                if (ch > h)
                    h = ch;
                any = true;
            }
        }
        /* A row that would fit whole on a fresh page is not split; nor is a
        ** sliver of a long row left at the foot of a page. On a fresh page
        ** every cell gives at least one line, so the table always moves on. */
        if (!done && d->y > d->table_top + 1) {
            double need = 0, fresh = page_bottom() - d->table_top - 2 * PAD;
            for (int c = 0; c < NCOL; c++)
                if (r->cell[c]) {
                    const double *t = cell_tops(r, c);
                    double ch = t[r->nlines[c]] - t[r->from[c]];
                    if (ch > need)
                        need = ch;
                }
            /* short rows stay whole; long ones continue on the next page as
            ** the original documents do, unless only a sliver is left */
            if ((need <= fresh / 3) || avail < fresh / 5 || !any) {
                start_table_page(d);
                continue;
            }
        }
        if (!any) {
            for (int c = 0; c < NCOL; c++)
                if (r->cell[c] && r->from[c] < r->nlines[c]) {
                    const double *t = cell_tops(r, c);
                    double ch = t[r->from[c] + 1] - t[r->from[c]];
                    fit[c] = 1;
                    if (ch > h)
                        h = ch;
                }
        }
        h += 2 * PAD;
        if (r->shade) {
            cairo_set_source_rgb(d->cr, 0.94, 0.94, 0.94);
            cairo_rectangle(d->cr, d->x[0], d->y, d->x[NCOL] - d->x[0], h);
            cairo_fill(d->cr);
            cairo_set_source_rgb(d->cr, 0, 0, 0);
        }
        for (int c = 0; c < NCOL; c++) {
            if (!r->cell[c] || fit[c] == 0)
                continue;
            draw_lines(d, r->cell[c], r->from[c], fit[c], cell_tops(r, c)[r->from[c]],
                       d->x[c] + PAD, d->y + PAD);
            r->from[c] += fit[c];
        }
        /* cell rules: a spanning cell (band, totals) has no inner verticals */
        cairo_set_line_width(d->cr, LINE_W);
        cairo_rectangle(d->cr, d->x[0], d->y, d->x[NCOL] - d->x[0], h);
        cairo_stroke(d->cr);
        for (int c = 1; c < NCOL; c++) {
            bool covered = false;
            for (int k = 0; k < c; k++)
                if (r->cell[k] && d->x[k] + pango_layout_get_width(r->cell[k]) / PANGO_SCALE +
                                          PAD >
                                      d->x[c] + 0.5)
                    covered = true;
            if (!covered)
                rc_line(d->cr, d->x[c], d->y, d->x[c], d->y + h);
        }
        d->y += h;
        if (done)
            return;
        start_table_page(d);
    }
}

static void row_free(row *r)
{
    for (int c = 0; c < NCOL; c++) {
        if (r->cell[c])
            g_object_unref(r->cell[c]);
        free(r->tops[c]);
    }
}

/* Cell c of a row: plain text (escaped) with alignment, in `font`. */
static void cell_text_in(pdf *d, row *r, int c, const char *text, PangoAlignment a,
                         const PangoFontDescription *font)
{
    buf b;
    buf_init(&b, 0);
    rc_markup_append(&b, text);
    r->cell[c] = rc_layout_markup(d->pc, b.s, col_w[c] - 2 * PAD, font, a);
    buf_free(&b);
}

static void cell_text(pdf *d, row *r, int c, const char *text, PangoAlignment a)
{
    cell_text_in(d, r, c, text, a, d->font);
}

static void cell_markup(pdf *d, row *r, int c, const char *markup)
{
    r->cell[c] = rc_layout_markup(d->pc, markup, col_w[c] - 2 * PAD, d->font, PANGO_ALIGN_LEFT);
}

/* An amount never wraps: when it is wider than its column (a large total)
** it is set in the smaller face. */
static void cell_amount(pdf *d, row *r, int c, int64_t v, bool dash_for_zero)
{
    char *m = v == 0 && dash_for_zero ? xstrdup("-") : rc_money(v);
    PangoAlignment a = v == 0 && dash_for_zero ? PANGO_ALIGN_CENTER : PANGO_ALIGN_RIGHT;
    cell_text(d, r, c, m, a);
    if (pango_layout_get_line_count(r->cell[c]) > 1) {
        g_object_unref(r->cell[c]);
        cell_text_in(d, r, c, m, a, d->code);
    }
    free(m);
}

static void draw_band(pdf *d, const strategic_issue *si)
{
    row r = {0};
    buf b;
    buf_init(&b, 0);
    buf_printf(&b, "<b>ประเด็นยุทธศาสตร์ที่ %d ", si->no);
    rc_markup_append(&b, si->title);
    buf_adds(&b, "</b>");
    r.cell[0] = rc_layout_markup(d->pc, b.s, d->x[NCOL] - d->x[0] - 2 * PAD, d->font, PANGO_ALIGN_LEFT);
    r.shade = true;
    draw_row(d, &r);
    row_free(&r);
    buf_free(&b);
}

static void draw_project(pdf *d, const project *pr)
{
    row r = {0};
    buf b;
    char no[16];

    snprintf(no, sizeof no, "%d", pr->no);
    cell_text(d, &r, C_NO, no, PANGO_ALIGN_CENTER);
    cell_text(d, &r, C_NAME, pr->name, PANGO_ALIGN_LEFT);
    buf_init(&b, 0);
    add_list(&b, &pr->items[ITEM_OBJECTIVE]);
    cell_markup(d, &r, C_OBJ, b.s ? b.s : "");
    buf_reset(&b);
    add_labelled(&b, "ผลผลิต (Output)", &pr->items[ITEM_OUTPUT]);
    add_labelled(&b, "ผลลัพธ์ (Outcome)", &pr->items[ITEM_OUTCOME]);
    cell_markup(d, &r, C_TARGET, b.s ? b.s : "");
    buf_reset(&b);
    add_labelled(&b, "เชิงปริมาณ", &pr->items[ITEM_INDICATOR_QUANT]);
    add_labelled(&b, "เชิงคุณภาพ", &pr->items[ITEM_INDICATOR_QUAL]);
    cell_markup(d, &r, C_IND, b.s ? b.s : "");
    buf_free(&b);
    if (pr->has_budget)
        cell_amount(d, &r, C_BUDGET, pr->budget, false);
    else
        cell_text_in(d, &r, C_BUDGET, "ไม่ใช้งบประมาณ", PANGO_ALIGN_CENTER, d->code);
    for (int q = 0; q < 4; q++)
        cell_amount(d, &r, C_Q1 + q, pr->q[q], true);
    cell_text(d, &r, C_PERIOD, pr->period_text, PANGO_ALIGN_CENTER);
    cell_text(d, &r, C_UNIT, pr->unit ? pr->unit : pr->unit_text, PANGO_ALIGN_LEFT);
    for (int f = 0; f < ALIGN__MAX; f++) {
        const alignment *a = &pr->align[f];
        char *t;
        if (a->free_text) {
            /* words do not fit a code column: a marker here, the text below
            ** the table as a หมายเหตุ */
            strlist_take(&d->notes, xasprintf("*%zu โครงการที่ %d %s: %s", d->notes.n + 1,
                                              pr->no, align_header_th((align_field)f),
                                              a->text ? a->text : ""));
            t = xasprintf("*%zu", d->notes.n);
        } else {
            t = alignment_text(a);
        }
        cell_text_in(d, &r, C_ALIGN + f, t, PANGO_ALIGN_CENTER, d->code);
        free(t);
    }
    draw_row(d, &r);
    row_free(&r);
}

static void draw_totals(pdf *d, const summary *s)
{
    row r = {0};
    buf b;
    buf_init(&b, 0);
    r.cell[0] = rc_layout_markup(d->pc, "<b>รวมทั้งสิ้น</b>", d->x[C_BUDGET] - d->x[0] - 2 * PAD, d->font,
                           PANGO_ALIGN_CENTER);
    cell_amount(d, &r, C_BUDGET, s->budget, false);
    for (int q = 0; q < 4; q++)
        cell_amount(d, &r, C_Q1 + q, s->q[q], true);
    buf_adds(&b, "(");
    thai_baht_text(&b, s->budget);
    buf_adds(&b, ")");
    {
        buf e;
        buf_init(&e, 0);
        rc_markup_append(&e, b.s);
        r.cell[C_PERIOD] = rc_layout_markup(d->pc, e.s, d->x[NCOL] - d->x[C_PERIOD] - 2 * PAD, d->font,
                                      PANGO_ALIGN_CENTER);
        buf_free(&e);
    }
    r.shade = true;
    draw_row(d, &r);
    row_free(&r);
    buf_free(&b);
}

/* หมายเหตุ: the free-text alignment cells, under the totals. */
static void draw_notes(pdf *d)
{
    buf b;
    PangoLayout *l;
    if (!d->notes.n)
        return;
    buf_init(&b, 0);
    buf_adds(&b, "<b>หมายเหตุ</b>");
    for (size_t i = 0; i < d->notes.n; i++) {
        buf_addc(&b, '\n');
        rc_markup_append(&b, d->notes.v[i]);
    }
    l = rc_layout_markup(d->pc, b.s, PAGE_W - 2 * MARGIN_X, d->font, PANGO_ALIGN_LEFT);
    if (d->y + 6 + rc_height(l) > page_bottom())
        new_page(d);
    draw_layout(d, l, MARGIN_X, d->y + 6);
    d->y += 6 + rc_height(l);
    g_object_unref(l);
    buf_free(&b);
}

/* The three signature blocks side by side: role, signature line, (name),
** position, date in Thai. */
static void draw_signers(pdf *d)
{
    const double bw = (PAGE_W - 2 * MARGIN_X) / 3;
    PangoLayout *l[SIGN__MAX];
    double h = 0;
    for (int r = 0; r < SIGN__MAX; r++) {
        const signature *sg = &d->p->signers[r];
        buf b;
        buf_init(&b, 0);
        rc_markup_append(&b, sign_role_th((sign_role)r));
        buf_adds(&b, "\n\n\nลงชื่อ ......................................\n(");
        rc_markup_append(&b, sg->name && *sg->name ? sg->name : "......................................");
        buf_adds(&b, ")\n");
        rc_markup_append(&b, sg->position ? sg->position : "");
        buf_adds(&b, "\nวันที่ ");
        if (!date_is_null(sg->date)) {
            buf t;
            buf_init(&t, 0);
            date_thai_long(&t, sg->date, true);
            rc_markup_append(&b, t.s);
            buf_free(&t);
        } else {
            buf_adds(&b, "............................");
        }
        l[r] = rc_layout_markup(d->pc, b.s, bw - 10, d->font, PANGO_ALIGN_CENTER);
        if (rc_height(l[r]) > h)
            h = rc_height(l[r]);
        buf_free(&b);
    }
    if (d->y + 18 + h > page_bottom()) {
        new_page(d);
    } else {
        d->y += 18;
    }
    for (int r = 0; r < SIGN__MAX; r++) {
        draw_layout(d, l[r], MARGIN_X + r * bw + 5, d->y);
        g_object_unref(l[r]);
    }
    d->y += h;
}

/* A last page listing the findings: never hidden. */
static void draw_findings(pdf *d, const findings *fs)
{
    const double w = PAGE_W - 2 * MARGIN_X;
    PangoLayout *t;
    new_page(d);
    t = rc_layout_markup(d->pc, "<b>ข้อสังเกตจากการตรวจแผน (Findings)</b>", w, d->title_font,
                   PANGO_ALIGN_CENTER);
    draw_layout(d, t, MARGIN_X, d->y);
    d->y += rc_height(t) + 8;
    g_object_unref(t);
    for (size_t i = 0; i < fs->n; i++) {
        const finding *f = &fs->v[i];
        buf b;
        PangoLayout *l;
        static const char *sev_th[SEV__MAX] = {"ข้อผิดพลาด", "คำเตือน", "ข้อสังเกต"};
        buf_init(&b, 0);
        buf_printf(&b, "<b>%s</b> ", sev_th[f->sev]);
        if (f->project)
            buf_printf(&b, "โครงการที่ %d ", f->project);
        buf_adds(&b, "[");
        rc_markup_append(&b, f->rule);
        buf_adds(&b, "] ");
        rc_markup_append(&b, f->message_th);
        l = rc_layout_markup(d->pc, b.s, w, d->font, PANGO_ALIGN_LEFT);
        if (d->y + rc_height(l) > page_bottom())
            new_page(d);
        draw_layout(d, l, MARGIN_X, d->y);
        d->y += rc_height(l) + 2;
        g_object_unref(l);
        buf_free(&b);
    }
}

static cairo_status_t write_file(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_WRITE_ERROR;
}

int render_plan_pdf(const plan_doc *p, const findings *fs, const char *path, int *npages,
                    char *err, size_t errlen)
{
    pdf d = {0};
    summary s;
    char *tmp;
    FILE *f;
    int last_issue = -1;
    cairo_status_t st;

    if (render_font_check(err, errlen) != 0)
        return -1;
    tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
    if (!(f = fopen(tmp, "wb"))) {
        snprintf(err, errlen, "%s: เขียนไฟล์ไม่ได้ / cannot write", path);
        free(tmp);
        return -1;
    }
    d.p = p;
    d.surface = cairo_pdf_surface_create_for_stream(write_file, f, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_TITLE,
                                   p->title_line && *p->title_line ? p->title_line : p->title);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_CREATOR, "phaen");
    d.cr = cairo_create(d.surface);
    d.th = pango_language_from_string("th");
    d.pc = rc_context(d.cr);
    d.font = rc_font(CELL_PT, false);
    d.bold = rc_font(HEAD_PT, true);
    d.small = rc_font(SUB_PT, true);
    d.code = rc_font(SUB_PT, false);
    d.title_font = rc_font(TITLE_PT, true);
    d.x[0] = MARGIN_X;
    for (int c = 0; c < NCOL; c++)
        d.x[c + 1] = d.x[c] + col_w[c];
    cairo_set_source_rgb(d.cr, 0, 0, 0);
    cairo_set_line_width(d.cr, LINE_W);

    summary_compute(p, &s);
    start_table_page(&d);
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        if (pr->issue != last_issue) {
            const strategic_issue *si = plan_issue(p, pr->issue);
            if (si)
                draw_band(&d, si);
            last_issue = pr->issue;
        }
        draw_project(&d, pr);
    }
    draw_totals(&d, &s);
    draw_notes(&d);
    draw_signers(&d);
    if (fs && fs->n)
        draw_findings(&d, fs);
    page_number(&d);
    summary_free(&s);
    strlist_free(&d.notes);
    for (int c = 0; c < NCOL; c++) {
        if (d.h_top[c])
            g_object_unref(d.h_top[c]);
        if (d.h_sub[c])
            g_object_unref(d.h_sub[c]);
    }
    if (d.h_span_q)
        g_object_unref(d.h_span_q);
    if (d.h_span_a)
        g_object_unref(d.h_span_a);

    pango_font_description_free(d.font);
    pango_font_description_free(d.bold);
    pango_font_description_free(d.small);
    pango_font_description_free(d.code);
    pango_font_description_free(d.title_font);
    g_object_unref(d.pc);
    cairo_destroy(d.cr);
    cairo_surface_finish(d.surface);
    st = cairo_surface_status(d.surface);
    cairo_surface_destroy(d.surface);
    if (fclose(f) != 0 || st != CAIRO_STATUS_SUCCESS || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: เขียน PDF ไม่สำเร็จ / cannot write the PDF (%s)", path,
                 cairo_status_to_string(st));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    if (npages)
        *npages = d.page;
    return 0;
}
