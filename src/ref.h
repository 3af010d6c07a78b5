/*
** ref.h — the national reference lists behind the seven alignment columns,
** and the office's own strategic issues. One list per align_field.
** A list is "complete" when every valid code is in it; only then may a
** well-formed code be reported as unknown (rule align-unknown-code).
*/
#ifndef PHAEN_REF_H
#define PHAEN_REF_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"

typedef struct ref_item {
    char *code;     /* as normalized by plan_parse_alignment: "01", "3" */
    char *title_th;
    char *title_en; /* may be NULL */
    char *parent;   /* master plans: the usual national strategy; may be NULL */
} ref_item;

typedef struct ref_list {
    bool complete;
    char *source;
    ref_item *v;
    size_t n;
} ref_list;

typedef struct refdata {
    ref_list lists[ALIGN__MAX];
} refdata;

refdata *ref_new(void);
void ref_free(refdata *r);

/* The lists shipped in data/reference/ (compiled into the binary).
** Returns heap memory; panics if the embedded data is broken (a bug). */
refdata *ref_builtin(void);

/* Replace one list with the contents of a CSV (header: code,title_th
** [,title_en][,usual_national_strategy]). Codes are normalized as in the
** plan. Returns 0, or -1 with a reason in err (nothing changed). */
int ref_load_csv(refdata *r, align_field list, const char *data, size_t len, bool complete,
                 const char *source, char *err, size_t errlen);

/* Add one item (copies). */
void ref_add(ref_list *l, const char *code, const char *title_th, const char *title_en,
             const char *parent);

const ref_item *ref_find(const refdata *r, align_field list, const char *code);

#endif
