/*
** import_text.h — read the text extraction of a spending-plan document
** (tab-separated table rows after a memo; see DOMAIN.md and the seed in
** data/samples/) into a plan_doc. Bytes in, structs out: no SQL here.
**
** What it repairs it says: every repair or doubt becomes a note (a finding)
** on the project or the plan. It never guesses silently.
*/
#ifndef PHAEN_IMPORT_TEXT_H
#define PHAEN_IMPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"
#include "ref.h"
#include "unit.h"

typedef struct import_opts {
    const unit_registry *units; /* units to match ผู้รับผิดชอบ against */
    const refdata *ref;         /* titles of strategic issues without a band row */
    int fiscal_year;            /* BE; 0 = read it from the document */
    const char *source_name;    /* provenance recorded on the plan */
    /* told, as the reader moves on, that data[0..upto) will not be read
    ** again (the caller may give those pages back); NULL = not told */
    void (*done_with)(const char *data, size_t upto);
    bool bytes_checked; /* the caller has had import_check_bytes() pass them */
} import_opts;

/*
** Parse a whole document. Returns a new plan (caller frees with plan_free)
** or NULL with a one-line reason "line N: what / how to fix" (Thai, then
** English) in err: not UTF-8, binary, no table, no fiscal year.
*/
plan_doc *import_text(const char *data, size_t len, const import_opts *o, char *err,
                      size_t errlen);

/* Match every project's unit against the agency's registry: the `unit`
** field when it names a registered unit (or alias) exactly, else the
** document's `unit_text` by nearest match; unmatched units become NULL.
** The check engine reports how each was matched. */
void import_match_units(plan_doc *p, const unit_registry *units);

/* Checks shared by every importer: returns 0, or -1 with err naming the
** line of the first offending byte (empty input, NUL bytes, bad UTF-8). */
int import_check_bytes(const char *data, size_t len, char *err, size_t errlen);

#endif
