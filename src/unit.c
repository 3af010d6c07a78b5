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

/* ---- unit_memo: an open-addressing table keyed by the text ---------------------------- */

typedef struct memo_slot {
    char *text; /* NULL: empty */
    uint32_t hash;
    unit_match_kind kind;
    const unit_entry *entry;
    double score;
} memo_slot;

struct unit_memo {
    const unit_registry *reg;
    memo_slot *v;
    size_t cap, n; /* cap: a power of two */
};

static uint32_t memo_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

unit_memo *unit_memo_new(const unit_registry *r)
{
    unit_memo *m = xcalloc(1, sizeof *m);
    m->reg = r;
    m->cap = 64;
    m->v = xcalloc(m->cap, sizeof *m->v);
    return m;
}

static memo_slot *memo_find(memo_slot *v, size_t cap, const char *text, uint32_t h)
{
    size_t i = h & (cap - 1);
    while (v[i].text && (v[i].hash != h || strcmp(v[i].text, text) != 0))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

unit_match_kind unit_memo_match(unit_memo *m, const char *text, const unit_entry **out,
                                double *score)
{
    uint32_t h;
    memo_slot *slot;
    if (!text || !*text)
        return unit_match(m->reg, text, out, score);
    h = memo_hash(text);
    slot = memo_find(m->v, m->cap, text, h);
    if (!slot->text) {
        if (2 * (m->n + 1) > m->cap) { /* keep it at most half full */
            size_t cap = m->cap * 2;
            memo_slot *v = xcalloc(cap, sizeof *v);
            for (size_t i = 0; i < m->cap; i++)
                if (m->v[i].text)
                    *memo_find(v, cap, m->v[i].text, m->v[i].hash) = m->v[i];
            free(m->v);
            m->v = v;
            m->cap = cap;
            slot = memo_find(m->v, m->cap, text, h);
        }
        slot->text = xstrdup(text);
        slot->hash = h;
        slot->kind = unit_match(m->reg, text, &slot->entry, &slot->score);
        m->n++;
    }
    *out = slot->entry;
    if (score)
        *score = slot->score;
    return slot->kind;
}

void unit_memo_free(unit_memo *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->v[i].text);
    free(m->v);
    free(m);
}
