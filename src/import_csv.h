/*
** import_csv.h — read a plan back from the canonical CSV written by
** export_csv_string() (and edited in a spreadsheet). See docs/csv-format.md.
*/
#ifndef PHAEN_IMPORT_CSV_H
#define PHAEN_IMPORT_CSV_H

#include <stddef.h>

#include "plan.h"

/*
** Parse data[0..len) as the canonical CSV. A BOM is optional; header
** columns are matched by name (any order, case and surrounding spaces
** ignored). All or nothing: on the first problem returns NULL with one
** line "source: บรรทัด N คอลัมน์ X: … / line N, column X: …" (Thai, then
** English, saying how to fix it) in err.
**
** On success returns a plan (free with plan_free) holding only projects:
** fiscal_year = fiscal_year_be, source_file = source_name, each project's
** `line` = its CSV line, `unit` = the unit column as written (the caller
** matches it against the unit registry), issue_inferred = false. A period
** that cannot be read, a repaired month and a malformed alignment code are
** kept as written and noted in the project's `notes` (warnings), not errors.
*/
plan_doc *import_csv(const char *data, size_t len, const char *source_name, int fiscal_year_be,
                     char *err, size_t errlen);

#endif
