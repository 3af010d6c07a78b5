/*
** summary.c — see summary.h.
**
** Rows by issue: every issue listed in the plan (even with no project),
** plus every issue a project names; issue 0 (no issue) comes last with
** key "0" and the title "ไม่ระบุประเด็นยุทธศาสตร์". Rows by unit: keyed by
** the registered unit, else the unit as written, else "" (title
** "ไม่ระบุผู้รับผิดชอบ"), in byte order of the key with "" last.
*/
#include "summary.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_ISSUE_TITLE "ไม่ระบุประเด็นยุทธศาสตร์"
#define NO_UNIT_TITLE "ไม่ระบุผู้รับผิดชอบ"

typedef struct rows {
    summary_row *v;
    size_t n, cap;
} rows;

/* Returns the row with `key`, appending a zeroed one (key and title
** copied) when there is none. Owned by r. */
static summary_row *rows_get(rows *r, const char *key, const char *title)
{
    summary_row *row;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].key, key) == 0)
            return &r->v[i];
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    row = &r->v[r->n++];
    memset(row, 0, sizeof *row);
    row->key = xstrdup(key);
    row->title = xstrdup(title ? title : "");
    return row;
}

/* Adds one project's money to a row; false on overflow. */
static bool row_add(summary_row *row, int64_t budget, const int64_t q[4])
{
    bool ok = money_add(&row->budget, budget);
    for (int i = 0; i < 4; i++)
        ok = money_add(&row->q[i], q[i]) && ok;
    row->nprojects++;
    return ok;
}

static int issue_key_no(const summary_row *r)
{
    return atoi(r->key);
}

/* Issues ascending, issue 0 (none) last. */
static int issue_row_cmp(const void *a, const void *b)
{
    int x = issue_key_no(a), y = issue_key_no(b);
    if (x == 0 || y == 0)
        return (x == 0) - (y == 0);
    return (x > y) - (x < y);
}

/* Unit keys in byte order, "" (no unit) last. */
static int unit_row_cmp(const void *a, const void *b)
{
    const summary_row *x = a, *y = b;
    if (!x->key[0] || !y->key[0])
        return (!x->key[0]) - (!y->key[0]);
    return strcmp(x->key, y->key);
}

/* cum / budget in basis points, rounded half up; 0 when budget <= 0.
** Computed in 128 bits so that cum * 10000 cannot overflow. */
static int basis_points(int64_t cum, int64_t budget)
{
    __extension__ typedef __int128 i128;
    i128 num, den, bp;
    if (budget <= 0)
        return 0;
    num = (i128)cum * 20000 + budget;
    den = (i128)budget * 2;
    bp = num / den;
    if (num % den != 0 && num < 0)
        bp--; /* floor for negative sums (not expected, but defined) */
    if (bp > INT_MAX)
        return INT_MAX;
    if (bp < INT_MIN)
        return INT_MIN;
    return (int)bp;
}

static void zero_money(summary *s)
{
    s->budget = 0;
    memset(s->q, 0, sizeof s->q);
    memset(s->cum, 0, sizeof s->cum);
    memset(s->cum_bp, 0, sizeof s->cum_bp);
    for (size_t i = 0; i < s->nissue; i++) {
        s->by_issue[i].budget = 0;
        memset(s->by_issue[i].q, 0, sizeof s->by_issue[i].q);
    }
    for (size_t i = 0; i < s->nunit; i++) {
        s->by_unit[i].budget = 0;
        memset(s->by_unit[i].q, 0, sizeof s->by_unit[i].q);
    }
}

/* Fills *s (overwritten; release with summary_free). */
void summary_compute(const plan_doc *p, summary *s)
{
    rows issues = {0}, units = {0};
    bool ok = true;

    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < p->nissues; i++) {
        char key[16];
        snprintf(key, sizeof key, "%d", p->issues[i].no);
        rows_get(&issues, key, p->issues[i].title);
    }
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        int64_t budget = pr->has_budget ? pr->budget : 0;
        const char *ukey = pr->unit ? pr->unit : pr->unit_text ? pr->unit_text : "";
        const strategic_issue *si;
        char key[16];

        s->nprojects++;
        if (!pr->has_budget)
            s->nno_budget++;
        ok = money_add(&s->budget, budget) && ok;
        for (int q = 0; q < 4; q++)
            ok = money_add(&s->q[q], pr->q[q]) && ok;

        snprintf(key, sizeof key, "%d", pr->issue);
        si = pr->issue ? plan_issue(p, pr->issue) : NULL;
        ok = row_add(rows_get(&issues, key,
                              pr->issue ? (si ? si->title : "") : NO_ISSUE_TITLE),
                     budget, pr->q) && ok;
        ok = row_add(rows_get(&units, ukey, *ukey ? ukey : NO_UNIT_TITLE), budget, pr->q) && ok;
    }
    if (issues.n > 1)
        qsort(issues.v, issues.n, sizeof *issues.v, issue_row_cmp);
    if (units.n > 1)
        qsort(units.v, units.n, sizeof *units.v, unit_row_cmp);
    s->by_issue = issues.v;
    s->nissue = issues.n;
    s->by_unit = units.v;
    s->nunit = units.n;

    for (int q = 0; q < 4 && ok; q++) {
        s->cum[q] = q ? s->cum[q - 1] : 0;
        ok = money_add(&s->cum[q], s->q[q]);
    }
    if (!ok) {
        s->overflow = true;
        zero_money(s);
        return;
    }
    for (int q = 0; q < 4; q++)
        s->cum_bp[q] = basis_points(s->cum[q], s->budget);
}

static void rows_free(summary_row *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].key);
        free(v[i].title);
    }
    free(v);
}

void summary_free(summary *s)
{
    if (!s)
        return;
    rows_free(s->by_issue, s->nissue);
    rows_free(s->by_unit, s->nunit);
    memset(s, 0, sizeof *s);
}
