/*
** test_export.c — summary, JSON export, canonical CSV export and import.
*/
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>

#include "export.h"
#include "import_csv.h"
#include "plan.h"
#include "summary.h"

#define BOM "\xEF\xBB\xBF"
#define HEADER                                                                                 \
    "no,name,strategic_issue,objectives,outputs,outcomes,indicators_quantitative,"             \
    "indicators_qualitative,budget,q1,q2,q3,q4,period,period_start,period_end,unit,unit_text," \
    "national_strategy,master_plan,subplan_target,plan13_milestone,security_policy,"           \
    "government_policy,moe_strategy"

#define GOV_FREE "นโยบายเร่งด่วน, เรื่อง \"การศึกษา\" ตลอดชีวิต"

/* ---- building plans ---------------------------------------------------- */

static void add_items(strlist *l, const char *a, const char *b)
{
    if (a)
        strlist_add(l, a);
    if (b)
        strlist_add(l, b);
}

static void set_align(project *pr, const char *const cells[ALIGN__MAX])
{
    for (int a = 0; a < ALIGN__MAX; a++)
        plan_parse_alignment((align_field)a, cells[a], &pr->align[a]);
}

/* Three projects: with budget, without budget (free-text government
** policy), with satang; Thai text with commas, quotes and newlines. */
static plan_doc *make_plan(void)
{
    plan_doc *p = plan_new();
    project *pr;

    p->agency = xstrdup("สำนักงานศึกษาธิการจังหวัดลำปาง");
    p->fiscal_year = 2568;
    p->title = xstrdup("แผนการใช้จ่ายงบประมาณรายโครงการ");
    p->revision = 1;
    p->version_label = xstrdup("ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ 1");
    p->source_file = xstrdup("seed.txt");
    plan_set_issue(p, 1, "พัฒนาการจัดการศึกษาเพื่อความมั่นคง");
    plan_set_issue(p, 2, "พัฒนาคุณภาพการศึกษา");

    pr = plan_add_project(p);
    pr->no = 1;
    pr->name = xstrdup("โครงการประชุม \"เชิงปฏิบัติการ\", ทบทวนแผน\nปีงบประมาณ 2568");
    add_items(&pr->items[ITEM_OBJECTIVE], "เพื่อทบทวนแผน, ติดตามผล", "เพื่อ \"ประเมิน\" ผล");
    add_items(&pr->items[ITEM_OUTPUT], "บุคลากร 50 คน", NULL);
    add_items(&pr->items[ITEM_OUTCOME], "มีแผนที่ทันสมัย", NULL);
    add_items(&pr->items[ITEM_INDICATOR_QUANT], "ร้อยละ 80", "จำนวน 1 ฉบับ");
    add_items(&pr->items[ITEM_INDICATOR_QUAL], "แผนมีคุณภาพ", NULL);
    pr->has_budget = true;
    pr->budget = 633000;
    pr->q[0] = 210000;
    pr->q[1] = 423000;
    pr->period_text = xstrdup("พ.ย. 67 - ก.ย. 68");
    pr->start = (date){2024, 11, 1};
    pr->end = (date){2025, 9, 30};
    pr->unit = xstrdup("กลุ่มนโยบายและแผน");
    pr->unit_text = xstrdup("กลุ่ม นโยบายและแผน");
    pr->issue = 1;
    set_align(pr, (const char *const[]){"3,6", "01", "120101", "8", "-", "6,8", "1"});

    pr = plan_add_project(p);
    pr->no = 2;
    pr->name = xstrdup("โครงการไม่ใช้งบประมาณ");
    add_items(&pr->items[ITEM_OBJECTIVE], "เพื่อเผยแพร่ข่าวสาร", NULL);
    pr->has_budget = false;
    pr->period_text = xstrdup("ม.ค. - ก.พ. 68");
    pr->start = (date){2025, 1, 1};
    pr->end = (date){2025, 2, 28};
    pr->unit = xstrdup("กลุ่มอำนวยการ");
    pr->unit_text = xstrdup("กลุ่มอำนวยการ");
    pr->issue = 0;
    set_align(pr, (const char *const[]){"4", "12", "-", "-", "-", GOV_FREE, "-"});

    pr = plan_add_project(p);
    pr->no = 3;
    pr->name = xstrdup("โครงการนิเทศ ติดตาม");
    pr->has_budget = true;
    pr->budget = 123450;
    pr->q[2] = 123450;
    pr->period_text = NULL;
    pr->unit = xstrdup("กลุ่มนิเทศ ติดตามและประเมินผล");
    pr->unit_text = xstrdup("กลุ่มนิเทศ ติดตามและประเมินผล");
    pr->issue = 2;
    set_align(pr, (const char *const[]){"3", "12", "120101", "12", "2", "-", "2"});
    return p;
}

/* The known plan of the brief: 6,330 [2100,4230,0,0] and 9,000 [0,0,9000,0]. */
static plan_doc *make_known_plan(void)
{
    plan_doc *p = plan_new();
    project *pr;

    p->fiscal_year = 2568;
    plan_set_issue(p, 1, "ประเด็นหนึ่ง");
    plan_set_issue(p, 2, "ประเด็นสอง");
    plan_set_issue(p, 3, "ประเด็นสาม");

    pr = plan_add_project(p);
    pr->no = 1;
    pr->name = xstrdup("ก");
    pr->has_budget = true;
    pr->budget = 633000;
    pr->q[0] = 210000;
    pr->q[1] = 423000;
    pr->issue = 2;
    pr->unit = xstrdup("กลุ่มนโยบายและแผน");

    pr = plan_add_project(p);
    pr->no = 2;
    pr->name = xstrdup("ข");
    pr->has_budget = true;
    pr->budget = 900000;
    pr->q[2] = 900000;
    pr->issue = 1;
    pr->unit = xstrdup("กลุ่มอำนวยการ");

    pr = plan_add_project(p);
    pr->no = 3;
    pr->name = xstrdup("ค");
    pr->has_budget = false;
    pr->issue = 0;
    pr->unit_text = xstrdup("กลุ่มที่ไม่รู้จัก");
    return p;
}

/* ---- comparing ---------------------------------------------------------- */

static void assert_date_eq(date a, date b)
{
    assert_int_equal(a.y, b.y);
    assert_int_equal(a.m, b.m);
    assert_int_equal(a.d, b.d);
}

static void assert_list_eq(const strlist *a, const strlist *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        assert_string_equal(a->v[i], b->v[i]);
}

/* Every field the CSV carries (not `line`, `version`, `notes`). */
static void assert_project_eq(const project *a, const project *b)
{
    assert_int_equal(a->no, b->no);
    assert_str_eq(a->name, b->name);
    for (int k = 0; k < ITEM__MAX; k++)
        assert_list_eq(&a->items[k], &b->items[k]);
    assert_int_equal(a->has_budget, b->has_budget);
    assert_int_equal(a->budget, b->budget);
    for (int q = 0; q < 4; q++)
        assert_int_equal(a->q[q], b->q[q]);
    assert_str_eq(a->period_text, b->period_text);
    assert_date_eq(a->start, b->start);
    assert_date_eq(a->end, b->end);
    assert_str_eq(a->unit_text, b->unit_text);
    assert_str_eq(a->unit, b->unit);
    assert_int_equal(a->issue, b->issue);
    assert_int_equal(a->issue_inferred, b->issue_inferred);
    for (int al = 0; al < ALIGN__MAX; al++) {
        assert_list_eq(&a->align[al].codes, &b->align[al].codes);
        assert_str_eq(a->align[al].text, b->align[al].text);
        assert_int_equal(a->align[al].free_text, b->align[al].free_text);
    }
}

static int count_nl(const char *s)
{
    int n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

/* Lines a project's row takes in the CSV: 1 + line breaks inside cells. */
static int row_lines(const project *pr)
{
    int n = 1 + count_nl(pr->name) + count_nl(pr->period_text);
    for (int k = 0; k < ITEM__MAX; k++)
        n += pr->items[k].n ? (int)pr->items[k].n - 1 : 0;
    return n;
}

/* Import with a fresh error buffer; fails the test on error. */
static plan_doc *import_ok(const char *csv)
{
    char err[512] = "";
    plan_doc *p = import_csv(csv, strlen(csv), "plan.csv", 2568, err, sizeof err);
    if (!p)
        fail_msg("import failed: %s", err);
    return p;
}

/* Import expecting failure; the error must contain each of want[]. */
static void import_bad(const char *csv, size_t len, const char *const *want)
{
    char err[512] = "";
    plan_doc *p = import_csv(csv, len, "plan.csv", 2568, err, sizeof err);
    if (p) {
        plan_free(p);
        fail_msg("import of a bad CSV succeeded:\n%s", csv);
    }
    assert_non_null(strstr(err, "plan.csv: "));
    assert_null(strchr(err, '\n'));
    for (; *want; want++)
        if (!strstr(err, *want))
            fail_msg("error lacks '%s': %s", *want, err);
}

/* ---- summary -------------------------------------------------------------- */

static void test_summary_totals(void **state)
{
    plan_doc *p = make_known_plan();
    summary s;
    (void)state;

    summary_compute(p, &s);
    assert_false(s.overflow);
    assert_int_equal(s.nprojects, 3);
    assert_int_equal(s.nno_budget, 1);
    assert_int_equal(s.budget, 1533000);
    assert_int_equal(s.q[0], 210000);
    assert_int_equal(s.q[1], 423000);
    assert_int_equal(s.q[2], 900000);
    assert_int_equal(s.q[3], 0);
    assert_int_equal(s.cum[0], 210000);
    assert_int_equal(s.cum[1], 633000);
    assert_int_equal(s.cum[2], 1533000);
    assert_int_equal(s.cum[3], 1533000);
    assert_int_equal(s.cum_bp[0], 1370); /* 1369.86 */
    assert_int_equal(s.cum_bp[1], 4129); /* 4129.16 */
    assert_int_equal(s.cum_bp[2], 10000);
    assert_int_equal(s.cum_bp[3], 10000);

    /* issues 1, 2, 3 (no project), then 0 = none */
    assert_int_equal(s.nissue, 4);
    assert_string_equal(s.by_issue[0].key, "1");
    assert_string_equal(s.by_issue[0].title, "ประเด็นหนึ่ง");
    assert_int_equal(s.by_issue[0].nprojects, 1);
    assert_int_equal(s.by_issue[0].budget, 900000);
    assert_int_equal(s.by_issue[0].q[2], 900000);
    assert_string_equal(s.by_issue[1].key, "2");
    assert_int_equal(s.by_issue[1].budget, 633000);
    assert_int_equal(s.by_issue[1].q[0], 210000);
    assert_int_equal(s.by_issue[1].q[1], 423000);
    assert_string_equal(s.by_issue[2].key, "3");
    assert_int_equal(s.by_issue[2].nprojects, 0);
    assert_int_equal(s.by_issue[2].budget, 0);
    assert_string_equal(s.by_issue[3].key, "0");
    assert_int_equal(s.by_issue[3].nprojects, 1);
    assert_int_equal(s.by_issue[3].budget, 0);

    /* units in byte order; unmatched by unit_text */
    assert_int_equal(s.nunit, 3);
    assert_string_equal(s.by_unit[0].key, "กลุ่มที่ไม่รู้จัก");
    assert_string_equal(s.by_unit[1].key, "กลุ่มนโยบายและแผน");
    assert_int_equal(s.by_unit[1].budget, 633000);
    assert_string_equal(s.by_unit[1].title, "กลุ่มนโยบายและแผน");
    assert_string_equal(s.by_unit[2].key, "กลุ่มอำนวยการ");
    assert_int_equal(s.by_unit[2].q[2], 900000);
    summary_free(&s);
    plan_free(p);
}

static void test_summary_empty_and_rounding(void **state)
{
    plan_doc *p = plan_new();
    project *pr;
    summary s;
    (void)state;

    summary_compute(p, &s);
    assert_int_equal(s.nprojects, 0);
    assert_int_equal(s.budget, 0);
    assert_int_equal(s.cum_bp[3], 0);
    assert_int_equal(s.nissue, 0);
    assert_int_equal(s.nunit, 0);
    summary_free(&s);

    /* 1/3 -> 3333 bp; 2/3 -> 6666.67 -> 6667; half up: 1/8 = 1250 exactly,
    ** 1/16 = 625, 1/32 = 312.5 -> 313 */
    pr = plan_add_project(p);
    pr->no = 1;
    pr->has_budget = true;
    pr->budget = 300;
    pr->q[0] = 100;
    pr->q[1] = 100;
    summary_compute(p, &s);
    assert_int_equal(s.cum_bp[0], 3333);
    assert_int_equal(s.cum_bp[1], 6667);
    summary_free(&s);
    pr->budget = 3200;
    pr->q[0] = 10;
    pr->q[1] = 0;
    summary_compute(p, &s);
    assert_int_equal(s.cum_bp[0], 31); /* 31.25 */
    summary_free(&s);
    pr->q[0] = 16; /* 50 bp exactly */
    pr->budget = 3200;
    summary_compute(p, &s);
    assert_int_equal(s.cum_bp[0], 50);
    summary_free(&s);
    pr->budget = 64;
    pr->q[0] = 1; /* 156.25 */
    summary_compute(p, &s);
    assert_int_equal(s.cum_bp[0], 156);
    summary_free(&s);
    pr->budget = 32;
    pr->q[0] = 1; /* 312.5 -> 313 */
    summary_compute(p, &s);
    assert_int_equal(s.cum_bp[0], 313);
    summary_free(&s);
    plan_free(p);
}

static void test_summary_overflow(void **state)
{
    plan_doc *p = plan_new();
    summary s;
    (void)state;
    for (int i = 0; i < 2; i++) {
        project *pr = plan_add_project(p);
        pr->no = i + 1;
        pr->has_budget = true;
        pr->budget = INT64_MAX - 5;
        pr->q[0] = INT64_MAX - 5;
    }
    summary_compute(p, &s);
    assert_true(s.overflow);
    assert_int_equal(s.nprojects, 2);
    assert_int_equal(s.budget, 0);
    assert_int_equal(s.q[0], 0);
    assert_int_equal(s.cum[3], 0);
    assert_int_equal(s.cum_bp[0], 0);
    assert_int_equal(s.nissue, 1);
    assert_int_equal(s.by_issue[0].budget, 0);
    summary_free(&s);
    plan_free(p);
}

/* ---- CSV export ------------------------------------------------------------ */

static void test_csv_export_layout(void **state)
{
    plan_doc *p = make_plan();
    char *csv = export_csv_string(p);
    (void)state;

    assert_memory_equal(csv, BOM HEADER "\r\n", strlen(BOM HEADER "\r\n"));
    /* project 2 (no budget): literal, dashes, free text quoted as written */
    assert_non_null(strstr(csv, "\r\n2,โครงการไม่ใช้งบประมาณ,,เพื่อเผยแพร่ข่าวสาร,,,,,"
                                "ไม่ใช้งบประมาณ,-,-,-,-,ม.ค. - ก.พ. 68,2025-01-01,"
                                "2025-02-28,กลุ่มอำนวยการ,กลุ่มอำนวยการ,4,12,-,-,-,"
                                "\"นโยบายเร่งด่วน, เรื่อง \"\"การศึกษา\"\" ตลอดชีวิต\",-\r\n"));
    /* project 1: money as written, lists one per line, codes joined */
    assert_non_null(strstr(csv, ",\"6,330\",\"2,100\",\"4,230\",-,-,"));
    assert_non_null(strstr(csv, "\"เพื่อทบทวนแผน, ติดตามผล\nเพื่อ \"\"ประเมิน\"\" ผล\""));
    assert_non_null(strstr(csv, ",\"3,6\",01,120101,8,-,\"6,8\",1\r\n"));
    assert_non_null(strstr(csv, "2024-11-01,2025-09-30,กลุ่มนโยบายและแผน,กลุ่ม นโยบายและแผน,"));
    /* project 3: satang, empty period */
    assert_non_null(strstr(csv, "\r\n3,โครงการนิเทศ ติดตาม,2,,,,,,\"1,234.50\",-,-,"
                                "\"1,234.50\",-,,,,"));
    /* every record ends in CRLF: no bare LF outside quoted cells */
    assert_int_equal(csv[strlen(csv) - 1], '\n');
    assert_int_equal(csv[strlen(csv) - 2], '\r');
    free(csv);
    plan_free(p);
}

static void test_csv_export_unmatched_unit_and_null_align(void **state)
{
    plan_doc *p = plan_new();
    project *pr = plan_add_project(p);
    char *csv;
    (void)state;

    pr->no = 7;
    pr->name = xstrdup("x");
    pr->has_budget = true;
    pr->unit_text = xstrdup("กลุ่ม อำนาจการ");
    csv = export_csv_string(p);
    assert_non_null(strstr(csv, "\r\n7,x,,,,,,,0,-,-,-,-,,,,กลุ่ม อำนาจการ,กลุ่ม อำนาจการ,"
                                "-,-,-,-,-,-,-\r\n"));
    free(csv);
    plan_free(p);
}

/* ---- CSV round trip ------------------------------------------------------------ */

static void test_csv_round_trip(void **state)
{
    plan_doc *p = make_plan(), *q;
    char *csv = export_csv_string(p), *csv2;
    int line = 2;
    (void)state;

    q = import_ok(csv);
    assert_int_equal(q->fiscal_year, 2568);
    assert_string_equal(q->source_file, "plan.csv");
    assert_int_equal(q->nprojects, p->nprojects);
    for (size_t i = 0; i < p->nprojects; i++) {
        assert_project_eq(&p->projects[i], &q->projects[i]);
        assert_int_equal(q->projects[i].line, line);
        assert_int_equal(q->projects[i].notes.n, 0);
        line += row_lines(&p->projects[i]);
    }
    /* and the re-export is byte for byte the same */
    csv2 = export_csv_string(q);
    assert_string_equal(csv, csv2);
    free(csv);
    free(csv2);
    plan_free(p);
    plan_free(q);
}

/* A file as a spreadsheet might save it: no BOM, LF, columns reordered,
** only some columns, numbers reformatted, trailing empty rows and cells. */
static void test_csv_import_edited(void **state)
{
    const char *csv =
        "Budget , No,NAME,q1,q2,q3,q4,master_plan,period,objectives,,\n"
        "6330,1,โครงการ ก,2100,4230,,,1,พ.ย. 67 - ก.ย. 68,\"1. ก\r\n\r\n  ข  \",,\n"
        ",,,,,,,,,,,\n"
        "\"๑,๒๓๔.๕\",2,โครงการ ข,0,–,๑๒๓๔.๕๐,-,ไม่ระบุ,ตลอดปีงบประมาณ,,,\n"
        "ไม่ใช้ งบประมาณ,3,  โครงการ ค  ,,,,,-,ต.ศ. 67,,,\n"
        "\n";
    plan_doc *p = import_ok(csv);
    const project *pr;
    (void)state;

    assert_int_equal(p->nprojects, 3);
    pr = &p->projects[0];
    assert_int_equal(pr->line, 2);
    assert_string_equal(pr->name, "โครงการ ก");
    assert_true(pr->has_budget);
    assert_int_equal(pr->budget, 633000);
    assert_int_equal(pr->q[0], 210000);
    assert_int_equal(pr->q[1], 423000);
    assert_int_equal(pr->q[2], 0);
    assert_int_equal(pr->items[ITEM_OBJECTIVE].n, 2);
    assert_string_equal(pr->items[ITEM_OBJECTIVE].v[0], "1. ก");
    assert_string_equal(pr->items[ITEM_OBJECTIVE].v[1], "ข");
    assert_int_equal(pr->items[ITEM_OUTPUT].n, 0);
    assert_int_equal(pr->align[ALIGN_MASTER_PLAN].codes.n, 1);
    assert_string_equal(pr->align[ALIGN_MASTER_PLAN].codes.v[0], "01");
    assert_null(pr->align[ALIGN_NATIONAL_STRATEGY].text);
    assert_date_eq(pr->start, (date){2024, 11, 1});
    assert_date_eq(pr->end, (date){2025, 9, 30});
    assert_null(pr->unit);
    assert_null(pr->unit_text);
    assert_int_equal(pr->issue, 0);

    pr = &p->projects[1];
    assert_int_equal(pr->line, 6);
    assert_int_equal(pr->budget, 123450);
    assert_int_equal(pr->q[2], 123450);
    assert_date_eq(pr->start, (date){2024, 10, 1});
    assert_date_eq(pr->end, (date){2025, 9, 30});
    /* a malformed master plan is kept and noted, not fatal */
    assert_true(pr->align[ALIGN_MASTER_PLAN].free_text);
    assert_string_equal(pr->align[ALIGN_MASTER_PLAN].text, "ไม่ระบุ");
    assert_int_equal(pr->notes.n, 1);
    assert_string_equal(pr->notes.v[0].rule, "csv-alignment-malformed");
    assert_string_equal(pr->notes.v[0].field, "alignment.master_plan");

    pr = &p->projects[2];
    assert_string_equal(pr->name, "โครงการ ค");
    assert_false(pr->has_budget);
    assert_int_equal(pr->budget, 0);
    /* "ต.ศ." is a damaged "ต.ค.": repaired and noted */
    assert_date_eq(pr->start, (date){2024, 10, 1});
    assert_date_eq(pr->end, (date){2024, 10, 31});
    assert_int_equal(pr->notes.n, 1);
    assert_string_equal(pr->notes.v[0].rule, "csv-period-repaired");
    plan_free(p);
}

static void test_csv_import_period(void **state)
{
    const char *csv = "no,name,budget,q1,q2,q3,q4,period,period_start,period_end,unit\r\n"
                      "1,ก,0,,,,,ไม่ทราบ,,,กลุ่มอำนวยการ\r\n"
                      "2,ข,0,,,,,พ.ย. 67,2025-01-05,2025-01-20,\r\n"
                      "3,ค,0,,,,,,2025-01-05,2025-01-20,\r\n";
    plan_doc *p = import_ok(csv);
    const project *pr;
    (void)state;

    pr = &p->projects[0];
    assert_string_equal(pr->period_text, "ไม่ทราบ");
    assert_true(date_is_null(pr->start) && date_is_null(pr->end));
    assert_int_equal(pr->notes.n, 1);
    assert_string_equal(pr->notes.v[0].rule, "csv-period-unreadable");
    assert_int_equal(pr->notes.v[0].sev, SEV_WARNING);
    assert_int_equal(pr->notes.v[0].line, 2);
    assert_int_equal(pr->notes.v[0].project, 1);
    assert_string_equal(pr->unit, "กลุ่มอำนวยการ");
    assert_string_equal(pr->unit_text, "กลุ่มอำนวยการ"); /* no unit_text column */
    /* ISO dates win over the text */
    pr = &p->projects[1];
    assert_string_equal(pr->period_text, "พ.ย. 67");
    assert_date_eq(pr->start, (date){2025, 1, 5});
    assert_date_eq(pr->end, (date){2025, 1, 20});
    assert_int_equal(pr->notes.n, 0);
    pr = &p->projects[2];
    assert_null(pr->period_text);
    assert_date_eq(pr->end, (date){2025, 1, 20});
    plan_free(p);
}

/* ---- CSV import errors ---------------------------------------------------------- */

#define MIN_HEADER "no,name,budget,q1,q2,q3,q4"

static void test_csv_errors_columns(void **state)
{
    (void)state;
    {
        const char *csv = MIN_HEADER ",foo,period,Bar\r\n1,ก,0,,,,,,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"บรรทัด 1: ไม่รู้จักคอลัมน์ 'foo', 'bar'",
                                         "line 1: unknown column(s) 'foo', 'bar'", NULL});
    }
    {
        const char *csv = BOM "no,name,budget,q1,q2\r\n1,ก,0,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"ขาดคอลัมน์ q3, q4", "missing column(s) q3, q4", NULL});
    }
    {
        const char *csv = MIN_HEADER ",name\r\n1,ก,0,,,,,ข\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"คอลัมน์ name ซ้ำกัน", "column name appears twice",
                                         NULL});
    }
    {
        const char *csv = MIN_HEADER ",\r\n1,ก,0,,,,,oops\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2: field 8 has data but no column header",
                                         NULL});
    }
    {
        const char *csv = MIN_HEADER "\r\n1,ก,0,,,,,oops\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2: field 8 has data but no column header",
                                         NULL});
    }
}

static void test_csv_errors_cells(void **state)
{
    (void)state;
    {
        const char *csv = MIN_HEADER "\r\n1,ก,0,,,,\r\n2,ข,12a,,,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){
                       "plan.csv: บรรทัด 3 คอลัมน์ budget: อ่านจำนวนเงิน '12a' ไม่ได้",
                       " / line 3, column budget: cannot read amount '12a'", NULL});
    }
    {
        const char *csv = MIN_HEADER "\r\n1,ก,100,\"1,00\",,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"บรรทัด 2 คอลัมน์ q1: อ่านจำนวนเงิน '1,00' ไม่ได้",
                                         "line 2, column q1: cannot read amount '1,00'", NULL});
    }
    {
        const char *csv = MIN_HEADER "\r\n1,ก,-,,,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2, column budget: no budget given", NULL});
    }
    {
        const char *csv = MIN_HEADER "\r\n1,ก,0,ไม่ใช้งบประมาณ,,,\r\n";
        import_bad(csv, strlen(csv), (const char *const[]){"line 2, column q1: ", NULL});
    }
    {
        const char *csv = MIN_HEADER "\r\nx,ก,0,,,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2, column no: project number 'x'", NULL});
    }
    {
        const char *csv = MIN_HEADER "\r\n1,ก,0,,,,\r\n1,ข,0,,,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 3, column no: project number 1 is also used on "
                                         "line 2",
                                         NULL});
    }
    {
        const char *csv = MIN_HEADER "\r\n1, ,0,,,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2, column name: the project name is empty",
                                         NULL});
    }
    {
        const char *csv = MIN_HEADER ",strategic_issue\r\n1,ก,0,,,,,สาม\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2, column strategic_issue: ", NULL});
    }
    {
        const char *csv = MIN_HEADER ",period_start,period_end\r\n1,ก,0,,,,,1/11/2024,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2, column period_start: cannot read date "
                                         "'1/11/2024'; write YYYY-MM-DD",
                                         NULL});
    }
    {
        const char *csv = MIN_HEADER ",period_start,period_end\r\n1,ก,0,,,,,2024-11-01,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2, column period_end: give both", NULL});
    }
    {
        const char *csv =
            MIN_HEADER ",period_start,period_end\r\n1,ก,0,,,,,2024-11-02,2024-11-01\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2, column period_end: the end date is before",
                                         NULL});
    }
    {
        const char *csv = MIN_HEADER "\r\n1,\xE0\xB8,0,,,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"line 2, column name: not UTF-8", NULL});
    }
}

static void test_csv_errors_file(void **state)
{
    (void)state;
    import_bad("", 0, (const char *const[]){"ไฟล์ว่าง", "the file is empty", NULL});
    import_bad(BOM, 3, (const char *const[]){"the file is empty", NULL});
    import_bad(BOM "\r\n\r\n", 7, (const char *const[]){"the file is empty", NULL});
    import_bad(BOM MIN_HEADER "\r\n", strlen(BOM MIN_HEADER "\r\n"),
               (const char *const[]){"no projects", NULL});
    {
        const char *csv = MIN_HEADER "\r\n1,ก,0,,,,\r\n2,\"ข\r\nยังไม่ปิด,0,,,,\r\n";
        import_bad(csv, strlen(csv),
                   (const char *const[]){"บรรทัด 3: เครื่องหมายคำพูด",
                                         "line 3: unterminated quote", NULL});
    }
    {
        /* a long bad value is cut in the message, on a character boundary */
        char csv[600], err[1024], small[100];
        plan_doc *p;
        snprintf(csv, sizeof csv, "%s\r\n1,ก,%s,,,,\r\n", MIN_HEADER,
                 "กกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกกก");
        p = import_csv(csv, strlen(csv), NULL, 2568, err, sizeof err);
        assert_null(p);
        assert_non_null(strstr(err, "…'"));
        assert_memory_equal(err, "บรรทัด 2", strlen("บรรทัด 2")); /* no source: no prefix */
        /* a short error buffer is cut on a character boundary */
        p = import_csv(csv, strlen(csv), NULL, 2568, small, sizeof small);
        assert_null(p);
        assert_true(strlen(small) > 90);
        assert_true(utf8_valid(small, strlen(small)));
    }
}

/* ---- JSON ------------------------------------------------------------------- */

static void assert_keys(json_t *o, const char *const *keys)
{
    void *it = json_object_iter(o);
    size_t n = 0;
    for (; keys[n]; n++) {
        assert_non_null(it);
        assert_string_equal(json_object_iter_key(it), keys[n]);
        it = json_object_iter_next(o, it);
    }
    assert_null(it);
    assert_int_equal(json_object_size(o), n);
}

static json_t *jget(json_t *o, const char *path)
{
    /* "a.b.0.c": objects by key, arrays by index */
    char tmp[128], *save = NULL;
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *t = strtok_r(tmp, ".", &save); t; t = strtok_r(NULL, ".", &save)) {
        if (json_is_array(o))
            o = json_array_get(o, (size_t)atoi(t));
        else
            o = json_object_get(o, t);
        if (!o)
            fail_msg("no %s in JSON", path);
    }
    return o;
}

static void assert_jint(json_t *root, const char *path, long long v)
{
    json_t *j = jget(root, path);
    if (!json_is_integer(j))
        fail_msg("%s is not an integer", path);
    assert_int_equal(json_integer_value(j), v);
}

static void assert_jstr(json_t *root, const char *path, const char *v)
{
    json_t *j = jget(root, path);
    if (!json_is_string(j))
        fail_msg("%s is not a string", path);
    assert_string_equal(json_string_value(j), v);
}

static void assert_jnull(json_t *root, const char *path)
{
    if (!json_is_null(jget(root, path)))
        fail_msg("%s is not null", path);
}

static void test_json_export(void **state)
{
    plan_doc *p = make_plan();
    findings fs = {0};
    char *text;
    json_t *j;
    json_error_t jerr;
    (void)state;

    p->signers[SIGN_PREPARED].name = xstrdup("นางสุดารัตน์ ชุมขวัญ");
    p->signers[SIGN_PREPARED].position = xstrdup("นักวิเคราะห์นโยบายและแผน");
    p->signers[SIGN_PREPARED].date = (date){2025, 1, 13};
    findings_add(&fs, "quarters-sum", SEV_ERROR, 1, "quarters", 12, "ผลรวมไม่ตรง", "sum differs");
    findings_add(&fs, "plan-note", SEV_INFO, 0, "", 0, "หมายเหตุ", "note");

    text = export_json_string(p, &fs);
    assert_null(strstr(text, "\\u0")); /* UTF-8 unescaped */
    assert_non_null(strstr(text, "\"agency\": \"สำนักงานศึกษาธิการจังหวัดลำปาง\""));
    assert_non_null(strstr(text, "\n  \"fiscal_year\": 2568,\n")); /* pretty */
    assert_int_equal(text[strlen(text) - 1], '\n');
    j = json_loads(text, 0, &jerr);
    if (!j)
        fail_msg("bad JSON: %s", jerr.text);

    assert_keys(j, (const char *const[]){"schema", "fiscal_year", "agency", "title",
                                         "title_line", "revision", "version_label",
                                         "source_file", "strategic_issues", "projects",
                                         "signers", "memo", "summary", "findings", NULL});
    assert_keys(jget(j, "projects.0"),
                (const char *const[]){"no", "name", "strategic_issue",
                                      "strategic_issue_inferred", "objectives", "outputs",
                                      "outcomes", "indicators_quantitative",
                                      "indicators_qualitative", "budget_satang",
                                      "quarters_satang", "period", "unit", "unit_text",
                                      "alignment", "alignment_text", "line", NULL});
    assert_keys(jget(j, "projects.0.period"), (const char *const[]){"start", "end", "text", NULL});
    assert_keys(jget(j, "projects.0.alignment"),
                (const char *const[]){"national_strategy", "master_plan", "subplan_target",
                                      "plan13_milestone", "security_policy",
                                      "government_policy", "moe_strategy", NULL});
    assert_keys(jget(j, "summary"),
                (const char *const[]){"projects", "projects_without_budget", "budget_satang",
                                      "quarters_satang", "cumulative_satang",
                                      "cumulative_percent", "overflow", "by_issue", "by_unit",
                                      NULL});
    assert_keys(jget(j, "summary.by_issue.0"),
                (const char *const[]){"key", "title", "projects", "budget_satang",
                                      "quarters_satang", NULL});
    assert_keys(jget(j, "findings.0"),
                (const char *const[]){"rule", "severity", "project", "field", "line",
                                      "message_th", "message_en", NULL});
    assert_keys(jget(j, "signers"),
                (const char *const[]){"prepared", "checked", "approved", NULL});

    assert_jstr(j, "schema", "phaen-plan/1");
    assert_jint(j, "fiscal_year", 2568);
    assert_jint(j, "revision", 1);
    assert_jstr(j, "source_file", "seed.txt");
    assert_jnull(j, "title_line");
    assert_jnull(j, "memo");
    assert_jint(j, "strategic_issues.1.no", 2);
    assert_jstr(j, "strategic_issues.1.title", "พัฒนาคุณภาพการศึกษา");

    assert_jint(j, "projects.0.no", 1);
    assert_jint(j, "projects.0.strategic_issue", 1);
    assert_true(json_is_false(jget(j, "projects.0.strategic_issue_inferred")));
    assert_jstr(j, "projects.0.objectives.1", "เพื่อ \"ประเมิน\" ผล");
    assert_int_equal(json_array_size(jget(j, "projects.0.outputs")), 1);
    assert_jint(j, "projects.0.budget_satang", 633000);
    assert_jint(j, "projects.0.quarters_satang.0", 210000);
    assert_jint(j, "projects.0.quarters_satang.1", 423000);
    assert_jint(j, "projects.0.quarters_satang.3", 0);
    assert_jstr(j, "projects.0.period.start", "2024-11-01");
    assert_jstr(j, "projects.0.period.end", "2025-09-30");
    assert_jstr(j, "projects.0.period.text", "พ.ย. 67 - ก.ย. 68");
    assert_jstr(j, "projects.0.unit", "กลุ่มนโยบายและแผน");
    assert_jstr(j, "projects.0.unit_text", "กลุ่ม นโยบายและแผน");
    assert_int_equal(json_array_size(jget(j, "projects.0.alignment.master_plan")), 1);
    assert_jstr(j, "projects.0.alignment.master_plan.0", "01");
    assert_jstr(j, "projects.0.alignment.national_strategy.1", "6");
    assert_int_equal(json_array_size(jget(j, "projects.0.alignment.security_policy")), 0);
    assert_jstr(j, "projects.0.alignment_text.security_policy", "-");
    assert_jstr(j, "projects.0.alignment_text.government_policy", "6,8");
    assert_jnull(j, "projects.0.line");

    assert_jnull(j, "projects.1.budget_satang");
    assert_jnull(j, "projects.1.strategic_issue");
    assert_int_equal(json_array_size(jget(j, "projects.1.alignment.government_policy")), 1);
    assert_jstr(j, "projects.1.alignment.government_policy.0", GOV_FREE);
    assert_jstr(j, "projects.1.alignment_text.government_policy", GOV_FREE);
    assert_jnull(j, "projects.2.period.start");
    assert_jnull(j, "projects.2.period.text");
    assert_jint(j, "projects.2.budget_satang", 123450);

    assert_jstr(j, "signers.prepared.name", "นางสุดารัตน์ ชุมขวัญ");
    assert_jstr(j, "signers.prepared.date", "2025-01-13");
    assert_jnull(j, "signers.approved.name");
    assert_jnull(j, "signers.approved.date");

    assert_jint(j, "summary.budget_satang", 633000 + 123450);
    assert_jint(j, "summary.quarters_satang.2", 123450);
    assert_jint(j, "summary.cumulative_satang.3", 756450);
    assert_jint(j, "summary.projects_without_budget", 1);
    /* 210000 / 756450 = 27.76% */
    assert_true(json_is_real(jget(j, "summary.cumulative_percent.0")));
    assert_non_null(strstr(text, "\"cumulative_percent\": [\n      27.76,\n      83.68,\n"
                                 "      100.0,\n      100.0\n    ]"));
    assert_jstr(j, "summary.by_issue.0.key", "1");
    assert_jint(j, "summary.by_issue.0.budget_satang", 633000);
    assert_jstr(j, "summary.by_issue.2.key", "0");
    assert_jint(j, "summary.by_unit.0.projects", 1);

    assert_jstr(j, "findings.0.rule", "quarters-sum");
    assert_jstr(j, "findings.0.severity", "error");
    assert_jint(j, "findings.0.project", 1);
    assert_jint(j, "findings.0.line", 12);
    assert_jstr(j, "findings.0.message_th", "ผลรวมไม่ตรง");
    assert_jnull(j, "findings.1.project");
    assert_jnull(j, "findings.1.line");
    assert_jstr(j, "findings.1.severity", "info");

    json_decref(j);
    free(text);
    findings_free(&fs);
    plan_free(p);
}

static void test_json_known_percent_and_memo(void **state)
{
    plan_doc *p = make_known_plan();
    summary s;
    json_t *j;
    char *text;
    (void)state;

    p->has_memo = true;
    p->memo.from = xstrdup("กลุ่มนโยบายและแผน");
    p->memo.doc_no = xstrdup("ศธ ๐๒๑๐๗/๑๒๓");
    p->memo.date = (date){2025, 1, 13};
    p->memo.nsections = 1;
    p->memo.sections = xcalloc(1, sizeof *p->memo.sections);
    p->memo.sections[0].heading = xstrdup("ต้นเรื่อง");
    strlist_add(&p->memo.sections[0].paras, "ย่อหน้าแรก");
    summary_compute(p, &s);
    j = export_plan_json(p, &s, NULL);
    assert_jint(j, "summary.cumulative_satang.0", 210000);
    assert_true(json_real_value(jget(j, "summary.cumulative_percent.0")) == 1370 / 100.0);
    assert_int_equal(json_array_size(jget(j, "findings")), 0);
    assert_keys(jget(j, "memo"), (const char *const[]){"from", "doc_no", "date", "subject",
                                                      "to", "sections", NULL});
    assert_jstr(j, "memo.date", "2025-01-13");
    assert_jnull(j, "memo.subject");
    assert_jstr(j, "memo.sections.0.heading", "ต้นเรื่อง");
    assert_jstr(j, "memo.sections.0.paragraphs.0", "ย่อหน้าแรก");
    text = json_dumps(j, EXPORT_JSON_FLAGS);
    assert_non_null(strstr(text, "13.7,"));
    free(text);
    json_decref(j);

    /* a NULL summary is null */
    j = export_plan_json(p, NULL, NULL);
    assert_jnull(j, "summary");
    json_decref(j);
    summary_free(&s);
    plan_free(p);
}

static void test_json_invalid_utf8_kept(void **state)
{
    plan_doc *p = plan_new();
    project *pr = plan_add_project(p);
    json_t *j;
    (void)state;
    pr->no = 1;
    pr->name = xstrdup("ab\xFF" "c");
    j = export_plan_json(p, NULL, NULL);
    assert_jstr(j, "projects.0.name", "ab\xEF\xBF\xBD" "c");
    json_decref(j);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_totals),
        cmocka_unit_test(test_summary_empty_and_rounding),
        cmocka_unit_test(test_summary_overflow),
        cmocka_unit_test(test_csv_export_layout),
        cmocka_unit_test(test_csv_export_unmatched_unit_and_null_align),
        cmocka_unit_test(test_csv_round_trip),
        cmocka_unit_test(test_csv_import_edited),
        cmocka_unit_test(test_csv_import_period),
        cmocka_unit_test(test_csv_errors_columns),
        cmocka_unit_test(test_csv_errors_cells),
        cmocka_unit_test(test_csv_errors_file),
        cmocka_unit_test(test_json_export),
        cmocka_unit_test(test_json_known_percent_and_memo),
        cmocka_unit_test(test_json_invalid_utf8_kept),
    };
    return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
