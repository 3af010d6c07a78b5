/*
** verify.h — the fingerprint of a plan version: SHA-256 of its canonical
** JSON (the open-data JSON with keys sorted, compact, without what is
** derived: summary, findings, and the signers, which come from the approval
** log itself). Every transition records it; `phaen verify` recomputes it.
*/
#ifndef PHAEN_VERIFY_H
#define PHAEN_VERIFY_H

#include "plan.h"

/* The canonical JSON (heap memory). */
char *plan_canonical_json(const plan_doc *p);
/* Its SHA-256 as 64 hex characters. */
void plan_sha256(const plan_doc *p, char out[65]);

#endif
