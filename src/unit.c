/*
** unit.c — see unit.h.
*/
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "embed.h"
#include "thai.h"

const unit_entry *unit_registry_find(const unit_registry *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (text_equal_nospace(r->v[i].name, name))
            return &r->v[i];
    return NULL;
}

void unit_registry_add(unit_registry *r, const char *name)
{
    if (unit_registry_find(r, name))
        return;
    r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
    memset(&r->v[r->n], 0, sizeof r->v[0]);
    r->v[r->n].name = xstrdup(name);
    r->n++;
}

int unit_registry_alias(unit_registry *r, const char *name, const char *alias)
{
    unit_entry *u = (unit_entry *)unit_registry_find(r, name);
    if (!u)
        return -1;
    strlist_add(&u->aliases, alias);
    return 0;
}

void unit_registry_free(unit_registry *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        strlist_free(&r->v[i].aliases);
    }
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

void unit_registry_builtin(unit_registry *r)
{
    const embedded_file *f = embed_find("units.csv");
    csv_reader rd;
    strlist row = {0};
    char err[128];
    if (!f)
        panic("embedded units.csv missing");
    csv_init(&rd, f->data, strlen(f->data));
    csv_next(&rd, &row, err, sizeof err); /* header */
    while (csv_next(&rd, &row, err, sizeof err) == 1)
        if (row.n && *row.v[0])
            unit_registry_add(r, row.v[0]);
    strlist_free(&row);
}

unit_match_kind unit_match(const unit_registry *r, const char *text, const unit_entry **out,
                           double *score)
{
    double best = 0, second = 0;
    const unit_entry *bu = NULL;

    *out = NULL;
    if (score)
        *score = 0;
    if (!text || !*text)
        return UNIT_UNKNOWN;
    for (size_t i = 0; i < r->n; i++) {
        const unit_entry *u = &r->v[i];
        double s;
        if (text_equal_nospace(u->name, text)) {
            *out = u;
            if (score)
                *score = 1;
            return UNIT_EXACT;
        }
        for (size_t a = 0; a < u->aliases.n; a++) {
            if (text_equal_nospace(u->aliases.v[a], text)) {
                *out = u;
                if (score)
                    *score = 1;
                return UNIT_EXACT;
            }
        }
        s = text_similarity(u->name, text);
        for (size_t a = 0; a < u->aliases.n; a++) {
            double sa = text_similarity(u->aliases.v[a], text);
            if (sa > s)
                s = sa;
        }
        if (s > best) {
            second = best;
            best = s;
            bu = u;
        } else if (s > second) {
            second = s;
        }
    }
    if (score)
        *score = best;
    if (bu && best >= 0.6 && best - second >= 0.1) {
        *out = bu;
        return UNIT_NEAREST;
    }
    return UNIT_UNKNOWN;
}
