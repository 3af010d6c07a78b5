/*
** web_life.c — the plan's life: versions, review and approval, revisions,
** allocations, reasons for changes, notices and their read receipts, and
** the notice e-mails. See web_life.h for the pages.
**
** Who may move a version where (the same rules as `phaen submit|review|
** approve|publish|return`; the database refuses any other change of status
** and freezes every version that is not a draft):
**   submit   draft -> submitted            planner, admin (not while the
**                                          plan has error findings)
**   review   submitted -> checked          reviewer
**   approve  checked -> approved           approver (then a notice per unit)
**   publish  approved -> published         planner, admin
**   return   submitted|checked -> draft    reviewer, approver (comment required)
** A refused move is 403 (role), 409 (state) or 400 (the plan or the form),
** with a Thai and English message, and changes nothing. Every change is one
** transaction with its audit entry. E-mail goes out after the commit;
** a failure is logged to stderr and never undoes the approval.
*/
#include "web_life.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mail.h"
#include "verify.h"
#include "web.h"

#define COMMENT_MAX 2000
#define LABEL_MAX 255
#define REASON_MAX 2000
#define UNITS_MAX 1000
#define FINDINGS_SHOWN 20

/* ---- moves ------------------------------------------------------------------------------- */

typedef struct life_move {
    const char *action;  /* the URL's last word, also the audit action "version.<action>" */
    const char *to;      /* the new status */
    const char *from[2]; /* the statuses it starts from (NULL = none) */
    role who[2];         /* the roles that may make it */
    const char *button;  /* Thai label */
    const char *verb_th, *verb_en;
} life_move;

static const life_move moves[] = {
    {"submit", "submitted", {"draft", NULL}, {ROLE_PLANNER, ROLE_ADMIN}, "เสนอแผน", "เสนอแผน",
     "submit"},
    {"review", "checked", {"submitted", NULL}, {ROLE_REVIEWER, ROLE_REVIEWER},
     "ตรวจแล้ว เสนอผู้อนุมัติ", "รับรองการตรวจ", "review"},
    {"approve", "approved", {"checked", NULL}, {ROLE_APPROVER, ROLE_APPROVER}, "อนุมัติ",
     "อนุมัติ", "approve"},
    {"publish", "published", {"approved", NULL}, {ROLE_PLANNER, ROLE_ADMIN}, "เผยแพร่",
     "เผยแพร่", "publish"},
    {"return", "draft", {"submitted", "checked"}, {ROLE_REVIEWER, ROLE_APPROVER},
     "ส่งกลับไปแก้ไข", "ส่งกลับ", "return"},
};

static const char *status_th(const char *s)
{
    static const char *const names[][2] = {
        {"draft", "ร่าง"},           {"submitted", "เสนอแล้ว"},     {"checked", "ตรวจแล้ว"},
        {"approved", "อนุมัติแล้ว"}, {"published", "เผยแพร่แล้ว"},
    };
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strcmp(s, names[i][0]) == 0)
            return names[i][1];
    return s;
}

static bool move_role_ok(const life_move *m, role rl)
{
    return rl == m->who[0] || rl == m->who[1];
}

static bool move_from_ok(const life_move *m, const char *status)
{
    for (int i = 0; i < 2; i++)
        if (m->from[i] && strcmp(m->from[i], status) == 0)
            return true;
    return false;
}

static const life_move *move_find(const char *action)
{
    for (size_t i = 0; i < ARRAY_LEN(moves); i++)
        if (strcmp(moves[i].action, action) == 0)
            return &moves[i];
    return NULL;
}

/* ---- shared -------------------------------------------------------------------------------- */

static int64_t life_agency(http_req *r)
{
    return r->u.agency ? r->u.agency : store_agency_default(r->st, NULL);
}

static bool status_in_progress(const char *s)
{
    return strcmp(s, "draft") == 0 || strcmp(s, "submitted") == 0 || strcmp(s, "checked") == 0;
}

static bool status_approved(const char *s)
{
    return strcmp(s, "approved") == 0 || strcmp(s, "published") == 0;
}

/* After a change: 303 to the version's row on /versions. */
static void to_version(http_req *r, int64_t vid)
{
    char *loc = xasprintf("/versions#v%lld", (long long)vid);
    http_redirect(r, loc);
    free(loc);
}

/* A change that failed (nothing changed): `status` with the Thai and the
** English lead, each followed by the store's reason. */
static void change_failed(http_req *r, int status, const char *th, const char *en,
                          const char *err)
{
    char *t = xasprintf("%s: %s", th, err), *e = xasprintf("%s: %s", en, err);
    web_error(r, status, t, e);
    free(t);
    free(e);
}

/* A form field as clean text (trimmed, spaces collapsed), at most max
** bytes. Heap memory ("" when absent), or NULL with err naming the field. */
static char *form_text(http_req *r, const char *key, const char *label, size_t max, char *err,
                       size_t errlen)
{
    const kv *e = kv_find(&r->form, key);
    char *c;
    if (!e || !e->len)
        return xstrdup("");
    if (strlen(e->value) != e->len || !utf8_valid(e->value, e->len)) {
        snprintf(err, errlen, "%s: ไม่ใช่ข้อความ UTF-8 / %s is not valid UTF-8 text", label, key);
        return NULL;
    }
    c = text_clean(e->value, e->len);
    if (strlen(c) > max) {
        free(c);
        snprintf(err, errlen, "%s: ยาวเกิน %zu ไบต์ / %s is longer than %zu bytes", label, max,
                 key, max);
        return NULL;
    }
    return c;
}

/* "2025-01-13T03:04:05.123Z" (UTC) as Thai time with Thai digits:
** "๑๓ มกราคม ๒๕๖๘ เวลา ๑๐:๐๔ น.". Plain text, appended to b. */
static void when_thai(buf *b, const char *at)
{
    struct tm tm = {0};
    int y, mo, d, h, mi;
    char hm[16], *th;
    time_t t;
    if (sscanf(at, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi) != 5) {
        buf_adds(b, at);
        return;
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    t = timegm(&tm) + 7 * 3600; /* Asia/Bangkok, no daylight saving */
    gmtime_r(&t, &tm);
    date_thai_long(b, (date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, true);
    snprintf(hm, sizeof hm, "%02d:%02d", tm.tm_hour, tm.tm_min);
    th = thai_digits_from_ascii(hm);
    buf_printf(b, " เวลา %s น.", th);
    free(th);
}

/* A <time> element holding when_thai(at). */
static void when_html(buf *b, const char *at)
{
    buf t;
    buf_init(&t, 0);
    when_thai(&t, at);
    html_fmt(b, "<time datetime=\"%s\">%s</time>", at, t.s ? t.s : "");
    buf_free(&t);
}

/* "/versions/12/submit" -> 12 and "submit"; 0 when the path is not that. */
static int64_t path_id(const char *rest, const char **word)
{
    char *end;
    long long id;
    if (*rest < '1' || *rest > '9')
        return 0;
    id = strtoll(rest, &end, 10);
    if (*end != '/' || id <= 0)
        return 0;
    *word = end + 1;
    return id;
}

/* Does the last entry of a version's approval log (t, nt) still match its
** content? hash gets the content's SHA-256 (plan_sha256 of p). */
static bool log_matches(const transition *t, size_t nt, const plan_doc *p, char hash[65])
{
    plan_sha256(p, hash);
    return nt > 0 && strcmp(t[nt - 1].sha256, hash) == 0;
}

/* {"status": status} for the audit log. */
static json_t *status_json(const char *status)
{
    return json_pack("{s:s}", "status", status);
}

/* An audit entry of the signed-in user with JSON values (either may be
** NULL), inside the caller's transaction. */
static void audit_json(http_req *r, const char *action, const char *entity, json_t *old_v,
                       json_t *new_v)
{
    char *o = old_v ? json_dumps(old_v, JSON_COMPACT) : NULL;
    char *n = new_v ? json_dumps(new_v, JSON_COMPACT) : NULL;
    web_audit(r, action, entity, o, n);
    free(o);
    free(n);
}

/* ---- notice e-mail -------------------------------------------------------------------------- */

/* After an approval (committed): a mail to every unit with an address.
** Failures are logged, never returned. */
static void mail_notices(http_req *r, const plan_doc *p, int64_t vid, int64_t agency)
{
    const char *url = getenv("PHAEN_SMTP_URL"), *from = getenv("PHAEN_SMTP_FROM");
    const char *base_env = getenv("PHAEN_BASE_URL");
    strlist units = {0}, emails = {0};
    char *base, *subject;
    buf today;
    struct tm tm;
    time_t now = time(NULL) + 7 * 3600;
    if (!url || !*url)
        return;
    if (!from || !*from) {
        fprintf(stderr, "phaen: PHAEN_SMTP_URL is set but PHAEN_SMTP_FROM is not: no notice "
                        "mail for version %lld\n",
                (long long)vid);
        return;
    }
    if (store_unit_emails(r->st, agency, &units, &emails) != 0 || !units.n) {
        strlist_free(&units);
        strlist_free(&emails);
        return;
    }
    base = base_env && *base_env ? xstrdup(base_env)
                                 : xasprintf("http://%s", r->opts && r->opts->listen
                                                              ? r->opts->listen
                                                              : "localhost");
    if (*base && base[strlen(base) - 1] == '/')
        base[strlen(base) - 1] = 0;
    gmtime_r(&now, &tm);
    buf_init(&today, 0);
    date_thai_long(&today, (date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, true);
    subject = xasprintf("แจ้งเวียน: %s พ.ศ. %d %s", p->title ? p->title : "แผน", p->fiscal_year,
                        p->version_label ? p->version_label : "");
    for (size_t i = 0; i < units.n; i++) {
        char err[512];
        char *body = xasprintf(
            "ถึง %s\n\n"
            "%s แจ้งเวียน%s พ.ศ. %d %s\n"
            "ซึ่ง%s อนุมัติแล้วเมื่อวันที่ %s\n\n"
            "เอกสาร\n"
            "- แผนการใช้จ่ายงบประมาณ (PDF): %s/export/plan.pdf?version=%lld\n"
            "- บันทึกข้อความ (PDF): %s/export/memo.pdf?version=%lld\n\n"
            "โปรดเข้าสู่ระบบแล้วกด \"รับทราบ\" ที่ %s/inbox\n\n"
            "--\n"
            "ส่งจากระบบ phaen โดยอัตโนมัติ โปรดอย่าตอบกลับ\n"
            "Notice of an approved plan (version %lld); the links above lead to its documents.\n",
            units.v[i], p->agency ? p->agency : "", p->title ? p->title : "แผน", p->fiscal_year,
            p->version_label ? p->version_label : "", r->u.name, today.s ? today.s : "", base,
            (long long)vid, base, (long long)vid, base, (long long)vid);
        int rc = mail_send(url, from, emails.v[i], subject, body, err, sizeof err);
        free(body);
        if (rc == 0 && !(r->opts && r->opts->quiet))
            fprintf(stderr, "phaen: notice of version %lld mailed to %s <%s>\n", (long long)vid,
                    units.v[i], emails.v[i]);
        if (rc != 0)
            fprintf(stderr, "phaen: notice of version %lld to %s <%s> not mailed: %s\n",
                    (long long)vid, units.v[i], emails.v[i], err);
        if (rc == -2 && i + 1 < units.n) {
            fprintf(stderr, "phaen: the mail server is unreachable: %zu more notices of version "
                            "%lld not mailed\n",
                    units.n - i - 1, (long long)vid);
            break;
        }
    }
    free(subject);
    free(base);
    buf_free(&today);
    strlist_free(&units);
    strlist_free(&emails);
}

/* ---- POST /versions/{id}/{move} ---------------------------------------------------------------- */

static void roles_text(const life_move *m, char *th, size_t thn, char *en, size_t enn)
{
    if (m->who[0] == m->who[1]) {
        snprintf(th, thn, "%s", role_th(m->who[0]));
        snprintf(en, enn, "%s", role_key(m->who[0]));
    } else {
        snprintf(th, thn, "%s หรือ %s", role_th(m->who[0]), role_th(m->who[1]));
        snprintf(en, enn, "%s or %s", role_key(m->who[0]), role_key(m->who[1]));
    }
}

/* The error findings that keep a draft from being submitted: a 400 page. */
static void refuse_findings(http_req *r, int64_t vid, const findings *fs)
{
    size_t n = findings_count(fs, SEV_ERROR), shown = 0;
    buf_reset(&r->out);
    r->status = 400;
    web_page_begin(r, "เสนอไม่ได้");
    html_fmt(&r->out,
             "<section class=\"error\"><h1>400</h1><p>เสนอไม่ได้: แผนมีข้อผิดพลาด %zu รายการ "
             "ต้องแก้ก่อนเสนอ</p><p lang=\"en\">cannot submit: the plan has %zu error "
             "findings; correct them first</p><ul class=\"findings\">",
             n, n);
    for (size_t i = 0; i < fs->n && shown < FINDINGS_SHOWN; i++) {
        const finding *f = &fs->v[i];
        if (f->sev != SEV_ERROR)
            continue;
        html_fmt(&r->out, "<li class=\"finding error\"><b>%s</b> ", f->rule);
        if (f->project)
            html_fmt(&r->out, "โครงการที่ %d ", f->project);
        html_fmt(&r->out, "%s<br><span lang=\"en\">%s</span></li>", f->message_th,
                 f->message_en);
        shown++;
    }
    html_fmt(&r->out,
             "</ul><p><a href=\"/plan?version=%lld#findings\">ไปที่แผนเพื่อแก้ไข</a> · "
             "<a href=\"/versions#v%lld\">กลับไปที่ฉบับของแผน</a></p></section>",
             (long long)vid, (long long)vid);
    web_page_end(r);
}

static void version_move(http_req *r, int64_t vid, int64_t agency, const life_move *m)
{
    char err[1024], th[1400], en[1400], status[16], hash[65], action[48];
    char *comment, *entity;
    plan_doc *p;
    findings fs = {0};
    json_t *ov, *nv;

    if (!move_role_ok(m, r->u.role)) {
        char rth[256], ren[128];
        roles_text(m, rth, sizeof rth, ren, sizeof ren);
        snprintf(th, sizeof th, "%sได้เฉพาะ%s (คุณเป็น%s)", m->verb_th, rth, role_th(r->u.role));
        snprintf(en, sizeof en, "only %s may %s (you are %s)", ren, m->verb_en,
                 role_key(r->u.role));
        web_error(r, 403, th, en);
        return;
    }
    if (!(comment = form_text(r, "comment", "ความเห็น", COMMENT_MAX, err, sizeof err))) {
        web_error(r, 400, err, err);
        return;
    }
    /* the state, the checks, the fingerprint and the move all in one
    ** (immediate) transaction: nobody can edit the draft in between */
    if (store_begin(r->st, err, sizeof err) != 0) {
        free(comment);
        web_error(r, 503, "ฐานข้อมูลไม่ว่าง โปรดลองอีกครั้ง", err);
        return;
    }
    store_version_status(r->st, vid, status);
    if (!move_from_ok(m, status)) {
        store_rollback(r->st);
        free(comment);
        snprintf(th, sizeof th, "ฉบับที่ %lld อยู่ในสถานะ%s จึง%sไม่ได้ (%sได้เมื่อสถานะเป็น%s%s%s)",
                 (long long)vid, status_th(status), m->verb_th, m->verb_th, status_th(m->from[0]),
                 m->from[1] ? " หรือ" : "", m->from[1] ? status_th(m->from[1]) : "");
        snprintf(en, sizeof en, "version %lld is %s; %s needs a version that is %s%s%s",
                 (long long)vid, status, m->verb_en, m->from[0], m->from[1] ? " or " : "",
                 m->from[1] ? m->from[1] : "");
        web_error(r, 409, th, en);
        return;
    }
    if (strcmp(m->to, "draft") == 0 && !*comment) {
        store_rollback(r->st);
        free(comment);
        web_error(r, 400, "ส่งกลับต้องระบุเหตุผลในช่องความเห็น",
                  "a return needs a comment saying why");
        return;
    }
    if (!(p = store_version_load(r->st, vid, err, sizeof err))) {
        store_rollback(r->st);
        free(comment);
        web_error(r, 404, "ไม่พบฉบับของแผนนี้", "no such plan version");
        return;
    }
    if (strcmp(m->to, "submitted") == 0) {
        web_checks(r, p, agency, &fs);
        findings_sort(&fs);
        if (findings_count(&fs, SEV_ERROR)) {
            store_rollback(r->st);
            refuse_findings(r, vid, &fs);
            findings_free(&fs);
            plan_free(p);
            free(comment);
            return;
        }
        findings_free(&fs);
    }
    plan_sha256(p, hash);
    if (store_transition(r->st, vid, m->to, &r->u, comment, hash, err, sizeof err) != 0 ||
        (strcmp(m->to, "approved") == 0 &&
         store_notices_create(r->st, agency, vid, err, sizeof err) != 0)) {
        store_rollback(r->st);
        free(comment);
        plan_free(p);
        change_failed(r, 409, "เปลี่ยนสถานะไม่สำเร็จ ไม่มีสิ่งใดเปลี่ยนแปลง", "the move failed and nothing changed", err);
        return;
    }
    entity = xasprintf("version %lld", (long long)vid);
    ov = status_json(status);
    nv = json_pack("{s:s,s:s,s:s?}", "status", m->to, "sha256", hash, "comment",
                   *comment ? comment : NULL);
    snprintf(action, sizeof action, "version.%s", m->action);
    audit_json(r, action, entity, ov, nv);
    json_decref(ov);
    json_decref(nv);
    free(entity);
    free(comment);
    if (store_commit(r->st, err, sizeof err) != 0) {
        store_rollback(r->st);
        plan_free(p);
        web_error(r, 503, "บันทึกไม่สำเร็จ ไม่มีสิ่งใดเปลี่ยนแปลง โปรดลองอีกครั้ง", err);
        return;
    }
    /* after the commit: a mail that fails is logged and changes nothing */
    if (strcmp(m->to, "approved") == 0)
        mail_notices(r, p, vid, agency);
    plan_free(p);
    to_version(r, vid);
}

/* ---- POST /versions/new ---------------------------------------------------------------------- */

/* The version a new revision starts from (the newest approved or published
** one), and the version still in progress in its fiscal year (0 = none). */
static int64_t revision_base(const version_info *v, size_t n, int64_t *in_progress)
{
    int64_t from = 0;
    int fy = 0;
    *in_progress = 0;
    for (size_t i = 0; i < n && !from; i++)
        if (status_approved(v[i].status)) {
            from = v[i].id;
            fy = v[i].fiscal_year;
        }
    for (size_t i = 0; i < n && from; i++)
        if (v[i].fiscal_year == fy && status_in_progress(v[i].status) && !*in_progress)
            *in_progress = v[i].id;
    return from;
}

static void revision_new(http_req *r, int64_t agency)
{
    char err[1024], th[1400], en[1400];
    char *label = NULL, *reason = NULL, *entity;
    version_info *v = NULL;
    size_t n = 0;
    int64_t from, busy, vid = 0;
    json_t *nv;
    if (!web_can_plan(r)) {
        web_error(r, 403, "สร้างฉบับปรับปรุงได้เฉพาะนักวิเคราะห์แผนหรือผู้ดูแลระบบ",
                  "only a planner or an admin may start a revision");
        return;
    }
    if (!(label = form_text(r, "label", "ชื่อฉบับ", LABEL_MAX, err, sizeof err)) ||
        !(reason = form_text(r, "reason", "เหตุผล", REASON_MAX, err, sizeof err))) {
        free(label);
        web_error(r, 400, err, err);
        return;
    }
    if (!*reason) {
        free(label);
        free(reason);
        web_error(r, 400, "ให้ระบุเหตุผลของการปรับปรุง", "give the reason for the revision");
        return;
    }
    /* the check and the copy in one (immediate) transaction: two planners
    ** cannot both start a revision */
    if (store_begin(r->st, err, sizeof err) != 0) {
        free(label);
        free(reason);
        web_error(r, 503, "ฐานข้อมูลไม่ว่าง โปรดลองอีกครั้ง", err);
        return;
    }
    if (store_versions_list(r->st, agency, &v, &n, err, sizeof err) != 0)
        panic("%s", err);
    from = revision_base(v, n, &busy);
    free(v);
    if (!from || busy) {
        store_rollback(r->st);
        if (!from) {
            snprintf(th, sizeof th, "ยังไม่มีฉบับที่อนุมัติแล้วให้ปรับปรุง");
            snprintf(en, sizeof en, "there is no approved version to revise");
        } else {
            snprintf(th, sizeof th,
                     "ฉบับที่ %lld ยังดำเนินการอยู่ (ยังไม่อนุมัติ) ให้ดำเนินการฉบับนั้นให้เสร็จก่อน",
                     (long long)busy);
            snprintf(en, sizeof en, "version %lld is still in progress; finish it first",
                     (long long)busy);
        }
        free(label);
        free(reason);
        web_error(r, 409, th, en);
        return;
    }
    nv = json_pack("{s:I,s:s,s:s}", "from", (json_int_t)from, "label", label, "reason", reason);
    if (!(vid = store_revision_create(r->st, agency, from, *label ? label : NULL, reason, err,
                                      sizeof err))) {
        store_rollback(r->st);
        vid = 0;
    } else {
        entity = xasprintf("version %lld", (long long)vid);
        audit_json(r, "revision.create", entity, NULL, nv);
        free(entity);
        if (store_commit(r->st, err, sizeof err) != 0) {
            store_rollback(r->st);
            vid = 0;
        }
    }
    json_decref(nv);
    free(label);
    free(reason);
    if (!vid) {
        change_failed(r, 409, "สร้างฉบับปรับปรุงไม่สำเร็จ", "the revision could not be created", err);
        return;
    }
    to_version(r, vid);
}

/* ---- POST /versions/{id}/allocation ------------------------------------------------------------- */

/* An amount field: 1 with *satang, 0 when empty, -1 with err when unreadable. */
static int amount_field(http_req *r, const char *key, const char *label, int64_t *satang,
                        char *err, size_t errlen)
{
    const char *v = kv_get(&r->form, key);
    amount_kind k;
    *satang = 0;
    if (!v)
        return 0;
    k = thai_amount_parse(v, strlen(v), satang);
    if (k == AMOUNT_EMPTY)
        return 0;
    if (k != AMOUNT_VALUE) {
        snprintf(err, errlen,
                 "%s: อ่านจำนวนเงินไม่ได้ ให้ใส่ตัวเลข เช่น 546,200 / %s: not an amount; write a "
                 "number such as 546,200",
                 label, key);
        return -1;
    }
    return 1;
}

static json_t *allocation_json(const plan_doc *p)
{
    json_t *o = json_object(), *u = json_object();
    json_object_set_new(o, "allocated_satang",
                        p->has_allocation ? json_integer(p->allocated) : json_null());
    for (size_t i = 0; i < p->nunit_alloc; i++)
        json_object_set_new(u, p->unit_alloc[i].unit, json_integer(p->unit_alloc[i].satang));
    json_object_set_new(o, "units", u);
    return o;
}

/* "version N is S: only drafts can change", as a 409 page. */
static void refuse_not_draft(http_req *r, int64_t vid, const char *status)
{
    char th[256], en[256];
    snprintf(th, sizeof th, "ฉบับที่ %lld อยู่ในสถานะ%s แก้ไขได้เฉพาะฉบับร่าง", (long long)vid,
             status_th(status));
    snprintf(en, sizeof en, "version %lld is %s: only drafts can change", (long long)vid,
             status);
    web_error(r, 409, th, en);
}

static void version_allocation(http_req *r, int64_t vid, int64_t agency)
{
    char err[1024], status[16];
    int64_t total, sat[UNITS_MAX];
    const char *name[UNITS_MAX];
    int has[UNITS_MAX], nunits = 0;
    plan_doc *p, *after;
    int rc;
    json_t *ov, *nv;
    char *entity;
    bool ok;

    if (!web_can_plan(r)) {
        web_error(r, 403, "บันทึกงบประมาณที่ได้รับจัดสรรได้เฉพาะนักวิเคราะห์แผนหรือผู้ดูแลระบบ",
                  "only a planner or an admin may record the allocation");
        return;
    }
    /* read the whole form before touching anything */
    if ((rc = amount_field(r, "allocated", "งบประมาณที่ได้รับจัดสรร", &total, err, sizeof err)) <
        0) {
        web_error(r, 400, err, err);
        return;
    }
    for (; nunits < UNITS_MAX; nunits++) {
        char kn[24], ka[24];
        snprintf(kn, sizeof kn, "un%d", nunits);
        snprintf(ka, sizeof ka, "ua%d", nunits);
        if (!(name[nunits] = kv_get(&r->form, kn)))
            break;
        if ((has[nunits] = amount_field(r, ka, name[nunits], &sat[nunits], err, sizeof err)) <
            0) {
            web_error(r, 400, err, err);
            return;
        }
    }
    if (store_begin(r->st, err, sizeof err) != 0) {
        web_error(r, 503, "ฐานข้อมูลไม่ว่าง โปรดลองอีกครั้ง", err);
        return;
    }
    store_version_status(r->st, vid, status);
    if (strcmp(status, "draft") != 0) {
        store_rollback(r->st);
        refuse_not_draft(r, vid, status);
        return;
    }
    if (!(p = store_version_load(r->st, vid, err, sizeof err))) {
        store_rollback(r->st);
        web_error(r, 404, "ไม่พบฉบับของแผนนี้", "no such plan version");
        return;
    }
    /* the overall amount: a number sets it, an empty field clears it, no
    ** field at all leaves it as it is; an empty unit field changes nothing */
    ok = !kv_find(&r->form, "allocated") ||
         store_version_set_allocation(r->st, vid, rc ? total : -1, err, sizeof err) == 0;
    for (int i = 0; ok && i < nunits; i++)
        if (has[i] && store_version_set_unit_allocation(r->st, agency, vid, name[i], sat[i], err,
                                                        sizeof err) != 0)
            ok = false;
    if (!ok) {
        store_rollback(r->st);
        plan_free(p);
        change_failed(r, 400, "บันทึกไม่สำเร็จ ไม่มีสิ่งใดเปลี่ยนแปลง", "not saved, nothing changed", err);
        return;
    }
    if (!(after = store_version_load(r->st, vid, err, sizeof err)))
        panic("%s", err);
    ov = allocation_json(p);
    nv = allocation_json(after);
    entity = xasprintf("version %lld", (long long)vid);
    audit_json(r, "version.allocation", entity, ov, nv);
    free(entity);
    json_decref(ov);
    json_decref(nv);
    plan_free(after);
    plan_free(p);
    if (store_commit(r->st, err, sizeof err) != 0) {
        store_rollback(r->st);
        web_error(r, 503, "บันทึกไม่สำเร็จ ไม่มีสิ่งใดเปลี่ยนแปลง โปรดลองอีกครั้ง", err);
        return;
    }
    to_version(r, vid);
}

/* ---- POST /versions/{id}/reason ------------------------------------------------------------------ */

static project *project_by_id(plan_doc *p, int64_t id)
{
    for (size_t i = 0; i < p->nprojects; i++)
        if (p->projects[i].id == id)
            return &p->projects[i];
    return NULL;
}

static void version_reason(http_req *r, int64_t vid)
{
    char err[1024], status[16];
    const char *ps = kv_get(&r->form, "project");
    int64_t pid = ps ? atoll(ps) : 0;
    plan_doc *p;
    project *pr;
    char *reason, *entity;
    json_t *ov, *nv;
    bool ok;

    if (!(reason = form_text(r, "reason", "เหตุผล", REASON_MAX, err, sizeof err))) {
        web_error(r, 400, err, err);
        return;
    }
    if (store_begin(r->st, err, sizeof err) != 0) {
        free(reason);
        web_error(r, 503, "ฐานข้อมูลไม่ว่าง โปรดลองอีกครั้ง", err);
        return;
    }
    p = pid > 0 && store_project_version_of(r->st, pid) == vid
            ? store_version_load(r->st, vid, err, sizeof err)
            : NULL;
    if (!p || !(pr = project_by_id(p, pid))) {
        store_rollback(r->st);
        plan_free(p);
        free(reason);
        web_error(r, 404, "ไม่พบโครงการนี้ในฉบับนี้", "no such project in this version");
        return;
    }
    if (!web_can_edit_project(r, pr)) {
        store_rollback(r->st);
        plan_free(p);
        free(reason);
        web_error(r, 403, "บันทึกเหตุผลได้เฉพาะโครงการของกลุ่มตนเอง (หรือนักวิเคราะห์แผน)",
                  "you may record reasons only for your own unit's projects");
        return;
    }
    store_version_status(r->st, vid, status);
    if (strcmp(status, "draft") != 0) {
        store_rollback(r->st);
        plan_free(p);
        free(reason);
        refuse_not_draft(r, vid, status);
        return;
    }
    ok = store_project_set_reason(r->st, pid, *reason ? reason : NULL, err, sizeof err) == 0;
    if (ok) {
        ov = json_pack("{s:s?}", "change_reason", pr->change_reason);
        nv = json_pack("{s:s?}", "change_reason", *reason ? reason : NULL);
        entity = xasprintf("project %d (id %lld) of version %lld", pr->no, (long long)pid,
                           (long long)vid);
        audit_json(r, "project.reason", entity, ov, nv);
        json_decref(ov);
        json_decref(nv);
        free(entity);
        ok = store_commit(r->st, err, sizeof err) == 0;
    }
    if (!ok)
        store_rollback(r->st);
    free(reason);
    plan_free(p);
    if (!ok) {
        change_failed(r, 409, "บันทึกไม่สำเร็จ ไม่มีสิ่งใดเปลี่ยนแปลง", "not saved, nothing changed", err);
        return;
    }
    to_version(r, vid);
}

void web_life_versions_post(http_req *r)
{
    const char *rest = r->path + strlen("/versions/"), *word = NULL;
    int64_t agency = life_agency(r), vid;
    const life_move *m;
    if (!web_check_csrf(r))
        return;
    if (strcmp(rest, "new") == 0) {
        revision_new(r, agency);
        return;
    }
    vid = path_id(rest, &word);
    if (!vid || store_version_agency(r->st, vid) != agency) {
        web_error(r, 404, "ไม่พบฉบับของแผนนี้", "no such plan version");
        return;
    }
    if ((m = move_find(word)))
        version_move(r, vid, agency, m);
    else if (strcmp(word, "allocation") == 0)
        version_allocation(r, vid, agency);
    else if (strcmp(word, "reason") == 0)
        version_reason(r, vid);
    else
        web_error(r, 404, "ไม่พบหน้านี้", "not found");
}

/* ---- GET /versions --------------------------------------------------------------------------------- */

static void log_table(buf *b, const transition *t, size_t nt)
{
    if (!nt) {
        html_lit(b, "<p>ยังไม่มีบันทึกการเสนอและอนุมัติ</p>");
        return;
    }
    html_lit(b, "<div class=\"tablewrap\"><table class=\"list log\"><thead><tr>"
                "<th>สถานะ</th><th>ผู้ดำเนินการ</th><th>บทบาท</th><th>เมื่อ</th>"
                "<th>ความเห็น</th><th>SHA-256</th></tr></thead><tbody>");
    for (size_t i = 0; i < nt; i++) {
        int rk = role_from_key(t[i].role);
        char h12[13];
        snprintf(h12, sizeof h12, "%.12s", t[i].sha256);
        html_fmt(b, "<tr><td>%s → %s</td><td>%s <small>(<code>%s</code>)</small>",
                 status_th(t[i].from), status_th(t[i].to), t[i].name, t[i].login);
        if (*t[i].position)
            html_fmt(b, "<br><small>%s</small>", t[i].position);
        html_fmt(b, "</td><td>%s</td><td>", rk >= 0 ? role_th((role)rk) : t[i].role);
        when_html(b, t[i].at);
        html_fmt(b, "</td><td>%s</td><td><code title=\"%s\">%s</code></td></tr>",
                 t[i].comment ? t[i].comment : "-", t[i].sha256, h12);
    }
    html_lit(b, "</tbody></table></div>");
}

static void verify_mark(buf *b, const plan_doc *p, const transition *t, size_t nt)
{
    char hash[65], h12[13];
    if (strcmp(p->status, "draft") == 0) {
        html_lit(b, "<p class=\"verify\">ฉบับร่างยังแก้ไขได้ จึงยังไม่ตรวจกับบันทึก</p>");
        return;
    }
    if (log_matches(t, nt, p, hash)) {
        html_lit(b, "<p class=\"verify finding info\" data-verify=\"ok\">✓ ตรงกับบันทึก "
                    "<small lang=\"en\">(matches the approval log)</small></p>");
        return;
    }
    snprintf(h12, sizeof h12, "%.12s", hash);
    html_fmt(b, "<p class=\"verify finding error sev-error\" role=\"alert\" "
                "data-verify=\"tampered\"><strong>✗ ถูกแก้ไขหลังบันทึก!</strong> "
                "เนื้อหาปัจจุบัน (SHA-256 <code>%s</code>) ไม่ตรงกับที่บันทึกไว้ในการเปลี่ยนสถานะครั้งล่าสุด "
                "<span lang=\"en\">(changed after its last recorded transition)</span></p>",
             h12);
}

/* The form of one move. */
static void move_form(http_req *r, int64_t vid, const life_move *m, size_t errors)
{
    buf *b = &r->out;
    bool ret = strcmp(m->to, "draft") == 0;
    html_fmt(b, "<form class=\"move\" method=\"post\" action=\"/versions/%lld/%s\">",
             (long long)vid, m->action);
    web_csrf_field(r);
    html_fmt(b, "<label>ความเห็น%s <textarea name=\"comment\" rows=\"2\"%s></textarea></label>",
             ret ? " (ต้องระบุเหตุผลที่ส่งกลับ)" : " (ถ้ามี)", ret ? " required" : "");
    if (errors) {
        html_fmt(b, "<p class=\"finding error\">แผนมีข้อผิดพลาด %zu รายการ ต้องแก้ก่อนเสนอ "
                    "(<a href=\"/plan?version=%lld#findings\">ดูผลการตรวจ</a>)</p>",
                 errors, (long long)vid);
        html_fmt(b, "<button type=\"submit\" disabled>%s</button></form>", m->button);
        return;
    }
    html_fmt(b, "<button type=\"submit\" name=\"move\" value=\"%s\">%s</button></form>", m->action,
             m->button);
}

/* Projects whose money differs from the version this one is based on
** (matched by number and name; a project not found there is new). */
static const project *base_match(const plan_doc *base, const project *pr)
{
    for (size_t i = 0; i < base->nprojects; i++)
        if (base->projects[i].no == pr->no && pr->name && base->projects[i].name &&
            strcmp(base->projects[i].name, pr->name) == 0)
            return &base->projects[i];
    return NULL;
}

static bool money_differs(const project *a, const project *b)
{
    if (!b || a->has_budget != b->has_budget || a->budget != b->budget)
        return true;
    for (int q = 0; q < 4; q++)
        if (a->q[q] != b->q[q])
            return true;
    return false;
}

static void changed_projects(http_req *r, const plan_doc *p)
{
    buf *b = &r->out;
    char err[512];
    plan_doc *base;
    bool draft = strcmp(p->status, "draft") == 0;
    int shown = 0;
    if (!p->based_on || !(base = store_version_load(r->st, p->based_on, err, sizeof err)))
        return;
    html_fmt(b, "<h3>โครงการที่งบประมาณต่างจากฉบับที่ %lld</h3>", (long long)p->based_on);
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i], *was = base_match(base, pr);
        if (!money_differs(pr, was))
            continue;
        if (!shown++)
            html_lit(b, "<div class=\"tablewrap\"><table class=\"list changes\"><thead><tr>"
                        "<th>ที่</th><th>โครงการ</th><th>เดิม (บาท)</th><th>ใหม่ (บาท)</th>"
                        "<th>เหตุผลของการเปลี่ยนแปลง</th></tr></thead><tbody>");
        html_fmt(b, "<tr id=\"c%lld\"><td>%d</td><td><a href=\"/project/%lld\">%s</a></td>",
                 (long long)pr->id, pr->no, (long long)pr->id, pr->name);
        if (!was)
            html_lit(b, "<td>(โครงการใหม่)</td>");
        else if (was->has_budget)
            html_fmt(b, "<td class=\"num\">%m</td>", was->budget);
        else
            html_lit(b, "<td>ไม่ใช้งบประมาณ</td>");
        if (pr->has_budget)
            html_fmt(b, "<td class=\"num\">%m</td><td>", pr->budget);
        else
            html_lit(b, "<td>ไม่ใช้งบประมาณ</td><td>");
        if (draft && web_can_edit_project(r, pr)) {
            html_fmt(b, "<form method=\"post\" action=\"/versions/%lld/reason\">",
                     (long long)p->version_id);
            web_csrf_field(r);
            html_fmt(b, "<input type=\"hidden\" name=\"project\" value=\"%lld\">"
                        "<label>เหตุผล <textarea name=\"reason\" rows=\"2\">%s</textarea></label>"
                        "<button type=\"submit\">บันทึกเหตุผล</button></form>",
                     (long long)pr->id, pr->change_reason ? pr->change_reason : "");
        } else {
            html_fmt(b, "%s", pr->change_reason && *pr->change_reason ? pr->change_reason
                                                                     : "(ยังไม่ระบุเหตุผล)");
        }
        html_lit(b, "</td></tr>");
    }
    if (shown)
        html_lit(b, "</tbody></table></div>");
    else
        html_lit(b, "<p>ไม่มีโครงการที่งบประมาณเปลี่ยนไป</p>");
    plan_free(base);
}

static void allocation_block(http_req *r, const plan_doc *p, int64_t agency)
{
    buf *b = &r->out;
    bool edit = strcmp(p->status, "draft") == 0 && web_can_plan(r);
    unit_registry units = {0};
    char err[512];
    if (!edit) {
        if (p->nunit_alloc) {
            html_lit(b, "<details><summary>งบประมาณที่ได้รับจัดสรรรายกลุ่ม</summary><ul>");
            for (size_t i = 0; i < p->nunit_alloc; i++)
                html_fmt(b, "<li>%s: %m บาท</li>", p->unit_alloc[i].unit,
                         p->unit_alloc[i].satang);
            html_lit(b, "</ul></details>");
        }
        return;
    }
    store_units_load(r->st, agency, &units, err, sizeof err);
    html_fmt(b, "<details class=\"allocation\"><summary>บันทึกงบประมาณที่ได้รับจัดสรร</summary>"
                "<form method=\"post\" action=\"/versions/%lld/allocation\">",
             (long long)p->version_id);
    web_csrf_field(r);
    {
        buf t;
        buf_init(&t, 0);
        if (p->has_allocation)
            money_format(&t, p->allocated, false);
        html_fmt(b, "<label>งบประมาณที่ได้รับจัดสรรทั้งหมด (บาท; เว้นว่าง = ยังไม่ได้รับจัดสรร) "
                    "<input name=\"allocated\" inputmode=\"decimal\" value=\"%s\"></label>",
                 t.s ? t.s : "");
        buf_free(&t);
    }
    html_lit(b, "<fieldset><legend>รายกลุ่ม (ถ้าแบ่ง; เว้นว่าง = ไม่เปลี่ยน)</legend>");
    for (size_t i = 0; i < units.n && i < UNITS_MAX; i++) {
        buf t;
        buf_init(&t, 0);
        for (size_t k = 0; k < p->nunit_alloc; k++)
            if (strcmp(p->unit_alloc[k].unit, units.v[i].name) == 0)
                money_format(&t, p->unit_alloc[k].satang, false);
        html_fmt(b, "<input type=\"hidden\" name=\"un%zu\" value=\"%s\">"
                    "<label>%s <input name=\"ua%zu\" inputmode=\"decimal\" value=\"%s\"></label>",
                 i, units.v[i].name, units.v[i].name, i, t.s ? t.s : "");
        buf_free(&t);
    }
    html_lit(b, "</fieldset><button type=\"submit\">บันทึกการจัดสรร</button></form></details>");
    unit_registry_free(&units);
}

static void version_section(http_req *r, const version_info *v, int64_t agency)
{
    buf *b = &r->out;
    char err[512];
    plan_doc *p = store_version_load(r->st, v->id, err, sizeof err);
    transition *t = NULL;
    size_t nt = 0;
    if (!p)
        return;
    store_transitions(r->st, v->id, &t, &nt);
    html_fmt(b, "<section class=\"version\" id=\"v%lld\"><h2>ฉบับที่ %lld · ครั้งที่ %d · %s "
                "<span class=\"status\" data-status=\"%s\">[%s]</span></h2>",
             (long long)v->id, (long long)v->id, v->revision, v->label, v->status,
             status_th(v->status));
    html_fmt(b, "<table class=\"list facts\"><tr><th>ปีงบประมาณ</th><td>พ.ศ. %d</td></tr>"
                "<tr><th>สร้างเมื่อ</th><td>",
             v->fiscal_year);
    when_html(b, v->created);
    if (p->based_on)
        html_fmt(b, "</td></tr><tr><th>ปรับปรุงจาก</th><td><a href=\"#v%lld\">ฉบับที่ %lld</a>",
                 (long long)p->based_on, (long long)p->based_on);
    html_fmt(b, "</td></tr><tr><th>เหตุผลของการปรับปรุง</th><td>%s</td></tr>"
                "<tr><th>งบประมาณรวม</th><td>%m บาท (%d โครงการ)</td></tr>"
                "<tr><th>งบประมาณที่ได้รับจัดสรร</th><td>",
             p->reason && *p->reason ? p->reason : "-", v->budget, v->nprojects);
    if (p->has_allocation)
        html_fmt(b, "%m บาท", p->allocated);
    else
        html_lit(b, "ยังไม่ระบุ");
    html_fmt(b, "</td></tr></table><p><a href=\"/plan?version=%lld\">ดูแผน</a> · "
                "<a href=\"/export/plan.pdf?version=%lld\">แผน (PDF)</a> · "
                "<a href=\"/export/memo.pdf?version=%lld\">บันทึกข้อความ (PDF)</a></p>",
             (long long)v->id, (long long)v->id, (long long)v->id);
    verify_mark(b, p, t, nt);
    allocation_block(r, p, agency);
    changed_projects(r, p);
    html_lit(b, "<h3>บันทึกการเสนอและอนุมัติ</h3>");
    log_table(b, t, nt);
    {
        bool any = false;
        for (size_t i = 0; i < ARRAY_LEN(moves); i++) {
            const life_move *m = &moves[i];
            size_t errors = 0;
            if (!move_role_ok(m, r->u.role) || !move_from_ok(m, v->status))
                continue;
            if (!any) {
                html_lit(b, "<div class=\"moves\"><h3>ดำเนินการ</h3>");
                any = true;
            }
            if (strcmp(m->to, "submitted") == 0) {
                findings fs = {0};
                web_checks(r, p, agency, &fs);
                errors = findings_count(&fs, SEV_ERROR);
                findings_free(&fs);
            }
            move_form(r, v->id, m, errors);
        }
        if (any)
            html_lit(b, "</div>");
    }
    html_lit(b, "</section>");
    store_transitions_free(t, nt);
    plan_free(p);
}

void web_life_versions(http_req *r)
{
    buf *b = &r->out;
    int64_t agency = life_agency(r), from = 0, busy = 0;
    version_info *v = NULL;
    size_t n = 0;
    char err[512];
    if (store_versions_list(r->st, agency, &v, &n, err, sizeof err) != 0)
        panic("%s", err);
    http_header(r, "Cache-Control", "no-store");
    web_page_begin(r, "ฉบับของแผน");
    html_lit(b, "<h1>ฉบับของแผนและการอนุมัติ</h1>"
                "<p>ร่าง → เสนอแล้ว → ตรวจแล้ว → อนุมัติแล้ว → เผยแพร่แล้ว · "
                "ฉบับที่พ้นร่างแล้วแก้ไขไม่ได้ ทุกการเปลี่ยนสถานะบันทึกลายนิ้วมือ SHA-256 ของเนื้อหาไว้</p>");
    from = revision_base(v, n, &busy);
    if (web_can_plan(r) && from && !busy) {
        html_lit(b, "<details class=\"new-revision\"><summary>สร้างฉบับปรับปรุงใหม่</summary>"
                    "<form method=\"post\" action=\"/versions/new\">");
        web_csrf_field(r);
        html_fmt(b, "<p>คัดลอกจากฉบับที่ %lld (ฉบับล่าสุดที่อนุมัติแล้ว) เป็นฉบับร่างใหม่</p>"
                    "<label>ชื่อฉบับ <small>(เว้นว่าง = ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร "
                    "ครั้งที่ …)</small> <input name=\"label\" maxlength=\"%d\"></label>"
                    "<label>เหตุผลของการปรับปรุง <textarea name=\"reason\" rows=\"2\" required>"
                    "</textarea></label><button type=\"submit\">สร้างฉบับปรับปรุง</button></form>"
                    "</details>",
                 (long long)from, LABEL_MAX);
    } else if (web_can_plan(r) && busy) {
        html_fmt(b, "<p class=\"notice\">ฉบับที่ %lld ยังดำเนินการอยู่ "
                    "สร้างฉบับปรับปรุงใหม่ได้เมื่อฉบับนั้นอนุมัติแล้ว</p>",
                 (long long)busy);
    }
    if (!n)
        html_lit(b, "<p>ยังไม่มีแผน ให้นำเข้าแผนก่อน (เมนู นำเข้า)</p>");
    for (size_t i = 0; i < n; i++)
        version_section(r, &v[i], agency);
    web_page_end(r);
    free(v);
}

/* ---- GET /inbox, POST /inbox/{id}/ack ------------------------------------------------------------- */

static const version_info *info_of(const version_info *v, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return &v[i];
    return NULL;
}

static void notice_links(buf *b, int64_t vid)
{
    html_fmt(b, "<a href=\"/export/plan.pdf?version=%lld\">แผนการใช้จ่ายงบประมาณ (PDF)</a> · "
                "<a href=\"/export/memo.pdf?version=%lld\">บันทึกข้อความ (PDF)</a> · "
                "<a href=\"/plan?version=%lld\">ดูแผน</a>",
             (long long)vid, (long long)vid, (long long)vid);
}

/* Notices to the user's unit. */
static void inbox_unit(http_req *r, const version_info *v, size_t nv)
{
    buf *b = &r->out;
    plan_notice *ns = NULL;
    size_t n = 0, shown = 0;
    html_fmt(b, "<h2>หนังสือเวียนถึง%s</h2>", r->u.unit);
    store_notices(r->st, 0, r->u.unit, &ns, &n);
    html_lit(b, "<ul class=\"notices\">");
    for (size_t i = 0; i < n; i++) {
        const version_info *vi = info_of(v, nv, ns[i].version);
        if (!vi) /* another agency's unit of the same name */
            continue;
        shown++;
        html_fmt(b, "<li id=\"n%lld\"><p><b>แจ้งเวียนฉบับที่ %lld</b> %s ปีงบประมาณ พ.ศ. %d "
                    "<small>(แจ้งเมื่อ ",
                 (long long)ns[i].id, (long long)vi->id, vi->label, vi->fiscal_year);
        when_html(b, ns[i].created);
        html_lit(b, ")</small></p><p>");
        notice_links(b, vi->id);
        html_lit(b, "</p>");
        if (*ns[i].acked_at) {
            html_fmt(b, "<p class=\"finding info\" data-acked=\"yes\">รับทราบแล้ว โดย %s เมื่อ ",
                     ns[i].acked_by);
            when_html(b, ns[i].acked_at);
            html_lit(b, "</p>");
        } else {
            html_fmt(b, "<form method=\"post\" action=\"/inbox/%lld/ack\">", (long long)ns[i].id);
            web_csrf_field(r);
            html_lit(b, "<button type=\"submit\">รับทราบ</button></form>");
        }
        html_lit(b, "</li>");
    }
    html_lit(b, "</ul>");
    if (!shown)
        html_lit(b, "<p>ยังไม่มีหนังสือเวียนถึงกลุ่มของคุณ</p>");
    free(ns);
}

/* Every unit's read receipt, per approved version (planners). */
static void inbox_receipts(http_req *r, const version_info *v, size_t nv)
{
    buf *b = &r->out;
    bool any = false;
    html_lit(b, "<h2>การรับทราบของทุกกลุ่ม</h2>");
    for (size_t k = 0; k < nv; k++) {
        plan_notice *ns = NULL;
        size_t n = 0, acked = 0;
        store_notices(r->st, v[k].id, NULL, &ns, &n);
        if (!n) {
            free(ns);
            continue;
        }
        any = true;
        for (size_t i = 0; i < n; i++)
            acked += *ns[i].acked_at != 0;
        html_fmt(b, "<section class=\"receipts\" id=\"r%lld\"><h3>ฉบับที่ %lld %s "
                    "<small>รับทราบแล้ว %zu จาก %zu กลุ่ม</small></h3><p>",
                 (long long)v[k].id, (long long)v[k].id, v[k].label, acked, n);
        notice_links(b, v[k].id);
        html_lit(b, "</p><div class=\"tablewrap\"><table class=\"list\"><thead><tr>"
                    "<th>กลุ่ม</th><th>แจ้งเมื่อ</th><th>รับทราบเมื่อ</th><th>โดย</th>"
                    "</tr></thead><tbody>");
        /* in the order the notices were made (the registry's) */
        for (size_t i = n; i-- > 0;) {
            html_fmt(b, "<tr data-unit=\"%s\"><td>%s</td><td>", ns[i].unit, ns[i].unit);
            when_html(b, ns[i].created);
            html_lit(b, "</td><td>");
            if (*ns[i].acked_at)
                when_html(b, ns[i].acked_at);
            else
                html_lit(b, "<span class=\"sev-error\">ยังไม่รับทราบ</span>");
            html_fmt(b, "</td><td>%s</td></tr>", *ns[i].acked_by ? ns[i].acked_by : "-");
        }
        html_lit(b, "</tbody></table></div></section>");
        free(ns);
    }
    if (!any)
        html_lit(b, "<p>ยังไม่มีฉบับที่อนุมัติและแจ้งเวียนแล้ว</p>");
}

void web_life_inbox(http_req *r)
{
    buf *b = &r->out;
    int64_t agency = life_agency(r);
    version_info *v = NULL;
    size_t n = 0;
    char err[512];
    if (store_versions_list(r->st, agency, &v, &n, err, sizeof err) != 0)
        panic("%s", err);
    http_header(r, "Cache-Control", "no-store");
    web_page_begin(r, "หนังสือเวียน");
    html_lit(b, "<h1>หนังสือเวียน (แจ้งเวียน)</h1>");
    if (*r->u.unit)
        inbox_unit(r, v, n);
    if (web_can_plan(r))
        inbox_receipts(r, v, n);
    if (!*r->u.unit && !web_can_plan(r))
        html_lit(b, "<p>หนังสือเวียนส่งถึงกลุ่ม บัญชีของคุณไม่ได้สังกัดกลุ่มใด "
                    "ดูเอกสารที่อนุมัติแล้วได้ที่ <a href=\"/versions\">ฉบับของแผน</a></p>");
    web_page_end(r);
    free(v);
}

void web_life_inbox_post(http_req *r)
{
    const char *word = NULL;
    int64_t id = path_id(r->path + strlen("/inbox/"), &word), agency = life_agency(r);
    plan_notice *ns = NULL, *hit = NULL;
    size_t n = 0;
    char err[512], th[700], en[700], *entity;
    json_t *nv;
    bool ok;
    if (!web_check_csrf(r))
        return;
    if (!id || strcmp(word, "ack") != 0) {
        web_error(r, 404, "ไม่พบหน้านี้", "not found");
        return;
    }
    if (!*r->u.unit) {
        web_error(r, 403, "รับทราบได้เฉพาะผู้ใช้ที่สังกัดกลุ่มที่ได้รับหนังสือเวียน",
                  "only a member of the notified unit may acknowledge");
        return;
    }
    store_notices(r->st, 0, r->u.unit, &ns, &n);
    for (size_t i = 0; i < n && !hit; i++)
        if (ns[i].id == id && store_version_agency(r->st, ns[i].version) == agency)
            hit = &ns[i];
    if (!hit) {
        free(ns);
        web_error(r, 404, "ไม่มีหนังสือเวียนนี้สำหรับกลุ่มของคุณ", "no such notice for your unit");
        return;
    }
    if (*hit->acked_at) {
        snprintf(th, sizeof th, "หนังสือเวียนนี้รับทราบแล้วโดย %s", hit->acked_by);
        snprintf(en, sizeof en, "this notice was already acknowledged by %s", hit->acked_by);
        free(ns);
        web_error(r, 409, th, en);
        return;
    }
    entity = xasprintf("notice %lld of version %lld to %s", (long long)id,
                       (long long)hit->version, hit->unit);
    nv = json_pack("{s:s}", "acked_by", r->u.login);
    ok = store_begin(r->st, err, sizeof err) == 0 &&
         store_notice_ack(r->st, id, r->u.unit, r->u.login, err, sizeof err) == 0;
    if (ok) {
        audit_json(r, "notice.ack", entity, NULL, nv);
        ok = store_commit(r->st, err, sizeof err) == 0;
    }
    if (!ok)
        store_rollback(r->st);
    json_decref(nv);
    free(entity);
    free(ns);
    if (!ok) {
        web_error(r, 409, err, err);
        return;
    }
    {
        char *loc = xasprintf("/inbox#n%lld", (long long)id);
        http_redirect(r, loc);
        free(loc);
    }
}
