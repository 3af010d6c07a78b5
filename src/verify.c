/*
** verify.c — see verify.h.
*/
#include "verify.h"

#include <jansson.h>
#include <stdlib.h>

#include "auth.h"
#include "export.h"

char *plan_canonical_json(const plan_doc *p)
{
    json_t *o = export_plan_json(p, NULL, NULL);
    char *t;
    json_object_del(o, "summary");
    json_object_del(o, "findings");
    json_object_del(o, "signers");
    t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return t;
}

void plan_sha256(const plan_doc *p, char out[65])
{
    char *t = plan_canonical_json(p);
    auth_sha256_hex(t, out);
    free(t);
}
