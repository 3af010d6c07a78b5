/*
** export_json.c — the plan as open-data JSON. See export.h.
**
** Top-level keys, in order: schema, fiscal_year, agency, title, title_line,
** revision, version_label, source_file, strategic_issues, projects,
** signers, memo, summary, findings. Money is integer satang; dates are ISO
** strings or null; absent text is null.
*/
#include "export.h"

#include <string.h>

#define JSON_SCHEMA "phaen-plan/1"

/* A JSON string for s (null for NULL). Invalid UTF-8 bytes, which jansson
** refuses, become U+FFFD rather than dropping the text. New reference. */
json_t *export_json_text(const char *s)
{
    json_t *j;
    buf b;
    const char *p, *end;

    if (!s)
        return json_null();
    j = json_string(s);
    if (j)
        return j;
    buf_init(&b, 0);
    p = s;
    end = s + strlen(s);
    while (p < end) {
        int32_t cp = utf8_next(&p, end);
        utf8_put(&b, cp < 0 ? 0xFFFD : cp);
    }
    j = json_string(b.s ? b.s : "");
    buf_free(&b);
    return j ? j : json_string("");
}

/* An integer, or null when it is 0 (0 = none in the model). */
static json_t *jint_or_null(long long v)
{
    return v ? json_integer(v) : json_null();
}

static json_t *jdate(date d)
{
    char iso[11];
    if (date_is_null(d))
        return json_null();
    date_iso(d, iso);
    return json_string(iso);
}

static json_t *jstrlist(const strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, export_json_text(l->v[i]));
    return a;
}

static json_t *jquarters(const int64_t q[4])
{
    json_t *a = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(a, json_integer(q[i]));
    return a;
}

static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : json_null());
}

/* The codes of an alignment cell; free text as a one-element list. */
static json_t *jalign_codes(const alignment *al)
{
    json_t *a;
    if (al->free_text) {
        a = json_array();
        if (al->text)
            json_array_append_new(a, export_json_text(al->text));
        return a;
    }
    return jstrlist(&al->codes);
}

static json_t *jproject(const project *pr)
{
    json_t *o = json_object(), *period = json_object(), *al = json_object(),
           *alt = json_object();

    set(o, "no", json_integer(pr->no));
    set(o, "name", export_json_text(pr->name));
    set(o, "strategic_issue", jint_or_null(pr->issue));
    set(o, "strategic_issue_inferred", json_boolean(pr->issue_inferred));
    for (int k = 0; k < ITEM__MAX; k++)
        set(o, item_key((item_kind)k), jstrlist(&pr->items[k]));
    set(o, "budget_satang", pr->has_budget ? json_integer(pr->budget) : json_null());
    set(o, "quarters_satang", jquarters(pr->q));
    set(period, "start", jdate(pr->start));
    set(period, "end", jdate(pr->end));
    set(period, "text", export_json_text(pr->period_text));
    set(o, "period", period);
    set(o, "unit", export_json_text(pr->unit));
    set(o, "unit_text", export_json_text(pr->unit_text));
    for (int a = 0; a < ALIGN__MAX; a++) {
        set(al, align_key((align_field)a), jalign_codes(&pr->align[a]));
        set(alt, align_key((align_field)a), export_json_text(pr->align[a].text));
    }
    set(o, "alignment", al);
    set(o, "alignment_text", alt);
    set(o, "line", jint_or_null(pr->line));
    return o;
}

static json_t *jsigners(const plan_doc *p)
{
    json_t *o = json_object();
    for (int r = 0; r < SIGN__MAX; r++) {
        const signature *sg = &p->signers[r];
        json_t *s = json_object();
        set(s, "name", export_json_text(sg->name));
        set(s, "position", export_json_text(sg->position));
        set(s, "date", jdate(sg->date));
        set(o, sign_role_key((sign_role)r), s);
    }
    return o;
}

static json_t *jmemo(const plan_doc *p)
{
    const memo *m = &p->memo;
    json_t *o, *secs;
    if (!p->has_memo)
        return json_null();
    o = json_object();
    secs = json_array();
    set(o, "from", export_json_text(m->from));
    set(o, "doc_no", export_json_text(m->doc_no));
    set(o, "date", jdate(m->date));
    set(o, "subject", export_json_text(m->subject));
    set(o, "to", export_json_text(m->to));
    for (size_t i = 0; i < m->nsections; i++) {
        json_t *sec = json_object();
        set(sec, "heading", export_json_text(m->sections[i].heading));
        set(sec, "paragraphs", jstrlist(&m->sections[i].paras));
        json_array_append_new(secs, sec);
    }
    set(o, "sections", secs);
    return o;
}

static json_t *jrows(const summary_row *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        set(o, "key", export_json_text(v[i].key));
        set(o, "title", export_json_text(v[i].title));
        set(o, "projects", json_integer(v[i].nprojects));
        set(o, "budget_satang", json_integer(v[i].budget));
        set(o, "quarters_satang", jquarters(v[i].q));
        json_array_append_new(a, o);
    }
    return a;
}

json_t *export_summary_json(const summary *s)
{
    json_t *o, *pct;
    if (!s)
        return json_null();
    o = json_object();
    pct = json_array();
    set(o, "projects", json_integer(s->nprojects));
    set(o, "projects_without_budget", json_integer(s->nno_budget));
    set(o, "budget_satang", json_integer(s->budget));
    set(o, "quarters_satang", jquarters(s->q));
    set(o, "cumulative_satang", jquarters(s->cum));
    /* the one double in the export: basis points / 100, printed with
    ** EXPORT_JSON_FLAGS' precision as at most two decimals */
    for (int q = 0; q < 4; q++)
        json_array_append_new(pct, json_real(s->cum_bp[q] / 100.0));
    set(o, "cumulative_percent", pct);
    set(o, "overflow", json_boolean(s->overflow));
    set(o, "by_issue", jrows(s->by_issue, s->nissue));
    set(o, "by_unit", jrows(s->by_unit, s->nunit));
    return o;
}

json_t *export_findings_json(const findings *fs)
{
    json_t *a = json_array();
    for (size_t i = 0; fs && i < fs->n; i++) {
        const finding *f = &fs->v[i];
        json_t *o = json_object();
        set(o, "rule", export_json_text(f->rule));
        set(o, "severity", json_string(severity_key(f->sev)));
        set(o, "project", jint_or_null(f->project));
        set(o, "field", export_json_text(f->field));
        set(o, "line", jint_or_null(f->line));
        set(o, "message_th", export_json_text(f->message_th));
        set(o, "message_en", export_json_text(f->message_en));
        json_array_append_new(a, o);
    }
    return a;
}

/* See export.h. Returns a new reference (json_decref). */
json_t *export_plan_json(const plan_doc *p, const summary *s, const findings *fs)
{
    json_t *o = json_object(), *issues = json_array(), *projects = json_array();

    set(o, "schema", json_string(JSON_SCHEMA));
    set(o, "fiscal_year", json_integer(p->fiscal_year));
    set(o, "agency", export_json_text(p->agency));
    set(o, "title", export_json_text(p->title));
    set(o, "title_line", export_json_text(p->title_line));
    set(o, "revision", json_integer(p->revision));
    set(o, "version_label", export_json_text(p->version_label));
    set(o, "source_file", export_json_text(p->source_file));
    for (size_t i = 0; i < p->nissues; i++) {
        json_t *si = json_object();
        set(si, "no", json_integer(p->issues[i].no));
        set(si, "title", export_json_text(p->issues[i].title));
        json_array_append_new(issues, si);
    }
    set(o, "strategic_issues", issues);
    for (size_t i = 0; i < p->nprojects; i++)
        json_array_append_new(projects, jproject(&p->projects[i]));
    set(o, "projects", projects);
    set(o, "signers", jsigners(p));
    set(o, "memo", jmemo(p));
    set(o, "summary", export_summary_json(s));
    set(o, "findings", export_findings_json(fs));
    return o;
}

static int dump_to_buf(const char *s, size_t n, void *data)
{
    buf_add(data, s, n);
    return 0;
}

/* See export.h. Returns heap memory (free()). */
char *export_json_string(const plan_doc *p, const findings *fs)
{
    summary s;
    json_t *j;
    buf b;

    summary_compute(p, &s);
    j = export_plan_json(p, &s, fs);
    buf_init(&b, 0);
    if (json_dump_callback(j, dump_to_buf, &b, EXPORT_JSON_FLAGS) != 0)
        panic("json_dump_callback failed");
    buf_addc(&b, '\n');
    json_decref(j);
    summary_free(&s);
    return buf_detach(&b);
}
