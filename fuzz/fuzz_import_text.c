/*
** fuzz_import_text.c — libFuzzer harness: the text importer on arbitrary
** bytes, then (when a plan comes back) unit matching, every check, and the
** JSON export. Everything is freed, so LeakSanitizer sees real leaks only.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "export.h"
#include "import_text.h"
#include "plan.h"
#include "ref.h"
#include "unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unit_registry units;
static refdata *ref;

static void init_once(void)
{
    if (ref)
        return;
    unit_registry_builtin(&units);
    ref = ref_builtin();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    char *copy;
    plan_doc *p;
    import_opts o;

    init_once();
    /* An exactly sized heap copy, so reads past `size` trip ASan. */
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);

    memset(&o, 0, sizeof o);
    o.units = &units;
    o.ref = ref;
    o.fiscal_year = 0;
    o.source_name = "fuzz.txt";
    err[0] = 0;
    p = import_text(copy, size, &o, err, sizeof err);
    if (p) {
        findings fs = {0};
        char *json;
        import_match_units(p, &units);
        check_plan(p, ref, &units, &fs);
        json = export_json_string(p, &fs);
        if (!json)
            abort();
        free(json);
        findings_free(&fs);
        plan_free(p);
    } else if (!err[0]) {
        abort(); /* NULL without a reason breaks the contract */
    }
    free(copy);
    return 0;
}
