/*
** xlsx_sheet.h — what both workbooks phaen writes (export_xlsx.c: the plan;
** export_diff_xlsx.c: two versions compared) write with: the document
** font, amounts as exact baht, the first libxlsxwriter error and the cell
** it happened at, and row heights.
**
** Row heights: Excel fits a row to wrapped text when it opens a file, but
** LibreOffice keeps the default height, so every row gets an explicit
** height: its cells' text laid out with Pango (which breaks Thai lines with
** libthai, as LibreOffice does) in the columns' widths. A writer notes what
** each cell of the current row needs (xsw_need) and ends the row
** (xsw_end_row).
*/
#ifndef PHAEN_XLSX_SHEET_H
#define PHAEN_XLSX_SHEET_H

#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdint.h>
#include <xlsxwriter.h>

/*
** The document font: Debian's TH Sarabun (fonts-tlwg-laksaman). Laksaman is
** TH Sarabun New with every glyph 1.503 times larger (see render_common.h),
** so the 14 pt TH Sarabun of official tables is 14 / 1.503 = 9.3 pt of it.
*/
#define XSW_FONT_NAME "Laksaman"
#define XSW_FONT_SIZE (14 / 1.503)
#define XSW_ROW_PAD 3.0      /* points above and below the text of a row */
#define XSW_MAX_ROW_PT 409.0 /* the tallest row Excel has */

typedef struct xsw {
    lxw_workbook *wb;
    lxw_error rc;       /* first libxlsxwriter error, LXW_NO_ERROR = none */
    char where[96];     /* "sheet!A1" of that error */
    PangoContext *ctx;  /* 72 dpi: 1 unit = 1 pt */
    PangoLayout *l[2];  /* the document font, regular and bold */
    double digit, line; /* width of "0" (the column width unit), line height; pt */
    const double *colw; /* the current sheet's column widths (characters) */
    size_t ncolw;
    int row_lines;      /* most lines a cell of the current row needs */
} xsw;

/* Start measuring for workbook wb; xsw_free() releases what this made. */
void xsw_init(xsw *x, lxw_workbook *wb);
void xsw_free(xsw *x);

/* Remember the first error of a write at (row, col) of sheet ws. */
void xsw_check(xsw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, lxw_error rc);

/* The amount as the number of baht Excel stores: the double nearest to the
** exact decimal "<baht>.<2-digit satang>". */
double xsw_baht(int64_t satang);

/* How many lines `text` takes in a cell `chars` characters wide. */
int xsw_lines(xsw *x, const char *text, double chars, bool bold);
/* Width of columns c0..c1 of the current sheet, in characters. */
double xsw_cols_width(const xsw *x, lxw_col_t c0, lxw_col_t c1);
/* The current row needs the lines of `text` in columns c0..c1. */
void xsw_need(xsw *x, const char *text, lxw_col_t c0, lxw_col_t c1, bool bold);
/* Give row r the height its cells need (at least one line); start anew. */
void xsw_end_row(xsw *x, lxw_worksheet *ws, lxw_row_t r);
/* Set the current sheet's column widths (characters; the array must outlive
** the sheet's writing) with format f (may be NULL), and a default row height
** of one line. */
void xsw_use_columns(xsw *x, lxw_worksheet *ws, const double *w, size_t n, lxw_format *f);

/* The document font for the workbook's default format ("Normal", xf 0),
** which empty cells and row heights follow. */
void xsw_default_font(xsw *x);
/* A new format in the document font. */
lxw_format *xsw_format(xsw *x);

/* A number; =SUM(column c, rows r0..r1) with its value `satang` (a plain
** number when the range is empty, r1 < r0). */
void xsw_put_num(xsw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f);
void xsw_put_sum(xsw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_row_t r0,
                 lxw_row_t r1, int64_t satang, lxw_format *f);

#endif
