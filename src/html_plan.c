/*
** html_plan.c — see html_plan.h.
*/
#include "html_plan.h"

#include <stdlib.h>

#include "html.h"

static void cell_list(buf *b, const char *label, const strlist *l)
{
    if (!l->n)
        return;
    if (label)
        html_fmt(b, "<b>%s</b>", label);
    html_lit(b, "<ol>");
    for (size_t i = 0; i < l->n; i++)
        html_fmt(b, "<li>%s</li>", l->v[i]);
    html_lit(b, "</ol>");
}

static void amount_cell(buf *b, int64_t v)
{
    if (v)
        html_fmt(b, "<td class=\"num\">%m</td>", v);
    else
        html_lit(b, "<td class=\"num\">-</td>");
}

static void plan_row(buf *b, const project *pr, bool link)
{
    if (link)
        html_fmt(b, "<tr id=\"p%d\"><td>%d</td><td><a href=\"/project/%lld\">%s</a></td><td>",
                 pr->no, pr->no, (long long)pr->id, pr->name);
    else
        html_fmt(b, "<tr id=\"p%d\"><td>%d</td><td>%s</td><td>", pr->no, pr->no, pr->name);
    cell_list(b, NULL, &pr->items[ITEM_OBJECTIVE]);
    html_lit(b, "</td><td>");
    cell_list(b, "ผลผลิต (Output)", &pr->items[ITEM_OUTPUT]);
    cell_list(b, "ผลลัพธ์ (Outcome)", &pr->items[ITEM_OUTCOME]);
    html_lit(b, "</td><td>");
    cell_list(b, "เชิงปริมาณ", &pr->items[ITEM_INDICATOR_QUANT]);
    cell_list(b, "เชิงคุณภาพ", &pr->items[ITEM_INDICATOR_QUAL]);
    html_lit(b, "</td>");
    if (pr->has_budget)
        html_fmt(b, "<td class=\"num\">%m</td>", pr->budget);
    else
        html_lit(b, "<td>ไม่ใช้งบประมาณ</td>");
    for (int q = 0; q < 4; q++)
        amount_cell(b, pr->q[q]);
    html_fmt(b, "<td>%s</td><td>%s</td>", pr->period_text, pr->unit ? pr->unit : pr->unit_text);
    for (int f = 0; f < ALIGN__MAX; f++) {
        char *t = alignment_text(&pr->align[f]);
        html_fmt(b, "<td class=\"code\">%s</td>", t);
        free(t);
    }
    html_lit(b, "</tr>");
}

int html_plan_table(buf *b, const plan_doc *p, const summary *s, html_plan_keep keep,
                    void *ctx, bool link_projects)
{
    int last = -1, shown = 0;
    html_lit(b, "<div class=\"tablewrap\"><table class=\"plan\"><thead><tr>"
                "<th rowspan=\"2\">ที่</th><th rowspan=\"2\">โครงการ</th>"
                "<th rowspan=\"2\">วัตถุประสงค์</th><th rowspan=\"2\">เป้าหมาย</th>"
                "<th rowspan=\"2\">ตัวชี้วัด</th><th rowspan=\"2\">งบประมาณ (บาท)</th>");
    html_fmt(b, "<th colspan=\"4\">แผนการใช้จ่ายงบประมาณ พ.ศ. %d</th>", p->fiscal_year);
    html_lit(b, "<th rowspan=\"2\">ระยะเวลาดำเนินการ</th><th rowspan=\"2\">ผู้รับผิดชอบ</th>"
                "<th colspan=\"7\">ความสอดคล้อง</th></tr><tr>"
                "<th>ไตรมาส 1</th><th>ไตรมาส 2</th><th>ไตรมาส 3</th><th>ไตรมาส 4</th>"
                "<th>ย.ชาติ</th><th>แผนแม่บท</th><th>เป้าหมายแผนแม่บทย่อย</th>"
                "<th>แผน 13</th><th>น.ความมั่นคง</th><th>น.รัฐบาล</th><th>ย.ศธ</th>"
                "</tr></thead><tbody>");
    for (size_t i = 0; i < p->nprojects; i++) {
        const project *pr = &p->projects[i];
        if (keep && !keep(pr, ctx))
            continue;
        if (pr->issue != last) {
            const strategic_issue *si = plan_issue(p, pr->issue);
            html_fmt(b, "<tr class=\"band\"><td colspan=\"19\">ประเด็นยุทธศาสตร์ที่ %d %s</td></tr>",
                     pr->issue, si ? si->title : "");
            last = pr->issue;
        }
        plan_row(b, pr, link_projects);
        shown++;
    }
    html_fmt(b, "</tbody><tfoot><tr><td colspan=\"5\">รวมทั้งสิ้น (%d โครงการ)</td>"
                "<td class=\"num\">%m</td><td class=\"num\">%m</td><td class=\"num\">%m</td>"
                "<td class=\"num\">%m</td><td class=\"num\">%m</td><td colspan=\"9\"></td></tr>"
                "</tfoot></table></div>",
             s->nprojects, s->budget, s->q[0], s->q[1], s->q[2], s->q[3]);
    return shown;
}
