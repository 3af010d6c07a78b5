/*
** web.h — the web application's shared parts: routing, who is asking,
** permissions, CSRF, the page frame, errors. Each page file (web_*.c)
** holds handlers; every handler follows the same steps: who is it → may
** they → CSRF on POST → validate → model → render.
*/
#ifndef PHAEN_WEB_H
#define PHAEN_WEB_H

#include "check.h"
#include "html.h"
#include "http.h"
#include "plan.h"

/* Route flags. */
enum {
    WEB_PUBLIC = 1,  /* no sign-in needed */
    WEB_PREFIX = 2,  /* path is a prefix ("/project/" + id) */
    WEB_API = 4,     /* JSON errors; bearer tokens accepted */
    WEB_SLOW = 8,    /* may take long (render, hash, read an upload, send mail): a worker's */
};

typedef struct web_route {
    const char *method; /* "GET", "POST", "PUT" */
    const char *path;
    int flags;
    void (*fn)(http_req *r);
} web_route;

/* ---- who and may ---------------------------------------------------------- */

bool web_can_edit_project(const http_req *r, const project *pr);
bool web_can_plan(const http_req *r);   /* planner or admin */
bool web_is_admin(const http_req *r);

/* POST forms carry the session's CSRF token in field "csrf"; false (and a
** 403 page) when it is missing or wrong. */
bool web_check_csrf(http_req *r);

/* ---- responses -------------------------------------------------------------- */

/* An error page (or JSON error under /api/) with a Thai and English line. */
void web_error(http_req *r, int status, const char *th, const char *en);
void web_json(http_req *r, int status, const char *json_text);

/* Page frame: <html lang="th"> … header with the user and navigation … */
void web_page_begin(http_req *r, const char *title);
void web_page_end(http_req *r);
/* A hidden CSRF field for forms. */
void web_csrf_field(http_req *r);

/* ---- data ------------------------------------------------------------------------ */

/* The agency and the latest version the request works on; the plan is
** loaded (heap; plan_free) or NULL with an error page already set. */
plan_doc *web_load_plan(http_req *r, int64_t *version, int64_t *agency);
void web_checks(http_req *r, const plan_doc *p, int64_t agency, findings *fs);

/* Audit an action of the signed-in user (or the command line). */
void web_audit(http_req *r, const char *action, const char *entity, const char *old_json,
               const char *new_json);

/* ---- handlers in the page files ------------------------------------------------ */

void web_import_get(http_req *r);   /* web_import.c */
void web_import_post(http_req *r);
void web_admin_users(http_req *r);  /* web_admin.c */
void web_admin_users_post(http_req *r);
void web_admin_units(http_req *r);
void web_admin_units_post(http_req *r);
void web_admin_ref(http_req *r);
void web_audit_page(http_req *r);
void web_api(http_req *r);          /* web_api.c: everything under /api/v1/ */

#endif
