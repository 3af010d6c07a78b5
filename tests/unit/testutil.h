/* testutil.h — shared includes for the cmocka unit tests. */
#ifndef PHAEN_TESTUTIL_H
#define PHAEN_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import_text.h"

#define TEST_SEED "data/samples/lampang-2568-rev1.txt"

/* The seed document imported as `phaen import` does (built-in units and
** reference lists, units matched). Returns heap memory (plan_free), or NULL
** with the reason on stderr. */
static inline plan_doc *test_seed(void)
{
    char err[512];
    size_t len;
    char *data = file_read(TEST_SEED, 0, &len, err, sizeof err);
    unit_registry units = {0};
    refdata *ref = ref_builtin();
    import_opts o = {.source_name = "lampang-2568-rev1.txt"};
    plan_doc *p = NULL;
    unit_registry_builtin(&units);
    o.units = &units;
    o.ref = ref;
    if (data)
        p = import_text(data, len, &o, err, sizeof err);
    if (p)
        import_match_units(p, &units);
    else
        fprintf(stderr, "%s: %s\n", TEST_SEED, err);
    free(data);
    unit_registry_free(&units);
    ref_free(ref);
    return p;
}
/* Two strings (or NULLs) equal; a failure names the expression. */
static inline void test_str_eq(const char *a, const char *b, const char *what)
{
    if ((!a || !b) ? a != b : strcmp(a, b) != 0)
        fail_msg("%s: [%s] != [%s]", what, a ? a : "NULL", b ? b : "NULL");
}
#define assert_str_eq(a, b) test_str_eq((a), (b), #a)

/* What every way of storing a project keeps of it: number, name, lists,
** money, period, unit, strategic issue and alignment codes. The alignment's
** text, the source line and the notes each caller compares its own way. */
static inline void assert_same_project_core(const project *a, const project *b)
{
    assert_int_equal(a->no, b->no);
    assert_str_eq(a->name, b->name);
    for (int k = 0; k < ITEM__MAX; k++)
        assert_true(strlist_equal(&a->items[k], &b->items[k]));
    assert_int_equal(a->has_budget, b->has_budget);
    assert_int_equal(a->budget, b->budget);
    for (int q = 0; q < 4; q++)
        assert_int_equal(a->q[q], b->q[q]);
    assert_str_eq(a->period_text, b->period_text);
    assert_int_equal(date_cmp(a->start, b->start), 0);
    assert_int_equal(date_cmp(a->end, b->end), 0);
    assert_str_eq(a->unit, b->unit);
    assert_str_eq(a->unit_text, b->unit_text);
    assert_int_equal(a->issue, b->issue);
    assert_int_equal(a->issue_inferred, b->issue_inferred);
    for (int f = 0; f < ALIGN__MAX; f++) {
        assert_true(strlist_equal(&a->align[f].codes, &b->align[f].codes));
        assert_int_equal(a->align[f].free_text, b->align[f].free_text);
    }
}
#endif
