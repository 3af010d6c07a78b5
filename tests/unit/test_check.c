/*
** test_check.c — each rule of the check engine on a small plan built in
** code: the rule fires on the faulty value, names the project, the field
** and the right amount, and stays quiet on the corrected value.
*/
#include "testutil.h"

#include "check.h"

static refdata *ref;
static unit_registry units;

static int setup(void **state)
{
    (void)state;
    ref = ref_builtin();
    unit_registry_builtin(&units);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ref_free(ref);
    unit_registry_free(&units);
    return 0;
}

/* A sound project: 9,000 baht all in quarter 3, Oct 67 - Sep 68. */
static project *add_good(plan_doc *p, int no)
{
    project *pr = plan_add_project(p);
    static const char *codes[ALIGN__MAX] = {"1", "01", "010101", "11", "14", "-", "1"};
    pr->no = no;
    pr->line = 100 + no;
    pr->name = xstrdup("โครงการทดสอบ");
    pr->has_budget = true;
    pr->budget = 900000;
    pr->q[2] = 900000;
    pr->period_text = xstrdup("ต.ค. 67 - ก.ย. 68");
    pr->start = (date){2024, 10, 1};
    pr->end = (date){2025, 9, 30};
    pr->unit_text = xstrdup("กลุ่มอำนวยการ");
    pr->unit = xstrdup("กลุ่มอำนวยการ");
    pr->issue = 1;
    for (int f = 0; f < ALIGN__MAX; f++)
        plan_parse_alignment((align_field)f, codes[f], &pr->align[f]);
    return pr;
}

static plan_doc *new_plan(void)
{
    plan_doc *p = plan_new();
    p->fiscal_year = 2568;
    plan_set_issue(p, 1, "ความมั่นคง");
    return p;
}

static const finding *find(const findings *fs, const char *rule, int no)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->v[i].rule, rule) == 0 && fs->v[i].project == no)
            return &fs->v[i];
    return NULL;
}

static void run(plan_doc *p, findings *fs)
{
    findings_free(fs);
    check_plan(p, ref, &units, fs);
}

static void test_good_plan_is_clean(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    (void)state;
    add_good(p, 1);
    add_good(p, 2);
    run(p, &fs);
    for (size_t i = 0; i < fs.n; i++)
        fprintf(stderr, "unexpected: %s %s\n", fs.v[i].rule, fs.v[i].message_en);
    assert_int_equal(fs.n, 0);
    findings_free(&fs);
    plan_free(p);
}

static void test_quarters_sum(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    project *pr = add_good(p, 1);
    const finding *f;
    (void)state;
    pr->q[0] = 50000; /* 9,500 planned against 9,000 */
    run(p, &fs);
    f = find(&fs, "quarters-sum", 1);
    assert_non_null(f);
    assert_int_equal(f->sev, SEV_ERROR);
    assert_int_equal(f->line, 101);
    assert_string_equal(f->field, "quarters");
    assert_non_null(strstr(f->message_en, "9,500"));
    assert_non_null(strstr(f->message_en, "over by 500"));
    assert_non_null(strstr(f->message_th, "เกิน 500"));
    pr->q[0] = 0;
    run(p, &fs);
    assert_null(find(&fs, "quarters-sum", 1));
    findings_free(&fs);
    plan_free(p);
}

static void test_budget_rules(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    project *a = add_good(p, 1), *b = add_good(p, 2);
    (void)state;
    a->q[2] = 0; /* budget, nothing planned */
    b->has_budget = false;
    b->budget = 0; /* no budget, 9,000 planned */
    run(p, &fs);
    assert_non_null(find(&fs, "budget-without-quarters", 1));
    assert_null(find(&fs, "quarters-sum", 1));
    assert_non_null(find(&fs, "quarters-without-budget", 2));
    assert_non_null(strstr(find(&fs, "quarters-without-budget", 2)->message_en, "9,000"));
    findings_free(&fs);
    plan_free(p);
}

static void test_period_rules(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    project *a = add_good(p, 1), *b = add_good(p, 2), *c = add_good(p, 3);
    const finding *f;
    (void)state;
    /* a: Feb - Sep 68 with money in quarter 1 */
    free(a->period_text);
    a->period_text = xstrdup("ก.พ. - ก.ย. 68");
    a->start = (date){2025, 2, 1};
    a->q[2] = 0;
    a->q[0] = 900000;
    /* b: runs past the fiscal year */
    free(b->period_text);
    b->period_text = xstrdup("ต.ค. 67 - ธ.ค. 68");
    b->end = (date){2025, 12, 31};
    /* c: unreadable */
    free(c->period_text);
    c->period_text = xstrdup("ตามความเหมาะสม");
    c->start = c->end = (date){0, 0, 0};
    run(p, &fs);
    f = find(&fs, "spend-outside-period", 1);
    assert_non_null(f);
    assert_string_equal(f->field, "q1");
    assert_int_equal(f->sev, SEV_ERROR);
    assert_non_null(find(&fs, "period-outside-year", 2));
    assert_null(find(&fs, "spend-outside-period", 2));
    assert_non_null(find(&fs, "period-unreadable", 3));
    findings_free(&fs);
    plan_free(p);
}

static void test_month_repaired(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    project *a = add_good(p, 1);
    const finding *f;
    (void)state;
    free(a->period_text);
    a->period_text = xstrdup("ต.ศ. 67 - ก.ย. 68");
    run(p, &fs);
    f = find(&fs, "month-repaired", 1);
    assert_non_null(f);
    assert_int_equal(f->sev, SEV_WARNING);
    assert_non_null(strstr(f->message_th, "ต.ค."));
    findings_free(&fs);
    plan_free(p);
}

static void test_unit_rules(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    project *a = add_good(p, 1), *b = add_good(p, 2), *c = add_good(p, 3);
    (void)state;
    free(a->unit_text);
    a->unit_text = xstrdup("กลุ่ม อำนาจการ"); /* OCR-damaged, matched */
    free(b->unit_text);
    b->unit_text = xstrdup("ฝ่ายการเงินและบัญชี");
    free(b->unit);
    b->unit = NULL;
    free(c->unit_text);
    c->unit_text = xstrdup("กลุ่ม อำนวย การ"); /* only spaces differ: exact */
    run(p, &fs);
    assert_non_null(find(&fs, "unit-matched", 1));
    assert_non_null(find(&fs, "unit-unknown", 2));
    assert_int_equal(find(&fs, "unit-unknown", 2)->sev, SEV_ERROR);
    assert_null(find(&fs, "unit-matched", 3));
    /* an alias makes the damaged spelling exact */
    unit_registry_alias(&units, "กลุ่มอำนวยการ", "กลุ่ม อำนาจการ");
    run(p, &fs);
    assert_null(find(&fs, "unit-matched", 1));
    findings_free(&fs);
    plan_free(p);
}

static void test_alignment_rules(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    project *a = add_good(p, 1), *b = add_good(p, 2), *c = add_good(p, 3), *d = add_good(p, 4);
    (void)state;
    /* a: master plan 12 (usually strategy 3) under strategy 6 */
    plan_parse_alignment(ALIGN_NATIONAL_STRATEGY, "6", &a->align[ALIGN_NATIONAL_STRATEGY]);
    plan_parse_alignment(ALIGN_MASTER_PLAN, "12", &a->align[ALIGN_MASTER_PLAN]);
    plan_parse_alignment(ALIGN_SUBPLAN_TARGET, "120101", &a->align[ALIGN_SUBPLAN_TARGET]);
    /* b: sub-plan target of another master plan */
    plan_parse_alignment(ALIGN_SUBPLAN_TARGET, "120101", &b->align[ALIGN_SUBPLAN_TARGET]);
    /* c: milestone 14 does not exist (13 milestones); strategy 9 malformed */
    plan_parse_alignment(ALIGN_PLAN13_MILESTONE, "14", &c->align[ALIGN_PLAN13_MILESTONE]);
    plan_parse_alignment(ALIGN_NATIONAL_STRATEGY, "9", &c->align[ALIGN_NATIONAL_STRATEGY]);
    /* d: no master plan at all; words in a code column */
    plan_parse_alignment(ALIGN_MASTER_PLAN, "-", &d->align[ALIGN_MASTER_PLAN]);
    plan_parse_alignment(ALIGN_PLAN13_MILESTONE, "หมุดหมายที่สิบ", &d->align[ALIGN_PLAN13_MILESTONE]);
    run(p, &fs);
    assert_non_null(find(&fs, "align-masterplan-strategy", 1));
    assert_int_equal(find(&fs, "align-masterplan-strategy", 1)->sev, SEV_WARNING);
    assert_null(find(&fs, "align-target-masterplan", 1));
    assert_non_null(find(&fs, "align-target-masterplan", 2));
    assert_non_null(find(&fs, "align-bad-form", 3));
    assert_non_null(find(&fs, "align-missing", 4));
    assert_non_null(find(&fs, "align-bad-form", 4));
    findings_free(&fs);
    plan_free(p);
}

static void test_unknown_code_needs_complete_list(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    project *a = add_good(p, 1);
    (void)state;
    /* 019901 is well formed: with no complete sub-plan list, not unknown */
    plan_parse_alignment(ALIGN_SUBPLAN_TARGET, "019901", &a->align[ALIGN_SUBPLAN_TARGET]);
    run(p, &fs);
    assert_null(find(&fs, "align-unknown-code", 1));
    /* a complete list that lacks it makes it unknown */
    ref_add(&ref->lists[ALIGN_SUBPLAN_TARGET], "010101", "ทดสอบ", NULL, NULL);
    ref->lists[ALIGN_SUBPLAN_TARGET].complete = true;
    run(p, &fs);
    assert_non_null(find(&fs, "align-unknown-code", 1));
    ref->lists[ALIGN_SUBPLAN_TARGET].complete = false;
    findings_free(&fs);
    plan_free(p);
}

static void test_numbering(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    (void)state;
    add_good(p, 1);
    add_good(p, 1);
    add_good(p, 4);
    run(p, &fs);
    assert_non_null(find(&fs, "number-duplicate", 1));
    assert_non_null(find(&fs, "number-gap", 4));
    assert_non_null(strstr(find(&fs, "number-gap", 4)->message_en, "from 2 to 3"));
    findings_free(&fs);
    plan_free(p);
}

static void test_moe_issue_and_inferred(void **state)
{
    plan_doc *p = new_plan();
    findings fs = {0};
    project *a = add_good(p, 1), *b = add_good(p, 2);
    (void)state;
    plan_parse_alignment(ALIGN_MOE_STRATEGY, "3", &a->align[ALIGN_MOE_STRATEGY]);
    b->issue = 5;
    b->issue_inferred = true;
    plan_parse_alignment(ALIGN_MOE_STRATEGY, "5", &b->align[ALIGN_MOE_STRATEGY]);
    run(p, &fs);
    assert_non_null(find(&fs, "align-moe-issue", 1));
    assert_non_null(find(&fs, "strategic-issue-inferred", 2));
    assert_int_equal(find(&fs, "strategic-issue-inferred", 2)->sev, SEV_INFO);
    assert_null(find(&fs, "align-moe-issue", 2));
    findings_free(&fs);
    plan_free(p);
}

/* A plan large enough to be checked on every core (CHECK_PAR_MIN): the
** findings are those of the same plan checked project by project, in the
** same order, each naming its own project. Every 7th project plans 9,500
** against 9,000 baht; project 1,000 has an unreadable unit. */
static void test_large_plan_in_blocks(void **state)
{
    enum { N = 2500 };
    plan_doc *p = new_plan();
    findings fs = {0}, one = {0};
    size_t nsum = 0;
    (void)state;
    for (int no = 1; no <= N; no++) {
        project *pr = add_good(p, no);
        if (no % 7 == 0)
            pr->q[0] = 50000;
        if (no == 1000) {
            free(pr->unit_text);
            free(pr->unit);
            pr->unit_text = xstrdup("ฝ่ายที่ไม่มีในทะเบียน");
            pr->unit = NULL;
        }
    }
    run(p, &fs);
    for (size_t i = 0; i < fs.n; i++) {
        if (strcmp(fs.v[i].rule, "quarters-sum") == 0) {
            nsum++;
            assert_int_equal(fs.v[i].project % 7, 0);
            assert_int_equal(fs.v[i].line, 100 + fs.v[i].project);
        }
        if (i > 0) /* in the plan's order */
            assert_true(fs.v[i - 1].project <= fs.v[i].project);
    }
    assert_int_equal(nsum, N / 7);
    assert_non_null(find(&fs, "unit-unknown", 1000));
    /* the same findings as one project at a time */
    for (size_t i = 0; i < p->nprojects; i++)
        check_project(p, &p->projects[i], ref, &units, &one);
    findings_sort(&one);
    assert_int_equal(one.n, fs.n);
    for (size_t i = 0; i < fs.n; i++) {
        assert_string_equal(one.v[i].rule, fs.v[i].rule);
        assert_int_equal(one.v[i].project, fs.v[i].project);
        assert_string_equal(one.v[i].message_en, fs.v[i].message_en);
    }
    findings_free(&one);
    findings_free(&fs);
    plan_free(p);
}

static void test_rules_declared(void **state)
{
    static const char *required[] = {
        "quarters-sum", "quarters-without-budget", "budget-without-quarters",
        "spend-outside-period", "period-outside-year", "period-unreadable", "month-repaired",
        "row-missing-cell", "amount-unreadable", "unit-matched", "unit-unknown",
        "align-masterplan-strategy", "align-target-masterplan", "align-unknown-code",
        "align-missing", "strategic-issue-inferred", "number-duplicate", "number-gap"};
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(required); i++)
        assert_non_null(check_rule(required[i]));
    assert_int_equal(check_rule("quarters-sum")->sev, SEV_ERROR);
    assert_int_equal(check_rule("align-masterplan-strategy")->sev, SEV_WARNING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_plan_is_clean),
        cmocka_unit_test(test_quarters_sum),
        cmocka_unit_test(test_budget_rules),
        cmocka_unit_test(test_period_rules),
        cmocka_unit_test(test_month_repaired),
        cmocka_unit_test(test_unit_rules),
        cmocka_unit_test(test_alignment_rules),
        cmocka_unit_test(test_unknown_code_needs_complete_list),
        cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_moe_issue_and_inferred),
        cmocka_unit_test(test_large_plan_in_blocks),
        cmocka_unit_test(test_rules_declared),
    };
    return cmocka_run_group_tests_name("check", tests, setup, teardown);
}
