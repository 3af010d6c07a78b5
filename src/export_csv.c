/*
** export_csv.c — the canonical CSV of a plan (one row per project).
** The layout is documented in docs/csv-format.md and read back by
** import_csv.c; the two must change together.
*/
#include "export.h"

#include <string.h>

#include "csv.h"

#define NO_BUDGET_TEXT "ไม่ใช้งบประมาณ"

const char *const export_csv_columns[] = {
    "no", "name", "strategic_issue",
    "objectives", "outputs", "outcomes", "indicators_quantitative", "indicators_qualitative",
    "budget", "q1", "q2", "q3", "q4",
    "period", "period_start", "period_end", "unit", "unit_text",
    "national_strategy", "master_plan", "subplan_target", "plan13_milestone",
    "security_policy", "government_policy", "moe_strategy",
    NULL,
};

/* One list item per line; a line break inside an item would split it on
** import, so it becomes a space. */
static void put_list(buf *b, const strlist *l)
{
    buf cell;
    buf_init(&cell, 0);
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            buf_addc(&cell, '\n');
        for (const char *s = l->v[i]; *s; s++)
            buf_addc(&cell, *s == '\n' || *s == '\r' ? ' ' : *s);
    }
    csv_put(b, cell.s ? cell.s : "");
    buf_free(&cell);
}

static void put_money(buf *b, int64_t satang, bool dash_for_zero)
{
    buf cell;
    if (dash_for_zero && satang == 0) {
        csv_put(b, "-");
        return;
    }
    buf_init(&cell, 0);
    money_format(&cell, satang, false);
    csv_put(b, cell.s ? cell.s : "");
    buf_free(&cell);
}

static void put_int(buf *b, int v, bool empty_for_zero)
{
    char s[16];
    if (empty_for_zero && v == 0)
        s[0] = 0;
    else
        snprintf(s, sizeof s, "%d", v);
    csv_put(b, s);
}

static void put_date(buf *b, date d)
{
    char iso[11];
    date_iso(d, iso);
    csv_put(b, date_is_null(d) ? "" : iso);
}

/* The cell as the importer reads it back: codes joined with ",", free
** text as written, "-" for none. */
static void put_align(buf *b, const alignment *al)
{
    char *s;
    s = alignment_text(al);
    csv_put(b, s);
    free(s);
}

static void put_project(buf *b, const project *pr)
{
    put_int(b, pr->no, false);
    csv_put(b, pr->name);
    put_int(b, pr->issue, true);
    for (int k = 0; k < ITEM__MAX; k++)
        put_list(b, &pr->items[k]);
    if (pr->has_budget)
        put_money(b, pr->budget, false);
    else
        csv_put(b, NO_BUDGET_TEXT);
    for (int q = 0; q < 4; q++)
        put_money(b, pr->q[q], true);
    csv_put(b, pr->period_text);
    put_date(b, pr->start);
    put_date(b, pr->end);
    csv_put(b, pr->unit ? pr->unit : pr->unit_text);
    csv_put(b, pr->unit_text);
    for (int a = 0; a < ALIGN__MAX; a++)
        put_align(b, &pr->align[a]);
    csv_end(b);
}

/* See export.h. Returns heap memory (free()). */
char *export_csv_string(const plan_doc *p)
{
    buf b;
    buf_init(&b, 0);
    buf_adds(&b, "\xEF\xBB\xBF");
    for (size_t i = 0; export_csv_columns[i]; i++)
        csv_put(&b, export_csv_columns[i]);
    csv_end(&b);
    for (size_t i = 0; i < p->nprojects; i++)
        put_project(&b, &p->projects[i]);
    return buf_detach(&b);
}
