/*
** test_publish.c — the public site (publish.h) over a real store: the seed
** saved as version 1 and moved draft → submitted → checked → approved →
** published by three people; version 2 a revision that is approved but not
** published; version 3 a draft added after the first static export.
**   - only version 1 is public: status, agency, strict paths (no .., no
**     leading zeros, no unknown files), publish_list;
**   - datapackage.json has the Fiscal Data Package properties (profile, name,
**     resources with path/format/mediatype/encoding/schema, model.measures
**     with currency THB, model.dimensions) and every budget.csv row parses
**     with the declared field types (checked here in C with csv.h and
**     jansson): integers are integers, numbers have exactly 2 decimals,
**     dates are ISO dates, required fields are never empty, the primary key
**     is unique, and the measure columns add up to the plan's totals;
**   - the Atom feed is well-formed XML (expat) in the Atom namespace with
**     the feed's id/title/updated/link rel=self and exactly one entry;
**   - markup in a project name and in the title line is escaped in HTML and
**     Atom, and comes back exactly from budget.csv and the parsed feed;
**   - publish_static writes every file (the same bytes as the server for the
**     text files), replaces its own earlier output, leaves no temporary
**     directory, refuses a directory holding other files, and a draft added
**     later is not in the output.
*/
#include "testutil.h"

#include <dirent.h>
#include <expat.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "import_text.h"
#include "publish.h"
#include "store.h"
#include "summary.h"
#include "verify.h"

#define MARKUP " <script>alert(1)</script> & \"q\""
#define TITLE_MARKUP " <b>&</b>"

static char dbpath[96], sitedir[96];
static store *st;
static int64_t agency, v1, v2;
static summary seed_sum;
static char *name1; /* project 1's name as published */

static void remove_db(void)
{
    char p[128];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
}

static void rm_rf(const char *path)
{
    char *cmd = xasprintf("rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static user mkuser(const char *login, role r)
{
    char err[256];
    user u;
    int64_t id = store_user_add(st, agency, login, login, "not-a-hash", r, "", err, sizeof err);
    assert_true(id > 0);
    assert_int_equal(store_user_get(st, login, &u, NULL, 0), 0);
    return u;
}

static void move(int64_t vid, const char *to, const user *u)
{
    char err[512], hash[65];
    plan_doc *p = store_version_load(st, vid, err, sizeof err);
    assert_non_null(p);
    plan_sha256(p, hash);
    plan_free(p);
    assert_int_equal(store_begin(st, err, sizeof err), 0);
    if (store_transition(st, vid, to, u, NULL, hash, err, sizeof err) != 0)
        fail_msg("%s -> %s: %s", "version", to, err);
    assert_int_equal(store_commit(st, err, sizeof err), 0);
}

static int setup(void **state)
{
    char err[512];
    plan_doc *seed = test_seed();
    user planner, reviewer, head;
    (void)state;
    if (!seed)
        return -1;
    /* markup in a name: must be escaped everywhere, and exact in the data */
    name1 = xasprintf("%s%s", seed->projects[0].name, MARKUP);
    free(seed->projects[0].name);
    seed->projects[0].name = xstrdup(name1);
    {
        char *t = xasprintf("%s%s", seed->title_line, TITLE_MARKUP);
        free(seed->title_line);
        seed->title_line = t;
    }
    summary_compute(seed, &seed_sum);

    snprintf(dbpath, sizeof dbpath, "/tmp/phaen-test-publish-%ld.db", (long)getpid());
    snprintf(sitedir, sizeof sitedir, "/tmp/phaen-test-publish-%ld-site", (long)getpid());
    remove_db();
    rm_rf(sitedir);
    st = store_open(dbpath, err, sizeof err);
    if (!st)
        return -1;
    store_begin(st, err, sizeof err);
    agency = store_agency_ensure(st, seed->agency, err, sizeof err);
    v1 = store_version_save(st, agency, seed, NULL, err, sizeof err);
    store_commit(st, err, sizeof err);
    plan_free(seed);
    if (!agency || !v1)
        return -1;
    planner = mkuser("pat", ROLE_PLANNER);
    reviewer = mkuser("rev", ROLE_REVIEWER);
    head = mkuser("head", ROLE_APPROVER);
    move(v1, "submitted", &planner);
    move(v1, "checked", &reviewer);
    move(v1, "approved", &head);
    move(v1, "published", &planner);
    /* version 2: a revision, approved but not (yet) published */
    store_begin(st, err, sizeof err);
    v2 = store_revision_create(st, agency, v1, NULL, "ทดสอบ", err, sizeof err);
    store_commit(st, err, sizeof err);
    if (!v2)
        return -1;
    move(v2, "submitted", &planner);
    move(v2, "checked", &reviewer);
    move(v2, "approved", &head);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    remove_db();
    rm_rf(sitedir);
    summary_free(&seed_sum);
    free(name1);
    return 0;
}

/* The bytes of a site path, as the server would send them; NULL when not found. */
static char *site_get(const char *path, size_t *len, const char **ctype)
{
    publish_target t;
    char err[512];
    buf b;
    if (publish_resolve(st, agency, path, &t) != PUBLISH_OK)
        return NULL;
    buf_init(&b, 0);
    if (publish_generate(st, agency, &t, &b, err, sizeof err) != 0)
        fail_msg("generate %s: %s", path, err);
    if (len)
        *len = b.len;
    if (ctype)
        *ctype = t.ctype;
    return buf_detach(&b);
}

static char *vpath(int64_t v, const char *file)
{
    return xasprintf("versions/%lld/%s", (long long)v, file);
}

/* ---- who is public ------------------------------------------------------------------- */

static void test_only_published_is_public(void **state)
{
    publish_entry *list;
    size_t n;
    char err[256];
    publish_target t;
    char status[16];
    (void)state;
    store_version_status(st, v1, status);
    assert_string_equal(status, "published");
    store_version_status(st, v2, status);
    assert_string_equal(status, "approved");

    assert_true(publish_version_public(st, agency, v1, NULL));
    assert_false(publish_version_public(st, agency, v2, NULL));
    assert_false(publish_version_public(st, agency, v2 + 100, NULL));
    assert_false(publish_version_public(st, agency + 1, v1, NULL)); /* another agency */
    assert_false(publish_version_public(st, 0, v1, NULL));

    assert_int_equal(publish_list(st, agency, &list, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, v1);
    assert_int_equal(list[0].fiscal_year, 2568);
    assert_int_equal(list[0].nprojects, 21);
    assert_int_equal(list[0].budget, 54620000);
    assert_int_equal(strlen(list[0].published_at), 20);
    assert_int_equal(list[0].published_at[19], 'Z');
    publish_list_free(list, n);

    /* paths */
    {
        char *ok[] = {vpath(v1, ""), vpath(v1, "index.html"), vpath(v1, "plan.pdf"),
                      vpath(v1, "budget.csv"), vpath(v1, "datapackage.json")};
        for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
            assert_int_equal(publish_resolve(st, agency, ok[i], &t), PUBLISH_OK);
            assert_int_equal(t.version, v1);
            assert_true(*t.key); /* a published version's file never changes */
            free(ok[i]);
        }
    }
    assert_int_equal(publish_resolve(st, agency, "", &t), PUBLISH_OK);
    assert_int_equal(t.kind, PUBLISH_T_INDEX);
    assert_int_equal(publish_resolve(st, agency, "feed.atom", &t), PUBLISH_OK);
    assert_string_equal(t.ctype, "application/atom+xml; charset=utf-8");
    assert_int_equal(publish_resolve(st, agency, "static/style.css", &t), PUBLISH_OK);
    {
        char *p = xasprintf("versions/%lld", (long long)v1);
        assert_int_equal(publish_resolve(st, agency, p, &t), PUBLISH_REDIRECT);
        free(p);
        p = xasprintf("versions/%lld", (long long)v2);
        assert_int_equal(publish_resolve(st, agency, p, &t), PUBLISH_NOT_FOUND);
        free(p);
    }
    {
        char *bad[] = {
            vpath(v2, ""),
            vpath(v2, "plan.json"),
            vpath(v2, "datapackage.json"),
            vpath(v2 + 100, ""),
            xasprintf("versions/0%lld/", (long long)v1),
            xasprintf("versions/+%lld/", (long long)v1),
            xasprintf("versions/%lld/../%lld/", (long long)v1, (long long)v2),
            xasprintf("versions/%lld/../../plan.json", (long long)v1),
            xasprintf("versions/%lld//plan.json", (long long)v1),
            xasprintf("versions/%lld/plan.json/", (long long)v1),
            xasprintf("versions/%lld/app.js", (long long)v1),
            xasprintf("versions/%lld/.phaen-site", (long long)v1),
            xasprintf("versions/%lld?version=%lld", (long long)v1, (long long)v2),
            xstrdup("../"),
            xstrdup("versions/"),
            xstrdup("versions/0/"),
            xstrdup("versions/-1/"),
            xstrdup("versions/99999999999999999999/"),
            xstrdup("static/app.js"),
            xstrdup("static/../feed.atom"),
            xstrdup("./feed.atom"),
            xstrdup("index.htm"),
        };
        for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
            if (publish_resolve(st, agency, bad[i], &t) != PUBLISH_NOT_FOUND)
                fail_msg("'%s' should not be found", bad[i]);
            free(bad[i]);
        }
    }
}

/* ---- the pages ------------------------------------------------------------------------------ */

static void test_pages(void **state)
{
    const char *ct;
    char *index = site_get("", NULL, &ct), *p, *page;
    char *v1link = xasprintf("href=\"versions/%lld/\"", (long long)v1);
    char *v2link = xasprintf("versions/%lld/", (long long)v2);
    (void)state;
    assert_non_null(index);
    assert_string_equal(ct, "text/html; charset=utf-8");
    assert_non_null(strstr(index, "<html lang=\"th\">"));
    assert_non_null(strstr(index, v1link));
    assert_null(strstr(index, v2link));
    assert_non_null(strstr(index, "ปีงบประมาณ พ.ศ. 2568"));
    assert_non_null(strstr(index, "546,200"));
    assert_non_null(strstr(index, "&lt;b&gt;&amp;&lt;/b&gt;"));
    assert_null(strstr(index, "<b>&</b>"));
    assert_non_null(strstr(index, "href=\"static/style.css\""));
    assert_null(strstr(index, "<script"));
    assert_null(strstr(index, "style="));

    p = vpath(v1, "");
    page = site_get(p, NULL, &ct);
    free(p);
    assert_non_null(page);
    assert_string_equal(ct, "text/html; charset=utf-8");
    assert_non_null(strstr(page, "href=\"../../static/style.css\""));
    assert_non_null(strstr(page, "<img src=\"summary.svg\""));
    for (int i = 0; publish_version_files[i]; i++) {
        char *a = xasprintf("href=\"%s\"", publish_version_files[i]);
        if (strcmp(publish_version_files[i], "index.html") != 0)
            assert_non_null(strstr(page, a));
        free(a);
    }
    /* the plan table's columns */
    assert_non_null(strstr(page, "<th>ไตรมาส 4</th>"));
    assert_non_null(strstr(page, "<th>ย.ศธ</th>"));
    assert_non_null(strstr(page, "<th colspan=\"7\">ความสอดคล้อง</th>"));
    assert_non_null(strstr(page, "รวมทั้งสิ้น (21 โครงการ)"));
    /* escaped, never markup */
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "style="));
    assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
    assert_null(strstr(page, "/project/")); /* no links into the signed-in application */
    free(page);
    free(index);
    free(v1link);
    free(v2link);
}

/* ---- the data package ------------------------------------------------------------------------- */

static const char *jget_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    if (!s)
        fail_msg("\"%s\" is not a string", k);
    return s;
}

static json_t *load_datapackage(void)
{
    json_error_t je;
    char *p = vpath(v1, "datapackage.json"), *text;
    const char *ct;
    json_t *dp;
    text = site_get(p, NULL, &ct);
    free(p);
    assert_non_null(text);
    assert_string_equal(ct, "application/json; charset=utf-8");
    dp = json_loads(text, 0, &je);
    if (!dp)
        fail_msg("datapackage.json: line %d: %s", je.line, je.text);
    free(text);
    return dp;
}

static bool field_exists(json_t *fields, const char *name)
{
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f) if (strcmp(jget_str(f, "name"), name) == 0) return true;
    return false;
}

static void test_datapackage_properties(void **state)
{
    json_t *dp = load_datapackage(), *res, *schema, *fields, *f, *model, *m, *d;
    const char *name, *k;
    size_t i;
    (void)state;
    assert_string_equal(jget_str(dp, "profile"), "fiscal-data-package");
    name = jget_str(dp, "name");
    assert_true(*name);
    for (const char *c = name; *c; c++) /* Data Package: lower case, digits, - _ . */
        assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz0123456789-_.", *c));
    assert_true(*jget_str(dp, "title"));
    assert_string_equal(jget_str(json_object_get(dp, "fiscalPeriod"), "start"), "2024-10-01");
    assert_string_equal(jget_str(json_object_get(dp, "fiscalPeriod"), "end"), "2025-09-30");
    assert_string_equal(jget_str(dp, "budgetStage"), "adjusted"); /* revision 1 */
    assert_string_equal(jget_str(dp, "countryCode"), "TH");

    res = json_object_get(dp, "resources");
    assert_true(json_is_array(res));
    assert_int_equal(json_array_size(res), 1);
    res = json_array_get(res, 0);
    assert_true(*jget_str(res, "name"));
    assert_string_equal(jget_str(res, "path"), "budget.csv");
    assert_string_equal(jget_str(res, "format"), "csv");
    assert_string_equal(jget_str(res, "mediatype"), "text/csv");
    assert_string_equal(jget_str(res, "encoding"), "utf-8");
    schema = json_object_get(res, "schema");
    fields = json_object_get(schema, "fields");
    assert_true(json_is_array(fields));
    assert_true(json_array_size(fields) >= 20);
    json_array_foreach(fields, i, f) {
        const char *t = jget_str(f, "type");
        assert_true(*jget_str(f, "name"));
        if (strcmp(t, "integer") && strcmp(t, "number") && strcmp(t, "string") && strcmp(t, "date"))
            fail_msg("field %s: type %s", jget_str(f, "name"), t);
    }
    assert_true(json_is_array(json_object_get(schema, "primaryKey")));
    json_array_foreach(json_object_get(schema, "primaryKey"), i, f)
        assert_true(field_exists(fields, json_string_value(f)));
    for (const char *const *fn = (const char *const[]){"fiscal_year_be", "fiscal_year_ce",
                                                        "fiscal_period_start", "budget_phase",
                                                        "project_no", "unit", "budget_planned",
                                                        "planned_q1", "planned_q4", NULL};
         *fn; fn++)
        if (!field_exists(fields, *fn))
            fail_msg("no field %s", *fn);

    model = json_object_get(dp, "model");
    assert_true(json_is_object(model));
    m = json_object_get(model, "measures");
    assert_true(json_object_size(m) >= 5);
    json_object_foreach(m, k, f) {
        assert_string_equal(jget_str(f, "currency"), "THB");
        assert_string_equal(jget_str(f, "phase"), "adjusted");
        if (!field_exists(fields, jget_str(f, "source")))
            fail_msg("measure %s: source is not a field", k);
    }
    assert_non_null(json_object_get(m, "budget_planned"));
    for (int q = 1; q <= 4; q++) {
        char mk[16];
        snprintf(mk, sizeof mk, "planned_q%d", q);
        assert_non_null(json_object_get(m, mk));
    }
    d = json_object_get(model, "dimensions");
    assert_true(json_is_object(d));
    for (const char *const *dn = (const char *const[]){"administrative", "functional", "date",
                                                        "project", NULL};
         *dn; dn++)
        if (!json_object_get(d, *dn))
            fail_msg("no dimension %s", *dn);
    assert_string_equal(jget_str(json_object_get(d, "administrative"), "classificationType"),
                        "administrative");
    assert_string_equal(jget_str(json_object_get(d, "functional"), "classificationType"),
                        "functional");
    assert_string_equal(jget_str(json_object_get(d, "date"), "dimensionType"), "datetime");
    assert_string_equal(jget_str(json_object_get(d, "project"), "dimensionType"), "activity");
    json_object_foreach(d, k, f) {
        json_t *attrs = json_object_get(f, "attributes"), *a, *pk;
        const char *ak;
        size_t j;
        assert_true(json_object_size(attrs) >= 1);
        json_object_foreach(attrs, ak, a) if (!field_exists(fields, jget_str(a, "source")))
            fail_msg("dimension %s attribute %s: source is not a field", k, ak);
        pk = json_object_get(f, "primaryKey");
        assert_true(json_is_array(pk));
        json_array_foreach(pk, j, a) assert_non_null(json_object_get(attrs, json_string_value(a)));
    }
    json_decref(dp);
}

/* "1234.56" -> satang; false unless exactly digits '.' two digits. */
static bool parse_number2(const char *s, int64_t *satang)
{
    int64_t v = 0;
    const char *dot = strchr(s, '.');
    bool neg = *s == '-';
    const char *p = s + neg;
    if (!dot || dot == p || strlen(dot) != 3)
        return false;
    for (; p < dot; p++) {
        if (*p < '0' || *p > '9' || v > INT64_MAX / 100)
            return false;
        v = v * 10 + (*p - '0');
    }
    if (dot[1] < '0' || dot[1] > '9' || dot[2] < '0' || dot[2] > '9')
        return false;
    v = v * 100 + (dot[1] - '0') * 10 + (dot[2] - '0');
    *satang = neg ? -v : v;
    return true;
}

static bool parse_integer(const char *s)
{
    const char *p = s + (*s == '-');
    if (!*p || strlen(p) > 18)
        return false;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static void test_budget_csv_types(void **state)
{
    json_t *dp = load_datapackage(), *fields, *f, *pk;
    char *p = vpath(v1, "budget.csv"), *text, err[256];
    const char *ct;
    size_t len, nf, i, nrows = 0;
    csv_reader rd;
    strlist rec = {0}, keys = {0};
    int64_t sums[5] = {0};
    const char *measure_cols[5] = {"budget_planned", "planned_q1", "planned_q2", "planned_q3",
                                   "planned_q4"};
    int rc;
    bool saw_name1 = false;
    (void)state;
    text = site_get(p, &len, &ct);
    free(p);
    assert_non_null(text);
    assert_string_equal(ct, "text/csv; charset=utf-8");
    assert_true(len > 3 && memcmp(text, "\xEF\xBB\xBF", 3) != 0); /* utf-8, no BOM */
    fields = json_object_get(json_array_get(json_object_get(dp, "resources"), 0), "schema");
    pk = json_object_get(fields, "primaryKey");
    fields = json_object_get(fields, "fields");
    nf = json_array_size(fields);

    csv_init(&rd, text, len);
    assert_int_equal(csv_next(&rd, &rec, err, sizeof err), 1);
    assert_int_equal(rec.n, nf); /* header = the declared fields, in order */
    json_array_foreach(fields, i, f) assert_string_equal(rec.v[i], jget_str(f, "name"));

    while ((rc = csv_next(&rd, &rec, err, sizeof err)) == 1) {
        buf key;
        nrows++;
        if (rec.n != nf)
            fail_msg("line %d: %zu fields, declared %zu", rd.line, rec.n, nf);
        json_array_foreach(fields, i, f) {
            const char *v = rec.v[i], *name = jget_str(f, "name"), *type = jget_str(f, "type");
            json_t *c = json_object_get(f, "constraints"), *en;
            if (!utf8_valid(v, strlen(v)))
                fail_msg("line %d %s: not UTF-8", rd.line, name);
            if (!*v) {
                if (json_is_true(json_object_get(c, "required")))
                    fail_msg("line %d: required field %s is empty", rd.line, name);
                continue;
            }
            if (strcmp(type, "integer") == 0) {
                if (!parse_integer(v))
                    fail_msg("line %d %s: '%s' is not an integer", rd.line, name, v);
            } else if (strcmp(type, "number") == 0) {
                int64_t sat = 0;
                if (!parse_number2(v, &sat))
                    fail_msg("line %d %s: '%s' is not a number with 2 decimals", rd.line, name,
                             v);
                for (int m = 0; m < 5; m++)
                    if (strcmp(name, measure_cols[m]) == 0)
                        sums[m] += sat;
            } else if (strcmp(type, "date") == 0) {
                date d;
                char back[11];
                if (!date_parse_iso(v, &d))
                    fail_msg("line %d %s: '%s' is not an ISO date", rd.line, name, v);
                date_iso(d, back);
                assert_string_equal(back, v);
            } else {
                assert_string_equal(type, "string");
            }
            if ((en = json_object_get(c, "enum"))) {
                size_t j;
                json_t *e;
                bool in = false;
                json_array_foreach(en, j, e) in = in || strcmp(json_string_value(e), v) == 0;
                if (!in)
                    fail_msg("line %d %s: '%s' not in enum", rd.line, name, v);
            }
            if (strcmp(name, "budget_phase") == 0)
                assert_string_equal(v, "adjusted");
            if (strcmp(name, "project_name") == 0 && strcmp(v, name1) == 0)
                saw_name1 = true;
        }
        /* the primary key is unique */
        buf_init(&key, 0);
        json_array_foreach(pk, i, f) {
            json_t *g;
            size_t j;
            json_array_foreach(fields, j, g) if (strcmp(jget_str(g, "name"),
                                                        json_string_value(f)) == 0) {
                buf_adds(&key, rec.v[j]);
                buf_addc(&key, '\x1f');
            }
        }
        for (size_t j = 0; j < keys.n; j++)
            if (strcmp(keys.v[j], key.s) == 0)
                fail_msg("line %d: primary key repeats", rd.line);
        strlist_take(&keys, buf_detach(&key));
    }
    assert_int_equal(rc, 0);
    assert_int_equal(nrows, 21); /* one row per project */
    assert_true(saw_name1);      /* the markup came back exactly */
    assert_int_equal(sums[0], seed_sum.budget);
    for (int q = 0; q < 4; q++)
        assert_int_equal(sums[q + 1], seed_sum.q[q]);
    strlist_free(&rec);
    strlist_free(&keys);
    free(text);
    json_decref(dp);
}

/* ---- the feed ----------------------------------------------------------------------------------- */

#define ATOM "http://www.w3.org/2005/Atom "

typedef struct feed_state {
    int depth, entries;
    bool root_ok, in_entry;
    bool feed_id, feed_title, feed_updated, self_link;
    int entry_ids, entry_titles, entry_updated, entry_links, entry_summaries;
    buf text;        /* character data of the current leaf */
    char entry_id[64], entry_link[64], updated[32];
    buf summary, title;
} feed_state;

static void XMLCALL feed_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    feed_state *fs = ud;
    buf_reset(&fs->text);
    if (fs->depth == 0)
        fs->root_ok = strcmp(name, ATOM "feed") == 0;
    if (strcmp(name, ATOM "entry") == 0) {
        fs->entries++;
        fs->in_entry = true;
    }
    if (strcmp(name, ATOM "link") == 0) {
        const char *rel = "alternate", *href = NULL;
        for (int i = 0; atts[i]; i += 2) {
            if (strcmp(atts[i], "rel") == 0)
                rel = atts[i + 1];
            if (strcmp(atts[i], "href") == 0)
                href = atts[i + 1];
        }
        if (!fs->in_entry && strcmp(rel, "self") == 0 && href && *href)
            fs->self_link = true;
        if (fs->in_entry && strcmp(rel, "alternate") == 0 && href) {
            fs->entry_links++;
            snprintf(fs->entry_link, sizeof fs->entry_link, "%s", href);
        }
    }
    fs->depth++;
}

static void XMLCALL feed_end(void *ud, const XML_Char *name)
{
    feed_state *fs = ud;
    const char *t = fs->text.s ? fs->text.s : "";
    fs->depth--;
    if (strcmp(name, ATOM "entry") == 0) {
        fs->in_entry = false;
    } else if (strcmp(name, ATOM "id") == 0) {
        if (fs->in_entry) {
            fs->entry_ids++;
            snprintf(fs->entry_id, sizeof fs->entry_id, "%s", t);
        } else if (fs->depth == 1 && *t) {
            fs->feed_id = true;
        }
    } else if (strcmp(name, ATOM "title") == 0) {
        if (fs->in_entry) {
            fs->entry_titles++;
            buf_adds(&fs->title, t);
        } else if (fs->depth == 1 && *t) {
            fs->feed_title = true;
        }
    } else if (strcmp(name, ATOM "updated") == 0) {
        if (fs->in_entry) {
            fs->entry_updated++;
            snprintf(fs->updated, sizeof fs->updated, "%s", t);
        } else if (fs->depth == 1 && *t) {
            fs->feed_updated = true;
        }
    } else if (strcmp(name, ATOM "summary") == 0 && fs->in_entry) {
        fs->entry_summaries++;
        buf_adds(&fs->summary, t);
    }
    buf_reset(&fs->text);
}

static void XMLCALL feed_chars(void *ud, const XML_Char *s, int len)
{
    feed_state *fs = ud;
    buf_add(&fs->text, s, (size_t)len);
}

static void parse_feed(const char *xml, feed_state *fs)
{
    XML_Parser x = XML_ParserCreateNS("UTF-8", ' ');
    memset(fs, 0, sizeof *fs);
    buf_init(&fs->text, 0);
    buf_init(&fs->summary, 0);
    buf_init(&fs->title, 0);
    XML_SetUserData(x, fs);
    XML_SetElementHandler(x, feed_start, feed_end);
    XML_SetCharacterDataHandler(x, feed_chars);
    if (XML_Parse(x, xml, (int)strlen(xml), 1) != XML_STATUS_OK)
        fail_msg("feed.atom is not well-formed: line %lu: %s",
                 (unsigned long)XML_GetCurrentLineNumber(x), XML_ErrorString(XML_GetErrorCode(x)));
    XML_ParserFree(x);
}

static void feed_state_free(feed_state *fs)
{
    buf_free(&fs->text);
    buf_free(&fs->summary);
    buf_free(&fs->title);
}

static bool rfc3339_utc(const char *s)
{
    int y, mo, d, h, mi, se;
    char z;
    return strlen(s) == 20 &&
           sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) == 7 &&
           z == 'Z' && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && se < 61;
}

static void test_feed(void **state)
{
    const char *ct;
    char *xml = site_get("feed.atom", NULL, &ct), *again, *link;
    publish_entry *list;
    size_t n;
    char err[256];
    feed_state fs;
    (void)state;
    assert_non_null(xml);
    assert_string_equal(ct, "application/atom+xml; charset=utf-8");
    parse_feed(xml, &fs);
    assert_true(fs.root_ok);
    assert_true(fs.feed_id);
    assert_true(fs.feed_title);
    assert_true(fs.feed_updated);
    assert_true(fs.self_link);
    assert_int_equal(fs.entries, 1); /* version 1 only: version 2 is approved, not published */
    assert_int_equal(fs.entry_ids, 1);
    assert_int_equal(fs.entry_titles, 1);
    assert_int_equal(fs.entry_updated, 1);
    assert_int_equal(fs.entry_summaries, 1);
    assert_int_equal(strncmp(fs.entry_id, "urn:uuid:", 9), 0);
    assert_int_equal(strlen(fs.entry_id), 45);
    assert_int_equal(fs.entry_id[9 + 14], '8'); /* UUID version 8 */
    link = xasprintf("versions/%lld/", (long long)v1);
    assert_string_equal(fs.entry_link, link);
    free(link);
    assert_true(rfc3339_utc(fs.updated));
    assert_int_equal(publish_list(st, agency, &list, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(fs.updated, list[0].published_at); /* the publish transition */
    publish_list_free(list, n);
    assert_non_null(strstr(fs.title.s, "พ.ศ. 2568"));
    assert_non_null(strstr(fs.title.s, TITLE_MARKUP)); /* escaped in XML, exact once parsed */
    assert_non_null(strstr(fs.summary.s, "เผยแพร่"));
    assert_non_null(strstr(fs.summary.s, "546,200 บาท"));
    feed_state_free(&fs);
    /* stable: the same feed, the same ids */
    again = site_get("feed.atom", NULL, NULL);
    assert_string_equal(xml, again);
    free(again);
    free(xml);
    {
        char a[46], b[46];
        publish_uuid("x", a);
        publish_uuid("x", b);
        assert_string_equal(a, b);
        publish_uuid("y", b);
        assert_string_not_equal(a, b);
    }
}

/* ---- the static site -------------------------------------------------------------------------------- */

static char *read_site_file(const char *rel, size_t *len)
{
    char err[256], *path = xasprintf("%s/%s", sitedir, rel);
    char *data = file_read(path, 0, len, err, sizeof err);
    if (!data)
        fail_msg("%s: %s", path, err);
    free(path);
    return data;
}

static bool site_has(const char *rel)
{
    struct stat sb;
    char *path = xasprintf("%s/%s", sitedir, rel);
    bool r = stat(path, &sb) == 0;
    free(path);
    return r;
}

/* No "<sitedir>.tmp-*" or ".old-*" left in /tmp. */
static void no_leftovers(void)
{
    DIR *d = opendir("/tmp");
    struct dirent *de;
    const char *base = strrchr(sitedir, '/') + 1;
    size_t bl = strlen(base);
    assert_non_null(d);
    while ((de = readdir(d)))
        if (strncmp(de->d_name, base, bl) == 0 && de->d_name[bl] == '.')
            fail_msg("left behind: /tmp/%s", de->d_name);
    closedir(d);
}

static void check_site(void)
{
    /* every file, and the text files are the server's bytes */
    const char *top[] = {"index.html", "feed.atom", "static/style.css"};
    for (size_t i = 0; i < ARRAY_LEN(top); i++) {
        size_t a, b;
        char *f = read_site_file(top[i], &a);
        char *g = site_get(strcmp(top[i], "index.html") == 0 ? "" : top[i], &b, NULL);
        assert_non_null(g);
        assert_int_equal(a, b);
        assert_memory_equal(f, g, a);
        free(f);
        free(g);
    }
    for (int i = 0; publish_version_files[i]; i++) {
        const char *name = publish_version_files[i];
        char *rel = vpath(v1, name);
        size_t a;
        char *f = read_site_file(rel, &a);
        assert_true(a > 0);
        if (strstr(name, ".pdf"))
            assert_memory_equal(f, "%PDF", 4);
        else if (strstr(name, ".xlsx"))
            assert_memory_equal(f, "PK", 2);
        else {
            size_t b;
            char *g = site_get(rel, &b, NULL);
            assert_int_equal(a, b);
            assert_memory_equal(f, g, a);
            free(g);
        }
        free(f);
        free(rel);
    }
}

static void test_static_site(void **state)
{
    char err[512], *rel;
    int64_t v3;
    size_t len;
    char *index;
    (void)state;
    rm_rf(sitedir);
    assert_int_equal(publish_static(st, agency, sitedir, err, sizeof err), 0);
    check_site();
    assert_true(site_has(".phaen-site"));
    rel = vpath(v2, "");
    assert_false(site_has(rel)); /* approved, not published */
    free(rel);
    no_leftovers();

    /* a draft added later: not in the next export either */
    assert_int_equal(store_begin(st, err, sizeof err), 0);
    v3 = store_revision_create(st, agency, v1, "ฉบับร่างที่ไม่เผยแพร่", "ร่าง", err, sizeof err);
    assert_true(v3 > 0);
    assert_int_equal(store_commit(st, err, sizeof err), 0);
    assert_int_equal(publish_static(st, agency, sitedir, err, sizeof err), 0); /* replaces */
    check_site();
    rel = vpath(v3, "");
    assert_false(site_has(rel));
    free(rel);
    rel = vpath(v2, "");
    assert_false(site_has(rel));
    free(rel);
    index = read_site_file("index.html", &len);
    assert_null(strstr(index, "ฉบับร่างที่ไม่เผยแพร่"));
    rel = xasprintf("versions/%lld/", (long long)v3);
    assert_null(strstr(index, rel));
    free(rel);
    free(index);
    index = read_site_file("feed.atom", &len);
    {
        feed_state fs;
        parse_feed(index, &fs);
        assert_int_equal(fs.entries, 1);
        feed_state_free(&fs);
    }
    free(index);
    no_leftovers();

    /* a directory holding other files is never replaced */
    {
        char *other = xasprintf("%s-other", sitedir), *keep = xasprintf("%s/keep.txt", other);
        rm_rf(other);
        assert_int_equal(mkdir(other, 0755), 0);
        assert_int_equal(file_write(keep, "mine\n", 5, err, sizeof err), 0);
        assert_int_equal(publish_static(st, agency, other, err, sizeof err), -1);
        assert_non_null(strstr(err, "other files"));
        assert_int_equal(access(keep, F_OK), 0);
        rm_rf(other);
        free(keep);
        free(other);
    }
    assert_int_equal(publish_static(st, agency, "/", err, sizeof err), -1);
    assert_int_equal(publish_static(st, 0, sitedir, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_published_is_public),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_datapackage_properties),
        cmocka_unit_test(test_budget_csv_types),
        cmocka_unit_test(test_feed),
        cmocka_unit_test(test_static_site),
    };
    return cmocka_run_group_tests_name("publish", tests, setup, teardown);
}
