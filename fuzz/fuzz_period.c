/*
** fuzz_period.c — libFuzzer harness: thai_period_parse() on arbitrary text
** (NUL-terminated) for fiscal years 2568 and 2400. A period that parses
** must have two valid dates, start <= end.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "thai.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const char *text, int fy)
{
    thai_period per;
    char err[256];

    err[0] = 0;
    if (thai_period_parse(text, fy, &per, err, sizeof err) == 0) {
        if (!date_valid(per.start) || !date_valid(per.end))
            abort();
        if (date_cmp(per.start, per.end) > 0)
            abort();
        if (per.nrepairs < 0 || per.nrepairs > 2)
            abort();
        for (int i = 0; i < per.nrepairs; i++) {
            if (per.repairs[i].month < 1 || per.repairs[i].month > 12)
                abort();
            if (!memchr(per.repairs[i].from, 0, sizeof per.repairs[i].from))
                abort();
        }
    } else if (!err[0]) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;
    one(s, 2568);
    one(s, 2400);
    free(s);
    return 0;
}
