/*
** render.h — the official documents, drawn with Cairo and typeset with
** Pango (HarfBuzz shaping, libthai line breaking) in the Laksaman font
** (fonts-tlwg-laksaman, derived from TH Sarabun), found through
** fontconfig. Renderers take a finished plan (and its summary/findings)
** and never query the store, so PDF, XLSX and HTML cannot disagree.
**
** Every function returns 0, or -1 with a one-line reason (Thai / English)
** in err; a file is written whole or not at all.
*/
#ifndef PHAEN_RENDER_H
#define PHAEN_RENDER_H

#include <stddef.h>

#include "plan.h"
#include "summary.h"

#define RENDER_FONT "Laksaman"

/* 0 when the Laksaman font is installed; else -1 and err names the Debian
** package to install (fonts-tlwg-laksaman). */
int render_font_check(char *err, size_t errlen);

/* The spending-plan table: A4 landscape, title block, two-level header on
** every page, strategic-issue bands, wrapped cells continued across pages,
** totals row with the total in Thai words, page numbers, signature blocks,
** and the findings on a last page when there are any. *npages may be NULL. */
int render_plan_pdf(const plan_doc *p, const findings *fs, const char *path, int *npages,
                    char *err, size_t errlen);

/* The memo (บันทึกข้อความ) from the plan and a template (NULL = the built-in
** one; see memo_template.h). */
int render_memo_pdf(const plan_doc *p, const char *template_text, const char *path, char *err,
                    size_t errlen);

/* The summary report: planned spending per quarter (bars) and cumulative
** share of the budget (line), per strategic issue and per unit. */
int render_summary_pdf(const plan_doc *p, const summary *s, const char *path, char *err,
                       size_t errlen);

/* The same charts as standalone SVG text (for the web). Returns heap memory. */
char *render_summary_svg(const plan_doc *p, const summary *s);

#endif
