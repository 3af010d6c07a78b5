/*
** summary.h — totals of a plan: per quarter, per strategic issue, per unit,
** and the cumulative share of the budget planned by the end of each
** quarter. Pure computation over a plan_doc; integer satang throughout
** (percentages in basis points, 1% = 100 bp, rounded half up).
*/
#ifndef PHAEN_SUMMARY_H
#define PHAEN_SUMMARY_H

#include "plan.h"

typedef struct summary_row {
    char *key;       /* issue number as text ("3"), or unit name */
    char *title;     /* issue title, or unit name */
    int nprojects;
    int64_t budget;  /* sum of budgets (no-budget projects count 0) */
    int64_t q[4];
} summary_row;

typedef struct summary {
    int nprojects, nno_budget;
    int64_t budget;       /* total budget */
    int64_t q[4];         /* planned per quarter */
    int64_t cum[4];       /* cumulative planned by end of quarter */
    int cum_bp[4];        /* cum / budget in basis points (0 when budget 0) */
    summary_row *by_issue; /* ordered by issue number; issue 0 = none */
    size_t nissue;
    summary_row *by_unit;  /* ordered by unit name (unmatched: unit_text) */
    size_t nunit;
    bool overflow;         /* a sum overflowed int64 (then totals are 0) */
} summary;

void summary_compute(const plan_doc *p, summary *s);
void summary_free(summary *s);

#endif
