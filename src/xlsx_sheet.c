/*
** xlsx_sheet.c — see xlsx_sheet.h.
*/
#include "xlsx_sheet.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xsw_init(xsw *x, lxw_workbook *wb)
{
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    int w, h;
    memset(x, 0, sizeof *x);
    x->wb = wb;
    x->rc = LXW_NO_ERROR;
    x->ctx = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(x->ctx, 72.0); /* 1 unit = 1 pt */
    pango_context_set_language(x->ctx, pango_language_from_string("th"));
    for (int bold = 0; bold < 2; bold++) {
        PangoFontDescription *fd = pango_font_description_new();
        pango_font_description_set_family(fd, XSW_FONT_NAME);
        pango_font_description_set_absolute_size(fd, XSW_FONT_SIZE * PANGO_SCALE);
        pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        x->l[bold] = pango_layout_new(x->ctx);
        pango_layout_set_font_description(x->l[bold], fd);
        pango_layout_set_wrap(x->l[bold], PANGO_WRAP_WORD_CHAR);
        pango_font_description_free(fd);
    }
    pango_layout_set_text(x->l[0], "0", -1);
    pango_layout_get_size(x->l[0], &w, &h);
    x->digit = w > 0 ? (double)w / PANGO_SCALE : XSW_FONT_SIZE / 2;
    x->line = h > 0 ? (double)h / PANGO_SCALE : XSW_FONT_SIZE * 1.7;
}

void xsw_free(xsw *x)
{
    for (int i = 0; i < 2; i++)
        if (x->l[i])
            g_object_unref(x->l[i]);
    if (x->ctx)
        g_object_unref(x->ctx);
    x->l[0] = x->l[1] = NULL;
    x->ctx = NULL;
}

void xsw_check(xsw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, lxw_error rc)
{
    char cell[LXW_MAX_CELL_NAME_LENGTH];
    if (rc == LXW_NO_ERROR || x->rc != LXW_NO_ERROR)
        return;
    lxw_rowcol_to_cell(cell, row, col);
    x->rc = rc;
    snprintf(x->where, sizeof x->where, "%s!%s", ws->name ? ws->name : "?", cell);
}

/* strtod rounds correctly, so a reader printing the double with 15
** significant digits sees the exact amount. */
double xsw_baht(int64_t satang)
{
    char s[48];
    uint64_t a = satang < 0 ? (uint64_t)0 - (uint64_t)satang : (uint64_t)satang;
    snprintf(s, sizeof s, "%s%" PRIu64 ".%02u", satang < 0 ? "-" : "", a / 100,
             (unsigned)(a % 100));
    return strtod(s, NULL);
}

int xsw_lines(xsw *x, const char *text, double chars, bool bold)
{
    /* a column of w characters is w + 0.71 digits wide (libxlsxwriter adds Excel's
    ** 5 pixel padding), less the cell margins; 3 % slack for other renderers */
    double width = (chars + 0.71) * x->digit * 0.97 - 3;
    size_t ncp = 0;
    if (!text || !*text)
        return 1;
    for (const char *t = text; *t; t++)
        ncp += ((unsigned char)*t & 0xC0) != 0x80;
    if (!strchr(text, '\n') && (double)ncp * x->digit * 1.8 < width)
        return 1; /* surely one line: no need to lay it out */
    pango_layout_set_width(x->l[bold], width > 1 ? (int)(width * PANGO_SCALE) : PANGO_SCALE);
    pango_layout_set_text(x->l[bold], text, -1);
    return pango_layout_get_line_count(x->l[bold]);
}

double xsw_cols_width(const xsw *x, lxw_col_t c0, lxw_col_t c1)
{
    double w = 0;
    for (lxw_col_t c = c0; c <= c1; c++)
        w += c < x->ncolw ? x->colw[c] + (c > c0 ? 0.71 : 0) : 8.43;
    return w;
}

void xsw_need(xsw *x, const char *text, lxw_col_t c0, lxw_col_t c1, bool bold)
{
    int n = x->colw && text && *text ? xsw_lines(x, text, xsw_cols_width(x, c0, c1), bold) : 1;
    if (n > x->row_lines)
        x->row_lines = n;
}

void xsw_end_row(xsw *x, lxw_worksheet *ws, lxw_row_t r)
{
    int n = x->row_lines > 0 ? x->row_lines : 1;
    double h = n * x->line + XSW_ROW_PAD;
    worksheet_set_row(ws, r, h < XSW_MAX_ROW_PT ? h : XSW_MAX_ROW_PT, NULL);
    x->row_lines = 0;
}

void xsw_use_columns(xsw *x, lxw_worksheet *ws, const double *w, size_t n, lxw_format *f)
{
    x->colw = w;
    x->ncolw = n;
    x->row_lines = 0;
    for (size_t c = 0; c < n; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w[c], f);
    worksheet_set_default_row(ws, x->line + XSW_ROW_PAD, LXW_FALSE);
}

/* libxlsxwriter 1.1 has no call for the default font; its default format is
** the first in the workbook's format list. */
void xsw_default_font(xsw *x)
{
    lxw_format *f = STAILQ_FIRST(x->wb->formats);
    if (f) {
        format_set_font_name(f, XSW_FONT_NAME);
        format_set_font_size(f, XSW_FONT_SIZE);
    }
}

lxw_format *xsw_format(xsw *x)
{
    lxw_format *f = workbook_add_format(x->wb);
    format_set_font_name(f, XSW_FONT_NAME);
    format_set_font_size(f, XSW_FONT_SIZE);
    return f;
}

void xsw_put_num(xsw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    xsw_check(x, ws, r, c, worksheet_write_number(ws, r, c, v, f));
}

void xsw_put_sum(xsw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_row_t r0,
                 lxw_row_t r1, int64_t satang, lxw_format *f)
{
    char range[LXW_MAX_CELL_RANGE_LENGTH], formula[LXW_MAX_CELL_RANGE_LENGTH + 16];
    if (r1 < r0) {
        xsw_put_num(x, ws, r, c, xsw_baht(satang), f);
        return;
    }
    lxw_rowcol_to_range(range, r0, c, r1, c);
    snprintf(formula, sizeof formula, "=SUM(%s)", range);
    xsw_check(x, ws, r, c, worksheet_write_formula_num(ws, r, c, formula, f, xsw_baht(satang)));
}
