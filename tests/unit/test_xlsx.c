/*
** test_xlsx.c — the Excel workbook: export of the seed and of a small plan,
** import back (every project field and the plan-level fields), the layout
** of the written file, and workbooks built here by hand to test the
** importer on what other spreadsheets write (shared strings with rich text
** runs, inline strings, float noise, date serials) and on bad input.
*/
#include "testutil.h"

#include <unistd.h>
#include <zip.h>

#include "export.h"
#include "import_text.h"
#include "summary.h"
#include "xlsx.h"

#define SEED "data/samples/lampang-2568-rev1.txt"

/* Row heights are measured with Pango. Run directly rather than through
** tests/run-unit.sh, LeakSanitizer still leaves out the process-lifetime
** caches of the font libraries (the list of tests/lsan.supp); our own
** allocations stay checked. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\nleak:libpango-1.0.so\nleak:libpangoft2-1.0.so\n"
           "leak:libpangocairo-1.0.so\nleak:libglib-2.0.so\nleak:libgobject-2.0.so\n"
           "leak:libcairo.so\nleak:libharfbuzz.so\nleak:libfreetype.so\n";
}

static plan_doc *seed;
static char tmpdir[64];

static int setup(void **state)
{
    char err[512];
    size_t len;
    char *data = file_read(SEED, 0, &len, err, sizeof err);
    import_opts o = {0};
    unit_registry units = {0};
    (void)state;
    if (!data) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    unit_registry_builtin(&units);
    o.units = &units;
    o.source_name = "lampang-2568-rev1.txt";
    seed = import_text(data, len, &o, err, sizeof err);
    free(data);
    if (!seed) {
        fprintf(stderr, "%s\n", err);
        unit_registry_free(&units);
        return -1;
    }
    import_match_units(seed, &units);
    unit_registry_free(&units);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/phaen-xlsx.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", tmpdir);
    (void)state;
    plan_free(seed);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    free(cmd);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------ */

static char *tmp_path(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

static char *slurp(const char *path, size_t *len)
{
    char err[512];
    char *data = file_read(path, 0, len, err, sizeof err);
    if (!data)
        fail_msg("%s", err);
    return data;
}

/* Export p to a file in tmpdir and import it back; fails the test on error. */
static plan_doc *round_trip(const plan_doc *p, const char *name)
{
    char err[1024] = "";
    char *path = tmp_path(name), *data;
    size_t len;
    plan_doc *back;
    if (export_xlsx(p, NULL, path, err, sizeof err) != 0)
        fail_msg("export failed: %s", err);
    data = slurp(path, &len);
    back = import_xlsx(data, len, name, err, sizeof err);
    if (!back)
        fail_msg("import failed: %s", err);
    free(data);
    free(path);
    return back;
}

/* The core fields (testutil.h) and the alignment's text as the canonical
** CSV writes it; not `line` and `notes` (an import of a workbook has its
** own lines and notes). */
static void assert_same_project(const project *a, const project *b)
{
    assert_same_project_core(a, b);
    for (int f = 0; f < ALIGN__MAX; f++) {
        if (a->align[f].free_text) {
            assert_str_eq(a->align[f].text, b->align[f].text);
        } else if (a->align[f].text) {
            /* the canonical CSV writes codes normalized ("1" -> "01") */
            char *codes = a->align[f].codes.n ? strlist_join(&a->align[f].codes, ",")
                                              : xstrdup("-");
            assert_str_eq(codes, b->align[f].text);
            free(codes);
        }
    }
}

static void assert_same_plan(const plan_doc *a, const plan_doc *b)
{
    assert_str_eq(a->agency, b->agency);
    assert_int_equal(a->fiscal_year, b->fiscal_year);
    assert_str_eq(a->title, b->title);
    assert_str_eq(a->title_line, b->title_line);
    assert_int_equal(a->revision, b->revision);
    assert_str_eq(a->version_label, b->version_label);
    assert_int_equal(a->nissues, b->nissues);
    for (size_t i = 0; i < a->nissues; i++) {
        const strategic_issue *si = plan_issue(b, a->issues[i].no);
        assert_non_null(si);
        assert_str_eq(a->issues[i].title, si->title);
    }
    assert_int_equal(a->nprojects, b->nprojects);
    for (size_t i = 0; i < a->nprojects; i++)
        assert_same_project(&a->projects[i], &b->projects[i]);
}

/* One part of an .xlsx file as text (heap memory), or NULL. */
static char *zip_part(const char *path, const char *name)
{
    int ze;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    zip_stat_t st;
    zip_file_t *zf;
    char *out;
    if (!za)
        fail_msg("%s is not a zip", path);
    if (zip_stat(za, name, 0, &st) != 0) {
        zip_discard(za);
        return NULL;
    }
    zf = zip_fopen(za, name, 0);
    assert_non_null(zf);
    out = xmalloc(st.size + 1);
    assert_int_equal(zip_fread(zf, out, st.size), (zip_int64_t)st.size);
    out[st.size] = 0;
    zip_fclose(zf);
    zip_discard(za);
    return out;
}

/* A zip file in tmpdir with parts name[i] = text[i]; returns its bytes. */
static char *make_zip(const char *file, const char *const *names, const char *const *texts,
                      size_t n, size_t *len)
{
    char *path = tmp_path(file), *data;
    int ze;
    zip_t *za;
    unlink(path);
    za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(za, texts[i], strlen(texts[i]), 0);
        assert_non_null(src);
        assert_true(zip_file_add(za, names[i], src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    data = slurp(path, len);
    free(path);
    return data;
}

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define WS(rows)                                                                              \
    XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows "</sheetData></worksheet>"
#define IS(ref, s) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" s "</t></is></c>"
#define NUM(ref, v) "<c r=\"" ref "\"><v>" v "</v></c>"

/* The data sheet's header (row 1) for hand-made workbooks. */
#define DATA_HEADER                                                                           \
    "<row r=\"1\">" IS("A1", "no") IS("B1", "name") IS("C1", "budget") IS("D1", "q1")        \
        IS("E1", "q2") IS("F1", "q3") IS("G1", "q4") IS("H1", "period") IS("I1", "period_start") \
            IS("J1", "period_end") "</row>"

#define META_OK                                                                                \
    WS("<row r=\"1\">" IS("A1", "key") IS("B1", "value") "</row>"                            \
       "<row r=\"2\">" IS("A2", "fiscal_year") NUM("B2", "2568") "</row>")

/*
** A minimal workbook as Excel or LibreOffice write it: package and
** workbook relationships, sheets "ข้อมูล" (sheet1.xml) and "ข้อมูลแผน"
** (sheet2.xml, omitted when meta is NULL), shared strings when sst is not
** NULL. Returns its bytes (heap memory).
*/
static char *make_xlsx(const char *data_xml, const char *meta_xml, const char *sst, size_t *len)
{
    const char *names[8], *texts[8];
    size_t n = 0;
    names[n] = "[Content_Types].xml";
    texts[n++] = XML_HEAD "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                          "content-types\"/>";
    names[n] = "_rels/.rels";
    texts[n++] = XML_HEAD "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" "
                          "Type=\"" NS_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
                          "</Relationships>";
    names[n] = "xl/workbook.xml";
    texts[n++] = meta_xml ? XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                                     "<sheets><sheet name=\"ข้อมูล\" sheetId=\"1\" r:id=\"rId1\"/>"
                                     "<sheet name=\"ข้อมูลแผน\" sheetId=\"2\" r:id=\"rId2\"/>"
                                     "</sheets></workbook>"
                          : XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                                     "<sheets><sheet name=\"ข้อมูล\" sheetId=\"1\" r:id=\"rId1\"/>"
                                     "</sheets></workbook>";
    names[n] = "xl/_rels/workbook.xml.rels";
    texts[n++] = XML_HEAD "<Relationships xmlns=\"" NS_PKG "\">"
                          "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" "
                          "Target=\"worksheets/sheet1.xml\"/>"
                          "<Relationship Id=\"rId2\" Type=\"" NS_REL "/worksheet\" "
                          "Target=\"/xl/worksheets/../worksheets/sheet2.xml\"/>"
                          "<Relationship Id=\"rId3\" Type=\"" NS_REL "/sharedStrings\" "
                          "Target=\"sharedStrings.xml\"/></Relationships>";
    names[n] = "xl/worksheets/sheet1.xml";
    texts[n++] = data_xml;
    if (meta_xml) {
        names[n] = "xl/worksheets/sheet2.xml";
        texts[n++] = meta_xml;
    }
    if (sst) {
        names[n] = "xl/sharedStrings.xml";
        texts[n++] = sst;
    }
    return make_zip("hand.xlsx", names, texts, n, len);
}

/* Import bytes expecting failure; the error is one line, names the source
** and contains every string of want[] (NULL-terminated). */
static void import_bad(const char *data, size_t len, const char *const *want)
{
    char err[1024] = "";
    plan_doc *p = import_xlsx(data, len, "plan.xlsx", err, sizeof err);
    if (p) {
        plan_free(p);
        fail_msg("import of a bad workbook succeeded");
    }
    assert_non_null(strstr(err, "plan.xlsx: "));
    assert_null(strchr(err, '\n'));
    for (; *want; want++)
        if (!strstr(err, *want))
            fail_msg("error lacks '%s': %s", *want, err);
}

static plan_doc *import_ok(const char *data, size_t len)
{
    char err[1024] = "";
    plan_doc *p = import_xlsx(data, len, "plan.xlsx", err, sizeof err);
    if (!p)
        fail_msg("import failed: %s", err);
    return p;
}

/* ---- round trips ------------------------------------------------------------------ */

static void test_seed_round_trip(void **state)
{
    plan_doc *back;
    (void)state;
    assert_int_equal(seed->nprojects, 21);
    back = round_trip(seed, "seed.xlsx");
    assert_same_plan(seed, back);
    assert_string_equal(back->source_file, "seed.xlsx");
    assert_int_equal(back->fiscal_year, 2568);
    assert_int_equal(back->revision, 1);
    assert_string_equal(back->agency, "สำนักงานศึกษาธิการจังหวัดลำปาง");
    /* the seed's issues of projects 17..21 were inferred from ย.ศธ */
    assert_true(back->projects[16].issue_inferred);
    assert_false(back->projects[0].issue_inferred);
    assert_int_equal(back->projects[11].budget, 8640000);
    assert_false(back->projects[16].has_budget);
    plan_free(back);
}

static void add_items(strlist *l, const char *a, const char *b)
{
    if (a)
        strlist_add(l, a);
    if (b)
        strlist_add(l, b);
}

/* Satang, no budget, free-text policy, quotes, commas and line breaks in
** cells, a project without issue, without period, an inferred issue. */
static plan_doc *make_plan(void)
{
    static const char *const al1[] = {"3,6", "01", "120101", "8", "-", "6,8", "1"};
    static const char *const al2[] = {"4", "12", "-", "-", "-", "นโยบายเร่งด่วน, \"การศึกษา\"",
                                      "-"};
    plan_doc *p = plan_new();
    project *pr;

    p->agency = xstrdup("สำนักงานทดสอบ");
    p->fiscal_year = 2569;
    p->title = xstrdup("แผนการใช้จ่ายงบประมาณ");
    p->revision = 0;
    plan_set_issue(p, 1, "ประเด็น \"หนึ่ง\", ทดสอบ");
    plan_set_issue(p, 2, "ประเด็นสอง");

    pr = plan_add_project(p);
    pr->no = 1;
    pr->name = xstrdup("โครงการ \"ก\", ทบทวน\nบรรทัดสอง");
    add_items(&pr->items[ITEM_OBJECTIVE], "เพื่อทบทวน, ติดตาม", "เพื่อประเมิน");
    add_items(&pr->items[ITEM_OUTPUT], "บุคลากร 50 คน", NULL);
    add_items(&pr->items[ITEM_OUTCOME], "มีแผน", "มีผล");
    add_items(&pr->items[ITEM_INDICATOR_QUANT], "ร้อยละ 80", NULL);
    add_items(&pr->items[ITEM_INDICATOR_QUAL], "แผนมีคุณภาพ", NULL);
    pr->has_budget = true;
    pr->budget = 123451; /* 1,234.51 */
    pr->q[0] = 100001;
    pr->q[3] = 23450;
    pr->period_text = xstrdup("พ.ย. 68 - ก.ย. 69");
    pr->start = (date){2025, 11, 1};
    pr->end = (date){2026, 9, 30};
    pr->unit = xstrdup("กลุ่มนโยบายและแผน");
    pr->unit_text = xstrdup("กลุ่ม นโยบายและแผน");
    pr->issue = 1;
    for (int a = 0; a < ALIGN__MAX; a++)
        plan_parse_alignment((align_field)a, al1[a], &pr->align[a]);

    pr = plan_add_project(p);
    pr->no = 2;
    pr->name = xstrdup("โครงการไม่ใช้งบประมาณ");
    pr->has_budget = false;
    pr->unit = xstrdup("กลุ่มอำนวยการ");
    pr->unit_text = xstrdup("กลุ่มอำนวยการ");
    pr->issue = 0;
    for (int a = 0; a < ALIGN__MAX; a++)
        plan_parse_alignment((align_field)a, al2[a], &pr->align[a]);

    pr = plan_add_project(p);
    pr->no = 5;
    pr->name = xstrdup("โครงการใหญ่");
    pr->has_budget = true;
    pr->budget = INT64_C(99999999999999); /* 999,999,999,999.99 */
    pr->q[1] = INT64_C(99999999999999);
    pr->period_text = xstrdup("ตลอดปีงบประมาณ");
    pr->start = (date){2025, 10, 1};
    pr->end = (date){2026, 9, 30};
    pr->unit = xstrdup("กลุ่มพัฒนาการศึกษา");
    pr->unit_text = xstrdup("กลุ่มพัฒนาการศึกษา");
    pr->issue = 2;
    pr->issue_inferred = true;
    return p;
}

static void test_small_plan_round_trip(void **state)
{
    plan_doc *p = make_plan(), *back;
    (void)state;
    back = round_trip(p, "small.xlsx");
    assert_same_plan(p, back);
    assert_int_equal(back->projects[0].budget, 123451);
    assert_int_equal(back->projects[2].budget, INT64_C(99999999999999));
    assert_true(back->projects[2].issue_inferred);
    assert_null(back->title_line);
    assert_null(back->version_label);
    plan_free(back);
    plan_free(p);
}

/* ---- the written file --------------------------------------------------------------- */

static void test_layout(void **state)
{
    char err[1024] = "";
    char *path = tmp_path("layout.xlsx"), *wb, *styles, *plan, *data, *meta, *byq;
    plan_doc *p = make_plan();
    (void)state;

    assert_int_equal(export_xlsx(p, NULL, path, err, sizeof err), 0);
    wb = zip_part(path, "xl/workbook.xml");
    styles = zip_part(path, "xl/styles.xml");
    plan = zip_part(path, "xl/worksheets/sheet1.xml");
    data = zip_part(path, "xl/worksheets/sheet2.xml");
    byq = zip_part(path, "xl/worksheets/sheet3.xml");
    meta = zip_part(path, "xl/worksheets/sheet6.xml");
    assert_non_null(wb);
    assert_non_null(styles);
    assert_non_null(plan);
    assert_non_null(data);
    assert_non_null(meta);
    assert_non_null(byq);

    /* sheet order and the print titles (header rows 5:6) */
    {
        const char *a = strstr(wb, "name=\"แผน\""), *b = strstr(wb, "name=\"ข้อมูล\""),
                   *c = strstr(wb, "name=\"สรุปรายไตรมาส\""),
                   *d = strstr(wb, "name=\"สรุปตามประเด็น\""),
                   *e = strstr(wb, "name=\"สรุปตามหน่วยงาน\""),
                   *f = strstr(wb, "name=\"ข้อมูลแผน\"");
        assert_true(a && b && c && d && e && f);
        assert_true(a < b && b < c && c < d && d < e && e < f);
        assert_non_null(strstr(wb, "_xlnm.Print_Titles"));
        assert_non_null(strstr(wb, "$5:$6"));
    }
    /* the default (first) font is the document font */
    {
        const char *fonts = strstr(styles, "<fonts");
        assert_non_null(fonts);
        const char *end = strstr(fonts, "</font>"), *sz = strstr(fonts, "<sz val=\"9.3147"),
                   *name = strstr(fonts, "<name val=\"Laksaman\"/>");
        /* 14 pt TH Sarabun = 14 / 1.503 pt Laksaman */
        assert_true(end && sz && name && sz < end && name < end);
    }
    /* plan sheet: merged header, frozen rows, SUM with cached value, A4 landscape */
    assert_non_null(strstr(plan, "<mergeCell ref=\"G5:J5\"/>"));   /* quarters */
    assert_non_null(strstr(plan, "<mergeCell ref=\"M5:S5\"/>"));   /* ความสอดคล้อง */
    assert_non_null(strstr(plan, "<mergeCell ref=\"A5:A6\"/>"));   /* ที่ */
    assert_non_null(strstr(plan, "topLeftCell=\"A7\""));
    assert_non_null(strstr(plan, "state=\"frozen\""));
    assert_non_null(strstr(plan, "<f>SUM(F7:F12)</f>"));
    assert_non_null(strstr(plan, "<v>1000000001234.5</v>")); /* cached total */
    assert_non_null(strstr(plan, "paperSize=\"9\""));
    assert_non_null(strstr(plan, "orientation=\"landscape\""));
    assert_non_null(strstr(plan, "fitToHeight=\"0\""));
    assert_non_null(strstr(plan, "<v>1234.51</v>"));
    assert_non_null(strstr(plan, "<v>999999999999.99</v>"));
    /* amounts are numbers on the data sheet too */
    assert_non_null(strstr(data, "<v>1000.01</v>"));
    assert_non_null(strstr(data, "<v>234.5</v>"));
    /* cumulative formulas on the quarter summary */
    assert_non_null(strstr(byq, "<f>D2+C3</f>"));
    free(wb);
    free(styles);
    free(plan);
    free(data);
    free(meta);
    free(byq);
    free(path);
    plan_free(p);
}

/* The largest row height in a sheet's XML, in points. */
static double max_row_height(const char *xml, int *nrows)
{
    double max = 0;
    *nrows = 0;
    for (const char *p = strstr(xml, "<row "); p; p = strstr(p + 1, "<row ")) {
        const char *ht = strstr(p, " ht=\"");
        (*nrows)++;
        if (ht && ht < strchr(p, '>') && atof(ht + 5) > max)
            max = atof(ht + 5);
    }
    return max;
}

/* A cell longer than a row can hold continues on the rows below it. */
static void test_long_cells(void **state)
{
    char err[1024] = "";
    char *path = tmp_path("long.xlsx"), *plan, *data, *sum;
    plan_doc *p = make_plan(), *back;
    size_t len;
    int nrows;
    (void)state;
    for (int i = 0; i < 80; i++)
        strlist_add(&p->projects[0].items[ITEM_OBJECTIVE],
                    "เพื่อส่งเสริมและสนับสนุนกิจการในระดับจังหวัด ให้มีประสิทธิภาพ");
    assert_int_equal(export_xlsx(p, NULL, path, err, sizeof err), 0);
    plan = zip_part(path, "xl/worksheets/sheet1.xml");
    assert_true(max_row_height(plan, &nrows) <= 409);
    /* title 4 + header 2 + 3 bands + 3 projects + totals + words = 14 rows, and more */
    assert_true(nrows > 16);
    sum = xasprintf("<f>SUM(F7:F%d)</f>", nrows - 2);
    assert_non_null(strstr(plan, sum));
    assert_non_null(strstr(plan, "<v>1000000001234.5</v>"));
    /* the text of a single-line row is one line high */
    assert_non_null(strstr(plan, "<row r=\"2\" spans=\"1:19\" ht=\""));
    data = slurp(path, &len);
    back = import_xlsx(data, len, "long.xlsx", err, sizeof err);
    assert_non_null(back);
    assert_same_plan(p, back);
    plan_free(back);
    free(data);
    free(sum);
    free(plan);
    free(path);
    plan_free(p);
}

static void test_export_errors(void **state)
{
    char err[1024] = "";
    plan_doc *p = make_plan();
    (void)state;
    assert_int_equal(export_xlsx(p, NULL, "/nonexistent-dir/x.xlsx", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/x.xlsx"));
    assert_null(strchr(err, '\n'));
    plan_free(p);
}

/* ---- what other spreadsheets write ---------------------------------------------------- */

#define SST                                                                                   \
    XML_HEAD "<sst xmlns=\"" NS_MAIN "\" count=\"2\" uniqueCount=\"2\">"                      \
             "<si><r><t>โครงการ</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\"> ทดสอบ</t>"  \
             "</r><rPh sb=\"0\" eb=\"1\"><t>IGNORED</t></rPh></si>"                            \
             "<si><t>ม.ค._x0020_-_x0020_ก.พ. 69</t></si></sst>"

/* One project row 2 with budget/q1 cells given as raw XML. */
#define ROW2(budget, q1)                                                                      \
    "<row r=\"2\">" NUM("A2", "1") "<c r=\"B2\" t=\"s\"><v>0</v></c>" budget q1               \
        NUM("E2", "0") NUM("F2", "0") "<c r=\"G2\" t=\"str\"><f>0</f><v>-</v></c>"            \
        "<c r=\"H2\" t=\"s\"><v>1</v></c></row>"

static void test_numbers_and_strings(void **state)
{
    static const struct {
        const char *budget, *q1;
        int64_t want_budget, want_q1;
    } cases[] = {
        {"6330", "6330", 633000, 633000},
        {"1234.5", "1234.5", 123450, 123450},
        {"1234.5000000001", "1234.49999999999", 123450, 123450},
        {"6329.9999999999", "0.1000000000000000055511151231257827", 633000, 10},
        {"6.33E3", "1.2345E+3", 633000, 123450},
        {"00012.50", ".5", 1250, 50},
        {"9999999999999.99", "9999999999999.989", INT64_C(999999999999999),
         INT64_C(999999999999999)},
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *row = xasprintf(ROW2("<c r=\"C2\"><v>%s</v></c>", "<c r=\"D2\"><v>%s</v></c>"),
                              cases[i].budget, cases[i].q1);
        char *xml = xasprintf(WS(DATA_HEADER "%s"), row);
        size_t len;
        char *zip;
        plan_doc *p;
        free(row);
        zip = make_xlsx(xml, META_OK, SST, &len);
        p = import_ok(zip, len);
        assert_int_equal(p->nprojects, 1);
        assert_string_equal(p->projects[0].name, "โครงการ ทดสอบ");
        assert_string_equal(p->projects[0].period_text, "ม.ค. - ก.พ. 69");
        assert_int_equal(p->projects[0].start.y, 2026);
        assert_int_equal(p->fiscal_year, 2568);
        if (p->projects[0].budget != cases[i].want_budget ||
            p->projects[0].q[0] != cases[i].want_q1)
            fail_msg("case %zu (%s, %s): got %lld, %lld", i, cases[i].budget, cases[i].q1,
                     (long long)p->projects[0].budget, (long long)p->projects[0].q[0]);
        plan_free(p);
        free(zip);
        free(xml);
    }
}

static void test_dates_and_inline(void **state)
{
    /* period dates as date serials (1900 system), text in inline strings */
    const char *xml = WS(DATA_HEADER "<row r=\"3\">" NUM("A3", "7")
                             IS("B3", "ก &amp; ข_x005F_x0041_") IS("C3", "ไม่ใช้งบประมาณ")
                             IS("D3", "-") NUM("E3", "0") NUM("F3", "0") NUM("G3", "0")
                             IS("H3", "ทั้งปี") NUM("I3", "45597") NUM("J3", "45930") "</row>");
    size_t len;
    char *zip = make_xlsx(xml, META_OK, NULL, &len);
    plan_doc *p = import_ok(zip, len);
    (void)state;
    assert_int_equal(p->nprojects, 1);
    assert_int_equal(p->projects[0].no, 7);
    assert_string_equal(p->projects[0].name, "ก & ข_x0041_"); /* OOXML escapes undone */
    assert_false(p->projects[0].has_budget);
    assert_int_equal(date_cmp(p->projects[0].start, (date){2024, 11, 1}), 0);
    assert_int_equal(date_cmp(p->projects[0].end, (date){2025, 9, 30}), 0);
    plan_free(p);
    free(zip);
}

/* The plan-field sheet as a person may have edited it. */
static void test_meta_fields(void **state)
{
    const char *data =
        WS("<row r=\"1\">" IS("A1", "no") IS("B1", "name") IS("C1", "budget") IS("D1", "q1")
           IS("E1", "q2") IS("F1", "q3") IS("G1", "q4") IS("H1", " Strategic_Issue ") "</row>"
           "<row r=\"2\">" NUM("A2", "1") IS("B2", "ก") NUM("C2", "0") NUM("H2", "3") "</row>"
           "<row r=\"3\">" NUM("A3", "2") IS("B3", "ข") NUM("C3", "0") NUM("H3", "2") "</row>");
    const char *meta =
        WS("<row r=\"1\">" IS("A1", "key") IS("B1", "value") "</row>"
           "<row r=\"2\">" IS("A2", "Agency") IS("B2", "สำนักงาน ก") "</row>"
           "<row r=\"3\">" IS("A3", "fiscal_year") IS("B3", "๒๕๖๙") "</row>"
           "<row r=\"4\">" IS("A4", "revision") IS("B4", "2") "</row>"
           "<row r=\"6\">" IS("A6", "strategic_issue.3") IS("B6", "ประเด็นสาม") "</row>"
           "<row r=\"7\">" IS("A7", "title") "</row>"
           "<row r=\"8\">" IS("B8", "a value without key is skipped") "</row>"
           "<row r=\"9\">" IS("A9", "issue_inferred") IS("B9", "1=3, 2=5") "</row>");
    size_t len;
    char *zip = make_xlsx(data, meta, NULL, &len);
    plan_doc *p = import_ok(zip, len);
    (void)state;
    assert_string_equal(p->agency, "สำนักงาน ก");
    assert_int_equal(p->fiscal_year, 2569);
    assert_int_equal(p->revision, 2);
    assert_null(p->title);
    assert_int_equal(p->nissues, 1);
    assert_string_equal(plan_issue(p, 3)->title, "ประเด็นสาม");
    assert_int_equal(p->projects[0].issue, 3);
    assert_true(p->projects[0].issue_inferred);
    /* the planner changed project 2's issue: it is stated now, not inferred */
    assert_int_equal(p->projects[1].issue, 2);
    assert_false(p->projects[1].issue_inferred);
    plan_free(p);
    free(zip);
}

static void test_cell_errors(void **state)
{
    static const struct {
        const char *row2;
        const char *want[4];
    } cases[] = {
        {ROW2("<c r=\"C2\"><v>1.234</v></c>", NUM("D2", "0")),
         {"ชีต ข้อมูล เซลล์ C2 (budget)", "sheet ข้อมูล, cell C2 (budget)", "2 decimals", NULL}},
        {ROW2("<c r=\"C2\"><v>-5</v></c>", NUM("D2", "0")),
         {"เซลล์ C2", "cell C2 (budget)", "negative", NULL}},
        {ROW2(NUM("C2", "5"), "<c r=\"D2\" t=\"e\"><v>#N/A</v></c>"),
         {"เซลล์ D2", "cell D2 (q1)", "#N/A", NULL}},
        {ROW2(NUM("C2", "1E+20"), NUM("D2", "0")), {"cell C2 (budget)", "too large", NULL}},
        {ROW2(IS("C2", "12a"), NUM("D2", "0")),
         {"ชีต ข้อมูล เซลล์ C2 (budget): อ่านจำนวนเงิน '12a' ไม่ได้",
          "sheet ข้อมูล, cell C2 (budget): cannot read amount '12a'", NULL}},
        {ROW2(NUM("C2", "5"), IS("D2", "ไม่ใช้งบประมาณ")), {"cell D2 (q1)", NULL}},
        {"<row r=\"2\">" NUM("A2", "1") NUM("C2", "5") "</row>",
         {"เซลล์ B2 (name)", "cell B2 (name)", NULL}},
        {ROW2(NUM("C2", "5"), NUM("D2", "0")) "<row r=\"4\">" NUM("A4", "1")
             IS("B4", "ซ้ำ") NUM("C4", "1") "</row>",
         {"เซลล์ A4 (no)", "row 2", NULL}},
        {ROW2(NUM("C2", "5"), NUM("D2", "0")) "<row r=\"3\">" NUM("A3", "2") IS("B3", "x")
             NUM("C3", "1") IS("L3", "ข้อมูลเกิน") "</row>",
         {"ชีต ข้อมูล แถว 3", "sheet ข้อมูล, row 3", "column L has data", NULL}},
        {"<row r=\"2\">" NUM("A2", "1") IS("B2", "x") NUM("C2", "1") NUM("I2", "12.5")
             NUM("J2", "45930") "</row>",
         {"cell I2 (period_start)", "not a date", NULL}},
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *xml = xasprintf(WS(DATA_HEADER "%s"), cases[i].row2);
        size_t len;
        char *zip = make_xlsx(xml, META_OK, SST, &len);
        import_bad(zip, len, cases[i].want);
        free(zip);
        free(xml);
    }
}

static void test_meta_errors(void **state)
{
    const char *data = WS(DATA_HEADER ROW2(NUM("C2", "5"), NUM("D2", "0")));
    static const struct {
        const char *meta;
        const char *want[3];
    } cases[] = {
        {WS("<row r=\"1\">" IS("A1", "agency") IS("B1", "x") "</row>"),
         {"ชีต ข้อมูลแผน ไม่มีปีงบประมาณ", "has no fiscal year", NULL}},
        {WS("<row r=\"2\">" IS("A2", "fiscal_year") IS("B2", "68") "</row>"),
         {"ชีต ข้อมูลแผน เซลล์ B2", "sheet ข้อมูลแผน, cell B2", NULL}},
        {WS("<row r=\"2\">" IS("A2", "fiscal_year") NUM("B2", "2568") "</row>"
            "<row r=\"3\">" IS("A3", "colour") IS("B3", "red") "</row>"),
         {"cell A3", "unknown key 'colour'", NULL}},
        {WS("<row r=\"2\">" IS("A2", "fiscal_year") NUM("B2", "2568") "</row>"
            "<row r=\"5\">" IS("A5", "issue_inferred") IS("B5", "1:2") "</row>"),
         {"cell B5", "project=issue", NULL}},
    };
    size_t len;
    char *zip;
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        zip = make_xlsx(data, cases[i].meta, SST, &len);
        import_bad(zip, len, cases[i].want);
        free(zip);
    }
    /* a workbook without the plan-field sheet */
    zip = make_xlsx(data, NULL, SST, &len);
    import_bad(zip, len, (const char *const[]){"ข้อมูลแผน", "has no sheet", NULL});
    free(zip);
}

/* ---- bad files ---------------------------------------------------------------------------- */

static void test_bad_files(void **state)
{
    char random[4096];
    size_t len;
    char *zip;
    (void)state;

    import_bad("", 0, (const char *const[]){"ไฟล์ว่าง", "the file is empty", NULL});
    srand(7);
    for (size_t i = 0; i < sizeof random; i++)
        random[i] = (char)(rand() & 0xFF);
    import_bad(random, sizeof random,
               (const char *const[]){"ไม่ใช่ไฟล์ Excel", "not a readable zip", NULL});
    import_bad(SEED, strlen(SEED), (const char *const[]){"not a readable zip", NULL});

    /* a zip, but not a workbook */
    zip = make_zip("nowb.zip", (const char *const[]){"hello.txt"},
                   (const char *const[]){"hello"}, 1, &len);
    import_bad(zip, len,
               (const char *const[]){"ไม่มีส่วน xl/workbook.xml", "no part xl/workbook.xml",
                                     NULL});
    free(zip);

    /* a workbook without the data sheet */
    zip = make_zip("nosheet.xlsx",
                   (const char *const[]){"xl/workbook.xml"},
                   (const char *const[]){XML_HEAD "<workbook xmlns=\"" NS_MAIN "\"><sheets>"
                                                  "<sheet name=\"Sheet1\" r:id=\"rId1\" "
                                                  "xmlns:r=\"" NS_REL "\"/></sheets></workbook>"},
                   1, &len);
    import_bad(zip, len, (const char *const[]){"ไม่พบชีต 'ข้อมูล'", "no sheet 'ข้อมูล'", NULL});
    free(zip);

    /* the sheet's part is missing */
    zip = make_zip("nopart.xlsx",
                   (const char *const[]){"xl/workbook.xml", "xl/_rels/workbook.xml.rels"},
                   (const char *const[]){
                       XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
                                "<sheet name=\"ข้อมูล\" r:id=\"rId1\"/></sheets></workbook>",
                       XML_HEAD "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" "
                                "Target=\"worksheets/gone.xml\"/></Relationships>"},
                   2, &len);
    import_bad(zip, len, (const char *const[]){"xl/worksheets/gone.xml", "missing", NULL});
    free(zip);

    /* malformed XML, a DTD (entity expansion), a bad shared string index */
    zip = make_xlsx(WS(DATA_HEADER "<row r=\"2\"><c r=\"A2\"><v>1</c></row>"), META_OK, SST,
                    &len);
    import_bad(zip, len,
               (const char *const[]){"xl/worksheets/sheet1.xml", "not well-formed XML", NULL});
    free(zip);
    zip = make_xlsx(XML_HEAD "<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
                             "<worksheet xmlns=\"" NS_MAIN "\"><sheetData/></worksheet>",
                    META_OK, SST, &len);
    import_bad(zip, len, (const char *const[]){"DTD", NULL});
    free(zip);
    zip = make_xlsx(WS(DATA_HEADER "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>99</v></c></row>"),
                    META_OK, SST, &len);
    import_bad(zip, len, (const char *const[]){"cell B2", "shared string 99", NULL});
    free(zip);
    zip = make_xlsx(WS(DATA_HEADER "<row r=\"2\"><c r=\"2B\"><v>1</v></c></row>"), META_OK, SST,
                    &len);
    import_bad(zip, len, (const char *const[]){"bad cell reference '2B'", NULL});
    free(zip);

    /* an empty data sheet, a header without projects */
    zip = make_xlsx(WS(""), META_OK, SST, &len);
    import_bad(zip, len, (const char *const[]){"sheet ข้อมูล is empty", NULL});
    free(zip);
    zip = make_xlsx(WS(DATA_HEADER), META_OK, SST, &len);
    import_bad(zip, len, (const char *const[]){"no projects", NULL});
    free(zip);
}

/* A part that inflates past XLSX_MAX_PART: refused without reading it all. */
static void test_zip_bomb(void **state)
{
    size_t n = XLSX_MAX_PART + 1, len;
    char *zeros = xcalloc(1, n + 1), *zip;
    memset(zeros, ' ', n);
    (void)state;
    zip = make_xlsx(zeros, META_OK, SST, &len);
    assert_true(len < 1024 * 1024);
    import_bad(zip, len,
               (const char *const[]){"xl/worksheets/sheet1.xml", "larger than 64 MB", NULL});
    free(zip);
    free(zeros);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_round_trip),
        cmocka_unit_test(test_small_plan_round_trip),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_long_cells),
        cmocka_unit_test(test_export_errors),
        cmocka_unit_test(test_numbers_and_strings),
        cmocka_unit_test(test_dates_and_inline),
        cmocka_unit_test(test_meta_fields),
        cmocka_unit_test(test_cell_errors),
        cmocka_unit_test(test_meta_errors),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_zip_bomb),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
