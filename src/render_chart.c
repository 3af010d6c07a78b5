/*
** render_chart.c — the summary report: planned spending per quarter (bars)
** with the cumulative share of the budget (a line on a second axis), and
** the budget per strategic issue and per unit (bars stacked by quarter),
** each chart with the table of its numbers under it.
**
** One drawing, two outputs: the charts are drawn on a small `canvas` that
** either paints with cairo (a PDF: A4 landscape, pages) or writes SVG
** elements by hand (one tall standalone SVG for the web: no script, no
** external resources). Text is laid out by Pango in both, so the lines of
** a wrapped label break at the same Thai words; SVG gets one <text> per
** line. Money stays int64 satang; doubles are only drawing coordinates.
*/
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "render_common.h"

#define PAGE_W 841.89
#define PAGE_H 595.28
#define MARGIN 36.0
#define TOP_Y MARGIN
#define BOTTOM_Y (PAGE_H - MARGIN)
#define CONTENT_W (PAGE_W - 2 * MARGIN)

/* Sizes: TH Sarabun points, drawn in Laksaman (render_common.h). */
#define TITLE_PT RC_SARABUN_PT(22.0)
#define HEAD_PT RC_SARABUN_PT(18.0)
#define TEXT_PT RC_SARABUN_PT(15.0)
#define SMALL_PT RC_SARABUN_PT(13.0)

#define SVG_FONT "Laksaman, 'TH Sarabun New', sans-serif"

typedef struct rgb {
    unsigned char r, g, b;
} rgb;

static const rgb BLACK = {0, 0, 0}, GREY = {0x66, 0x66, 0x66}, GRID = {0xDD, 0xDD, 0xDD},
                 RULE = {0x99, 0x99, 0x99}, HEAD_BG = {0xEE, 0xEE, 0xEE},
                 CUM = {0xC0, 0x39, 0x2B};
/* quarters 1..4 */
static const rgb QCOL[4] = {{0x4C, 0x78, 0xA8}, {0xF5, 0x85, 0x18}, {0x54, 0xA2, 0x4B},
                            {0xB2, 0x79, 0xA2}};

typedef enum halign { AL_LEFT, AL_CENTER, AL_RIGHT } halign;

/* ---- the canvas ----------------------------------------------------------------------------- */

typedef struct canvas {
    cairo_t *cr;      /* PDF: paint here; NULL for SVG */
    buf *svg;         /* SVG: elements go here */
    PangoContext *pc; /* text layout (and measuring, for SVG) */
    double y;         /* next free y */
    int page;
} canvas;

static void svg_esc(buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_adds(b, "&amp;"); break;
        case '<': buf_adds(b, "&lt;"); break;
        case '>': buf_adds(b, "&gt;"); break;
        case '"': buf_adds(b, "&quot;"); break;
        case '\'': buf_adds(b, "&apos;"); break;
        default: buf_addc(b, *s); break;
        }
    }
}

static void svg_esc_n(buf *b, const char *s, size_t n)
{
    char *t = xstrndup(s, n);
    svg_esc(b, t);
    free(t);
}

static void set_rgb(canvas *cv, rgb c)
{
    cairo_set_source_rgb(cv->cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

static void cv_rect(canvas *cv, double x, double y, double w, double h, rgb fill)
{
    if (w <= 0 || h <= 0)
        return;
    if (cv->cr) {
        set_rgb(cv, fill);
        cairo_rectangle(cv->cr, x, y, w, h);
        cairo_fill(cv->cr);
    } else {
        buf_printf(cv->svg,
                   "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                   "fill=\"#%02X%02X%02X\"/>\n",
                   x, y, w, h, fill.r, fill.g, fill.b);
    }
}

static void cv_line(canvas *cv, double x1, double y1, double x2, double y2, rgb c, double width)
{
    if (cv->cr) {
        set_rgb(cv, c);
        cairo_set_line_width(cv->cr, width);
        cairo_move_to(cv->cr, x1, y1);
        cairo_line_to(cv->cr, x2, y2);
        cairo_stroke(cv->cr);
    } else {
        buf_printf(cv->svg,
                   "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                   "stroke=\"#%02X%02X%02X\" stroke-width=\"%.2f\"/>\n",
                   x1, y1, x2, y2, c.r, c.g, c.b, width);
    }
}

static void cv_polyline(canvas *cv, const double *xs, const double *ys, int n, rgb c,
                        double width)
{
    if (n < 2)
        return;
    if (cv->cr) {
        set_rgb(cv, c);
        cairo_set_line_width(cv->cr, width);
        cairo_set_line_join(cv->cr, CAIRO_LINE_JOIN_ROUND);
        cairo_move_to(cv->cr, xs[0], ys[0]);
        for (int i = 1; i < n; i++)
            cairo_line_to(cv->cr, xs[i], ys[i]);
        cairo_stroke(cv->cr);
    } else {
        buf_adds(cv->svg, "<polyline fill=\"none\" points=\"");
        for (int i = 0; i < n; i++)
            buf_printf(cv->svg, "%s%.2f,%.2f", i ? " " : "", xs[i], ys[i]);
        buf_printf(cv->svg, "\" stroke=\"#%02X%02X%02X\" stroke-width=\"%.2f\" "
                            "stroke-linejoin=\"round\"/>\n",
                   c.r, c.g, c.b, width);
    }
}

static void cv_dot(canvas *cv, double x, double y, double r, rgb c)
{
    if (cv->cr) {
        set_rgb(cv, c);
        cairo_arc(cv->cr, x, y, r, 0, 6.283185307179586);
        cairo_fill(cv->cr);
    } else {
        buf_printf(cv->svg,
                   "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"#%02X%02X%02X\"/>\n", x, y,
                   r, c.r, c.g, c.b);
    }
}

/*
** Text with its top at y. With width > 0 it is wrapped to the box
** [x, x + width] and aligned in it; with width 0 it is one line whose left
** end, centre or right end (by `al`) is at x. Returns its height.
*/
static double cv_text(canvas *cv, double x, double y, const char *text, double pt, bool bold,
                      halign al, double width, rgb c)
{
    PangoLayout *l = rc_layout(cv->pc, text, pt, bold, width);
    double h = rc_height(l), w = rc_width(l), left = x;
    static const PangoAlignment pal[] = {PANGO_ALIGN_LEFT, PANGO_ALIGN_CENTER, PANGO_ALIGN_RIGHT};
    static const char *const anchor[] = {"start", "middle", "end"};

    if (width > 0)
        pango_layout_set_alignment(l, pal[al]);
    else if (al == AL_CENTER)
        left = x - w / 2;
    else if (al == AL_RIGHT)
        left = x - w;
    if (cv->cr) {
        set_rgb(cv, c);
        rc_show_layout(cv->cr, l, left, y);
    } else {
        PangoLayoutIter *it = pango_layout_get_iter(l);
        const char *t = pango_layout_get_text(l);
        double ax = width > 0 ? (al == AL_LEFT ? x : al == AL_CENTER ? x + width / 2 : x + width)
                              : x;
        do {
            PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
            size_t n = (size_t)line->length;
            const char *s = t + line->start_index;
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
                n--;
            if (n) {
                buf_printf(cv->svg, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"", ax,
                           y + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE, pt);
                if (bold)
                    buf_adds(cv->svg, " font-weight=\"bold\"");
                if (al != AL_LEFT)
                    buf_printf(cv->svg, " text-anchor=\"%s\"", anchor[al]);
                buf_printf(cv->svg, " fill=\"#%02X%02X%02X\">", c.r, c.g, c.b);
                svg_esc_n(cv->svg, s, n);
                buf_adds(cv->svg, "</text>\n");
            }
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
    }
    g_object_unref(l);
    return h;
}

/* One line of text on a white box (to stay readable over bars and
** lines), its top left at (x, y). */
static void cv_label(canvas *cv, double x, double y, const char *text, double pt, bool bold,
                     rgb c)
{
    PangoLayout *l = rc_layout(cv->pc, text, pt, bold, 0);
    static const rgb white = {0xFF, 0xFF, 0xFF};
    cv_rect(cv, x - 2, y + 1, rc_width(l) + 4, rc_height(l) - 2, white);
    g_object_unref(l);
    cv_text(cv, x, y, text, pt, bold, AL_LEFT, 0, c);
}

/* Height text would take (see cv_text). */
static double text_h(canvas *cv, const char *text, double pt, bool bold, double width)
{
    PangoLayout *l = rc_layout(cv->pc, text, pt, bold, width);
    double h = rc_height(l);
    g_object_unref(l);
    return h;
}

static double text_w(canvas *cv, const char *text, double pt, bool bold)
{
    PangoLayout *l = rc_layout(cv->pc, text, pt, bold, 0);
    double w = rc_width(l);
    g_object_unref(l);
    return w;
}

/* PDF: a new page when h does not fit under cv->y. SVG has no pages. */
static void need(canvas *cv, double h)
{
    if (cv->cr && cv->y + h > BOTTOM_Y && cv->y > TOP_Y) {
        cairo_show_page(cv->cr);
        cv->page++;
        cv->y = TOP_Y;
    }
}

/* PDF: start a new page unless the page is still empty. */
static void page_break(canvas *cv)
{
    need(cv, PAGE_H);
}

/* ---- numbers -------------------------------------------------------------------------------- */

/* Basis points as "14.19%". Returns heap memory. */
static char *percent(int bp)
{
    return xasprintf("%s%d.%02d%%", bp < 0 ? "-" : "", abs(bp / 100), abs(bp % 100));
}

/* part / whole in basis points, rounded half up; 0 when whole <= 0. */
static int share_bp(int64_t part, int64_t whole)
{
    __extension__ typedef __int128 i128;
    i128 bp;
    if (whole <= 0)
        return 0;
    bp = ((i128)part * 20000 + whole) / ((i128)whole * 2);
    return bp > 1000000 ? 1000000 : bp < -1000000 ? -1000000 : (int)bp;
}

/* A "nice" axis for 0..max satang: step of 1, 2 or 5 x 10^k baht, at most
** 5 steps. *top = steps * step. */
static void nice_axis(int64_t max, int64_t *step, int *steps)
{
    int64_t s = 100; /* 1 baht */
    static const int mult[] = {1, 2, 5};
    if (max <= 0) {
        *step = 100;
        *steps = 1;
        return;
    }
    for (;;) {
        for (int i = 0; i < 3; i++) {
            int64_t st = s * mult[i];
            if (max / st + (max % st != 0) <= 5) {
                *step = st;
                *steps = (int)(max / st + (max % st != 0));
                return;
            }
        }
        if (s > INT64_MAX / 100)
            break;
        s *= 10;
    }
    *step = max;
    *steps = 1;
}

/* ---- tables --------------------------------------------------------------------------------- */

typedef struct column {
    const char *head;
    double w;
    halign al;
} column;

typedef struct table {
    const column *cols;
    int ncol;
    strlist *rows; /* each ncol cells */
    bool *bold;    /* per row: a totals row */
    size_t nrows, cap;
} table;

/* Append a row: `bold` (a totals row), then t->ncol cells, each a heap
** string the table takes (NULL = empty). */
static void table_add(table *t, int bold, ...)
{
    va_list ap;
    strlist *r;
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 8;
        t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
        t->bold = xrealloc(t->bold, t->cap * sizeof *t->bold);
    }
    r = &t->rows[t->nrows];
    memset(r, 0, sizeof *r);
    t->bold[t->nrows++] = bold != 0;
    va_start(ap, bold);
    for (int i = 0; i < t->ncol; i++) {
        char *cell = va_arg(ap, char *); /* taken */
        strlist_take(r, cell ? cell : xstrdup(""));
    }
    va_end(ap);
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        strlist_free(&t->rows[i]);
    free(t->rows);
    free(t->bold);
}

#define CELL_PAD 3.0

static double row_h(canvas *cv, const table *t, const char *const *cells, bool bold)
{
    double h = 0;
    for (int c = 0; c < t->ncol; c++) {
        double th = text_h(cv, cells[c], TEXT_PT, bold, t->cols[c].w - 2 * CELL_PAD);
        if (th > h)
            h = th;
    }
    return h + 2 * CELL_PAD;
}

static void draw_row(canvas *cv, const table *t, double x, const char *const *cells, bool bold,
                     bool head, double h)
{
    double cx = x, tw = 0;
    for (int c = 0; c < t->ncol; c++)
        tw += t->cols[c].w;
    if (head)
        cv_rect(cv, x, cv->y, tw, h, HEAD_BG);
    for (int c = 0; c < t->ncol; c++) {
        cv_text(cv, cx + CELL_PAD, cv->y + CELL_PAD, cells[c], TEXT_PT, bold || head,
                head ? AL_CENTER : t->cols[c].al, t->cols[c].w - 2 * CELL_PAD, BLACK);
        cv_line(cv, cx, cv->y, cx, cv->y + h, RULE, 0.5);
        cx += t->cols[c].w;
    }
    cv_line(cv, cx, cv->y, cx, cv->y + h, RULE, 0.5);
    cv_line(cv, x, cv->y, cx, cv->y, RULE, 0.5);
    cv_line(cv, x, cv->y + h, cx, cv->y + h, RULE, 0.5);
    cv->y += h;
}

/* The table at the left margin; on a new page the header is repeated. */
static void draw_table(canvas *cv, const table *t)
{
    const char **head = xcalloc((size_t)t->ncol, sizeof *head);
    double hh;
    for (int c = 0; c < t->ncol; c++)
        head[c] = t->cols[c].head;
    hh = row_h(cv, t, head, true);
    for (size_t r = 0; r < t->nrows; r++) {
        const char *const *cells = (const char *const *)t->rows[r].v;
        double h = row_h(cv, t, cells, t->bold[r]);
        int page = cv->page;
        if (r == 0)
            need(cv, hh + h);
        else
            need(cv, h);
        if (r == 0 || cv->page != page)
            draw_row(cv, t, MARGIN, head, true, true, hh);
        draw_row(cv, t, MARGIN, cells, t->bold[r], false, h);
    }
    free(head);
}

/* ---- charts --------------------------------------------------------------------------------- */

static void legend(canvas *cv, double x, double y, bool with_cum)
{
    for (int q = 0; q < 4; q++) {
        char *l = xasprintf("ไตรมาส %d", q + 1);
        cv_rect(cv, x, y + 3, 9, 9, QCOL[q]);
        x += 12;
        cv_text(cv, x, y, l, SMALL_PT, false, AL_LEFT, 0, BLACK);
        x += text_w(cv, l, SMALL_PT, false) + 14;
        free(l);
    }
    if (with_cum) {
        cv_line(cv, x, y + 7.5, x + 16, y + 7.5, CUM, 1.8);
        cv_dot(cv, x + 8, y + 7.5, 2.5, CUM);
        cv_text(cv, x + 20, y, "ร้อยละสะสมของงบประมาณ (แกนขวา)", SMALL_PT, false, AL_LEFT, 0,
                BLACK);
    }
}

/* "ต.ค. - ธ.ค. 67": the months of quarter q of fiscal year fy. */
static char *quarter_months(int fy, int q)
{
    date a, b;
    fy_quarter_range(fy, q, &a, &b);
    return xasprintf("%s - %s %02d", thai_month_abbr(a.m), thai_month_abbr(b.m),
                     thai_ce_to_be(b.y) % 100);
}

static void section_title(canvas *cv, const char *title, double need_h)
{
    need(cv, need_h);
    cv->y += cv_text(cv, MARGIN, cv->y, title, HEAD_PT, true, AL_LEFT, CONTENT_W, BLACK) + 4;
}

/* Planned spending per quarter (bars, left axis in baht) and the share of
** the budget planned by the end of each quarter (line, right axis in %). */
static void chart_quarters(canvas *cv, const plan_doc *p, const summary *s)
{
    const double plot_h = 170, x0 = MARGIN + 70, x1 = PAGE_W - MARGIN - 60;
    double y0, gw = (x1 - x0) / 4, xs[4], ys[4];
    int64_t max = 0, step;
    int steps, max_bp = 10000, pct_top;

    section_title(cv, "แผนการใช้จ่ายงบประมาณรายไตรมาส", 60 + plot_h + 60);
    y0 = cv->y + 22;
    for (int q = 0; q < 4; q++) {
        if (s->q[q] > max)
            max = s->q[q];
        if (s->cum_bp[q] > max_bp)
            max_bp = s->cum_bp[q];
    }
    nice_axis(max, &step, &steps);
    pct_top = (max_bp + 1999) / 2000 * 20; /* percent, a multiple of 20 */

    cv_text(cv, x0 - 6, y0 - 18, "บาท", SMALL_PT, true, AL_RIGHT, 0, GREY);
    cv_text(cv, x1 + 6, y0 - 18, "ร้อยละสะสม", SMALL_PT, true, AL_LEFT, 0, GREY);
    for (int i = 0; i <= steps; i++) {
        double y = y0 + plot_h - plot_h * i / steps;
        char *l = rc_money(step * i);
        cv_line(cv, x0, y, x1, y, i ? GRID : RULE, i ? 0.5 : 0.8);
        cv_text(cv, x0 - 6, y - 6, l, SMALL_PT, false, AL_RIGHT, 0, GREY);
        free(l);
    }
    for (int v = 0; v <= pct_top; v += 20) {
        char *l = xasprintf("%d%%", v);
        cv_text(cv, x1 + 6, y0 + plot_h - plot_h * v / pct_top - 6, l, SMALL_PT, false, AL_LEFT,
                0, GREY);
        free(l);
    }
    cv_line(cv, x0, y0, x0, y0 + plot_h, RULE, 0.8);
    cv_line(cv, x1, y0, x1, y0 + plot_h, RULE, 0.8);

    for (int q = 0; q < 4; q++) {
        double cx = x0 + gw * (q + 0.5), bw = gw * 0.42;
        double bh = plot_h * (double)s->q[q] / (double)(step * steps);
        char *v = rc_money(s->q[q]), *l = xasprintf("ไตรมาส %d", q + 1);
        char *m = p->fiscal_year ? quarter_months(p->fiscal_year, q + 1) : xstrdup("");
        cv_rect(cv, cx - bw / 2, y0 + plot_h - bh, bw, bh, QCOL[q]);
        cv_text(cv, cx, y0 + plot_h - bh - 15, v, SMALL_PT, true, AL_CENTER, 0, BLACK);
        cv_text(cv, cx, y0 + plot_h + 3, l, TEXT_PT, true, AL_CENTER, 0, BLACK);
        cv_text(cv, cx, y0 + plot_h + 17, m, SMALL_PT, false, AL_CENTER, 0, GREY);
        xs[q] = cx;
        ys[q] = y0 + plot_h - plot_h * s->cum_bp[q] / (pct_top * 100.0);
        free(v);
        free(l);
        free(m);
    }
    cv_polyline(cv, xs, ys, 4, CUM, 1.8);
    for (int q = 0; q < 4; q++) {
        char *l = percent(s->cum_bp[q]);
        cv_dot(cv, xs[q], ys[q], 3, CUM);
        cv_label(cv, xs[q] + 7, ys[q] - 16, l, SMALL_PT, true, CUM);
        free(l);
    }
    cv->y = y0 + plot_h + 34;
    legend(cv, x0, cv->y, true);
    cv->y += 22;
}

static void table_quarters(canvas *cv, const summary *s)
{
    static const column cols[] = {{"", 190, AL_LEFT},          {"ไตรมาส 1", 110, AL_RIGHT},
                                  {"ไตรมาส 2", 110, AL_RIGHT}, {"ไตรมาส 3", 110, AL_RIGHT},
                                  {"ไตรมาส 4", 110, AL_RIGHT}, {"รวม", 120, AL_RIGHT}};
    table t = {cols, 6, NULL, NULL, 0, 0};
    table_add(&t, false, xstrdup("แผนการใช้จ่าย (บาท)"), rc_money(s->q[0]), rc_money(s->q[1]),
              rc_money(s->q[2]), rc_money(s->q[3]), rc_money(s->cum[3]));
    table_add(&t, false, xstrdup("สะสม (บาท)"), rc_money(s->cum[0]), rc_money(s->cum[1]),
              rc_money(s->cum[2]), rc_money(s->cum[3]), NULL);
    table_add(&t, false, xstrdup("ร้อยละสะสมของงบประมาณ"), percent(s->cum_bp[0]),
              percent(s->cum_bp[1]), percent(s->cum_bp[2]), percent(s->cum_bp[3]), NULL);
    draw_table(cv, &t);
    table_free(&t);
}

/* Label of a row of the chart by issue or by unit. Returns heap memory. */
static char *row_label(const summary_row *r, bool by_issue)
{
    if (by_issue && atoi(r->key) > 0)
        return xasprintf("ประเด็นที่ %s", r->key);
    return xstrdup(r->title);
}

/* Horizontal bars, one per row, stacked by quarter; the budget at the end. */
static void chart_rows(canvas *cv, const summary *s, const summary_row *rows, size_t n,
                       bool by_issue, const char *title)
{
    const double label_w = by_issue ? 90 : 200, x0 = MARGIN + label_w + 8;
    const double x1 = PAGE_W - MARGIN - 130, bar_h = 12;
    double *rh = xcalloc(n ? n : 1, sizeof *rh), total_h = 0, y;
    int64_t max = 0, step;
    int steps;

    for (size_t i = 0; i < n; i++) {
        char *l = row_label(&rows[i], by_issue);
        double th = text_h(cv, l, TEXT_PT, false, label_w);
        rh[i] = th + 6 > 22 ? th + 6 : 22;
        total_h += rh[i];
        if (rows[i].budget > max)
            max = rows[i].budget;
        {
            /* the bar is the quarters' sum (summary_compute checked it fits) */
            int64_t sum = rows[i].q[0] + rows[i].q[1] + rows[i].q[2] + rows[i].q[3];
            if (sum > max)
                max = sum;
        }
        free(l);
    }
    nice_axis(max, &step, &steps);
    section_title(cv, title, 30 + total_h + 60);
    y = cv->y + 4;
    cv_text(cv, x1 + 8, y - 2, "งบประมาณ (บาท)", SMALL_PT, true, AL_LEFT, 0, GREY);
    for (int i = 0; i <= steps; i++) {
        double x = x0 + (x1 - x0) * i / steps;
        char *l = rc_money(step * i);
        cv_line(cv, x, y + 12, x, y + 12 + total_h, i ? GRID : RULE, i ? 0.5 : 0.8);
        cv_text(cv, x, y + 14 + total_h, l, SMALL_PT, false, AL_CENTER, 0, GREY);
        free(l);
    }
    y += 12;
    for (size_t i = 0; i < n; i++) {
        char *l = row_label(&rows[i], by_issue);
        char *b = rc_money(rows[i].budget), *pc = percent(share_bp(rows[i].budget, s->budget));
        char *v = xasprintf("%s (%s)", b, pc);
        double bx = x0, by = y + (rh[i] - bar_h) / 2;
        double lh = text_h(cv, l, TEXT_PT, false, label_w);
        cv_text(cv, MARGIN, y + (rh[i] - lh) / 2, l, TEXT_PT, false, AL_RIGHT, label_w, BLACK);
        for (int q = 0; q < 4; q++) {
            double w = (x1 - x0) * (double)rows[i].q[q] / (double)(step * steps);
            cv_rect(cv, bx, by, w, bar_h, QCOL[q]);
            bx += w;
        }
        cv_text(cv, bx + 4, by - 1, v, SMALL_PT, true, AL_LEFT, 0, BLACK);
        y += rh[i];
        free(l);
        free(b);
        free(pc);
        free(v);
    }
    cv->y = y + 30;
    legend(cv, x0, cv->y, false);
    cv->y += 22;
    free(rh);
}

static void table_rows(canvas *cv, const summary *s, const summary_row *rows, size_t n,
                       bool by_issue)
{
    static const column issue_cols[] = {
        {"ที่", 30, AL_CENTER},         {"ประเด็นยุทธศาสตร์", 262, AL_LEFT},
        {"โครงการ", 44, AL_RIGHT},      {"งบประมาณ (บาท)", 80, AL_RIGHT},
        {"ไตรมาส 1", 70, AL_RIGHT},     {"ไตรมาส 2", 70, AL_RIGHT},
        {"ไตรมาส 3", 70, AL_RIGHT},     {"ไตรมาส 4", 70, AL_RIGHT},
        {"ร้อยละของงบประมาณ", 73.89, AL_RIGHT}};
    static const column unit_cols[] = {
        {"ที่", 30, AL_CENTER},         {"ผู้รับผิดชอบ", 262, AL_LEFT},
        {"โครงการ", 44, AL_RIGHT},      {"งบประมาณ (บาท)", 80, AL_RIGHT},
        {"ไตรมาส 1", 70, AL_RIGHT},     {"ไตรมาส 2", 70, AL_RIGHT},
        {"ไตรมาส 3", 70, AL_RIGHT},     {"ไตรมาส 4", 70, AL_RIGHT},
        {"ร้อยละของงบประมาณ", 73.89, AL_RIGHT}};
    table t = {by_issue ? issue_cols : unit_cols, 9, NULL, NULL, 0, 0};
    int nproj = 0;
    for (size_t i = 0; i < n; i++) {
        const summary_row *r = &rows[i];
        char *no = by_issue ? xstrdup(atoi(r->key) > 0 ? r->key : "-") : xasprintf("%zu", i + 1);
        char *name = *r->title ? xstrdup(r->title)
                               : xasprintf("%s %s", by_issue ? "ประเด็นยุทธศาสตร์ที่" : "",
                                           r->key);
        table_add(&t, false, no, name, xasprintf("%d", r->nprojects),
                  rc_money(r->budget), rc_money(r->q[0]), rc_money(r->q[1]), rc_money(r->q[2]),
                  rc_money(r->q[3]), percent(share_bp(r->budget, s->budget)));
        nproj += r->nprojects;
    }
    table_add(&t, true, xstrdup(""), xstrdup("รวม"), xasprintf("%d", nproj), rc_money(s->budget),
              rc_money(s->q[0]), rc_money(s->q[1]), rc_money(s->q[2]), rc_money(s->q[3]),
              percent(share_bp(s->budget, s->budget)));
    draw_table(cv, &t);
    table_free(&t);
}

/* "แผน… พ.ศ. 2568 ของ… (ฉบับ…)" with Arabic digits. Returns heap memory. */
static char *plan_line(const plan_doc *p)
{
    buf b;
    buf_init(&b, 0);
    buf_adds(&b, p->title && *p->title ? p->title : "แผนการใช้จ่ายงบประมาณ");
    if (p->fiscal_year)
        buf_printf(&b, " พ.ศ. %d", p->fiscal_year);
    if (p->agency && *p->agency)
        buf_printf(&b, " ของ%s", p->agency);
    if (p->version_label && *p->version_label)
        buf_printf(&b, " (%s)", p->version_label);
    else if (p->revision > 0)
        buf_printf(&b, " (ฉบับปรับปรุง ครั้งที่ %d)", p->revision);
    return buf_detach(&b);
}

static void title_block(canvas *cv, const plan_doc *p, const summary *s)
{
    char *line = plan_line(p), *b = rc_money(s->budget);
    char *facts = xasprintf("งบประมาณรวม %s บาท  ·  %d โครงการ (ไม่ใช้งบประมาณ %d โครงการ)", b,
                            s->nprojects, s->nno_budget);
    cv->y += cv_text(cv, MARGIN, cv->y, "สรุปแผนการใช้จ่ายงบประมาณ", TITLE_PT, true, AL_CENTER,
                     CONTENT_W, BLACK);
    cv->y += cv_text(cv, MARGIN, cv->y, line, TEXT_PT, false, AL_CENTER, CONTENT_W, BLACK);
    cv->y += cv_text(cv, MARGIN, cv->y, facts, TEXT_PT, true, AL_CENTER, CONTENT_W, BLACK) + 8;
    free(line);
    free(b);
    free(facts);
}

/* The whole report on cv. */
static void draw_report(canvas *cv, const plan_doc *p, const summary *s)
{
    cv->y = TOP_Y;
    title_block(cv, p, s);
    if (s->overflow) {
        cv_text(cv, MARGIN, cv->y,
                "ผลรวมของจำนวนเงินเกินขอบเขตที่คำนวณได้ จึงไม่แสดงแผนภูมิ / the sums overflow; "
                "no charts",
                TEXT_PT, true, AL_LEFT, CONTENT_W, CUM);
        cv->y += 30;
        return;
    }
    chart_quarters(cv, p, s);
    table_quarters(cv, s);
    cv->y += 16;
    page_break(cv);
    chart_rows(cv, s, s->by_issue, s->nissue, true, "งบประมาณตามประเด็นยุทธศาสตร์ (แยกไตรมาส)");
    table_rows(cv, s, s->by_issue, s->nissue, true);
    cv->y += 16;
    page_break(cv);
    chart_rows(cv, s, s->by_unit, s->nunit, false, "งบประมาณตามผู้รับผิดชอบ (แยกไตรมาส)");
    table_rows(cv, s, s->by_unit, s->nunit, false);
    cv->y += 16;
}

int render_summary_pdf(const plan_doc *p, const summary *s, const char *path, char *err,
                       size_t errlen)
{
    buf out;
    cairo_surface_t *surf;
    canvas cv = {0};
    char *title;
    int rc;

    if (render_font_check(err, errlen) < 0)
        return -1;
    buf_init(&out, 0);
    surf = cairo_pdf_surface_create_for_stream(rc_write_buf, &out, PAGE_W, PAGE_H);
    title = plan_line(p);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "phaen");
    free(title);
    cv.cr = cairo_create(surf);
    cv.pc = rc_context(cv.cr);
    cv.page = 1;
    draw_report(&cv, p, s);
    cairo_show_page(cv.cr);
    g_object_unref(cv.pc);
    rc = rc_pdf_finish(cv.cr, surf, &out, path, err, errlen);
    buf_free(&out);
    return rc;
}

char *render_summary_svg(const plan_doc *p, const summary *s)
{
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(surf);
    buf body, out;
    canvas cv = {0};
    char *title = plan_line(p);

    buf_init(&body, 0);
    cv.svg = &body;
    cv.pc = rc_context(cr);
    cv.page = 1;
    draw_report(&cv, p, s);

    buf_init(&out, 0);
    buf_printf(&out,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
               "viewBox=\"0 0 %.2f %.2f\" width=\"%.2f\" height=\"%.2f\" "
               "font-family=\"%s\" role=\"img\">\n<title>สรุปแผนการใช้จ่ายงบประมาณ: ",
               PAGE_W, cv.y + MARGIN, PAGE_W, cv.y + MARGIN, SVG_FONT);
    svg_esc(&out, title);
    buf_printf(&out, "</title>\n<rect x=\"0\" y=\"0\" width=\"%.2f\" height=\"%.2f\" "
                     "fill=\"#FFFFFF\"/>\n",
               PAGE_W, cv.y + MARGIN);
    buf_add(&out, body.s, body.len);
    buf_adds(&out, "</svg>\n");

    buf_free(&body);
    free(title);
    g_object_unref(cv.pc);
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
    return buf_detach(&out);
}
