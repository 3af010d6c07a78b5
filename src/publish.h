/*
** publish.h — the public site: what an office publishes on its website
** (DOMAIN.md: "publish it on the office's website"; transparency
** assessments require it). One generator, two outlets: the web server's
** pages under /public/ (web_public.c) and a static copy for any web host
** (`phaen publish --static DIR`). Both give the same bytes for the same
** path, because every link is relative and nothing depends on the request.
**
** Only versions whose status is "published" (and that belong to the
** agency) are ever generated. Drafts, submitted, checked and approved
** versions are not reachable: publish_resolve() says PUBLISH_NOT_FOUND for
** them exactly as for ids that do not exist.
**
** The site, as paths relative to its root (/public/ on the server):
**   index.html                   published versions per fiscal year
**   feed.atom                    Atom feed (RFC 4287), one entry per publication
**   static/style.css             the application's stylesheet (embedded)
**   versions/ID/index.html       the plan table, summary chart, downloads
**   versions/ID/plan.pdf         the official table (no check findings: the
**   versions/ID/memo.pdf           public copy is the approved document)
**   versions/ID/summary.pdf      the charts; summary.svg the same as SVG
**   versions/ID/summary.svg
**   versions/ID/plan.xlsx        the workbook (as export_xlsx)
**   versions/ID/plan.csv         the canonical CSV (docs/csv-format.md)
**   versions/ID/plan.json        the open-data JSON (findings: [])
**   versions/ID/datapackage.json an Open Fiscal Data Package describing
**   versions/ID/budget.csv         budget.csv (layout below)
**
** budget.csv layout — one row per project, the four quarters as columns
** (not one row per project per quarter): a row then reads like a row of
** the plan table, every measure column sums to the plan's totals row, and
** the quarter columns are the plan's own "แผนการใช้จ่ายงบประมาณ ไตรมาส 1..4".
** UTF-8 without BOM, CRLF line ends, a header row of the field names in
** datapackage.json order. Amounts are baht with exactly two decimals and
** no separators ("6330.00"), printed from int64 satang as integer part and
** remainder (never through floating point). Dates are ISO (YYYY-MM-DD);
** an unreadable operating period leaves period_start/period_end empty
** (allowed: those fields are not required). The budget phase is the
** constant column budget_phase: "approved" for the original plan
** (revision 0), "adjusted" for a revision (ฉบับปรับปรุง ครั้งที่ N); the
** same value is the package property "budgetStage" and each measure's
** "phase".
*/
#ifndef PHAEN_PUBLISH_H
#define PHAEN_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "store.h"
#include "util.h"

/* Results of publish_resolve() (PUBLISH_NOT_FOUND matches STORE_NOT_FOUND). */
enum { PUBLISH_OK = 0, PUBLISH_ERROR = -1, PUBLISH_NOT_FOUND = -3, PUBLISH_REDIRECT = -4 };

/* The files of one published version, NULL-terminated; "index.html" first. */
extern const char *const publish_version_files[];

/* One publication: a published version of the agency. */
typedef struct publish_entry {
    int64_t id;
    int fiscal_year; /* BE */
    int revision;
    char label[256];
    char *title;     /* the document's title line (heap) */
    char *agency;    /* heap */
    int nprojects;
    int64_t budget;  /* satang */
    char published_at[24]; /* first transition to "published", UTC: 2025-01-13T02:30:00Z */
    date published_on;     /* its date in Thai time (UTC+7) */
    char sha256[72];       /* the version's fingerprint recorded at publication */
} publish_entry;

/* Published versions of the agency, newest publication first. *out is
** heap memory (publish_list_free). 0, or -1 with err. */
int publish_list(store *s, int64_t agency, publish_entry **out, size_t *n, char *err,
                 size_t errlen);
void publish_list_free(publish_entry *v, size_t n);

/* True when version `id` is published and belongs to the agency. `e` (may
** be NULL) gets published_at, published_on and sha256 (not the rest). */
bool publish_version_public(store *s, int64_t agency, int64_t id, publish_entry *e);

/* A resolved path of the site. */
typedef struct publish_target {
    enum { PUBLISH_T_INDEX, PUBLISH_T_FEED, PUBLISH_T_STYLE, PUBLISH_T_VERSION } kind;
    int64_t version;     /* PUBLISH_T_VERSION */
    const char *file;    /* a name from publish_version_files ("index.html", ...) */
    const char *ctype;   /* Content-Type */
    char key[200];       /* for files that never change (a published version's):
                          ** a cache key; "" for the index and the feed */
} publish_target;

/*
** Resolve a path relative to the site root ("", "index.html", "feed.atom",
** "static/style.css", "versions/12/", "versions/12/index.html",
** "versions/12/plan.pdf"). Strict: ids are decimal without sign or leading
** zero, no empty, "." or ".." segments, nothing else. PUBLISH_OK;
** PUBLISH_REDIRECT for "versions/12" of a public version (the page needs
** its trailing slash for its relative links); PUBLISH_NOT_FOUND for
** anything else, including every version that is not public.
*/
int publish_resolve(store *s, int64_t agency, const char *path, publish_target *t);

/* The bytes of a resolved target, appended to out. 0, or -1 with err
** (PUBLISH_NOT_FOUND when the version stopped being public). */
int publish_generate(store *s, int64_t agency, const publish_target *t, buf *out, char *err,
                     size_t errlen);

/*
** Write the whole public site of the agency into `dir`: index.html,
** feed.atom, static/style.css and versions/ID/… for every published
** version, and a marker file .phaen-site. Everything is written into a
** new temporary directory beside `dir` and then renamed into place (an
** existing `dir` is exchanged atomically and then removed), so a reader
** never sees half a site and a failure leaves `dir` as it was. An
** existing `dir` is replaced only when it is empty or was written by
** publish_static (has .phaen-site); anything else is refused.
** Returns 0 (also when nothing is published yet: an index saying so), or
** -1 with a one-line reason (Thai / English) in err.
*/
int publish_static(store *s, int64_t agency, const char *dir, char *err, size_t errlen);

/* ---- the parts, from a loaded plan (no store; for tests and reuse) ---------- */

/* datapackage.json of a published version (p->version_id set); e gives
** the publication time. Returns heap memory (JSON text ending in "\n"). */
char *publish_datapackage_json(const plan_doc *p, const publish_entry *e);
/* budget.csv (layout above). Returns heap memory. */
char *publish_budget_csv(const plan_doc *p);
/* The budget phase of a version: "approved" (revision 0) or "adjusted". */
const char *publish_phase(const plan_doc *p);
/* The Atom feed of these publications (newest first). Returns heap memory. */
char *publish_feed_atom(const char *agency, const publish_entry *v, size_t n);
/* A stable urn:uuid (RFC 9562 version 8, from SHA-256) for a name. */
void publish_uuid(const char *name, char out[46]);

#endif
