/*
** fuzz_import_csv.c — libFuzzer harness: the CSV importer on arbitrary
** bytes. When it accepts the input, its export must import again and
** export to exactly the same bytes (the canonical form is a fixed point).
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "import_csv.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    plan_doc *p, *p2;
    char *csv1, *csv2;
    /* An exactly sized heap copy, so reads past `size` trip ASan. */
    char *copy = malloc(size ? size : 1);

    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    err[0] = 0;
    p = import_csv(copy, size, "fuzz.csv", 2568, err, sizeof err);
    free(copy);
    if (!p) {
        if (!err[0])
            abort();
        return 0;
    }
    csv1 = export_csv_string(p);
    err[0] = 0;
    p2 = import_csv(csv1, strlen(csv1), "fuzz.csv", 2568, err, sizeof err);
    if (!p2) {
        fprintf(stderr, "re-import of the export failed: %s\n--- export ---\n%s\n", err, csv1);
        abort();
    }
    csv2 = export_csv_string(p2);
    if (strcmp(csv1, csv2) != 0) {
        fprintf(stderr, "export -> import -> export differs\n--- first ---\n%s\n--- second ---\n%s\n",
                csv1, csv2);
        abort();
    }
    free(csv1);
    free(csv2);
    plan_free(p2);
    plan_free(p);
    return 0;
}
