/*
** check.c — the check engine. Each rule is declared once in `rules[]`
** (id, severity, meaning) and implemented by one function below.
**
** Severity follows meaning: money that does not add up, or money where the
** project is not running, is an error; a doubtful but possible document
** (an unusual national strategy for a master plan, a repaired month) is a
** warning; facts worth knowing (an issue inferred) are info.
*/
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"

static const rule_info rules[] = {
    {"quarters-sum", SEV_ERROR, "ผลรวมไตรมาสไม่เท่ากับงบประมาณ",
     "the quarters do not add up to the budget"},
    {"quarters-without-budget", SEV_ERROR, "มีแผนใช้จ่ายแต่ไม่ใช้งบประมาณ",
     "spending planned for a project without budget"},
    {"budget-without-quarters", SEV_ERROR, "มีงบประมาณแต่ไม่มีแผนใช้จ่ายรายไตรมาส",
     "a budget with no quarterly spending plan"},
    {"spend-outside-period", SEV_ERROR, "มีแผนใช้จ่ายในไตรมาสที่ไม่ได้ดำเนินโครงการ",
     "money planned in a quarter the operating period does not touch"},
    {"period-outside-year", SEV_WARNING, "ระยะเวลาดำเนินการอยู่นอกปีงบประมาณ",
     "the operating period runs outside the fiscal year"},
    {"period-unreadable", SEV_ERROR, "อ่านระยะเวลาดำเนินการไม่ได้",
     "the operating period cannot be read"},
    {"month-repaired", SEV_WARNING, "ชื่อย่อเดือนผิดรูป ซ่อมเป็นเดือนที่ใกล้ที่สุด",
     "a damaged month abbreviation was repaired to the nearest month"},
    {"row-missing-cell", SEV_WARNING, "แถวในเอกสารขาดช่อง", "a row of the document lost a cell"},
    {"row-extra-cell", SEV_WARNING, "แถวในเอกสารมีช่องเกิน", "a row of the document has extra cells"},
    {"row-unrecognized", SEV_WARNING, "แถวที่อ่านไม่ออกไม่ได้นำเข้า",
     "a row that could not be read was not imported"},
    {"amount-unreadable", SEV_ERROR, "อ่านจำนวนเงินไม่ได้", "an amount cannot be read"},
    {"unit-matched", SEV_WARNING, "ชื่อผู้รับผิดชอบไม่ตรงทะเบียน จับคู่กับหน่วยที่ใกล้ที่สุด",
     "the unit name matched the nearest registered unit"},
    {"unit-unknown", SEV_ERROR, "ผู้รับผิดชอบไม่อยู่ในทะเบียนหน่วยงาน",
     "the responsible unit is not in the registry"},
    {"align-masterplan-strategy", SEV_WARNING, "แผนแม่บทปกติอยู่ภายใต้ยุทธศาสตร์ชาติด้านอื่น",
     "the master plan usually belongs to another national strategy"},
    {"align-target-masterplan", SEV_ERROR, "เป้าหมายแผนแม่บทย่อยไม่ได้ขึ้นต้นด้วยรหัสแผนแม่บท",
     "the sub-plan target does not start with the master plan"},
    {"align-unknown-code", SEV_ERROR, "รหัสความสอดคล้องไม่อยู่ในรายการอ้างอิง",
     "an alignment code is not in its reference list"},
    {"align-bad-form", SEV_ERROR, "รหัสความสอดคล้องผิดรูปแบบ", "an alignment code is malformed"},
    {"align-missing", SEV_WARNING, "ไม่ได้ระบุความสอดคล้อง", "an alignment column is empty"},
    {"align-moe-issue", SEV_WARNING, "ย.ศธ ไม่ตรงกับประเด็นยุทธศาสตร์ของโครงการ",
     "the ministry strategy code differs from the project's strategic issue"},
    {"strategic-issue-inferred", SEV_INFO, "ไม่มีแถวประเด็นยุทธศาสตร์ อนุมานจาก ย.ศธ",
     "no band row for the strategic issue; inferred from the ย.ศธ column"},
    {"number-duplicate", SEV_ERROR, "เลขที่โครงการซ้ำ", "a project number is used twice"},
    {"number-gap", SEV_WARNING, "เลขที่โครงการข้าม", "project numbers skip a number"},
    {"name-missing", SEV_ERROR, "ไม่มีชื่อโครงการ", "a project has no name"},
    {"over-allocation", SEV_ERROR, "โครงการรวมกันเกินงบประมาณที่ได้รับจัดสรร",
     "the projects add up to more than the allocated budget"},
    {"signer-mismatch", SEV_WARNING, "ชื่อผู้ลงนามในบันทึกข้อความและท้ายแผนไม่ตรงกัน",
     "a signer's name differs between memo and plan"},
    {"memo-date-unreadable", SEV_WARNING, "อ่านวันที่ของบันทึกข้อความไม่ได้",
     "the memo's date cannot be read"},
    {"memo-text-ignored", SEV_INFO, "ข้อความในบันทึกข้อความที่อ่านไม่ออกไม่ได้นำเข้า",
     "an unreadable memo line was not imported"},
};

const rule_info *check_rules(size_t *n)
{
    *n = ARRAY_LEN(rules);
    return rules;
}

const rule_info *check_rule(const char *id)
{
    for (size_t i = 0; i < ARRAY_LEN(rules); i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    return NULL;
}

/* Add a finding for rule `id` with its declared severity. */
#define FIND(out, id, pr, field, ...)                                                      \
    findings_addf((out), (id), rule_sev(id), (pr)->no, (field), (pr)->line, __VA_ARGS__)

static severity rule_sev(const char *id)
{
    const rule_info *r = check_rule(id);
    if (!r)
        panic("check: undeclared rule %s", id);
    return r->sev;
}

static char *baht(int64_t satang)
{
    buf b;
    buf_init(&b, 0);
    money_format(&b, satang, false);
    return buf_detach(&b);
}

/* ---- money ----------------------------------------------------------------- */

static void check_money(const plan_doc *p, const project *pr, findings *out)
{
    int64_t sum;
    (void)p;
    if (!project_quarters_sum(pr, &sum)) {
        FIND(out, "quarters-sum", pr, "quarters", "ผลรวมไตรมาสเกินขอบเขตที่คำนวณได้",
             "the quarters' sum overflows");
        return;
    }
    if (pr->has_budget && sum != pr->budget && sum != 0) {
        char *b = baht(pr->budget), *s = baht(sum), *d;
        int64_t diff = sum - pr->budget;
        d = baht(diff < 0 ? -diff : diff);
        FIND(out, "quarters-sum", pr, "quarters",
             "ไตรมาส 1-4 รวม %s บาท แต่งบประมาณ %s บาท (%s%.0s %s บาท) ให้แก้ไตรมาสหรืองบประมาณให้เท่ากัน",
             "quarters 1-4 add up to %s baht but the budget is %s baht (%.0s%s by %s baht); "
             "make them equal",
             s, b, diff > 0 ? "เกิน" : "ขาด", diff > 0 ? "over" : "short", d);
        free(b);
        free(s);
        free(d);
    }
    if (!pr->has_budget && sum != 0) {
        char *s = baht(sum);
        FIND(out, "quarters-without-budget", pr, "quarters",
             "โครงการระบุว่าไม่ใช้งบประมาณ แต่มีแผนใช้จ่าย %s บาท ให้ใส่งบประมาณหรือลบแผนใช้จ่าย",
             "the project needs no budget but plans %s baht of spending; enter a budget or "
             "clear the quarters",
             s);
        free(s);
    }
    if (pr->has_budget && pr->budget > 0 && sum == 0) {
        char *b = baht(pr->budget);
        FIND(out, "budget-without-quarters", pr, "quarters",
             "มีงบประมาณ %s บาท แต่ไม่มีแผนใช้จ่ายรายไตรมาส ให้กระจายงบประมาณลงไตรมาส",
             "a budget of %s baht with no quarterly plan; spread it over the quarters", b);
        free(b);
    }
}

/* ---- period ---------------------------------------------------------------- */

static void check_period(const plan_doc *p, const project *pr, findings *out)
{
    thai_period per;
    char err[256];
    int fy = p->fiscal_year;
    date fs = fy_start(fy), fe = fy_end(fy);

    if (!pr->period_text || !*pr->period_text) {
        if (date_is_null(pr->start)) {
            FIND(out, "period-unreadable", pr, "period",
                 "ไม่มีระยะเวลาดำเนินการ ให้ระบุ เช่น ต.ค. 67 - ก.ย. 68",
                 "no operating period; give one such as ต.ค. 67 - ก.ย. 68");
            return;
        }
    } else if (thai_period_parse(pr->period_text, fy, &per, err, sizeof err) != 0) {
        if (date_is_null(pr->start)) {
            FIND(out, "period-unreadable", pr, "period", "อ่านระยะเวลาดำเนินการ '%s' ไม่ได้: %s",
                 "cannot read the operating period '%s': %s", pr->period_text, err);
            return;
        }
    } else {
        for (int i = 0; i < per.nrepairs; i++) {
            const char *to = thai_month_abbr(per.repairs[i].month);
            FIND(out, "month-repaired", pr, "period",
                 "ระยะเวลา '%s': อ่าน '%s' เป็น '%s' (เดือนที่ใกล้ที่สุดที่อยู่ในปีงบประมาณ) โปรดตรวจสอบ",
                 "period '%s': read '%s' as '%s' (the nearest month inside the fiscal year); "
                 "please check",
                 pr->period_text, per.repairs[i].from, to);
        }
    }
    if (date_is_null(pr->start))
        return;
    if (date_cmp(pr->start, fs) < 0 || date_cmp(pr->end, fe) > 0) {
        char a[11], b[11];
        date_iso(pr->start, a);
        date_iso(pr->end, b);
        FIND(out, "period-outside-year", pr, "period",
             "ระยะเวลา %s ถึง %s อยู่นอกปีงบประมาณ พ.ศ. %d (1 ต.ค. %d - 30 ก.ย. %d)",
             "the period %s to %s runs outside fiscal year %d BE (1 Oct %d - 30 Sep %d BE)", a,
             b, fy, fy - 1, fy);
    }
    for (int q = 0; q < 4; q++) {
        date qs, qe;
        if (pr->q[q] == 0)
            continue;
        fy_quarter_range(fy, q + 1, &qs, &qe);
        if (date_cmp(pr->start, qe) > 0 || date_cmp(pr->end, qs) < 0) {
            char *m = baht(pr->q[q]);
            findings_addf(out, "spend-outside-period", rule_sev("spend-outside-period"), pr->no,
                          (const char *[]){"q1", "q2", "q3", "q4"}[q], pr->line,
                          "ไตรมาส %d มีแผนใช้จ่าย %s บาท แต่ระยะเวลาดำเนินการ '%s' ไม่ครอบคลุม"
                          "ไตรมาส %d ให้ย้ายเงินไปไตรมาสที่ดำเนินการหรือแก้ระยะเวลา",
                          "quarter %d plans %s baht but the operating period '%s' does not "
                          "touch quarter %d; move the money or correct the period",
                          q + 1, m, pr->period_text ? pr->period_text : "", q + 1);
            free(m);
        }
    }
}

/* ---- unit -------------------------------------------------------------------- */

/* unit_match, through the memo when there is one (a whole plan's check) */
static unit_match_kind match_unit(const unit_registry *units, unit_memo *um, const char *text,
                                  const unit_entry **ue, double *score)
{
    return um ? unit_memo_match(um, text, ue, score) : unit_match(units, text, ue, score);
}

static void check_unit(const project *pr, const unit_registry *units, unit_memo *um,
                       findings *out)
{
    const unit_entry *ue = NULL;
    double score = 0;
    const char *text = pr->unit_text && *pr->unit_text ? pr->unit_text : pr->unit;
    unit_match_kind k;

    if (!text || !*text) {
        FIND(out, "unit-unknown", pr, "unit", "ไม่ได้ระบุผู้รับผิดชอบ ให้เลือกกลุ่มที่รับผิดชอบ",
             "no responsible unit; choose the unit in charge");
        return;
    }
    if (pr->unit && unit_registry_find(units, pr->unit)) {
        /* matched on import (or chosen in a form): say so if it was not exact */
        k = match_unit(units, um, text, &ue, &score);
        if (k == UNIT_EXACT && text_equal_nospace(ue->name, pr->unit))
            return;
        FIND(out, "unit-matched", pr, "unit",
             "ผู้รับผิดชอบ '%s' ไม่ตรงกับทะเบียน ใช้ '%s' (ใกล้เคียงที่สุด) หากถูกต้องให้เพิ่มเป็นชื่อเรียกอื่น "
             "ด้วย phaen unit alias",
             "unit '%s' is not in the registry; '%s' (the nearest) was used; if right, add it "
             "as an alias with phaen unit alias",
             text, pr->unit);
        return;
    }
    k = match_unit(units, um, text, &ue, &score);
    if (k == UNIT_UNKNOWN) {
        FIND(out, "unit-unknown", pr, "unit",
             "ผู้รับผิดชอบ '%s' ไม่อยู่ในทะเบียนหน่วยงาน ให้เพิ่มด้วย phaen unit add หรือ unit alias",
             "unit '%s' is not in the registry; add it with phaen unit add or unit alias", text);
    } else if (k == UNIT_NEAREST || !pr->unit) {
        FIND(out, "unit-matched", pr, "unit",
             "ผู้รับผิดชอบ '%s' ไม่ตรงกับทะเบียน ใกล้เคียง '%s' ที่สุด โปรดตรวจสอบ",
             "unit '%s' is not in the registry; nearest is '%s'; please check", text, ue->name);
    }
}

/* ---- alignment -------------------------------------------------------------------- */

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Valid form of one code of field f (ranges for lists without a complete
** list are the known official ranges). */
static bool code_form_ok(align_field f, const char *c)
{
    int v = atoi(c);
    switch (f) {
    case ALIGN_NATIONAL_STRATEGY:
        return all_digits(c, strlen(c)) && v >= 1 && v <= 6;
    case ALIGN_MASTER_PLAN:
        return all_digits(c, 2) && v >= 1 && v <= 23;
    case ALIGN_SUBPLAN_TARGET:
        return all_digits(c, 6) && v / 10000 >= 1 && v / 10000 <= 23;
    case ALIGN_PLAN13_MILESTONE:
        return all_digits(c, strlen(c)) && v >= 1 && v <= 13;
    case ALIGN_SECURITY_POLICY:
        return all_digits(c, strlen(c)) && v >= 1 && v <= 17;
    case ALIGN_GOVERNMENT_POLICY:
        return all_digits(c, strlen(c)) && v >= 1;
    case ALIGN_MOE_STRATEGY:
        return all_digits(c, strlen(c)) && v >= 1 && v <= 6;
    default:
        return false;
    }
}

static const char *field_key(align_field f)
{
    static char keys[ALIGN__MAX][40];
    if (!keys[f][0])
        snprintf(keys[f], sizeof keys[f], "alignment.%s", align_key(f));
    return keys[f];
}

static bool required_align(align_field f)
{
    return f != ALIGN_SECURITY_POLICY && f != ALIGN_GOVERNMENT_POLICY;
}

static void check_alignment(const project *pr, const refdata *ref, findings *out)
{
    const alignment *al = pr->align;
    for (int f = 0; f < ALIGN__MAX; f++) {
        const alignment *a = &al[f];
        const char *fk = field_key((align_field)f);
        if (a->free_text && f != ALIGN_GOVERNMENT_POLICY) {
            FIND(out, "align-bad-form", pr, fk, "ช่อง %s%.0s '%s' ต้องเป็นรหัสตัวเลข",
                 "column %.0s%s '%s' must hold numeric codes", align_header_th((align_field)f),
                 align_name_en((align_field)f), a->text ? a->text : "");
            continue;
        }
        if (a->codes.n == 0 && !a->free_text) {
            if (required_align((align_field)f))
                FIND(out, "align-missing", pr, fk,
                     "ไม่ได้ระบุ %s%.0s ให้ระบุรหัสความสอดคล้อง", "no %.0s%s code given; enter one",
                     align_header_th((align_field)f), align_name_en((align_field)f));
            continue;
        }
        for (size_t i = 0; i < a->codes.n; i++) {
            const char *c = a->codes.v[i];
            const ref_list *rl = &ref->lists[f];

            if (!code_form_ok((align_field)f, c)) {
                FIND(out, "align-bad-form", pr, fk, "รหัส %s%.0s '%s' ผิดรูปแบบ",
                     "%.0s%s code '%s' is malformed", align_header_th((align_field)f),
                     align_name_en((align_field)f), c);
                continue;
            }
            if (rl->complete && !ref_find(ref, (align_field)f, c))
                FIND(out, "align-unknown-code", pr, fk, "รหัส %s%.0s '%s' ไม่อยู่ในรายการอ้างอิง",
                     "%.0s%s code '%s' is not in the reference list",
                     align_header_th((align_field)f), align_name_en((align_field)f), c);
        }
    }

    /* master plan vs national strategy */
    if (al[ALIGN_MASTER_PLAN].codes.n && al[ALIGN_NATIONAL_STRATEGY].codes.n) {
        for (size_t i = 0; i < al[ALIGN_MASTER_PLAN].codes.n; i++) {
            const char *mp = al[ALIGN_MASTER_PLAN].codes.v[i];
            const ref_item *it = ref_find(ref, ALIGN_MASTER_PLAN, mp);
            bool found = false;
            if (!it || !it->parent)
                continue;
            for (size_t j = 0; j < al[ALIGN_NATIONAL_STRATEGY].codes.n; j++)
                found |= strcmp(al[ALIGN_NATIONAL_STRATEGY].codes.v[j], it->parent) == 0;
            if (!found) {
                char *ns = strlist_join(&al[ALIGN_NATIONAL_STRATEGY].codes, ",");
                FIND(out, "align-masterplan-strategy", pr, field_key(ALIGN_NATIONAL_STRATEGY),
                     "แผนแม่บท %s (%s) ปกติอยู่ภายใต้ยุทธศาสตร์ชาติด้านที่ %s แต่โครงการระบุ ย.ชาติ %s "
                     "โปรดตรวจสอบ",
                     "master plan %s (%s) usually belongs to national strategy %s, but the "
                     "project gives %s; please check",
                     mp, it->title_th, it->parent, ns);
                free(ns);
            }
        }
    }
    /* sub-plan target MMSSTT starts with the master plan */
    if (al[ALIGN_SUBPLAN_TARGET].codes.n && al[ALIGN_MASTER_PLAN].codes.n) {
        for (size_t i = 0; i < al[ALIGN_SUBPLAN_TARGET].codes.n; i++) {
            const char *t = al[ALIGN_SUBPLAN_TARGET].codes.v[i];
            bool ok = false;
            if (!code_form_ok(ALIGN_SUBPLAN_TARGET, t))
                continue;
            for (size_t j = 0; j < al[ALIGN_MASTER_PLAN].codes.n; j++)
                ok |= strncmp(t, al[ALIGN_MASTER_PLAN].codes.v[j], 2) == 0;
            if (!ok) {
                char *mp = strlist_join(&al[ALIGN_MASTER_PLAN].codes, ",");
                FIND(out, "align-target-masterplan", pr, field_key(ALIGN_SUBPLAN_TARGET),
                     "เป้าหมายแผนแม่บทย่อย %s ต้องขึ้นต้นด้วยรหัสแผนแม่บท %s",
                     "sub-plan target %s must start with the master plan code %s", t, mp);
                free(mp);
            }
        }
    }
}

static void check_issue(const plan_doc *p, const project *pr, findings *out)
{
    const alignment *moe = &pr->align[ALIGN_MOE_STRATEGY];
    if (pr->issue_inferred) {
        const strategic_issue *si = plan_issue(p, pr->issue);
        bool untitled = !si || !si->title || !*si->title;
        FIND(out, "strategic-issue-inferred", pr, "strategic_issue",
             "ไม่มีแถวประเด็นยุทธศาสตร์ก่อนโครงการนี้ จัดเข้าประเด็นยุทธศาสตร์ที่ %d ตาม ย.ศธ%s%.0s",
             "no strategic-issue row before this project; placed under issue %d from its "
             "ย.ศธ code%.0s%s",
             pr->issue, untitled ? " (ยังไม่มีชื่อประเด็น ให้สำนักงานกำหนด)" : "",
             untitled ? " (the issue has no title yet)" : "");
    }
    if (moe->codes.n == 1 && pr->issue > 0 && atoi(moe->codes.v[0]) != pr->issue)
        FIND(out, "align-moe-issue", pr, field_key(ALIGN_MOE_STRATEGY),
             "ย.ศธ %s แต่โครงการอยู่ในประเด็นยุทธศาสตร์ที่ %d โปรดตรวจสอบ",
             "ย.ศธ is %s but the project is under strategic issue %d; please check",
             moe->codes.v[0], pr->issue);
}

static void check_one(const plan_doc *p, const project *pr, const refdata *ref,
                      const unit_registry *units, unit_memo *um, findings *out)
{
    if (!pr->name || !*pr->name)
        FIND(out, "name-missing", pr, "name", "ไม่มีชื่อโครงการ", "the project has no name");
    check_money(p, pr, out);
    check_period(p, pr, out);
    check_unit(pr, units, um, out);
    check_alignment(pr, ref, out);
    check_issue(p, pr, out);
    findings_append(out, &pr->notes);
}

void check_project(const plan_doc *p, const project *pr, const refdata *ref,
                   const unit_registry *units, findings *out)
{
    check_one(p, pr, ref, units, NULL, out);
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Projects may not add up to more than the allocated budget, overall or
** for a unit whose share was set. */
static void check_allocation(const plan_doc *p, findings *out)
{
    int64_t total = 0;
    bool ovf = false;
    for (size_t i = 0; i < p->nprojects; i++)
        ovf |= !money_add(&total, p->projects[i].has_budget ? p->projects[i].budget : 0);
    if (p->has_allocation && !ovf && total > p->allocated) {
        char *t = baht(total), *a = baht(p->allocated), *d = baht(total - p->allocated);
        findings_addf(out, "over-allocation", rule_sev("over-allocation"), 0, "allocation", 0,
                      "โครงการรวม %s บาท เกินงบประมาณที่ได้รับจัดสรร %s บาท อยู่ %s บาท",
                      "the projects add up to %s baht, %s baht allocated: %s baht over", t, a,
                      d);
        free(t);
        free(a);
        free(d);
    }
    for (size_t k = 0; k < p->nunit_alloc; k++) {
        int64_t sum = 0;
        for (size_t i = 0; i < p->nprojects; i++) {
            const project *pr = &p->projects[i];
            if (pr->unit && strcmp(pr->unit, p->unit_alloc[k].unit) == 0 && pr->has_budget)
                money_add(&sum, pr->budget);
        }
        if (sum > p->unit_alloc[k].satang) {
            char *t = baht(sum), *a = baht(p->unit_alloc[k].satang);
            findings_addf(out, "over-allocation", rule_sev("over-allocation"), 0, "allocation", 0,
                          "โครงการของ %s รวม %s บาท เกินที่จัดสรรให้ %s บาท",
                          "the projects of %s add up to %s baht, over its %s baht allocation",
                          p->unit_alloc[k].unit, t, a);
            free(t);
            free(a);
        }
    }
}

/* Projects are checked in blocks on every core (par.h), each block into
** findings of its own, put together in the plan's order afterwards; blocks
** are large because each has its own unit memo. */
enum { CHECK_BLOCK = 256, CHECK_PAR_MIN = 1024 /* fewer projects: on this thread */ };

typedef struct check_job {
    const plan_doc *p;
    const refdata *ref;
    const unit_registry *units;
    findings *part; /* one per block */
} check_job;

static void check_block(void *cls, size_t from, size_t to)
{
    check_job *j = cls;
    unit_memo *um = unit_memo_new(j->units);
    if (from % CHECK_BLOCK != 0)
        panic("check_plan: block at %zu", from);
    for (size_t i = from; i < to; i++)
        check_one(j->p, &j->p->projects[i], j->ref, j->units, um, &j->part[from / CHECK_BLOCK]);
    unit_memo_free(um);
}

void check_plan(const plan_doc *p, const refdata *ref, const unit_registry *units,
                findings *out)
{
    int *nos = xmalloc((p->nprojects + 1) * sizeof *nos);
    size_t nblocks = (p->nprojects + CHECK_BLOCK - 1) / CHECK_BLOCK;
    check_job job = {p, ref, units, xcalloc(nblocks + 1, sizeof(findings))};

    par_for(p->nprojects, CHECK_BLOCK, CHECK_PAR_MIN, check_block, &job);
    for (size_t b = 0; b < nblocks; b++)
        findings_move(out, &job.part[b]);
    free(job.part);
    for (size_t i = 0; i < p->nprojects; i++)
        nos[i] = p->projects[i].no;
    qsort(nos, p->nprojects, sizeof *nos, int_cmp);
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = NULL;
        if (i > 0 && nos[i] == nos[i - 1]) {
            pr = plan_project(p, nos[i]);
            for (size_t k = 0; k < p->nprojects; k++)
                if (p->projects[k].no == nos[i] && &p->projects[k] != pr)
                    pr = &p->projects[k];
            FIND(out, "number-duplicate", pr, "no", "เลขที่โครงการ %d ซ้ำกัน ให้เรียงเลขที่ใหม่",
                 "project number %d is used twice; renumber the projects", nos[i]);
        } else if ((i == 0 && nos[i] != 1) || (i > 0 && nos[i] > nos[i - 1] + 1)) {
            int from = i ? nos[i - 1] + 1 : 1;
            pr = plan_project(p, nos[i]);
            FIND(out, "number-gap", pr, "no", "เลขที่โครงการข้ามจาก %d ถึง %d",
                 "project numbers skip from %d to %d", from, nos[i] - 1);
        }
    }
    free(nos);
    check_allocation(p, out);
    findings_append(out, &p->notes);
    findings_sort(out);
}
