/*
** ref.c — see ref.h.
*/
#include "ref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "embed.h"

refdata *ref_new(void)
{
    return xcalloc(1, sizeof(refdata));
}

static void list_clear(ref_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].code);
        free(l->v[i].title_th);
        free(l->v[i].title_en);
        free(l->v[i].parent);
    }
    free(l->v);
    free(l->source);
    memset(l, 0, sizeof *l);
}

void ref_free(refdata *r)
{
    if (!r)
        return;
    for (int i = 0; i < ALIGN__MAX; i++)
        list_clear(&r->lists[i]);
    free(r);
}

void ref_add(ref_list *l, const char *code, const char *title_th, const char *title_en,
             const char *parent)
{
    ref_item *it;
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    it = &l->v[l->n++];
    it->code = xstrdup(code);
    it->title_th = xstrdup(title_th ? title_th : "");
    it->title_en = title_en && *title_en ? xstrdup(title_en) : NULL;
    it->parent = parent && *parent ? xstrdup(parent) : NULL;
}

static int column(const strlist *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->n; i++)
        if (strcmp(hdr->v[i], name) == 0)
            return (int)i;
    return -1;
}

int ref_load_csv(refdata *r, align_field list, const char *data, size_t len, bool complete,
                 const char *source, char *err, size_t errlen)
{
    csv_reader rd;
    strlist hdr = {0}, row = {0};
    ref_list nl = {0};
    int c_code, c_th, c_en, c_parent, rc;

    csv_init(&rd, data, len);
    if (csv_next(&rd, &hdr, err, errlen) != 1 || (c_code = column(&hdr, "code")) < 0 ||
        (c_th = column(&hdr, "title_th")) < 0) {
        snprintf(err, errlen,
                 "รายการอ้างอิงต้องมีหัวคอลัมน์ code,title_th / a reference list needs the "
                 "header code,title_th");
        strlist_free(&hdr);
        return -1;
    }
    c_en = column(&hdr, "title_en");
    c_parent = column(&hdr, "usual_national_strategy");
    while ((rc = csv_next(&rd, &row, err, errlen)) == 1) {
        alignment a = {0};
        const char *code;
        if (row.n == 1 && !*row.v[0])
            continue; /* blank line */
        if ((int)row.n <= c_code || (int)row.n <= c_th) {
            snprintf(err, errlen, "บรรทัด %d: คอลัมน์ไม่ครบ / line %d: missing columns",
                     rd.line, rd.line);
            rc = -1;
            break;
        }
        if (!plan_parse_alignment(list, row.v[c_code], &a) || a.codes.n != 1) {
            snprintf(err, errlen, "บรรทัด %d: รหัส '%s' ไม่ถูกรูปแบบ / line %d: malformed code '%s'",
                     rd.line, row.v[c_code], rd.line, row.v[c_code]);
            strlist_free(&a.codes);
            free(a.text);
            rc = -1;
            break;
        }
        code = a.codes.v[0];
        ref_add(&nl, code, row.v[c_th], c_en >= 0 && (int)row.n > c_en ? row.v[c_en] : NULL,
                c_parent >= 0 && (int)row.n > c_parent ? row.v[c_parent] : NULL);
        strlist_free(&a.codes);
        free(a.text);
    }
    strlist_free(&hdr);
    strlist_free(&row);
    if (rc < 0) {
        list_clear(&nl);
        return -1;
    }
    nl.complete = complete;
    nl.source = xstrdup(source ? source : "");
    list_clear(&r->lists[list]);
    r->lists[list] = nl;
    return 0;
}

refdata *ref_builtin(void)
{
    const embedded_file *lists = embed_find("lists.csv");
    refdata *r = ref_new();
    csv_reader rd;
    strlist row = {0};
    char err[256];

    if (!lists)
        panic("embedded lists.csv missing");
    csv_init(&rd, lists->data, strlen(lists->data));
    if (csv_next(&rd, &row, err, sizeof err) != 1)
        panic("embedded lists.csv empty");
    while (csv_next(&rd, &row, err, sizeof err) == 1) {
        int f;
        if (row.n < 4)
            continue;
        f = align_from_key(row.v[0]);
        if (f < 0)
            panic("embedded lists.csv: unknown list %s", row.v[0]);
        if (*row.v[1]) {
            const embedded_file *ef = embed_find(row.v[1]);
            if (!ef)
                panic("embedded file %s missing", row.v[1]);
            if (ref_load_csv(r, (align_field)f, ef->data, strlen(ef->data), row.v[2][0] == '1',
                             row.v[3], err, sizeof err) != 0)
                panic("embedded %s: %s", row.v[1], err);
        } else {
            r->lists[f].complete = row.v[2][0] == '1';
            free(r->lists[f].source);
            r->lists[f].source = xstrdup(row.v[3]);
        }
    }
    strlist_free(&row);
    return r;
}

const ref_item *ref_find(const refdata *r, align_field list, const char *code)
{
    const ref_list *l = &r->lists[list];
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].code, code) == 0)
            return &l->v[i];
    return NULL;
}
