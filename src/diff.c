/*
** diff.c — see diff.h: matching the projects of two versions of a plan,
** their changed fields and money, the totals before and after, and the
** diff as JSON.
*/
#include "diff.h"
#include "export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

/*
** The planner's reason for a project's change. The project model has no
** such field yet; when plan.h gets `char *change_reason`, this returns it
** (and nothing else in the diff code needs to change).
*/
static const char *reason_of(const project *pr)
{
    return pr->change_reason;
}

static const char *const money_keys[DIFF__MONEY] = {"budget", "q1", "q2", "q3", "q4"};
static const char *const money_th[DIFF__MONEY] = {"งบประมาณ", "ไตรมาส 1", "ไตรมาส 2",
                                                   "ไตรมาส 3", "ไตรมาส 4"};

const char *diff_money_key(int m)
{
    return m >= 0 && m < DIFF__MONEY ? money_keys[m] : "";
}

const char *diff_money_th(int m)
{
    return m >= 0 && m < DIFF__MONEY ? money_th[m] : "";
}

const char *diff_match_key(diff_match m)
{
    return m == DIFF_MATCH_SIMILAR ? "similar" : "exact";
}

char *diff_field_th(const char *key)
{
    if (!key)
        return xstrdup("");
    if (strcmp(key, "name") == 0)
        return xstrdup("ชื่อโครงการ");
    if (strcmp(key, "period") == 0)
        return xstrdup("ระยะเวลาดำเนินการ");
    if (strcmp(key, "unit") == 0)
        return xstrdup("ผู้รับผิดชอบ");
    if (strcmp(key, "issue") == 0)
        return xstrdup("ประเด็นยุทธศาสตร์");
    if (strncmp(key, "alignment.", 10) == 0) {
        int f = align_from_key(key + 10);
        if (f >= 0)
            return xasprintf("ความสอดคล้อง: %s", align_header_th((align_field)f));
        return xstrdup(key);
    }
    {
        int k = item_from_key(key);
        if (k == ITEM_OUTPUT || k == ITEM_OUTCOME)
            return xasprintf("เป้าหมาย: %s", item_header_th((item_kind)k));
        if (k == ITEM_INDICATOR_QUANT || k == ITEM_INDICATOR_QUAL)
            return xasprintf("ตัวชี้วัด: %s", item_header_th((item_kind)k));
        if (k >= 0)
            return xstrdup(item_header_th((item_kind)k));
    }
    return xstrdup(key);
}

/* ---- matching -------------------------------------------------------------------- */

static const char *name_of(const project *pr)
{
    return pr->name ? pr->name : "";
}

static bool invisible_cp(int32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200D) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF || cp == 0xAD;
}

/* Code points of s that text_similarity() compares (not whitespace, not
** zero-width): the lengths behind its upper bound 2*min/(na+nb). */
static size_t visible_len(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    size_t n = 0;
    while (p < end) {
        int32_t cp = utf8_next(&p, end);
        if (cp >= 0 && !invisible_cp(cp))
            n++;
    }
    return n;
}

/* s without whitespace and zero-width characters (invalid bytes kept):
** two names are text_equal_nospace() exactly when their keys are equal.
** Heap memory. */
static char *name_key(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    buf b;
    buf_init(&b, 0);
    while (p < end) {
        const char *start = p;
        int32_t cp = utf8_next(&p, end);
        if (cp < 0 || !invisible_cp(cp))
            buf_add(&b, start, (size_t)(p - start));
    }
    return buf_detach(&b);
}

typedef struct keyed {
    char *key;
    size_t idx;
} keyed;

static int keyed_cmp(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

typedef struct cand {
    size_t ai, bi;
    double sim;
    bool same_no;
    size_t dist;
} cand;

static int cand_cmp(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->sim != b->sim)
        return a->sim > b->sim ? -1 : 1;
    if (a->same_no != b->same_no)
        return a->same_no ? -1 : 1;
    if (a->dist != b->dist)
        return a->dist < b->dist ? -1 : 1;
    if (a->ai != b->ai)
        return a->ai < b->ai ? -1 : 1;
    return (a->bi > b->bi) - (a->bi < b->bi);
}

/* match_a[i] = index in b of a's project i, or SIZE_MAX; match_b likewise. */
static void match_projects(const plan_doc *a, const plan_doc *b, size_t *match_a, size_t *match_b,
                           double *sim_b)
{
    size_t na = a->nprojects, nb = b->nprojects;
    size_t *len_a, *len_b;
    cand *c = NULL;
    size_t nc = 0, cap = 0;

    for (size_t i = 0; i < na; i++)
        match_a[i] = SIZE_MAX;
    for (size_t j = 0; j < nb; j++) {
        match_b[j] = SIZE_MAX;
        sim_b[j] = 0;
    }

    /* 1. equal names (whitespace ignored): the same number first, else the
    ** first in plan order; a's names sorted, so O(n log n) */
    if (na && nb) {
        keyed *ka = xcalloc(na, sizeof *ka);
        for (size_t i = 0; i < na; i++) {
            ka[i].key = name_key(name_of(&a->projects[i]));
            ka[i].idx = i;
        }
        qsort(ka, na, sizeof *ka, keyed_cmp);
        for (size_t j = 0; j < nb; j++) {
            const project *pb = &b->projects[j];
            char *key = name_key(name_of(pb));
            size_t lo = 0, hi = na, best = SIZE_MAX;
            while (lo < hi) { /* first entry with a key >= key */
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(ka[mid].key, key) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t k = lo; k < na && strcmp(ka[k].key, key) == 0; k++) {
                size_t i = ka[k].idx;
                if (match_a[i] != SIZE_MAX)
                    continue;
                if (a->projects[i].no == pb->no) {
                    best = i;
                    break;
                }
                if (best == SIZE_MAX)
                    best = i;
            }
            if (best != SIZE_MAX) {
                match_a[best] = j;
                match_b[j] = best;
                sim_b[j] = 1.0;
            }
            free(key);
        }
        for (size_t i = 0; i < na; i++)
            free(ka[i].key);
        free(ka);
    }

    /* 2. similar names among the rest, best pair first */
    len_a = xcalloc(na ? na : 1, sizeof *len_a);
    len_b = xcalloc(nb ? nb : 1, sizeof *len_b);
    for (size_t i = 0; i < na; i++)
        if (match_a[i] == SIZE_MAX)
            len_a[i] = visible_len(name_of(&a->projects[i]));
    for (size_t j = 0; j < nb; j++)
        if (match_b[j] == SIZE_MAX)
            len_b[j] = visible_len(name_of(&b->projects[j]));
    for (size_t i = 0; i < na; i++) {
        if (match_a[i] != SIZE_MAX || len_a[i] == 0)
            continue;
        for (size_t j = 0; j < nb; j++) {
            size_t lo, sum;
            double s;
            if (match_b[j] != SIZE_MAX || len_b[j] == 0)
                continue;
            /* similarity <= 2*min/(na+nb): skip pairs that cannot reach it */
            lo = len_a[i] < len_b[j] ? len_a[i] : len_b[j];
            sum = len_a[i] + len_b[j];
            if (2.0 * (double)lo / (double)sum < DIFF_SIMILARITY - 1e-9)
                continue;
            s = text_similarity(name_of(&a->projects[i]), name_of(&b->projects[j]));
            if (s < DIFF_SIMILARITY)
                continue;
            if (nc == cap) {
                cap = cap ? cap * 2 : 16;
                c = xrealloc(c, cap * sizeof *c);
            }
            c[nc].ai = i;
            c[nc].bi = j;
            c[nc].sim = s;
            c[nc].same_no = a->projects[i].no == b->projects[j].no;
            c[nc].dist = i > j ? i - j : j - i;
            nc++;
        }
    }
    if (nc > 1)
        qsort(c, nc, sizeof *c, cand_cmp);
    for (size_t k = 0; k < nc; k++) {
        if (match_a[c[k].ai] != SIZE_MAX || match_b[c[k].bi] != SIZE_MAX)
            continue;
        match_a[c[k].ai] = c[k].bi;
        match_b[c[k].bi] = c[k].ai;
        sim_b[c[k].bi] = c[k].sim;
    }
    free(c);
    free(len_a);
    free(len_b);
}

/* ---- field changes ------------------------------------------------------------------ */

typedef struct fields {
    diff_field *v;
    size_t n, cap;
} fields;

static void field_add(fields *f, const char *key, char *old_text, char *new_text)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 4;
        f->v = xrealloc(f->v, f->cap * sizeof *f->v);
    }
    f->v[f->n].key = xstrdup(key);
    f->v[f->n].old_text = old_text;
    f->v[f->n].new_text = new_text;
    f->n++;
}

static bool list_equal(const strlist *x, const strlist *y)
{
    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (!text_equal_nospace(x->v[i], y->v[i]))
            return false;
    return true;
}

static const char *unit_of(const project *pr)
{
    return pr->unit ? pr->unit : pr->unit_text;
}


static bool align_equal(const alignment *x, const alignment *y)
{
    if (x->free_text != y->free_text)
        return false;
    if (x->free_text)
        return text_equal_nospace(x->text, y->text);
    return strlist_equal(&x->codes, &y->codes);
}

/* "ม.ค. - ส.ค. 68", with its dates when the text alone does not show the change. */
static char *period_text(const project *pr, bool with_dates)
{
    char s[11], e[11];
    if (!with_dates)
        return xstrdup(pr->period_text ? pr->period_text : "");
    date_iso(pr->start, s);
    date_iso(pr->end, e);
    return xasprintf("%s (%s – %s)", pr->period_text ? pr->period_text : "", s, e);
}

static char *issue_text(int issue)
{
    return issue ? xasprintf("%d", issue) : xstrdup("");
}

static void compare_fields(const project *pa, const project *pb, fields *f)
{
    if (!text_equal_nospace(pa->name, pb->name))
        field_add(f, "name", xstrdup(name_of(pa)), xstrdup(name_of(pb)));
    for (int k = 0; k < ITEM__MAX; k++)
        if (!list_equal(&pa->items[k], &pb->items[k]))
            field_add(f, item_key((item_kind)k), strlist_join(&pa->items[k], "\n"),
                      strlist_join(&pb->items[k], "\n"));
    if (!text_equal_nospace(pa->period_text, pb->period_text))
        field_add(f, "period", period_text(pa, false), period_text(pb, false));
    else if (date_cmp(pa->start, pb->start) != 0 || date_cmp(pa->end, pb->end) != 0)
        field_add(f, "period", period_text(pa, true), period_text(pb, true));
    if (!text_equal_nospace(unit_of(pa), unit_of(pb)))
        field_add(f, "unit", xstrdup(unit_of(pa) ? unit_of(pa) : ""),
                  xstrdup(unit_of(pb) ? unit_of(pb) : ""));
    if (pa->issue != pb->issue)
        field_add(f, "issue", issue_text(pa->issue), issue_text(pb->issue));
    for (int k = 0; k < ALIGN__MAX; k++)
        if (!align_equal(&pa->align[k], &pb->align[k])) {
            char *key = xasprintf("alignment.%s", align_key((align_field)k));
            field_add(f, key, alignment_text(&pa->align[k]), alignment_text(&pb->align[k]));
            free(key);
        }
}

/* new - old, false on overflow (*out = 0). */
static bool sub_checked(int64_t new_v, int64_t old_v, int64_t *out)
{
    if (__builtin_sub_overflow(new_v, old_v, out)) {
        *out = 0;
        return false;
    }
    return true;
}

static bool compare_money(const project *pa, const project *pb, diff_amount m[DIFF__MONEY])
{
    bool ok = true;
    for (int k = 0; k < DIFF__MONEY; k++) {
        diff_amount *x = &m[k];
        if (k == DIFF_BUDGET) {
            x->old_set = pa->has_budget;
            x->new_set = pb->has_budget;
            x->old_v = pa->has_budget ? pa->budget : 0;
            x->new_v = pb->has_budget ? pb->budget : 0;
        } else {
            x->old_set = x->new_set = true;
            x->old_v = pa->q[k - 1];
            x->new_v = pb->q[k - 1];
        }
        ok = sub_checked(x->new_v, x->old_v, &x->delta) && ok;
        x->changed = x->old_set != x->new_set || x->old_v != x->new_v;
    }
    return ok;
}

static void project_side(diff_project *dp, const project *pr, size_t idx, bool with_reason)
{
    memset(dp, 0, sizeof *dp);
    dp->idx = idx;
    dp->no = pr->no;
    dp->name = xstrdup(name_of(pr));
    dp->issue = pr->issue;
    dp->unit = xstrdup(unit_of(pr));
    dp->period_text = xstrdup(pr->period_text);
    dp->has_budget = pr->has_budget;
    dp->budget = pr->has_budget ? pr->budget : 0;
    memcpy(dp->q, pr->q, sizeof dp->q);
    dp->reason = with_reason ? xstrdup(reason_of(pr)) : NULL;
}

/* ---- totals -------------------------------------------------------------------------- */

typedef struct totals {
    diff_total *v;
    size_t n, cap;
} totals;

static diff_total *totals_get(totals *t, const char *key, const char *title)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].key, key) == 0) {
            if ((!t->v[i].title || !*t->v[i].title) && title && *title) {
                free(t->v[i].title);
                t->v[i].title = xstrdup(title);
            }
            return &t->v[i];
        }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 8;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    memset(&t->v[t->n], 0, sizeof t->v[t->n]);
    t->v[t->n].key = xstrdup(key);
    t->v[t->n].title = xstrdup(title ? title : "");
    return &t->v[t->n++];
}

static void total_set(diff_total *t, const summary_row *r, bool after)
{
    int64_t *m = after ? t->after : t->before;
    if (after)
        t->nafter = r->nprojects;
    else
        t->nbefore = r->nprojects;
    m[DIFF_BUDGET] = r->budget;
    for (int q = 0; q < 4; q++)
        m[DIFF_Q1 + q] = r->q[q];
}

static bool total_delta(diff_total *t)
{
    bool ok = true;
    for (int k = 0; k < DIFF__MONEY; k++)
        ok = sub_checked(t->after[k], t->before[k], &t->delta[k]) && ok;
    return ok;
}

static int issue_total_cmp(const void *x, const void *y)
{
    int a = atoi(((const diff_total *)x)->key), b = atoi(((const diff_total *)y)->key);
    if (a == 0 || b == 0)
        return (a == 0) - (b == 0);
    return (a > b) - (a < b);
}

static int unit_total_cmp(const void *x, const void *y)
{
    const diff_total *a = x, *b = y;
    if (!a->key[0] || !b->key[0])
        return (!a->key[0]) - (!b->key[0]);
    return strcmp(a->key, b->key);
}

/* Rows of b's summary first (their titles win), then a's. */
static void merge_rows(totals *t, const summary_row *ra, size_t na, const summary_row *rb,
                       size_t nb)
{
    for (size_t i = 0; i < nb; i++)
        total_set(totals_get(t, rb[i].key, rb[i].title), &rb[i], true);
    for (size_t i = 0; i < na; i++)
        total_set(totals_get(t, ra[i].key, ra[i].title), &ra[i], false);
}

static bool compute_totals(const plan_doc *a, const plan_doc *b, plan_diff *d)
{
    summary sa, sb;
    totals ti = {0}, tu = {0};
    bool ok;
    summary_row whole;

    summary_compute(a, &sa);
    summary_compute(b, &sb);
    ok = !sa.overflow && !sb.overflow;

    d->total.key = xstrdup("");
    d->total.title = xstrdup("รวมทั้งสิ้น");
    whole = (summary_row){.nprojects = sa.nprojects, .budget = sa.budget};
    memcpy(whole.q, sa.q, sizeof whole.q);
    total_set(&d->total, &whole, false);
    whole = (summary_row){.nprojects = sb.nprojects, .budget = sb.budget};
    memcpy(whole.q, sb.q, sizeof whole.q);
    total_set(&d->total, &whole, true);
    ok = total_delta(&d->total) && ok;

    merge_rows(&ti, sa.by_issue, sa.nissue, sb.by_issue, sb.nissue);
    merge_rows(&tu, sa.by_unit, sa.nunit, sb.by_unit, sb.nunit);
    if (ti.n > 1)
        qsort(ti.v, ti.n, sizeof *ti.v, issue_total_cmp);
    if (tu.n > 1)
        qsort(tu.v, tu.n, sizeof *tu.v, unit_total_cmp);
    for (size_t i = 0; i < ti.n; i++)
        ok = total_delta(&ti.v[i]) && ok;
    for (size_t i = 0; i < tu.n; i++)
        ok = total_delta(&tu.v[i]) && ok;
    d->by_issue = ti.v;
    d->nissue = ti.n;
    d->by_unit = tu.v;
    d->nunit = tu.n;
    summary_free(&sa);
    summary_free(&sb);
    return ok;
}

/* ---- versions ------------------------------------------------------------------------ */

static char *version_name(const plan_doc *p)
{
    const char *l = p->version_label;
    if (l && *l) {
        if (strncmp(l, "ฉบับ", strlen("ฉบับ")) == 0)
            return xstrdup(l);
        return xasprintf("ฉบับ%s", l);
    }
    if (p->revision > 0)
        return xasprintf("ฉบับปรับปรุง ครั้งที่ %d", p->revision);
    return xstrdup("ฉบับเดิม");
}

static void version_set(diff_version *v, const plan_doc *p)
{
    v->agency = xstrdup(p->agency);
    v->title = xstrdup(p->title);
    v->version_label = xstrdup(p->version_label);
    v->name = version_name(p);
    v->fiscal_year = p->fiscal_year;
    v->revision = p->revision;
    v->nprojects = p->nprojects;
}

/* ---- the diff ------------------------------------------------------------------------- */

int plan_diff_compute(const plan_doc *a, const plan_doc *b, plan_diff *out)
{
    size_t *match_a, *match_b;
    double *sim_b;
    bool ok;

    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    if (!a || !b)
        return -1;
    version_set(&out->from, a);
    version_set(&out->to, b);
    if (strcmp(out->from.name, out->to.name) == 0) {
        char *x = xasprintf("%s (เดิม)", out->from.name), *y = xasprintf("%s (ใหม่)", out->to.name);
        free(out->from.name);
        free(out->to.name);
        out->from.name = x;
        out->to.name = y;
    }

    match_a = xcalloc(a->nprojects ? a->nprojects : 1, sizeof *match_a);
    match_b = xcalloc(b->nprojects ? b->nprojects : 1, sizeof *match_b);
    sim_b = xcalloc(b->nprojects ? b->nprojects : 1, sizeof *sim_b);
    match_projects(a, b, match_a, match_b, sim_b);

    ok = compute_totals(a, b, out);
    out->pairs = xcalloc(b->nprojects ? b->nprojects : 1, sizeof *out->pairs);
    out->added = xcalloc(b->nprojects ? b->nprojects : 1, sizeof *out->added);
    out->removed = xcalloc(a->nprojects ? a->nprojects : 1, sizeof *out->removed);
    for (size_t j = 0; j < b->nprojects; j++) {
        const project *pb = &b->projects[j], *pa;
        diff_pair *dp;
        fields f = {0};
        if (match_b[j] == SIZE_MAX) {
            project_side(&out->added[out->nadded++], pb, j, true);
            continue;
        }
        pa = &a->projects[match_b[j]];
        dp = &out->pairs[out->npairs++];
        dp->a_idx = match_b[j];
        dp->b_idx = j;
        dp->old_no = pa->no;
        dp->new_no = pb->no;
        dp->old_name = xstrdup(name_of(pa));
        dp->new_name = xstrdup(name_of(pb));
        dp->similarity = sim_b[j];
        dp->match = text_equal_nospace(name_of(pa), name_of(pb)) ? DIFF_MATCH_EXACT
                                                                  : DIFF_MATCH_SIMILAR;
        compare_fields(pa, pb, &f);
        dp->fields = f.v;
        dp->nfields = f.n;
        ok = compare_money(pa, pb, dp->money) && ok;
        for (int k = 0; k < DIFF__MONEY; k++)
            dp->money_changed = dp->money_changed || dp->money[k].changed;
        dp->reason = xstrdup(reason_of(pb));
        if (diff_pair_changed(dp))
            out->nchanged++;
        if (diff_pair_renumbered(dp))
            out->nrenumbered++;
    }
    for (size_t i = 0; i < a->nprojects; i++)
        if (match_a[i] == SIZE_MAX)
            project_side(&out->removed[out->nremoved++], &a->projects[i], i, false);
    out->overflow = !ok;
    free(match_a);
    free(match_b);
    free(sim_b);
    return 0;
}

static void version_free(diff_version *v)
{
    free(v->agency);
    free(v->title);
    free(v->version_label);
    free(v->name);
}

static void project_side_free(diff_project *p)
{
    free(p->name);
    free(p->unit);
    free(p->period_text);
    free(p->reason);
}

static void total_free(diff_total *t)
{
    free(t->key);
    free(t->title);
}

void plan_diff_free(plan_diff *d)
{
    if (!d)
        return;
    version_free(&d->from);
    version_free(&d->to);
    for (size_t i = 0; i < d->npairs; i++) {
        diff_pair *p = &d->pairs[i];
        free(p->old_name);
        free(p->new_name);
        for (size_t k = 0; k < p->nfields; k++) {
            free(p->fields[k].key);
            free(p->fields[k].old_text);
            free(p->fields[k].new_text);
        }
        free(p->fields);
        free(p->reason);
    }
    free(d->pairs);
    for (size_t i = 0; i < d->nadded; i++)
        project_side_free(&d->added[i]);
    free(d->added);
    for (size_t i = 0; i < d->nremoved; i++)
        project_side_free(&d->removed[i]);
    free(d->removed);
    total_free(&d->total);
    for (size_t i = 0; i < d->nissue; i++)
        total_free(&d->by_issue[i]);
    free(d->by_issue);
    for (size_t i = 0; i < d->nunit; i++)
        total_free(&d->by_unit[i]);
    free(d->by_unit);
    memset(d, 0, sizeof *d);
}

/* ---- JSON ------------------------------------------------------------------------------ */


static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : json_null());
}

static json_t *jquarters(const int64_t *q)
{
    json_t *a = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(a, json_integer(q[i]));
    return a;
}

static json_t *jversion(const diff_version *v)
{
    json_t *o = json_object();
    set(o, "agency", export_json_text(v->agency));
    set(o, "title", export_json_text(v->title));
    set(o, "version_label", export_json_text(v->version_label));
    set(o, "name", export_json_text(v->name));
    set(o, "fiscal_year", json_integer(v->fiscal_year));
    set(o, "revision", json_integer(v->revision));
    set(o, "nprojects", json_integer((json_int_t)v->nprojects));
    return o;
}

static json_t *jside(const diff_project *p, bool with_reason)
{
    json_t *o = json_object();
    set(o, "no", json_integer(p->no));
    set(o, "name", export_json_text(p->name));
    set(o, "strategic_issue", p->issue ? json_integer(p->issue) : json_null());
    set(o, "unit", export_json_text(p->unit));
    set(o, "period", export_json_text(p->period_text));
    set(o, "budget_satang", p->has_budget ? json_integer(p->budget) : json_null());
    set(o, "quarters_satang", jquarters(p->q));
    if (with_reason)
        set(o, "reason", export_json_text(p->reason));
    return o;
}

static json_t *jamount(const diff_amount *m)
{
    json_t *o = json_object();
    set(o, "old", m->old_set ? json_integer(m->old_v) : json_null());
    set(o, "new", m->new_set ? json_integer(m->new_v) : json_null());
    set(o, "delta", !m->old_set && !m->new_set ? json_null() : json_integer(m->delta));
    set(o, "changed", json_boolean(m->changed));
    return o;
}

static json_t *jchanged(const diff_pair *p)
{
    json_t *o = json_object(), *fs = json_array(), *money = json_object();
    set(o, "no", json_integer(p->new_no));
    set(o, "old_no", json_integer(p->old_no));
    set(o, "name", export_json_text(p->new_name));
    set(o, "old_name", export_json_text(p->old_name));
    set(o, "match", json_string(diff_match_key(p->match)));
    set(o, "similarity", json_real(p->similarity));
    for (size_t k = 0; k < p->nfields; k++) {
        json_t *f = json_object();
        char *th = diff_field_th(p->fields[k].key);
        set(f, "field", export_json_text(p->fields[k].key));
        set(f, "label_th", export_json_text(th));
        set(f, "old", export_json_text(p->fields[k].old_text));
        set(f, "new", export_json_text(p->fields[k].new_text));
        json_array_append_new(fs, f);
        free(th);
    }
    set(o, "fields", fs);
    for (int k = 0; k < DIFF__MONEY; k++)
        set(money, money_keys[k], jamount(&p->money[k]));
    set(o, "money", money);
    set(o, "reason", export_json_text(p->reason));
    return o;
}

/* which: 0 before, 1 after, 2 delta */
static json_t *jtotal_row(const diff_total *t, int which, const char *keyname, bool is_issue)
{
    json_t *o = json_object();
    const int64_t *m = which == 0 ? t->before : which == 1 ? t->after : t->delta;
    int n = which == 0 ? t->nbefore : which == 1 ? t->nafter : t->nafter - t->nbefore;
    if (keyname) {
        if (is_issue)
            set(o, keyname, atoi(t->key) ? json_integer(atoi(t->key)) : json_null());
        else
            set(o, keyname, *t->key ? export_json_text(t->key) : json_null());
        set(o, "title", export_json_text(t->title));
    }
    set(o, "nprojects", json_integer(n));
    set(o, "budget_satang", json_integer(m[DIFF_BUDGET]));
    set(o, "quarters_satang", jquarters(m + DIFF_Q1));
    return o;
}

static json_t *jtotals(const plan_diff *d, int which)
{
    json_t *o = jtotal_row(&d->total, which, NULL, false), *bi = json_array(),
           *bu = json_array();
    for (size_t i = 0; i < d->nissue; i++)
        json_array_append_new(bi, jtotal_row(&d->by_issue[i], which, "issue", true));
    for (size_t i = 0; i < d->nunit; i++)
        json_array_append_new(bu, jtotal_row(&d->by_unit[i], which, "unit", false));
    set(o, "by_issue", bi);
    set(o, "by_unit", bu);
    return o;
}

json_t *plan_diff_json(const plan_diff *d)
{
    json_t *o = json_object(), *added = json_array(), *removed = json_array(),
           *ren = json_array(), *changed = json_array(), *tot = json_object();
    size_t unchanged = 0;

    set(o, "schema", json_string("phaen-diff/1"));
    set(o, "from", jversion(&d->from));
    set(o, "to", jversion(&d->to));
    for (size_t i = 0; i < d->nadded; i++)
        json_array_append_new(added, jside(&d->added[i], true));
    for (size_t i = 0; i < d->nremoved; i++)
        json_array_append_new(removed, jside(&d->removed[i], false));
    for (size_t i = 0; i < d->npairs; i++) {
        const diff_pair *p = &d->pairs[i];
        if (diff_pair_renumbered(p)) {
            json_t *r = json_object();
            set(r, "old_no", json_integer(p->old_no));
            set(r, "new_no", json_integer(p->new_no));
            set(r, "name", export_json_text(p->new_name));
            json_array_append_new(ren, r);
        }
        if (diff_pair_changed(p))
            json_array_append_new(changed, jchanged(p));
        else if (!diff_pair_renumbered(p))
            unchanged++;
    }
    set(o, "added", added);
    set(o, "removed", removed);
    set(o, "renumbered", ren);
    set(o, "changed", changed);
    set(o, "unchanged", json_integer((json_int_t)unchanged));
    set(tot, "before", jtotals(d, 0));
    set(tot, "after", jtotals(d, 1));
    set(tot, "delta", jtotals(d, 2));
    set(o, "totals", tot);
    set(o, "overflow", json_boolean(d->overflow));
    return o;
}
