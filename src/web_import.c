/*
** web_import.c — importing a plan through the browser, in two steps:
**
**   1. POST /import with a file: check the bytes, read them (text
**      extraction, canonical CSV or .xlsx), match the units, run the check
**      engine, and show a preview. Nothing is written: the save is tried in
**      a transaction that is rolled back, only to learn whether it would
**      replace a draft. The bytes wait in memory under a random token.
**   2. POST /import with action=confirm and the token: read the kept bytes
**      again and save them in one transaction with an audit entry (the same
**      steps as `phaen import`), then go to the plan. action=cancel drops
**      them.
**
** Waiting uploads live in a small table guarded by a mutex: at most
** PENDING_MAX of them (and PENDING_MAX_BYTES in all), each for
** PENDING_SECONDS, each tied to the user who uploaded it. A restart of the
** server forgets them; the user uploads again.
*/
#include "web.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth.h"
#include "import_csv.h"
#include "import_text.h"
#include "summary.h"
#include "xlsx.h"

#define PENDING_MAX 8
#define PENDING_SECONDS (30 * 60)
#define PENDING_MAX_BYTES ((size_t)96 << 20)
#define NAME_MAX_BYTES 200

typedef enum upload_format { FMT_TEXT, FMT_CSV, FMT_XLSX } upload_format;

static const char *format_key(upload_format f)
{
    return f == FMT_CSV ? "csv" : f == FMT_XLSX ? "xlsx" : "text";
}

static const char *format_th(upload_format f)
{
    return f == FMT_CSV    ? "CSV"
           : f == FMT_XLSX ? "Excel (.xlsx)"
                           : "ข้อความที่คัดจากเอกสาร (text)";
}

/* ---- uploads waiting for confirmation ---------------------------------------------------- */

typedef struct upload {
    char *name;  /* file name as the user's computer called it (cleaned) */
    char *data;  /* the bytes */
    size_t len;
    int fy;      /* BE fiscal year from the form (0 = none) */
} upload;

typedef struct pending {
    char token[AUTH_TOKEN_HEX]; /* "" = a free slot */
    int64_t user;
    int64_t created;            /* monotonic seconds */
    upload u;
} pending;

static pthread_mutex_t pending_mu = PTHREAD_MUTEX_INITIALIZER;
static pending pendings[PENDING_MAX];

static int64_t now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

static void upload_free(upload *u)
{
    free(u->name);
    free(u->data);
    memset(u, 0, sizeof *u);
}

/* Called with pending_mu held. */
static void pending_drop(pending *p)
{
    upload_free(&p->u);
    memset(p, 0, sizeof *p);
}

/* Called with pending_mu held. */
static void pending_expire(int64_t now)
{
    for (size_t i = 0; i < PENDING_MAX; i++)
        if (pendings[i].token[0] && now - pendings[i].created >= PENDING_SECONDS)
            pending_drop(&pendings[i]);
}

/* Keep u (taken over) for user; token receives the key to it. The oldest
** waiting uploads make room when the table or the byte budget is full. */
static void pending_put(int64_t user_id, upload *u, char token[AUTH_TOKEN_HEX])
{
    int64_t now = now_mono();
    pthread_mutex_lock(&pending_mu);
    pending_expire(now);
    for (;;) {
        size_t bytes = u->len, used = 0, oldest = PENDING_MAX;
        bool free_slot = false;
        for (size_t i = 0; i < PENDING_MAX; i++) {
            if (!pendings[i].token[0]) {
                free_slot = true;
                continue;
            }
            used++;
            bytes += pendings[i].u.len;
            if (oldest == PENDING_MAX || pendings[i].created < pendings[oldest].created)
                oldest = i;
        }
        if (free_slot && (bytes <= PENDING_MAX_BYTES || used == 0))
            break;
        pending_drop(&pendings[oldest]);
    }
    for (size_t i = 0; i < PENDING_MAX; i++) {
        pending *p = &pendings[i];
        if (p->token[0])
            continue;
        auth_token(p->token);
        p->user = user_id;
        p->created = now;
        p->u = *u;
        memcpy(token, p->token, AUTH_TOKEN_HEX);
        break;
    }
    memset(u, 0, sizeof *u);
    pthread_mutex_unlock(&pending_mu);
}

typedef enum { PENDING_OK, PENDING_GONE, PENDING_OTHER_USER } pending_rc;

/* Take the upload kept under token out of the table (it is the caller's
** now), when it belongs to user_id. */
static pending_rc pending_take(const char *token, int64_t user_id, upload *out)
{
    pending_rc rc = PENDING_GONE;
    if (!token || strlen(token) != AUTH_TOKEN_HEX - 1)
        return PENDING_GONE;
    pthread_mutex_lock(&pending_mu);
    pending_expire(now_mono());
    for (size_t i = 0; i < PENDING_MAX; i++) {
        pending *p = &pendings[i];
        if (!p->token[0] || !auth_equal(p->token, token))
            continue;
        if (p->user != user_id) {
            rc = PENDING_OTHER_USER;
        } else {
            *out = p->u;
            memset(&p->u, 0, sizeof p->u);
            pending_drop(p);
            rc = PENDING_OK;
        }
        break;
    }
    pthread_mutex_unlock(&pending_mu);
    return rc;
}

/* ---- reading an upload ------------------------------------------------------------------------ */

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* The last path component of what the browser sent, cleaned and cut to a
** sensible length on a character boundary. Heap memory. */
static char *clean_file_name(const char *raw)
{
    const char *base = raw ? raw : "";
    char *c;
    size_t n;
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    if (!utf8_valid(base, strlen(base)))
        return xstrdup("upload");
    c = text_clean(base, strlen(base));
    n = strlen(c);
    if (n > NAME_MAX_BYTES) {
        n = NAME_MAX_BYTES;
        while (n > 0 && ((unsigned char)c[n] & 0xC0) == 0x80)
            n--;
        c[n] = 0;
    }
    if (!*c) {
        free(c);
        return xstrdup("upload");
    }
    return c;
}

/* Which importer reads these bytes. 0, or -1 with a reason. */
static int detect_format(const upload *u, upload_format *out, char *err, size_t errlen)
{
    if (u->len >= 4 && memcmp(u->data, "PK\3\4", 4) == 0) {
        *out = FMT_XLSX;
        return 0;
    }
    if (ends_with_ci(u->name, ".xlsx")) {
        snprintf(err, errlen,
                 "ไฟล์ชื่อลงท้าย .xlsx แต่เนื้อในไม่ใช่ไฟล์ Excel (xlsx) ให้บันทึกจาก Excel ใหม่ / the "
                 "file is named .xlsx but is not an Excel workbook; save it from Excel again");
        return -1;
    }
    if (ends_with_ci(u->name, ".xls") ||
        (u->len >= 4 && memcmp(u->data, "\xD0\xCF\x11\xE0", 4) == 0)) {
        snprintf(err, errlen,
                 "ไฟล์ Excel รุ่นเก่า (.xls) อ่านไม่ได้ ให้บันทึกเป็น .xlsx หรือ CSV ก่อน / old Excel "
                 "files (.xls) cannot be read; save as .xlsx or CSV first");
        return -1;
    }
    if (u->len >= 5 && memcmp(u->data, "%PDF-", 5) == 0) {
        snprintf(err, errlen,
                 "ไฟล์ PDF อ่านโดยตรงไม่ได้ ให้คัดข้อความออกมาเป็นไฟล์ .txt (เช่น pdftotext) "
                 "หรือใช้ CSV / Excel / a PDF cannot be read directly; extract its text into a "
                 ".txt file (e.g. pdftotext), or use CSV or Excel");
        return -1;
    }
    *out = ends_with_ci(u->name, ".csv") ||
                   (!memchr(u->data, '\t', u->len) && memchr(u->data, ',', u->len))
               ? FMT_CSV
               : FMT_TEXT;
    return 0;
}

/* Parse an upload into a plan (heap; plan_free), or NULL with the
** importer's reason in err. units: the agency's registry, to find the
** unit column of a text extraction. */
static plan_doc *parse_upload(const upload *u, const unit_registry *units, upload_format *fmt,
                              char *err, size_t errlen)
{
    if (detect_format(u, fmt, err, errlen) != 0)
        return NULL;
    if (*fmt == FMT_XLSX)
        return import_xlsx(u->data, u->len, u->name, err, errlen);
    if (import_check_bytes(u->data, u->len, err, errlen) != 0)
        return NULL;
    if (*fmt == FMT_CSV) {
        if (!u->fy) {
            snprintf(err, errlen,
                     "ไฟล์ CSV ไม่มีปีงบประมาณ ให้กรอกช่อง ปีงบประมาณ เช่น 2568 / a CSV file does "
                     "not say its fiscal year; fill in the fiscal year, e.g. 2568");
            return NULL;
        }
        return import_csv(u->data, u->len, u->name, u->fy, err, errlen);
    }
    {
        import_opts o = {.units = units,
                         .fiscal_year = u->fy,
                         .source_name = u->name,
                         .bytes_checked = true};
        return import_text(u->data, u->len, &o, err, errlen);
    }
}

/* The agency of the signed-in user (or the only one). */
static int64_t user_agency(http_req *r)
{
    return r->u.agency ? r->u.agency : store_agency_default(r->st, NULL);
}

/* The registry to read a text extraction with: the user's agency's, or the
** built-in one while there is no agency yet. */
static void parse_units(http_req *r, unit_registry *units)
{
    char err[256];
    int64_t a = user_agency(r);
    if (!a || store_units_load(r->st, a, units, err, sizeof err) != 0 || !units->n) {
        unit_registry_free(units);
        unit_registry_builtin(units);
    }
}

/* The agency the plan is filed under, inside the caller's transaction:
** the one the file names (created when new, as `phaen import` does), which
** must be the user's own; or the user's agency when the file names none.
** 0 with err. */
static int64_t resolve_agency(http_req *r, plan_doc *p, char *err, size_t errlen)
{
    int64_t mine = user_agency(r), id;
    if (p->agency && *p->agency) {
        id = store_agency_ensure(r->st, p->agency, err, errlen);
        if (id && mine && id != mine) {
            snprintf(err, errlen,
                     "แผนในไฟล์เป็นของ '%s' ซึ่งไม่ใช่หน่วยงานของคุณ จึงนำเข้าไม่ได้ / the plan in "
                     "the file belongs to '%s', which is not your agency; it cannot be imported",
                     p->agency, p->agency);
            return 0;
        }
        return id;
    }
    if (!mine) {
        snprintf(err, errlen,
                 "ไม่ทราบหน่วยงานเจ้าของแผน ไฟล์ไม่ได้ระบุ และยังไม่มีหน่วยงานในระบบ / the file does "
                 "not name its agency and there is none in the system yet");
        return 0;
    }
    {
        char *name = NULL;
        if (store_agency_default(r->st, &name) == mine) {
            free(p->agency);
            p->agency = name;
        } else {
            free(name);
        }
    }
    return mine;
}

typedef struct save_result {
    int64_t version;   /* the saved version (meaningless after a dry run unless replaced) */
    int replaced;      /* a draft of the same plan and revision was replaced */
    int64_t agency;
    int64_t borrowed;  /* CSV: the version whose title, memo, ... the plan took (0 = none) */
} save_result;

/*
** A CSV holds projects only. Its plan is the agency's latest plan of the
** same fiscal year, edited in a spreadsheet: take that version's title,
** revision, label, issue titles, memo and signers, so that the import
** replaces that draft instead of starting a plan without a name. The
** preview says so. Returns the version taken from, or 0 with err.
*/
static int64_t borrow_plan_fields(http_req *r, int64_t agency, plan_doc *p, char *err,
                                  size_t errlen)
{
    int64_t vid = store_version_latest(r->st, agency, p->fiscal_year);
    plan_doc *q;
    if (!vid) {
        snprintf(err, errlen,
                 "ไฟล์ CSV มีแต่รายการโครงการ และยังไม่มีแผนปีงบประมาณ %d ในระบบให้ใช้ชื่อแผน "
                 "ให้นำเข้าเอกสารแผน (ข้อความหรือ Excel) ก่อน / a CSV file holds projects only, "
                 "and there is no plan of fiscal year %d to take the plan's title from; import "
                 "the plan document (text or Excel) first",
                 p->fiscal_year, p->fiscal_year);
        return 0;
    }
    if (!(q = store_version_load(r->st, vid, err, errlen)))
        return 0;
#define TAKE(f)                                                                                        do {                                                                                                   free(p->f);                                                                                        p->f = q->f;                                                                                       q->f = NULL;                                                                                   } while (0)
    TAKE(title);
    TAKE(title_line);
    TAKE(version_label);
    if (!p->agency || !*p->agency)
        TAKE(agency);
#undef TAKE
    p->revision = q->revision;
    for (size_t i = 0; i < q->nissues; i++) {
        const strategic_issue *si = plan_issue(p, q->issues[i].no);
        bool used = false;
        for (size_t k = 0; k < p->nprojects && !used; k++)
            used = p->projects[k].issue == q->issues[i].no;
        if (used && (!si || !si->title || !*si->title))
            plan_set_issue(p, q->issues[i].no, q->issues[i].title);
    }
    if (!p->has_memo && q->has_memo) {
        p->memo = q->memo;
        p->has_memo = true;
        memset(&q->memo, 0, sizeof q->memo);
        q->has_memo = false;
    }
    for (int k = 0; k < SIGN__MAX; k++)
        if (!p->signers[k].name && !p->signers[k].position) {
            signature t = p->signers[k];
            p->signers[k] = q->signers[k];
            q->signers[k] = t;
        }
    plan_free(q);
    return vid;
}

static json_t *version_json(const version_info *v)
{
    return json_pack("{s:I,s:i,s:i,s:s,s:s,s:i,s:I}", "version", (json_int_t)v->id,
                     "fiscal_year", v->fiscal_year, "revision", v->revision, "label", v->label,
                     "source", v->source, "projects", v->nprojects, "budget_satang",
                     (json_int_t)v->budget);
}

/*
** The steps of `phaen import` after parsing, in one transaction: the
** agency, its units matched, the version saved, and (commit) an audit
** entry and the commit. Without commit everything is rolled back: a dry
** run that says whether a draft would be replaced. units (may be NULL)
** receives the agency's registry. Returns 0, or -1 with err (rolled back).
*/
static int save_plan(http_req *r, plan_doc *p, const char *name, upload_format fmt, bool commit,
                     save_result *res, unit_registry *units, char *err, size_t errlen)
{
    unit_registry reg = {0};
    version_info *before = NULL;
    size_t nbefore = 0;
    memset(res, 0, sizeof *res);
    if (store_begin(r->st, err, errlen) != 0)
        return -1;
    if (!(res->agency = resolve_agency(r, p, err, errlen)))
        goto fail;
    if ((!p->title || !*p->title) &&
        !(res->borrowed = borrow_plan_fields(r, res->agency, p, err, errlen)))
        goto fail;
    if (store_units_load(r->st, res->agency, &reg, err, errlen) != 0)
        goto fail;
    import_match_units(p, &reg);
    if (store_versions_list(r->st, res->agency, &before, &nbefore, err, errlen) != 0)
        goto fail;
    res->version = store_version_save(r->st, res->agency, p, &res->replaced, err, errlen);
    if (!res->version)
        goto fail;
    if (!commit) {
        store_rollback(r->st);
    } else {
        summary s;
        json_t *nj, *oj = NULL;
        char *new_json, *old_json = NULL, *entity;
        int rc;
        summary_compute(p, &s);
        nj = json_pack("{s:s,s:s,s:i,s:I,s:i,s:i,s:I,s:b}", "file", name, "format",
                       format_key(fmt), "projects", (int)p->nprojects, "budget_satang",
                       (json_int_t)s.budget, "fiscal_year", p->fiscal_year, "revision",
                       p->revision, "version", (json_int_t)res->version, "replaced_draft",
                       res->replaced);
        summary_free(&s);
        if (res->replaced)
            for (size_t i = 0; i < nbefore; i++)
                if (before[i].id == res->version)
                    oj = version_json(&before[i]);
        new_json = json_dumps(nj, JSON_COMPACT);
        old_json = oj ? json_dumps(oj, JSON_COMPACT) : NULL;
        entity = xasprintf("version %lld from %s", (long long)res->version, name);
        rc = store_audit_add(r->st, r->u.id, r->u.login, "import", entity, old_json, new_json,
                             err, errlen);
        free(entity);
        free(new_json);
        free(old_json);
        json_decref(nj);
        json_decref(oj);
        if (rc != 0 || store_commit(r->st, err, errlen) != 0)
            goto fail;
    }
    free(before);
    if (units)
        *units = reg;
    else
        unit_registry_free(&reg);
    return 0;
fail:
    store_rollback(r->st);
    free(before);
    unit_registry_free(&reg);
    return -1;
}

/* ---- pages ------------------------------------------------------------------------------------- */

static void import_form(http_req *r, const char *error, const char *fy)
{
    buf *b = &r->out;
    web_page_begin(r, "นำเข้าแผน");
    html_lit(b, "<h1>นำเข้าแผน</h1>");
    if (error)
        html_fmt(b, "<p class=\"finding error\" role=\"alert\">%s</p>", error);
    html_lit(b, "<p>เลือกไฟล์แผนการใช้จ่ายงบประมาณ ระบบจะอ่านและตรวจไฟล์ก่อน แล้วแสดงให้ตรวจดู "
                "<b>ยังไม่บันทึกจนกว่าจะกดยืนยัน</b></p>"
                "<ul><li>ข้อความที่คัดจากเอกสาร (.txt) เช่น ที่ได้จาก PDF</li>"
                "<li>CSV ตามรูปแบบที่ระบบส่งออก (ต้องระบุปีงบประมาณ)</li>"
                "<li>Excel (.xlsx) ที่ระบบส่งออกแล้วแก้ไข</li></ul>"
                "<form class=\"import\" method=\"post\" action=\"/import\" "
                "enctype=\"multipart/form-data\">");
    web_csrf_field(r);
    html_fmt(b, "<label>ไฟล์ <input type=\"file\" name=\"file\" required "
                "accept=\".txt,.csv,.xlsx,text/plain,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"></label>"
                "<label>ปีงบประมาณ พ.ศ. <small>(เฉพาะไฟล์ CSV เช่น 2568)</small> "
                "<input name=\"fy\" inputmode=\"numeric\" maxlength=\"4\" size=\"6\" "
                "value=\"%s\"></label>"
                "<button type=\"submit\">ตรวจสอบไฟล์</button></form>",
             fy ? fy : "");
    web_page_end(r);
}

void web_import_get(http_req *r)
{
    if (!web_can_plan(r)) {
        web_error(r, 403, "นำเข้าแผนได้เฉพาะนักวิเคราะห์แผนหรือผู้ดูแลระบบ",
                  "only planners and administrators may import plans");
        return;
    }
    import_form(r, NULL, NULL);
}

static void bad_upload(http_req *r, const char *msg, const char *fy)
{
    buf_reset(&r->out);
    r->status = 400;
    import_form(r, msg, fy);
}

/* The fiscal year field: "" = none, 2 or 4 digits (Thai digits too). 0 or
** -1 with err. */
static int read_fy(const char *v, int *fy, char *err, size_t errlen)
{
    char *a, *end;
    long y;
    *fy = 0;
    if (!v || !*v)
        return 0;
    if (!utf8_valid(v, strlen(v)))
        goto bad;
    a = thai_digits_to_ascii(v);
    y = strtol(a, &end, 10);
    if (end == a || *end) {
        free(a);
        goto bad;
    }
    free(a);
    if (y >= 0 && y < 100)
        y = thai_year_expand((int)y);
    if (y < 2500 || y > 2700)
        goto bad;
    *fy = (int)y;
    return 0;
bad:
    snprintf(err, errlen,
             "ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2568 หรือ 68 / the fiscal year must be a Buddhist Era "
             "year such as 2568 or 68");
    return -1;
}

static void preview_page(http_req *r, const plan_doc *p, const upload *u, upload_format fmt,
                         const save_result *sr, const findings *fs, const char *token)
{
    buf *b = &r->out;
    summary s;
    summary_compute(p, &s);
    web_page_begin(r, "ตรวจสอบก่อนนำเข้า");
    html_lit(b, "<h1>ตรวจสอบก่อนนำเข้า</h1>"
                "<p class=\"notice\" role=\"status\">ยังไม่ได้บันทึก ตรวจดูรายการด้านล่าง แล้วกด "
                "<b>ยืนยันนำเข้า</b> (ไฟล์รอการยืนยันได้ 30 นาที)</p>");
    html_fmt(b, "<table class=\"list preview-summary\"><tbody>"
                "<tr><th>ไฟล์</th><td>%s <small>(%s)</small></td></tr>"
                "<tr><th>ชื่อแผน</th><td>%s</td></tr>"
                "<tr><th>หน่วยงาน</th><td>%s</td></tr>"
                "<tr><th>ปีงบประมาณ</th><td>พ.ศ. %d</td></tr>"
                "<tr><th>ฉบับ</th><td>%s</td></tr>"
                "<tr><th>จำนวนโครงการ</th><td>%zu โครงการ</td></tr>"
                "<tr><th>งบประมาณรวม</th><td>%m บาท</td></tr>"
                "<tr><th>ผลการตรวจ</th><td>ข้อผิดพลาด %zu · คำเตือน %zu · ข้อสังเกต %zu</td></tr>",
             u->name, format_th(fmt),
             p->title_line && *p->title_line ? p->title_line : p->title ? p->title : "-",
             p->agency && *p->agency ? p->agency : "(หน่วยงานของคุณ)", p->fiscal_year,
             p->version_label && *p->version_label ? p->version_label : "-", p->nprojects,
             s.budget, findings_count(fs, SEV_ERROR), findings_count(fs, SEV_WARNING),
             findings_count(fs, SEV_INFO));
    if (sr->borrowed)
        html_fmt(b, "<tr><th>ชื่อแผนและบันทึกข้อความ</th><td>ไฟล์ CSV มีแต่รายการโครงการ "
                    "จึงใช้ชื่อแผน ครั้งที่ปรับปรุง บันทึกข้อความ และผู้ลงนามจากฉบับที่ %lld "
                    "(ฉบับล่าสุดของปีงบประมาณนี้)</td></tr>",
                 (long long)sr->borrowed);
    if (sr->replaced)
        html_fmt(b, "<tr><th>เมื่อยืนยัน</th><td>แทนที่ฉบับร่างเดิม (ฉบับที่ %lld) "
                    "ของแผนเดียวกันครั้งที่ปรับปรุงเดียวกัน</td></tr>",
                 (long long)sr->version);
    else
        html_lit(b, "<tr><th>เมื่อยืนยัน</th><td>เพิ่มเป็นฉบับใหม่</td></tr>");
    html_lit(b, "</tbody></table>");
    if (findings_count(fs, SEV_ERROR))
        html_lit(b, "<p class=\"finding warning\">แผนนี้มีข้อผิดพลาด นำเข้าได้ แต่ต้องแก้ไขก่อนเสนออนุมัติ "
                    "(ดูผลการตรวจด้านล่าง)</p>");
    html_lit(b, "<div class=\"actions\"><form method=\"post\" action=\"/import\">");
    web_csrf_field(r);
    html_fmt(b, "<input type=\"hidden\" name=\"token\" value=\"%s\">"
                "<input type=\"hidden\" name=\"action\" value=\"confirm\">"
                "<button type=\"submit\">ยืนยันนำเข้า</button></form>"
                "<form method=\"post\" action=\"/import\">",
             token);
    web_csrf_field(r);
    html_fmt(b, "<input type=\"hidden\" name=\"token\" value=\"%s\">"
                "<input type=\"hidden\" name=\"action\" value=\"cancel\">"
                "<button type=\"submit\" class=\"secondary\">ยกเลิก</button></form></div>",
             token);

    html_lit(b, "<h2>โครงการ</h2><div class=\"tablewrap\"><table class=\"list preview\"><thead><tr>"
                "<th>ที่</th><th>โครงการ</th><th>งบประมาณ (บาท)</th>"
                "<th>ไตรมาส 1</th><th>ไตรมาส 2</th><th>ไตรมาส 3</th><th>ไตรมาส 4</th>"
                "<th>ผู้รับผิดชอบ</th></tr></thead><tbody>");
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        html_fmt(b, "<tr id=\"p%d\"><td>%d</td><td>%s</td>", pr->no, pr->no,
                 pr->name ? pr->name : "");
        if (pr->has_budget)
            html_fmt(b, "<td class=\"num\">%m</td>", pr->budget);
        else
            html_lit(b, "<td>ไม่ใช้งบประมาณ</td>");
        for (int q = 0; q < 4; q++) {
            if (pr->q[q])
                html_fmt(b, "<td class=\"num\">%m</td>", pr->q[q]);
            else
                html_lit(b, "<td class=\"num\">-</td>");
        }
        if (pr->unit)
            html_fmt(b, "<td>%s</td></tr>", pr->unit);
        else
            html_fmt(b, "<td><span class=\"sev-error\">%s</span> "
                        "<small>(ไม่พบในทะเบียนหน่วยงาน)</small></td></tr>",
                     pr->unit_text ? pr->unit_text : "");
    }
    html_fmt(b, "</tbody><tfoot><tr><td colspan=\"2\">รวมทั้งสิ้น (%d โครงการ)</td>"
                "<td class=\"num\">%m</td><td class=\"num\">%m</td><td class=\"num\">%m</td>"
                "<td class=\"num\">%m</td><td class=\"num\">%m</td><td></td></tr></tfoot>"
                "</table></div>",
             s.nprojects, s.budget, s.q[0], s.q[1], s.q[2], s.q[3]);

    html_fmt(b, "<h2 id=\"findings\">ผลการตรวจ (%zu)</h2><ul class=\"findings\">", fs->n);
    for (size_t i = 0; i < fs->n; i++) {
        const finding *f = &fs->v[i];
        html_fmt(b, "<li class=\"finding %s\"><b>%s</b> ", severity_key(f->sev), f->rule);
        if (f->project)
            html_fmt(b, "<a href=\"#p%d\">โครงการที่ %d</a> ", f->project, f->project);
        if (f->line)
            html_fmt(b, "<small>บรรทัด %d</small> ", f->line);
        html_fmt(b, "%s<br><span lang=\"en\">%s</span></li>", f->message_th, f->message_en);
    }
    if (!fs->n)
        html_lit(b, "<li>ไม่พบปัญหา</li>");
    html_lit(b, "</ul>");
    web_page_end(r);
    summary_free(&s);
}

/* Step 1: read, check and show; keep the bytes. */
static void import_preview(http_req *r, const kv *file)
{
    const char *fyv = kv_get(&r->form, "fy");
    char err[1024], token[AUTH_TOKEN_HEX];
    upload u = {0};
    upload_format fmt;
    unit_registry units = {0};
    refdata *ref;
    plan_doc *p;
    save_result sr;
    findings fs = {0};

    if (read_fy(fyv, &u.fy, err, sizeof err) != 0) {
        bad_upload(r, err, NULL);
        return;
    }
    if (!file->len) {
        bad_upload(r, "ยังไม่ได้เลือกไฟล์ หรือไฟล์ว่าง / no file was chosen, or it is empty", fyv);
        return;
    }
    u.name = clean_file_name(file->filename);
    u.data = xmalloc(file->len + 1);
    memcpy(u.data, file->value, file->len);
    u.data[file->len] = 0;
    u.len = file->len;

    parse_units(r, &units);
    p = parse_upload(&u, &units, &fmt, err, sizeof err);
    unit_registry_free(&units);
    if (!p) {
        char *msg = xasprintf("%s: %s", u.name, err);
        bad_upload(r, msg, fyv);
        free(msg);
        upload_free(&u);
        return;
    }
    /* the save, tried and rolled back: the agency is right, the units are
    ** matched as they will be, and we know whether a draft is replaced */
    if (save_plan(r, p, u.name, fmt, false, &sr, &units, err, sizeof err) != 0) {
        char *msg = xasprintf("%s: %s", u.name, err);
        bad_upload(r, msg, fyv);
        free(msg);
        upload_free(&u);
        plan_free(p);
        return;
    }
    ref = store_ref_load(r->st, err, sizeof err);
    if (!ref)
        panic("%s", err);
    check_plan(p, ref, &units, &fs);
    ref_free(ref);
    unit_registry_free(&units);

    {
        upload shown = {.name = xstrdup(u.name)};
        pending_put(r->u.id, &u, token);
        preview_page(r, p, &shown, fmt, &sr, &fs, token);
        upload_free(&shown);
    }
    findings_free(&fs);
    plan_free(p);
}

static void token_problem(http_req *r, pending_rc rc)
{
    if (rc == PENDING_OTHER_USER)
        bad_upload(r,
                   "ไฟล์ที่รอยืนยันนี้เป็นของผู้ใช้อื่น ยืนยันหรือยกเลิกแทนไม่ได้ / this upload "
                   "belongs to another user; you cannot confirm or cancel it",
                   NULL);
    else
        bad_upload(r,
                   "ไม่พบไฟล์ที่รอยืนยัน อาจหมดเวลา 30 นาที ยืนยันไปแล้ว หรือระบบเริ่มใหม่ "
                   "โปรดอัปโหลดอีกครั้ง / the upload waiting for confirmation is gone (expired "
                   "after 30 minutes, already confirmed, or the server restarted); upload the "
                   "file again",
                   NULL);
}

/* Step 2: confirm (save in one transaction) or cancel. */
static void import_decide(http_req *r, const char *action)
{
    const char *token = kv_get(&r->form, "token");
    bool confirm = strcmp(action, "confirm") == 0;
    upload u = {0};
    pending_rc rc;
    char err[1024];
    upload_format fmt;
    unit_registry units = {0};
    plan_doc *p;
    save_result sr;

    if (!confirm && strcmp(action, "cancel") != 0) {
        bad_upload(r, "คำสั่งไม่ถูกต้อง / unknown action", NULL);
        return;
    }
    rc = pending_take(token, r->u.id, &u);
    if (!confirm) {
        /* cancelling what is already gone is done too */
        if (rc == PENDING_OTHER_USER) {
            token_problem(r, rc);
            return;
        }
        upload_free(&u);
        http_redirect(r, "/import");
        return;
    }
    if (rc != PENDING_OK) {
        token_problem(r, rc);
        return;
    }
    parse_units(r, &units);
    p = parse_upload(&u, &units, &fmt, err, sizeof err);
    unit_registry_free(&units);
    if (!p || save_plan(r, p, u.name, fmt, true, &sr, NULL, err, sizeof err) != 0) {
        char *msg = xasprintf("%s: %s", u.name, err);
        bad_upload(r, msg, NULL);
        free(msg);
    } else {
        http_redirect(r, "/plan");
    }
    plan_free(p);
    upload_free(&u);
}

void web_import_post(http_req *r)
{
    const kv *file;
    const char *action;
    if (!web_can_plan(r)) {
        web_error(r, 403, "นำเข้าแผนได้เฉพาะนักวิเคราะห์แผนหรือผู้ดูแลระบบ",
                  "only planners and administrators may import plans");
        return;
    }
    if (!web_check_csrf(r))
        return;
    action = kv_get(&r->form, "action");
    file = kv_find(&r->form, "file");
    if (action && *action)
        import_decide(r, action);
    else if (file)
        import_preview(r, file);
    else
        bad_upload(r, "ยังไม่ได้เลือกไฟล์ / no file was chosen", kv_get(&r->form, "fy"));
}
