/*
** test_diff.c — comparing two versions of a plan: the seed (revision 1)
** against a copy revised by hand (project 12's budget and Q4 raised,
** project 21 removed, a new project 21 added, projects 5 and 6 swapped,
** project 3's period changed). Every expected number below is worked out
** by hand from the seed's values (tests/unit/test_import.c), not taken
** from the program's output. Then matching by similar names, the JSON, the
** PDF (read back with pdftotext) and the workbook.
*/
#include "testutil.h"

#include <jansson.h>
#include <unistd.h>
#include <zip.h>

#include "diff.h"
#include "import_text.h"

#define B(baht) ((int64_t)(baht) * 100)

static plan_doc *seed;
static char outpath[96];

static int setup(void **state)
{
    (void)state;
    seed = test_seed();
    snprintf(outpath, sizeof outpath, "/tmp/phaen-test-diff-%ld", (long)getpid());
    return seed ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    plan_free(seed);
    return 0;
}

/* A deep copy of the parts of a plan the diff reads. */
static plan_doc *plan_dup(const plan_doc *src)
{
    plan_doc *p = plan_new();
    p->agency = xstrdup(src->agency);
    p->fiscal_year = src->fiscal_year;
    p->title = xstrdup(src->title);
    p->title_line = xstrdup(src->title_line);
    p->revision = src->revision;
    p->version_label = xstrdup(src->version_label);
    for (size_t i = 0; i < src->nissues; i++)
        plan_set_issue(p, src->issues[i].no, src->issues[i].title);
    for (size_t i = 0; i < src->nprojects; i++)
        project_copy(plan_add_project(p), &src->projects[i]);
    return p;
}

static project *find_no(plan_doc *p, int no)
{
    for (size_t i = 0; i < p->nprojects; i++)
        if (p->projects[i].no == no)
            return &p->projects[i];
    return NULL;
}

static const char *NEW_NAME = "โครงการพัฒนาระบบข้อมูลสารสนเทศเพื่อการบริหารจัดการศึกษาจังหวัดลำปาง";

/* Revision 2, by hand. */
static plan_doc *revise(void)
{
    plan_doc *p = plan_dup(seed);
    project *pr, tmp;
    size_t i5 = 0, i6 = 0;

    p->revision = 2;
    free(p->version_label);
    p->version_label = xstrdup("ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ 2");

    /* project 12: 86,400 -> 90,000 and Q4 3,142 -> 6,742 */
    pr = find_no(p, 12);
    assert_int_equal(pr->budget, B(86400));
    assert_int_equal(pr->q[3], B(3142));
    pr->budget = B(90000);
    pr->q[3] = B(6742);

    /* project 3: another period */
    pr = find_no(p, 3);
    free(pr->period_text);
    pr->period_text = xstrdup("ม.ค. - ส.ค. 68");
    pr->start = (date){2025, 1, 1};
    pr->end = (date){2025, 8, 31};

    /* projects 5 and 6 swap numbers (and places) */
    for (size_t i = 0; i < p->nprojects; i++) {
        if (p->projects[i].no == 5)
            i5 = i;
        if (p->projects[i].no == 6)
            i6 = i;
    }
    p->projects[i5].no = 6;
    p->projects[i6].no = 5;
    tmp = p->projects[i5];
    p->projects[i5] = p->projects[i6];
    p->projects[i6] = tmp;

    /* project 21 (HRM Lampang Transforms, no budget) goes ... */
    pr = find_no(p, 21);
    assert_non_null(pr);
    assert_false(pr->has_budget);
    project_free_fields(pr);
    p->nprojects--;
    assert_ptr_equal(pr, &p->projects[p->nprojects]);

    /* ... and a new project 21 comes: 15,000 in Q2 5,000 and Q3 10,000 */
    pr = plan_add_project(p);
    pr->no = 21;
    pr->name = xstrdup(NEW_NAME);
    strlist_add(&pr->items[ITEM_OBJECTIVE], "เพื่อพัฒนาระบบข้อมูลสารสนเทศ");
    pr->has_budget = true;
    pr->budget = B(15000);
    pr->q[1] = B(5000);
    pr->q[2] = B(10000);
    pr->period_text = xstrdup("ม.ค. - มิ.ย. 68");
    pr->start = (date){2025, 1, 1};
    pr->end = (date){2025, 6, 30};
    pr->unit_text = xstrdup("กลุ่มนโยบายและแผน");
    pr->unit = xstrdup("กลุ่มนโยบายและแผน");
    pr->issue = 6;
    return p;
}

static const diff_pair *pair_new_no(const plan_diff *d, int no)
{
    for (size_t i = 0; i < d->npairs; i++)
        if (d->pairs[i].new_no == no)
            return &d->pairs[i];
    return NULL;
}

static const diff_total *row_key(const diff_total *v, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].key, key) == 0)
            return &v[i];
    return NULL;
}

static void test_revision(void **state)
{
    plan_doc *b = revise();
    plan_diff d;
    const diff_pair *p;
    const diff_total *t;
    (void)state;

    assert_int_equal(plan_diff_compute(seed, b, &d), 0);
    assert_false(d.overflow);
    assert_int_equal(d.from.revision, 1);
    assert_int_equal(d.to.revision, 2);
    assert_string_equal(d.to.name, "ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ 2");

    /* added and removed: both numbered 21, told apart by name */
    assert_int_equal(d.nadded, 1);
    assert_int_equal(d.added[0].no, 21);
    assert_string_equal(d.added[0].name, NEW_NAME);
    assert_int_equal(d.added[0].budget, B(15000));
    assert_int_equal(d.nremoved, 1);
    assert_int_equal(d.removed[0].no, 21);
    assert_string_equal(d.removed[0].name, "โครงการ HRM Lampang Transforms");
    assert_false(d.removed[0].has_budget);

    /* renumbered: 5 <-> 6 only */
    assert_int_equal(d.npairs, 20);
    assert_int_equal(d.nrenumbered, 2);
    p = pair_new_no(&d, 5);
    assert_int_equal(p->old_no, 6);
    assert_int_equal(p->match, DIFF_MATCH_EXACT);
    assert_false(diff_pair_changed(p));
    p = pair_new_no(&d, 6);
    assert_int_equal(p->old_no, 5);
    assert_false(diff_pair_changed(p));

    /* changed: 12 (money) and 3 (period) only */
    assert_int_equal(d.nchanged, 2);
    for (size_t i = 0; i < d.npairs; i++) {
        p = &d.pairs[i];
        if (p->new_no != 12 && p->new_no != 3)
            assert_false(diff_pair_changed(p));
    }
    p = pair_new_no(&d, 12);
    assert_int_equal(p->old_no, 12);
    assert_int_equal(p->nfields, 0);
    assert_true(p->money_changed);
    assert_true(p->money[DIFF_BUDGET].changed);
    assert_int_equal(p->money[DIFF_BUDGET].old_v, B(86400));
    assert_int_equal(p->money[DIFF_BUDGET].new_v, B(90000));
    assert_int_equal(p->money[DIFF_BUDGET].delta, 360000);
    assert_true(p->money[DIFF_Q4].changed);
    assert_int_equal(p->money[DIFF_Q4].old_v, B(3142));
    assert_int_equal(p->money[DIFF_Q4].new_v, B(6742));
    assert_int_equal(p->money[DIFF_Q4].delta, 360000);
    for (int q = DIFF_Q1; q <= DIFF_Q3; q++) {
        assert_false(p->money[q].changed);
        assert_int_equal(p->money[q].delta, 0);
    }
    assert_null(p->reason);
    p = pair_new_no(&d, 3);
    assert_false(p->money_changed);
    assert_int_equal(p->nfields, 1);
    assert_string_equal(p->fields[0].key, "period");
    assert_string_equal(p->fields[0].old_text, "ธ.ค. 67 - ก.ค. 68");
    assert_string_equal(p->fields[0].new_text, "ม.ค. - ส.ค. 68");

    /* totals: 546,200 before; + 3,600 (project 12) + 15,000 (new) after */
    assert_int_equal(d.total.before[DIFF_BUDGET], 54620000);
    assert_int_equal(d.total.after[DIFF_BUDGET], 54620000 + 360000 + 1500000);
    assert_int_equal(d.total.delta[DIFF_BUDGET], 1860000);
    assert_int_equal(d.total.nbefore, 21);
    assert_int_equal(d.total.nafter, 21);
    /* quarters before, summed from the seed's rows by hand */
    assert_int_equal(d.total.before[DIFF_Q1], B(77525));
    assert_int_equal(d.total.before[DIFF_Q2], B(274133));
    assert_int_equal(d.total.before[DIFF_Q3], B(160545));
    assert_int_equal(d.total.before[DIFF_Q4], B(33997));
    assert_int_equal(d.total.after[DIFF_Q1], B(77525));
    assert_int_equal(d.total.after[DIFF_Q2], B(274133 + 5000));
    assert_int_equal(d.total.after[DIFF_Q3], B(160545 + 10000));
    assert_int_equal(d.total.after[DIFF_Q4], B(33997 + 3600));

    /* per issue: 3 gains project 12's 3,600 (in Q4), 6 the new 15,000 */
    assert_int_equal(d.nissue, 6);
    t = row_key(d.by_issue, d.nissue, "3");
    assert_int_equal(t->before[DIFF_BUDGET], B(255900));
    assert_int_equal(t->delta[DIFF_BUDGET], 360000);
    assert_int_equal(t->delta[DIFF_Q4], 360000);
    assert_int_equal(t->delta[DIFF_Q2], 0);
    t = row_key(d.by_issue, d.nissue, "6");
    assert_int_equal(t->before[DIFF_BUDGET], B(199400));
    assert_int_equal(t->delta[DIFF_BUDGET], 1500000);
    assert_int_equal(t->delta[DIFF_Q2], 500000);
    assert_int_equal(t->delta[DIFF_Q3], 1000000);
    assert_int_equal(t->nbefore, 4);
    assert_int_equal(t->nafter, 4);
    for (const char *k = "1245"; *k; k++) {
        char key[2] = {*k, 0};
        t = row_key(d.by_issue, d.nissue, key);
        assert_non_null(t);
        for (int m = 0; m < DIFF__MONEY; m++)
            assert_int_equal(t->delta[m], 0);
    }

    /* per unit: the removed project's unit keeps its row, with no project after */
    t = row_key(d.by_unit, d.nunit, "กลุ่มบริหารงานบุคคล");
    assert_non_null(t);
    assert_int_equal(t->nbefore, 1);
    assert_int_equal(t->nafter, 0);
    t = row_key(d.by_unit, d.nunit, "กลุ่มนิเทศ ติดตามและประเมินผล");
    assert_int_equal(t->delta[DIFF_BUDGET], 360000);
    t = row_key(d.by_unit, d.nunit, "กลุ่มนโยบายและแผน");
    assert_int_equal(t->before[DIFF_BUDGET], B(190900));
    assert_int_equal(t->after[DIFF_BUDGET], B(205900));

    plan_diff_free(&d);
    plan_free(b);
}

static void test_identical(void **state)
{
    plan_doc *b = plan_dup(seed);
    plan_diff d;
    (void)state;
    assert_int_equal(plan_diff_compute(seed, b, &d), 0);
    assert_int_equal(d.npairs, seed->nprojects);
    assert_int_equal(d.nadded + d.nremoved + d.nchanged + d.nrenumbered, 0);
    for (int m = 0; m < DIFF__MONEY; m++)
        assert_int_equal(d.total.delta[m], 0);
    /* the same label twice: the two versions are still told apart */
    assert_string_not_equal(d.from.name, d.to.name);
    plan_diff_free(&d);
    plan_free(b);
}

/* A name edited a little is the same project; a different name at the
** same number is not; a name respaced is no change at all. */
static void test_matching(void **state)
{
    plan_doc *b = plan_dup(seed);
    plan_diff d;
    const diff_pair *p;
    project *pr;
    (void)state;

    pr = find_no(b, 13); /* โครงการพัฒนาศักยภาพบุคลากรสำนักงานศึกษาธิการจังหวัดลำปาง */
    free(pr->name);
    pr->name = xstrdup("โครงการพัฒนาศักยภาพบุคลากรของสำนักงานศึกษาธิการจังหวัดลำปาง");
    pr = find_no(b, 11);
    free(pr->name);
    pr->name = xstrdup("โครงการอบรมคุณธรรมจริยธรรมสำหรับผู้บริหารสถานศึกษา");
    pr = find_no(b, 2); /* spaces only */
    free(pr->name);
    pr->name = xstrdup("โครงการศรจ.ลำปางปลอดภัยห่วงใยชีวิตและทรัพย์สิน");
    strlist_add(&pr->items[ITEM_OUTPUT], "ผลผลิตเพิ่มเติม");
    pr = find_no(b, 17); /* ไม่ใช้งบประมาณ -> 5,000 in Q3 */
    pr->has_budget = true;
    pr->budget = B(5000);
    pr->q[2] = B(5000);
    pr = find_no(b, 14);
    strlist_clear(&pr->align[ALIGN_MASTER_PLAN].codes);
    strlist_add(&pr->align[ALIGN_MASTER_PLAN].codes, "12");
    pr->issue = 3;

    assert_int_equal(plan_diff_compute(seed, b, &d), 0);
    p = pair_new_no(&d, 13);
    assert_non_null(p);
    assert_int_equal(p->match, DIFF_MATCH_SIMILAR);
    assert_true(p->similarity >= DIFF_SIMILARITY && p->similarity < 1);
    assert_int_equal(p->nfields, 1);
    assert_string_equal(p->fields[0].key, "name");

    assert_null(pair_new_no(&d, 11));
    assert_int_equal(d.nadded, 1);
    assert_int_equal(d.added[0].no, 11);
    assert_int_equal(d.nremoved, 1);
    assert_int_equal(d.removed[0].no, 11);
    assert_int_equal(d.removed[0].budget, B(30000));

    p = pair_new_no(&d, 2);
    assert_int_equal(p->match, DIFF_MATCH_EXACT);
    assert_int_equal(p->nfields, 1);
    assert_string_equal(p->fields[0].key, "outputs");

    p = pair_new_no(&d, 14);
    assert_int_equal(p->nfields, 2);
    assert_string_equal(p->fields[0].key, "issue");
    assert_string_equal(p->fields[0].old_text, "4");
    assert_string_equal(p->fields[0].new_text, "3");
    assert_string_equal(p->fields[1].key, "alignment.master_plan");
    assert_string_equal(p->fields[1].old_text, "17");
    assert_string_equal(p->fields[1].new_text, "12");
    p = pair_new_no(&d, 17);
    assert_false(p->money[DIFF_BUDGET].old_set);
    assert_true(p->money[DIFF_BUDGET].new_set);
    assert_true(p->money[DIFF_BUDGET].changed);
    assert_int_equal(p->money[DIFF_BUDGET].delta, B(5000));
    assert_int_equal(p->money[DIFF_Q3].delta, B(5000));
    {
        json_t *j = plan_diff_json(&d), *x;
        size_t i;
        json_array_foreach(json_object_get(j, "changed"), i, x) {
            json_t *bud = json_object_get(json_object_get(x, "money"), "budget");
            if (json_integer_value(json_object_get(x, "no")) != 17)
                continue;
            assert_true(json_is_null(json_object_get(bud, "old")));
            assert_int_equal(json_integer_value(json_object_get(bud, "new")), B(5000));
            assert_int_equal(json_integer_value(json_object_get(bud, "delta")), B(5000));
        }
        json_decref(j);
    }
    assert_int_equal(d.nrenumbered, 0);
    assert_int_equal(d.nchanged, 4);
    plan_diff_free(&d);

    /* against an empty plan: everything added, and back, everything removed */
    {
        plan_doc *e = plan_new();
        e->fiscal_year = 2568;
        assert_int_equal(plan_diff_compute(e, seed, &d), 0);
        assert_int_equal(d.nadded, seed->nprojects);
        assert_int_equal(d.total.delta[DIFF_BUDGET], 54620000);
        assert_string_equal(d.from.name, "ฉบับเดิม");
        plan_diff_free(&d);
        assert_int_equal(plan_diff_compute(seed, e, &d), 0);
        assert_int_equal(d.nremoved, seed->nprojects);
        assert_int_equal(d.npairs, 0);
        plan_diff_free(&d);
        plan_free(e);
    }
    plan_free(b);
}

/* Many projects, listed in reverse and renumbered; two share a name. */
static void test_many(void **state)
{
    enum { N = 3000 };
    plan_doc *a = plan_new(), *b = plan_new();
    plan_diff d;
    (void)state;
    a->fiscal_year = b->fiscal_year = 2568;
    for (int i = 1; i <= N; i++) {
        project *pa = plan_add_project(a);
        pa->no = i;
        pa->name = i <= 2 ? xstrdup("โครงการ ชื่อซ้ำ") : xasprintf("โครงการ ทดสอบ ที่ %d", i);
        pa->has_budget = true;
        pa->budget = B(i);
        pa->q[0] = B(i);
    }
    for (int i = N; i >= 1; i--) {
        project *pb = plan_add_project(b);
        project_copy(pb, &a->projects[i - 1]);
        if (i > 2)
            pb->no = N + 1 - i + 2; /* 3000 -> 3, ..., 3 -> 3000 */
    }
    assert_int_equal(plan_diff_compute(a, b, &d), 0);
    assert_int_equal(d.npairs, N);
    assert_int_equal(d.nadded + d.nremoved + d.nchanged, 0);
    /* the two of the same name keep their own numbers; 3..3000 all move */
    assert_int_equal(d.nrenumbered, N - 2);
    for (size_t i = 0; i < d.npairs; i++)
        if (d.pairs[i].old_no <= 2)
            assert_int_equal(d.pairs[i].old_no, d.pairs[i].new_no);
    plan_diff_free(&d);
    plan_free(a);
    plan_free(b);
}

static void test_json(void **state)
{
    plan_doc *b = revise();
    plan_diff d;
    json_t *j, *c, *x;
    size_t i;
    (void)state;
    assert_int_equal(plan_diff_compute(seed, b, &d), 0);
    j = plan_diff_json(&d);
    assert_string_equal(json_string_value(json_object_get(j, "schema")), "phaen-diff/1");
    x = json_object_get(j, "from");
    assert_int_equal(json_integer_value(json_object_get(x, "fiscal_year")), 2568);
    assert_int_equal(json_integer_value(json_object_get(x, "revision")), 1);
    assert_string_equal(json_string_value(json_object_get(x, "version_label")),
                        "ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ 1");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "to"), "revision")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "added")), 1);
    x = json_array_get(json_object_get(j, "removed"), 0);
    assert_int_equal(json_integer_value(json_object_get(x, "no")), 21);
    assert_true(json_is_null(json_object_get(x, "budget_satang")));
    assert_int_equal(json_array_size(json_object_get(j, "renumbered")), 2);
    x = json_array_get(json_object_get(j, "renumbered"), 0);
    assert_int_equal(json_integer_value(json_object_get(x, "old_no")), 6);
    assert_int_equal(json_integer_value(json_object_get(x, "new_no")), 5);
    c = json_object_get(j, "changed");
    assert_int_equal(json_array_size(c), 2);
    json_array_foreach(c, i, x) {
        json_t *m = json_object_get(x, "money");
        if (json_integer_value(json_object_get(x, "no")) == 12) {
            json_t *bud = json_object_get(m, "budget");
            assert_int_equal(json_integer_value(json_object_get(bud, "old")), 8640000);
            assert_int_equal(json_integer_value(json_object_get(bud, "new")), 9000000);
            assert_int_equal(json_integer_value(json_object_get(bud, "delta")), 360000);
            assert_int_equal(
                json_integer_value(json_object_get(json_object_get(m, "q4"), "delta")), 360000);
            assert_int_equal(json_array_size(json_object_get(x, "fields")), 0);
            assert_true(json_is_null(json_object_get(x, "reason")));
        } else {
            json_t *f = json_array_get(json_object_get(x, "fields"), 0);
            assert_int_equal(json_integer_value(json_object_get(x, "no")), 3);
            assert_string_equal(json_string_value(json_object_get(f, "field")), "period");
            assert_string_equal(json_string_value(json_object_get(f, "new")), "ม.ค. - ส.ค. 68");
        }
    }
    assert_int_equal(json_integer_value(json_object_get(j, "unchanged")), 16);
    x = json_object_get(j, "totals");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(x, "before"), "budget_satang")),
        54620000);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(x, "after"), "budget_satang")),
        56480000);
    {
        json_t *dq = json_object_get(json_object_get(x, "delta"), "quarters_satang");
        assert_int_equal(json_integer_value(json_array_get(dq, 0)), 0);
        assert_int_equal(json_integer_value(json_array_get(dq, 1)), 500000);
        assert_int_equal(json_integer_value(json_array_get(dq, 2)), 1000000);
        assert_int_equal(json_integer_value(json_array_get(dq, 3)), 360000);
    }
    {
        json_t *bi = json_object_get(json_object_get(x, "delta"), "by_issue");
        json_t *before = json_object_get(json_object_get(x, "before"), "by_issue");
        assert_int_equal(json_array_size(bi), json_array_size(before));
        json_array_foreach(bi, i, c) {
            json_int_t issue = json_integer_value(json_object_get(c, "issue"));
            json_int_t delta = json_integer_value(json_object_get(c, "budget_satang"));
            assert_int_equal(delta, issue == 3 ? 360000 : issue == 6 ? 1500000 : 0);
            assert_int_equal(issue, json_integer_value(json_object_get(
                                        json_array_get(before, i), "issue")));
        }
    }
    assert_false(json_is_true(json_object_get(j, "overflow")));
    {
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        assert_non_null(s);
        free(s);
    }
    json_decref(j);
    plan_diff_free(&d);
    plan_free(b);
}

/* Output of a shell command (heap memory). */
static char *run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    buf b;
    char chunk[4096];
    size_t n;
    buf_init(&b, 0);
    assert_non_null(f);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    assert_int_equal(pclose(f), 0);
    return buf_detach(&b);
}

static void test_pdf(void **state)
{
    plan_doc *b = revise();
    plan_diff d;
    char err[512], path[128], *cmd, *text;
    (void)state;
    snprintf(path, sizeof path, "%s.pdf", outpath);
    assert_int_equal(plan_diff_compute(seed, b, &d), 0);
    if (render_diff_pdf(seed, b, &d, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    cmd = xasprintf("pdftotext -raw '%s' -", path);
    text = run(cmd);
    assert_non_null(strstr(text, "เปรียบเทียบแผนการใช้จ่ายงบประมาณ"));
    assert_non_null(strstr(text, "ครั้งที่ 1 กับ ฉบับปรับปรุง"));
    assert_non_null(strstr(text, "86,400"));
    assert_non_null(strstr(text, "90,000"));
    assert_non_null(strstr(text, "+3,600"));
    assert_non_null(strstr(text, "3,142"));
    assert_non_null(strstr(text, "6,742"));
    assert_non_null(strstr(text, "546,200"));
    assert_non_null(strstr(text, "564,800"));
    assert_non_null(strstr(text, "+18,600"));
    assert_non_null(strstr(text, "ม.ค. - ส.ค. 68"));
    assert_non_null(strstr(text, "HRM Lampang Transforms"));
    assert_non_null(strstr(text, "- ๑ -"));
    free(text);
    free(cmd);
    unlink(path);
    plan_diff_free(&d);

    /* nothing to show: still a document, each section saying so */
    assert_int_equal(plan_diff_compute(seed, seed, &d), 0);
    if (render_diff_pdf(seed, seed, &d, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    cmd = xasprintf("pdftotext -raw '%s' -", path);
    text = run(cmd);
    assert_non_null(strstr(text, "ไม่มีโครงการที่เพิ่มใหม่"));
    free(text);
    free(cmd);
    unlink(path);
    plan_diff_free(&d);
    plan_free(b);
}

/* The text of one part of a zip (heap memory), NULL when absent. */
static char *zip_part(const char *path, const char *name)
{
    int e = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &e);
    zip_file_t *f;
    buf b;
    char chunk[8192];
    zip_int64_t n;
    if (!z)
        return NULL;
    f = zip_fopen(z, name, 0);
    if (!f) {
        zip_close(z);
        return NULL;
    }
    buf_init(&b, 0);
    while ((n = zip_fread(f, chunk, sizeof chunk)) > 0)
        buf_add(&b, chunk, (size_t)n);
    zip_fclose(f);
    zip_close(z);
    return buf_detach(&b);
}

static void test_xlsx(void **state)
{
    plan_doc *b = revise();
    plan_diff d;
    char err[512], path[128], magic[4] = {0}, *sheet, *strings;
    FILE *f;
    (void)state;
    snprintf(path, sizeof path, "%s.xlsx", outpath);
    assert_int_equal(plan_diff_compute(seed, b, &d), 0);
    if (export_diff_xlsx(seed, b, &d, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(magic, 1, 4, f), 4);
    fclose(f);
    assert_memory_equal(magic, "PK\3\4", 4);

    sheet = zip_part(path, "xl/worksheets/sheet1.xml");
    strings = zip_part(path, "xl/sharedStrings.xml");
    assert_non_null(sheet);
    assert_non_null(strings);
    /* project 12 is the 12th data row (row 16): budget 86400 -> 90000 */
    assert_non_null(strstr(sheet, "<f>F16-E16</f><v>3600</v>"));
    assert_non_null(strstr(sheet, "<v>86400</v>"));
    assert_non_null(strstr(sheet, "<v>90000</v>"));
    /* totals: SUM, and the change as a formula */
    assert_non_null(strstr(sheet, "<f>SUM(E5:E26)</f><v>546200</v>"));
    assert_non_null(strstr(sheet, "<v>564800</v>"));
    assert_non_null(strstr(strings, "เพิ่มใหม่"));
    assert_non_null(strstr(strings, "ตัดออก"));
    assert_non_null(strstr(strings, "เปลี่ยนลำดับ"));
    free(sheet);
    free(strings);
    unlink(path);
    plan_diff_free(&d);
    plan_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revision), cmocka_unit_test(test_identical),
        cmocka_unit_test(test_matching), cmocka_unit_test(test_many),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_pdf),      cmocka_unit_test(test_xlsx),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
