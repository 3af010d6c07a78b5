/*
** export.h — a plan's open-data forms: JSON (the whole plan, its summary
** and findings) and the canonical CSV (one row per project; see
** docs/csv-format.md). The CSV importer is in import_csv.h.
*/
#ifndef PHAEN_EXPORT_H
#define PHAEN_EXPORT_H

#include <jansson.h>

#include "plan.h"
#include "summary.h"

/*
** Flags to dump export_plan_json()'s result with: 2-space indent, keys in
** insertion order, UTF-8 unescaped, and 10 significant digits for reals so
** that percentages derived from basis points print as 14.19, not
** 14.189999999999999.
*/
#define EXPORT_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/*
** The plan as a JSON object, keys in a fixed order (see docs/csv-format.md
** for the CSV; the JSON keys are listed in export_json.c). `s` may be NULL
** (then "summary" is null); `fs` may be NULL (then "findings" is []).
** Returns a new reference: the caller json_decref()s it.
*/
json_t *export_plan_json(const plan_doc *p, const summary *s, const findings *fs);

/* The "summary" object (null for NULL) and the "findings" array of
** export_plan_json(), alone, for `summary --json` and `check --json`. */
json_t *export_summary_json(const summary *s);
json_t *export_findings_json(const findings *fs);

/* A JSON string for s: null for NULL, and invalid UTF-8 turned into U+FFFD
** rather than lost. New reference. */
json_t *export_json_text(const char *s);

/* The plan as pretty-printed UTF-8 JSON text ending in a newline; computes
** the summary itself. `fs` may be NULL. Returns heap memory (free()). */
char *export_json_string(const plan_doc *p, const findings *fs);

/*
** The canonical CSV: UTF-8 with BOM, CRLF line ends, one header row of
** ASCII column names, then one row per project in plan order. Plan-level
** data (agency, title, strategic issue titles, memo, signers) is not in
** it. Returns heap memory (free()).
*/
char *export_csv_string(const plan_doc *p);

/* The canonical CSV columns, in order, NULL-terminated. */
extern const char *const export_csv_columns[];

#endif
