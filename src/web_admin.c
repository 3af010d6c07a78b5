/*
** web_admin.c — the administrator's pages and the audit log:
**   /admin/users  people: add, change role and unit, set a new password
**   /admin/units  the agency's units (กลุ่ม) and their other spellings
**   /admin/ref    the national reference lists (read only here; `phaen ref
**                 load` replaces them)
**   /audit        the audit log, newest first, for every signed-in user;
**                 nobody can change it (the store's triggers refuse)
** Each change is one transaction with its audit entry. Passwords are never
** written to the audit log or the access log.
*/
#include "web.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "ref.h"
#include "unit.h"

#define AUDIT_PAGE 50
#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

/* ---- shared ------------------------------------------------------------------------------ */

static int64_t admin_agency(http_req *r)
{
    return r->u.agency ? r->u.agency : store_agency_default(r->st, NULL);
}

static bool require_admin(http_req *r)
{
    if (web_is_admin(r))
        return true;
    web_error(r, 403, "หน้านี้สำหรับผู้ดูแลระบบเท่านั้น", "administrators only");
    return false;
}

/* A form field as clean text: trimmed, spaces collapsed, UTF-8 checked,
** at most max bytes. Heap memory, or NULL with err naming the field. */
static char *field_text(http_req *r, const char *key, const char *label, size_t max,
                        bool required, char *err, size_t errlen)
{
    const kv *e = kv_find(&r->form, key);
    char *c;
    if (!e || !e->len) {
        if (required) {
            snprintf(err, errlen, "กรอก%s / %s is required", label, key);
            return NULL;
        }
        return xstrdup("");
    }
    if (!utf8_valid(e->value, e->len) || strlen(e->value) != e->len) {
        snprintf(err, errlen, "%s: ไม่ใช่ข้อความ UTF-8 / %s is not valid UTF-8 text", label, key);
        return NULL;
    }
    c = text_clean(e->value, e->len);
    if (required && !*c) {
        free(c);
        snprintf(err, errlen, "กรอก%s / %s is required", label, key);
        return NULL;
    }
    if (strlen(c) > max) {
        free(c);
        snprintf(err, errlen, "%s: ยาวเกิน %zu ไบต์ / %s is longer than %zu bytes", label, max,
                 key, max);
        return NULL;
    }
    return c;
}

/* Add an audit entry inside the caller's transaction: 0, or -1 with err. */
static int audit(http_req *r, const char *action, const char *entity, json_t *old_v,
                 json_t *new_v, char *err, size_t errlen)
{
    char *o = old_v ? json_dumps(old_v, JSON_COMPACT) : NULL;
    char *n = new_v ? json_dumps(new_v, JSON_COMPACT) : NULL;
    int rc = store_audit_add(r->st, r->u.id, r->u.login, action, entity, o, n, err, errlen);
    free(o);
    free(n);
    return rc;
}

static const unit_entry *unit_exact(const unit_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->n; i++)
        if (strcmp(reg->v[i].name, name) == 0)
            return &reg->v[i];
    return NULL;
}

/* ---- users ------------------------------------------------------------------------------------- */

/* What the add form showed, to show again after a mistake. */
typedef struct user_form {
    const char *login, *name, *role, *unit;
} user_form;

static void role_select(buf *b, const char *name, const char *selected)
{
    html_fmt(b, "<select name=\"%s\">", name);
    for (int i = 0; i < ROLE__MAX; i++)
        html_fmt(b, "<option value=\"%s\"%s>%s</option>", role_key((role)i),
                 selected && strcmp(selected, role_key((role)i)) == 0 ? " selected" : "",
                 role_th((role)i));
    html_lit(b, "</select>");
}

static void unit_select(buf *b, const unit_registry *units, const char *selected)
{
    html_lit(b, "<select name=\"unit\"><option value=\"\">— ไม่ระบุ —</option>");
    for (size_t i = 0; i < units->n; i++)
        html_fmt(b, "<option%s>%s</option>",
                 selected && strcmp(selected, units->v[i].name) == 0 ? " selected" : "",
                 units->v[i].name);
    html_lit(b, "</select>");
}

static void users_page(http_req *r, const char *error, const char *notice, const user_form *f)
{
    buf *b = &r->out;
    int64_t agency = admin_agency(r);
    unit_registry units = {0};
    user *us = NULL;
    size_t n = 0;
    char err[256];
    store_units_load(r->st, agency, &units, err, sizeof err);
    store_users_list(r->st, agency, &us, &n);
    http_header(r, "Cache-Control", "no-store");
    web_page_begin(r, "ผู้ใช้");
    html_lit(b, "<h1>ผู้ใช้</h1>");
    if (error)
        html_fmt(b, "<p class=\"finding error\" role=\"alert\">%s</p>", error);
    if (notice)
        html_fmt(b, "<p class=\"notice\" role=\"status\">%s</p>", notice);
    html_lit(b, "<div class=\"tablewrap\"><table class=\"list users\"><thead><tr>"
                "<th>ชื่อผู้ใช้</th><th>ชื่อ</th><th>บทบาท</th><th>กลุ่ม</th><th>สถานะ</th>"
                "<th>เปลี่ยนบทบาท / กลุ่ม</th><th>ตั้งรหัสผ่านใหม่</th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        const user *u = &us[i];
        html_fmt(b, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s",
                 u->login, u->name, role_th(u->role), *u->unit ? u->unit : "-",
                 u->active ? "ใช้งาน" : "ระงับ");
        /* suspend (signs out everywhere) or reinstate: not oneself */
        if (u->id != r->u.id) {
            html_lit(b, "<form method=\"post\" action=\"/admin/users\">");
            web_csrf_field(r);
            html_fmt(b, "<input type=\"hidden\" name=\"action\" value=\"active\">"
                        "<input type=\"hidden\" name=\"login\" value=\"%s\">"
                        "<input type=\"hidden\" name=\"active\" value=\"%d\">"
                        "<button type=\"submit\">%s</button></form>",
                     u->login, u->active ? 0 : 1, u->active ? "ระงับการใช้งาน" : "เปิดใช้งาน");
        }
        html_lit(b, "</td>");
        html_lit(b, "<td><form method=\"post\" action=\"/admin/users\">");
        web_csrf_field(r);
        html_fmt(b, "<input type=\"hidden\" name=\"action\" value=\"role\">"
                    "<input type=\"hidden\" name=\"login\" value=\"%s\">"
                    "<label>บทบาท ",
                 u->login);
        role_select(b, "role", role_key(u->role));
        html_lit(b, "</label><label>กลุ่ม (เฉพาะผู้แก้ไขของกลุ่ม) ");
        unit_select(b, &units, u->unit);
        html_lit(b, "</label><button type=\"submit\">บันทึก</button></form></td>"
                    "<td><form method=\"post\" action=\"/admin/users\">");
        web_csrf_field(r);
        html_fmt(b, "<input type=\"hidden\" name=\"action\" value=\"password\">"
                    "<input type=\"hidden\" name=\"login\" value=\"%s\">"
                    "<label>รหัสผ่านใหม่ <small>(เว้นว่าง = สุ่มให้)</small> "
                    "<input type=\"password\" name=\"password\" autocomplete=\"new-password\" "
                    "minlength=\"%d\"></label>"
                    "<button type=\"submit\">ตั้งรหัสผ่าน</button></form></td></tr>",
                 u->login, PASSWORD_MIN);
    }
    if (!n)
        html_lit(b, "<tr><td colspan=\"7\">ยังไม่มีผู้ใช้</td></tr>");
    html_lit(b, "</tbody></table></div>");

    html_lit(b, "<h2>เพิ่มผู้ใช้</h2><form class=\"project\" method=\"post\" "
                "action=\"/admin/users\">");
    web_csrf_field(r);
    html_fmt(b, "<input type=\"hidden\" name=\"action\" value=\"add\">"
                "<label>ชื่อผู้ใช้ (สำหรับเข้าสู่ระบบ: a-z 0-9 . _ - @) "
                "<input name=\"login\" required maxlength=\"63\" autocomplete=\"off\" "
                "value=\"%s\"></label>"
                "<label>ชื่อ-สกุล <input name=\"name\" required value=\"%s\"></label>"
                "<label>บทบาท ",
             f && f->login ? f->login : "", f && f->name ? f->name : "");
    role_select(b, "role", f && f->role ? f->role : "viewer");
    html_lit(b, "</label><label>กลุ่ม <small>(ต้องระบุเมื่อเป็นผู้แก้ไขของกลุ่ม)</small> ");
    unit_select(b, &units, f ? f->unit : NULL);
    html_fmt(b, "</label><label>รหัสผ่าน <small>(อย่างน้อย %d ตัวอักษร; เว้นว่าง = สุ่มให้ "
                "แล้วแสดงครั้งเดียว)</small> <input type=\"password\" name=\"password\" "
                "autocomplete=\"new-password\" minlength=\"%d\"></label>"
                "<button type=\"submit\">เพิ่มผู้ใช้</button></form>",
             PASSWORD_MIN, PASSWORD_MIN);
    web_page_end(r);
    free(us);
    unit_registry_free(&units);
}

void web_admin_users(http_req *r)
{
    if (!require_admin(r))
        return;
    users_page(r, NULL, NULL, NULL);
}

static bool login_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 63)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-' || *s == '@'))
            return false;
    return true;
}

/* The password field, or a generated one when it is empty (*generated).
** 0, or -1 with err. */
static int read_password(http_req *r, char *out, size_t outlen, bool *generated, char *err,
                         size_t errlen)
{
    const kv *e = kv_find(&r->form, "password");
    *generated = false;
    if (!e || !e->len) {
        char pw[17];
        auth_random_password(pw);
        snprintf(out, outlen, "%s", pw);
        *generated = true;
        return 0;
    }
    if (strlen(e->value) != e->len || !utf8_valid(e->value, e->len) || e->len < PASSWORD_MIN ||
        e->len > PASSWORD_MAX || e->len >= outlen) {
        snprintf(err, errlen,
                 "รหัสผ่านต้องยาว %d ถึง %d ไบต์ / the password must be %d to %d bytes long",
                 PASSWORD_MIN, PASSWORD_MAX, PASSWORD_MIN, PASSWORD_MAX);
        return -1;
    }
    memcpy(out, e->value, e->len + 1);
    return 0;
}

/* Role and unit from the form: 0, or -1 with err. The unit is required
** for unit editors and must be one of the agency's; others get none. */
static int read_role_unit(http_req *r, const unit_registry *units, role *rl, const char **unit,
                          char *err, size_t errlen)
{
    const char *rk = kv_get(&r->form, "role"), *u = kv_get(&r->form, "unit");
    int k = role_from_key(rk);
    const unit_entry *ue;
    if (k < 0) {
        snprintf(err, errlen, "เลือกบทบาท / choose a role");
        return -1;
    }
    *rl = (role)k;
    *unit = NULL;
    if (*rl != ROLE_UNIT_EDITOR)
        return 0;
    if (!u || !*u) {
        snprintf(err, errlen,
                 "ผู้แก้ไขของกลุ่มต้องมีกลุ่ม ให้เลือกกลุ่ม / a unit editor needs a unit; choose one");
        return -1;
    }
    if (!(ue = unit_exact(units, u))) {
        snprintf(err, errlen, "ไม่มีกลุ่ม '%s' ในทะเบียน / no unit '%s' in the registry", u, u);
        return -1;
    }
    *unit = ue->name;
    return 0;
}

/* The user named by the form's login, in the admin's agency. */
static int target_user(http_req *r, int64_t agency, user *u, char *err, size_t errlen)
{
    const char *login = kv_get(&r->form, "login");
    if (!login || store_user_get(r->st, login, u, NULL, 0) != 0 || u->agency != agency) {
        snprintf(err, errlen, "ไม่พบผู้ใช้นี้ในหน่วยงานของคุณ / no such user in your agency");
        return -1;
    }
    return 0;
}

static void users_fail(http_req *r, const char *msg, const user_form *f)
{
    buf_reset(&r->out);
    r->status = 400;
    users_page(r, msg, NULL, f);
}

static void user_add(http_req *r, int64_t agency, const unit_registry *units)
{
    char err[512], pw[PASSWORD_MAX + 1], hash[AUTH_HASH_MAX];
    char *login = NULL, *name = NULL;
    const char *unit;
    bool generated;
    role rl;
    user_form f = {kv_get(&r->form, "login"), kv_get(&r->form, "name"), kv_get(&r->form, "role"),
                   kv_get(&r->form, "unit")};
    json_t *nv;
    int rc;

    if (!(login = field_text(r, "login", "ชื่อผู้ใช้", 63, true, err, sizeof err)))
        goto bad;
    if (!login_ok(login)) {
        snprintf(err, sizeof err,
                 "ชื่อผู้ใช้ยาว 2-63 ตัว ใช้ได้เฉพาะ a-z A-Z 0-9 . _ - @ / the login must be 2-63 "
                 "characters of a-z A-Z 0-9 . _ - @");
        goto bad;
    }
    if (!(name = field_text(r, "name", "ชื่อ-สกุล", 159, true, err, sizeof err)))
        goto bad;
    if (read_role_unit(r, units, &rl, &unit, err, sizeof err) != 0 ||
        read_password(r, pw, sizeof pw, &generated, err, sizeof err) != 0)
        goto bad;
    if (auth_hash_password(pw, hash) != 0)
        panic("password hash: out of memory");
    nv = json_pack("{s:s,s:s,s:s,s:s}", "login", login, "name", name, "role", role_key(rl),
                   "unit", unit ? unit : "");
    rc = store_begin(r->st, err, sizeof err);
    if (rc == 0 && (!store_user_add(r->st, agency, login, name, hash, rl, unit, err, sizeof err) ||
                    audit(r, "user.add", login, NULL, nv, err, sizeof err) != 0 ||
                    store_commit(r->st, err, sizeof err) != 0)) {
        store_rollback(r->st);
        rc = -1;
    }
    json_decref(nv);
    if (rc != 0)
        goto bad;
    {
        char *msg = generated
                        ? xasprintf("เพิ่มผู้ใช้ %s แล้ว รหัสผ่านคือ %s (แสดงครั้งเดียว ให้ส่งแก่ผู้ใช้"
                                    "ทางช่องทางที่ปลอดภัย)",
                                    login, pw)
                        : xasprintf("เพิ่มผู้ใช้ %s แล้ว", login);
        users_page(r, NULL, msg, NULL);
        free(msg);
    }
    explicit_bzero(pw, sizeof pw);
    free(login);
    free(name);
    return;
bad:
    explicit_bzero(pw, sizeof pw);
    users_fail(r, err, &f);
    free(login);
    free(name);
}

/* The end of a change to a user that the caller made after store_begin()
** (changed: 0, or -1 with err): the audit entry and the commit, or the
** rollback; ov and nv are released. 0, or -1 once the users page says why. */
static int user_change_end(http_req *r, int changed, const char *action, const char *login,
                           json_t *ov, json_t *nv, char *err, size_t errlen)
{
    int rc = changed;
    if (rc == 0 && (audit(r, action, login, ov, nv, err, errlen) != 0 ||
                    store_commit(r->st, err, errlen) != 0))
        rc = -1;
    if (rc != 0)
        store_rollback(r->st);
    json_decref(ov);
    json_decref(nv);
    if (rc != 0)
        users_fail(r, err, NULL);
    return rc;
}

static void user_role(http_req *r, int64_t agency, const unit_registry *units)
{
    char err[512];
    user u;
    role rl;
    const char *unit;
    json_t *ov, *nv;
    int rc;
    char *msg;
    if (target_user(r, agency, &u, err, sizeof err) != 0 ||
        read_role_unit(r, units, &rl, &unit, err, sizeof err) != 0) {
        users_fail(r, err, NULL);
        return;
    }
    if (u.id == r->u.id && rl != ROLE_ADMIN) {
        users_fail(r,
                   "เปลี่ยนบทบาทของตนเองจากผู้ดูแลระบบไม่ได้ (จะไม่มีใครดูแลระบบ) ให้ผู้ดูแลคนอื่นทำ / "
                   "you cannot remove your own administrator role; ask another administrator",
                   NULL);
        return;
    }
    ov = json_pack("{s:s,s:s}", "role", role_key(u.role), "unit", u.unit);
    nv = json_pack("{s:s,s:s}", "role", role_key(rl), "unit", unit ? unit : "");
    rc = store_begin(r->st, err, sizeof err);
    if (rc == 0)
        rc = store_user_set_role(r->st, u.login, rl, unit, err, sizeof err);
    if (user_change_end(r, rc, "user.role", u.login, ov, nv, err, sizeof err) != 0)
        return;
    msg = xasprintf("%s เป็น%sแล้ว%s%s", u.login, role_th(rl), unit ? " กลุ่ม " : "",
                    unit ? unit : "");
    users_page(r, NULL, msg, NULL);
    free(msg);
}

/* action=active: suspend (active=0; the user is signed out everywhere) or
** reinstate (active=1) someone else. */
static void user_active(http_req *r, int64_t agency)
{
    char err[512];
    user u;
    const char *a = kv_get(&r->form, "active");
    bool on;
    json_t *ov, *nv;
    int rc;
    char *msg;
    if (target_user(r, agency, &u, err, sizeof err) != 0) {
        users_fail(r, err, NULL);
        return;
    }
    if (!a || (strcmp(a, "0") != 0 && strcmp(a, "1") != 0)) {
        users_fail(r, "active ต้องเป็น 0 (ระงับ) หรือ 1 (เปิดใช้) / active must be 0 or 1", NULL);
        return;
    }
    on = strcmp(a, "1") == 0;
    if (u.id == r->u.id) {
        users_fail(r,
                   "ระงับบัญชีของตนเองไม่ได้ ให้ผู้ดูแลคนอื่นทำ / you cannot suspend yourself; ask "
                   "another administrator",
                   NULL);
        return;
    }
    ov = json_pack("{s:b}", "active", u.active);
    nv = json_pack("{s:b}", "active", on);
    rc = store_begin(r->st, err, sizeof err);
    if (rc == 0)
        rc = store_user_set_active(r->st, u.login, on, err, sizeof err);
    if (user_change_end(r, rc, on ? "user.enable" : "user.disable", u.login, ov, nv, err,
                        sizeof err) != 0)
        return;
    msg = on ? xasprintf("เปิดใช้งาน %s แล้ว", u.login)
             : xasprintf("ระงับการใช้งาน %s แล้ว และออกจากระบบทุกที่", u.login);
    users_page(r, NULL, msg, NULL);
    free(msg);
}

static void user_password(http_req *r, int64_t agency)
{
    char err[512], pw[PASSWORD_MAX + 1], hash[AUTH_HASH_MAX];
    bool generated;
    user u;
    json_t *nv;
    int rc;
    if (target_user(r, agency, &u, err, sizeof err) != 0 ||
        read_password(r, pw, sizeof pw, &generated, err, sizeof err) != 0) {
        users_fail(r, err, NULL);
        return;
    }
    if (auth_hash_password(pw, hash) != 0)
        panic("password hash: out of memory");
    /* the audit entry says that it changed, never what it is */
    nv = json_pack("{s:b}", "generated", generated);
    rc = store_begin(r->st, err, sizeof err);
    if (rc == 0)
        rc = store_user_set_password(r->st, u.login, hash, err, sizeof err);
    if (user_change_end(r, rc, "user.password", u.login, NULL, nv, err, sizeof err) != 0) {
        explicit_bzero(pw, sizeof pw);
        return;
    }
    {
        char *msg = generated ? xasprintf("ตั้งรหัสผ่านใหม่ของ %s แล้ว รหัสผ่านคือ %s "
                                          "(แสดงครั้งเดียว ให้ส่งแก่ผู้ใช้ทางช่องทางที่ปลอดภัย)",
                                          u.login, pw)
                              : xasprintf("ตั้งรหัสผ่านใหม่ของ %s แล้ว", u.login);
        users_page(r, NULL, msg, NULL);
        explicit_bzero(msg, strlen(msg));
        free(msg);
    }
    explicit_bzero(pw, sizeof pw);
}

void web_admin_users_post(http_req *r)
{
    const char *action;
    int64_t agency;
    unit_registry units = {0};
    char err[256];
    if (!require_admin(r) || !web_check_csrf(r))
        return;
    agency = admin_agency(r);
    if (!agency) {
        users_fail(r, "ยังไม่มีหน่วยงาน ให้นำเข้าแผนก่อน / no agency yet: import a plan first", NULL);
        return;
    }
    action = kv_get(&r->form, "action");
    store_units_load(r->st, agency, &units, err, sizeof err);
    if (action && strcmp(action, "add") == 0)
        user_add(r, agency, &units);
    else if (action && strcmp(action, "role") == 0)
        user_role(r, agency, &units);
    else if (action && strcmp(action, "password") == 0)
        user_password(r, agency);
    else if (action && strcmp(action, "active") == 0)
        user_active(r, agency);
    else
        users_fail(r, "คำสั่งไม่ถูกต้อง / unknown action", NULL);
    unit_registry_free(&units);
}

/* ---- units ---------------------------------------------------------------------------------------- */

static void units_page(http_req *r, const char *error, const char *notice, const char *f_name,
                       const char *f_unit, const char *f_alias)
{
    buf *b = &r->out;
    unit_registry units = {0};
    char err[256];
    store_units_load(r->st, admin_agency(r), &units, err, sizeof err);
    http_header(r, "Cache-Control", "no-store");
    web_page_begin(r, "หน่วยงาน");
    html_lit(b, "<h1>หน่วยงาน (กลุ่ม) และชื่อเรียกอื่น</h1>"
                "<p>ชื่อเรียกอื่นคือการสะกดแบบอื่นที่พบในเอกสาร (เช่น ที่อ่านผิดจาก PDF) "
                "การนำเข้าจะจับคู่ชื่อเหล่านี้กับกลุ่มให้</p>");
    if (error)
        html_fmt(b, "<p class=\"finding error\" role=\"alert\">%s</p>", error);
    if (notice)
        html_fmt(b, "<p class=\"notice\" role=\"status\">%s</p>", notice);
    html_lit(b, "<table class=\"list units\"><thead><tr><th>กลุ่ม</th><th>ชื่อเรียกอื่น</th>"
                "</tr></thead><tbody>");
    for (size_t i = 0; i < units.n; i++) {
        const unit_entry *u = &units.v[i];
        html_fmt(b, "<tr><td>%s</td><td>", u->name);
        if (!u->aliases.n)
            html_lit(b, "-");
        for (size_t k = 0; k < u->aliases.n; k++)
            html_fmt(b, "%s<q>%s</q>", k ? ", " : "", u->aliases.v[k]);
        html_lit(b, "</td></tr>");
    }
    if (!units.n)
        html_lit(b, "<tr><td colspan=\"2\">ยังไม่มีหน่วยงาน</td></tr>");
    html_lit(b, "</tbody></table>");

    html_lit(b, "<h2>เพิ่มกลุ่ม</h2><form class=\"project\" method=\"post\" "
                "action=\"/admin/units\">");
    web_csrf_field(r);
    html_fmt(b, "<input type=\"hidden\" name=\"action\" value=\"unit\">"
                "<label>ชื่อกลุ่ม <input name=\"name\" required maxlength=\"255\" "
                "value=\"%s\"></label><button type=\"submit\">เพิ่มกลุ่ม</button></form>",
             f_name ? f_name : "");

    html_lit(b, "<h2>เพิ่มชื่อเรียกอื่น</h2><form class=\"project\" method=\"post\" "
                "action=\"/admin/units\">");
    web_csrf_field(r);
    html_lit(b, "<input type=\"hidden\" name=\"action\" value=\"alias\">"
                "<label>กลุ่ม <select name=\"unit\" required>");
    for (size_t i = 0; i < units.n; i++)
        html_fmt(b, "<option%s>%s</option>",
                 f_unit && strcmp(f_unit, units.v[i].name) == 0 ? " selected" : "",
                 units.v[i].name);
    html_fmt(b, "</select></label><label>ชื่อเรียกอื่น (ตามที่เขียนในเอกสาร) "
                "<input name=\"alias\" required maxlength=\"255\" value=\"%s\"></label>"
                "<button type=\"submit\">เพิ่มชื่อเรียกอื่น</button></form>",
             f_alias ? f_alias : "");
    web_page_end(r);
    unit_registry_free(&units);
}

void web_admin_units(http_req *r)
{
    if (!require_admin(r))
        return;
    units_page(r, NULL, NULL, NULL, NULL, NULL);
}

/* The unit or alias a name already means (NULL = free). */
static const unit_entry *name_taken(const unit_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->n; i++) {
        if (text_equal_nospace(reg->v[i].name, name))
            return &reg->v[i];
        for (size_t k = 0; k < reg->v[i].aliases.n; k++)
            if (text_equal_nospace(reg->v[i].aliases.v[k], name))
                return &reg->v[i];
    }
    return NULL;
}

void web_admin_units_post(http_req *r)
{
    const char *action = kv_get(&r->form, "action");
    const char *f_name = kv_get(&r->form, "name"), *f_unit = kv_get(&r->form, "unit"),
               *f_alias = kv_get(&r->form, "alias");
    char err[512];
    char *name = NULL, *alias = NULL, *msg = NULL;
    int64_t agency;
    unit_registry units = {0};
    const unit_entry *ue;
    json_t *nv = NULL;
    int rc;

    if (!require_admin(r) || !web_check_csrf(r))
        return;
    if (!(agency = admin_agency(r))) {
        snprintf(err, sizeof err, "ยังไม่มีหน่วยงาน ให้นำเข้าแผนก่อน / no agency yet: import a plan first");
        goto bad;
    }
    store_units_load(r->st, agency, &units, err, sizeof err);
    if (action && strcmp(action, "unit") == 0) {
        if (!(name = field_text(r, "name", "ชื่อกลุ่ม", 255, true, err, sizeof err)))
            goto bad;
        if ((ue = name_taken(&units, name))) {
            snprintf(err, sizeof err,
                     "'%s' มีอยู่แล้ว (เป็นชื่อหรือชื่อเรียกอื่นของ %s) / '%s' already exists (as "
                     "%s or one of its other names)",
                     name, ue->name, name, ue->name);
            goto bad;
        }
        nv = json_pack("{s:s}", "name", name);
        rc = store_begin(r->st, err, sizeof err);
        if (rc == 0 && (store_unit_add(r->st, agency, name, err, sizeof err) != 0 ||
                        audit(r, "unit.add", name, NULL, nv, err, sizeof err) != 0 ||
                        store_commit(r->st, err, sizeof err) != 0)) {
            store_rollback(r->st);
            rc = -1;
        }
        if (rc != 0)
            goto bad;
        msg = xasprintf("เพิ่มกลุ่ม %s แล้ว", name);
    } else if (action && strcmp(action, "alias") == 0) {
        const unit_entry *u = f_unit ? unit_exact(&units, f_unit) : NULL;
        if (!u) {
            snprintf(err, sizeof err, "เลือกกลุ่มจากรายการ / choose a unit from the list");
            goto bad;
        }
        if (!(alias = field_text(r, "alias", "ชื่อเรียกอื่น", 255, true, err, sizeof err)))
            goto bad;
        if ((ue = name_taken(&units, alias))) {
            snprintf(err, sizeof err,
                     "'%s' หมายถึง %s อยู่แล้ว / '%s' already means %s", alias, ue->name, alias,
                     ue->name);
            goto bad;
        }
        nv = json_pack("{s:s,s:s}", "unit", u->name, "alias", alias);
        rc = store_begin(r->st, err, sizeof err);
        if (rc == 0 && (store_unit_alias(r->st, agency, u->name, alias, err, sizeof err) != 0 ||
                        audit(r, "unit.alias", u->name, NULL, nv, err, sizeof err) != 0 ||
                        store_commit(r->st, err, sizeof err) != 0)) {
            store_rollback(r->st);
            rc = -1;
        }
        if (rc != 0)
            goto bad;
        msg = xasprintf("เพิ่มชื่อเรียกอื่น '%s' ของ %s แล้ว", alias, u->name);
    } else {
        snprintf(err, sizeof err, "คำสั่งไม่ถูกต้อง / unknown action");
        goto bad;
    }
    units_page(r, NULL, msg, NULL, NULL, NULL);
    goto done;
bad:
    buf_reset(&r->out);
    r->status = 400;
    units_page(r, err, NULL, f_name, f_unit, f_alias);
done:
    json_decref(nv);
    free(msg);
    free(name);
    free(alias);
    unit_registry_free(&units);
}

/* ---- reference lists ----------------------------------------------------------------------------- */

void web_admin_ref(http_req *r)
{
    buf *b = &r->out;
    char err[512];
    refdata *ref;
    if (!require_admin(r))
        return;
    if (!(ref = store_ref_load(r->st, err, sizeof err))) {
        web_error(r, 500, "อ่านรายการอ้างอิงไม่ได้", err);
        return;
    }
    web_page_begin(r, "รายการอ้างอิง");
    html_lit(b, "<h1>รายการอ้างอิงระดับชาติ</h1>"
                "<p>รหัสในช่องความสอดคล้องทั้งเจ็ดช่องตรวจกับรายการเหล่านี้ รายการที่ "
                "<b>ครบถ้วน</b> เท่านั้นที่ระบบจะรายงานรหัสที่ไม่มีในรายการว่าผิด "
                "เปลี่ยนรายการได้ด้วยคำสั่ง <code>phaen ref load</code></p><nav><ul>");
    for (int f = 0; f < ALIGN__MAX; f++)
        html_fmt(b, "<li><a href=\"#%s\">%s</a> <small lang=\"en\">%s</small></li>",
                 align_key((align_field)f), align_header_th((align_field)f),
                 align_name_en((align_field)f));
    html_lit(b, "</ul></nav>");
    for (int f = 0; f < ALIGN__MAX; f++) {
        const ref_list *l = &ref->lists[f];
        bool parent = false;
        for (size_t i = 0; i < l->n; i++)
            parent |= l->v[i].parent && *l->v[i].parent;
        html_fmt(b, "<section id=\"%s\"><h2>%s <small lang=\"en\">%s</small></h2>"
                    "<p>%s · %zu รายการ · ที่มา: %s</p>",
                 align_key((align_field)f), align_header_th((align_field)f),
                 align_name_en((align_field)f),
                 l->complete ? "ครบถ้วน (complete)" : "ไม่ครบถ้วน (รหัสที่ไม่มีในรายการไม่ถือว่าผิด)",
                 l->n, l->source && *l->source ? l->source : "-");
        if (!l->n) {
            html_lit(b, "<p>ไม่มีรายการ</p></section>");
            continue;
        }
        html_lit(b, "<div class=\"tablewrap\"><table class=\"list ref\"><thead><tr><th>รหัส</th>"
                    "<th>ชื่อ</th><th lang=\"en\">English</th>");
        if (parent)
            html_lit(b, "<th>ย.ชาติ ที่เกี่ยวข้อง</th>");
        html_lit(b, "</tr></thead><tbody>");
        for (size_t i = 0; i < l->n; i++) {
            const ref_item *it = &l->v[i];
            html_fmt(b, "<tr><td><code>%s</code></td><td>%s</td><td lang=\"en\">%s</td>", it->code,
                     it->title_th ? it->title_th : "", it->title_en ? it->title_en : "");
            if (parent)
                html_fmt(b, "<td>%s</td>", it->parent ? it->parent : "");
            html_lit(b, "</tr>");
        }
        html_lit(b, "</tbody></table></div></section>");
    }
    web_page_end(r);
    ref_free(ref);
}

/* ---- the audit log -------------------------------------------------------------------------------- */

static const char *action_th(const char *a)
{
    static const char *names[][2] = {
        {"import", "นำเข้าแผน"},           {"project.update", "แก้ไขโครงการ"},
        {"user.add", "เพิ่มผู้ใช้"},          {"user.role", "เปลี่ยนบทบาท"},
        {"user.password", "ตั้งรหัสผ่านใหม่"}, {"unit.add", "เพิ่มกลุ่ม"},
        {"unit.alias", "เพิ่มชื่อเรียกอื่นของกลุ่ม"},
    };
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strcmp(a, names[i][0]) == 0)
            return names[i][1];
    return NULL;
}

/* "2025-01-13T07:03:05.123Z" (UTC) as Thai time "13 ม.ค. 68 14:03 น." */
static void when_cell(buf *b, const char *at)
{
    struct tm tm = {0};
    int y, mo, d, h, mi, s;
    html_fmt(b, "<td><time datetime=\"%s\">", at);
    if (sscanf(at, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) == 6) {
        time_t t;
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = s;
        t = timegm(&tm) + 7 * 3600; /* Asia/Bangkok, no daylight saving */
        gmtime_r(&t, &tm);
        date_thai_short(b, (date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, false);
        html_fmt(b, " %d:", tm.tm_hour);
        if (tm.tm_min < 10)
            html_lit(b, "0");
        html_fmt(b, "%d น.", tm.tm_min);
    } else {
        html_text(b, at);
    }
    html_lit(b, "</time></td>");
}

/* A value of the log: JSON pretty-printed (other text as is), escaped,
** folded in <details> under its first characters. */
static void value_cell(buf *b, const char *v)
{
    json_t *j;
    char *pretty = NULL;
    size_t n;
    if (!v || !*v) {
        html_lit(b, "<td>-</td>");
        return;
    }
    j = json_loads(v, JSON_DECODE_ANY, NULL);
    if (j) {
        pretty = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        json_decref(j);
    }
    /* the summary: up to 60 bytes, cut on a character boundary */
    n = strlen(v);
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
    }
    {
        char *head = xstrndup(v, n);
        html_fmt(b, "<td><details><summary>%s%s</summary><pre>%s</pre></details></td>", head,
                 n < strlen(v) ? "…" : "", pretty ? pretty : v);
        free(head);
    }
    free(pretty);
}

void web_audit_page(http_req *r)
{
    buf *b = &r->out;
    const char *bs = kv_get(&r->query, "before");
    long long before = bs ? atoll(bs) : 0;
    audit_entry *v = NULL;
    size_t n = 0, shown;
    if (before < 0)
        before = 0;
    /* one more than a page, to know whether there is an older page */
    store_audit_list(r->st, before, AUDIT_PAGE + 1, &v, &n);
    shown = n > AUDIT_PAGE ? AUDIT_PAGE : n;
    web_page_begin(r, "บันทึกการแก้ไข");
    html_lit(b, "<h1>บันทึกการแก้ไข</h1><p>ทุกการเปลี่ยนแปลงในระบบ ใหม่สุดก่อน "
                "บันทึกนี้เพิ่มได้อย่างเดียว ไม่มีผู้ใดแก้ไขหรือลบได้</p>");
    if (before)
        html_lit(b, "<p><a href=\"/audit\">← ล่าสุด</a></p>");
    html_lit(b, "<div class=\"tablewrap\"><table class=\"list audit\"><thead><tr>"
                "<th>#</th><th>เมื่อ</th><th>ผู้ใช้</th><th>การกระทำ</th><th>รายการ</th>"
                "<th>ค่าเดิม</th><th>ค่าใหม่</th></tr></thead><tbody>");
    for (size_t i = 0; i < shown; i++) {
        const audit_entry *e = &v[i];
        const char *th = action_th(e->action);
        html_fmt(b, "<tr id=\"a%lld\"><td>%lld</td>", (long long)e->id, (long long)e->id);
        when_cell(b, e->at);
        html_fmt(b, "<td>%s</td><td>", *e->user ? e->user : "-");
        if (th)
            html_fmt(b, "%s <small><code>%s</code></small>", th, e->action);
        else
            html_fmt(b, "<code>%s</code>", e->action);
        html_fmt(b, "</td><td>%s</td>", e->entity ? e->entity : "");
        value_cell(b, e->old_value);
        value_cell(b, e->new_value);
        html_lit(b, "</tr>");
    }
    if (!shown)
        html_lit(b, "<tr><td colspan=\"7\">ไม่มีรายการ</td></tr>");
    html_lit(b, "</tbody></table></div>");
    if (n > AUDIT_PAGE)
        html_fmt(b, "<p><a href=\"/audit?before=%lld\">รายการก่อนหน้า (เก่ากว่า) →</a></p>",
                 (long long)v[shown - 1].id);
    web_page_end(r);
    store_audit_free(v, n);
}
