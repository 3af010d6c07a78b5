/*
** web_public.h — the public site on the web server: GET /public and
** everything under /public/ (no sign-in; routes flagged WEB_PUBLIC). The
** pages and files come from publish.h, the same bytes as
** `phaen publish --static DIR`; only published versions are reachable.
*/
#ifndef PHAEN_WEB_PUBLIC_H
#define PHAEN_WEB_PUBLIC_H

#include "http.h"

/* GET /public (redirects to /public/) and GET /public/… */
void web_public(http_req *r);

#endif
