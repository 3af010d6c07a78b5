/*
** html_plan.h — the plan table as HTML, one writer for the signed-in plan
** page and the public pages, so the two cannot drift apart. Everything a
** person typed is escaped (html_fmt's %s).
*/
#ifndef PHAEN_HTML_PLAN_H
#define PHAEN_HTML_PLAN_H

#include <stdbool.h>

#include "plan.h"
#include "summary.h"
#include "util.h"

/* Which projects to show (NULL = all). */
typedef bool (*html_plan_keep)(const project *pr, void *ctx);

/*
** The table with the document's columns and two-level header, a band row
** per strategic issue, and the plan's totals (from s) in the footer.
** link_projects makes each name a link to /project/ID. Returns how many
** projects were shown.
*/
int html_plan_table(buf *b, const plan_doc *p, const summary *s, html_plan_keep keep,
                    void *ctx, bool link_projects);

#endif
