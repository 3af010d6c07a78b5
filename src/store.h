/*
** store.h — persistence. The only interface to the database: every SQL
** statement of phaen lives behind it (store_sqlite.c today; a PostgreSQL
** store for ministry-wide deployments would implement the same functions).
**
** The store speaks the model (plan_doc, unit_registry, refdata), never rows.
** Each user action is one transaction: callers bracket writes with
** store_begin() / store_commit(), or store_rollback() on any error.
** Errors: functions return 0 (or an id > 0) on success and -1 (or 0) on
** failure with a one-line reason in err.
*/
#ifndef PHAEN_STORE_H
#define PHAEN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "ref.h"
#include "unit.h"

typedef struct store store;

/* Open (creating and migrating as needed) the database at path. New
** databases get the built-in reference lists. Returns NULL with err set. */
store *store_open(const char *path, char *err, size_t errlen);
void store_close(store *s);

int store_begin(store *s, char *err, size_t errlen);
int store_commit(store *s, char *err, size_t errlen);
void store_rollback(store *s);

/* Schema version (PRAGMA user_version) after migrations. */
int store_schema_version(store *s);

/* ---- agencies and units ------------------------------------------------------- */

/* Id of the agency with this name, creating it (with the built-in unit
** registry) when new. */
int64_t store_agency_ensure(store *s, const char *name, char *err, size_t errlen);
/* The agency to use when none is named: the only one, or 0 when there are
** none. *name gets heap memory (may be NULL). */
int64_t store_agency_default(store *s, char **name);

int store_units_load(store *s, int64_t agency, unit_registry *out, char *err, size_t errlen);
int store_unit_add(store *s, int64_t agency, const char *name, char *err, size_t errlen);
int store_unit_alias(store *s, int64_t agency, const char *unit, const char *alias, char *err,
                     size_t errlen);

/* ---- reference lists ------------------------------------------------------------ */

/* Returns heap memory (ref_free), or NULL with err. */
refdata *store_ref_load(store *s, char *err, size_t errlen);
int store_ref_replace(store *s, align_field list, const ref_list *l, char *err, size_t errlen);

/* ---- plans and versions ------------------------------------------------------------ */

typedef struct version_info {
    int64_t id;
    int fiscal_year;
    int revision;
    char label[256];
    char status[16];
    char created[24];
    char source[256];
    int nprojects;
    int64_t budget;
} version_info;

/*
** Save a plan document as a version of its plan (plan = agency + fiscal
** year + title). A draft version with the same revision is replaced;
** otherwise a new draft version is created. *replaced tells which (may be
** NULL). Returns the version id, or 0 with err.
*/
int64_t store_version_save(store *s, int64_t agency, const plan_doc *p, int *replaced,
                           char *err, size_t errlen);

/* Load a version. Returns heap memory (plan_free), or NULL with err. */
plan_doc *store_version_load(store *s, int64_t version, char *err, size_t errlen);

/* The most recently saved version of the agency (fiscal_year 0 = any
** year); 0 when there is none. */
int64_t store_version_latest(store *s, int64_t agency, int fiscal_year);

/* All versions of an agency, newest first. *out is heap memory. */
int store_versions_list(store *s, int64_t agency, version_info **out, size_t *n, char *err,
                        size_t errlen);

#endif
