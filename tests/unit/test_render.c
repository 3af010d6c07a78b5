/*
** test_render.c — the memo template, the memo PDF and the summary charts,
** from the seed document.
**
** PDFs are read back the way a person's tools read them: pdftotext -layout
** for the text (Thai digits included) and pdffonts for the embedded font
** (both from poppler-utils). The SVG is parsed with expat.
*/
#include "testutil.h"

#include <expat.h>
#include <unistd.h>

#include "import_text.h"
#include "memo_template.h"
#include "render.h"
#include "summary.h"


/* Run directly rather than through tests/run-unit.sh, LeakSanitizer still
** leaves out the process-lifetime caches of the font libraries (the same
** list as tests/lsan.supp); our own allocations stay checked. */
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
static char dir[] = "/tmp/phaen-render-XXXXXX";

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return -1;
    }
    seed = test_seed();
    return seed ? 0 : -1;
}

static int teardown(void **state)
{
    char *cmd = xasprintf("rm -rf '%s'", dir);
    (void)state;
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    free(cmd);
    plan_free(seed);
    return 0;
}

static char *tmp_path(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

/* Standard output of a shell command (heap memory). */
static char *run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    char chunk[4096];
    size_t n;
    buf b;
    assert_non_null(f);
    buf_init(&b, 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    assert_int_equal(pclose(f), 0);
    return buf_detach(&b);
}

static char *pdftotext(const char *pdf)
{
    char *cmd = xasprintf("pdftotext -layout '%s' -", pdf);
    char *out = run(cmd);
    free(cmd);
    return out;
}

#define assert_contains(hay, needle)                                                       \
    do {                                                                                   \
        if (!strstr((hay), (needle)))                                                      \
            fail_msg("missing \"%s\" in:\n%s", (needle), (hay));                           \
    } while (0)

/* ---- the template -------------------------------------------------------------------------- */

static size_t count_kind(const memo_doc *m, memo_el_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nels; i++)
        n += m->els[i].kind == k;
    return n;
}

static void test_default_template(void **state)
{
    memo_doc m;
    char err[256];
    static const char *const heads[] = {"ต้นเรื่อง/ข้อเท็จจริง", "ข้อกฎหมาย/ระเบียบ", "ข้อพิจารณา",
                                        "ข้อเสนอ"};
    size_t h = 0;
    (void)state;
    assert_int_equal(memo_expand(seed, NULL, &m, err, sizeof err), 0);
    assert_string_equal(m.from, "สำนักงานศึกษาธิการจังหวัดลำปาง กลุ่มนโยบายและแผน "
                                "โทรศัพท์ ๐ ๕๔๘๒ ๑๕๐๑ - ๒ ต่อ ๙๐๐");
    assert_string_equal(m.doc_no, "ศธ ๐๒๑๐๗/.....");
    assert_string_equal(m.date, "๑๓ มกราคม ๒๕๖๘");
    assert_string_equal(m.to, "ศึกษาธิการจังหวัดลำปาง");
    assert_string_equal(m.subject, seed->memo.subject);
    /* the seed's four sections with their paragraphs and items */
    assert_int_equal(count_kind(&m, MEMO_HEADING), 4);
    for (size_t i = 0; i < m.nels; i++)
        if (m.els[i].kind == MEMO_HEADING)
            assert_string_equal(m.els[i].text, heads[h++]);
    assert_int_equal(count_kind(&m, MEMO_PARA), 1);
    assert_int_equal(count_kind(&m, MEMO_ITEM), 8);
    assert_int_equal(count_kind(&m, MEMO_SIGNERS), 1);
    /* the text made generic from the plan's fields reads as the seed */
    for (size_t s = 0; s < seed->memo.nsections; s++) {
        const memo_section *sec = &seed->memo.sections[s];
        for (size_t k = 0; k < sec->paras.n; k++) {
            const char *want = sec->paras.v[k];
            bool found = false;
            if (strncmp(want, "- ", 2) == 0)
                want += 2;
            for (size_t i = 0; i < m.nels && !found; i++)
                found = m.els[i].text && text_equal_nospace(m.els[i].text, want);
            if (!found)
                fail_msg("the seed's memo line is not in the expanded template: %s", want);
        }
    }
    memo_doc_free(&m);
}

static void test_defaults_without_memo(void **state)
{
    memo_doc m;
    char err[256];
    (void)state;
    seed->has_memo = false;
    assert_int_equal(memo_expand(seed, NULL, &m, err, sizeof err), 0);
    seed->has_memo = true;
    assert_string_equal(m.from, "สำนักงานศึกษาธิการจังหวัดลำปาง กลุ่มนโยบายและแผน");
    assert_string_equal(m.doc_no, "");
    assert_string_equal(m.date, "");
    assert_string_equal(m.to, "ศึกษาธิการจังหวัดลำปาง");
    /* the subject made from title, year, agency and version is the seed's */
    assert_true(text_equal_nospace(m.subject, seed->memo.subject));
    memo_doc_free(&m);
}

static void test_template_fields(void **state)
{
    memo_doc m;
    char err[256];
    const char *t = "# a comment {{not_a_field}}\n"
                    "เรื่อง :  {{ plan_title }}\n"
                    "\n"
                    "{{projects}} โครงการ งบประมาณ {{total_budget}} บาท ({{total_budget_words}})\n"
                    "- ปีงบประมาณ {{fiscal_year}} {{version_label}}\n"
                    "    - {{approved_position}}\n"
                    "[signers approved prepared]\r\n";
    (void)state;
    assert_int_equal(memo_expand(seed, t, &m, err, sizeof err), 0);
    assert_null(m.from);
    assert_string_equal(m.subject,
                        "แผนการใช้จ่ายงบประมาณรายโครงการตามแผนปฏิบัติราชการประจำปีงบประมาณ");
    assert_int_equal(m.nels, 4);
    assert_int_equal(m.els[0].kind, MEMO_PARA);
    assert_string_equal(m.els[0].text, "๒๑ โครงการ งบประมาณ ๕๔๖,๒๐๐ บาท "
                                       "(ห้าแสนสี่หมื่นหกพันสองร้อยบาทถ้วน)");
    assert_int_equal(m.els[1].kind, MEMO_ITEM);
    assert_int_equal(m.els[1].level, 1);
    assert_string_equal(m.els[1].text,
                        "ปีงบประมาณ ๒๕๖๘ ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ ๑");
    assert_int_equal(m.els[2].level, 2);
    assert_string_equal(m.els[2].text, "รองศึกษาธิการจังหวัด รักษาการในตำแหน่ง "
                                       "ศึกษาธิการจังหวัดลำปาง");
    assert_int_equal(m.els[3].kind, MEMO_SIGNERS);
    assert_int_equal(m.els[3].nroles, 2);
    assert_int_equal(m.els[3].roles[0], SIGN_APPROVED);
    assert_int_equal(m.els[3].roles[1], SIGN_PREPARED);
    memo_doc_free(&m);
    /* every documented field has a value */
    for (const char *const *f = memo_field_names(); *f; f++) {
        char *v = memo_field_value(seed, *f);
        if (!v)
            fail_msg("field %s has no value", *f);
        free(v);
    }
    assert_null(memo_field_value(seed, "no_such_field"));
}

static void test_template_errors(void **state)
{
    memo_doc m;
    char err[256];
    (void)state;
    assert_int_equal(memo_expand(seed, "ส่วนราชการ: {{agency}}\n## หัวข้อ\nข้อความ {{budgett}}\n",
                                 &m, err, sizeof err),
                     -1);
    assert_contains(err, "{{budgett}}");
    assert_contains(err, "บรรทัด 3");
    assert_contains(err, "line 3");
    assert_int_equal(memo_expand(seed, "ข้อความ {{agency\n", &m, err, sizeof err), -1);
    assert_contains(err, "line 1");
    assert_int_equal(memo_expand(seed, "\n[signers prepared boss]\n", &m, err, sizeof err), -1);
    assert_contains(err, "boss");
    assert_contains(err, "line 2");
    assert_int_equal(memo_expand(seed, "ที่: ก\nที่: ข\n", &m, err, sizeof err), -1);
    assert_contains(err, "line 2");
    assert_int_equal(memo_expand(seed, "bad \xff byte\n", &m, err, sizeof err), -1);
}

/* ---- the memo PDF -------------------------------------------------------------------------- */

static void test_memo_pdf(void **state)
{
    char err[256];
    char *pdf = tmp_path("memo.pdf"), *text, *cmd, *fonts;
    static const char *const want[] = {
        "บันทึกข้อความ",
        "ส่วนราชการ",
        "สำนักงานศึกษาธิการจังหวัดลำปาง",
        "๑๓ มกราคม ๒๕๖๘",
        "ศธ ๐๒๑๐๗",
        "วันที่",
        "เรื่อง การจัดทำแผนการใช้จ่ายงบประมาณรายโครงการตามแผนปฏิบัติราชการ",
        "ครั้งที่ ๑)",
        "เรียน ศึกษาธิการจังหวัดลำปาง",
        "ต้นเรื่อง/ข้อเท็จจริง",
        "ข้อกฎหมาย/ระเบียบ",
        "ข้อพิจารณา",
        "ข้อเสนอ",
        "ระเบียบว่าด้วยการบริหารงบประมาณ พ.ศ. ๒๕๖๒",
        "จึงเรียนมาเพื่อโปรดพิจารณา",
        "(นางสุดารัตน์ ชุมขวัญ)",
        "นักวิเคราะห์นโยบายและแผนชำนาญการ",
        "(นางเนตรชนก ธรรมกุล)",
        "(นายณรงค์ พันธุ์เทียน)",
        "รองศึกษาธิการจังหวัด รักษาการในตำแหน่ง",
    };
    (void)state;
    if (render_memo_pdf(seed, NULL, pdf, err, sizeof err) != 0)
        fail_msg("%s", err);
    text = pdftotext(pdf);
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        assert_contains(text, want[i]);
    /* Thai marks come back in place, no stray spaces after them */
    assert_null(strstr(text, "ครัง้"));
    assert_null(strstr(text, "ประจำปี งบประมาณ"));
    free(text);

    cmd = xasprintf("pdffonts '%s'", pdf);
    fonts = run(cmd);
    {
        /* a line "XXXXXX+Laksaman  CID TrueType  Identity-H  yes yes yes ..." */
        const char *l = strstr(fonts, "+Laksaman");
        const char *eol;
        assert_non_null(l);
        eol = strchr(l, '\n');
        assert_non_null(eol);
        assert_non_null(memmem(l, (size_t)(eol - l), " yes ", 5));
    }
    free(fonts);
    free(cmd);
    free(pdf);
}

/* A long memo continues on pages numbered "- ๒ -" at the top. */
static void test_memo_pages(void **state)
{
    char err[256];
    char *pdf = tmp_path("long.pdf"), *text, *squeezed;
    buf t;
    size_t j = 0;
    (void)state;
    buf_init(&t, 0);
    buf_adds(&t, "เรื่อง: {{subject}}\nเรียน: {{to}}\n## ข้อเท็จจริง\n");
    for (int i = 0; i < 40; i++)
        buf_printf(&t, "ย่อหน้าที่ %d ของ{{agency}} เพื่อทดสอบการขึ้นหน้าใหม่ของบันทึกข้อความ\n",
                   i);
    buf_adds(&t, "[signers]\n");
    if (render_memo_pdf(seed, t.s, pdf, err, sizeof err) != 0)
        fail_msg("%s", err);
    text = pdftotext(pdf);
    squeezed = xstrdup(text);
    for (size_t i = 0; text[i]; i++)
        if (text[i] != ' ')
            squeezed[j++] = text[i];
    squeezed[j] = '\0';
    assert_contains(squeezed, "-๒-");
    assert_contains(text, "ย่อหน้าที่ 39 ของสำนักงานศึกษาธิการจังหวัดลำปาง");
    assert_contains(text, "(นายณรงค์ พันธุ์เทียน)");
    free(squeezed);
    free(text);
    buf_free(&t);
    free(pdf);
}

static void test_memo_pdf_bad_template(void **state)
{
    char err[256];
    char *pdf = tmp_path("bad.pdf");
    (void)state;
    assert_int_equal(render_memo_pdf(seed, "เรื่อง: {{subjekt}}\n", pdf, err, sizeof err), -1);
    assert_contains(err, "subjekt");
    assert_int_equal(access(pdf, F_OK), -1); /* nothing written */
    free(pdf);
}

/* ---- the summary --------------------------------------------------------------------------- */

static void test_summary_pdf(void **state)
{
    char err[256];
    char *pdf = tmp_path("summary.pdf"), *text;
    summary s;
    (void)state;
    summary_compute(seed, &s);
    if (render_summary_pdf(seed, &s, pdf, err, sizeof err) != 0)
        fail_msg("%s", err);
    text = pdftotext(pdf);
    assert_contains(text, "สรุปแผนการใช้จ่ายงบประมาณ");
    assert_contains(text, "77,525");  /* planned in quarter 1 */
    assert_contains(text, "546,200"); /* the budget */
    assert_contains(text, "14.19");   /* cumulative share after quarter 1 */
    assert_contains(text, "100.00%");
    assert_contains(text, "ไตรมาส 4");
    assert_contains(text, "ประเด็นที่ 3");
    assert_contains(text, "กลุ่มนโยบายและแผน");
    summary_free(&s);
    free(text);
    free(pdf);
}

typedef struct xml_check {
    int depth, max_depth, elements;
    bool bad; /* script or external reference */
} xml_check;

static void XMLCALL xml_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    xml_check *c = ud;
    c->depth++;
    c->elements++;
    if (c->depth > c->max_depth)
        c->max_depth = c->depth;
    if (strcmp(name, "script") == 0 || strcmp(name, "image") == 0 ||
        strcmp(name, "foreignObject") == 0)
        c->bad = true;
    for (size_t i = 0; attrs[i]; i += 2)
        if (strstr(attrs[i], "href") || strncmp(attrs[i], "on", 2) == 0)
            c->bad = true;
}

static void XMLCALL xml_end(void *ud, const XML_Char *name)
{
    xml_check *c = ud;
    (void)name;
    c->depth--;
}

/* Parse svg with expat; fails the test when it is not well-formed. */
static void assert_well_formed(const char *svg, xml_check *c)
{
    XML_Parser xp = XML_ParserCreate("UTF-8");
    memset(c, 0, sizeof *c);
    XML_SetUserData(xp, c);
    XML_SetElementHandler(xp, xml_start, xml_end);
    if (XML_Parse(xp, svg, (int)strlen(svg), 1) != XML_STATUS_OK)
        fail_msg("SVG not well-formed: %s at line %lu", XML_ErrorString(XML_GetErrorCode(xp)),
                 (unsigned long)XML_GetCurrentLineNumber(xp));
    XML_ParserFree(xp);
}

static void test_summary_svg(void **state)
{
    summary s;
    char *svg, *old_title;
    xml_check c;
    (void)state;
    summary_compute(seed, &s);
    svg = render_summary_svg(seed, &s);
    assert_well_formed(svg, &c);
    assert_false(c.bad);
    assert_true(c.elements > 100);
    assert_contains(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    assert_contains(svg, "viewBox=\"0 0 ");
    assert_contains(svg, "font-family=\"Laksaman, 'TH Sarabun New', sans-serif\"");
    assert_contains(svg, ">77,525<");
    assert_contains(svg, ">546,200<");
    assert_contains(svg, "14.19%");
    assert_contains(svg, "ไตรมาส 1");
    free(svg);

    /* markup in the plan's own text is escaped */
    old_title = seed->title;
    seed->title = xstrdup("แผน <&> \"ทดสอบ\" 'ก'");
    svg = render_summary_svg(seed, &s);
    free(seed->title);
    seed->title = old_title;
    assert_well_formed(svg, &c);
    assert_false(c.bad);
    assert_contains(svg, "แผน &lt;&amp;&gt; &quot;ทดสอบ&quot; &apos;ก&apos;");
    assert_null(strstr(svg, "<&>"));
    free(svg);
    summary_free(&s);
}

/* A plan with nothing in it still gives a memo and a summary. */
static void test_empty_plan(void **state)
{
    plan_doc *p = plan_new();
    char err[256];
    char *pdf = tmp_path("empty-memo.pdf"), *pdf2 = tmp_path("empty-summary.pdf"), *svg;
    summary s;
    memo_doc m;
    xml_check c;
    (void)state;
    assert_int_equal(memo_expand(p, NULL, &m, err, sizeof err), 0);
    assert_string_equal(m.date, "");
    memo_doc_free(&m);
    assert_int_equal(memo_expand(p, "{{}}", &m, err, sizeof err), -1);
    assert_contains(err, "{{}}");
    if (render_memo_pdf(p, NULL, pdf, err, sizeof err) != 0)
        fail_msg("%s", err);
    summary_compute(p, &s);
    if (render_summary_pdf(p, &s, pdf2, err, sizeof err) != 0)
        fail_msg("%s", err);
    svg = render_summary_svg(p, &s);
    assert_well_formed(svg, &c);
    free(svg);
    summary_free(&s);
    plan_free(p);
    free(pdf);
    free(pdf2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_template),  cmocka_unit_test(test_defaults_without_memo),
        cmocka_unit_test(test_template_fields),   cmocka_unit_test(test_template_errors),
        cmocka_unit_test(test_memo_pdf),          cmocka_unit_test(test_memo_pages),
        cmocka_unit_test(test_memo_pdf_bad_template), cmocka_unit_test(test_summary_pdf),
        cmocka_unit_test(test_summary_svg),       cmocka_unit_test(test_empty_plan),
    };
    return cmocka_run_group_tests_name("render (memo, summary)", tests, setup, teardown);
}
