/*
** web.c — routing, sessions, permissions, the page frame, and the core
** pages: sign-in, dashboard, the plan table (filters, Thai search), the
** project form (checks shown next to the fields; lost updates refused with
** 409), exports. Other pages live in web_import.c, web_admin.c, web_api.c.
*/
#include "web.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "embed.h"
#include "export.h"
#include "html_plan.h"
#include "page_cache.h"
#include "ref.h"
#include "render.h"
#include "summary.h"
#include "verify.h"
#include "web_life.h"
#include "web_public.h"
#include "xlsx.h"

#define SESSION_SECONDS (8 * 3600)
#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_MAX 5

/* ---- who and may -------------------------------------------------------------- */

bool web_is_admin(const http_req *r)
{
    return r->signed_in && r->u.role == ROLE_ADMIN;
}

bool web_can_plan(const http_req *r)
{
    return r->signed_in && (r->u.role == ROLE_ADMIN || r->u.role == ROLE_PLANNER);
}

bool web_can_edit_project(const http_req *r, const project *pr)
{
    if (web_can_plan(r))
        return true;
    return r->signed_in && r->u.role == ROLE_UNIT_EDITOR && pr->unit && *r->u.unit &&
           strcmp(pr->unit, r->u.unit) == 0;
}

/*
** What this thread read from the database for earlier requests, kept while
** store_generation() says nothing has changed since (any commit, by this
** process or another, moves it): the signed-in sessions, and which version
** is the latest. A request then needs no query at all to find the page it
** wants in the page cache, whose keys hold the generation too.
*/
typedef struct session_memo {
    uint64_t gen;
    int64_t expires;
    char token_hash[72];
    char csrf[72];
    user u;
} session_memo;

#define SESSION_MEMOS 16
static _Thread_local session_memo session_memos[SESSION_MEMOS];

static _Thread_local struct {
    uint64_t gen;
    bool valid;
    int64_t agency, latest; /* store_version_latest(agency, 0) */
} plan_memo;

/* plan_memo for this request's generation (refilled when it moved) */
static void plan_memo_for(http_req *r, int64_t agency)
{
    if (plan_memo.valid && plan_memo.gen == r->generation && plan_memo.agency == agency)
        return;
    plan_memo.gen = r->generation;
    plan_memo.agency = agency;
    plan_memo.latest = agency ? store_version_latest(r->st, agency, 0) : 0;
    plan_memo.valid = true;
}

/* The session from the cookie, or a bearer token for scripts. */
static void resolve_session(http_req *r)
{
    const char *tok = kv_get(&r->cookies, "phaen_session");
    int64_t uid = 0, expires = 0, now = (int64_t)time(NULL);
    session_memo *m;
    if (r->authorization && strncmp(r->authorization, "Bearer ", 7) == 0)
        tok = r->authorization + 7;
    if (!tok || strlen(tok) != 64)
        return;
    auth_sha256_hex(tok, r->token_hash);
    m = &session_memos[(unsigned char)r->token_hash[0] % SESSION_MEMOS];
    if (m->gen == r->generation && now < m->expires && strcmp(m->token_hash, r->token_hash) == 0) {
        r->u = m->u;
        memcpy(r->csrf, m->csrf, sizeof r->csrf);
        r->signed_in = true;
        return;
    }
    if (store_session_get(r->st, r->token_hash, now, &uid, r->csrf, &expires) != 0)
        return;
    if (store_user_by_id(r->st, uid, &r->u) != 0 || !r->u.active)
        return;
    r->signed_in = true;
    m->gen = r->generation;
    m->expires = expires;
    memcpy(m->token_hash, r->token_hash, sizeof m->token_hash);
    memcpy(m->csrf, r->csrf, sizeof m->csrf);
    m->u = r->u;
}

bool web_check_csrf(http_req *r)
{
    const char *c = kv_get(&r->form, "csrf");
    if (c && *r->csrf && auth_equal(c, r->csrf))
        return true;
    web_error(r, 403, "แบบฟอร์มหมดอายุหรือไม่ได้มาจากหน้านี้ (CSRF) โปรดเปิดหน้าใหม่แล้วลองอีกครั้ง",
              "the form is stale or did not come from this site (CSRF); reload and retry");
    return false;
}

/* ---- responses -------------------------------------------------------------------- */

void web_json(http_req *r, int status, const char *json_text)
{
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    buf_reset(&r->out);
    buf_adds(&r->out, json_text);
}

void web_error(http_req *r, int status, const char *th, const char *en)
{
    if (strncmp(r->path, "/api/", 5) == 0) {
        json_t *o = json_pack("{s:{s:i,s:s,s:s}}", "error", "status", status, "message_th", th,
                              "message_en", en);
        char *t;
        if (!o) /* a message that is not UTF-8 */
            o = json_pack("{s:{s:i,s:s,s:s}}", "error", "status", status, "message_th",
                          "ข้อผิดพลาด", "message_en", "error");
        t = json_dumps(o, JSON_COMPACT);
        web_json(r, status, t);
        free(t);
        json_decref(o);
        return;
    }
    buf_reset(&r->out);
    web_page_begin(r, "ข้อผิดพลาด");
    html_fmt(&r->out, "<section class=\"error\"><h1>%d</h1><p>%s</p><p lang=\"en\">%s</p>"
                      "<p><a href=\"/\">กลับหน้าหลัก</a></p></section>",
             status, th, en);
    web_page_end(r);
    r->status = status;
}

void web_csrf_field(http_req *r)
{
    html_fmt(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->csrf);
}

void web_page_begin(http_req *r, const char *title)
{
    buf *b = &r->out;
    html_lit(b, "<!DOCTYPE html>\n<html lang=\"th\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<link rel=\"stylesheet\" href=\"/static/style.css\">"
                "<link rel=\"icon\" href=\"data:,\">" /* no icon: no request for one */
                "<script src=\"/static/app.js\" defer></script>");
    html_fmt(b, "<title>%s · phaen</title></head><body>", title);
    html_lit(b, "<header class=\"top\"><a class=\"brand\" href=\"/\">แผน <small>phaen</small></a>");
    if (r->signed_in) {
        html_lit(b, "<nav><a href=\"/plan\">แผน</a><a href=\"/versions\">ฉบับและการอนุมัติ</a>"
                    "<a href=\"/inbox\">หนังสือเวียน</a><a href=\"/import\">นำเข้า</a>"
                    "<a href=\"/exports\">ส่งออก</a><a href=\"/audit\">บันทึกการแก้ไข</a>");
        if (web_is_admin(r))
            html_lit(b, "<a href=\"/admin/users\">ผู้ใช้</a><a href=\"/admin/units\">หน่วยงาน</a>"
                        "<a href=\"/admin/ref\">รายการอ้างอิง</a>");
        html_fmt(b, "</nav><form class=\"who\" method=\"post\" action=\"/signout\">"
                    "<span>%s (%s)</span>",
                 r->u.name, role_th(r->u.role));
        web_csrf_field(r);
        html_lit(b, "<button type=\"submit\">ออกจากระบบ</button></form>");
    }
    html_lit(b, "</header><main>");
}

void web_page_end(http_req *r)
{
    html_lit(&r->out, "</main><footer>phaen · แผนปฏิบัติราชการและแผนการใช้จ่ายงบประมาณ</footer>"
                      "</body></html>\n");
}

/* ---- data ------------------------------------------------------------------------------- */

plan_doc *web_load_plan(http_req *r, int64_t *version, int64_t *agency)
{
    char err[512];
    int64_t a = r->u.agency ? r->u.agency : store_agency_default(r->st, NULL);
    int64_t v = a ? store_version_latest(r->st, a, 0) : 0;
    const char *vs = kv_get(&r->query, "version");
    plan_doc *p;
    if (vs && atoll(vs) > 0)
        v = atoll(vs);
    if (v && store_version_agency(r->st, v) != a)
        v = 0; /* another agency's plan is not there for this user */
    if (!v) {
        web_error(r, 404, "ยังไม่มีแผน ให้นำเข้าแผนก่อน (เมนู นำเข้า)",
                  "no plan yet: import one first (Import)");
        return NULL;
    }
    p = store_version_load(r->st, v, err, sizeof err);
    if (!p) {
        web_error(r, 404, "ไม่พบฉบับของแผนนี้", "no such plan version");
        return NULL;
    }
    if (version)
        *version = v;
    if (agency)
        *agency = a;
    return p;
}

void web_checks(http_req *r, const plan_doc *p, int64_t agency, findings *fs)
{
    char err[512];
    refdata *ref = store_ref_load(r->st, err, sizeof err);
    unit_registry units = {0};
    if (!ref)
        panic("%s", err);
    store_units_load(r->st, agency, &units, err, sizeof err);
    check_plan(p, ref, &units, fs);
    unit_registry_free(&units);
    ref_free(ref);
}

void web_audit(http_req *r, const char *action, const char *entity, const char *old_json,
               const char *new_json)
{
    char err[512];
    if (store_audit_add(r->st, r->signed_in ? r->u.id : 0, r->signed_in ? r->u.login : "web",
                        action, entity, old_json, new_json, err, sizeof err) != 0)
        panic("audit log: %s", err);
}

/* ---- static files ------------------------------------------------------------------------ */

static void static_file(http_req *r)
{
    const char *name = r->path + strlen("/static/");
    const embedded_file *f = strcmp(name, "style.css") == 0 || strcmp(name, "app.js") == 0
                                 ? embed_find(name)
                                 : NULL;
    if (!f) {
        web_error(r, 404, "ไม่พบไฟล์", "not found");
        return;
    }
    {
        char key[64];
        cached_page *c;
        snprintf(key, sizeof key, "static:%s", name);
        if (!(c = page_cache_get(key)))
            c = page_cache_put(key, xstrdup(f->data), strlen(f->data));
        page_cache_send(r, c, strstr(name, ".css") ? "text/css; charset=utf-8"
                                                   : "text/javascript; charset=utf-8");
    }
    http_header(r, "Cache-Control", "public, max-age=3600");
}

/* ---- sign-in -------------------------------------------------------------------------------- */

static void signin_form(http_req *r, const char *msg, const char *login)
{
    web_page_begin(r, "เข้าสู่ระบบ");
    html_lit(&r->out, "<section class=\"signin\"><h1>เข้าสู่ระบบ</h1>");
    if (msg)
        html_fmt(&r->out, "<p class=\"finding error\" role=\"alert\">%s</p>", msg);
    html_fmt(&r->out,
             "<form method=\"post\" action=\"/signin\">"
             "<label>ชื่อผู้ใช้ <input name=\"login\" autocomplete=\"username\" required "
             "value=\"%s\"></label>"
             "<label>รหัสผ่าน <input name=\"password\" type=\"password\" "
             "autocomplete=\"current-password\" required></label>"
             "<button type=\"submit\">เข้าสู่ระบบ</button></form></section>",
             login ? login : "");
    web_page_end(r);
}

static void signin_get(http_req *r)
{
    if (r->signed_in) {
        http_redirect(r, "/");
        return;
    }
    signin_form(r, NULL, NULL);
}

/* A new session for user u: the cookie (browsers) and the token (API). */
static void session_start(http_req *r, const user *u, const char *kind, char token[AUTH_TOKEN_HEX])
{
    char hash[AUTH_TOKEN_HEX], csrf[AUTH_TOKEN_HEX], err[256];
    auth_token(token);
    auth_token(csrf);
    auth_sha256_hex(token, hash);
    if (store_session_create(r->st, u->id, hash, csrf, kind,
                             (int64_t)time(NULL) + (strcmp(kind, "api") == 0 ? 30 * 86400
                                                                             : SESSION_SECONDS),
                             err, sizeof err) != 0)
        panic("%s", err);
}

/* Check a login and password with throttling. Returns 0 and fills u, or
** sets an error message. */
static int signin_check(http_req *r, const char *login, const char *password, user *u,
                        const char **msg_th, const char **msg_en, int *status)
{
    char hash[AUTH_HASH_MAX];
    int64_t now = (int64_t)time(NULL);
    char who_ip[96];
    snprintf(who_ip, sizeof who_ip, "ip:%s", r->client ? r->client : "");
    if (store_login_failures(r->st, login, now - THROTTLE_WINDOW) >= THROTTLE_MAX ||
        store_login_failures(r->st, who_ip, now - THROTTLE_WINDOW) >= 20 * THROTTLE_MAX) {
        *msg_th = "ลงชื่อเข้าผิดหลายครั้งเกินไป โปรดรอ 15 นาทีแล้วลองใหม่";
        *msg_en = "too many failed sign-ins; wait 15 minutes and try again";
        *status = 429;
        return -1;
    }
    if (store_user_get(r->st, login, u, hash, sizeof hash) != 0 || !u->active ||
        !auth_check_password(hash, password)) {
        store_login_failure_add(r->st, login, now);
        store_login_failure_add(r->st, who_ip, now);
        *msg_th = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง";
        *msg_en = "wrong login or password";
        *status = 401;
        return -1;
    }
    store_login_failures_clear(r->st, login);
    return 0;
}

static void signin_post(http_req *r)
{
    const char *login = kv_get(&r->form, "login"), *password = kv_get(&r->form, "password");
    const char *th, *en;
    int status;
    user u;
    char token[AUTH_TOKEN_HEX], *cookie;
    if (!login || !password) {
        r->status = 400;
        signin_form(r, "กรอกชื่อผู้ใช้และรหัสผ่าน", login);
        return;
    }
    if (signin_check(r, login, password, &u, &th, &en, &status) != 0) {
        r->status = status;
        signin_form(r, th, login);
        return;
    }
    session_start(r, &u, "web", token);
    cookie = xasprintf("phaen_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
                       token, SESSION_SECONDS, r->secure ? "; Secure" : "");
    http_header(r, "Set-Cookie", cookie);
    free(cookie);
    http_redirect(r, "/");
}

static void signout_post(http_req *r)
{
    if (!web_check_csrf(r))
        return;
    store_session_delete(r->st, r->token_hash);
    http_header(r, "Set-Cookie", "phaen_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    http_redirect(r, "/signin");
}

/* POST /api/v1/session {login, password} -> {token} for scripts. */
static void api_session(http_req *r)
{
    json_t *in = json_loadb(r->body.s ? r->body.s : "", r->body.len, 0, NULL);
    const char *login = json_string_value(json_object_get(in, "login"));
    const char *password = json_string_value(json_object_get(in, "password"));
    const char *th, *en;
    int status;
    user u;
    char token[AUTH_TOKEN_HEX];
    if (!login || !password) {
        json_decref(in);
        web_error(r, 400, "ต้องมี login และ password", "login and password are required");
        return;
    }
    if (signin_check(r, login, password, &u, &th, &en, &status) != 0) {
        json_decref(in);
        web_error(r, status, th, en);
        return;
    }
    json_decref(in);
    session_start(r, &u, "api", token);
    {
        json_t *o = json_pack("{s:s,s:s,s:s}", "token", token, "login", u.login, "role",
                              role_key(u.role));
        char *t = json_dumps(o, JSON_COMPACT);
        web_json(r, 201, t);
        free(t);
        json_decref(o);
    }
}

/* ---- dashboard ----------------------------------------------------------------------------- */

static void quarter_bars(buf *b, const summary *s)
{
    int64_t max = 1;
    for (int q = 0; q < 4; q++)
        if (s->q[q] > max)
            max = s->q[q];
    html_lit(b, "<div class=\"bars\" role=\"img\" aria-label=\"แผนการใช้จ่ายรายไตรมาส\">");
    for (int q = 0; q < 4; q++) {
        int pct = (int)(s->q[q] * 100 / max);
        html_fmt(b, "<div class=\"bar\"><span class=\"fill h%d\"></span><b>%m</b>"
                    "<small>ไตรมาส %d · สะสม %d.%d%d%%</small></div>",
                 pct / 5 * 5, s->q[q], q + 1, s->cum_bp[q] / 100, s->cum_bp[q] / 10 % 10,
                 s->cum_bp[q] % 10);
    }
    html_lit(b, "</div>");
}

static void dashboard(http_req *r)
{
    int64_t vid, agency;
    plan_doc *p = web_load_plan(r, &vid, &agency);
    findings fs = {0};
    summary s;
    char status[16];
    if (!p)
        return;
    web_checks(r, p, agency, &fs);
    summary_compute(p, &s);
    store_version_status(r->st, vid, status);
    web_page_begin(r, "หน้าหลัก");
    html_fmt(&r->out,
             "<h1>ปีงบประมาณ พ.ศ. %d</h1><p class=\"agency\">%s</p>"
             "<section class=\"cards\"><a class=\"card\" href=\"/plan\"><h2>%s</h2>"
             "<p>%s · สถานะ %s</p><p class=\"big\">%m บาท</p><p>%d โครงการ</p></a>"
             "<a class=\"card\" href=\"/plan#findings\"><h2>ผลการตรวจ</h2>"
             "<p class=\"big\"><span class=\"sev-error\">%zu</span> ข้อผิดพลาด</p>"
             "<p>%zu คำเตือน · %zu ข้อสังเกต</p></a></section>",
             p->fiscal_year, p->agency, p->title, p->version_label ? p->version_label : "",
             !strcmp(status, "draft")       ? "ร่าง"
             : !strcmp(status, "submitted") ? "เสนอแล้ว"
             : !strcmp(status, "checked")   ? "ตรวจแล้ว"
             : !strcmp(status, "approved")  ? "อนุมัติแล้ว"
             : !strcmp(status, "published") ? "เผยแพร่แล้ว"
                                            : status,
             s.budget, s.nprojects, findings_count(&fs, SEV_ERROR),
             findings_count(&fs, SEV_WARNING), findings_count(&fs, SEV_INFO));
    html_lit(&r->out, "<h2>แผนการใช้จ่ายรายไตรมาส</h2>");
    quarter_bars(&r->out, &s);
    web_page_end(r);
    summary_free(&s);
    findings_free(&fs);
    plan_free(p);
}

/* ---- the plan table ------------------------------------------------------------------------- */

static bool contains_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* The plan page's filters: strategic issue, unit, and search hits. */
typedef struct plan_filter {
    int issue;
    const char *unit, *q;
    const int64_t *hits;
    size_t nhits;
} plan_filter;

static bool keep_project(const project *pr, void *ctx)
{
    const plan_filter *f = ctx;
    if (f->issue && pr->issue != f->issue)
        return false;
    if (f->unit && *f->unit && !(pr->unit && strcmp(pr->unit, f->unit) == 0))
        return false;
    return !(f->q && *f->q && !contains_id(f->hits, f->nhits, pr->id));
}

/*
** Rendered plan pages and the JSON export (page_cache.h), shared by every
** request with the same key (version, store generation, filters); and each
** session's whole plan page (the shared body between its own header and
** footer). Any commit moves the generation, so nothing stale is kept: an
** entry is found again only while the database is as it was.
*/

/* A kept page of the signed-in application: a browser may keep it but asks
** again each time (If-None-Match: 304 while the page is as it was). */
static void send_private(http_req *r, cached_page *c, const char *ctype)
{
    page_cache_send(r, c, ctype);
    http_header(r, "Cache-Control", "private, no-cache");
}

/* The plan table and findings (the same for everyone who may read it). */
static void plan_body(http_req *r, buf *b, plan_doc *p, int64_t vid, int64_t agency)
{
    int64_t *hits = NULL;
    size_t nhits = 0;
    const char *fi = kv_get(&r->query, "issue"), *fu = kv_get(&r->query, "unit");
    const char *q = kv_get(&r->query, "q");
    int issue = fi && *fi ? atoi(fi) : 0, shown = 0;
    findings fs = {0};
    summary s;
    char err[256];

    if (q && *q && store_search(r->st, vid, q, &hits, &nhits, err, sizeof err) != 0)
        nhits = 0;
    web_checks(r, p, agency, &fs);
    summary_compute(p, &s);
    if (strcmp(p->status, "draft") != 0) {
        /* a version that left the draft state must still be what was signed */
        transition *t;
        size_t nt;
        char hash[65];
        plan_sha256(p, hash);
        store_transitions(r->st, vid, &t, &nt);
        if (!nt || strcmp(t[nt - 1].sha256, hash) != 0)
            html_fmt(b, "<p class=\"finding error\" role=\"alert\">ฉบับนี้ถูกแก้ไขหลังการบันทึก"
                        "อนุมัติ (SHA-256 ไม่ตรงกับบันทึก) โปรดตรวจสอบ / this version was changed "
                        "after its approval was recorded (SHA-256 mismatch)</p>");
        store_transitions_free(t, nt);
    }
    html_fmt(b, "<h1>%s</h1><p>%s · %s</p>",
             p->title_line && *p->title_line ? p->title_line : p->title, p->agency,
             p->version_label ? p->version_label : "");
    /* filters: a plain GET form, works without JavaScript */
    html_lit(b, "<form class=\"filters\" method=\"get\" action=\"/plan\">"
                "<label>ค้นหา <input type=\"search\" name=\"q\" value=\"");
    html_text(b, q ? q : "");
    html_lit(b, "\"></label><label>ประเด็นยุทธศาสตร์ <select name=\"issue\">"
                "<option value=\"\">ทั้งหมด</option>");
    for (size_t i = 0; i < p->nissues; i++)
        html_fmt(b, "<option value=\"%d\"%s>%d %s</option>", p->issues[i].no,
                 p->issues[i].no == issue ? " selected" : "", p->issues[i].no,
                 p->issues[i].title);
    html_lit(b, "</select></label><label>ผู้รับผิดชอบ <select name=\"unit\">"
                "<option value=\"\">ทั้งหมด</option>");
    for (size_t i = 0; i < s.nunit; i++)
        html_fmt(b, "<option%s>%s</option>",
                 fu && strcmp(fu, s.by_unit[i].title) == 0 ? " selected" : "",
                 s.by_unit[i].title);
    html_lit(b, "</select></label><button type=\"submit\">กรอง</button></form>");

    {
        plan_filter pf = {issue, fu, q, hits, nhits};
        shown = html_plan_table(b, p, &s, keep_project, &pf, true);
    }
    if (shown < (int)p->nprojects)
        html_fmt(b, "<p>แสดง %d จาก %zu โครงการ</p>", shown, p->nprojects);
    html_lit(b, "<h2 id=\"findings\">ผลการตรวจ</h2><ul class=\"findings\">");
    for (size_t i = 0; i < fs.n; i++) {
        const finding *f = &fs.v[i];
        html_fmt(b, "<li class=\"finding %s\"><b>%s</b> ", severity_key(f->sev), f->rule);
        if (f->project)
            html_fmt(b, "<a href=\"#p%d\">โครงการที่ %d</a> ", f->project, f->project);
        html_fmt(b, "%s</li>", f->message_th);
    }
    html_lit(b, "</ul>");
    free(hits);
    summary_free(&s);
    findings_free(&fs);
}

static void plan_page(http_req *r)
{
    int64_t vid = 0, agency = r->u.agency ? r->u.agency : store_agency_default(r->st, NULL);
    const char *vs = kv_get(&r->query, "version");
    const char *fi = kv_get(&r->query, "issue"), *fu = kv_get(&r->query, "unit");
    const char *q = kv_get(&r->query, "q");
    char key[200], page_key[300] = ""; /* page_key: when the whole page is kept */
    cached_page *c;
    int n;

    plan_memo_for(r, agency);
    vid = vs && atoll(vs) > 0 ? atoll(vs) : plan_memo.latest;
    if (vid && vid != plan_memo.latest && store_version_agency(r->st, vid) != agency)
        vid = 0;
    n = snprintf(key, sizeof key, "plan:%lld:%llu:%s|%s|%s", (long long)vid,
                 (unsigned long long)r->generation, fi ? fi : "", fu ? fu : "", q ? q : "");
    if (n < (int)sizeof key && vid) {
        /* this session's whole page (its header names the person and holds
        ** the session's CSRF token), when it has been asked for before */
        snprintf(page_key, sizeof page_key, "%s|%s", key, r->token_hash);
        if ((c = page_cache_get(page_key))) {
            send_private(r, c, "text/html; charset=utf-8");
            return;
        }
    }
    c = n < (int)sizeof key && vid ? page_cache_get(key) : NULL;
    if (!c) {
        plan_doc *p = web_load_plan(r, &vid, &agency);
        buf body;
        if (!p)
            return;
        buf_init(&body, 0);
        plan_body(r, &body, p, vid, agency);
        plan_free(p);
        if (n >= (int)sizeof key) { /* an odd, long query: no caching */
            web_page_begin(r, "แผน");
            buf_add(&r->out, body.s, body.len);
            buf_free(&body);
            web_page_end(r);
            return;
        }
        {
            size_t len = body.len;
            c = page_cache_put(key, buf_detach(&body), len);
        }
    }
    web_page_begin(r, "แผน");
    if (*page_key) {
        /* this session's whole page, kept for its next requests and sent from there */
        size_t len;
        buf_add(&r->out, c->data, c->len);
        page_cache_release(c);
        web_page_end(r);
        len = r->out.len;
        c = page_cache_put(page_key, buf_detach(&r->out), len);
        send_private(r, c, "text/html; charset=utf-8");
        return;
    }
    /* the shared body between this request's header and end, not copied */
    r->shared = c->data;
    r->shared_len = c->len;
    r->release = page_cache_release;
    r->release_cls = c;
    {
        buf tmp = r->out;
        r->out = r->tail;
        web_page_end(r);
        r->tail = r->out;
        r->out = tmp;
    }
}

/* ---- the project form --------------------------------------------------------------------- */

static void list_text(buf *b, const strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            buf_addc(b, '\n');
        buf_adds(b, l->v[i]);
    }
}

/* Findings of one field, next to it. */
static void field_findings(buf *b, const findings *fs, const char *field)
{
    for (size_t i = 0; i < fs->n; i++) {
        const finding *f = &fs->v[i];
        bool match = strcmp(f->field, field) == 0 ||
                     (strcmp(field, "quarters") == 0 && f->field[0] == 'q' && f->field[2] == 0);
        if (!match)
            continue;
        html_fmt(b, "<p class=\"finding %s\" data-rule=\"%s\">%s<br><span lang=\"en\">%s</span></p>",
                 severity_key(f->sev), f->rule, f->message_th, f->message_en);
    }
}

static void textarea(buf *b, const char *name, const char *label, const strlist *l,
                     const findings *fs)
{
    buf t;
    buf_init(&t, 0);
    list_text(&t, l);
    html_fmt(b, "<label>%s <small>(บรรทัดละหนึ่งข้อ)</small><textarea name=\"%s\" rows=\"4\">%s"
                "</textarea></label>",
             label, name, t.s ? t.s : "");
    field_findings(b, fs, name);
    buf_free(&t);
}

static void money_input(buf *b, const char *name, const char *label, int64_t v, bool show)
{
    buf t;
    buf_init(&t, 0);
    if (show)
        money_format(&t, v, false);
    html_fmt(b, "<label>%s <input name=\"%s\" inputmode=\"decimal\" value=\"%s\"></label>", label,
             name, t.s ? t.s : "");
    buf_free(&t);
}

static void align_field_input(buf *b, const refdata *ref, const project *pr, align_field f,
                              const findings *fs)
{
    const alignment *a = &pr->align[f];
    const ref_list *l = &ref->lists[f];
    char *cur = a->free_text ? xstrdup(a->text ? a->text : "") : strlist_join(&a->codes, ",");
    char fk[48];
    snprintf(fk, sizeof fk, "alignment.%s", align_key(f));
    if (l->n && f != ALIGN_SECURITY_POLICY && f != ALIGN_GOVERNMENT_POLICY &&
        f != ALIGN_SUBPLAN_TARGET && a->codes.n <= 1) {
        html_fmt(b, "<label>%s <select name=\"%s\"><option value=\"\">- ไม่ระบุ -</option>",
                 align_header_th(f), align_key(f));
        for (size_t i = 0; i < l->n; i++)
            html_fmt(b, "<option value=\"%s\"%s>%s %s</option>", l->v[i].code,
                     strcmp(cur, l->v[i].code) == 0 ? " selected" : "", l->v[i].code,
                     l->v[i].title_th);
        html_lit(b, "</select></label>");
    } else {
        html_fmt(b, "<label>%s <input name=\"%s\" value=\"%s\" list=\"list-%s\"></label>",
                 align_header_th(f), align_key(f), cur, align_key(f));
        if (l->n) {
            html_fmt(b, "<datalist id=\"list-%s\">", align_key(f));
            for (size_t i = 0; i < l->n; i++)
                html_fmt(b, "<option value=\"%s\">%s</option>", l->v[i].code, l->v[i].title_th);
            html_lit(b, "</datalist>");
        }
    }
    field_findings(b, fs, fk);
    free(cur);
}

static void project_form(http_req *r, const plan_doc *p, const project *pr, const findings *fs,
                         const char *notice, const refdata *ref, const unit_registry *units)
{
    buf *b = &r->out;
    web_page_begin(r, pr->name && *pr->name ? pr->name : "โครงการ");
    html_fmt(b, "<p><a href=\"/plan#p%d\">← กลับไปที่แผน</a></p><h1>โครงการที่ %d</h1>", pr->no,
             pr->no);
    if (notice)
        html_fmt(b, "<p class=\"notice\" role=\"status\">%s</p>", notice);
    html_fmt(b, "<form class=\"project\" method=\"post\" action=\"/project/%lld\">",
             (long long)pr->id);
    web_csrf_field(r);
    html_fmt(b, "<input type=\"hidden\" name=\"row_version\" value=\"%lld\">",
             (long long)pr->version);
    html_fmt(b, "<label>ที่ <input name=\"no\" inputmode=\"numeric\" value=\"%d\"></label>", pr->no);
    field_findings(b, fs, "no");
    html_fmt(b, "<label>ชื่อโครงการ <textarea name=\"name\" rows=\"2\" required>%s</textarea></label>",
             pr->name);
    field_findings(b, fs, "name");
    textarea(b, "objectives", "วัตถุประสงค์", &pr->items[ITEM_OBJECTIVE], fs);
    textarea(b, "outputs", "เป้าหมาย: ผลผลิต (Output)", &pr->items[ITEM_OUTPUT], fs);
    textarea(b, "outcomes", "เป้าหมาย: ผลลัพธ์ (Outcome)", &pr->items[ITEM_OUTCOME], fs);
    textarea(b, "indicators_quantitative", "ตัวชี้วัดเชิงปริมาณ", &pr->items[ITEM_INDICATOR_QUANT],
             fs);
    textarea(b, "indicators_qualitative", "ตัวชี้วัดเชิงคุณภาพ", &pr->items[ITEM_INDICATOR_QUAL], fs);
    html_lit(b, "<fieldset><legend>งบประมาณ (บาท)</legend>");
    html_fmt(b, "<label class=\"check\"><input type=\"checkbox\" name=\"no_budget\" value=\"1\"%s>"
                " ไม่ใช้งบประมาณ</label>",
             pr->has_budget ? "" : " checked");
    money_input(b, "budget", "งบประมาณ", pr->budget, pr->has_budget);
    field_findings(b, fs, "budget");
    for (int q = 0; q < 4; q++) {
        char n[16], l[32];
        snprintf(n, sizeof n, "q%d", q + 1);
        snprintf(l, sizeof l, "ไตรมาส %d", q + 1);
        money_input(b, n, l, pr->q[q], true);
    }
    field_findings(b, fs, "quarters");
    html_lit(b, "</fieldset>");
    {
        buf ds, de;
        buf_init(&ds, 0);
        buf_init(&de, 0);
        date_thai_long(&ds, pr->start, false);
        date_thai_long(&de, pr->end, false);
        html_fmt(b, "<label>ระยะเวลาดำเนินการ <input name=\"period\" value=\"%s\" "
                    "placeholder=\"ต.ค. 67 - ก.ย. 68\"></label><p class=\"hint\">%s %s %s</p>",
                 pr->period_text, ds.s ? ds.s : "", ds.s ? "ถึง" : "", de.s ? de.s : "");
        buf_free(&ds);
        buf_free(&de);
    }

    field_findings(b, fs, "period");
    html_lit(b, "<label>ผู้รับผิดชอบ <select name=\"unit\">");
    for (size_t i = 0; i < units->n; i++)
        html_fmt(b, "<option%s>%s</option>",
                 pr->unit && strcmp(pr->unit, units->v[i].name) == 0 ? " selected" : "",
                 units->v[i].name);
    html_lit(b, "</select></label>");
    field_findings(b, fs, "unit");
    html_lit(b, "<label>ประเด็นยุทธศาสตร์ <select name=\"issue\">");
    for (size_t i = 0; i < p->nissues; i++)
        html_fmt(b, "<option value=\"%d\"%s>%d %s</option>", p->issues[i].no,
                 p->issues[i].no == pr->issue ? " selected" : "", p->issues[i].no,
                 p->issues[i].title);
    html_lit(b, "</select></label>");
    field_findings(b, fs, "strategic_issue");
    html_lit(b, "<fieldset><legend>ความสอดคล้อง</legend>");
    for (int f = 0; f < ALIGN__MAX; f++)
        align_field_input(b, ref, pr, (align_field)f, fs);
    html_lit(b, "</fieldset><button type=\"submit\">บันทึก</button></form>");
    web_page_end(r);
}

/* The project with this id in the version's plan, or NULL. */
static project *find_project(plan_doc *p, int64_t id)
{
    for (size_t i = 0; i < p->nprojects; i++)
        if (p->projects[i].id == id)
            return &p->projects[i];
    return NULL;
}

/* Read the form into pr (a copy of the stored project). Returns 0, or -1
** with a message naming the field. */
static int read_project_form(http_req *r, project *pr, char *err, size_t errlen)
{
    static const struct {
        const char *name;
        item_kind k;
    } lists[] = {{"objectives", ITEM_OBJECTIVE},
                 {"outputs", ITEM_OUTPUT},
                 {"outcomes", ITEM_OUTCOME},
                 {"indicators_quantitative", ITEM_INDICATOR_QUANT},
                 {"indicators_qualitative", ITEM_INDICATOR_QUAL}};
    static const char *known[] = {"csrf", "row_version", "no", "name", "objectives", "outputs",
                                  "outcomes", "indicators_quantitative", "indicators_qualitative",
                                  "no_budget", "budget", "q1", "q2", "q3", "q4", "period", "unit",
                                  "issue", "national_strategy", "master_plan", "subplan_target",
                                  "plan13_milestone", "security_policy", "government_policy",
                                  "moe_strategy"};
    const char *v;
    for (size_t i = 0; i < r->form.n; i++) {
        bool ok = false;
        for (size_t k = 0; k < ARRAY_LEN(known); k++)
            ok |= strcmp(r->form.v[i].key, known[k]) == 0;
        if (!ok) {
            snprintf(err, errlen, "ช่อง '%s' ไม่รู้จัก / unknown field '%s'", r->form.v[i].key,
                     r->form.v[i].key);
            return -1;
        }
        if (!utf8_valid(r->form.v[i].value, r->form.v[i].len) ||
            strlen(r->form.v[i].value) != r->form.v[i].len) {
            snprintf(err, errlen, "ช่อง '%s' ไม่ใช่ UTF-8 / field '%s' is not valid UTF-8",
                     r->form.v[i].key, r->form.v[i].key);
            return -1;
        }
    }
    if ((v = kv_get(&r->form, "no"))) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 100000) {
            snprintf(err, errlen, "ที่: '%s' ต้องเป็นเลข 1 ขึ้นไป / no: '%s' must be a number >= 1",
                     v, v);
            return -1;
        }
        pr->no = (int)n;
    }
    if ((v = kv_get(&r->form, "name"))) {
        char *c = text_clean(v, strlen(v));
        free(pr->name);
        pr->name = c;
    }
    for (size_t i = 0; i < ARRAY_LEN(lists); i++) {
        if (!(v = kv_get(&r->form, lists[i].name)))
            continue;
        strlist_clear(&pr->items[lists[i].k]);
        for (const char *p = v; *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            char *c = text_clean(p, n);
            if (*c)
                strlist_take(&pr->items[lists[i].k], c);
            else
                free(c);
            p += n + (nl ? 1 : 0);
        }
    }
    pr->has_budget = !kv_get(&r->form, "no_budget");
    if ((v = kv_get(&r->form, "budget"))) {
        int64_t sat = 0;
        amount_kind k = thai_amount_parse(v, strlen(v), &sat);
        if (k == AMOUNT_BAD) {
            snprintf(err, errlen,
                     "งบประมาณ: อ่าน '%s' ไม่ได้ ให้ใส่ตัวเลข เช่น 6,330 / budget: cannot read '%s'; "
                     "write a number such as 6,330",
                     v, v);
            return -1;
        }
        pr->budget = pr->has_budget ? sat : 0;
    }
    for (int q = 0; q < 4; q++) {
        char n[16];
        int64_t sat = 0;
        snprintf(n, sizeof n, "q%d", q + 1);
        if (!(v = kv_get(&r->form, n)))
            continue;
        if (thai_amount_parse(v, strlen(v), &sat) == AMOUNT_BAD) {
            snprintf(err, errlen,
                     "ไตรมาส %d: อ่าน '%s' ไม่ได้ ให้ใส่ตัวเลข หรือ - / quarter %d: cannot read "
                     "'%s'; write a number or -",
                     q + 1, v, q + 1, v);
            return -1;
        }
        pr->q[q] = sat;
    }
    if ((v = kv_get(&r->form, "period"))) {
        thai_period per;
        char perr[256];
        free(pr->period_text);
        pr->period_text = text_clean(v, strlen(v));
        pr->start = pr->end = (date){0, 0, 0};
        if (thai_period_parse(pr->period_text, 2568, &per, perr, sizeof perr) == 0) {
            pr->start = per.start;
            pr->end = per.end;
        }
    }
    if ((v = kv_get(&r->form, "unit"))) {
        free(pr->unit);
        free(pr->unit_text);
        pr->unit = xstrdup(v);
        pr->unit_text = xstrdup(v);
    }
    if ((v = kv_get(&r->form, "issue")) && atoi(v) > 0) {
        pr->issue = atoi(v);
        pr->issue_inferred = false;
    }
    for (int f = 0; f < ALIGN__MAX; f++)
        if ((v = kv_get(&r->form, align_key((align_field)f))))
            plan_parse_alignment((align_field)f, v, &pr->align[f]);
    return 0;
}

/* A JSON snapshot of a project for the audit log and the 409 page. */
static char *project_json(const plan_doc *p, const project *pr)
{
    plan_doc tmp = *p;
    json_t *o, *one;
    char *t;
    tmp.projects = (project *)pr;
    tmp.nprojects = 1;
    o = export_plan_json(&tmp, NULL, NULL);
    one = json_array_get(json_object_get(o, "projects"), 0);
    t = json_dumps(one, JSON_COMPACT);
    json_decref(o);
    return t;
}

static void project_page(http_req *r)
{
    const char *idtext = r->path + strlen("/project/");
    char *idend;
    int64_t vid, agency, id = strtoll(idtext, &idend, 10);
    plan_doc *p;
    project *pr;
    findings fs = {0};
    refdata *ref;
    unit_registry units = {0};
    char err[512];

    if (id <= 0 || *idend || !(vid = store_project_version_of(r->st, id))) {
        web_error(r, 404, "ไม่พบโครงการนี้", "no such project");
        return;
    }
    agency = r->u.agency ? r->u.agency : store_agency_default(r->st, NULL);
    if (store_version_agency(r->st, vid) != agency) {
        web_error(r, 404, "ไม่พบโครงการนี้", "no such project");
        return;
    }
    p = store_version_load(r->st, vid, err, sizeof err);
    pr = p ? find_project(p, id) : NULL;
    if (!pr) {
        plan_free(p);
        web_error(r, 404, "ไม่พบโครงการนี้", "no such project");
        return;
    }
    ref = store_ref_load(r->st, err, sizeof err);
    store_units_load(r->st, agency, &units, err, sizeof err);

    if (strcmp(r->method, "POST") == 0) {
        project edited = {0}, before = {0};
        int64_t nv = 0;
        int rc;
        const char *rv = kv_get(&r->form, "row_version");
        char *old_json, *new_json, *entity;
        if (!web_check_csrf(r))
            goto done;
        if (!web_can_edit_project(r, pr)) {
            web_error(r, 403, "แก้ไขได้เฉพาะโครงการของกลุ่มตนเอง",
                      "you may edit only your own unit's projects");
            goto done;
        }
        project_copy(&edited, pr);
        project_copy(&before, pr);
        edited.version = rv ? atoll(rv) : -1;
        if (read_project_form(r, &edited, err, sizeof err) != 0) {
            r->status = 400;
            findings_add(&fs, "form", SEV_ERROR, edited.no, "", 0, err, err);
            project_form(r, p, &edited, &fs, err, ref, &units);
            project_free_fields(&edited);
            project_free_fields(&before);
            goto done;
        }
        if (r->u.role == ROLE_UNIT_EDITOR && !(edited.unit && strcmp(edited.unit, r->u.unit) == 0)) {
            web_error(r, 403, "ย้ายโครงการไปกลุ่มอื่นไม่ได้", "you cannot move a project to another unit");
            project_free_fields(&edited);
            project_free_fields(&before);
            goto done;
        }
        /* re-run the period parse in the plan's fiscal year */
        if (edited.period_text) {
            thai_period per;
            char perr[256];
            if (thai_period_parse(edited.period_text, p->fiscal_year, &per, perr, sizeof perr) == 0) {
                edited.start = per.start;
                edited.end = per.end;
            }
        }
        findings_free(&edited.notes);
        if (store_begin(r->st, err, sizeof err) != 0)
            panic("%s", err);
        rc = store_project_update(r->st, agency, &edited, &nv, err, sizeof err);
        if (rc == STORE_OK) {
            old_json = project_json(p, &before);
            edited.version = nv;
            new_json = project_json(p, &edited);
            entity = xasprintf("project %d (id %lld) of version %lld", edited.no,
                               (long long)edited.id, (long long)vid);
            web_audit(r, "project.update", entity, old_json, new_json);
            free(entity);
            free(old_json);
            free(new_json);
            if (store_commit(r->st, err, sizeof err) != 0)
                panic("%s", err);
            /* the new state of the plan, checked */
            project_free_fields(pr);
            project_copy(pr, &edited);
            check_project(p, pr, ref, &units, &fs);
            findings_sort(&fs);
            project_form(r, p, pr, &fs,
                         findings_count(&fs, SEV_ERROR)
                             ? "บันทึกแล้ว แต่ยังมีข้อผิดพลาดที่ต้องแก้ (ดูข้างช่องที่เกี่ยวข้อง)"
                             : "บันทึกแล้ว",
                         ref, &units);
        } else {
            store_rollback(r->st);
            if (rc == STORE_CONFLICT) {
                /* both versions: what you sent, and what is stored now */
                plan_doc *now = store_version_load(r->st, vid, err, sizeof err);
                project *cur = now ? find_project(now, id) : NULL;
                char *mine = project_json(p, &edited), *theirs = cur ? project_json(now, cur) : NULL;
                r->status = 409;
                web_page_begin(r, "มีผู้แก้ไขก่อน");
                html_fmt(&r->out,
                         "<section class=\"conflict\"><h1>409 มีผู้บันทึกโครงการนี้ก่อนคุณ</h1>"
                         "<p>%s</p><p>ไม่ได้บันทึกสิ่งที่คุณแก้ เปรียบเทียบด้านล่างแล้ว"
                         "<a href=\"/project/%lld\">เปิดฉบับล่าสุด</a>เพื่อแก้อีกครั้ง</p>"
                         "<div class=\"two\"><div><h2>ที่คุณส่ง</h2><pre>%s</pre></div>"
                         "<div><h2>ที่บันทึกอยู่ขณะนี้ (ฉบับแก้ไขที่ %lld)</h2><pre>%s</pre></div>"
                         "</div></section>",
                         err, (long long)id, mine, (long long)(cur ? cur->version : 0),
                         theirs ? theirs : "");
                web_page_end(r);
                free(mine);
                free(theirs);
                plan_free(now);
            } else {
                web_error(r, rc == STORE_NOT_FOUND ? 404 : 409, err, err);
            }
        }
        project_free_fields(&edited);
        project_free_fields(&before);
        goto done;
    }
    check_project(p, pr, ref, &units, &fs);
    findings_sort(&fs);
    project_form(r, p, pr, &fs, web_can_edit_project(r, pr) ? NULL
                                                              : "คุณอ่านได้อย่างเดียว (ไม่ใช่โครงการของกลุ่มคุณ)",
                 ref, &units);
done:
    findings_free(&fs);
    unit_registry_free(&units);
    ref_free(ref);
    plan_free(p);
}

/* ---- exports -------------------------------------------------------------------------------- */

static void exports_page(http_req *r)
{
    web_page_begin(r, "ส่งออก");
    html_lit(&r->out, "<h1>ส่งออกแผน</h1><ul class=\"exports\">"
                      "<li><a href=\"/export/plan.pdf\">แผนการใช้จ่ายงบประมาณ (PDF)</a></li>"
                      "<li><a href=\"/export/summary.pdf\">สรุปพร้อมแผนภูมิ (PDF)</a></li>"
                      "<li><a href=\"/export/memo.pdf\">บันทึกข้อความ (PDF)</a></li>"
                      "<li><a href=\"/export/plan.xlsx\">ตาราง Excel (XLSX)</a></li>"
                      "<li><a href=\"/export/plan.csv\">CSV</a></li>"
                      "<li><a href=\"/export/plan.json\">JSON (ข้อมูลเปิด)</a></li></ul>");
    web_page_end(r);
}

/* Render into a temporary file and send it. */
static void send_file(http_req *r, const char *path, const char *ctype, const char *name)
{
    size_t len;
    char err[256], *cd;
    char *data = file_read(path, 0, &len, err, sizeof err);
    unlink(path);
    if (!data) {
        web_error(r, 500, "สร้างไฟล์ไม่สำเร็จ", err);
        return;
    }
    buf_reset(&r->out);
    buf_add(&r->out, data, len);
    free(data);
    r->ctype = ctype;
    cd = xasprintf("attachment; filename=\"%s\"", name);
    http_header(r, "Content-Disposition", cd);
    free(cd);
}

/* /export/plan.json: the open-data form, kept in the page cache under the
** same kind of key as the plan page (version, generation). */
static void export_json_cached(http_req *r)
{
    int64_t agency = r->u.agency ? r->u.agency : store_agency_default(r->st, NULL), vid;
    const char *vs = kv_get(&r->query, "version");
    char key[64];
    cached_page *c;

    plan_memo_for(r, agency);
    vid = vs && atoll(vs) > 0 ? atoll(vs) : plan_memo.latest;
    snprintf(key, sizeof key, "json:%lld:%llu", (long long)vid,
             (unsigned long long)r->generation);
    c = vid == plan_memo.latest && vid ? page_cache_get(key) : NULL; /* other versions: not kept */
    if (!c) {
        findings fs = {0};
        plan_doc *p = web_load_plan(r, &vid, &agency);
        char *t;
        if (!p)
            return;
        web_checks(r, p, agency, &fs);
        t = export_json_string(p, &fs);
        findings_free(&fs);
        plan_free(p);
        if (vid != plan_memo.latest) {
            web_json(r, 200, t);
            free(t);
            http_header(r, "Content-Disposition", "attachment; filename=\"plan.json\"");
            return;
        }
        c = page_cache_put(key, t, strlen(t));
    }
    send_private(r, c, "application/json; charset=utf-8");
    http_header(r, "Content-Disposition", "attachment; filename=\"plan.json\"");
}

static void export_file(http_req *r)
{
    const char *what = r->path + strlen("/export/");
    int64_t vid, agency;
    plan_doc *p;
    char err[512], tmp[128], dir[64];
    findings fs = {0};
    if (strcmp(what, "plan.json") == 0) {
        export_json_cached(r);
        return;
    }
    if (!(p = web_load_plan(r, &vid, &agency)))
        return;
    web_checks(r, p, agency, &fs);
    /* a private directory (mkdtemp, mode 0700): no guessable name to race */
    snprintf(dir, sizeof dir, "/tmp/phaen-export-XXXXXX");
    if (!mkdtemp(dir)) {
        findings_free(&fs);
        plan_free(p);
        web_error(r, 500, "สร้างไฟล์ชั่วคราวไม่ได้", "cannot create a temporary directory");
        return;
    }
    snprintf(tmp, sizeof tmp, "%s/out", dir);
    if (strcmp(what, "plan.csv") == 0) {
        char *t = export_csv_string(p);
        buf_adds(&r->out, t);
        free(t);
        r->ctype = "text/csv; charset=utf-8";
        http_header(r, "Content-Disposition", "attachment; filename=\"plan.csv\"");
    } else if (strcmp(what, "plan.pdf") == 0) {
        if (render_plan_pdf(p, &fs, tmp, NULL, err, sizeof err) != 0)
            web_error(r, 500, err, err);
        else
            send_file(r, tmp, "application/pdf", "plan.pdf");
    } else if (strcmp(what, "summary.pdf") == 0) {
        summary s;
        summary_compute(p, &s);
        if (render_summary_pdf(p, &s, tmp, err, sizeof err) != 0)
            web_error(r, 500, err, err);
        else
            send_file(r, tmp, "application/pdf", "summary.pdf");
        summary_free(&s);
    } else if (strcmp(what, "memo.pdf") == 0) {
        if (render_memo_pdf(p, NULL, tmp, err, sizeof err) != 0)
            web_error(r, 500, err, err);
        else
            send_file(r, tmp, "application/pdf", "memo.pdf");
    } else if (strcmp(what, "plan.xlsx") == 0) {
        summary s;
        summary_compute(p, &s);
        if (export_xlsx(p, &s, tmp, err, sizeof err) != 0)
            web_error(r, 500, err, err);
        else
            send_file(r, tmp, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "plan.xlsx");
        summary_free(&s);
    } else {
        web_error(r, 404, "ไม่มีรูปแบบนี้", "no such export");
    }
    findings_free(&fs);
    plan_free(p);
    rmdir(dir);
}

/* ---- routing --------------------------------------------------------------------------------- */

static const web_route routes[] = {
    {"GET", "/static/", WEB_PUBLIC | WEB_PREFIX, static_file},
    {"GET", "/signin", WEB_PUBLIC, signin_get},
    {"POST", "/signin", WEB_PUBLIC | WEB_SLOW, signin_post}, /* Argon2id */
    {"POST", "/signout", 0, signout_post},
    {"POST", "/api/v1/session", WEB_PUBLIC | WEB_API | WEB_SLOW, api_session},
    {"GET", "/", 0, dashboard},
    {"GET", "/plan", 0, plan_page},
    {"GET", "/project/", WEB_PREFIX, project_page},
    {"POST", "/project/", WEB_PREFIX, project_page},
    {"GET", "/exports", 0, exports_page},
    {"GET", "/export/plan.json", 0, export_file}, /* from the cache, as a rule */
    {"GET", "/export/plan.csv", 0, export_file},
    {"GET", "/export/", WEB_PREFIX | WEB_SLOW, export_file}, /* PDF, XLSX */
    {"GET", "/import", 0, web_import_get},
    {"POST", "/import", WEB_SLOW, web_import_post},
    {"GET", "/admin/users", 0, web_admin_users},
    {"POST", "/admin/users", WEB_SLOW, web_admin_users_post},
    {"GET", "/admin/units", 0, web_admin_units},
    {"POST", "/admin/units", 0, web_admin_units_post},
    {"GET", "/admin/ref", 0, web_admin_ref},
    {"GET", "/audit", 0, web_audit_page},
    {"GET", "/versions", 0, web_life_versions},
    {"POST", "/versions/", WEB_PREFIX | WEB_SLOW, web_life_versions_post}, /* mail, PDF */
    {"GET", "/inbox", 0, web_life_inbox},
    {"POST", "/inbox/", WEB_PREFIX | WEB_SLOW, web_life_inbox_post},
    {"GET", "/public", WEB_PUBLIC, web_public},
    {"GET", "/public/", WEB_PUBLIC | WEB_PREFIX, web_public},
    {"*", "/api/v1/", WEB_PREFIX | WEB_API | WEB_SLOW, web_api}, /* imports, exports */
};

/* The route for r; *path_known: some route has r's path (another method). */
static const web_route *find_route(const http_req *r, bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < ARRAY_LEN(routes); i++) {
        const web_route *rt = &routes[i];
        bool match = rt->flags & WEB_PREFIX ? strncmp(r->path, rt->path, strlen(rt->path)) == 0
                                            : strcmp(r->path, rt->path) == 0;
        if (!match)
            continue;
        *path_known = true;
        if (strcmp(rt->method, "*") == 0 || strcmp(rt->method, r->method) == 0 ||
            (strcmp(rt->method, "GET") == 0 && strcmp(r->method, "HEAD") == 0))
            return rt;
    }
    return NULL;
}

bool web_is_slow(const http_req *r)
{
    bool path_known;
    const web_route *hit = find_route(r, &path_known);
    return hit && (hit->flags & WEB_SLOW);
}

void web_handle(http_req *r)
{
    bool path_known;
    const web_route *hit;
    r->generation = store_generation(r->st);
    resolve_session(r);
    hit = find_route(r, &path_known);
    if (!hit) {
        if (path_known)
            web_error(r, 405, "วิธีเรียกนี้ใช้ไม่ได้กับหน้านี้", "method not allowed");
        else
            web_error(r, 404, "ไม่พบหน้านี้", "not found");
        return;
    }
    if (!(hit->flags & WEB_PUBLIC) && !r->signed_in) {
        if (hit->flags & WEB_API || strcmp(r->method, "GET") != 0) {
            web_error(r, 401, "ต้องเข้าสู่ระบบก่อน", "sign-in required");
        } else {
            http_redirect(r, "/signin");
        }
        return;
    }
    hit->fn(r);
}
