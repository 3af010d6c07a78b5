/*
** check.h — the one check engine: every rule about a plan, used by the
** command line now and by the web forms later. It reads the model (and
** the notes importers left on it) and appends findings; it changes nothing.
*/
#ifndef PHAEN_CHECK_H
#define PHAEN_CHECK_H

#include "plan.h"
#include "ref.h"
#include "unit.h"

typedef struct rule_info {
    const char *id;
    severity sev;
    const char *what_th;
    const char *what_en;
} rule_info;

/* The rules, in a fixed order; *n gets their count. */
const rule_info *check_rules(size_t *n);
const rule_info *check_rule(const char *id);

/* Check a whole plan: plan-level rules, every project, and the importers'
** notes. Findings are appended to out, sorted. */
void check_plan(const plan_doc *p, const refdata *ref, const unit_registry *units,
                findings *out);

/* Check one project in the context of its plan (web form on save). */
void check_project(const plan_doc *p, const project *pr, const refdata *ref,
                   const unit_registry *units, findings *out);

#endif
