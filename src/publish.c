/*
** publish.c — the public site generator; see publish.h.
**
** Pages are written here (not with web_page_begin) because the same bytes
** must work on the server under /public/ and from a plain directory on any
** host: links are relative, there is no script and no inline style (the
** CSP forbids both), and nothing depends on who asks.
*/
#include "publish.h"

#include "html_plan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "embed.h"
#include "export.h"
#include "html.h"
#include "render.h"
#include "summary.h"
#include "xlsx.h"

const char *const publish_version_files[] = {
    "index.html", "plan.pdf",  "memo.pdf",  "summary.pdf",      "summary.svg",
    "plan.xlsx",  "plan.csv",  "plan.json", "datapackage.json", "budget.csv",
    NULL,
};

#define CT_HTML "text/html; charset=utf-8"

static const char *file_ctype(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0)
        return CT_HTML;
    if (strcmp(dot, ".pdf") == 0)
        return "application/pdf";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".xlsx") == 0)
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (strcmp(dot, ".csv") == 0)
        return "text/csv; charset=utf-8";
    if (strcmp(dot, ".json") == 0)
        return "application/json; charset=utf-8";
    if (strcmp(dot, ".atom") == 0)
        return "application/atom+xml; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    return "application/octet-stream";
}

/* ---- who is public ----------------------------------------------------------------- */

/* "2025-01-13T02:30:00.123Z" (the store's UTC) -> "2025-01-13T02:30:00Z"
** and the date in Thai time. False when unreadable. */
static bool parse_utc(const char *at, char out[24], date *thai_day)
{
    struct tm tm = {0};
    time_t t;
    if (sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    t = timegm(&tm);
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
    t += 7 * 3600;
    gmtime_r(&t, &tm);
    *thai_day = (date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return true;
}

bool publish_version_public(store *s, int64_t agency, int64_t id, publish_entry *e)
{
    char status[16];
    transition *t;
    size_t n;
    bool found = false;
    if (id <= 0 || !agency)
        return false;
    store_version_status(s, id, status);
    if (strcmp(status, "published") != 0 || store_version_agency(s, id) != agency)
        return false;
    if (store_transitions(s, id, &t, &n) != 0)
        return false;
    for (size_t i = 0; i < n && !found; i++) {
        if (strcmp(t[i].to, "published") != 0)
            continue;
        found = true;
        if (e) {
            if (!parse_utc(t[i].at, e->published_at, &e->published_on)) {
                snprintf(e->published_at, sizeof e->published_at, "1970-01-01T00:00:00Z");
                e->published_on = (date){1970, 1, 1};
            }
            snprintf(e->sha256, sizeof e->sha256, "%s", t[i].sha256);
        }
    }
    store_transitions_free(t, n);
    /* a published version has its transition in the append-only log */
    return found;
}

static char *plan_heading(const plan_doc *p)
{
    if (p->title_line && *p->title_line)
        return xstrdup(p->title_line);
    return xasprintf("%s พ.ศ. %d %s%s%s", p->title ? p->title : "", p->fiscal_year,
                     p->agency ? p->agency : "", p->version_label && *p->version_label ? " " : "",
                     p->version_label ? p->version_label : "");
}

static int entry_cmp(const void *a, const void *b)
{
    const publish_entry *x = a, *y = b;
    int c = strcmp(y->published_at, x->published_at);
    if (c)
        return c;
    return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

int publish_list(store *s, int64_t agency, publish_entry **out, size_t *n, char *err,
                 size_t errlen)
{
    version_info *v;
    size_t nv, cap = 0;
    *out = NULL;
    *n = 0;
    if (!agency)
        return 0;
    if (store_versions_list(s, agency, &v, &nv, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < nv; i++) {
        publish_entry e = {0};
        plan_doc *p;
        if (strcmp(v[i].status, "published") != 0 ||
            !publish_version_public(s, agency, v[i].id, &e))
            continue;
        if (!(p = store_version_load(s, v[i].id, err, errlen))) {
            free(v);
            publish_list_free(*out, *n);
            *out = NULL;
            *n = 0;
            return -1;
        }
        e.id = v[i].id;
        e.fiscal_year = v[i].fiscal_year;
        e.revision = v[i].revision;
        snprintf(e.label, sizeof e.label, "%s", v[i].label);
        e.title = plan_heading(p);
        e.agency = xstrdup(p->agency ? p->agency : "");
        e.nprojects = v[i].nprojects;
        e.budget = v[i].budget;
        plan_free(p);
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = e;
    }
    free(v);
    if (*n > 1)
        qsort(*out, *n, sizeof **out, entry_cmp);
    return 0;
}

void publish_list_free(publish_entry *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].title);
        free(v[i].agency);
    }
    free(v);
}

const char *publish_phase(const plan_doc *p)
{
    return p->revision == 0 ? "approved" : "adjusted";
}

/* ---- identifiers ------------------------------------------------------------------------ */

void publish_uuid(const char *name, char out[46])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)name, strlen(name));
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x80); /* version 8 */
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* variant 10 */
    snprintf(out, 46,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12],
             h[13], h[14], h[15]);
}

static void entry_uuid(const char *agency, int64_t version, char out[46])
{
    char *name = xasprintf("phaen:publication:%s:version:%lld", agency, (long long)version);
    publish_uuid(name, out);
    free(name);
}

/* ---- money and text ---------------------------------------------------------------------- */

/* Baht with two decimals from satang, exactly: "6330.00". */
static void baht2(char out[32], int64_t satang)
{
    uint64_t u = satang < 0 ? (uint64_t)0 - (uint64_t)satang : (uint64_t)satang;
    snprintf(out, 32, "%s%" PRIu64 ".%02u", satang < 0 ? "-" : "", u / 100, (unsigned)(u % 100));
}

/* XML character data: escaped, invalid UTF-8 and control characters that
** XML 1.0 forbids replaced. */
static void xml_text(buf *b, const char *s)
{
    const char *p = s, *end = s ? s + strlen(s) : NULL;
    if (!s)
        return;
    while (p < end) {
        const char *start = p;
        int32_t cp = utf8_next(&p, end);
        if (cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
            cp == 0xFFFF) {
            utf8_put(b, 0xFFFD);
            continue;
        }
        switch (cp) {
        case '&':
            buf_adds(b, "&amp;");
            break;
        case '<':
            buf_adds(b, "&lt;");
            break;
        case '>':
            buf_adds(b, "&gt;");
            break;
        case '"':
            buf_adds(b, "&quot;");
            break;
        default:
            buf_add(b, start, (size_t)(p - start));
        }
    }
}

/* A JSON string that is never NULL (bad UTF-8 becomes ""). */
static json_t *jstr(const char *s)
{
    json_t *j = json_string(s ? s : "");
    return j ? j : json_string("");
}

static void date_thai(buf *b, date d)
{
    if (date_is_null(d))
        buf_adds(b, "-");
    else
        date_thai_long(b, d, false);
}

/* ---- pages --------------------------------------------------------------------------------- */

/* root: the way back to the site root from the page ("" or "../../"). */
static void page_begin(buf *b, const char *root, const char *title, const char *agency)
{
    html_lit(b, "<!DOCTYPE html>\n<html lang=\"th\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    html_fmt(b, "<link rel=\"icon\" href=\"data:,\">"
                "<link rel=\"stylesheet\" href=\"%sstatic/style.css\">"
                "<link rel=\"alternate\" type=\"application/atom+xml\" "
                "title=\"แผนที่เผยแพร่ (Atom)\" href=\"%sfeed.atom\">"
                "<title>%s · %s</title></head><body>",
             root, root, title, agency);
    html_fmt(b, "<header class=\"top\"><a class=\"brand\" href=\"%s\">แผน <small>%s</small></a>"
                "<nav><a href=\"%s\">แผนที่เผยแพร่ทั้งหมด</a>"
                "<a href=\"%sfeed.atom\">ติดตามการเผยแพร่ (Atom)</a></nav></header><main>",
             *root ? root : "./", agency, *root ? root : "./", root);
}

static void page_end(buf *b, const char *agency)
{
    html_fmt(b, "</main><footer>%s · แผนปฏิบัติราชการและแผนการใช้จ่ายงบประมาณที่เผยแพร่ต่อสาธารณะ"
                " · <span lang=\"en\">published plans</span> · phaen</footer></body></html>\n",
             agency);
}

static void index_page(buf *b, const char *agency, const publish_entry *v, size_t n)
{
    bool *done = xcalloc(n ? n : 1, sizeof *done);
    page_begin(b, "", "แผนที่เผยแพร่", agency);
    html_fmt(b, "<h1>แผนการใช้จ่ายงบประมาณที่เผยแพร่</h1><p class=\"agency\">%s</p>", agency);
    if (!n)
        html_lit(b, "<p>ยังไม่มีแผนที่เผยแพร่</p>");
    /* per fiscal year, the newest year first; within a year, newest publication first */
    for (;;) {
        int fy = 0;
        for (size_t i = 0; i < n; i++)
            if (!done[i] && v[i].fiscal_year > fy)
                fy = v[i].fiscal_year;
        if (!fy)
            break;
        html_fmt(b, "<section id=\"fy%d\"><h2>ปีงบประมาณ พ.ศ. %d</h2>"
                    "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>แผน</th>"
                    "<th>ฉบับ</th><th>วันที่เผยแพร่</th><th>โครงการ</th><th>งบประมาณ (บาท)</th>"
                    "</tr></thead><tbody>",
                 fy, fy);
        for (size_t i = 0; i < n; i++) {
            buf d;
            if (done[i] || v[i].fiscal_year != fy)
                continue;
            done[i] = true;
            buf_init(&d, 0);
            date_thai(&d, v[i].published_on);
            html_fmt(b, "<tr><td><a href=\"versions/%lld/\">%s</a></td><td>%s</td>"
                        "<td><time datetime=\"%s\">%s</time></td><td class=\"num\">%d</td>"
                        "<td class=\"num\">%m</td></tr>",
                     (long long)v[i].id, v[i].title, v[i].label, v[i].published_at, d.s,
                     v[i].nprojects, v[i].budget);
            buf_free(&d);
        }
        html_lit(b, "</tbody></table></div></section>");
    }
    html_lit(b, "<p>ข้อมูลแต่ละฉบับดาวน์โหลดได้เป็น PDF, Excel, CSV, JSON และ Open Fiscal Data "
                "Package ที่หน้าของฉบับนั้น</p>");
    page_end(b, agency);
    free(done);
}

static void pct(buf *b, int bp)
{
    buf_printf(b, "%d.%02d%%", bp / 100, bp % 100);
}

static void summary_rows(buf *b, const char *head, const summary_row *rows, size_t n)
{
    html_fmt(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th>"
                "<th>โครงการ</th><th>งบประมาณ (บาท)</th><th>ไตรมาส 1</th><th>ไตรมาส 2</th>"
                "<th>ไตรมาส 3</th><th>ไตรมาส 4</th></tr></thead><tbody>",
             head);
    for (size_t i = 0; i < n; i++) {
        const summary_row *r = &rows[i];
        html_fmt(b, "<tr><td>%s</td><td class=\"num\">%d</td><td class=\"num\">%m</td>",
                 r->title ? r->title : r->key, r->nprojects, r->budget);
        for (int q = 0; q < 4; q++)
            html_fmt(b, "<td class=\"num\">%m</td>", r->q[q]);
        html_lit(b, "</tr>");
    }
    html_lit(b, "</tbody></table></div>");
}

static const struct {
    const char *file, *th, *what;
} downloads[] = {
    {"plan.pdf", "แผนการใช้จ่ายงบประมาณ", "PDF"},
    {"memo.pdf", "บันทึกข้อความ", "PDF"},
    {"summary.pdf", "สรุปพร้อมแผนภูมิ", "PDF"},
    {"summary.svg", "แผนภูมิสรุป", "SVG"},
    {"plan.xlsx", "ตาราง Excel", "XLSX"},
    {"plan.csv", "ตารางข้อมูล", "CSV"},
    {"plan.json", "ข้อมูลเปิดทั้งแผน", "JSON"},
    {"datapackage.json", "Open Fiscal Data Package", "datapackage.json"},
    {"budget.csv", "ข้อมูลงบประมาณตาม Fiscal Data Package", "CSV"},
};

static void version_page(buf *b, const plan_doc *p, const summary *s, const publish_entry *e)
{
    char *heading = plan_heading(p);
    const char *agency = p->agency ? p->agency : "";
    buf d;
    buf_init(&d, 0);
    date_thai(&d, e->published_on);
    page_begin(b, "../../", heading, agency);
    html_fmt(b, "<p><a href=\"../../\">แผนที่เผยแพร่ทั้งหมด</a> › ปีงบประมาณ พ.ศ. %d</p>"
                "<h1>%s</h1><p>%s · %s · เผยแพร่เมื่อ <time datetime=\"%s\">%s</time></p>",
             p->fiscal_year, heading, agency, p->version_label ? p->version_label : "",
             e->published_at, d.s);
    html_fmt(b, "<section class=\"cards\"><div class=\"card\"><h2>งบประมาณรวม</h2>"
                "<p class=\"big\">%m บาท</p><p>%d โครงการ",
             s->budget, s->nprojects);
    if (s->nno_budget)
        html_fmt(b, " (ไม่ใช้งบประมาณ %d โครงการ)", s->nno_budget);
    html_fmt(b, "</p></div><div class=\"card\"><h2>ขั้นของงบประมาณ</h2><p class=\"big\">%s</p>"
                "<p>%s</p></div></section>",
             p->revision == 0 ? "ฉบับอนุมัติ" : "ฉบับปรับปรุง",
             p->revision == 0 ? "แผนฉบับแรกที่ได้รับอนุมัติ (approved)"
                              : "ปรับปรุงตามงบประมาณที่ได้รับจัดสรร (adjusted)");

    html_lit(b, "<h2 id=\"downloads\">ดาวน์โหลด</h2><ul class=\"exports\">");
    for (size_t i = 0; i < ARRAY_LEN(downloads); i++)
        html_fmt(b, "<li><a href=\"%s\">%s (%s)</a></li>", downloads[i].file, downloads[i].th,
                 downloads[i].what);
    html_lit(b, "</ul>");

    html_lit(b, "<h2 id=\"summary\">สรุปแผนการใช้จ่ายงบประมาณ</h2>"
                "<div class=\"tablewrap\"><img src=\"summary.svg\" "
                "alt=\"แผนภูมิแผนการใช้จ่ายงบประมาณรายไตรมาส ตามประเด็นยุทธศาสตร์ และตามหน่วยงาน\">"
                "</div>");
    html_lit(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>ไตรมาส</th>"
                "<th>ช่วงเวลา</th><th>แผนการใช้จ่าย (บาท)</th><th>สะสม (บาท)</th>"
                "<th>สะสมร้อยละของงบประมาณ</th></tr></thead><tbody>");
    for (int q = 0; q < 4; q++) {
        date qs, qe;
        buf r;
        buf_init(&r, 0);
        fy_quarter_range(p->fiscal_year, q + 1, &qs, &qe);
        date_thai_short(&r, qs, false);
        buf_adds(&r, " – ");
        date_thai_short(&r, qe, false);
        html_fmt(b, "<tr><td>ไตรมาส %d</td><td>%s</td><td class=\"num\">%m</td>"
                    "<td class=\"num\">%m</td><td class=\"num\">",
                 q + 1, r.s, s->q[q], s->cum[q]);
        pct(b, s->cum_bp[q]);
        html_lit(b, "</td></tr>");
        buf_free(&r);
    }
    html_fmt(b, "</tbody><tfoot><tr><td colspan=\"2\">รวม</td><td class=\"num\">%m</td>"
                "<td colspan=\"2\"></td></tr></tfoot></table></div>",
             s->budget);
    html_lit(b, "<h3>ตามประเด็นยุทธศาสตร์</h3>");
    summary_rows(b, "ประเด็นยุทธศาสตร์", s->by_issue, s->nissue);
    html_lit(b, "<h3>ตามหน่วยงานผู้รับผิดชอบ</h3>");
    summary_rows(b, "ผู้รับผิดชอบ", s->by_unit, s->nunit);

    html_lit(b, "<h2 id=\"plan\">แผนการใช้จ่ายงบประมาณรายโครงการ</h2>");
    html_plan_table(b, p, s, NULL, NULL, false);

    html_lit(b, "<h2 id=\"signers\">ผู้จัดทำและผู้อนุมัติ</h2><ul>");
    for (int r = 0; r < SIGN__MAX; r++) {
        const signature *sg = &p->signers[r];
        if (!sg->name || !*sg->name)
            continue;
        html_fmt(b, "<li><b>%s</b> %s", sign_role_th((sign_role)r), sg->name);
        if (sg->position && *sg->position)
            html_fmt(b, " (%s)", sg->position);
        html_lit(b, "</li>");
    }
    html_lit(b, "</ul>");
    page_end(b, agency);
    buf_free(&d);
    free(heading);
}

/* ---- Atom ----------------------------------------------------------------------------------- */

char *publish_feed_atom(const char *agency, const publish_entry *v, size_t n)
{
    buf b;
    char id[46];
    char *name = xasprintf("phaen:feed:%s", agency ? agency : "");
    buf_init(&b, 0);
    publish_uuid(name, id);
    free(name);
    buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"th\">\n  <id>");
    buf_adds(&b, id);
    buf_adds(&b, "</id>\n  <title>แผนการใช้จ่ายงบประมาณที่เผยแพร่ ");
    xml_text(&b, agency);
    /* the feed changed last when the newest version was published; with
    ** none, never (a fixed instant keeps the output reproducible) */
    buf_printf(&b, "</title>\n  <updated>%s</updated>\n",
               n ? v[0].published_at : "1970-01-01T00:00:00Z");
    buf_adds(&b, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"feed.atom\"/>\n"
                 "  <link rel=\"alternate\" type=\"text/html\" href=\"./\"/>\n  <author><name>");
    xml_text(&b, agency);
    buf_adds(&b, "</name></author>\n  <generator>phaen</generator>\n");
    for (size_t i = 0; i < n; i++) {
        const publish_entry *e = &v[i];
        buf d;
        entry_uuid(e->agency ? e->agency : agency, e->id, id);
        buf_init(&d, 0);
        date_thai(&d, e->published_on);
        buf_printf(&b, "  <entry>\n    <id>%s</id>\n    <title>", id);
        xml_text(&b, e->title);
        buf_printf(&b,
                   "</title>\n    <updated>%s</updated>\n    <published>%s</published>\n"
                   "    <link rel=\"alternate\" type=\"text/html\" href=\"versions/%lld/\"/>\n"
                   "    <link rel=\"enclosure\" type=\"application/pdf\" "
                   "href=\"versions/%lld/plan.pdf\"/>\n"
                   "    <summary type=\"text\">",
                   e->published_at, e->published_at, (long long)e->id, (long long)e->id);
        {
            buf s;
            buf_init(&s, 0);
            buf_printf(&s, "เผยแพร่แผนการใช้จ่ายงบประมาณ ปีงบประมาณ พ.ศ. %d ", e->fiscal_year);
            buf_adds(&s, *e->label ? e->label : e->revision == 0 ? "ฉบับอนุมัติ" : "ฉบับปรับปรุง");
            buf_adds(&s, " ของ");
            buf_adds(&s, e->agency ? e->agency : agency);
            buf_printf(&s, " เมื่อ %s: %d โครงการ งบประมาณรวม ", d.s, e->nprojects);
            money_format(&s, e->budget, false);
            buf_adds(&s, " บาท");
            xml_text(&b, s.s);
            buf_free(&s);
        }
        buf_adds(&b, "</summary>\n  </entry>\n");
        buf_free(&d);
    }
    buf_adds(&b, "</feed>\n");
    return buf_detach(&b);
}

/* ---- Open Fiscal Data Package ----------------------------------------------------------------- */

enum ftype { F_INT, F_NUM, F_STR, F_DATE };
static const char *const ftype_name[] = {"integer", "number", "string", "date"};

typedef struct field_def {
    const char *name;
    enum ftype type;
    bool required;
    const char *title; /* Thai */
    const char *description;
} field_def;

#define NALIGN_FIELDS ALIGN__MAX
static const field_def fields_head[] = {
    {"fiscal_year_be", F_INT, true, "ปีงบประมาณ (พ.ศ.)", "Fiscal year, Buddhist Era"},
    {"fiscal_year_ce", F_INT, true, "ปีงบประมาณ (ค.ศ.)",
     "Fiscal year, Common Era: the year in which it ends (BE - 543)"},
    {"fiscal_period_start", F_DATE, true, "วันเริ่มปีงบประมาณ", "First day of the fiscal year"},
    {"fiscal_period_end", F_DATE, true, "วันสิ้นปีงบประมาณ", "Last day of the fiscal year"},
    {"budget_phase", F_STR, true, "ขั้นของงบประมาณ",
     "approved: the original plan (revision 0); adjusted: a revision to the allocated budget"},
    {"revision", F_INT, true, "ฉบับปรับปรุงครั้งที่", "0 = the original plan"},
    {"project_no", F_INT, true, "ที่", "Project number in plan order"},
    {"project_name", F_STR, true, "โครงการ", "Project name"},
    {"strategic_issue_no", F_INT, false, "ประเด็นยุทธศาสตร์ที่", "Strategic issue number"},
    {"strategic_issue", F_STR, false, "ประเด็นยุทธศาสตร์", "Strategic issue title"},
    {"unit", F_STR, false, "ผู้รับผิดชอบ", "Responsible unit (group) of the agency"},
};
static const field_def fields_tail[] = {
    {"budget_planned", F_NUM, true, "งบประมาณ (บาท)",
     "Project budget in baht (0.00 when the project needs no budget)"},
    {"planned_q1", F_NUM, true, "แผนการใช้จ่าย ไตรมาส 1 (บาท)", "Planned spending, Oct-Dec"},
    {"planned_q2", F_NUM, true, "แผนการใช้จ่าย ไตรมาส 2 (บาท)", "Planned spending, Jan-Mar"},
    {"planned_q3", F_NUM, true, "แผนการใช้จ่าย ไตรมาส 3 (บาท)", "Planned spending, Apr-Jun"},
    {"planned_q4", F_NUM, true, "แผนการใช้จ่าย ไตรมาส 4 (บาท)", "Planned spending, Jul-Sep"},
    {"budget_note", F_STR, false, "หมายเหตุงบประมาณ",
     "\"ไม่ใช้งบประมาณ\" when the project needs no budget"},
    {"period_text", F_STR, false, "ระยะเวลาดำเนินการ", "Operating period as written"},
    {"period_start", F_DATE, false, "วันเริ่มดำเนินการ", "Operating period start (empty when unreadable)"},
    {"period_end", F_DATE, false, "วันสิ้นสุดดำเนินการ", "Operating period end (empty when unreadable)"},
};

static json_t *field_json(const field_def *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(f->name));
    json_object_set_new(o, "title", json_string(f->title));
    json_object_set_new(o, "description", json_string(f->description));
    json_object_set_new(o, "type", json_string(ftype_name[f->type]));
    if (f->type == F_DATE)
        json_object_set_new(o, "format", json_string("default"));
    if (f->type == F_NUM)
        json_object_set_new(o, "decimalChar", json_string("."));
    if (f->required || strcmp(f->name, "budget_phase") == 0) {
        json_t *c = json_object();
        if (f->required)
            json_object_set_new(c, "required", json_true());
        if (strcmp(f->name, "budget_phase") == 0)
            json_object_set_new(c, "enum", json_pack("[ss]", "approved", "adjusted"));
        json_object_set_new(o, "constraints", c);
    }
    return o;
}

static json_t *period_json(date a, date b)
{
    char s[11], e[11];
    date_iso(a, s);
    date_iso(b, e);
    return json_pack("{s:s,s:s}", "start", s, "end", e);
}

static json_t *attr(const char *source, const char *title)
{
    return json_pack("{s:s,s:s}", "source", source, "title", title);
}

static bool numbers_unique(const plan_doc *p)
{
    for (size_t i = 0; i < p->nprojects; i++)
        for (size_t j = i + 1; j < p->nprojects; j++)
            if (p->projects[i].no == p->projects[j].no)
                return false;
    return true;
}

char *publish_datapackage_json(const plan_doc *p, const publish_entry *e)
{
    json_t *dp = json_object(), *res, *schema, *fields, *model, *measures, *dims, *d, *a;
    char *heading = plan_heading(p), *name, *text, *desc;
    const char *phase = publish_phase(p);
    date fs = fy_start(p->fiscal_year), fe = fy_end(p->fiscal_year);

    name = xasprintf("phaen-fy%d-revision-%d-version-%lld", p->fiscal_year, p->revision,
                     (long long)p->version_id);
    json_object_set_new(dp, "profile", json_string("fiscal-data-package"));
    json_object_set_new(dp, "name", json_string(name));
    json_object_set_new(dp, "title", jstr(heading));
    desc = xasprintf("แผนการใช้จ่ายงบประมาณรายโครงการ ปีงบประมาณ พ.ศ. %d (%s) ของ%s: "
                     "หนึ่งแถวต่อหนึ่งโครงการ แผนการใช้จ่ายรายไตรมาสเป็นคอลัมน์ planned_q1..planned_q4 "
                     "จำนวนเงินเป็นบาท ทศนิยม 2 ตำแหน่ง / Budget spending plan by project, one row "
                     "per project with the four fiscal quarters as columns; amounts in baht with "
                     "two decimals.",
                     p->fiscal_year, p->version_label ? p->version_label : "",
                     p->agency ? p->agency : "");
    json_object_set_new(dp, "description", jstr(desc));
    free(desc);
    json_object_set_new(dp, "countryCode", json_string("TH"));
    json_object_set_new(dp, "granularity", json_string("aggregated"));
    json_object_set_new(dp, "fiscalPeriod", period_json(fs, fe));
    json_object_set_new(dp, "budgetStage", json_string(phase));
    json_object_set_new(dp, "fiscalYear", json_pack("{s:i,s:i}", "be", p->fiscal_year, "ce",
                                                   thai_be_to_ce(p->fiscal_year)));
    json_object_set_new(dp, "revision", json_integer(p->revision));
    json_object_set_new(dp, "versionLabel", jstr(p->version_label));
    if (e) {
        json_object_set_new(dp, "created", json_string(e->published_at));
        json_object_set_new(dp, "sha256", json_string(e->sha256));
    }
    json_object_set_new(dp, "contributors",
                        json_pack("[{s:o,s:s}]", "title", jstr(p->agency), "role", "publisher"));
    json_object_set_new(dp, "keywords",
                        json_pack("[s,s,s]", "แผนการใช้จ่ายงบประมาณ", "budget", "Thailand"));

    /* the resource and its schema */
    fields = json_array();
    for (size_t i = 0; i < ARRAY_LEN(fields_head); i++)
        json_array_append_new(fields, field_json(&fields_head[i]));
    for (int f = 0; f < ALIGN__MAX; f++) {
        field_def fd = {align_key((align_field)f), F_STR, false, align_header_th((align_field)f),
                        align_name_en((align_field)f)};
        json_array_append_new(fields, field_json(&fd));
    }
    for (size_t i = 0; i < ARRAY_LEN(fields_tail); i++)
        json_array_append_new(fields, field_json(&fields_tail[i]));
    schema = json_object();
    json_object_set_new(schema, "fields", fields);
    if (numbers_unique(p))
        json_object_set_new(schema, "primaryKey", json_pack("[s]", "project_no"));
    json_object_set_new(schema, "missingValues", json_pack("[s]", ""));
    res = json_object();
    json_object_set_new(res, "name", json_string("budget"));
    json_object_set_new(res, "title", jstr(heading));
    json_object_set_new(res, "profile", json_string("tabular-data-resource"));
    json_object_set_new(res, "path", json_string("budget.csv"));
    json_object_set_new(res, "format", json_string("csv"));
    json_object_set_new(res, "mediatype", json_string("text/csv"));
    json_object_set_new(res, "encoding", json_string("utf-8"));
    json_object_set_new(res, "dialect", json_pack("{s:s,s:s,s:s,s:b}", "delimiter", ",",
                                                 "lineTerminator", "\r\n", "quoteChar", "\"",
                                                 "header", 1));
    json_object_set_new(res, "schema", schema);
    json_object_set_new(dp, "resources", json_pack("[o]", res));

    /* the logical model */
    measures = json_object();
    json_object_set_new(measures, "budget_planned",
                        json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:o}", "source", "budget_planned",
                                  "currency", "THB", "factor", 1, "direction", "expenditure",
                                  "phase", phase, "title", "งบประมาณ (บาท)", "fiscalPeriod",
                                  period_json(fs, fe)));
    for (int q = 1; q <= 4; q++) {
        char src[32], title[160];
        date qs, qe;
        fy_quarter_range(p->fiscal_year, q, &qs, &qe);
        snprintf(src, sizeof src, "planned_q%d", q);
        snprintf(title, sizeof title, "แผนการใช้จ่ายงบประมาณ ไตรมาส %d (บาท)", q);
        json_object_set_new(measures, src,
                            json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:o}", "source", src, "currency",
                                      "THB", "factor", 1, "direction", "expenditure", "phase",
                                      phase, "title", title, "fiscalPeriod", period_json(qs, qe)));
    }
    dims = json_object();
    /* administrative: who spends */
    a = json_object();
    json_object_set_new(a, "code", attr("unit", "ผู้รับผิดชอบ"));
    d = json_pack("{s:o,s:[s],s:s,s:s}", "attributes", a, "primaryKey", "code", "dimensionType",
                  "classification", "classificationType", "administrative");
    json_object_set_new(dims, "administrative", d);
    /* functional: what for — the strategic issue and the national plans it serves */
    a = json_object();
    json_object_set_new(a, "code", attr("strategic_issue_no", "ประเด็นยุทธศาสตร์ที่"));
    json_object_set_new(a, "title", json_pack("{s:s,s:s,s:s}", "source", "strategic_issue",
                                              "title", "ประเด็นยุทธศาสตร์", "labelfor", "code"));
    for (int f = 0; f < ALIGN__MAX; f++) {
        const char *k = align_key((align_field)f);
        json_t *at = attr(k, align_header_th((align_field)f));
        if (f == ALIGN_MASTER_PLAN)
            json_object_set_new(at, "parent", json_string(align_key(ALIGN_NATIONAL_STRATEGY)));
        if (f == ALIGN_SUBPLAN_TARGET)
            json_object_set_new(at, "parent", json_string(align_key(ALIGN_MASTER_PLAN)));
        json_object_set_new(a, k, at);
    }
    d = json_pack("{s:o,s:[s],s:s,s:s}", "attributes", a, "primaryKey", "code", "dimensionType",
                  "classification", "classificationType", "functional");
    json_object_set_new(dims, "functional", d);
    /* date: the fiscal year */
    a = json_object();
    json_object_set_new(a, "fiscal_year_be", attr("fiscal_year_be", "ปีงบประมาณ (พ.ศ.)"));
    json_object_set_new(a, "fiscal_year_ce", attr("fiscal_year_ce", "ปีงบประมาณ (ค.ศ.)"));
    json_object_set_new(a, "start", attr("fiscal_period_start", "วันเริ่มปีงบประมาณ"));
    json_object_set_new(a, "end", attr("fiscal_period_end", "วันสิ้นปีงบประมาณ"));
    d = json_pack("{s:o,s:[s],s:s,s:o}", "attributes", a, "primaryKey", "fiscal_year_be",
                  "dimensionType", "datetime", "fiscalPeriod", period_json(fs, fe));
    json_object_set_new(dims, "date", d);
    /* project: the activity */
    a = json_object();
    json_object_set_new(a, "code", attr("project_no", "ที่"));
    json_object_set_new(a, "title", json_pack("{s:s,s:s,s:s}", "source", "project_name", "title",
                                              "โครงการ", "labelfor", "code"));
    json_object_set_new(a, "period_text", attr("period_text", "ระยะเวลาดำเนินการ"));
    json_object_set_new(a, "period_start", attr("period_start", "วันเริ่มดำเนินการ"));
    json_object_set_new(a, "period_end", attr("period_end", "วันสิ้นสุดดำเนินการ"));
    json_object_set_new(a, "budget_note", attr("budget_note", "หมายเหตุงบประมาณ"));
    d = json_pack("{s:o,s:[s],s:s}", "attributes", a, "primaryKey", "code", "dimensionType",
                  "activity");
    json_object_set_new(dims, "project", d);
    /* the budget phase, a constant column */
    a = json_object();
    json_object_set_new(a, "budget_phase", attr("budget_phase", "ขั้นของงบประมาณ"));
    d = json_pack("{s:o,s:[s],s:s}", "attributes", a, "primaryKey", "budget_phase",
                  "dimensionType", "other");
    json_object_set_new(dims, "phase", d);
    model = json_pack("{s:o,s:o}", "measures", measures, "dimensions", dims);
    json_object_set_new(dp, "model", model);

    text = json_dumps(dp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(dp);
    free(name);
    free(heading);
    if (!text)
        panic("datapackage.json: cannot serialise");
    {
        char *t2 = xasprintf("%s\n", text);
        free(text);
        return t2;
    }
}

char *publish_budget_csv(const plan_doc *p)
{
    buf b;
    char n[32], fys[11], fye[11];
    const char *phase = publish_phase(p);
    buf_init(&b, 0);
    date_iso(fy_start(p->fiscal_year), fys);
    date_iso(fy_end(p->fiscal_year), fye);
    for (size_t i = 0; i < ARRAY_LEN(fields_head); i++)
        csv_put(&b, fields_head[i].name);
    for (int f = 0; f < ALIGN__MAX; f++)
        csv_put(&b, align_key((align_field)f));
    for (size_t i = 0; i < ARRAY_LEN(fields_tail); i++)
        csv_put(&b, fields_tail[i].name);
    csv_end(&b);
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        const strategic_issue *si = pr->issue ? plan_issue(p, pr->issue) : NULL;
        char ds[11], de[11];
        snprintf(n, sizeof n, "%d", p->fiscal_year);
        csv_put(&b, n);
        snprintf(n, sizeof n, "%d", thai_be_to_ce(p->fiscal_year));
        csv_put(&b, n);
        csv_put(&b, fys);
        csv_put(&b, fye);
        csv_put(&b, phase);
        snprintf(n, sizeof n, "%d", p->revision);
        csv_put(&b, n);
        snprintf(n, sizeof n, "%d", pr->no);
        csv_put(&b, n);
        csv_put(&b, pr->name ? pr->name : "");
        if (pr->issue > 0) {
            snprintf(n, sizeof n, "%d", pr->issue);
            csv_put(&b, n);
        } else {
            csv_put(&b, "");
        }
        csv_put(&b, si && si->title ? si->title : "");
        csv_put(&b, pr->unit ? pr->unit : pr->unit_text ? pr->unit_text : "");
        for (int f = 0; f < ALIGN__MAX; f++) {
            char *t = alignment_text(&pr->align[f]);
            csv_put(&b, t);
            free(t);
        }
        baht2(n, pr->has_budget ? pr->budget : 0);
        csv_put(&b, n);
        for (int q = 0; q < 4; q++) {
            baht2(n, pr->q[q]);
            csv_put(&b, n);
        }
        csv_put(&b, pr->has_budget ? "" : "ไม่ใช้งบประมาณ");
        csv_put(&b, pr->period_text ? pr->period_text : "");
        date_iso(pr->start, ds);
        date_iso(pr->end, de);
        csv_put(&b, date_valid(pr->start) ? ds : "");
        csv_put(&b, date_valid(pr->end) ? de : "");
        csv_end(&b);
    }
    return buf_detach(&b);
}

/* ---- one version's files ---------------------------------------------------------------------- */

typedef struct vctx {
    plan_doc *p;
    summary s;
    publish_entry e;
} vctx;

static int vctx_load(store *st, int64_t agency, int64_t id, vctx *vc, char *err, size_t errlen)
{
    memset(vc, 0, sizeof *vc);
    if (!publish_version_public(st, agency, id, &vc->e)) {
        snprintf(err, errlen, "ไม่พบฉบับที่เผยแพร่ %lld / no published version %lld",
                 (long long)id, (long long)id);
        return PUBLISH_NOT_FOUND;
    }
    if (!(vc->p = store_version_load(st, id, err, errlen)))
        return PUBLISH_ERROR;
    vc->e.id = id;
    vc->e.fiscal_year = vc->p->fiscal_year;
    vc->e.revision = vc->p->revision;
    snprintf(vc->e.label, sizeof vc->e.label, "%s",
             vc->p->version_label ? vc->p->version_label : "");
    summary_compute(vc->p, &vc->s);
    return 0;
}

static void vctx_free(vctx *vc)
{
    summary_free(&vc->s);
    plan_free(vc->p);
}

static bool is_binary(const char *name)
{
    return strcmp(name, "plan.pdf") == 0 || strcmp(name, "memo.pdf") == 0 ||
           strcmp(name, "summary.pdf") == 0 || strcmp(name, "plan.xlsx") == 0;
}

static int render_binary(vctx *vc, const char *name, const char *path, char *err, size_t errlen)
{
    if (strcmp(name, "plan.pdf") == 0)
        return render_plan_pdf(vc->p, NULL, path, NULL, err, errlen);
    if (strcmp(name, "memo.pdf") == 0)
        return render_memo_pdf(vc->p, NULL, path, err, errlen);
    if (strcmp(name, "summary.pdf") == 0)
        return render_summary_pdf(vc->p, &vc->s, path, err, errlen);
    if (strcmp(name, "plan.xlsx") == 0)
        return export_xlsx(vc->p, &vc->s, path, err, errlen);
    panic("render_binary: %s", name);
}

static void text_file(vctx *vc, const char *name, buf *out)
{
    char *t = NULL;
    if (strcmp(name, "index.html") == 0)
        version_page(out, vc->p, &vc->s, &vc->e);
    else if (strcmp(name, "summary.svg") == 0)
        t = render_summary_svg(vc->p, &vc->s);
    else if (strcmp(name, "plan.csv") == 0)
        t = export_csv_string(vc->p);
    else if (strcmp(name, "plan.json") == 0)
        t = export_json_string(vc->p, NULL);
    else if (strcmp(name, "datapackage.json") == 0)
        t = publish_datapackage_json(vc->p, &vc->e);
    else if (strcmp(name, "budget.csv") == 0)
        t = publish_budget_csv(vc->p);
    else
        panic("text_file: %s", name);
    if (t) {
        buf_adds(out, t);
        free(t);
    }
}

/* A binary rendered into a private temporary directory and read back. */
static int binary_to_buf(vctx *vc, const char *name, buf *out, char *err, size_t errlen)
{
    const char *tmpdir = getenv("TMPDIR");
    char *dir = xasprintf("%s/phaen-public-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    char *path;
    char *data;
    size_t len;
    int rc = -1;
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "สร้างไดเรกทอรีชั่วคราวไม่ได้ / cannot make a temporary directory: %s",
                 strerror(errno));
        free(dir);
        return -1;
    }
    path = xasprintf("%s/%s", dir, name);
    if (render_binary(vc, name, path, err, errlen) == 0 &&
        (data = file_read(path, 0, &len, err, errlen))) {
        buf_add(out, data, len);
        free(data);
        rc = 0;
    }
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
    return rc;
}

/* ---- resolving paths ---------------------------------------------------------------------------- */

static bool parse_id(const char *s, size_t n, int64_t *out)
{
    int64_t v = 0;
    if (n == 0 || n > 18 || s[0] == '0')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int publish_resolve(store *s, int64_t agency, const char *path, publish_target *t)
{
    const char *rest, *slash;
    publish_entry e = {0};
    memset(t, 0, sizeof *t);
    if (!path)
        return PUBLISH_NOT_FOUND;
    if (*path == 0 || strcmp(path, "index.html") == 0) {
        t->kind = PUBLISH_T_INDEX;
        t->file = "index.html";
    } else if (strcmp(path, "feed.atom") == 0) {
        t->kind = PUBLISH_T_FEED;
        t->file = "feed.atom";
    } else if (strcmp(path, "static/style.css") == 0) {
        t->kind = PUBLISH_T_STYLE;
        t->file = "style.css";
        snprintf(t->key, sizeof t->key, "static/style.css");
    } else if (strncmp(path, "versions/", 9) == 0) {
        rest = path + 9;
        slash = strchr(rest, '/');
        if (!parse_id(rest, slash ? (size_t)(slash - rest) : strlen(rest), &t->version) ||
            !publish_version_public(s, agency, t->version, &e))
            return PUBLISH_NOT_FOUND;
        if (!slash)
            return PUBLISH_REDIRECT;
        t->kind = PUBLISH_T_VERSION;
        if (slash[1] == 0)
            t->file = "index.html";
        else
            for (int i = 0; publish_version_files[i]; i++)
                if (strcmp(slash + 1, publish_version_files[i]) == 0)
                    t->file = publish_version_files[i];
        if (!t->file)
            return PUBLISH_NOT_FOUND;
        snprintf(t->key, sizeof t->key, "v%lld/%s/%.64s/%s", (long long)t->version,
                 e.published_at, e.sha256, t->file);
    } else {
        return PUBLISH_NOT_FOUND;
    }
    t->ctype = t->kind == PUBLISH_T_FEED ? file_ctype(".atom") : file_ctype(t->file);
    return PUBLISH_OK;
}

static char *agency_name(store *s, int64_t agency, const publish_entry *v, size_t n)
{
    char *name = NULL;
    if (n && v[0].agency)
        return xstrdup(v[0].agency);
    if (store_agency_default(s, &name) == agency && name)
        return name;
    free(name);
    return xstrdup("");
}

static int site_page(store *s, int64_t agency, bool feed, buf *out, char *err, size_t errlen)
{
    publish_entry *v;
    size_t n;
    char *name;
    if (publish_list(s, agency, &v, &n, err, errlen) != 0)
        return -1;
    name = agency_name(s, agency, v, n);
    if (feed) {
        char *t = publish_feed_atom(name, v, n);
        buf_adds(out, t);
        free(t);
    } else {
        index_page(out, name, v, n);
    }
    free(name);
    publish_list_free(v, n);
    return 0;
}

int publish_generate(store *s, int64_t agency, const publish_target *t, buf *out, char *err,
                     size_t errlen)
{
    vctx vc;
    int rc;
    switch (t->kind) {
    case PUBLISH_T_INDEX:
        return site_page(s, agency, false, out, err, errlen);
    case PUBLISH_T_FEED:
        return site_page(s, agency, true, out, err, errlen);
    case PUBLISH_T_STYLE: {
        const embedded_file *f = embed_find("style.css");
        if (!f) {
            snprintf(err, errlen, "style.css is not embedded");
            return -1;
        }
        buf_adds(out, f->data);
        return 0;
    }
    case PUBLISH_T_VERSION:
        break;
    }
    if ((rc = vctx_load(s, agency, t->version, &vc, err, errlen)) != 0)
        return rc;
    if (is_binary(t->file))
        rc = binary_to_buf(&vc, t->file, out, err, errlen);
    else
        text_file(&vc, t->file, out);
    vctx_free(&vc);
    return rc;
}

/* ---- the static site ------------------------------------------------------------------------------ */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static void rm_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int make_dir(const char *path, char *err, size_t errlen)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: สร้างไดเรกทอรีไม่ได้ / cannot create: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int put_file(const char *dir, const char *name, const buf *b, char *err, size_t errlen)
{
    char *path = xasprintf("%s/%s", dir, name);
    int rc = file_write(path, b->s ? b->s : "", b->len, err, errlen);
    free(path);
    return rc;
}

/* May dir be replaced? It does not exist, or is an empty directory, or a
** site written before (.phaen-site). */
static int dir_replaceable(const char *dir, bool *exists, char *err, size_t errlen)
{
    struct stat st;
    char *marker;
    bool ok;
    *exists = false;
    if (lstat(dir, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen,
                 "%s มีอยู่แล้วและไม่ใช่ไดเรกทอรี / %s exists and is not a directory", dir,
                 dir);
        return -1;
    }
    *exists = true;
    marker = xasprintf("%s/.phaen-site", dir);
    ok = access(marker, F_OK) == 0;
    free(marker);
    if (!ok) {
        DIR *d = opendir(dir);
        struct dirent *de;
        ok = d != NULL;
        while (ok && (de = readdir(d)))
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                ok = false;
        if (d)
            closedir(d);
    }
    if (!ok) {
        snprintf(err, errlen,
                 "%s มีไฟล์อื่นอยู่ (ไม่ใช่เว็บที่ phaen สร้าง) จะไม่เขียนทับ ให้ระบุไดเรกทอรีว่างหรือใหม่ / "
                 "%s holds other files (not a site written by phaen); give an empty or new directory",
                 dir, dir);
        return -1;
    }
    return 0;
}

static int write_version(store *s, int64_t agency, const char *root, int64_t id, char *err,
                         size_t errlen)
{
    vctx vc;
    char *dir = xasprintf("%s/versions/%lld", root, (long long)id);
    int rc = make_dir(dir, err, errlen);
    if (rc == 0 && (rc = vctx_load(s, agency, id, &vc, err, errlen)) == 0) {
        for (int i = 0; rc == 0 && publish_version_files[i]; i++) {
            const char *name = publish_version_files[i];
            if (is_binary(name)) {
                char *path = xasprintf("%s/%s", dir, name);
                rc = render_binary(&vc, name, path, err, errlen);
                free(path);
            } else {
                buf b;
                buf_init(&b, 0);
                text_file(&vc, name, &b);
                rc = put_file(dir, name, &b, err, errlen);
                buf_free(&b);
            }
        }
        vctx_free(&vc);
    }
    free(dir);
    return rc;
}

static int write_site(store *s, int64_t agency, const char *root, char *err, size_t errlen)
{
    publish_entry *v;
    size_t n;
    char *sub;
    buf b;
    int rc = 0;
    const embedded_file *css = embed_find("style.css");
    if (publish_list(s, agency, &v, &n, err, errlen) != 0)
        return -1;
    buf_init(&b, 0);
    {
        char *name = agency_name(s, agency, v, n);
        index_page(&b, name, v, n);
        rc = put_file(root, "index.html", &b, err, errlen);
        buf_reset(&b);
        if (rc == 0) {
            char *t = publish_feed_atom(name, v, n);
            buf_adds(&b, t);
            free(t);
            rc = put_file(root, "feed.atom", &b, err, errlen);
            buf_reset(&b);
        }
        free(name);
    }
    sub = xasprintf("%s/static", root);
    if (rc == 0 && (rc = make_dir(sub, err, errlen)) == 0) {
        buf_adds(&b, css ? css->data : "");
        rc = put_file(sub, "style.css", &b, err, errlen);
        buf_reset(&b);
    }
    free(sub);
    sub = xasprintf("%s/versions", root);
    if (rc == 0)
        rc = make_dir(sub, err, errlen);
    free(sub);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = write_version(s, agency, root, v[i].id, err, errlen);
    if (rc == 0) {
        buf_adds(&b, "phaen public site: this directory is replaced by `phaen publish --static`\n");
        rc = put_file(root, ".phaen-site", &b, err, errlen);
    }
    buf_free(&b);
    publish_list_free(v, n);
    return rc == 0 ? 0 : -1;
}

int publish_static(store *s, int64_t agency, const char *dir_in, char *err, size_t errlen)
{
    char *dir, *tmp;
    size_t len;
    bool exists;
    int rc = -1;
    if (errlen)
        *err = 0;
    if (!dir_in || !*dir_in) {
        snprintf(err, errlen, "ให้ระบุไดเรกทอรี / give a directory");
        return -1;
    }
    if (!agency) {
        snprintf(err, errlen, "ยังไม่มีหน่วยงานในฐานข้อมูล / no agency in the database yet");
        return -1;
    }
    dir = xstrdup(dir_in);
    len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        dir[--len] = 0;
    if (strcmp(dir, "/") == 0 || strcmp(dir, ".") == 0 || strcmp(dir, "..") == 0 ||
        (len >= 3 && strcmp(dir + len - 3, "/..") == 0) ||
        (len >= 2 && strcmp(dir + len - 2, "/.") == 0)) {
        snprintf(err, errlen, "%s: ใช้ไดเรกทอรีนี้ไม่ได้ / cannot use this directory", dir);
        free(dir);
        return -1;
    }
    if (dir_replaceable(dir, &exists, err, errlen) != 0) {
        free(dir);
        return -1;
    }
    tmp = xasprintf("%s.tmp-XXXXXX", dir);
    if (!mkdtemp(tmp)) {
        snprintf(err, errlen, "%s: สร้างไดเรกทอรีชั่วคราวไม่ได้ / cannot create a temporary directory: %s",
                 tmp, strerror(errno));
        goto out;
    }
    if (chmod(tmp, 0755) != 0 || write_site(s, agency, tmp, err, errlen) != 0) {
        if (!*err)
            snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rm_tree(tmp);
        goto out;
    }
    if (exists && renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
        rm_tree(tmp); /* now the old site */
        rc = 0;
    } else if (exists) {
        /* a filesystem without RENAME_EXCHANGE: move the old site aside first */
        char *old = xasprintf("%s.old-XXXXXX", dir);
        if (!mkdtemp(old) || rename(dir, old) != 0) {
            snprintf(err, errlen, "%s: แทนที่ไม่ได้ / cannot replace: %s", dir, strerror(errno));
            rmdir(old);
            rm_tree(tmp);
        } else if (rename(tmp, dir) != 0) {
            snprintf(err, errlen, "%s: แทนที่ไม่ได้ / cannot replace: %s", dir, strerror(errno));
            rename(old, dir);
            rm_tree(tmp);
        } else {
            rm_tree(old);
            rc = 0;
        }
        free(old);
    } else if (rename(tmp, dir) != 0) {
        snprintf(err, errlen, "%s: ย้ายเข้าที่ไม่ได้ / cannot move into place: %s", dir,
                 strerror(errno));
        rm_tree(tmp);
    } else {
        rc = 0;
    }
out:
    free(tmp);
    free(dir);
    return rc;
}
