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
#endif
