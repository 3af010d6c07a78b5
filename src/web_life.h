/*
** web_life.h — the plan's life on the web (web_life.c):
**   GET  /versions                    every version of the agency: status, revision,
**                                     reason, budget and allocation, the approval log
**                                     with its SHA-256, a verification mark, and the
**                                     moves the signed-in user may make now
**   POST /versions/new                a new draft revision of the latest approved version
**   POST /versions/{id}/submit|review|approve|publish|return
**                                     move a version (comment; required to return)
**   POST /versions/{id}/allocation    allocated budget, overall and per unit (drafts)
**   POST /versions/{id}/reason        why a project's money changed (drafts)
**   GET  /inbox                       notices (แจ้งเวียน) to the user's unit; planners see
**                                     every unit's read receipt
**   POST /inbox/{id}/ack              acknowledge a notice (รับทราบ)
** After an approval, units with an e-mail address get the notice by mail
** when PHAEN_SMTP_URL and PHAEN_SMTP_FROM are set (PHAEN_BASE_URL, when set,
** is the server's public address for the links).
*/
#ifndef PHAEN_WEB_LIFE_H
#define PHAEN_WEB_LIFE_H

#include "http.h"

void web_life_versions(http_req *r);      /* GET /versions */
void web_life_versions_post(http_req *r); /* POST /versions/ (prefix) */
void web_life_inbox(http_req *r);         /* GET /inbox */
void web_life_inbox_post(http_req *r);    /* POST /inbox/ (prefix) */

#endif
