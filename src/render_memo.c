/*
** render_memo.c — the memo (บันทึกข้อความ) as a PDF in the official
** layout of the correspondence regulation and the typing guide: A4
** portrait; the Garuda emblem's place (1.5 cm high, top left) left empty
** for the office's own; "บันทึกข้อความ" centred, 29 pt bold; the labels
** ส่วนราชการ / ที่ / วันที่ / เรื่อง in 20 pt bold, each followed by its
** text on a dotted line; เรียน; the body in 16 pt (TH Sarabun points, i.e.
** Laksaman at 1/1.503 of them: see render_common.h) with margins of 3 cm
** (left) and 2 cm (right), paragraphs indented 2.5 cm on the first line
** and continued at the left margin, 6 pt before each part; signature
** blocks in the right half; continuation pages numbered "- ๒ -" at the
** top. Lines are broken by Pango, which breaks Thai with libthai.
**
** The text comes from memo_template.c (memo_expand): this file only draws.
*/
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "memo_template.h"
#include "render_common.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define LEFT (3.0 * RC_CM)
#define RIGHT (PAGE_W - 2.0 * RC_CM)
#define TEXT_W (RIGHT - LEFT)
#define TOP (1.5 * RC_CM)
#define BOTTOM (PAGE_H - 2.0 * RC_CM)
#define EMBLEM_H (1.5 * RC_CM)
#define INDENT (2.5 * RC_CM)
#define SUB_INDENT (3.5 * RC_CM)
/* TH Sarabun sizes of the regulation, drawn in Laksaman (render_common.h) */
#define TITLE_PT RC_SARABUN_PT(29.0)
#define LABEL_PT RC_SARABUN_PT(20.0)
#define BODY_PT RC_SARABUN_PT(16.0)
#define PART_GAP 6.0
#define SIGN_LINES 3 /* blank lines left for a signature */
#define FIT_MAX 1.10  /* a header line up to 10% too long is set smaller */

typedef struct mpdf {
    cairo_t *cr;
    PangoContext *pc;
    double y;     /* top of the next line */
    double line_h; /* height of one body line */
    int page;
} mpdf;

/* ---- drawing ------------------------------------------------------------------------------- */

static void show_at(mpdf *d, PangoLayout *l, double x, double y)
{
    rc_show_layout(d->cr, l, x, y);
}

/* A dotted line (round dots 2.5 pt apart) from x0 to x1 at y. */
static void dots(mpdf *d, double x0, double x1, double y)
{
    static const double pattern[] = {0.0, 2.5};
    if (x1 <= x0)
        return;
    cairo_save(d->cr);
    cairo_set_line_width(d->cr, 0.8);
    cairo_set_line_cap(d->cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_dash(d->cr, pattern, 2, 0);
    cairo_move_to(d->cr, x0, y);
    cairo_line_to(d->cr, x1, y);
    cairo_stroke(d->cr);
    cairo_restore(d->cr);
}

/* Start a continuation page: "- ๒ -" centred at the top. */
static void new_page(mpdf *d)
{
    char *a, *t;
    PangoLayout *l;
    cairo_show_page(d->cr);
    d->page++;
    a = xasprintf("- %d -", d->page);
    t = thai_digits_from_ascii(a);
    l = rc_layout(d->pc, t, BODY_PT, false, 0);
    show_at(d, l, (PAGE_W - rc_width(l)) / 2, TOP);
    d->y = TOP + rc_height(l) + d->line_h;
    g_object_unref(l);
    free(t);
    free(a);
}

/*
** Draw layout l line by line at x, its first line's top at `origin` (page
** y), breaking to a new page between lines when one does not fit. When
** dots_x1 > dots_x0, a dotted line is drawn under each line from dots_x0
** to dots_x1. Leaves d->y under the last line.
*/
static void draw_lines(mpdf *d, PangoLayout *l, double x, double origin, double dots_x0,
                       double dots_x1)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double bottom = origin;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle lr;
        double top, h, base;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        top = (double)lr.y / PANGO_SCALE;
        h = (double)lr.height / PANGO_SCALE;
        base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        if (origin + top + h > BOTTOM) { /* a line never outgrows a page */
            new_page(d);
            origin = d->y - top;
        }
        rc_show_line(d->cr, line, x + (double)lr.x / PANGO_SCALE, origin + base);
        if (dots_x1 > dots_x0)
            dots(d, dots_x0, dots_x1, origin + base + BODY_PT * 0.28);
        bottom = origin + top + h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    d->y = bottom;
}

/* Make sure `h` points fit below d->y, else start a new page. */
static void need(mpdf *d, double h)
{
    if (d->y + h > BOTTOM)
        new_page(d);
}

/*
** A header field: `label` in 20 pt bold at x, then `text` in 16 pt on a
** dotted line that runs to xr, wrapped under itself; both share the first
** baseline. `top` is the row's top; returns the row's bottom.
*/
static double draw_field(mpdf *d, const char *label, const char *text, double x, double xr,
                         double top)
{
    PangoLayout *ll = rc_layout(d->pc, label, LABEL_PT, true, 0);
    double lw = rc_width(ll), gap = 4.0, tx = x + lw + gap;
    PangoLayout *tl = rc_layout(d->pc, text ? text : "", BODY_PT, false, 0);
    double w = rc_width(tl), pt = BODY_PT, lb, tb, base, label_bottom;
    /* A line a little too long is set a little smaller, as typists do,
    ** rather than leave a word alone on a second line. */
    if (w > xr - tx && w <= (xr - tx) * FIT_MAX)
        pt = BODY_PT * (xr - tx) / w * 0.995;
    g_object_unref(tl);
    tl = rc_layout(d->pc, text ? text : "", pt, false, xr - tx);
    lb = rc_baseline(ll);
    tb = rc_baseline(tl);
    base = top + (lb > tb ? lb : tb);
    label_bottom = base - lb + rc_height(ll);
    show_at(d, ll, x, base - lb);
    d->y = top;
    draw_lines(d, tl, tx, base - tb, x + lw + 1.5, xr);
    g_object_unref(ll);
    g_object_unref(tl);
    return d->y > label_bottom ? d->y : label_bottom;
}

static void draw_head(mpdf *d, const memo_doc *m)
{
    PangoLayout *l = rc_layout(d->pc, "บันทึกข้อความ", TITLE_PT, true, 0);
    double mid = LEFT + TEXT_W / 2, y, y2;

    /* The emblem's place: TOP .. TOP + EMBLEM_H at the left margin, left
    ** empty. The title's baseline sits on the emblem's foot. */
    show_at(d, l, LEFT + (TEXT_W - rc_width(l)) / 2, TOP + EMBLEM_H - rc_baseline(l));
    y = TOP + EMBLEM_H - rc_baseline(l) + rc_height(l);
    g_object_unref(l);

    y = draw_field(d, "ส่วนราชการ", m->from, LEFT, RIGHT, y);
    y2 = draw_field(d, "ที่", m->doc_no, LEFT, mid - 6.0, y);
    y = draw_field(d, "วันที่", m->date, mid, RIGHT, y);
    if (y2 > y)
        y = y2;
    y = draw_field(d, "เรื่อง", m->subject, LEFT, RIGHT, y + PART_GAP);
    d->y = y + PART_GAP;
    {
        char *t = xasprintf("เรียน  %s", m->to ? m->to : "");
        PangoLayout *tl = rc_layout(d->pc, t, BODY_PT, false, TEXT_W);
        draw_lines(d, tl, LEFT, d->y, 0, 0);
        g_object_unref(tl);
        free(t);
    }
}

/* A paragraph or item: first line indented by `indent`, the rest at the
** left margin. */
static void draw_para(mpdf *d, const char *text, double indent)
{
    PangoLayout *l = rc_layout(d->pc, text, BODY_PT, false, TEXT_W);
    pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
    draw_lines(d, l, LEFT, d->y, 0, 0);
    g_object_unref(l);
}

/* One signature block: "(name)", then each line of the position. */
typedef struct signblock {
    PangoLayout *lines[8];
    size_t n;
    double w, h; /* widest line; height of the lines */
} signblock;

static void sig_make(mpdf *d, const signature *s, signblock *b)
{
    char *name = xasprintf("(%s)", s->name);
    memset(b, 0, sizeof *b);
    b->lines[b->n++] = rc_layout(d->pc, name, BODY_PT, false, 0);
    free(name);
    for (const char *p = s->position ? s->position : ""; *p && b->n < ARRAY_LEN(b->lines);) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *piece = xstrndup(p, len);
        b->lines[b->n++] = rc_layout(d->pc, piece, BODY_PT, false, 0);
        free(piece);
        p += len + (nl != NULL);
    }
    for (size_t i = 0; i < b->n; i++) {
        if (rc_width(b->lines[i]) > b->w)
            b->w = rc_width(b->lines[i]);
        b->h += rc_height(b->lines[i]);
    }
}

/* Draw block b's lines centred on cx from y down; frees them. */
static void sig_draw(mpdf *d, signblock *b, double cx, double y)
{
    for (size_t i = 0; i < b->n; i++) {
        show_at(d, b->lines[i], cx - rc_width(b->lines[i]) / 2, y);
        y += rc_height(b->lines[i]);
        g_object_unref(b->lines[i]);
    }
    b->n = 0;
}

/* Centre of a block of width w in the left (side 0) or right (side 1)
** half of the text, kept inside that half when it can be. */
static double sig_centre(int side, double w)
{
    double half = TEXT_W / 2, x0 = LEFT + side * half, cx = x0 + half / 2;
    if (cx - w / 2 < x0)
        cx = x0 + w / 2;
    if (cx + w / 2 > x0 + half)
        cx = x0 + half - w / 2;
    if (cx + w / 2 > RIGHT)
        cx = RIGHT - w / 2;
    return cx;
}

/* Height of all the signature blocks of e, as draw_signers places them. */
static double sig_total_h(mpdf *d, const memo_doc *m, const memo_el *e)
{
    double hs[SIGN__MAX], total = 0;
    int nb = 0;
    for (int k = 0; k < e->nroles; k++) {
        const signature *s = &m->signers[e->roles[k]];
        signblock b;
        if (!s->name)
            continue;
        sig_make(d, s, &b);
        hs[nb++] = b.h;
        for (size_t i = 0; i < b.n; i++)
            g_object_unref(b.lines[i]);
    }
    for (int i = 0; i < nb;) {
        int pair = i > 0 && i + 1 < nb;
        total += SIGN_LINES * d->line_h + (pair && hs[i + 1] > hs[i] ? hs[i + 1] : hs[i]);
        i += pair ? 2 : 1;
    }
    return total;
}

/*
** The signature blocks: blank lines for the signature, "(name)", the
** position, centred on each other. The first (the writer of the memo) in
** the right half; the others, who endorse and decide, two to a row: the
** checker on the left, the head of the agency on the right.
*/
static void draw_signers(mpdf *d, const memo_doc *m, const memo_el *e)
{
    signblock b[SIGN__MAX];
    int nb = 0;
    for (int k = 0; k < e->nroles; k++)
        if (m->signers[e->roles[k]].name)
            sig_make(d, &m->signers[e->roles[k]], &b[nb++]);
    for (int i = 0; i < nb;) {
        int pair = i > 0 && i + 1 < nb;
        double h = b[i].h, top;
        if (pair && b[i + 1].h > h)
            h = b[i + 1].h;
        need(d, SIGN_LINES * d->line_h + h);
        top = d->y + SIGN_LINES * d->line_h;
        if (pair) {
            sig_draw(d, &b[i], sig_centre(0, b[i].w), top);
            sig_draw(d, &b[i + 1], sig_centre(1, b[i + 1].w), top);
        } else {
            sig_draw(d, &b[i], sig_centre(1, b[i].w), top);
        }
        d->y = top + h;
        i += pair ? 2 : 1;
    }
}

/* Height of element e drawn as a paragraph (headings and signers: 0). */
static double para_h(mpdf *d, const memo_el *e)
{
    PangoLayout *l;
    double h;
    char *t;
    if (e->kind != MEMO_PARA && e->kind != MEMO_ITEM)
        return 0;
    t = xasprintf("%s%s", e->kind == MEMO_ITEM ? "- " : "", e->text);
    l = rc_layout(d->pc, t, BODY_PT, false, TEXT_W);
    pango_layout_set_indent(l, (int)(INDENT * PANGO_SCALE));
    h = rc_height(l);
    g_object_unref(l);
    free(t);
    return h;
}

static void draw_body(mpdf *d, const memo_doc *m)
{
    for (size_t i = 0; i < m->nels; i++) {
        const memo_el *e = &m->els[i];
        /* Signatures never stand alone on a page: the paragraph before
        ** them goes over with them when they do not all fit. */
        if (i + 1 < m->nels && m->els[i + 1].kind == MEMO_SIGNERS) {
            double h = para_h(d, e) + sig_total_h(d, m, &m->els[i + 1]);
            if (h > 0 && h < BOTTOM - TOP - 3 * d->line_h)
                need(d, h);
        }
        switch (e->kind) {
        case MEMO_HEADING: {
            PangoLayout *l = rc_layout(d->pc, e->text, BODY_PT, true, TEXT_W - INDENT);
            d->y += PART_GAP;
            /* keep a heading with the first line under it */
            need(d, rc_height(l) + d->line_h);
            draw_lines(d, l, LEFT + INDENT, d->y, 0, 0);
            g_object_unref(l);
            break;
        }
        case MEMO_PARA:
            draw_para(d, e->text, INDENT);
            break;
        case MEMO_ITEM: {
            char *t = xasprintf("- %s", e->text);
            draw_para(d, t, e->level > 1 ? SUB_INDENT : INDENT);
            free(t);
            break;
        }
        case MEMO_SIGNERS:
            draw_signers(d, m, e);
            break;
        }
    }
}

int render_memo_pdf(const plan_doc *p, const char *template_text, const char *path, char *err,
                    size_t errlen)
{
    memo_doc m;
    buf out;
    cairo_surface_t *s;
    mpdf d = {0};
    int rc;

    if (render_font_check(err, errlen) < 0)
        return -1;
    if (memo_expand(p, template_text, &m, err, errlen) < 0)
        return -1;
    buf_init(&out, 0);
    s = cairo_pdf_surface_create_for_stream(rc_write_buf, &out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                   m.subject && *m.subject ? m.subject : "บันทึกข้อความ");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "phaen");
    d.cr = cairo_create(s);
    d.pc = rc_context(d.cr);
    d.page = 1;
    {
        PangoLayout *l = rc_layout(d.pc, "ก", BODY_PT, false, 0);
        d.line_h = rc_height(l);
        g_object_unref(l);
    }
    cairo_set_source_rgb(d.cr, 0, 0, 0);
    draw_head(&d, &m);
    draw_body(&d, &m);
    cairo_show_page(d.cr);
    g_object_unref(d.pc);
    rc = rc_pdf_finish(d.cr, s, &out, path, err, errlen);
    buf_free(&out);
    memo_doc_free(&m);
    return rc;
}
