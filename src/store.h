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
/* The same, for a caller about to put a large plan (thousands of projects)
** into it: a database it creates is laid out for that. */
store *store_open_large(const char *path, char *err, size_t errlen);
void store_close(store *s);

int store_begin(store *s, char *err, size_t errlen);
int store_commit(store *s, char *err, size_t errlen);
void store_rollback(store *s);

/* Schema version (PRAGMA user_version) after migrations. */
int store_schema_version(store *s);

/* A number that changes after the database has changed: at once after a
** commit through any connection of this process, and within
** STORE_GENERATION_LAG_MS after a commit by another process. Equal numbers
** mean that what was read from the database may be used again (the web
** server's caches of sessions and pages are keyed by it). */
#define STORE_GENERATION_LAG_MS 100
uint64_t store_generation(store *s);

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
/* The same, leaving out what the caller does not need: with
** STORE_LOAD_NO_LISTS the five text lists of each project (objectives,
** outputs, outcomes, indicators) stay empty. The check engine and the
** summary read none of them; decoding them was half of `check`. */
#define STORE_LOAD_NO_LISTS 1u
plan_doc *store_version_load_part(store *s, int64_t version, unsigned what, char *err,
                                  size_t errlen);

/* The most recently saved version of the agency (fiscal_year 0 = any
** year); 0 when there is none. */
int64_t store_version_latest(store *s, int64_t agency, int fiscal_year);

/* All versions of an agency, newest first. *out is heap memory. */
int store_versions_list(store *s, int64_t agency, version_info **out, size_t *n, char *err,
                        size_t errlen);

/* ---- projects (web edits) ------------------------------------------------------------------ */

/* Outcome of a write that can lose a race. */
enum { STORE_OK = 0, STORE_ERROR = -1, STORE_CONFLICT = -2, STORE_NOT_FOUND = -3 };

/* Replace project `id` with pr (its fields; pr->id and pr->version are the
** row it was read from). When the row's version is no longer
** pr->version, nothing is written and STORE_CONFLICT is returned (the
** current row can then be loaded to show both). On success the row's
** version is incremented and *new_version set. Only drafts can change. */
int store_project_update(store *s, int64_t agency, const project *pr, int64_t *new_version,
                         char *err, size_t errlen);

/* The version a project belongs to (0 = no such project). */
int64_t store_project_version_of(store *s, int64_t project_id);

/* The agency a version belongs to (0 = no such version). */
int64_t store_version_agency(store *s, int64_t version);

/* Version status ("draft", ...): empty string when unknown. */
void store_version_status(store *s, int64_t version, char out[16]);

/* Full-text search (Thai words by libthai) within a version: the ids of the
** matching projects, best first. *ids is heap memory. A version's words are
** indexed by its first search (in a transaction of its own unless the
** caller has one open), not when it is saved. */
int store_search(store *s, int64_t version, const char *query, int64_t **ids, size_t *n,
                 char *err, size_t errlen);

/* ---- people and sessions ----------------------------------------------------------------------- */

typedef enum role {
    ROLE_ADMIN,       /* everything, incl. users */
    ROLE_PLANNER,     /* all projects of the agency */
    ROLE_UNIT_EDITOR, /* only projects of their own unit */
    ROLE_REVIEWER,    /* checks (ผู้ตรวจ) */
    ROLE_APPROVER,    /* head of agency (หัวหน้าส่วนราชการ) */
    ROLE_VIEWER,      /* reads */
    ROLE__MAX
} role;

const char *role_key(role r);  /* "admin", "planner", "unit_editor", ... */
const char *role_th(role r);   /* "ผู้ดูแลระบบ", "นักวิเคราะห์แผน", ... */
int role_from_key(const char *k); /* -1 when unknown */

typedef struct user {
    int64_t id, agency;
    char login[64];
    char name[160];
    role role;
    char unit[256]; /* unit editors: their unit's name; "" otherwise */
    bool active;
} user;

int64_t store_user_add(store *s, int64_t agency, const char *login, const char *name,
                       const char *pwhash, role r, const char *unit, char *err, size_t errlen);
/* Look a user up by login; pwhash (may be NULL) receives the stored hash.
** Returns 0, or STORE_NOT_FOUND. */
int store_user_get(store *s, const char *login, user *out, char *pwhash, size_t pwlen);
int store_user_by_id(store *s, int64_t id, user *out);
/* A new password ends every session of the user: whoever held the old one
** is signed out everywhere (a token for scripts too). */
int store_user_set_password(store *s, const char *login, const char *pwhash, char *err,
                            size_t errlen);
int store_user_set_role(store *s, const char *login, role r, const char *unit, char *err,
                        size_t errlen);
/* Suspend (active = false) or reinstate a user. A suspended user cannot
** sign in, and suspending ends every session the user has. */
int store_user_set_active(store *s, const char *login, bool active, char *err, size_t errlen);
int store_users_list(store *s, int64_t agency, user **out, size_t *n);
int store_user_count(store *s);

int store_session_create(store *s, int64_t user, const char *token_hash, const char *csrf,
                         const char *kind, int64_t expires, char *err, size_t errlen);
/* The session's user, CSRF token and expiry time (may be NULL), or
** STORE_NOT_FOUND (also when expired). */
int store_session_get(store *s, const char *token_hash, int64_t now, int64_t *user,
                      char csrf[72], int64_t *expires);
void store_session_delete(store *s, const char *token_hash);

/* Sign-in throttling: failures recorded for `who` since `since`. */
int store_login_failures(store *s, const char *who, int64_t since);
void store_login_failure_add(store *s, const char *who, int64_t at);
void store_login_failures_clear(store *s, const char *who);

/* ---- the plan's life: revisions, approval, circulation --------------------------------------- */

typedef struct transition {
    int64_t id;
    char at[32];
    char from[16], to[16];
    char login[64], name[160], position[256], role[16];
    char *comment; /* heap, may be NULL */
    char sha256[72];
} transition;

/*
** Move a version to `to` (submitted, checked, approved, published, or back
** to draft) as user u, recording who, when, role, comment and the SHA-256 of
** the version's canonical JSON in the append-only log. The allowed moves
** are enforced by the database too. 0, or -1 with err.
*/
int store_transition(store *s, int64_t version, const char *to, const user *u,
                     const char *comment, const char *sha256, char *err, size_t errlen);
int store_transitions(store *s, int64_t version, transition **out, size_t *n);
void store_transitions_free(transition *v, size_t n);

/* A new draft revision copied from `from` (approved or published): revision
** number one above the plan's highest, label and reason as given. Returns the
** new version's id, or 0 with err. */
int64_t store_revision_create(store *s, int64_t agency, int64_t from, const char *label,
                              const char *reason, char *err, size_t errlen);

/* The allocated budget of a draft (overall; < 0 clears it) and per unit. */
int store_version_set_allocation(store *s, int64_t version, int64_t satang, char *err,
                                 size_t errlen);
int store_version_set_unit_allocation(store *s, int64_t agency, int64_t version,
                                      const char *unit, int64_t satang, char *err,
                                      size_t errlen);
/* A project's recorded reason for a change (drafts only). */
int store_project_set_reason(store *s, int64_t project_id, const char *reason, char *err,
                             size_t errlen);
int store_user_set_position(store *s, const char *login, const char *position, char *err,
                            size_t errlen);

typedef struct plan_notice {
    int64_t id, version;
    char unit[256];
    char created[32];
    char acked_at[32]; /* "" = not yet read */
    char acked_by[64];
} plan_notice;

/* แจ้งเวียน: one notice per unit of the agency for an approved version. */
int store_notices_create(store *s, int64_t agency, int64_t version, char *err, size_t errlen);
/* Notices of a version (0 = all), of one unit (NULL = every unit). */
int store_notices(store *s, int64_t version, const char *unit, plan_notice **out, size_t *n);
/* Acknowledge a notice of the user's unit: a read receipt. */
int store_notice_ack(store *s, int64_t id, const char *unit, const char *login, char *err,
                     size_t errlen);

/* Units' e-mail addresses for notices. */
int store_unit_set_email(store *s, int64_t agency, const char *unit, const char *email, char *err,
                         size_t errlen);
int store_unit_emails(store *s, int64_t agency, strlist *units, strlist *emails);

/* ---- audit log (append-only, enforced by triggers) ----------------------------------------------- */

typedef struct audit_entry {
    int64_t id;
    char at[32];
    char user[64];
    char action[48];
    char *entity, *old_value, *new_value; /* heap */
} audit_entry;

int store_audit_add(store *s, int64_t user, const char *login, const char *action,
                    const char *entity, const char *old_json, const char *new_json, char *err,
                    size_t errlen);
int store_audit_list(store *s, int64_t before_id, int limit, audit_entry **out, size_t *n);
void store_audit_free(audit_entry *v, size_t n);

#endif
