/*
** render_common.h — small helpers shared by the renderers (render_plan.c,
** render_memo.c, render_chart.c, render_diff.c) (static inline, so each includer gets its own copy and no
** new object file is needed): one Pango context per document with
** unhinted metrics (the same line breaks on a PDF and on a measuring
** image surface), fonts at absolute sizes (1 unit = 1 pt), and a PDF
** written to memory first so that a file is written whole or not at all.
*/
#ifndef PHAEN_RENDER_COMMON_H
#define PHAEN_RENDER_COMMON_H

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "thai.h"
#include "util.h"

#define RC_CM (72.0 / 2.54) /* points per centimetre */

/*
** The regulation's sizes are TH Sarabun sizes. Laksaman is TH Sarabun New
** with every glyph enlarged 1.503 times (TLWG sized its fonts to match
** Latin ones; measured: the advance widths of ก ร ข อ า เ 0 a m and the
** space are all 1.503 times TH Sarabun New's), so "16 pt TH Sarabun" is
** 10.65 pt of Laksaman: the same line length, line height and look.
*/
#define RC_SARABUN_SCALE 1.503
#define RC_SARABUN_PT(pt) ((pt) / RC_SARABUN_SCALE)

/* A Pango context for cr: unhinted metrics, unrounded positions, Thai. */
static inline PangoContext *rc_context(cairo_t *cr)
{
    PangoContext *pc = pango_cairo_create_context(cr);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(pc, 72.0);
    /* Pango rounds glyph positions to whole units (points here) unless told
    ** not to: at 10 pt that spaces letters unevenly and breaks lines early. */
    pango_context_set_round_glyph_positions(pc, FALSE);
    pango_context_set_language(pc, pango_language_from_string("th"));
    return pc;
}

/* RENDER_FONT at `pt` points (free with pango_font_description_free). */
static inline PangoFontDescription *rc_font(double pt, bool bold)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, RENDER_FONT);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    return fd;
}

/* Length of the digit (ASCII or Thai) at s, 0 when there is none. */
static inline size_t rc_digit_len(const char *s)
{
    if (*s >= '0' && *s <= '9')
        return 1;
    if ((unsigned char)s[0] == 0xE0 && (unsigned char)s[1] == 0xB9 &&
        (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99)
        return 3; /* U+0E50..U+0E59 */
    return 0;
}

/* A number stays on the line of the word before it ("พ.ศ. ๒๕๖๘",
** "ครั้งที่ ๑", "ต่อ ๙๐๐"): no line break at a space followed by digits,
** nor inside the number ("๑,๒๓๔.๕๐", "๐๒๑๐๗/๑๒๓"). */
static inline void rc_keep_numbers(PangoLayout *l, const char *text)
{
    /* words that name the number after them, kept with it too */
    static const char *const counters[] = {"ครั้งที่", "ฉบับที่", "ลำดับที่", "ข้อ", "หน้า"};
    PangoAttrList *attrs = NULL;
    for (const char *p = text; *p; p++) {
        const char *q, *from = p;
        PangoAttribute *a;
        if (*p != ' ' || !rc_digit_len(p + 1))
            continue;
        for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
            size_t n = strlen(counters[i]);
            if ((size_t)(p - text) >= n && memcmp(p - n, counters[i], n) == 0)
                from = p - n;
        }
        q = p + 1;
        for (;;) {
            size_t n = rc_digit_len(q);
            if (n)
                q += n;
            else if ((*q == ',' || *q == '.' || *q == '/') && rc_digit_len(q + 1))
                q++;
            else
                break;
        }
        if (!attrs)
            attrs = pango_attr_list_new();
        a = pango_attr_allow_breaks_new(FALSE);
        a->start_index = (guint)(from - text);
        a->end_index = (guint)(q - text);
        pango_attr_list_insert(attrs, a);
        p = q - 1;
    }
    if (attrs) {
        pango_layout_set_attributes(l, attrs);
        pango_attr_list_unref(attrs);
    }
}

/* A layout of plain text, wrapped at Thai word boundaries (libthai through
** Pango) when width > 0; numbers kept with the word before them. */
static inline PangoLayout *rc_layout(PangoContext *pc, const char *text, double pt, bool bold,
                                     double width)
{
    PangoLayout *l = pango_layout_new(pc);
    PangoFontDescription *fd = rc_font(pt, bold);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text ? text : "", -1);
    if (width > 0 && text)
        rc_keep_numbers(l, text);
    return l;
}

/* A layout `width` points wide, wrapped at Thai word boundaries, of Pango
** markup (rc_layout_markup) or of plain text with numbers kept with the
** word before them (rc_layout_text). */
static inline PangoLayout *rc_layout_markup(PangoContext *pc, const char *markup, double width,
                                            const PangoFontDescription *font,
                                            PangoAlignment align)
{
    PangoLayout *l = pango_layout_new(pc);
    pango_layout_set_font_description(l, font);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_markup(l, markup, -1);
    return l;
}

static inline PangoLayout *rc_layout_text(PangoContext *pc, const char *text, double width,
                                          const PangoFontDescription *font, PangoAlignment align)
{
    PangoLayout *l = pango_layout_new(pc);
    pango_layout_set_font_description(l, font);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, text ? text : "", -1);
    if (text)
        rc_keep_numbers(l, text);
    return l;
}

/* Append s escaped for Pango markup. */
static inline void rc_markup_append(buf *b, const char *s)
{
    char *e = g_markup_escape_text(s ? s : "", -1);
    buf_adds(b, e);
    g_free(e);
}

/* "86,400" (Arabic digits, as plan tables are written). Heap memory. */
static inline char *rc_money(int64_t satang)
{
    buf b;
    buf_init(&b, 0);
    money_format(&b, satang, false);
    return buf_detach(&b);
}

/* n in Thai digits ("๑๒"). Heap memory. */
static inline char *rc_thai_number(int n)
{
    char a[16];
    snprintf(a, sizeof a, "%d", n);
    return thai_digits_from_ascii(a);
}

static inline void rc_line(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

static inline double rc_width(PangoLayout *l)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    return (double)r.width / PANGO_SCALE;
}

static inline double rc_height(PangoLayout *l)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    return (double)r.height / PANGO_SCALE;
}

static inline double rc_baseline(PangoLayout *l)
{
    return (double)pango_layout_get_baseline(l) / PANGO_SCALE;
}

/*
** Draw one laid-out line with its left end of the baseline at (x, y),
** telling cairo which text each group of glyphs stands for. Pango hands
** cairo one cluster per character, and a Thai mark (วรรณยุกต์, สระบน/ล่าง)
** has no advance and sits on, or a little beside, the start of the next
** letter; text extraction by position (pdftotext -layout, search, copy)
** then puts the mark after that letter ("ครัง้" for "ครั้ง") or sees a
** space after a mark shifted left ("ปี งบ"). So glyphs are grouped: a
** group ends only where a plain glyph (an advance, no offset) follows
** another plain glyph; a letter with its marks and the letter after them
** travel together. A group of several glyphs becomes an /ActualText span,
** which readers take whole. Right-to-left runs and unusual cluster maps
** are drawn by Pango as usual.
*/
static inline bool plain(const PangoGlyphInfo *g)
{
    return g->geometry.width > 0 && g->geometry.x_offset == 0 && g->geometry.y_offset == 0;
}

static inline void rc_show_line(cairo_t *cr, PangoLayoutLine *line, double x, double y)
{
    const char *text = pango_layout_get_text(line->layout);
    double cx = x;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        PangoGlyphString *gs = run->glyphs;
        const PangoItem *it = run->item;
        cairo_glyph_t *glyphs;
        cairo_text_cluster_t *cl;
        int ng = gs->num_glyphs, ncl = 0, ok = 1, run_w = 0;

        for (int i = 0; i < ng; i++) {
            run_w += gs->glyphs[i].geometry.width;
            if (i && gs->log_clusters[i] < gs->log_clusters[i - 1])
                ok = 0; /* not in logical order */
            if (gs->glyphs[i].glyph != PANGO_GLYPH_EMPTY &&
                (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                ok = 0; /* hex boxes for missing glyphs: Pango's business */
        }
        if (!ok || ng == 0 || (it->analysis.level & 1) || gs->log_clusters[0] != 0) {
            cairo_move_to(cr, cx, y);
            pango_cairo_show_glyph_item(cr, text, run);
            cx += (double)run_w / PANGO_SCALE;
            continue;
        }
        glyphs = xcalloc((size_t)ng, sizeof *glyphs);
        cl = xcalloc((size_t)ng, sizeof *cl);
        {
            /* pos: pen position (Pango units); start: the group's first glyph;
            ** n: glyphs drawn; n_start: glyphs drawn before the group */
            int pos = 0, start = 0, n = 0, n_start = 0;
            for (int i = 0; i < ng; i++) {
                const PangoGlyphInfo *g = &gs->glyphs[i];
                const PangoGlyphInfo *prev = i > 0 ? &gs->glyphs[i - 1] : NULL;
                bool empty = g->glyph == PANGO_GLYPH_EMPTY;
                if (prev && !empty && plain(g) && prev->glyph != PANGO_GLYPH_EMPTY &&
                    plain(prev) && g->attr.is_cluster_start &&
                    gs->log_clusters[i] != gs->log_clusters[start]) {
                    cl[ncl].num_glyphs = n - n_start;
                    cl[ncl].num_bytes = gs->log_clusters[i] - gs->log_clusters[start];
                    ncl++;
                    start = i;
                    n_start = n;
                }
                if (!empty) { /* an empty glyph (a space at the line's end) draws nothing */
                    glyphs[n].index = g->glyph;
                    glyphs[n].x = cx + (double)(pos + g->geometry.x_offset) / PANGO_SCALE;
                    glyphs[n].y = y + (double)g->geometry.y_offset / PANGO_SCALE;
                    n++;
                }
                pos += g->geometry.width;
            }
            cl[ncl].num_glyphs = n - n_start;
            cl[ncl].num_bytes = it->length - gs->log_clusters[start];
            ncl++;
            cairo_set_scaled_font(
                cr, pango_cairo_font_get_scaled_font((PangoCairoFont *)it->analysis.font));
            cairo_show_text_glyphs(cr, text + it->offset, it->length, glyphs, n, cl, ncl,
                                   (cairo_text_cluster_flags_t)0);
            cx += (double)pos / PANGO_SCALE;
        }
        free(glyphs);
        free(cl);
    }
}

/* Draw a whole layout with its top left at (x, y), line by line with
** rc_show_line. */
static inline void rc_show_layout(cairo_t *cr, PangoLayout *l, double x, double y)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        rc_show_line(cr, pango_layout_iter_get_line_readonly(it),
                     x + (double)lr.x / PANGO_SCALE,
                     y + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* "- ๓ -" centred in [x, x + width] at y: the page number at a page's foot. */
static inline void rc_page_number(cairo_t *cr, PangoContext *pc, int page,
                                  const PangoFontDescription *font, double x, double width,
                                  double y)
{
    char *n = rc_thai_number(page);
    char *m = xasprintf("- %s -", n);
    PangoLayout *l = rc_layout_text(pc, m, width, font, PANGO_ALIGN_CENTER);
    rc_show_layout(cr, l, x, y);
    g_object_unref(l);
    free(m);
    free(n);
}

/* cairo_write_func_t appending to a buf. */
static inline cairo_status_t rc_write_buf(void *closure, const unsigned char *data,
                                          unsigned int len)
{
    buf *b = closure;
    buf_add(b, (const char *)data, len);
    return b->overflow ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Finish the PDF drawn with cr on surface s (which writes into out) and
** write out to path. Destroys cr and s. 0, or -1 with err. */
static inline int rc_pdf_finish(cairo_t *cr, cairo_surface_t *s, buf *out, const char *path,
                                char *err, size_t errlen)
{
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "สร้าง PDF ไม่ได้: %s / cannot make the PDF: %s",
                 cairo_status_to_string(st), cairo_status_to_string(st));
        return -1;
    }
    return file_write(path, out->s, out->len, err, errlen);
}

#endif
