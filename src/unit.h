/*
** unit.h — the agency's registry of units (กลุ่ม) with aliases, and the
** matching of a unit name as written in a document against it.
*/
#ifndef PHAEN_UNIT_H
#define PHAEN_UNIT_H

#include "util.h"

typedef struct unit_entry {
    char *name;
    strlist aliases;
} unit_entry;

typedef struct unit_registry {
    unit_entry *v;
    size_t n;
} unit_registry;

void unit_registry_add(unit_registry *r, const char *name); /* no-op if present */
int unit_registry_alias(unit_registry *r, const char *name, const char *alias); /* -1: no unit */
const unit_entry *unit_registry_find(const unit_registry *r, const char *name);
void unit_registry_free(unit_registry *r);
/* The registry seed of data/reference/units.csv. */
void unit_registry_builtin(unit_registry *r);

typedef enum unit_match_kind {
    UNIT_EXACT,   /* the name or an alias, ignoring spaces */
    UNIT_NEAREST, /* clearly nearest registered name (similarity >= 0.6, lead >= 0.1) */
    UNIT_UNKNOWN
} unit_match_kind;

/* Match `text`; on EXACT/NEAREST *out points to the entry. *score gets the
** similarity of the best candidate (may be NULL). */
unit_match_kind unit_match(const unit_registry *r, const char *text, const unit_entry **out,
                           double *score);

/* unit_match() for many texts against a registry that does not change
** meanwhile, each distinct text matched once: a plan names its few units
** again and again, and a nearest match compares every name letter by
** letter (a tenth of checking a 10,500-project plan). */
typedef struct unit_memo unit_memo;
unit_memo *unit_memo_new(const unit_registry *r);
unit_match_kind unit_memo_match(unit_memo *m, const char *text, const unit_entry **out,
                                double *score);
void unit_memo_free(unit_memo *m);

#endif
