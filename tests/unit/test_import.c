/*
** test_import.c — the seed document, imported and checked.
**
** Every expected value below was read off the document
** (data/samples/lampang-2568-rev1.txt) by a person, row by row: budgets,
** quarters, periods, units, the seven alignment codes, the strategic
** issues, and the problems a careful planner would point out. They are
** not copied from the program's output.
*/
#include "testutil.h"

#include "check.h"
#include "import_text.h"
#include "summary.h"


static plan_doc *seed;
static unit_registry units;
static refdata *ref;
static findings fs;

static int setup(void **state)
{
    (void)state;
    if (!(seed = test_seed()))
        return -1;
    unit_registry_builtin(&units);
    ref = ref_builtin();
    check_plan(seed, ref, &units, &fs);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    plan_free(seed);
    unit_registry_free(&units);
    ref_free(ref);
    findings_free(&fs);
    return 0;
}

#define B(baht) ((int64_t)(baht) * 100)
#define NONE (-1)

struct expect {
    int no;
    int64_t budget; /* baht; NONE = ไม่ใช้งบประมาณ */
    int64_t q[4];   /* baht */
    const char *start, *end;
    const char *unit;
    const char *codes[7]; /* "-" = none; "a;b" = several codes */
    int issue;
    bool inferred;
};

static const char *U_ADMIN = "กลุ่มอำนวยการ", *U_PLAN = "กลุ่มนโยบายและแผน",
                  *U_HR = "กลุ่มบริหารงานบุคคล", *U_DEV = "กลุ่มพัฒนาการศึกษา",
                  *U_SUP = "กลุ่มนิเทศ ติดตามและประเมินผล", *U_PRIV = "กลุ่มส่งเสริมการศึกษาเอกชน",
                  *U_SCOUT = "กลุ่มลูกเสือ ยุวกาชาด และกิจการนักเรียน";

static const struct expect rows[] = {
    {1, 6330, {2100, 4230, 0, 0}, "2024-11-01", "2025-09-30", NULL,
     {"3", "12", "120101", "12", "1", "-", "3"}, 1, false},
    {2, 9000, {0, 0, 9000, 0}, "2024-10-01", "2025-09-30", NULL,
     {"1", "01", "010101", "11", "14", "-", "1"}, 1, false},
    {3, 20000, {0, 15630, 4370, 0}, "2024-12-01", "2025-07-31", NULL,
     {"1", "01", "010201", "9", "8", "10", "1"}, 1, false},
    {4, 3020, {0, 0, 720, 2300}, "2024-10-01", "2025-09-30", NULL,
     {"2", "04", "040601", "12", "-", "6;8", "2"}, 2, false},
    {5, 5500, {0, 5500, 0, 0}, "2025-01-01", "2025-02-28", NULL,
     {"3", "12", "120201", "12", "-", "4", "3"}, 3, false},
    {6, 8000, {4400, 3600, 0, 0}, "2024-10-01", "2025-09-30", NULL,
     {"3", "12", "120101", "12", "-", "4", "3"}, 3, false},
    {7, 6400, {0, 6400, 0, 0}, "2024-12-01", "2025-04-30", NULL,
     {"3", "12", "120101", "12", "-", "-", "3"}, 3, false},
    {8, 10100, {10100, 0, 0, 0}, "2025-02-01", "2025-09-30", NULL,
     {"3", "12", "120101", "12", "-", "1", "3"}, 3, false},
    {9, 21000, {9000, 6000, 6000, 0}, "2024-11-01", "2025-07-31", NULL,
     {"3", "12", "120101", "12", "17", "-", "3"}, 3, false},
    {10, 60000, {0, 0, 60000, 0}, "2024-12-01", "2025-07-31", NULL,
     {"3", "12", "120101", "12", "-", "4", "3"}, 3, false},
    {11, 30000, {0, 30000, 0, 0}, "2025-01-01", "2025-01-31", NULL,
     {"3", "11", "110301", "12", "-", "-", "3"}, 3, false},
    {12, 86400, {0, 71193, 12065, 3142}, "2024-11-01", "2025-09-30", NULL,
     {"3", "12", "120101", "12", "-", "4", "3"}, 3, false},
    {13, 28500, {28500, 0, 0, 0}, "2024-11-01", "2025-02-28", NULL,
     {"3", "12", "120101", "12", "-", "-", "-"}, 3, false},
    {14, 9650, {0, 875, 7575, 1200}, "2024-10-01", "2025-09-30", NULL,
     {"4", "17", "170201", "9", "-", "12", "4"}, 4, false},
    {15, 30900, {1920, 14800, 13360, 820}, "2024-11-01", "2025-08-31", NULL,
     {"4", "17", "170101", "12", "17", "12", "4"}, 4, false},
    {16, 12000, {0, 12000, 0, 0}, "2024-12-01", "2025-07-31", NULL,
     {"4", "17", "170101", "12", "-", "12", "4"}, 4, false},
    {17, NONE, {0, 0, 0, 0}, "2024-10-01", "2025-09-30", NULL,
     {"5", "18", "180501", "11", "-", "14", "5"}, 5, true},
    {18, 100000, {20430, 46030, 22280, 11260}, "2024-10-01", "2025-09-30", NULL,
     {"3", "12", "120101", "12", "1;6;7;8;9;10", "17", "6"}, 6, true},
    {19, 90900, {1075, 57875, 16875, 15075}, "2024-10-01", "2025-09-30", NULL,
     {"6", "12", "120101", "12", "-", "-", "6"}, 6, true},
    {20, 8500, {0, 0, 8300, 200}, "2024-10-01", "2025-09-30", NULL,
     {"6", "20", "200101", "13", "-", "-", "6"}, 6, true},
    {21, NONE, {0, 0, 0, 0}, "2025-01-01", "2025-08-31", NULL,
     {"6", "20", "200401", "13", "-", "*", "6"}, 6, true},
};

static const char **units_by_no(void)
{
    static const char *u[22];
    u[1] = U_SCOUT;
    u[2] = u[13] = u[17] = u[20] = U_ADMIN;
    u[3] = u[4] = u[11] = u[14] = U_DEV;
    u[5] = u[6] = u[8] = u[12] = U_SUP;
    u[7] = u[9] = u[10] = u[15] = u[16] = U_PRIV;
    u[18] = u[19] = U_PLAN;
    u[21] = U_HR;
    return u;
}

static void test_header(void **state)
{
    (void)state;
    assert_int_equal(seed->fiscal_year, 2568);
    assert_string_equal(seed->agency, "สำนักงานศึกษาธิการจังหวัดลำปาง");
    assert_string_equal(seed->title,
                        "แผนการใช้จ่ายงบประมาณรายโครงการตามแผนปฏิบัติราชการประจำปีงบประมาณ");
    assert_int_equal(seed->revision, 1);
    assert_string_equal(seed->version_label, "ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ 1");
    assert_int_equal(seed->nprojects, 21);
}

static void test_projects(void **state)
{
    const char **u = units_by_no();
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        const struct expect *e = &rows[i];
        const project *pr = plan_project(seed, e->no);
        char a[11], b[11];
        assert_non_null(pr);
        if (e->budget == NONE) {
            assert_false(pr->has_budget);
        } else {
            assert_true(pr->has_budget);
            assert_int_equal(pr->budget, B(e->budget));
        }
        for (int q = 0; q < 4; q++)
            assert_int_equal(pr->q[q], B(e->q[q]));
        date_iso(pr->start, a);
        date_iso(pr->end, b);
        assert_string_equal(a, e->start);
        assert_string_equal(b, e->end);
        assert_non_null(pr->unit);
        assert_string_equal(pr->unit, u[e->no]);
        for (int f = 0; f < ALIGN__MAX; f++) {
            const alignment *al = &pr->align[f];
            if (strcmp(e->codes[f], "-") == 0) {
                assert_int_equal(al->codes.n, 0);
                assert_false(al->free_text);
            } else if (strcmp(e->codes[f], "*") == 0) {
                assert_true(al->free_text);
                assert_non_null(strstr(al->text, "ปฏิรูป"));
            } else {
                char *joined = strlist_join(&al->codes, ";");
                assert_string_equal(joined, e->codes[f]);
                free(joined);
            }
        }
        assert_int_equal(pr->issue, e->issue);
        assert_int_equal(pr->issue_inferred, e->inferred);
    }
}

static void test_totals(void **state)
{
    summary s;
    (void)state;
    summary_compute(seed, &s);
    assert_int_equal(s.budget, B(546200));
    assert_int_equal(s.q[0], B(77525));
    assert_int_equal(s.q[1], B(274133));
    assert_int_equal(s.q[2], B(160545));
    assert_int_equal(s.q[3], B(33997));
    assert_int_equal(s.nno_budget, 2);
    summary_free(&s);
}

static void test_text_cells(void **state)
{
    const project *p4 = plan_project(seed, 4), *p3 = plan_project(seed, 3);
    const project *p21 = plan_project(seed, 21);
    (void)state;
    assert_string_equal(p21->name, "โครงการ HRM Lampang Transforms");
    /* project 4's objectives run over a page break (line 81) with <p> tags;
    ** objective 3 ends "…รองรับกับทิศ" and goes on "ทางการพัฒนา…" */
    assert_int_equal(p4->items[ITEM_OBJECTIVE].n, 6);
    assert_non_null(strstr(p4->items[ITEM_OBJECTIVE].v[2], "รองรับกับทิศทางการพัฒนาทรัพยากรมนุษย์"));
    assert_null(strstr(p4->items[ITEM_OBJECTIVE].v[3], "<p>"));
    assert_int_equal(p4->items[ITEM_OUTPUT].n, 3);
    assert_int_equal(p4->items[ITEM_OUTCOME].n, 4);
    assert_int_equal(p4->items[ITEM_INDICATOR_QUANT].n, 5);
    assert_int_equal(p4->items[ITEM_INDICATOR_QUAL].n, 1);
    /* project 3: four objectives, three outputs, two + one outcomes carried over */
    assert_int_equal(p3->items[ITEM_OBJECTIVE].n, 4);
    assert_int_equal(p3->items[ITEM_OUTPUT].n, 3);
    assert_int_equal(p3->items[ITEM_OUTCOME].n, 3);
    assert_int_equal(p3->items[ITEM_INDICATOR_QUAL].n, 3);
}

static void test_issues_and_signers(void **state)
{
    (void)state;
    assert_non_null(plan_issue(seed, 1));
    assert_string_equal(plan_issue(seed, 1)->title,
                        "ส่งเสริมการศึกษาเพื่อความมั่นคงของชาติและความปลอดภัยในชีวิต");
    assert_string_equal(plan_issue(seed, 4)->title,
                        "สร้างโอกาส ความเสมอภาค และความเท่าเทียมทางการศึกษาที่มีคุณภาพ");
    assert_non_null(plan_issue(seed, 5));
    assert_non_null(plan_issue(seed, 6));
    assert_string_equal(seed->signers[SIGN_PREPARED].name, "นางสุดารัตน์ ชุมขวัญ");
    assert_string_equal(seed->signers[SIGN_PREPARED].position, "นักวิเคราะห์นโยบายและแผนชำนาญการ");
    assert_string_equal(seed->signers[SIGN_CHECKED].name, "นางเนตรชนก ธรรมกุล");
    assert_string_equal(seed->signers[SIGN_CHECKED].position, "ผู้อำนวยการกลุ่มนโยบายและแผน");
    assert_string_equal(seed->signers[SIGN_APPROVED].name, "นายณรงค์ พันธุ์เทียน");
    assert_string_equal(seed->signers[SIGN_APPROVED].position,
                        "รองศึกษาธิการจังหวัด รักษาการในตำแหน่ง\nศึกษาธิการจังหวัดลำปาง");
    assert_int_equal(seed->signers[SIGN_APPROVED].date.y, 2025);
    assert_int_equal(seed->signers[SIGN_APPROVED].date.m, 1);
    assert_int_equal(seed->signers[SIGN_APPROVED].date.d, 13);
}

static void test_memo(void **state)
{
    const memo *m = &seed->memo;
    (void)state;
    assert_true(seed->has_memo);
    assert_string_equal(m->doc_no, "ศธ ๐๒๑๐๗/.....");
    assert_int_equal(m->date.y, 2025);
    assert_int_equal(m->date.m, 1);
    assert_int_equal(m->date.d, 13);
    assert_string_equal(m->to, "ศึกษาธิการจังหวัดลำปาง");
    assert_non_null(strstr(m->subject, "(ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ ๑)"));
    assert_non_null(strstr(m->from, "กลุ่มนโยบายและแผน"));
    assert_int_equal(m->nsections, 4);
    assert_string_equal(m->sections[0].heading, "ต้นเรื่อง/ข้อเท็จจริง");
    assert_string_equal(m->sections[3].heading, "ข้อเสนอ");
    assert_int_equal(m->sections[1].paras.n, 2);
    assert_int_equal(m->sections[3].paras.n, 3);
}

/* How many findings of `rule` on project `no`. */
static int count(const char *rule, int no)
{
    int n = 0;
    for (size_t i = 0; i < fs.n; i++)
        n += strcmp(fs.v[i].rule, rule) == 0 && fs.v[i].project == no;
    return n;
}

static int count_rule(const char *rule)
{
    int n = 0;
    for (size_t i = 0; i < fs.n; i++)
        n += strcmp(fs.v[i].rule, rule) == 0;
    return n;
}

static void test_findings(void **state)
{
    (void)state;
    /* project 8 spends 10,100 in quarter 1 but runs ก.พ. - ก.ย. 68 */
    assert_int_equal(count("spend-outside-period", 8), 1);
    assert_int_equal(count_rule("spend-outside-period"), 1);
    /* every budget adds up in the document */
    assert_int_equal(count_rule("quarters-sum"), 0);
    assert_int_equal(count_rule("budget-without-quarters"), 0);
    assert_int_equal(count_rule("quarters-without-budget"), 0);
    /* damaged month abbreviations: ต.ย. (2, 4, 6), ร.ค. (16), ต.ศ. (18) */
    assert_int_equal(count_rule("month-repaired"), 5);
    assert_int_equal(count("month-repaired", 2), 1);
    assert_int_equal(count("month-repaired", 4), 1);
    assert_int_equal(count("month-repaired", 6), 1);
    assert_int_equal(count("month-repaired", 16), 1);
    assert_int_equal(count("month-repaired", 18), 1);
    /* row 1 lost a quarter cell (18 cells where 19 belong) */
    assert_int_equal(count("row-missing-cell", 1), 1);
    assert_int_equal(count_rule("row-missing-cell"), 1);
    /* unit names damaged: ยูวภาษา (1), อำนาจการ (2, 13, 20), อำนวยความสะดวก (17) */
    assert_int_equal(count_rule("unit-matched"), 5);
    assert_int_equal(count("unit-matched", 1), 1);
    assert_int_equal(count("unit-matched", 17), 1);
    assert_int_equal(count_rule("unit-unknown"), 0);
    /* issues 5 and 6 have no band row */
    assert_int_equal(count_rule("strategic-issue-inferred"), 5);
    assert_int_equal(count("strategic-issue-inferred", 17), 1);
    /* project 19: ย.ชาติ 6 with master plan 12 (usually strategy 3) */
    assert_int_equal(count("align-masterplan-strategy", 19), 1);
    assert_int_equal(count_rule("align-masterplan-strategy"), 1);
    assert_int_equal(count_rule("align-target-masterplan"), 0);
    /* project 13 gives no ย.ศธ */
    assert_int_equal(count("align-missing", 13), 1);
    assert_int_equal(count_rule("align-missing"), 1);
    /* project 1 is under issue 1's band row but says ย.ศธ 3 */
    assert_int_equal(count("align-moe-issue", 1), 1);
    assert_int_equal(count_rule("number-duplicate") + count_rule("number-gap"), 0);
    assert_int_equal(count_rule("align-unknown-code") + count_rule("align-bad-form"), 0);
    assert_int_equal(count_rule("period-unreadable") + count_rule("period-outside-year"), 0);
    /* the signers' names differ between memo and plan (ชุมขวัญ/ชุมชวัญ, พันธุ์/พันหนุ) */
    assert_int_equal(count_rule("signer-mismatch"), 2);
    assert_int_equal(findings_count(&fs, SEV_ERROR), 1);
}

static void test_finding_fields(void **state)
{
    (void)state;
    for (size_t i = 0; i < fs.n; i++) {
        const finding *f = &fs.v[i];
        if (strcmp(f->rule, "spend-outside-period") == 0) {
            assert_int_equal(f->sev, SEV_ERROR);
            assert_int_equal(f->line, 104);
            assert_string_equal(f->field, "q1");
            assert_non_null(strstr(f->message_th, "10,100"));
            assert_non_null(strstr(f->message_en, "10,100"));
        }
        if (strcmp(f->rule, "month-repaired") == 0 && f->project == 16) {
            assert_int_equal(f->sev, SEV_WARNING);
            assert_non_null(strstr(f->message_th, "ธ.ค."));
        }
        assert_true(*f->message_th && *f->message_en);
    }
}

/* import_opts.done_with: each call, and the last place told. */
static size_t told_calls, told_upto;
static const char *told_data;
static void record_done_with(const char *data, size_t upto)
{
    assert_ptr_equal(data, told_data);
    assert_true(upto >= told_upto); /* the reader only moves forward */
    told_upto = upto;
    told_calls++;
}

/* The seed's table 16 times over (336 project rows, with their band rows
** and page breaks) is enough rows to be laid out on several threads: every
** copy of a project must come out as the seed's own, in document order,
** and the caller is told at the end that it may drop the whole input. */
static void test_many_rows(void **state)
{
    enum { COPIES = 16 };
    char err[512];
    size_t len, head_len, table_len;
    char *data = file_read(TEST_SEED, 0, &len, err, sizeof err);
    const char *table, *tail;
    import_opts o = {.source_name = "x16.txt", .ref = ref, .units = &units,
                     .done_with = record_done_with};
    buf b;
    plan_doc *big;
    (void)state;
    assert_non_null(data);
    /* the table runs from the first header row ("ที่<TAB>") to the end of the
    ** last line holding a tab */
    table = strstr(data, "\nที่\t");
    assert_non_null(table);
    table++;
    tail = table;
    for (const char *t = table; (t = strchr(t, '\t')); t++)
        tail = t;
    tail = strchr(tail, '\n') + 1;
    head_len = (size_t)(table - data);
    table_len = (size_t)(tail - table);
    buf_init(&b, 0);
    buf_add(&b, data, head_len);
    for (int i = 0; i < COPIES; i++)
        buf_add(&b, table, table_len);
    buf_adds(&b, tail);
    told_data = b.s;
    big = import_text(b.s, b.len, &o, err, sizeof err);
    assert_non_null(big);
    import_match_units(big, &units);
    assert_int_equal(big->nprojects, COPIES * seed->nprojects);
    for (size_t i = 0; i < big->nprojects; i++) {
        const project *a = &big->projects[i], *want = &seed->projects[i % seed->nprojects];
        assert_same_project_core(a, want);
        /* the first copy is where the seed has it; the others further down */
        if (i < seed->nprojects)
            assert_int_equal(a->line, want->line);
        else
            assert_true(a->line > want->line);
    }
    assert_true(told_calls >= 1);
    assert_int_equal(told_upto, b.len);
    plan_free(big);
    buf_free(&b);
    free(data);
}

/* import_check_bytes on 20 MB (checked in pieces on every core): Thai
** letters cut by every piece boundary are fine; one bad byte, or one NUL,
** anywhere is found, with its line. */
static void test_check_bytes_large(void **state)
{
    enum { LEN = 20 << 20 };
    char err[256];
    char *d = malloc(LEN);
    size_t i = 0;
    int lineno = 1;
    (void)state;
    while (i + 4 <= LEN) { /* "ก" (E0 B8 81) then a newline every so often */
        if (i % 1001 == 1000) {
            d[i++] = '\n';
            continue;
        }
        memcpy(d + i, "\xE0\xB8\x81", 3);
        i += 3;
    }
    while (i < LEN)
        d[i++] = 'x';
    assert_int_equal(import_check_bytes(d, LEN, err, sizeof err), 0);
    /* a lone continuation byte in the third piece */
    i = (8 << 20) + 5;
    while ((unsigned char)d[i] != 0xE0)
        i++;
    d[i] = 'y'; /* the lead byte gone: ... 'y' B8 81 ... */
    for (size_t k = 0; k < i; k++)
        lineno += d[k] == '\n';
    assert_int_equal(import_check_bytes(d, LEN, err, sizeof err), -1);
    {
        char want[32];
        snprintf(want, sizeof want, "line %d:", lineno);
        assert_non_null(strstr(err, want));
    }
    d[i] = (char)0xE0; /* mended */
    assert_int_equal(import_check_bytes(d, LEN, err, sizeof err), 0);
    d[LEN - 2] = 0;
    assert_int_equal(import_check_bytes(d, LEN, err, sizeof err), -1);
    assert_non_null(strstr(err, "NUL"));
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),       cmocka_unit_test(test_projects),
        cmocka_unit_test(test_totals),       cmocka_unit_test(test_text_cells),
        cmocka_unit_test(test_issues_and_signers), cmocka_unit_test(test_memo),
        cmocka_unit_test(test_findings),     cmocka_unit_test(test_finding_fields),
        cmocka_unit_test(test_many_rows),    cmocka_unit_test(test_check_bytes_large),
    };
    return cmocka_run_group_tests_name("import (seed)", tests, setup, teardown);
}
