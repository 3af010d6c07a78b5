/*
** test_store.c — the SQLite store: a plan saved and loaded back is the
** same plan; a draft of the same revision is replaced; a rolled-back
** transaction leaves nothing; schema, units and reference lists; the
** search index, filled by a version's first search and kept up to date
** after; the generation that tells caches the database has changed; a
** new database written from the image the build made (db_image.h).
*/
#include "testutil.h"

#include <dirent.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_image.h"
#include "import_text.h"
#include "store.h"

static char dbpath[64];
static plan_doc *seed;

static int setup(void **state)
{
    (void)state;
    seed = test_seed();
    snprintf(dbpath, sizeof dbpath, "/tmp/phaen-test-store-%ld.db", (long)getpid());
    return seed ? 0 : -1;
}

static void remove_db(void)
{
    char p[80];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
}

static int teardown(void **state)
{
    (void)state;
    plan_free(seed);
    remove_db();
    return 0;
}

static void assert_same_project(const project *a, const project *b)
{
    assert_same_project_core(a, b);
    for (int f = 0; f < ALIGN__MAX; f++)
        assert_str_eq(a->align[f].text, b->align[f].text);
    assert_int_equal(a->line, b->line);
    assert_int_equal(a->notes.n, b->notes.n);
}

/* A new database at dbpath holding the seed as its only version; its id. */
static int64_t save_seed_fresh(void)
{
    char err[512];
    store *s;
    int64_t agency, vid;
    remove_db();
    s = store_open(dbpath, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 5);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    agency = store_agency_ensure(s, seed->agency, err, sizeof err);
    assert_true(agency > 0);
    vid = store_version_save(s, agency, seed, NULL, err, sizeof err);
    assert_true(vid > 0);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    store_close(s);
    return vid;
}

static void test_round_trip(void **state)
{
    char err[512];
    store *s;
    int64_t vid;
    plan_doc *back;
    (void)state;
    vid = save_seed_fresh();
    s = store_open(dbpath, err, sizeof err);
    assert_non_null(s);
    back = store_version_load(s, vid, err, sizeof err);
    assert_non_null(back);
    assert_int_equal(back->fiscal_year, 2568);
    assert_string_equal(back->agency, seed->agency);
    assert_string_equal(back->version_label, seed->version_label);
    assert_int_equal(back->revision, 1);
    assert_int_equal(back->nprojects, 21);
    assert_int_equal(back->nissues, seed->nissues);
    for (size_t i = 0; i < seed->nprojects; i++)
        assert_same_project(&seed->projects[i], &back->projects[i]);
    assert_int_equal(back->notes.n, seed->notes.n);
    assert_true(back->has_memo);
    assert_string_equal(back->memo.subject, seed->memo.subject);
    assert_int_equal(back->memo.nsections, 4);
    assert_string_equal(back->signers[SIGN_APPROVED].name, "นายณรงค์ พันธุ์เทียน");
    assert_int_equal(back->signers[SIGN_APPROVED].date.d, 13);
    plan_free(back);
    store_close(s);
}


/* sqlite_schema's text for table `name` (heap), or NULL. */
static char *table_sql(sqlite3 *db, const char *name)
{
    sqlite3_stmt *q;
    char *sql = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE name = ?1", -1,
                                        &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        sql = xstrdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return sql;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* The database at dbpath (schema 5) put back to schema 4: the six
** CHECK (json_valid(...)) of the project table as migration 1 wrote them. */
static void back_to_schema_4(void)
{
    static const char *cols[] = {"objectives",       "outputs",         "outcomes",
                                 "indicators_quant", "indicators_qual", "alignment"};
    sqlite3 *db;
    sqlite3_stmt *q;
    char *sql, pragma[64];
    int version;
    buf v4;

    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    sql = table_sql(db, "project");
    assert_null(strstr(sql, "json_valid"));
    buf_init(&v4, 0);
    buf_adds(&v4, sql);
    free(sql);
    for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
        char *col = xasprintf("  %s TEXT NOT NULL", cols[i]);
        char *with = xasprintf("  %s TEXT NOT NULL CHECK (json_valid(%s))", cols[i], cols[i]);
        char *at = strstr(v4.s, col);
        buf b;
        assert_non_null(at);
        buf_init(&b, 0);
        buf_add(&b, v4.s, (size_t)(at - v4.s));
        buf_adds(&b, with);
        buf_adds(&b, at + strlen(col));
        buf_free(&v4);
        v4 = b;
        free(col);
        free(with);
    }
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA schema_version", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    exec_ok(db, "BEGIN; PRAGMA writable_schema = ON");
    assert_int_equal(
        sqlite3_prepare_v2(db, "UPDATE sqlite_schema SET sql = ?1 WHERE name = 'project'", -1,
                           &q, NULL),
        SQLITE_OK);
    sqlite3_bind_text(q, 1, v4.s, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    snprintf(pragma, sizeof pragma, "PRAGMA schema_version = %d", version + 1);
    exec_ok(db, pragma);
    exec_ok(db, "PRAGMA writable_schema = OFF; PRAGMA user_version = 4; COMMIT");
    buf_free(&v4);
    sqlite3_close(db);
}

/* Migration 5 takes CHECK (json_valid(...)) off the project table's six JSON
** columns and nothing else: a database at schema 4 (the constraints put
** back as migration 1 wrote them) opens at 5 with its rows unchanged; a
** new database is created so. */
/* The first column of sql's first row is want (integrity_check, journal_mode). */
static void assert_text_is(sqlite3 *db, const char *sql, const char *want)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), want);
    sqlite3_finalize(q);
}

static void test_migration_5_drops_json_checks(void **state)
{
    char err[512];
    store *s;
    sqlite3 *db;
    int64_t vid;
    char *sql, *memo_sql;
    plan_doc *back;
    (void)state;
    vid = save_seed_fresh();
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    memo_sql = table_sql(db, "memo");
    assert_non_null(strstr(memo_sql, "CHECK (json_valid(sections))")); /* left alone */
    sqlite3_close(db);

    back_to_schema_4();
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    sql = table_sql(db, "project");
    assert_non_null(strstr(sql, "indicators_qual TEXT NOT NULL CHECK (json_valid(indicators_qual))"));
    /* schema 4 refuses a list that is not JSON */
    {
        char *msg = NULL;
        assert_int_not_equal(sqlite3_exec(db, "UPDATE project SET outputs = 'x' WHERE no = 1",
                                          NULL, NULL, &msg),
                             SQLITE_OK);
        sqlite3_free(msg);
    }
    free(sql);
    sqlite3_close(db);

    /* opened by phaen: schema 5, the six constraints gone, the rest as it was */
    s = store_open(dbpath, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 5);
    back = store_version_load(s, vid, err, sizeof err);
    assert_non_null(back);
    assert_int_equal(back->nprojects, 21);
    for (size_t i = 0; i < seed->nprojects; i++)
        assert_same_project(&seed->projects[i], &back->projects[i]);
    plan_free(back);
    store_close(s);
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    sql = table_sql(db, "project");
    assert_null(strstr(sql, "json_valid"));
    assert_non_null(strstr(sql, "q1_satang INTEGER NOT NULL DEFAULT 0 CHECK (q1_satang >= 0)"));
    assert_text_is(db, "PRAGMA integrity_check", "ok");
    free(sql);
    free(memo_sql);
    sqlite3_close(db);
}

/* Two connections that open a database at schema 4 at the same moment: the
** one that waited for the other's migration finds it done instead of running
** it again (which found no constraint to take off and refused to open). */
static void *open_in_thread(void *arg)
{
    char err[512];
    store *s = store_open(dbpath, err, sizeof err);
    int *version = arg;
    if (!s)
        fprintf(stderr, "store_open: %s\n", err);
    *version = s ? store_schema_version(s) : -1;
    store_close(s);
    return NULL;
}

/* n connections open dbpath at the same moment; each finds schema 5. */
static void open_at_once(int n)
{
    pthread_t t[8];
    int version[8];
    assert_true(n <= 8);
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&t[i], NULL, open_in_thread, &version[i]), 0);
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(version[i], 5);
    }
}

static void test_migration_concurrent_open(void **state)
{
    (void)state;
    for (int round = 0; round < 4; round++) {
        save_seed_fresh();
        back_to_schema_4();
        open_at_once(3);
    }
}

/* ---- the image of a new database ------------------------------------------- */

/* The image this program carries is what the migrations make now: a
** migration added without the image being made again fails here. */
static void test_db_image_is_current(void **state)
{
    char err[512], scratch[80];
    size_t len;
    const unsigned char *image = store_sqlite_image(&len);
    buf made;
    (void)state;
    assert_non_null(image); /* the tests are linked with db_image.o */
    snprintf(scratch, sizeof scratch, "%s-scratch", dbpath);
    buf_init(&made, 0);
    assert_int_equal(store_sqlite_make_image(scratch, &made, err, sizeof err), 0);
    assert_int_equal(access(scratch, F_OK), -1);
    assert_int_equal(made.len, len);
    assert_memory_equal(made.s, image, len);
    /* 4 KiB pages, about 29 KB of them not zero */
    assert_true(len > 20000 && len < 40000);
    buf_free(&made);
}

static int count_in(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *q;
    int n = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Files in /tmp whose name starts with the database's and holds ".new-":
** the image is written under such a name and linked into place. */
static int leftovers(void)
{
    DIR *d = opendir("/tmp");
    const char *base = strrchr(dbpath, '/') + 1;
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)))
        if (strncmp(e->d_name, base, strlen(base)) == 0 && strstr(e->d_name, ".new-"))
            n++;
    closedir(d);
    return n;
}

/* Open dbpath the given way (store_open, store_open_large), find the last
** schema, close. */
typedef store *store_opener(const char *path, char *err, size_t errlen);
static void open_once(store_opener *open_fn)
{
    char err[512];
    store *s = open_fn(dbpath, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 5);
    store_close(s);
}

/* A database written from the image is a whole, valid phaen database: the
** schema of the last migration, the reference lists, nothing else; the
** first commit then makes it a WAL database as before. */
static void test_db_image_new_database(void **state)
{
    sqlite3 *db;
    (void)state;
    remove_db();
    open_once(store_open);
    assert_int_equal(leftovers(), 0);

    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_text_is(db, "PRAGMA integrity_check", "ok");
    assert_int_equal(count_in(db, "PRAGMA page_size"), 4096);
    assert_int_equal(count_in(db, "SELECT count(*) FROM sqlite_schema"), 68);
    assert_int_equal(count_in(db, "SELECT count(*) FROM ref_list"), 7);
    /* the six national strategies, the 23 master plans */
    assert_int_equal(count_in(db, "SELECT count(*) FROM ref_item WHERE list = 'national_strategy'"), 6);
    assert_int_equal(count_in(db, "SELECT count(*) FROM ref_item WHERE list = 'master_plan'"), 23);
    assert_int_equal(count_in(db, "SELECT count(*) FROM agency"), 0);
    assert_int_equal(count_in(db, "SELECT count(*) FROM project"), 0);
    sqlite3_close(db);

    /* and takes a plan like any other */
    save_seed_fresh();
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(count_in(db, "SELECT count(*) FROM project"), 21);
    assert_int_equal(count_in(db, "SELECT sum(budget_satang) FROM project"), 54620000);
    assert_text_is(db, "PRAGMA journal_mode", "wal");
    sqlite3_close(db);
}

/* An empty file where the database should be is not replaced by the image:
** someone's SQLite may be creating it. The migrations run into it. */
static void test_db_image_not_over_a_file(void **state)
{
    FILE *f;
    struct stat st;
    (void)state;
    remove_db();
    f = fopen(dbpath, "w");
    assert_non_null(f);
    fclose(f);
    open_once(store_open);
    assert_int_equal(stat(dbpath, &st), 0);
    assert_true(st.st_size >= 40 * 4096); /* a page for each table and index */
    assert_int_equal(leftovers(), 0);
}

static int page_size_of(const char *path)
{
    sqlite3 *db;
    int n;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    n = count_in(db, "PRAGMA page_size");
    sqlite3_close(db);
    return n;
}

/* A database made for a large plan has 16 KiB pages and the same schema as
** one from the image; an existing database keeps its pages either way. */
static void test_open_large(void **state)
{
    sqlite3 *db;
    (void)state;
    remove_db();
    open_once(store_open_large);
    assert_int_equal(page_size_of(dbpath), 16384);
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(count_in(db, "SELECT count(*) FROM sqlite_schema"), 68);
    assert_int_equal(count_in(db, "SELECT count(*) FROM ref_item WHERE list = 'master_plan'"), 23);
    sqlite3_close(db);
    open_once(store_open); /* opened again the usual way */
    assert_int_equal(page_size_of(dbpath), 16384);

    save_seed_fresh(); /* from the image */
    assert_int_equal(page_size_of(dbpath), 4096);
    open_once(store_open_large);
    assert_int_equal(page_size_of(dbpath), 4096);
}

/* Four connections create the same new database at the same moment: one
** image lands, every connection opens it (one that finds the file switched
** to WAL by another stays in WAL; two switching it at once wait for each
** other: 1 round in 30 failed with "database is locked"), nothing is left
** lying about. */
static void test_db_image_concurrent_create(void **state)
{
    (void)state;
    for (int round = 0; round < 8; round++) {
        remove_db();
        open_at_once(4);
        assert_int_equal(leftovers(), 0);
    }
    save_seed_fresh();
}

/* A row written by an earlier phaen keeps its alignment as an object keyed
** by field; it reads back the same as the array form written now. */
static void test_alignment_object_form(void **state)
{
    static const char old[] =
        "{\"national_strategy\":{\"codes\":[\"6\"],\"text\":\"6\",\"free_text\":false},"
        "\"master_plan\":{\"codes\":[\"20\"],\"text\":\"20\",\"free_text\":false},"
        "\"subplan_target\":{\"codes\":[\"200401\"],\"text\":\"200401\",\"free_text\":false},"
        "\"plan13_milestone\":{\"codes\":[\"13\"],\"text\":\"13\",\"free_text\":false},"
        "\"security_policy\":{\"codes\":[],\"text\":\"-\",\"free_text\":false},"
        "\"government_policy\":{\"codes\":[],\"text\":\"ปฏิรูประบบราชการ\",\"free_text\":true},"
        "\"moe_strategy\":{\"codes\":[\"6\"],\"text\":\"6\",\"free_text\":false}}";
    char err[512];
    store *s;
    sqlite3 *db;
    sqlite3_stmt *q;
    int64_t vid;
    plan_doc *back;
    const project *p21, *p1;
    (void)state;
    vid = save_seed_fresh();

    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "UPDATE project SET alignment = ?1 WHERE no = 21",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(q, 1, old, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(q);
    sqlite3_close(db);

    s = store_open(dbpath, err, sizeof err);
    assert_non_null(s);
    back = store_version_load(s, vid, err, sizeof err);
    assert_non_null(back);
    p21 = plan_project(back, 21);
    assert_non_null(p21);
    assert_int_equal(p21->align[ALIGN_NATIONAL_STRATEGY].codes.n, 1);
    assert_string_equal(p21->align[ALIGN_NATIONAL_STRATEGY].codes.v[0], "6");
    assert_string_equal(p21->align[ALIGN_SUBPLAN_TARGET].codes.v[0], "200401");
    assert_int_equal(p21->align[ALIGN_SECURITY_POLICY].codes.n, 0);
    assert_string_equal(p21->align[ALIGN_SECURITY_POLICY].text, "-");
    assert_true(p21->align[ALIGN_GOVERNMENT_POLICY].free_text);
    assert_string_equal(p21->align[ALIGN_GOVERNMENT_POLICY].text, "ปฏิรูประบบราชการ");
    assert_false(p21->align[ALIGN_MOE_STRATEGY].free_text);
    /* project 1 is in the array form, as saved */
    p1 = plan_project(back, 1);
    assert_non_null(p1);
    for (int f = 0; f < ALIGN__MAX; f++) {
        assert_str_eq(p1->align[f].text, seed->projects[0].align[f].text);
        assert_int_equal(p1->align[f].codes.n, seed->projects[0].align[f].codes.n);
        assert_int_equal(p1->align[f].free_text, seed->projects[0].align[f].free_text);
    }
    assert_string_equal(p1->align[ALIGN_MASTER_PLAN].codes.v[0], "12");
    plan_free(back);
    store_close(s);
}

/* 24 copies of the seed's projects (504, more than one thread decodes):
** saved and loaded back whole, and without the lists, in document order. */
static void test_round_trip_large(void **state)
{
    enum { COPIES = 24 };
    char err[512];
    store *s;
    int64_t agency, vid;
    plan_doc *big = plan_new(), *back, *part;
    (void)state;
    remove_db();
    big->agency = xstrdup(seed->agency);
    big->title = xstrdup(seed->title);
    big->fiscal_year = seed->fiscal_year;
    for (int c = 0; c < COPIES; c++)
        for (size_t i = 0; i < seed->nprojects; i++) {
            project *pr = plan_add_project(big);
            project_copy(pr, &seed->projects[i]);
            pr->no = (int)(c * seed->nprojects + i + 1);
            for (size_t k = 0; k < pr->notes.n; k++) /* a note names its project */
                pr->notes.v[k].project = pr->no;
        }
    s = store_open(dbpath, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    agency = store_agency_ensure(s, big->agency, err, sizeof err);
    vid = store_version_save(s, agency, big, NULL, err, sizeof err);
    assert_true(vid > 0);
    assert_int_equal(store_commit(s, err, sizeof err), 0);

    back = store_version_load(s, vid, err, sizeof err);
    part = store_version_load_part(s, vid, STORE_LOAD_NO_LISTS, err, sizeof err);
    assert_non_null(back);
    assert_non_null(part);
    assert_int_equal(back->nprojects, COPIES * seed->nprojects);
    assert_int_equal(part->nprojects, COPIES * seed->nprojects);
    for (size_t i = 0; i < back->nprojects; i++) {
        assert_same_project(&big->projects[i], &back->projects[i]);
        for (int k = 0; k < ITEM__MAX; k++)
            assert_int_equal(part->projects[i].items[k].n, 0);
        for (int f = 0; f < ALIGN__MAX; f++)
            assert_true(strlist_equal(&part->projects[i].align[f].codes,
                                      &big->projects[i].align[f].codes));
        assert_int_equal(part->projects[i].budget, big->projects[i].budget);
    }
    plan_free(back);
    plan_free(part);
    plan_free(big);
    store_close(s);
}

/* A save that fails half-way through a large plan (project 300 of 504 has
** a negative quarter, which the schema refuses) says which, leaves nothing
** behind once rolled back, and frees what was encoded ahead (ASan). */
static void test_save_fails_half_way(void **state)
{
    char err[512] = "";
    store *s;
    int64_t agency;
    plan_doc *big = plan_new();
    version_info *vi;
    size_t n;
    (void)state;
    remove_db();
    big->agency = xstrdup(seed->agency);
    big->title = xstrdup(seed->title);
    big->fiscal_year = seed->fiscal_year;
    for (int c = 0; c < 24; c++)
        for (size_t i = 0; i < seed->nprojects; i++)
            project_copy(plan_add_project(big), &seed->projects[i]);
    big->projects[299].q[0] = -100;
    s = store_open(dbpath, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    agency = store_agency_ensure(s, big->agency, err, sizeof err);
    assert_int_equal(store_version_save(s, agency, big, NULL, err, sizeof err), 0);
    assert_non_null(strstr(err, "project"));
    store_rollback(s);
    assert_int_equal(store_versions_list(s, agency, &vi, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    free(vi);
    plan_free(big);
    store_close(s);
}

static void test_replace_draft_and_rollback(void **state)
{
    char err[512];
    store *s;
    int64_t agency, v1, v2;
    int replaced = 0;
    version_info *vi;
    size_t n;
    (void)state;
    s = store_open(dbpath, err, sizeof err); /* holds the round trip's version */
    assert_non_null(s);
    agency = store_agency_default(s, NULL);
    assert_true(agency > 0);
    v1 = store_version_latest(s, agency, 2568);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    v2 = store_version_save(s, agency, seed, &replaced, err, sizeof err);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    assert_int_equal(v1, v2);
    assert_int_equal(replaced, 1);

    /* a transaction rolled back leaves the version list as it was */
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    seed->revision = 2;
    assert_true(store_version_save(s, agency, seed, NULL, err, sizeof err) > 0);
    store_rollback(s);
    seed->revision = 1;
    assert_int_equal(store_versions_list(s, agency, &vi, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(vi[0].nprojects, 21);
    assert_int_equal(vi[0].budget, INT64_C(54620000));
    assert_string_equal(vi[0].status, "draft");
    free(vi);
    store_close(s);
}

static void test_units_and_reference(void **state)
{
    char err[512];
    store *s = store_open(dbpath, err, sizeof err);
    unit_registry r = {0};
    refdata *ref;
    int64_t agency;
    (void)state;
    assert_non_null(s);
    agency = store_agency_default(s, NULL);
    assert_int_equal(store_units_load(s, agency, &r, err, sizeof err), 0);
    assert_int_equal(r.n, 9);
    assert_non_null(unit_registry_find(&r, "หน่วยตรวจสอบภายใน"));
    unit_registry_free(&r);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    assert_int_equal(store_unit_alias(s, agency, "กลุ่มอำนวยการ", "กลุ่ม อำนาจการ", err,
                                      sizeof err),
                     0);
    assert_int_equal(store_unit_alias(s, agency, "กลุ่มไม่มีจริง", "x", err, sizeof err), -1);
    assert_non_null(strstr(err, "กลุ่มไม่มีจริง"));
    assert_int_equal(store_unit_add(s, agency, "กลุ่มอำนวยการ", err, sizeof err), -1);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    assert_int_equal(store_units_load(s, agency, &r, err, sizeof err), 0);
    assert_int_equal(unit_registry_find(&r, "กลุ่มอำนวยการ")->aliases.n, 1);
    unit_registry_free(&r);

    ref = store_ref_load(s, err, sizeof err);
    assert_non_null(ref);
    assert_int_equal(ref->lists[ALIGN_MASTER_PLAN].n, 23);
    assert_true(ref->lists[ALIGN_MASTER_PLAN].complete);
    assert_string_equal(ref_find(ref, ALIGN_MASTER_PLAN, "12")->parent, "3");
    assert_null(ref_find(ref, ALIGN_MASTER_PLAN, "23")->parent);
    assert_int_equal(ref->lists[ALIGN_PLAN13_MILESTONE].n, 13);
    assert_int_equal(ref->lists[ALIGN_SECURITY_POLICY].n, 17);
    assert_false(ref->lists[ALIGN_SUBPLAN_TARGET].complete);
    ref_free(ref);
    store_close(s);
}

/* ids of the projects found for query, as project numbers */
static size_t search_nos(store *s, int64_t vid, const plan_doc *p, const char *query, int *nos)
{
    char err[512];
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(store_search(s, vid, query, &ids, &n, err, sizeof err), 0);
    for (size_t i = 0; i < n; i++) {
        nos[i] = 0;
        for (size_t k = 0; k < p->nprojects; k++)
            if (p->projects[k].id == ids[i])
                nos[i] = p->projects[k].no;
    }
    free(ids);
    return n;
}

static void test_search_index_lazy(void **state)
{
    char err[512];
    store *s, *s2;
    int64_t agency, vid, newver = 0;
    plan_doc *p;
    project *pr = NULL;
    int nos[32];
    uint64_t g0, g1;
    (void)state;
    remove_db();
    s = store_open(dbpath, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    agency = store_agency_ensure(s, seed->agency, err, sizeof err);
    vid = store_version_save(s, agency, seed, NULL, err, sizeof err);
    assert_true(vid > 0);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    p = store_version_load(s, vid, err, sizeof err);
    assert_non_null(p);

    /* "พระราชทาน" is in project 14 only (seed lines 148 and 152): the
    ** first search indexes the version, in a transaction of its own */
    assert_int_equal(search_nos(s, vid, p, "พระราชทาน", nos), 1);
    assert_int_equal(nos[0], 14);
    assert_int_equal(search_nos(s, vid, p, "ทุนการศึกษา", nos), 1);

    /* once indexed, an edit takes the old words out and puts the new in */
    for (size_t k = 0; k < p->nprojects; k++)
        if (p->projects[k].no == 14)
            pr = &p->projects[k];
    assert_non_null(pr);
    free(pr->name);
    pr->name = xstrdup("โครงการมอบทุน Kanokwan");
    for (int k = 0; k < ITEM__MAX; k++) /* its lists say "ทุนการศึกษาพระราชทาน" too */
        strlist_free(&pr->items[k]);
    /* and text that JSON must escape, which the columns keep as it was */
    strlist_add(&pr->items[ITEM_OBJECTIVE], "ข้อ \"1\" ใช้ \\ และ /");
    strlist_add(&pr->items[ITEM_OBJECTIVE], "แท็บ\tขึ้นบรรทัด\nและ\x01");
    free(pr->align[ALIGN_GOVERNMENT_POLICY].text);
    pr->align[ALIGN_GOVERNMENT_POLICY].text = xstrdup("นโยบาย \"ข้อ 5\"");
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    assert_int_equal(store_project_update(s, agency, pr, &newver, err, sizeof err), STORE_OK);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    assert_int_equal(search_nos(s, vid, p, "พระราชทาน", nos), 0);
    assert_int_equal(search_nos(s, vid, p, "Kanokwan", nos), 1);
    assert_int_equal(nos[0], 14);
    {
        plan_doc *back = store_version_load(s, vid, err, sizeof err);
        const project *b = NULL;
        assert_non_null(back);
        for (size_t k = 0; k < back->nprojects; k++)
            if (back->projects[k].no == 14)
                b = &back->projects[k];
        assert_non_null(b);
        assert_int_equal(b->items[ITEM_OBJECTIVE].n, 2);
        assert_string_equal(b->items[ITEM_OBJECTIVE].v[0], "ข้อ \"1\" ใช้ \\ และ /");
        assert_string_equal(b->items[ITEM_OBJECTIVE].v[1], "แท็บ\tขึ้นบรรทัด\nและ\x01");
        assert_string_equal(b->align[ALIGN_GOVERNMENT_POLICY].text, "นโยบาย \"ข้อ 5\"");
        assert_int_equal(b->items[ITEM_OUTPUT].n, 0);
        plan_free(back);
        /* a partial load leaves the lists out and keeps the rest */
        back = store_version_load_part(s, vid, STORE_LOAD_NO_LISTS, err, sizeof err);
        assert_non_null(back);
        assert_int_equal(back->nprojects, 21);
        for (size_t k = 0; k < back->nprojects; k++)
            for (int i = 0; i < ITEM__MAX; i++)
                assert_int_equal(back->projects[k].items[i].n, 0);
        assert_int_equal(back->projects[0].budget, seed->projects[0].budget);
        assert_true(strlist_equal(&back->projects[0].align[ALIGN_MOE_STRATEGY].codes,
                                  &seed->projects[0].align[ALIGN_MOE_STRATEGY].codes));
        plan_free(back);
    }
    plan_free(p);

    /* importing over the draft empties its index; the next search refills
    ** it from the new rows (a contentless index given wrong text for a
    ** delete would be corrupt, and this would find nothing or too much) */
    g0 = store_generation(s);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    assert_int_equal(store_version_save(s, agency, seed, NULL, err, sizeof err), vid);
    assert_int_equal(store_commit(s, err, sizeof err), 0);
    g1 = store_generation(s);
    assert_true(g1 != g0); /* a commit moves the generation at once */
    p = store_version_load(s, vid, err, sizeof err);
    assert_int_equal(search_nos(s, vid, p, "พระราชทาน", nos), 1);
    assert_int_equal(nos[0], 14);
    assert_int_equal(search_nos(s, vid, p, "Kanokwan", nos), 0);

    /* a search through another connection sees the same index */
    s2 = store_open(dbpath, err, sizeof err);
    assert_non_null(s2);
    assert_int_equal(search_nos(s2, vid, p, "พระราชทาน", nos), 1);
    assert_int_equal(store_generation(s2), store_generation(s)); /* nothing since */
    store_close(s2);
    plan_free(p);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_replace_draft_and_rollback),
        cmocka_unit_test(test_units_and_reference),
        cmocka_unit_test(test_search_index_lazy),
        cmocka_unit_test(test_alignment_object_form),
        cmocka_unit_test(test_migration_5_drops_json_checks),
        cmocka_unit_test(test_migration_concurrent_open),
        cmocka_unit_test(test_db_image_is_current),
        cmocka_unit_test(test_db_image_new_database),
        cmocka_unit_test(test_db_image_not_over_a_file),
        cmocka_unit_test(test_db_image_concurrent_create),
        cmocka_unit_test(test_open_large),
        cmocka_unit_test(test_round_trip_large), /* a database of its own */
        cmocka_unit_test(test_save_fails_half_way),
    };
    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
