/*
** test_store.c — the SQLite store: a plan saved and loaded back is the
** same plan; a draft of the same revision is replaced; a rolled-back
** transaction leaves nothing; schema, units and reference lists.
*/
#include "testutil.h"

#include <unistd.h>

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
    assert_int_equal(a->no, b->no);
    assert_string_equal(a->name, b->name);
    for (int k = 0; k < ITEM__MAX; k++)
        assert_true(strlist_equal(&a->items[k], &b->items[k]));
    assert_int_equal(a->has_budget, b->has_budget);
    assert_int_equal(a->budget, b->budget);
    for (int q = 0; q < 4; q++)
        assert_int_equal(a->q[q], b->q[q]);
    assert_string_equal(a->period_text, b->period_text);
    assert_int_equal(date_cmp(a->start, b->start), 0);
    assert_int_equal(date_cmp(a->end, b->end), 0);
    assert_string_equal(a->unit, b->unit);
    assert_string_equal(a->unit_text, b->unit_text);
    assert_int_equal(a->issue, b->issue);
    assert_int_equal(a->issue_inferred, b->issue_inferred);
    for (int f = 0; f < ALIGN__MAX; f++) {
        assert_true(strlist_equal(&a->align[f].codes, &b->align[f].codes));
        assert_int_equal(a->align[f].free_text, b->align[f].free_text);
        if (a->align[f].text)
            assert_string_equal(a->align[f].text, b->align[f].text);
        else
            assert_null(b->align[f].text);
    }
    assert_int_equal(a->line, b->line);
    assert_int_equal(a->notes.n, b->notes.n);
}

static void test_round_trip(void **state)
{
    char err[512];
    store *s;
    int64_t agency, vid;
    plan_doc *back;
    (void)state;
    remove_db();
    s = store_open(dbpath, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 3);
    assert_int_equal(store_begin(s, err, sizeof err), 0);
    agency = store_agency_ensure(s, seed->agency, err, sizeof err);
    assert_true(agency > 0);
    vid = store_version_save(s, agency, seed, NULL, err, sizeof err);
    assert_true(vid > 0);
    assert_int_equal(store_commit(s, err, sizeof err), 0);

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_replace_draft_and_rollback),
        cmocka_unit_test(test_units_and_reference),
    };
    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
