/*
** web_api.c — the JSON API under /api/v1/ (see docs/openapi.yaml).
**
**   GET /api/v1/plans                 the agency's versions
**   GET /api/v1/plans/{id}            one version as `phaen export --format json`
**   GET /api/v1/projects              {"version", "projects": [...]} (?version ?unit ?issue ?q)
**   GET /api/v1/projects/{id}         {"project", "findings"}
**   PUT /api/v1/projects/{id}         validate, permission, update + audit in one transaction
**   GET /api/v1/findings              the findings of a version (?version)
**   GET /api/v1/units                 the unit registry
**   GET /api/v1/reference/{list}      one national reference list
** (POST /api/v1/session is web.c's.)
**
** Every JSON text is read and written with jansson. A project is the
** export's project object (export_plan_json) with "id" and "row_version"
** in front. web.c has already answered 401 when nobody is signed in.
*/
#include "web.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export.h"
#include "ref.h"
#include "unit.h"

#define API_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))
#define MAX_PROJECT_NO 100000
#define MAX_ISSUE_NO 999

/* An error message in both languages. */
typedef struct api_msg {
    char th[768];
    char en[768];
} api_msg;

/* Cut a message that snprintf truncated back to whole UTF-8 characters
** (jansson refuses broken ones, and messages quote what the client sent). */
static void utf8_trim(char *s)
{
    size_t n = strlen(s);
    while (n && !utf8_valid(s, n))
        s[--n] = 0;
}

/* Both formats take the same arguments in the same order (a format skips
** an argument meant for the other language with "%.0s"). */
static void msgf(api_msg *m, const char *fmt_th, const char *fmt_en, ...)
{
    va_list ap, aq;
    va_start(ap, fmt_en);
    va_copy(aq, ap);
    vsnprintf(m->th, sizeof m->th, fmt_th, ap);
    vsnprintf(m->en, sizeof m->en, fmt_en, aq);
    va_end(aq);
    va_end(ap);
    utf8_trim(m->th);
    utf8_trim(m->en);
}

/* ---- responses ------------------------------------------------------------------- */

/* Send j (stolen) as the response body. */
static void api_send(http_req *r, int status, json_t *j)
{
    char *t = json_dumps(j, API_DUMP_FLAGS);
    if (!t)
        panic("json_dumps failed");
    web_json(r, status, t);
    free(t);
    json_decref(j);
}

static void api_fail(http_req *r, int status, const api_msg *m)
{
    web_error(r, status, m->th, m->en);
}

static void method_not_allowed(http_req *r, const char *allow)
{
    http_header(r, "Allow", allow);
    web_error(r, 405, "วิธีเรียกนี้ใช้ไม่ได้กับที่อยู่นี้", "method not allowed");
}

static void not_found(http_req *r)
{
    web_error(r, 404, "ไม่พบข้อมูลนี้", "no such resource");
}


/* ---- request parts ----------------------------------------------------------------- */

static bool is_get(const http_req *r)
{
    return strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
}

/* A positive decimal id with nothing around it. */
static bool parse_id(const char *s, int64_t *out)
{
    int64_t v = 0;
    if (!s || !*s || strlen(s) > 18)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v <= 0)
        return false;
    *out = v;
    return true;
}

/* Query parameters other than `allowed` (NULL-terminated) are refused with
** a 400 naming them, so that a misspelt filter never silently lists all. */
static bool query_only(http_req *r, const char *const *allowed)
{
    api_msg m;
    for (size_t i = 0; i < r->query.n; i++) {
        const kv *e = &r->query.v[i];
        bool ok = false;
        for (size_t k = 0; allowed[k]; k++)
            ok |= strcmp(e->key, allowed[k]) == 0;
        if (!utf8_valid(e->key, strlen(e->key))) {
            web_error(r, 400, "พารามิเตอร์ไม่ใช่ UTF-8", "a query parameter is not valid UTF-8");
            return false;
        }
        if (!ok) {
            msgf(&m, "ไม่รู้จักพารามิเตอร์ '%s'", "unknown query parameter '%s'", e->key);
            api_fail(r, 400, &m);
            return false;
        }
        if (!utf8_valid(e->value, e->len) || strlen(e->value) != e->len) {
            msgf(&m, "พารามิเตอร์ '%s' ไม่ใช่ UTF-8", "query parameter '%s' is not valid UTF-8",
                 e->key);
            api_fail(r, 400, &m);
            return false;
        }
    }
    return true;
}

static const char *const no_params[] = {NULL};

static int64_t api_agency(http_req *r)
{
    return r->u.agency ? r->u.agency : store_agency_default(r->st, NULL);
}

/* True when version vid is one of the agency's. */
static bool version_of_agency(http_req *r, int64_t agency, int64_t vid)
{
    version_info *v = NULL;
    size_t n = 0;
    bool found = false;
    char err[256];
    if (!agency || store_versions_list(r->st, agency, &v, &n, err, sizeof err) != 0)
        return false;
    for (size_t i = 0; i < n && !found; i++)
        found = v[i].id == vid;
    free(v);
    return found;
}

/* The version a list reads: ?version=ID of the agency, or its latest.
** 0 with the error response set. */
static int64_t query_version(http_req *r, int64_t agency)
{
    const char *vs = kv_get(&r->query, "version");
    int64_t v = 0;
    if (vs) {
        api_msg m;
        if (!parse_id(vs, &v)) {
            msgf(&m, "version: '%s' ต้องเป็นเลขฉบับ", "version: '%s' is not a version id", vs);
            api_fail(r, 400, &m);
            return 0;
        }
        if (!version_of_agency(r, agency, v)) {
            web_error(r, 404, "ไม่พบฉบับของแผนนี้", "no such plan version");
            return 0;
        }
        return v;
    }
    v = agency ? store_version_latest(r->st, agency, 0) : 0;
    if (!v)
        web_error(r, 404, "ยังไม่มีแผน ให้นำเข้าแผนก่อน", "no plan yet: import one first");
    return v;
}

/* Load a version and, when fs is given, check it (as `phaen check`). NULL
** with the error response set. */
static plan_doc *load_version(http_req *r, int64_t vid, int64_t agency, findings *fs)
{
    char err[512];
    plan_doc *p = store_version_load(r->st, vid, err, sizeof err);
    if (!p) {
        web_error(r, 404, "ไม่พบฉบับของแผนนี้", "no such plan version");
        return NULL;
    }
    if (fs)
        web_checks(r, p, agency, fs);
    return p;
}

static project *find_project(plan_doc *p, int64_t id)
{
    for (size_t i = 0; i < p->nprojects; i++)
        if (p->projects[i].id == id)
            return &p->projects[i];
    return NULL;
}

/* ---- model to JSON --------------------------------------------------------------------- */

/* The export's project object `exported` with "id" and "row_version" in
** front. New reference. */
static json_t *with_ids(const json_t *exported, const project *pr)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(pr->id));
    json_object_set_new(o, "row_version", json_integer(pr->version));
    json_object_update(o, (json_t *)exported);
    return o;
}

/* One project as the API shows it. New reference. */
static json_t *project_json(const project *pr)
{
    plan_doc one;
    json_t *all, *o;
    memset(&one, 0, sizeof one);
    one.projects = (project *)pr;
    one.nprojects = 1;
    all = export_plan_json(&one, NULL, NULL);
    o = with_ids(json_array_get(json_object_get(all, "projects"), 0), pr);
    json_decref(all);
    return o;
}

/* Findings in the export's shape; only project `no`'s when no > 0. New
** reference. */
static json_t *findings_json(const findings *fs, int no)
{
    findings sub = {0};
    plan_doc none;
    json_t *all, *a;
    for (size_t i = 0; i < fs->n; i++) {
        const finding *f = &fs->v[i];
        if (no <= 0 || f->project == no)
            findings_add(&sub, f->rule, f->sev, f->project, f->field, f->line, f->message_th,
                         f->message_en);
    }
    memset(&none, 0, sizeof none);
    all = export_plan_json(&none, NULL, &sub);
    a = json_incref(json_object_get(all, "findings"));
    json_decref(all);
    findings_free(&sub);
    return a;
}

/* {"project": ..., "findings": [...]} */
static json_t *project_with_findings(const project *pr, const findings *fs)
{
    json_t *o = json_object();
    json_object_set_new(o, "project", project_json(pr));
    json_object_set_new(o, "findings", findings_json(fs, pr->no));
    return o;
}

static char *project_json_text(const project *pr)
{
    json_t *j = project_json(pr);
    char *t = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!t)
        panic("json_dumps failed");
    return t;
}

/* ---- GET handlers ------------------------------------------------------------------------ */

static void plans_list(http_req *r)
{
    version_info *v = NULL;
    size_t n = 0;
    char err[512];
    int64_t agency = api_agency(r);
    json_t *a = json_array();
    if (!query_only(r, no_params)) {
        json_decref(a);
        return;
    }
    if (agency && store_versions_list(r->st, agency, &v, &n, err, sizeof err) != 0) {
        json_decref(a);
        web_error(r, 500, "อ่านรายการฉบับไม่สำเร็จ", err);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(v[i].id));
        json_object_set_new(o, "fiscal_year", json_integer(v[i].fiscal_year));
        json_object_set_new(o, "revision", json_integer(v[i].revision));
        json_object_set_new(o, "label", export_json_text(v[i].label));
        json_object_set_new(o, "status", export_json_text(v[i].status));
        json_object_set_new(o, "created", export_json_text(v[i].created));
        json_object_set_new(o, "projects", json_integer(v[i].nprojects));
        json_object_set_new(o, "budget_satang", json_integer(v[i].budget));
        json_array_append_new(a, o);
    }
    free(v);
    api_send(r, 200, a);
}

/* The same text as `phaen export --format json` of that version. */
static void plan_get(http_req *r, int64_t vid)
{
    int64_t agency = api_agency(r);
    findings fs = {0};
    plan_doc *p;
    char *t;
    if (!query_only(r, no_params))
        return;
    if (!version_of_agency(r, agency, vid)) {
        web_error(r, 404, "ไม่พบฉบับของแผนนี้", "no such plan version");
        return;
    }
    if (!(p = load_version(r, vid, agency, &fs)))
        return;
    t = export_json_string(p, &fs);
    web_json(r, 200, t);
    free(t);
    findings_free(&fs);
    plan_free(p);
}

static bool contains_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static void projects_list(http_req *r)
{
    static const char *const params[] = {"version", "unit", "issue", "q", NULL};
    int64_t agency = api_agency(r), vid, issue = 0, *hits = NULL;
    size_t nhits = 0;
    const char *fu, *fi, *q;
    plan_doc *p;
    json_t *all, *exported, *out, *list;
    char err[512];

    if (!query_only(r, params) || !(vid = query_version(r, agency)))
        return;
    fu = kv_get(&r->query, "unit");
    fi = kv_get(&r->query, "issue");
    q = kv_get(&r->query, "q");
    if (fi && (!parse_id(fi, &issue) || issue > MAX_ISSUE_NO)) {
        api_msg m;
        msgf(&m, "issue: '%s' ต้องเป็นเลขประเด็นยุทธศาสตร์ 1 ขึ้นไป",
             "issue: '%s' must be a strategic issue number >= 1", fi);
        api_fail(r, 400, &m);
        return;
    }
    if (!(p = load_version(r, vid, agency, NULL)))
        return;
    if (q && *q && store_search(r->st, vid, q, &hits, &nhits, err, sizeof err) != 0) {
        plan_free(p);
        web_error(r, 500, "ค้นหาไม่สำเร็จ", err);
        return;
    }
    all = export_plan_json(p, NULL, NULL);
    exported = json_object_get(all, "projects");
    out = json_object();
    list = json_array();
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        if (issue && pr->issue != issue)
            continue;
        if (fu && *fu && !(pr->unit && text_equal_nospace(pr->unit, fu)))
            continue;
        if (q && *q && !contains_id(hits, nhits, pr->id))
            continue;
        json_array_append_new(list, with_ids(json_array_get(exported, i), pr));
    }
    json_object_set_new(out, "version", json_integer(vid));
    json_object_set_new(out, "projects", list);
    json_decref(all);
    free(hits);
    plan_free(p);
    api_send(r, 200, out);
}

/* The version of project id if it is the agency's; 0 (and a 404) if not. */
static int64_t project_version(http_req *r, int64_t id, int64_t agency)
{
    int64_t vid = store_project_version_of(r->st, id);
    if (!vid || !version_of_agency(r, agency, vid)) {
        web_error(r, 404, "ไม่พบโครงการนี้", "no such project");
        return 0;
    }
    return vid;
}

static void project_get(http_req *r, int64_t id)
{
    int64_t agency = api_agency(r), vid;
    findings fs = {0};
    plan_doc *p;
    project *pr;
    if (!query_only(r, no_params) || !(vid = project_version(r, id, agency)))
        return;
    if (!(p = load_version(r, vid, agency, &fs)))
        return;
    if ((pr = find_project(p, id)))
        api_send(r, 200, project_with_findings(pr, &fs));
    else
        web_error(r, 404, "ไม่พบโครงการนี้", "no such project");
    findings_free(&fs);
    plan_free(p);
}

static void findings_list(http_req *r)
{
    static const char *const params[] = {"version", NULL};
    int64_t agency = api_agency(r), vid;
    findings fs = {0};
    plan_doc *p;
    if (!query_only(r, params) || !(vid = query_version(r, agency)))
        return;
    if (!(p = load_version(r, vid, agency, &fs)))
        return;
    api_send(r, 200, findings_json(&fs, 0));
    findings_free(&fs);
    plan_free(p);
}

static void units_list(http_req *r)
{
    unit_registry units = {0};
    char err[512];
    json_t *a;
    if (!query_only(r, no_params))
        return;
    if (store_units_load(r->st, api_agency(r), &units, err, sizeof err) != 0) {
        web_error(r, 500, "อ่านทะเบียนหน่วยงานไม่สำเร็จ", err);
        return;
    }
    a = json_array();
    for (size_t i = 0; i < units.n; i++) {
        json_t *o = json_object(), *al = json_array();
        for (size_t k = 0; k < units.v[i].aliases.n; k++)
            json_array_append_new(al, export_json_text(units.v[i].aliases.v[k]));
        json_object_set_new(o, "name", export_json_text(units.v[i].name));
        json_object_set_new(o, "aliases", al);
        json_array_append_new(a, o);
    }
    unit_registry_free(&units);
    api_send(r, 200, a);
}

static void reference_get(http_req *r, const char *name)
{
    int f = align_from_key(name);
    refdata *ref;
    const ref_list *l;
    json_t *o, *items;
    char err[512];
    if (f < 0) {
        not_found(r);
        return;
    }
    if (!query_only(r, no_params))
        return;
    if (!(ref = store_ref_load(r->st, err, sizeof err))) {
        web_error(r, 500, "อ่านรายการอ้างอิงไม่สำเร็จ", err);
        return;
    }
    l = &ref->lists[f];
    o = json_object();
    items = json_array();
    json_object_set_new(o, "list", json_string(align_key((align_field)f)));
    json_object_set_new(o, "title_th", export_json_text(align_header_th((align_field)f)));
    json_object_set_new(o, "title_en", export_json_text(align_name_en((align_field)f)));
    json_object_set_new(o, "complete", json_boolean(l->complete));
    json_object_set_new(o, "source", export_json_text(l->source));
    for (size_t i = 0; i < l->n; i++) {
        json_t *it = json_object();
        json_object_set_new(it, "code", export_json_text(l->v[i].code));
        json_object_set_new(it, "title_th", export_json_text(l->v[i].title_th));
        json_object_set_new(it, "title_en", export_json_text(l->v[i].title_en));
        json_object_set_new(it, "parent", export_json_text(l->v[i].parent));
        json_array_append_new(items, it);
    }
    json_object_set_new(o, "items", items);
    ref_free(ref);
    api_send(r, 200, o);
}

/* ---- PUT /api/v1/projects/{id}: reading the body -------------------------------------------- */

static const char *const project_keys[] = {
    "id", "row_version", "no", "name", "strategic_issue", "strategic_issue_inferred",
    "objectives", "outputs", "outcomes", "indicators_quantitative", "indicators_qualitative",
    "budget_satang", "quarters_satang", "period", "unit", "unit_text", "alignment",
    "alignment_text", "line", NULL};

static bool key_known(const char *k, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++)
        if (strcmp(k, keys[i]) == 0)
            return true;
    return false;
}

static int bad_type(api_msg *m, const char *field, const char *th, const char *en)
{
    msgf(m, "%s: ต้องเป็น%s%.0s", "%s: must be %.0s%s", field, th, en);
    return -1;
}

/* An amount: integer satang in 0..AMOUNT_MAX_SATANG. */
static int read_amount(const json_t *v, const char *field, int64_t *out, api_msg *m)
{
    json_int_t x;
    if (!json_is_integer(v))
        return bad_type(m, field, "จำนวนเต็มหน่วยสตางค์", "an integer number of satang");
    x = json_integer_value(v);
    if (x < 0 || x > AMOUNT_MAX_SATANG) {
        msgf(m, "%s: %lld สตางค์ อยู่นอกช่วง 0 ถึง %lld", "%s: %lld satang is outside 0..%lld",
             field, (long long)x, (long long)AMOUNT_MAX_SATANG);
        return -1;
    }
    *out = (int64_t)x;
    return 0;
}

/* A list of strings, each cleaned as a cell; empty items are dropped. */
static int read_list(const json_t *v, const char *field, strlist *out, api_msg *m)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v))
        return bad_type(m, field, "รายการข้อความ (array of strings)", "an array of strings");
    json_array_foreach(v, i, e)
    {
        char where[64];
        if (!json_is_string(e)) {
            snprintf(where, sizeof where, "%s[%zu]", field, i);
            return bad_type(m, where, "ข้อความ", "a string");
        }
    }
    strlist_clear(out);
    json_array_foreach(v, i, e)
    {
        char *c = text_clean(json_string_value(e), json_string_length(e));
        if (*c)
            strlist_take(out, c);
        else
            free(c);
    }
    return 0;
}

/* period {text, start, end}: text, when changed, is parsed in the plan's
** fiscal year; start/end, when sent and changed, are taken as given. */
static int read_period(const json_t *v, const json_t *now, const plan_doc *p, project *ed,
                       api_msg *m)
{
    static const char *const keys[] = {"text", "start", "end", NULL};
    const char *k;
    json_t *e, *jt, *js, *je;
    bool dates_changed = false, text_changed = false;
    date d[2];
    if (!json_is_object(v))
        return bad_type(m, "period", "ออบเจกต์ {text, start, end}", "an object {text, start, end}");
    json_object_foreach((json_t *)v, k, e)
    {
        if (!key_known(k, keys)) {
            msgf(m, "ไม่รู้จักช่อง 'period.%s'", "unknown field 'period.%s'", k);
            return -1;
        }
    }
    jt = json_object_get(v, "text");
    js = json_object_get(v, "start");
    je = json_object_get(v, "end");
    if (jt && !json_is_string(jt) && !json_is_null(jt))
        return bad_type(m, "period.text", "ข้อความหรือ null", "a string or null");
    for (int i = 0; i < 2; i++) {
        const json_t *x = i ? je : js;
        const char *name = i ? "period.end" : "period.start";
        d[i] = i ? ed->end : ed->start;
        if (!x)
            continue;
        if (json_is_null(x)) {
            d[i] = (date){0, 0, 0};
        } else if (!json_is_string(x) || !date_parse_iso(json_string_value(x), &d[i]) ||
                   !date_valid(d[i])) {
            return bad_type(m, name, "วันที่ ค.ศ. แบบ YYYY-MM-DD หรือ null",
                            "an ISO date YYYY-MM-DD (CE) or null");
        }
        if (!json_equal((json_t *)x, json_object_get(now, i ? "end" : "start")))
            dates_changed = true;
    }
    if (jt) {
        const char *t = json_is_string(jt) ? json_string_value(jt) : "";
        const char *cur = ed->period_text ? ed->period_text : "";
        text_changed = strcmp(t, cur) != 0;
        if (text_changed) {
            free(ed->period_text);
            ed->period_text = text_clean(t, strlen(t));
        }
    }
    if (dates_changed) {
        if (!date_is_null(d[0]) && !date_is_null(d[1]) && date_cmp(d[0], d[1]) > 0) {
            msgf(m, "period: วันเริ่มอยู่หลังวันสิ้นสุด", "period: start is after end");
            return -1;
        }
        ed->start = d[0];
        ed->end = d[1];
    } else if (text_changed) {
        thai_period per;
        char perr[256];
        ed->start = ed->end = (date){0, 0, 0};
        if (*ed->period_text) {
            if (thai_period_parse(ed->period_text, p->fiscal_year, &per, perr, sizeof perr) != 0) {
                msgf(m, "period.text: อ่าน '%s' ไม่ได้ (%s) หรือส่ง start และ end มาแทน",
                     "period.text: cannot read '%s' (%s); or send start and end instead",
                     ed->period_text, perr);
                return -1;
            }
            ed->start = per.start;
            ed->end = per.end;
        }
    }
    return 0;
}

/* alignment {key: [codes]}: a changed list is joined and normalized as a
** cell of the document. */
static int read_alignment(const json_t *v, const json_t *now, project *ed, api_msg *m)
{
    const char *k;
    json_t *e;
    if (!json_is_object(v))
        return bad_type(m, "alignment", "ออบเจกต์", "an object");
    json_object_foreach((json_t *)v, k, e)
    {
        int f = align_from_key(k);
        char field[64];
        size_t i;
        json_t *c;
        buf cell;
        alignment al = {0};
        if (f < 0) {
            msgf(m, "ไม่รู้จักช่อง 'alignment.%s'", "unknown field 'alignment.%s'", k);
            return -1;
        }
        snprintf(field, sizeof field, "alignment.%s", k);
        if (!json_is_array(e))
            return bad_type(m, field, "รายการรหัส (array of strings)", "an array of strings");
        json_array_foreach(e, i, c)
        {
            if (!json_is_string(c)) {
                char where[96];
                snprintf(where, sizeof where, "%s[%zu]", field, i);
                return bad_type(m, where, "ข้อความ", "a string");
            }
        }
        if (json_equal(e, json_object_get(now, k)))
            continue; /* unchanged: keep the cell exactly as stored */
        buf_init(&cell, 0);
        json_array_foreach(e, i, c)
        {
            if (i)
                buf_addc(&cell, ',');
            buf_adds(&cell, json_string_value(c));
        }
        if (!plan_parse_alignment((align_field)f, cell.s ? cell.s : "", &al)) {
            msgf(m, "%s: '%s' ไม่ใช่รหัสที่ถูกต้อง", "%s: '%s' is not a list of valid codes", field,
                 cell.s ? cell.s : "");
            strlist_free(&al.codes);
            free(al.text);
            buf_free(&cell);
            return -1;
        }
        buf_free(&cell);
        strlist_free(&ed->align[f].codes);
        free(ed->align[f].text);
        ed->align[f] = al;
    }
    return 0;
}

/* alignment_text is derived from alignment: read-only, checked for shape. */
static int check_alignment_text(const json_t *v, api_msg *m)
{
    const char *k;
    json_t *e;
    if (!json_is_object(v))
        return bad_type(m, "alignment_text", "ออบเจกต์", "an object");
    json_object_foreach((json_t *)v, k, e)
    {
        if (align_from_key(k) < 0) {
            msgf(m, "ไม่รู้จักช่อง 'alignment_text.%s'", "unknown field 'alignment_text.%s'", k);
            return -1;
        }
        if (!json_is_string(e) && !json_is_null(e)) {
            char field[64];
            snprintf(field, sizeof field, "alignment_text.%s", k);
            return bad_type(m, field, "ข้อความหรือ null", "a string or null");
        }
    }
    return 0;
}

/*
** Apply the body `in` to ed (a copy of the stored project; `now` is that
** project as JSON). Fields left out keep their values; a field sent back
** unchanged keeps the stored cell as it is. Read-only fields (id, line,
** unit_text, strategic_issue_inferred, alignment_text) are checked for
** type and otherwise ignored. Returns 0, or -1 with a message naming the
** field.
*/
static int apply_project(const json_t *in, const json_t *now, const plan_doc *p,
                         const unit_registry *units, project *ed, api_msg *m)
{
    const char *k;
    json_t *v;

    if (!json_is_object(in)) {
        msgf(m, "ข้อมูลต้องเป็นออบเจกต์ JSON ของโครงการ", "the body must be a JSON project object");
        return -1;
    }
    json_object_foreach((json_t *)in, k, v)
    {
        if (!key_known(k, project_keys)) {
            msgf(m, "ไม่รู้จักช่อง '%s'", "unknown field '%s'", k);
            return -1;
        }
    }
    if ((v = json_object_get(in, "id")) &&
        !(json_is_integer(v) && json_integer_value(v) == ed->id)) {
        msgf(m, "id: ต้องเป็น %lld ตามที่อยู่ (URL)", "id: must be %lld as in the URL",
             (long long)ed->id);
        return -1;
    }
    v = json_object_get(in, "row_version");
    if (!v) {
        msgf(m, "ต้องส่ง row_version (ฉบับแก้ไขของแถวที่อ่านมา)",
             "row_version (the row version you read) is required");
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return bad_type(m, "row_version", "จำนวนเต็ม 0 ขึ้นไป", "an integer >= 0");
    ed->version = (int64_t)json_integer_value(v);

    if ((v = json_object_get(in, "no"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > MAX_PROJECT_NO)
            return bad_type(m, "no", "เลขที่โครงการ 1 ถึง 100000", "a project number 1..100000");
        ed->no = (int)json_integer_value(v);
    }
    if ((v = json_object_get(in, "name"))) {
        char *c;
        if (!json_is_string(v))
            return bad_type(m, "name", "ข้อความ", "a string");
        c = text_clean(json_string_value(v), json_string_length(v));
        if (!*c) {
            free(c);
            msgf(m, "name: ชื่อโครงการว่างไม่ได้", "name: the project name cannot be empty");
            return -1;
        }
        free(ed->name);
        ed->name = c;
    }
    for (int i = 0; i < ITEM__MAX; i++)
        if ((v = json_object_get(in, item_key((item_kind)i))) &&
            read_list(v, item_key((item_kind)i), &ed->items[i], m) != 0)
            return -1;
    if ((v = json_object_get(in, "strategic_issue"))) {
        if (!json_is_null(v) && !(json_is_integer(v) && json_integer_value(v) >= 1 &&
                                  json_integer_value(v) <= MAX_ISSUE_NO))
            return bad_type(m, "strategic_issue", "เลขประเด็นยุทธศาสตร์ 1 ขึ้นไป หรือ null",
                            "a strategic issue number >= 1, or null");
        if (!json_equal(v, json_object_get(now, "strategic_issue"))) {
            ed->issue = json_is_null(v) ? 0 : (int)json_integer_value(v);
            ed->issue_inferred = false;
        }
    }
    if ((v = json_object_get(in, "strategic_issue_inferred")) && !json_is_boolean(v))
        return bad_type(m, "strategic_issue_inferred", "true หรือ false", "a boolean");
    if ((v = json_object_get(in, "budget_satang"))) {
        if (json_is_null(v)) {
            ed->has_budget = false;
            ed->budget = 0;
        } else {
            if (read_amount(v, "budget_satang", &ed->budget, m) != 0)
                return -1;
            ed->has_budget = true;
        }
    }
    if ((v = json_object_get(in, "quarters_satang"))) {
        int64_t q[4];
        if (!json_is_array(v) || json_array_size(v) != 4)
            return bad_type(m, "quarters_satang", "รายการจำนวนเงิน 4 ไตรมาส",
                            "an array of 4 amounts (satang)");
        for (int i = 0; i < 4; i++) {
            char field[32];
            snprintf(field, sizeof field, "quarters_satang[%d]", i);
            if (read_amount(json_array_get(v, (size_t)i), field, &q[i], m) != 0)
                return -1;
        }
        memcpy(ed->q, q, sizeof q);
    }
    if ((v = json_object_get(in, "period")) &&
        read_period(v, json_object_get(now, "period"), p, ed, m) != 0)
        return -1;
    if ((v = json_object_get(in, "unit")) && !json_equal(v, json_object_get(now, "unit"))) {
        const unit_entry *u = NULL;
        if (!json_is_string(v) || unit_match(units, json_string_value(v), &u, NULL) != UNIT_EXACT) {
            msgf(m, "unit: '%s' ไม่ใช่หน่วยงานที่ลงทะเบียนไว้ (ดู GET /api/v1/units)",
                 "unit: '%s' is not a registered unit (see GET /api/v1/units)",
                 json_is_string(v) ? json_string_value(v) : "null");
            return -1;
        }
        free(ed->unit);
        free(ed->unit_text);
        ed->unit = xstrdup(u->name);
        ed->unit_text = xstrdup(u->name);
    }
    if ((v = json_object_get(in, "unit_text")) && !json_is_string(v) && !json_is_null(v))
        return bad_type(m, "unit_text", "ข้อความหรือ null", "a string or null");
    if ((v = json_object_get(in, "alignment")) &&
        read_alignment(v, json_object_get(now, "alignment"), ed, m) != 0)
        return -1;
    if ((v = json_object_get(in, "alignment_text")) && check_alignment_text(v, m) != 0)
        return -1;
    if ((v = json_object_get(in, "line")) && !json_is_integer(v) && !json_is_null(v))
        return bad_type(m, "line", "จำนวนเต็มหรือ null", "an integer or null");
    return 0;
}

/* The body as a JSON value, or NULL with a 400 set. */
static json_t *read_body(http_req *r)
{
    json_error_t je;
    json_t *in;
    api_msg m;
    if (!r->body.len) {
        web_error(r, 400, "ไม่มีข้อมูล JSON ในคำขอ", "the request has no JSON body");
        return NULL;
    }
    if (!utf8_valid(r->body.s, r->body.len)) {
        web_error(r, 400, "ข้อมูลที่ส่งมาไม่ใช่ UTF-8", "the body is not valid UTF-8");
        return NULL;
    }
    in = json_loadb(r->body.s, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!in) {
        msgf(&m, "อ่าน JSON ไม่ได้ (บรรทัด %d คอลัมน์ %d: %s)",
             "malformed JSON (line %d, column %d: %s)", je.line, je.column, je.text);
        api_fail(r, 400, &m);
    }
    return in;
}

/* 409: what is stored now and what was sent. */
static void conflict(http_req *r, int64_t vid, int64_t id, json_t *in)
{
    char lerr[512];
    plan_doc *now = store_version_load(r->st, vid, lerr, sizeof lerr);
    project *cur = now ? find_project(now, id) : NULL;
    json_t *o = json_pack("{s:{s:i,s:s,s:s}}", "error", "status", 409, "message_th",
                          "มีผู้บันทึกโครงการนี้ก่อนคุณ ไม่ได้บันทึกสิ่งที่คุณส่ง "
                          "ให้อ่านฉบับล่าสุด (current) แล้วแก้อีกครั้ง",
                          "message_en",
                          "someone saved this project first; nothing you sent was saved: read "
                          "current and edit again");
    if (!o)
        panic("json_pack failed");
    json_object_set_new(o, "current", cur ? project_json(cur) : json_null());
    json_object_set(o, "yours", in);
    plan_free(now);
    api_send(r, 409, o);
}

static void project_put(http_req *r, int64_t id)
{
    int64_t agency = api_agency(r), vid, nv = 0;
    plan_doc *p = NULL;
    project *cur, ed = {0};
    json_t *in = NULL, *now = NULL;
    unit_registry units = {0};
    findings fs = {0};
    char err[512], status[16];
    api_msg m;
    int rc;

    if (!query_only(r, no_params) || !(vid = project_version(r, id, agency)))
        return;
    if (!(p = load_version(r, vid, agency, NULL)))
        return;
    if (!(cur = find_project(p, id))) {
        web_error(r, 404, "ไม่พบโครงการนี้", "no such project");
        goto done;
    }
    if (!web_can_edit_project(r, cur)) {
        if (r->u.role == ROLE_UNIT_EDITOR)
            web_error(r, 403, "แก้ไขได้เฉพาะโครงการของกลุ่มตนเอง",
                      "you may edit only your own unit's projects");
        else
            web_error(r, 403, "บทบาทของคุณแก้ไขโครงการไม่ได้", "your role may not edit projects");
        goto done;
    }
    if (!(in = read_body(r)))
        goto done;
    if (store_units_load(r->st, agency, &units, err, sizeof err) != 0) {
        web_error(r, 500, "อ่านทะเบียนหน่วยงานไม่สำเร็จ", err);
        goto done;
    }
    now = project_json(cur);
    project_copy(&ed, cur);
    if (apply_project(in, now, p, &units, &ed, &m) != 0) {
        api_fail(r, 400, &m);
        goto done;
    }
    if (r->u.role == ROLE_UNIT_EDITOR && !(ed.unit && strcmp(ed.unit, r->u.unit) == 0)) {
        web_error(r, 403, "ย้ายโครงการไปกลุ่มอื่นไม่ได้", "you cannot move a project to another unit");
        goto done;
    }
    store_version_status(r->st, vid, status);
    if (strcmp(status, "draft") != 0) {
        msgf(&m, "ฉบับนี้ %s แล้ว แก้ไขได้เฉพาะฉบับร่าง", "this version is %s; only drafts can be edited",
             status);
        api_fail(r, 409, &m);
        goto done;
    }
    findings_free(&ed.notes); /* importer notes stay with the stored row */

    if (store_begin(r->st, err, sizeof err) != 0) {
        web_error(r, 503, "ฐานข้อมูลไม่ว่าง ลองอีกครั้ง", err);
        goto done;
    }
    rc = store_project_update(r->st, agency, &ed, &nv, err, sizeof err);
    if (rc == STORE_OK) {
        char *old_json = project_json_text(cur), *new_json, *entity;
        ed.version = nv;
        new_json = project_json_text(&ed);
        entity = xasprintf("project %d (id %lld) of version %lld", ed.no, (long long)id,
                           (long long)vid);
        web_audit(r, "project.update", entity, old_json, new_json);
        free(entity);
        free(old_json);
        free(new_json);
        if (store_commit(r->st, err, sizeof err) != 0) {
            store_rollback(r->st);
            web_error(r, 500, "บันทึกไม่สำเร็จ", err);
            goto done;
        }
        /* answer with what is stored now, checked in its plan */
        plan_free(p);
        p = NULL;
        if (!(p = load_version(r, vid, agency, &fs)))
            goto done;
        if ((cur = find_project(p, id)))
            api_send(r, 200, project_with_findings(cur, &fs));
        else
            web_error(r, 404, "ไม่พบโครงการนี้", "no such project");
        goto done;
    }
    store_rollback(r->st);
    if (rc == STORE_CONFLICT) {
        conflict(r, vid, id, in);
    } else if (rc == STORE_NOT_FOUND) {
        web_error(r, 404, "ไม่พบโครงการนี้", "no such project");
    } else {
        store_version_status(r->st, vid, status);
        web_error(r, strcmp(status, "draft") != 0 ? 409 : 500, err, err);
    }
done:
    project_free_fields(&ed);
    unit_registry_free(&units);
    findings_free(&fs);
    json_decref(now);
    json_decref(in);
    plan_free(p);
}

/* ---- routing ------------------------------------------------------------------------------ */

/* Does `path` equal `name`, or is it `name/ID`? *tail gets what follows
** "name/" (NULL for the bare collection). */
static bool route(const char *path, const char *name, const char **tail)
{
    size_t n = strlen(name);
    if (strncmp(path, name, n) != 0)
        return false;
    if (path[n] == 0) {
        *tail = NULL;
        return true;
    }
    if (path[n] == '/') {
        *tail = path + n + 1;
        return true;
    }
    return false;
}

void web_api(http_req *r)
{
    const char *path = r->path + strlen("/api/v1/"), *tail = NULL;
    int64_t id = 0;

    if (route(path, "plans", &tail)) {
        if (tail && !parse_id(tail, &id))
            not_found(r);
        else if (!is_get(r))
            method_not_allowed(r, "GET, HEAD");
        else if (tail)
            plan_get(r, id);
        else
            plans_list(r);
    } else if (route(path, "projects", &tail)) {
        if (tail && !parse_id(tail, &id))
            not_found(r);
        else if (is_get(r) && tail)
            project_get(r, id);
        else if (is_get(r))
            projects_list(r);
        else if (tail && strcmp(r->method, "PUT") == 0)
            project_put(r, id);
        else
            method_not_allowed(r, tail ? "GET, HEAD, PUT" : "GET, HEAD");
    } else if ((route(path, "findings", &tail) || route(path, "units", &tail)) && !tail) {
        if (!is_get(r))
            method_not_allowed(r, "GET, HEAD");
        else if (path[0] == 'f')
            findings_list(r);
        else
            units_list(r);
    } else if (route(path, "reference", &tail) && tail && *tail && !strchr(tail, '/')) {
        if (is_get(r))
            reference_get(r, tail);
        else
            method_not_allowed(r, "GET, HEAD");
    } else if (strcmp(path, "session") == 0) {
        method_not_allowed(r, "POST"); /* POST is web.c's */
    } else {
        not_found(r);
    }
}
