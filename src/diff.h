/*
** diff.h — what changed between two versions of a plan: the original and a
** revision (ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ N), or any two
** revisions. Pure computation over two plan_docs, plus its JSON form, a PDF
** comparison table (render_diff.c) and a workbook (export_diff_xlsx.c).
**
** Projects are matched by name, never by number, so that a project moved to
** another number is seen as "renumbered" and not as one removed and one
** added:
**   1. names equal once whitespace is ignored (text_equal_nospace); among
**      several, the one with the same number, else the first in plan order;
**   2. then, among the projects still unmatched, names with
**      text_similarity() >= DIFF_SIMILARITY, best pair first (ties: same
**      number, then nearest position, then plan order).
** What is left unmatched in the old version was removed, in the new one
** added. A matched pair whose number differs was renumbered.
**
** For each matched pair: every field that differs (name, the five lists,
** period, unit, strategic issue, the seven alignment cells; text compared
** with whitespace ignored) and the money: budget and Q1..Q4 old, new, delta.
** Totals (summary_compute on both versions) per quarter, per strategic
** issue and per unit, before and after, on the union of both versions'
** rows so that before/after/delta line up.
**
** Money is int64 satang. "Old" is version a (from), "new" is version b (to).
*/
#ifndef PHAEN_DIFF_H
#define PHAEN_DIFF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* The least name similarity at which two differently written names are
** taken for the same project. */
#define DIFF_SIMILARITY 0.85

/* The five amounts of a project, in this order everywhere in a plan_diff. */
enum { DIFF_BUDGET, DIFF_Q1, DIFF_Q2, DIFF_Q3, DIFF_Q4, DIFF__MONEY };

/* "budget", "q1" .. "q4" (the JSON keys). */
const char *diff_money_key(int m);
/* "งบประมาณ", "ไตรมาส 1" .. "ไตรมาส 4". */
const char *diff_money_th(int m);

typedef struct diff_amount {
    bool old_set, new_set; /* false: no budget (ไม่ใช้งบประมาณ); quarters are always set */
    int64_t old_v, new_v;  /* satang; 0 when not set */
    int64_t delta;         /* new - old, a side not set counting 0 */
    bool changed;          /* a value or old_set/new_set differs */
} diff_amount;

/* One changed non-money field of a matched project. */
typedef struct diff_field {
    char *key;      /* "name", item_key() ("objectives", ...), "period", "unit",
                    ** "issue", "alignment.<align_key()>" */
    char *old_text; /* the value as text: a list's items joined by '\n', an
                    ** alignment cell's codes joined by ',' (or its free
                    ** text, "-" when empty), the issue number ("" = none) */
    char *new_text;
} diff_field;

/* Thai label of a field key: "ชื่อโครงการ", "วัตถุประสงค์", "ระยะเวลาดำเนินการ",
** "ความสอดคล้อง: แผนแม่บท", ...; the key itself when unknown. Heap memory. */
char *diff_field_th(const char *key);

typedef enum diff_match { DIFF_MATCH_EXACT, DIFF_MATCH_SIMILAR } diff_match;
const char *diff_match_key(diff_match m); /* "exact", "similar" */

/* A project present in both versions. */
typedef struct diff_pair {
    size_t a_idx, b_idx;       /* indices into a->projects and b->projects */
    int old_no, new_no;
    char *old_name, *new_name; /* never NULL */
    diff_match match;
    double similarity;         /* 1 for an exact match */
    diff_field *fields;        /* changed fields, in the order listed above */
    size_t nfields;
    diff_amount money[DIFF__MONEY];
    bool money_changed;        /* some money[i].changed */
    char *reason;              /* the planner's reason recorded in b; NULL = none */
} diff_pair;

static inline bool diff_pair_changed(const diff_pair *p)
{
    return p->nfields > 0 || p->money_changed;
}

static inline bool diff_pair_renumbered(const diff_pair *p)
{
    return p->old_no != p->new_no;
}

/* A project only in a (removed) or only in b (added). */
typedef struct diff_project {
    size_t idx;        /* index into a->projects (removed) or b->projects (added) */
    int no;
    char *name;        /* never NULL */
    int issue;         /* 0 = none */
    char *unit;        /* registered unit, else as written; NULL = none */
    char *period_text; /* NULL = none */
    bool has_budget;
    int64_t budget;    /* satang, 0 when !has_budget */
    int64_t q[4];
    char *reason;      /* added projects: the planner's reason in b; NULL = none */
} diff_project;

/* One line of totals, before and after; amounts indexed DIFF_BUDGET..DIFF_Q4. */
typedef struct diff_total {
    char *key;   /* issue number as text ("0" = none), unit name ("" = none); "" for the total */
    char *title; /* issue title or unit name (from b, else a); "รวมทั้งสิ้น" for the total */
    int nbefore, nafter; /* projects */
    int64_t before[DIFF__MONEY], after[DIFF__MONEY], delta[DIFF__MONEY];
} diff_total;

typedef struct diff_version {
    char *agency, *title, *version_label; /* copies; NULL when the plan has none */
    char *name;       /* how documents name the version: "ฉบับปรับปรุง…ครั้งที่ 1",
                      ** "ฉบับเดิม" (revision 0 without label); never NULL; when
                      ** both versions would have the same name, " (เดิม)" and
                      ** " (ใหม่)" are appended */
    int fiscal_year;  /* BE */
    int revision;
    size_t nprojects;
} diff_version;

typedef struct plan_diff {
    diff_version from, to;      /* a and b */
    diff_pair *pairs;           /* every matched project, changed or not, in b's order */
    size_t npairs;
    diff_project *added;        /* in b's order */
    size_t nadded;
    diff_project *removed;      /* in a's order */
    size_t nremoved;
    size_t nchanged, nrenumbered; /* pairs with diff_pair_changed / _renumbered */
    diff_total total;           /* the whole plan */
    diff_total *by_issue;       /* issue order, "0" (none) last */
    size_t nissue;
    diff_total *by_unit;        /* unit name byte order, "" (none) last */
    size_t nunit;
    bool overflow;              /* a sum overflowed int64: totals are not to be trusted */
} plan_diff;

/*
** Compare version a (old) with version b (new) into *out (overwritten;
** release with plan_diff_free). Returns 0; -1 only when an argument is NULL.
** O(n) for exact names; the similarity pass costs O(|name|^2) per pair of
** still-unmatched projects of comparable name length.
*/
int plan_diff_compute(const plan_doc *a, const plan_doc *b, plan_diff *out);
void plan_diff_free(plan_diff *d);

/*
** The diff as JSON (a new reference; dump with EXPORT_JSON_FLAGS of
** export.h). Keys, in order:
**   schema "phaen-diff/1",
**   from, to: {agency, title, version_label, name, fiscal_year, revision, nprojects},
**   added[]:   {no, name, strategic_issue, unit, period, budget_satang (null = no
**               budget), quarters_satang[4], reason},
**   removed[]: the same without reason,
**   renumbered[]: {old_no, new_no, name},
**   changed[]: {no (new), old_no, name (new), old_name, match ("exact"|"similar"),
**               similarity, fields[{field, label_th, old, new}],
**               money{budget,q1..q4: {old, new, delta, changed}}, reason},
**              where budget old/new is null for no budget,
**   unchanged: matched projects neither changed nor renumbered,
**   totals: {before, after, delta}, each {nprojects, budget_satang,
**           quarters_satang[4], by_issue[{issue, title, nprojects, budget_satang,
**           quarters_satang}], by_unit[{unit, title, ...}]} — the three
**           by_issue (by_unit) arrays have the same rows in the same order;
**           in delta, nprojects is after - before,
**   overflow (bool).
** Money is integer satang; absent text is null.
*/
json_t *plan_diff_json(const plan_diff *d);

/*
** The comparison as a PDF (A4 landscape, Laksaman at TH Sarabun sizes, real
** text): title "เปรียบเทียบแผน… ฉบับ X กับ ฉบับ Y", a summary line, then
**   1. money changes: budget and each quarter old / new / signed change
**      ("+3,600", "-500"), changed cells highlighted, the reason;
**   2. other field changes: field, old, new, reason;
**   3. projects added, 4. removed, 5. renumbered;
**   6. totals before / after / change: whole plan, per strategic issue,
**      per unit.
** Headers repeat on every page; page numbers in Thai digits. d must have
** been computed from a and b. The file is written whole or not at all.
** Returns 0, or -1 with a one-line reason (Thai / English) in err.
*/
int render_diff_pdf(const plan_doc *a, const plan_doc *b, const plan_diff *d, const char *path,
                    char *err, size_t errlen);

/*
** The comparison as an .xlsx workbook:
**   "เปรียบเทียบ": every project of both versions (matched in b's order, then
**      added ones in place, removed ones last) with status, old and new
**      numbers, budget and Q1..Q4 old / new / change (formulas =new-old),
**      changed cells highlighted, reason, and SUM totals;
**   "รายละเอียดที่เปลี่ยน": one row per changed field: no, project, field, old,
**      new, reason;
**   "ยอดรวม": whole plan, per issue and per unit, before / after / change
**      (formulas).
** Amounts are numbers in baht with #,##0 (#,##0.00 when some amount has
** satang). Written under a temporary name and renamed into place.
** Returns 0, or -1 with a one-line reason (Thai / English) in err.
*/
int export_diff_xlsx(const plan_doc *a, const plan_doc *b, const plan_diff *d, const char *path,
                     char *err, size_t errlen);

#endif
