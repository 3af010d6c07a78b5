/*
** export_diff_xlsx.c — the comparison of two versions of a plan as an Excel
** workbook, with libxlsxwriter (see diff.h for the sheets). Amounts are
** numbers (baht); every change is a formula =new-old with its value cached,
** so the workbook reads right before and after recalculation.
*/
#include "diff.h"

#include <errno.h>
#include <inttypes.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "xlsx.h"
#include "xlsx_sheet.h"

#define NO_BUDGET_TEXT "ไม่ใช้งบประมาณ"
#define HL_COLOR 0xFFEB9C   /* a changed value */
#define HEAD_COLOR 0xDDEBF7
#define BAND_COLOR 0xF2F2F2

#define SHEET_COMPARE "เปรียบเทียบ"
#define SHEET_FIELDS "รายละเอียดที่เปลี่ยน"
#define SHEET_TOTALS "ยอดรวม"

typedef struct dxw {
    xsw s; /* workbook, first error, row heights (xlsx_sheet.h) */
    lxw_format *title, *subtitle, *head, *band, *text, *center, *text_hl, *center_hl;
    lxw_format *money, *money_hl, *qmoney, *qmoney_hl, *delta, *delta_hl;
    lxw_format *tot_label, *tot_money, *tot_delta, *tot_text;
} dxw;

/* ---- row heights ------------------------------------------------------------------------- */

/* ---- cells --------------------------------------------------------------------------------- */

static lxw_format *fmt(dxw *x, bool boxed)
{
    lxw_format *f = xsw_format(&x->s);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (boxed)
        format_set_border(f, LXW_BORDER_THIN);
    return f;
}

static void make_formats(dxw *x, bool decimals)
{
    const char *m = decimals ? "#,##0.00" : "#,##0";
    const char *qm = decimals ? "#,##0.00;-#,##0.00;\"-\"" : "#,##0;-#,##0;\"-\"";
    const char *dm = decimals ? "+#,##0.00;-#,##0.00;0.00" : "+#,##0;-#,##0;0";
    xsw_default_font(&x->s);
    x->title = fmt(x, false);
    format_set_bold(x->title);
    format_set_font_size(x->title, XSW_FONT_SIZE * 16 / 14);
    format_set_align(x->title, LXW_ALIGN_CENTER);
    format_set_text_wrap(x->title);
    x->subtitle = fmt(x, false);
    format_set_bold(x->subtitle);
    format_set_align(x->subtitle, LXW_ALIGN_CENTER);
    x->head = fmt(x, true);
    format_set_bold(x->head);
    format_set_align(x->head, LXW_ALIGN_CENTER);
    format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(x->head);
    format_set_bg_color(x->head, HEAD_COLOR);
    x->band = fmt(x, true);
    format_set_bold(x->band);
    format_set_bg_color(x->band, BAND_COLOR);
    x->text = fmt(x, true);
    format_set_text_wrap(x->text);
    x->text_hl = fmt(x, true);
    format_set_text_wrap(x->text_hl);
    format_set_bg_color(x->text_hl, HL_COLOR);
    x->center = fmt(x, true);
    format_set_align(x->center, LXW_ALIGN_CENTER);
    format_set_text_wrap(x->center);
    x->center_hl = fmt(x, true);
    format_set_align(x->center_hl, LXW_ALIGN_CENTER);
    format_set_text_wrap(x->center_hl);
    format_set_bg_color(x->center_hl, HL_COLOR);
    x->money = fmt(x, true);
    format_set_num_format(x->money, m);
    x->money_hl = fmt(x, true);
    format_set_num_format(x->money_hl, m);
    format_set_bg_color(x->money_hl, HL_COLOR);
    format_set_bold(x->money_hl);
    x->qmoney = fmt(x, true);
    format_set_num_format(x->qmoney, qm);
    x->qmoney_hl = fmt(x, true);
    format_set_num_format(x->qmoney_hl, qm);
    format_set_bg_color(x->qmoney_hl, HL_COLOR);
    format_set_bold(x->qmoney_hl);
    x->delta = fmt(x, true);
    format_set_num_format(x->delta, dm);
    x->delta_hl = fmt(x, true);
    format_set_num_format(x->delta_hl, dm);
    format_set_bg_color(x->delta_hl, HL_COLOR);
    format_set_bold(x->delta_hl);
    x->tot_label = fmt(x, true);
    format_set_bold(x->tot_label);
    format_set_bg_color(x->tot_label, BAND_COLOR);
    format_set_text_wrap(x->tot_label);
    x->tot_money = fmt(x, true);
    format_set_bold(x->tot_money);
    format_set_num_format(x->tot_money, m);
    format_set_bg_color(x->tot_money, BAND_COLOR);
    x->tot_delta = fmt(x, true);
    format_set_bold(x->tot_delta);
    format_set_num_format(x->tot_delta, dm);
    format_set_bg_color(x->tot_delta, BAND_COLOR);
    x->tot_text = fmt(x, true);
    format_set_bg_color(x->tot_text, BAND_COLOR);
}

static void put_str(dxw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                    lxw_format *f)
{
    xsw_need(&x->s, s, c, c, false);
    if (s && *s)
        xsw_check(&x->s, ws, r, c, worksheet_write_string(ws, r, c, s, f));
    else
        xsw_check(&x->s, ws, r, c, worksheet_write_blank(ws, r, c, f));
}

static void put_merge(dxw *x, lxw_worksheet *ws, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1,
                      lxw_col_t c1, const char *s, lxw_format *f)
{
    xsw_check(&x->s, ws, r0, c0, worksheet_merge_range(ws, r0, c0, r1, c1, s ? s : "", f));
}

/* An amount: a number, or ไม่ใช้งบประมาณ (set false, budget), or blank
** (absent: the project is not in that version). */
static void put_amount(dxw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, bool present,
                       bool set, int64_t v, bool budget, bool hl)
{
    if (!present)
        xsw_check(&x->s, ws, r, c, worksheet_write_blank(ws, r, c, hl ? x->qmoney_hl : x->qmoney));
    else if (!set)
        put_str(x, ws, r, c, NO_BUDGET_TEXT, hl ? x->center_hl : x->center);
    else
        xsw_put_num(&x->s, ws, r, c, xsw_baht(v),
                budget ? (hl ? x->money_hl : x->money) : (hl ? x->qmoney_hl : x->qmoney));
}

/* =new-old at (r, c) from cells (r, c_old) and (r, c_new), with its value;
** N() around a side that holds text (ไม่ใช้งบประมาณ). */
static void put_delta(dxw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_col_t c_old,
                      lxw_col_t c_new, bool old_text, bool new_text, int64_t v, lxw_format *f)
{
    char a[LXW_MAX_CELL_NAME_LENGTH], b[LXW_MAX_CELL_NAME_LENGTH], formula[64];
    lxw_rowcol_to_cell(a, r, c_old);
    lxw_rowcol_to_cell(b, r, c_new);
    snprintf(formula, sizeof formula, "=%s%s%s-%s%s%s", new_text ? "N(" : "", b,
             new_text ? ")" : "", old_text ? "N(" : "", a, old_text ? ")" : "");
    xsw_check(&x->s, ws, r, c, worksheet_write_formula_num(ws, r, c, formula, f, xsw_baht(v)));
}

static void print_setup(lxw_worksheet *ws, lxw_row_t head0, lxw_row_t head1)
{
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, head0, head1);
    worksheet_freeze_panes(ws, head1 + 1, 0);
}

static bool any_satang(const plan_diff *d)
{
    for (size_t i = 0; i < d->npairs; i++)
        for (int k = 0; k < DIFF__MONEY; k++)
            if (d->pairs[i].money[k].old_v % 100 || d->pairs[i].money[k].new_v % 100)
                return true;
    for (size_t i = 0; i < d->nadded; i++)
        for (int k = 0; k < 5; k++)
            if ((k ? d->added[i].q[k - 1] : d->added[i].budget) % 100)
                return true;
    for (size_t i = 0; i < d->nremoved; i++)
        for (int k = 0; k < 5; k++)
            if ((k ? d->removed[i].q[k - 1] : d->removed[i].budget) % 100)
                return true;
    return false;
}

/* ---- sheet เปรียบเทียบ ----------------------------------------------------------------------- */

enum { CC_STATUS, CC_OLD_NO, CC_NEW_NO, CC_NAME, CC_MONEY, CC_REASON = CC_MONEY + 3 * DIFF__MONEY,
       CC__MAX };
enum { CR_TITLE, CR_AGENCY, CR_HEAD0, CR_HEAD1, CR_FIRST };

static const char *const money_head[DIFF__MONEY] = {"งบประมาณ (บาท)", "ไตรมาส 1", "ไตรมาส 2",
                                                     "ไตรมาส 3", "ไตรมาส 4"};

/* Headers of 5 × (เดิม ใหม่ เพิ่ม/ลด) from column c0, over rows h0, h1. */
static void money_heads(dxw *x, lxw_worksheet *ws, lxw_row_t h0, lxw_col_t c0)
{
    for (int m = 0; m < DIFF__MONEY; m++) {
        lxw_col_t c = (lxw_col_t)(c0 + 3 * m);
        put_merge(x, ws, h0, c, h0, c + 2, money_head[m], x->head);
        put_str(x, ws, h0 + 1, c, "เดิม", x->head);
        put_str(x, ws, h0 + 1, c + 1, "ใหม่", x->head);
        put_str(x, ws, h0 + 1, c + 2, "เพิ่ม/ลด", x->head);
    }
}

static char *title_text(const plan_doc *b, const plan_diff *d)
{
    const char *t = b->title && *b->title ? b->title : "แผนการใช้จ่ายงบประมาณรายโครงการ";
    char *pt = strstr(t, "พ.ศ.") ? xstrdup(t) : xasprintf("%s พ.ศ. %d", t, b->fiscal_year);
    char *s = xasprintf("เปรียบเทียบ%s %s กับ %s", pt, d->from.name, d->to.name);
    free(pt);
    return s;
}

/* One row of the comparison: pa/pb NULL when the project is not in a/b. */
static void compare_row(dxw *x, lxw_worksheet *ws, lxw_row_t r, const char *status,
                        const project *pa, const project *pb, const diff_pair *p,
                        const char *name, const char *reason)
{
    put_str(x, ws, r, CC_STATUS, status, x->center);
    if (pa)
        xsw_put_num(&x->s, ws, r, CC_OLD_NO, pa->no, x->center);
    else
        put_str(x, ws, r, CC_OLD_NO, "", x->center);
    if (pb)
        xsw_put_num(&x->s, ws, r, CC_NEW_NO, pb->no, p && p->old_no != p->new_no ? x->center_hl
                                                                           : x->center);
    else
        put_str(x, ws, r, CC_NEW_NO, "", x->center);
    put_str(x, ws, r, CC_NAME, name, p && p->old_name && strcmp(p->old_name, p->new_name) != 0
                                          ? x->text_hl
                                          : x->text);
    for (int m = 0; m < DIFF__MONEY; m++) {
        lxw_col_t c = (lxw_col_t)(CC_MONEY + 3 * m);
        bool budget = m == DIFF_BUDGET;
        bool oset = pa && (!budget || pa->has_budget), nset = pb && (!budget || pb->has_budget);
        int64_t ov = !pa ? 0 : budget ? (pa->has_budget ? pa->budget : 0) : pa->q[m - 1];
        int64_t nv = !pb ? 0 : budget ? (pb->has_budget ? pb->budget : 0) : pb->q[m - 1];
        bool hl = p ? p->money[m].changed : false;
        put_amount(x, ws, r, c, pa != NULL, oset, ov, budget, hl);
        put_amount(x, ws, r, c + 1, pb != NULL, nset, nv, budget, hl);
        put_delta(x, ws, r, c + 2, c, c + 1, pa && !oset, pb && !nset, nv - ov,
                  hl ? x->delta_hl : x->delta);
    }
    put_str(x, ws, r, CC_REASON, reason, x->text);
    xsw_end_row(&x->s, ws, r);
}

static void compare_sheet(dxw *x, lxw_worksheet *ws, const plan_doc *a, const plan_doc *b,
                          const plan_diff *d)
{
    static double w[CC__MAX];
    lxw_row_t r = CR_FIRST;
    char *title = title_text(b, d);
    const char *agency = b->agency && *b->agency ? b->agency : a->agency;
    size_t *pair_of_b = xcalloc(b->nprojects ? b->nprojects : 1, sizeof *pair_of_b);
    size_t *added_of_b = xcalloc(b->nprojects ? b->nprojects : 1, sizeof *added_of_b);

    w[CC_STATUS] = 12;
    w[CC_OLD_NO] = 5;
    w[CC_NEW_NO] = 5;
    w[CC_NAME] = 40;
    for (int c = CC_MONEY; c < CC_REASON; c++)
        w[c] = 10;
    w[CC_REASON] = 30;
    xsw_use_columns(&x->s, ws, w, CC__MAX, NULL);

    put_merge(x, ws, CR_TITLE, 0, CR_TITLE, CC__MAX - 1, title, x->title);
    worksheet_set_row(ws, CR_TITLE, 2 * x->s.line * 16 / 14 + 2 * XSW_ROW_PAD, NULL);
    put_merge(x, ws, CR_AGENCY, 0, CR_AGENCY, CC__MAX - 1, agency, x->subtitle);
    put_merge(x, ws, CR_HEAD0, CC_STATUS, CR_HEAD1, CC_STATUS, "สถานะ", x->head);
    put_merge(x, ws, CR_HEAD0, CC_OLD_NO, CR_HEAD1, CC_OLD_NO, "ที่เดิม", x->head);
    put_merge(x, ws, CR_HEAD0, CC_NEW_NO, CR_HEAD1, CC_NEW_NO, "ที่ใหม่", x->head);
    put_merge(x, ws, CR_HEAD0, CC_NAME, CR_HEAD1, CC_NAME, "โครงการ", x->head);
    money_heads(x, ws, CR_HEAD0, CC_MONEY);
    put_merge(x, ws, CR_HEAD0, CC_REASON, CR_HEAD1, CC_REASON, "เหตุผลการเปลี่ยนแปลง", x->head);
    x->s.row_lines = 0;

    /* b's projects in order (matched or added), then the removed ones */
    for (size_t j = 0; j < b->nprojects; j++)
        pair_of_b[j] = added_of_b[j] = SIZE_MAX;
    for (size_t i = 0; i < d->npairs; i++)
        if (d->pairs[i].b_idx < b->nprojects)
            pair_of_b[d->pairs[i].b_idx] = i;
    for (size_t i = 0; i < d->nadded; i++)
        if (d->added[i].idx < b->nprojects)
            added_of_b[d->added[i].idx] = i;
    for (size_t j = 0; j < b->nprojects; j++) {
        if (pair_of_b[j] != SIZE_MAX) {
            const diff_pair *p = &d->pairs[pair_of_b[j]];
            const char *status = diff_pair_changed(p) && diff_pair_renumbered(p)
                                     ? "เปลี่ยนแปลง, เปลี่ยนลำดับ"
                                 : diff_pair_changed(p)    ? "เปลี่ยนแปลง"
                                 : diff_pair_renumbered(p) ? "เปลี่ยนลำดับ"
                                                           : "ไม่เปลี่ยนแปลง";
            compare_row(x, ws, r++, status,
                        p->a_idx < a->nprojects ? &a->projects[p->a_idx] : NULL,
                        &b->projects[j], p, p->new_name, p->reason);
        } else if (added_of_b[j] != SIZE_MAX) {
            const diff_project *ad = &d->added[added_of_b[j]];
            compare_row(x, ws, r++, "เพิ่มใหม่", NULL, &b->projects[j], NULL, ad->name,
                        ad->reason);
        }
    }
    for (size_t i = 0; i < d->nremoved; i++) {
        const diff_project *rm = &d->removed[i];
        if (rm->idx < a->nprojects)
            compare_row(x, ws, r++, "ตัดออก", &a->projects[rm->idx], NULL, NULL, rm->name,
                        NULL);
    }
    /* totals: SUM of each old and new column, change = new - old */
    put_merge(x, ws, r, CC_STATUS, r, CC_NAME, "รวมทั้งสิ้น", x->tot_label);
    for (int m = 0; m < DIFF__MONEY; m++) {
        lxw_col_t c = (lxw_col_t)(CC_MONEY + 3 * m);
        xsw_put_sum(&x->s, ws, r, c, CR_FIRST, r - 1, d->total.before[m], x->tot_money);
        xsw_put_sum(&x->s, ws, r, c + 1, CR_FIRST, r - 1, d->total.after[m], x->tot_money);
        put_delta(x, ws, r, c + 2, c, c + 1, false, false, d->total.delta[m], x->tot_delta);
    }
    put_str(x, ws, r, CC_REASON, "", x->tot_text);
    xsw_end_row(&x->s, ws, r);
    print_setup(ws, CR_HEAD0, CR_HEAD1);
    free(pair_of_b);
    free(added_of_b);
    free(title);
}

/* ---- sheet รายละเอียดที่เปลี่ยน -------------------------------------------------------------- */

static void fields_sheet(dxw *x, lxw_worksheet *ws, const plan_diff *d)
{
    static const double w[] = {6, 6, 36, 18, 40, 40, 30};
    static const char *const head[] = {"ที่เดิม", "ที่ใหม่", "โครงการ", "รายการ", "เดิม", "ใหม่",
                                       "เหตุผลการเปลี่ยนแปลง"};
    lxw_row_t r = 1;
    xsw_use_columns(&x->s, ws, w, ARRAY_LEN(w), NULL);
    for (size_t c = 0; c < ARRAY_LEN(head); c++)
        put_str(x, ws, 0, (lxw_col_t)c, head[c], x->head);
    xsw_end_row(&x->s, ws, 0);
    for (size_t i = 0; i < d->npairs; i++) {
        const diff_pair *p = &d->pairs[i];
        for (size_t k = 0; k < p->nfields; k++) {
            const diff_field *f = &p->fields[k];
            char *label = diff_field_th(f->key);
            xsw_put_num(&x->s, ws, r, 0, p->old_no, x->center);
            xsw_put_num(&x->s, ws, r, 1, p->new_no, x->center);
            put_str(x, ws, r, 2, p->new_name, x->text);
            put_str(x, ws, r, 3, label, x->text);
            put_str(x, ws, r, 4, f->old_text, x->text);
            put_str(x, ws, r, 5, f->new_text, x->text_hl);
            put_str(x, ws, r, 6, p->reason, x->text);
            xsw_end_row(&x->s, ws, r);
            r++;
            free(label);
        }
    }
    if (r == 1) {
        put_merge(x, ws, 1, 0, 1, (lxw_col_t)(ARRAY_LEN(w) - 1),
                  "ไม่มีการเปลี่ยนแปลงรายละเอียดอื่นของโครงการ", x->text);
        xsw_end_row(&x->s, ws, 1);
    }
    print_setup(ws, 0, 0);
}

/* ---- sheet ยอดรวม ------------------------------------------------------------------------------- */

enum { TC_LABEL, TC_NBEFORE, TC_NAFTER, TC_MONEY, TC__MAX = TC_MONEY + 3 * DIFF__MONEY };

static void total_line(dxw *x, lxw_worksheet *ws, lxw_row_t r, const char *label,
                       const diff_total *t, bool bold)
{
    put_str(x, ws, r, TC_LABEL, label, bold ? x->tot_label : x->text);
    xsw_put_num(&x->s, ws, r, TC_NBEFORE, t->nbefore, x->center);
    xsw_put_num(&x->s, ws, r, TC_NAFTER, t->nafter, t->nbefore != t->nafter ? x->center_hl : x->center);
    for (int m = 0; m < DIFF__MONEY; m++) {
        lxw_col_t c = (lxw_col_t)(TC_MONEY + 3 * m);
        bool hl = t->delta[m] != 0;
        lxw_format *mf = bold ? x->tot_money : x->money;
        xsw_put_num(&x->s, ws, r, c, xsw_baht(t->before[m]), mf);
        xsw_put_num(&x->s, ws, r, c + 1, xsw_baht(t->after[m]), hl ? x->money_hl : mf);
        put_delta(x, ws, r, c + 2, c, c + 1, false, false, t->delta[m],
                  hl ? x->delta_hl : bold ? x->tot_delta : x->delta);
    }
    xsw_end_row(&x->s, ws, r);
}

static void totals_sheet(dxw *x, lxw_worksheet *ws, const plan_diff *d)
{
    static double w[TC__MAX];
    lxw_row_t r = 2;
    w[TC_LABEL] = 44;
    w[TC_NBEFORE] = 7;
    w[TC_NAFTER] = 7;
    for (int c = TC_MONEY; c < TC__MAX; c++)
        w[c] = 10;
    xsw_use_columns(&x->s, ws, w, TC__MAX, NULL);
    put_merge(x, ws, 0, TC_LABEL, 1, TC_LABEL, "รายการ", x->head);
    put_merge(x, ws, 0, TC_NBEFORE, 0, TC_NAFTER, "จำนวนโครงการ", x->head);
    put_str(x, ws, 1, TC_NBEFORE, "เดิม", x->head);
    put_str(x, ws, 1, TC_NAFTER, "ใหม่", x->head);
    money_heads(x, ws, 0, TC_MONEY);
    x->s.row_lines = 0;
    total_line(x, ws, r++, "รวมทั้งสิ้น", &d->total, true);
    put_merge(x, ws, r, 0, r, TC__MAX - 1, "ตามประเด็นยุทธศาสตร์", x->band);
    r++;
    for (size_t i = 0; i < d->nissue; i++) {
        const diff_total *t = &d->by_issue[i];
        char *label = strcmp(t->key, "0") == 0
                          ? xstrdup(t->title && *t->title ? t->title : "ไม่ระบุประเด็นยุทธศาสตร์")
                          : xasprintf("ประเด็นยุทธศาสตร์ที่ %s %s", t->key, t->title ? t->title : "");
        total_line(x, ws, r++, label, t, false);
        free(label);
    }
    put_merge(x, ws, r, 0, r, TC__MAX - 1, "ตามหน่วยงานผู้รับผิดชอบ", x->band);
    r++;
    for (size_t i = 0; i < d->nunit; i++) {
        const diff_total *t = &d->by_unit[i];
        total_line(x, ws, r++, t->title && *t->title ? t->title : "ไม่ระบุผู้รับผิดชอบ", t, false);
    }
    print_setup(ws, 0, 1);
}

/* ---- the workbook ---------------------------------------------------------------------------------- */

int export_diff_xlsx(const plan_doc *a, const plan_doc *b, const plan_diff *d, const char *path,
                     char *err, size_t errlen)
{
    char *tmp, *title;
    dxw x = {0};
    lxw_worksheet *cmp, *flds, *tots;
    lxw_doc_properties props = {0};
    lxw_error rc;
    FILE *tf;

    if (!a || !b || !d || !path) {
        snprintf(err, errlen, "ไม่มีข้อมูลที่จะเปรียบเทียบ / nothing to compare");
        return -1;
    }
    tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
    tf = fopen(tmp, "wb");
    if (!tf) {
        snprintf(err, errlen, "%s: เขียนไฟล์ไม่ได้ / cannot write the file: %s", path,
                 strerror(errno));
        free(tmp);
        return -1;
    }
    fclose(tf);
    x.s.wb = workbook_new(tmp);
    if (!x.s.wb) {
        snprintf(err, errlen, "%s: สร้างไฟล์ไม่ได้ / cannot create the file", path);
        goto fail;
    }
    xsw_init(&x.s, x.s.wb);
    make_formats(&x, any_satang(d));
    title = title_text(b, d);
    props.title = title;
    props.company = b->agency;
    props.subject = d->to.name;
    props.author = "phaen";
    workbook_set_properties(x.s.wb, &props);
    cmp = workbook_add_worksheet(x.s.wb, SHEET_COMPARE);
    flds = workbook_add_worksheet(x.s.wb, SHEET_FIELDS);
    tots = workbook_add_worksheet(x.s.wb, SHEET_TOTALS);
    if (!cmp || !flds || !tots)
        panic("export_diff_xlsx: cannot add a worksheet");
    compare_sheet(&x, cmp, a, b, d);
    fields_sheet(&x, flds, d);
    totals_sheet(&x, tots, d);
    worksheet_activate(cmp);
    rc = workbook_close(x.s.wb); /* frees the workbook; props are copied at close */
    free(title);
    xsw_free(&x.s);
    if (xlsx_finish(rc, x.s.rc, x.s.where, tmp, path, err, errlen) != 0)
        goto fail;
    free(tmp);
    return 0;
fail:
    unlink(tmp);
    free(tmp);
    return -1;
}
