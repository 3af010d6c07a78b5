/*
** xlsx.h — a plan as an Excel workbook (.xlsx) and back.
**
** export_xlsx() writes the official table for people (sheet "แผน": title
** block, two-level header with merged cells, strategic-issue bands, totals
** with SUM formulas and the total in Thai words, A4 landscape print setup),
** the machine-readable project table (sheet "ข้อมูล": exactly the canonical
** CSV columns of docs/csv-format.md, amounts as numbers), the plan-level
** fields (sheet "ข้อมูลแผน": key/value rows) and three summaries
** ("สรุปรายไตรมาส", "สรุปตามประเด็น", "สรุปตามหน่วยงาน").
**
** import_xlsx() reads back "ข้อมูล" and "ข้อมูลแผน" only — the other sheets
** are for reading and printing — so what a planner edits there is what
** comes back. Bytes in, structs out: no SQL and no file I/O.
*/
#ifndef PHAEN_XLSX_H
#define PHAEN_XLSX_H

#include <stddef.h>

#include "plan.h"
#include "summary.h"

/* Names of the sheets, as they appear on the workbook's tabs. */
#define XLSX_SHEET_PLAN "แผน"
#define XLSX_SHEET_DATA "ข้อมูล"
#define XLSX_SHEET_META "ข้อมูลแผน"
#define XLSX_SHEET_BY_QUARTER "สรุปรายไตรมาส"
#define XLSX_SHEET_BY_ISSUE "สรุปตามประเด็น"
#define XLSX_SHEET_BY_UNIT "สรุปตามหน่วยงาน"

/* Largest uncompressed size of one part of an .xlsx that import reads. */
#define XLSX_MAX_PART (64u * 1024 * 1024)

/*
** Write plan `p` as an .xlsx file at `path` (written beside it under a
** temporary name, then renamed into place, so a failure leaves no partial
** file). `s` is p's summary; NULL = computed here. Returns 0, or -1 with a
** one-line reason (Thai / English) in err.
*/
/* After workbook_close(): report a cell error (cell_rc, at `where`) or a
** close error, else move tmp to path. 0, or -1 with err (tmp is left for
** the caller to remove). Shared by every workbook phaen writes. */
int xlsx_finish(int close_rc, int cell_rc, const char *where, const char *tmp, const char *path,
                char *err, size_t errlen);

int export_xlsx(const plan_doc *p, const summary *s, const char *path, char *err, size_t errlen);

/*
** Read a plan from the bytes of an .xlsx written by export_xlsx() (and
** edited in Excel, LibreOffice or Google Sheets). The sheet "ข้อมูล" is read
** as the canonical CSV (header row = column names; see import_csv.h), the
** sheet "ข้อมูลแผน" gives fiscal year (required), agency, title,
** title_line, revision, version_label, the strategic issue titles and which
** projects' issues were inferred.
**
** All or nothing: returns a plan (free with plan_free; source_file =
** source_name, `unit` as written — the caller matches units) or NULL with
** one line "source: ชีต ข้อมูล เซลล์ I5: … / sheet ข้อมูล, cell I5: …" in
** err. Not a zip, a zip without the sheets, a part larger than
** XLSX_MAX_PART uncompressed and malformed XML are errors, never crashes.
*/
plan_doc *import_xlsx(const char *data, size_t len, const char *source_name, char *err,
                      size_t errlen);

#endif
