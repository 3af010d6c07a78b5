/*
** fuzz_amount.c — libFuzzer harness: thai_amount_parse() on arbitrary
** bytes. A value must survive money_format() and a second parse unchanged
** (in Arabic and in Thai digits); thai_baht_text() must not fail on it.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "thai.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(int64_t satang, bool thai_digits)
{
    buf b;
    int64_t again = -1;

    buf_init(&b, 0);
    money_format(&b, satang, thai_digits);
    if (!b.s || b.overflow)
        abort();
    if (thai_amount_parse(b.s, b.len, &again) != AMOUNT_VALUE || again != satang)
        abort();
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t satang = -1;
    amount_kind k;
    /* An exactly sized heap copy (no NUL): the parser must honour `n`. */
    char *s = malloc(size ? size : 1);

    if (!s)
        return 0;
    if (size)
        memcpy(s, data, size);
    k = thai_amount_parse(s, size, &satang);
    if (k != AMOUNT_VALUE) {
        if (satang != 0)
            abort(); /* the contract: 0 unless AMOUNT_VALUE */
    } else {
        buf b;
        if (satang < 0 || satang > AMOUNT_MAX_SATANG)
            abort();
        roundtrip(satang, false);
        roundtrip(satang, true);
        buf_init(&b, 0);
        thai_baht_text(&b, satang);
        if (!b.s || !b.len || !utf8_valid(b.s, b.len))
            abort();
        buf_free(&b);
    }
    free(s);
    return 0;
}
