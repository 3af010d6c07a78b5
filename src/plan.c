/*
** plan.c — the plan model's helpers: names of fields, findings lists,
** lifetime of plan_doc, numbered lists and alignment cells.
*/
#include "plan.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *key, *th, *en;
} align_names[ALIGN__MAX] = {
    [ALIGN_NATIONAL_STRATEGY] = {"national_strategy", "ย.ชาติ", "national strategy"},
    [ALIGN_MASTER_PLAN] = {"master_plan", "แผนแม่บท", "master plan"},
    [ALIGN_SUBPLAN_TARGET] = {"subplan_target", "เป้าหมายแผนแม่บทย่อย", "sub-plan target"},
    [ALIGN_PLAN13_MILESTONE] = {"plan13_milestone", "แผน 13 (หมุดหมายที่)", "13th plan milestone"},
    [ALIGN_SECURITY_POLICY] = {"security_policy", "น.ความมั่นคง", "national security policy"},
    [ALIGN_GOVERNMENT_POLICY] = {"government_policy", "น.รัฐบาล", "government policy"},
    [ALIGN_MOE_STRATEGY] = {"moe_strategy", "ย.ศธ", "Ministry of Education strategy"},
};

const char *align_key(align_field f) { return align_names[f].key; }
const char *align_header_th(align_field f) { return align_names[f].th; }
const char *align_name_en(align_field f) { return align_names[f].en; }

int align_from_key(const char *key)
{
    for (int i = 0; i < ALIGN__MAX; i++)
        if (strcmp(align_names[i].key, key) == 0)
            return i;
    return -1;
}

static const struct {
    const char *key, *th;
} item_names[ITEM__MAX] = {
    [ITEM_OBJECTIVE] = {"objectives", "วัตถุประสงค์"},
    [ITEM_OUTPUT] = {"outputs", "ผลผลิต (Output)"},
    [ITEM_OUTCOME] = {"outcomes", "ผลลัพธ์ (Outcome)"},
    [ITEM_INDICATOR_QUANT] = {"indicators_quantitative", "เชิงปริมาณ"},
    [ITEM_INDICATOR_QUAL] = {"indicators_qualitative", "เชิงคุณภาพ"},
};

const char *item_key(item_kind k) { return item_names[k].key; }
const char *item_header_th(item_kind k) { return item_names[k].th; }

int item_from_key(const char *key)
{
    for (int i = 0; i < ITEM__MAX; i++)
        if (strcmp(item_names[i].key, key) == 0)
            return i;
    return -1;
}

static const char *sev_keys[SEV__MAX] = {"error", "warning", "info"};

const char *severity_key(severity s) { return sev_keys[s]; }

int severity_from_key(const char *s)
{
    for (int i = 0; i < SEV__MAX; i++)
        if (strcmp(sev_keys[i], s) == 0)
            return i;
    return -1;
}

static const char *sign_keys[SIGN__MAX] = {"prepared", "checked", "approved"};
static const char *sign_th[SIGN__MAX] = {"ผู้จัดทำ", "ผู้ตรวจ", "หัวหน้าส่วนราชการ"};

const char *sign_role_key(sign_role r) { return sign_keys[r]; }
const char *sign_role_th(sign_role r) { return sign_th[r]; }

const char *sign_role_en(sign_role r)
{
    static const char *en[SIGN__MAX] = {"preparer", "checker", "head of agency"};
    return en[r];
}

/* ---- findings ----------------------------------------------------------- */

void findings_add(findings *fs, const char *rule, severity sev, int project_no, const char *field,
                  int line, const char *message_th, const char *message_en)
{
    finding *f;
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 8;
        fs->v = xrealloc(fs->v, fs->cap * sizeof *fs->v);
    }
    f = &fs->v[fs->n++];
    f->rule = xstrdup(rule);
    f->sev = sev;
    f->project = project_no;
    f->field = xstrdup(field ? field : "");
    f->line = line;
    f->message_th = xstrdup(message_th);
    f->message_en = xstrdup(message_en);
}

void findings_addf(findings *fs, const char *rule, severity sev, int project_no, const char *field,
                   int line, const char *fmt_th, const char *fmt_en, ...)
{
    buf th, en;
    va_list ap;
    buf_init(&th, 0);
    buf_init(&en, 0);
    va_start(ap, fmt_en);
    {
        va_list ap2;
        va_copy(ap2, ap);
        buf_vprintf(&th, fmt_th, ap2);
        va_end(ap2);
    }
    buf_vprintf(&en, fmt_en, ap);
    va_end(ap);
    findings_add(fs, rule, sev, project_no, field, line, th.s ? th.s : "", en.s ? en.s : "");
    buf_free(&th);
    buf_free(&en);
}

void findings_append(findings *dst, const findings *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const finding *f = &src->v[i];
        findings_add(dst, f->rule, f->sev, f->project, f->field, f->line, f->message_th,
                     f->message_en);
    }
}

void findings_move(findings *dst, findings *src)
{
    if (dst->n + src->n > dst->cap) {
        dst->cap = dst->n + src->n;
        dst->v = xrealloc(dst->v, dst->cap * sizeof *dst->v);
    }
    if (src->n)
        memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
    dst->n += src->n;
    free(src->v);
    memset(src, 0, sizeof *src);
}

static int finding_cmp(const void *a, const void *b)
{
    const finding *x = a, *y = b;
    int c;
    if (x->project != y->project)
        return x->project < y->project ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->sev != y->sev)
        return x->sev < y->sev ? -1 : 1;
    c = strcmp(x->rule, y->rule);
    if (c)
        return c;
    return strcmp(x->field, y->field);
}

void findings_sort(findings *fs)
{
    if (fs->n > 1)
        qsort(fs->v, fs->n, sizeof *fs->v, finding_cmp);
}

size_t findings_count(const findings *fs, severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++)
        n += fs->v[i].sev == sev;
    return n;
}

void findings_free(findings *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->v[i].rule);
        free(fs->v[i].field);
        free(fs->v[i].message_th);
        free(fs->v[i].message_en);
    }
    free(fs->v);
    memset(fs, 0, sizeof *fs);
}

/* ---- plan_doc ------------------------------------------------------------- */

plan_doc *plan_new(void)
{
    return xcalloc(1, sizeof(plan_doc));
}

void project_free_fields(project *pr)
{
    free(pr->name);
    for (int k = 0; k < ITEM__MAX; k++)
        strlist_free(&pr->items[k]);
    free(pr->period_text);
    free(pr->unit_text);
    free(pr->unit);
    free(pr->change_reason);
    for (int a = 0; a < ALIGN__MAX; a++) {
        strlist_free(&pr->align[a].codes);
        free(pr->align[a].text);
    }
    findings_free(&pr->notes);
    memset(pr, 0, sizeof *pr);
}

void project_copy(project *dst, const project *src)
{
    *dst = *src;
    dst->name = xstrdup(src->name);
    for (int k = 0; k < ITEM__MAX; k++) {
        memset(&dst->items[k], 0, sizeof dst->items[k]);
        strlist_copy(&dst->items[k], &src->items[k]);
    }
    dst->period_text = xstrdup(src->period_text);
    dst->unit_text = xstrdup(src->unit_text);
    dst->unit = xstrdup(src->unit);
    dst->change_reason = xstrdup(src->change_reason);
    for (int a = 0; a < ALIGN__MAX; a++) {
        memset(&dst->align[a].codes, 0, sizeof dst->align[a].codes);
        strlist_copy(&dst->align[a].codes, &src->align[a].codes);
        dst->align[a].text = xstrdup(src->align[a].text);
    }
    memset(&dst->notes, 0, sizeof dst->notes);
    findings_append(&dst->notes, &src->notes);
}

static void memo_free(memo *m)
{
    free(m->from);
    free(m->doc_no);
    free(m->subject);
    free(m->to);
    for (size_t i = 0; i < m->nsections; i++) {
        free(m->sections[i].heading);
        strlist_free(&m->sections[i].paras);
    }
    free(m->sections);
    memset(m, 0, sizeof *m);
}

void plan_free(plan_doc *p)
{
    if (!p)
        return;
    free(p->agency);
    free(p->title);
    free(p->title_line);
    free(p->version_label);
    free(p->source_file);
    for (size_t i = 0; i < p->nissues; i++)
        free(p->issues[i].title);
    free(p->issues);
    for (size_t i = 0; i < p->nprojects; i++)
        project_free_fields(&p->projects[i]);
    free(p->projects);
    memo_free(&p->memo);
    for (int r = 0; r < SIGN__MAX; r++) {
        free(p->signers[r].name);
        free(p->signers[r].position);
    }
    findings_free(&p->notes);
    free(p->reason);
    for (size_t i = 0; i < p->nunit_alloc; i++)
        free(p->unit_alloc[i].unit);
    free(p->unit_alloc);
    free(p);
}

void plan_reserve_projects(plan_doc *p, size_t n)
{
    if (n > p->cap_projects) {
        p->cap_projects = n;
        p->projects = xrealloc(p->projects, n * sizeof *p->projects);
    }
}

project *plan_add_project(plan_doc *p)
{
    if (p->nprojects == p->cap_projects) {
        p->cap_projects = p->cap_projects ? p->cap_projects * 2 : 32;
        p->projects = xrealloc(p->projects, p->cap_projects * sizeof *p->projects);
    }
    memset(&p->projects[p->nprojects], 0, sizeof p->projects[0]);
    return &p->projects[p->nprojects++];
}

strategic_issue *plan_issue(const plan_doc *p, int no)
{
    for (size_t i = 0; i < p->nissues; i++)
        if (p->issues[i].no == no)
            return &p->issues[i];
    return NULL;
}

static int issue_cmp(const void *a, const void *b)
{
    const strategic_issue *x = a, *y = b;
    return (x->no > y->no) - (x->no < y->no);
}

void plan_set_issue(plan_doc *p, int no, const char *title)
{
    strategic_issue *si = plan_issue(p, no);
    if (si) {
        if (title) {
            free(si->title);
            si->title = xstrdup(title);
        }
        return;
    }
    p->issues = xrealloc(p->issues, (p->nissues + 1) * sizeof *p->issues);
    p->issues[p->nissues].no = no;
    p->issues[p->nissues].title = xstrdup(title ? title : "");
    p->nissues++;
    qsort(p->issues, p->nissues, sizeof *p->issues, issue_cmp);
}

const project *plan_project(const plan_doc *p, int no)
{
    for (size_t i = 0; i < p->nprojects; i++)
        if (p->projects[i].no == no)
            return &p->projects[i];
    return NULL;
}

bool project_quarters_sum(const project *pr, int64_t *sum)
{
    int64_t s = 0;
    for (int q = 0; q < 4; q++)
        if (!money_add(&s, pr->q[q]))
            return false;
    *sum = s;
    return true;
}

/* ---- numbered lists --------------------------------------------------------- */

/* If s[i..] is the marker "<num>." (num = the next item's number, as text)
** at a list position, return its length. */
static size_t marker_at(const char *s, size_t i, const char *num, size_t n)
{
    unsigned char after;
    if (i > 0 && s[i - 1] != ' ')
        return 0;
    if (s[i] != num[0] || strncmp(s + i, num, n) != 0 || s[i + n] != '.')
        return 0;
    after = (unsigned char)s[i + n + 1];
    /* "2.5" is a decimal, "1.)" or "1.ก" are still markers */
    if (isdigit(after))
        return 0;
    return n + 1;
}

static void add_trimmed(strlist *out, const char *s, size_t n)
{
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (n)
        strlist_addn(out, s, n);
}

void plan_split_numbered(const char *text, strlist *out)
{
    size_t len = text ? strlen(text) : 0, start = 0, i, n;
    int k = 1;
    bool numbered = false;
    char num[16];

    n = (size_t)snprintf(num, sizeof num, "%d", k);
    for (i = 0; i < len; i++) {
        /* a marker starts with the number's first digit: rare in Thai text */
        const char *d = memchr(text + i, num[0], len - i);
        size_t m;
        if (!d)
            break;
        i = (size_t)(d - text);
        if (!(m = marker_at(text, i, num, n)))
            continue;
        if (numbered || i > 0)
            add_trimmed(out, text + start, i - start);
        numbered = true;
        start = i + m;
        i += m - 1;
        n = (size_t)snprintf(num, sizeof num, "%d", ++k);
    }
    add_trimmed(out, text + start, len - start);
}

/* ---- alignment cells ---------------------------------------------------------- */

static bool is_none(const char *s)
{
    return !*s || !strcmp(s, "-") || !strcmp(s, "–") || !strcmp(s, "—");
}

bool plan_parse_alignment(align_field f, const char *cell, alignment *out)
{
    char *ascii = thai_digits_to_ascii(cell ? cell : "");
    char *clean = text_clean(ascii, strlen(ascii));
    const char *s = clean;
    bool ok = true, words = false;
    strlist codes = {0};

    free(ascii);
    strlist_clear(&out->codes);
    free(out->text);
    out->text = *clean ? xstrdup(clean) : NULL;
    out->free_text = false;
    if (is_none(clean)) {
        free(clean);
        return true;
    }
    /* Codes are digits separated by commas, spaces, '/' or "และ". */
    while (*s) {
        if (*s == ',' || *s == ' ' || *s == '/') {
            s++;
        } else if (isdigit((unsigned char)*s)) {
            const char *b = s;
            char code[16];
            while (isdigit((unsigned char)*s))
                s++;
            if (*s && *s != ',' && *s != ' ' && *s != '/') {
                ok = false; /* "12a" */
                break;
            }
            if ((size_t)(s - b) >= sizeof code) {
                ok = false;
                break;
            }
            memcpy(code, b, (size_t)(s - b));
            code[s - b] = 0;
            if (f == ALIGN_SUBPLAN_TARGET) {
                strlist_add(&codes, code);
            } else {
                /* strip leading zeros, then master plans take two digits */
                const char *c = code;
                while (c[0] == '0' && c[1])
                    c++;
                if (f == ALIGN_MASTER_PLAN && strlen(c) < 2) {
                    char two[4] = {'0', c[0], 0, 0};
                    strlist_add(&codes, two);
                } else {
                    strlist_add(&codes, c);
                }
            }
        } else {
            words = true;
            break;
        }
    }
    if (words || !ok) {
        strlist_clear(&codes);
        out->free_text = true;
        ok = (f == ALIGN_GOVERNMENT_POLICY) && words;
    }
    strlist_free(&out->codes);
    out->codes = codes;
    free(clean);
    return ok;
}

char *alignment_text(const alignment *a)
{
    char *s;
    if (a->free_text)
        return xstrdup(a->text && *a->text ? a->text : "-");
    s = strlist_join(&a->codes, ",");
    if (*s)
        return s;
    free(s);
    return xstrdup("-");
}
