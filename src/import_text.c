/*
** import_text.c — the importer for text extractions of spending-plan
** documents. See import_text.h.
**
** The document is read in three parts:
**   1. the memo (บันทึกข้อความ) and the title line, before the first table row;
**   2. the table: header rows (skipped, in any variant), band rows
**      "ประเด็นยุทธศาสตร์ที่ N …", project rows (first cell a number) and
**      continuation rows (first cells empty: the previous project's long
**      cells carried over a page break);
**   3. the signature blocks after the table.
** Project rows are collected raw, continuations appended, and each is then
** laid out by anchors rather than by position: the operating-period cell is
** found by its form, the amounts sit between the text cells and it, the
** unit and the seven alignment codes follow it. A row that lost a cell is
** still read, and said so.
*/
#include "import_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"

/* Column positions of a complete row (19 cells). */
enum {
    COL_NO,
    COL_NAME,
    COL_OBJECTIVES,
    COL_TARGETS,
    COL_INDICATORS,
    COL_BUDGET,
    NTEXT = 4,   /* name, objectives, targets, indicators */
    NAMOUNT = 5, /* budget, q1..q4 */
};

typedef struct raw_row {
    int line;
    project pr;            /* laid out from the row (owned until moved to the plan) */
    strlist cells;        /* cells of the project row, cleaned */
    char *cont[NTEXT + 1]; /* continuation text for cells 1..4 (index = column) */
    int issue;             /* band in force, 0 = none */
    bool issue_fresh;      /* the band row came right before this project */
    bool issue_inferred;   /* the issue in force was inferred, not a band row */
} raw_row;

/* Rows live in chunks that never move: other threads lay out the rows
** read so far while this one reads on (see import_text). */
enum { ROW_CHUNK = 1024 };

typedef struct importer {
    const import_opts *o;
    plan_doc *p;
    raw_row **chunk;     /* ROW_CHUNK rows each; room for as many as the input can hold */
    size_t nchunks;      /* chunk[] has room for this many */
    size_t nrows;
    int fy_layout;       /* the fiscal year rows are laid out in (periods, quarters) */
    par *layout;         /* laying out rows as they are read; NULL = after reading */
    int band;            /* current band issue, 0 = none yet */
    bool band_has_project;
    bool seen_band[64];
    int fy_header;       /* fiscal year seen in a table header, 0 = none */
} importer;

/* ---- small helpers ---------------------------------------------------------- */

static bool blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static bool blank_n(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Parse a whole cell as a small non-negative integer (Thai digits allowed). */
static bool cell_int(const char *cell, int *out)
{
    char *a = thai_digits_to_ascii(cell);
    char *s = a, *e;
    long v;
    bool ok = false;
    while (*s == ' ')
        s++;
    if (isdigit((unsigned char)*s)) {
        v = strtol(s, &e, 10);
        while (*e == ' ' || *e == '.')
            e++;
        if (!*e && v > 0 && v < 100000) {
            *out = (int)v;
            ok = true;
        }
    }
    free(a);
    return ok;
}

/* The first number after `key` in s (Thai digits allowed), or 0. */
static int number_after(const char *s, const char *key)
{
    const char *k = strstr(s, key);
    char *a;
    int v = 0;
    if (!k)
        return 0;
    a = thai_digits_to_ascii(k + strlen(key));
    for (char *c = a; *c; c++) {
        if (isdigit((unsigned char)*c)) {
            v = (int)strtol(c, NULL, 10);
            break;
        }
        if (*c != ' ')
            break;
    }
    free(a);
    return v;
}

/* True for a cell that reads like an operating period: it holds a month
** abbreviation-like token ("ต.ค.", even damaged "ต.ย."), a month name, or
** "ตลอดปี". Amount and code cells never do. */
static bool looks_like_period(const char *s)
{
    const char *end = s + strlen(s), *p = s;
    if (!memchr(s, 0xE0, (size_t)(end - s))) /* no Thai: an amount, a code, a dash */
        return false;
    if (strstr(s, "ตลอดปี"))
        return true;
    for (int m = 1; m <= 12; m++)
        if (strstr(s, thai_month_name(m)))
            return true;
    while (p < end) {
        const char *q = p;
        int32_t c = utf8_next(&q, end);
        if (c >= 0x0E01 && c <= 0x0E2E && q < end && *q == '.') {
            const char *r = q + 1;
            int32_t c2 = utf8_next(&r, end);
            if (c2 >= 0x0E01 && c2 <= 0x0E4E)
                return true;
        }
        p = q;
    }
    return false;
}

static bool amount_like(const char *s)
{
    int64_t v;
    return thai_amount_parse(s, strlen(s), &v) != AMOUNT_BAD;
}

/* Finish a cell already through text_clean(): Thai words split by a
** stray space joined again. */
static char *clean_cell(const char *s)
{
    return thai_repair_spaces(s, NULL);
}

/* ---- memo and title --------------------------------------------------------- */

static const char *memo_headings[] = {
    "ต้นเรื่อง/ข้อเท็จจริง", "ต้นเรื่อง", "ข้อเท็จจริง", "ข้อกฎหมาย/ระเบียบ", "ข้อกฎหมาย",
    "ระเบียบ/กฎหมาย", "ข้อพิจารณา", "ข้อเสนอ", "ข้อเสนอแนะ",
};

static bool is_memo_heading(const char *s)
{
    for (size_t i = 0; i < ARRAY_LEN(memo_headings); i++)
        if (strcmp(s, memo_headings[i]) == 0)
            return true;
    return false;
}

static bool has_thai_letter(const char *s)
{
    const char *end = s + strlen(s);
    while (s < end) {
        int32_t c = utf8_next(&s, end);
        if (c >= 0x0E01 && c <= 0x0E2E)
            return true;
    }
    return false;
}

/* "๑๓ มกราคม ๒๕๖๘" or "13 ม.ค. 2568" -> date. */
static bool parse_thai_date(const char *s, date *out)
{
    char *a = thai_digits_to_ascii(s);
    char *p = a;
    int d, y;
    bool ok = false;
    while (*p == ' ')
        p++;
    if (isdigit((unsigned char)*p)) {
        d = (int)strtol(p, &p, 10);
        while (*p == ' ')
            p++;
        {
            char *mb = p;
            int m;
            while (*p && *p != ' ')
                p++;
            m = thai_month_lookup(mb, (size_t)(p - mb));
            while (*p == ' ')
                p++;
            if (m && isdigit((unsigned char)*p)) {
                y = thai_year_expand((int)strtol(p, &p, 10));
                while (*p == ' ')
                    p++;
                if (!*p) {
                    date dt = {thai_be_to_ce(y), m, d};
                    if (date_valid(dt)) {
                        *out = dt;
                        ok = true;
                    }
                }
            }
        }
    }
    free(a);
    return ok;
}

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = xstrdup(s);
}

static memo_section *memo_add_section(memo *m, const char *heading)
{
    m->sections = xrealloc(m->sections, (m->nsections + 1) * sizeof *m->sections);
    memset(&m->sections[m->nsections], 0, sizeof m->sections[0]);
    m->sections[m->nsections].heading = xstrdup(heading);
    return &m->sections[m->nsections++];
}

/* A signature block in the making: "(name)" then position lines. */
typedef struct sig_acc {
    signature s[8];
    int n;
} sig_acc;

static void sig_free(sig_acc *a)
{
    for (int i = 0; i < a->n; i++) {
        free(a->s[i].name);
        free(a->s[i].position);
    }
    a->n = 0;
}

/* "(นางสุดารัตน์ ชุมขวัญ)" -> starts a signer. Returns true if consumed. */
static bool sig_line(sig_acc *a, const char *line)
{
    size_t n = strlen(line);
    if (n > 2 && line[0] == '(' && line[n - 1] == ')' && has_thai_letter(line)) {
        if (a->n < (int)ARRAY_LEN(a->s)) {
            memset(&a->s[a->n], 0, sizeof a->s[0]);
            a->s[a->n].name = xstrndup(line + 1, n - 2);
            a->n++;
        }
        return true;
    }
    if (a->n > 0 && has_thai_letter(line)) {
        signature *s = &a->s[a->n - 1];
        if (s->position) {
            char *np = xasprintf("%s\n%s", s->position, line);
            free(s->position);
            s->position = np;
        } else {
            s->position = xstrdup(line);
        }
        return true;
    }
    return false;
}

/* Read the title line: plan title, fiscal year, agency, version. */
static void read_title(plan_doc *p, const char *line)
{
    const char *ps = strstr(line, " พ.ศ.");
    const char *of = strstr(line, "ของ");
    const char *lp = strrchr(line, '(');
    set_str(&p->title_line, line);
    if (ps)
        p->title = xstrndup(line, (size_t)(ps - line));
    else
        set_str(&p->title, line);
    if (!p->fiscal_year)
        p->fiscal_year = thai_year_expand(number_after(line, "พ.ศ."));
    if (of) {
        const char *b = of + strlen("ของ");
        const char *e = lp && lp > b ? lp : line + strlen(line);
        while (e > b && e[-1] == ' ')
            e--;
        free(p->agency);
        p->agency = xstrndup(b, (size_t)(e - b));
    }
    if (lp) {
        const char *rp = strchr(lp, ')');
        size_t n = rp ? (size_t)(rp - lp - 1) : strlen(lp + 1);
        char *label = xstrndup(lp + 1, n);
        char *ascii = thai_digits_to_ascii(label);
        free(p->version_label);
        p->version_label = ascii;
        free(label);
        p->revision = number_after(p->version_label, "ครั้งที่");
    }
}

/* ---- table ------------------------------------------------------------------ */

static bool is_header_row(const strlist *c)
{
    if (c->n >= 2 && strcmp(c->v[0], "ที่") == 0 && strstr(c->v[1], "โครงการ"))
        return true;
    for (size_t i = 0; i < c->n; i++)
        if (starts_with(c->v[i], "ไตรมาส") || strcmp(c->v[i], "ย.ชาติ") == 0)
            return true;
    return false;
}

static raw_row *row_at(const importer *im, size_t i)
{
    return &im->chunk[i / ROW_CHUNK][i % ROW_CHUNK];
}

static raw_row *new_row(importer *im, int line)
{
    raw_row *r;
    size_t c = im->nrows / ROW_CHUNK;
    if (c >= im->nchunks) /* more rows than lines: cannot be */
        panic("import_text: row %zu past the room for %zu chunks", im->nrows, im->nchunks);
    if (im->nrows % ROW_CHUNK == 0)
        im->chunk[c] = xcalloc(ROW_CHUNK, sizeof *im->chunk[c]);
    r = row_at(im, im->nrows++);
    r->line = line;
    return r;
}

static void append_text(char **dst, const char *piece)
{
    if (!*dst) {
        *dst = xstrdup(piece);
    } else {
        char *j = thai_join(*dst, piece);
        free(*dst);
        *dst = j;
    }
}

/* ---- laying out a project row ---------------------------------------------- */

/* Strip a leading label such as "ผลผลิต (Output)" and a colon after it. */
static const char *skip_label(const char *s, const char *label)
{
    const char *k = strstr(s, label);
    if (!k || k - s > 2)
        return s;
    s = k + strlen(label);
    while (*s == ' ')
        s++;
    if (starts_with(s, "(Output)") || starts_with(s, "(Outcome)"))
        s = strchr(s, ')') + 1;
    while (*s == ' ' || *s == ':')
        s++;
    return s;
}

/* Split "A-label aaa B-label bbb" at B-label into two lists. */
static void split_two(const char *text, const char *label_a, const char *label_b, strlist *a,
                      strlist *b)
{
    const char *k = strstr(text, label_b);
    char *first = k ? xstrndup(text, (size_t)(k - text)) : xstrdup(text);
    plan_split_numbered(skip_label(first, label_a), a);
    if (k)
        plan_split_numbered(skip_label(k, label_b), b);
    free(first);
}

/* The quarter cells present, placed into four slots. With `missing` cells
** lost, try every order-keeping placement; keep the ones that put no money
** in a quarter the period does not touch. Returns how the cells were placed:
** 1 = by the period (a single placement fits), 0 = left-aligned. */
static int place_quarters(const int64_t *vals, int nvals, const project *pr, int fy,
                          int64_t q[4])
{
    int fits = 0, fit_mask = 0;
    bool touched[4] = {true, true, true, true};

    if (!date_is_null(pr->start)) {
        for (int i = 0; i < 4; i++) {
            date qs, qe;
            fy_quarter_range(fy, i + 1, &qs, &qe);
            touched[i] = date_cmp(pr->start, qe) <= 0 && date_cmp(pr->end, qs) >= 0;
        }
    }
    for (int mask = 0; mask < 16; mask++) {
        int bits = __builtin_popcount((unsigned)mask), k = 0;
        bool ok = true;
        if (bits != nvals)
            continue;
        for (int i = 0; i < 4; i++)
            if (mask & (1 << i)) {
                if (vals[k] != 0 && !touched[i])
                    ok = false;
                k++;
            }
        if (ok) {
            fits++;
            fit_mask = mask;
        }
    }
    memset(q, 0, 4 * sizeof q[0]);
    if (fits == 1) {
        int k = 0;
        for (int i = 0; i < 4; i++)
            if (fit_mask & (1 << i))
                q[i] = vals[k++];
        return 1;
    }
    for (int i = 0; i < nvals && i < 4; i++)
        q[i] = vals[i];
    return 0;
}

static void note(project *pr, const char *rule, severity sev, const char *field,
                 const char *th, const char *en)
{
    findings_add(&pr->notes, rule, sev, pr->no, field, pr->line, th, en);
}

static int64_t read_amount(project *pr, const char *cell, const char *field, bool *no_budget)
{
    int64_t v = 0;
    amount_kind k = thai_amount_parse(cell, strlen(cell), &v);
    if (no_budget)
        *no_budget = k == AMOUNT_NO_BUDGET;
    if (k == AMOUNT_BAD || (k == AMOUNT_NO_BUDGET && !no_budget)) {
        findings_addf(&pr->notes, "amount-unreadable", SEV_ERROR, pr->no, field, pr->line,
                      "อ่านจำนวนเงิน '%s' ไม่ได้ ให้แก้เป็นตัวเลข เช่น 6,330 หรือ - ถ้าไม่มี",
                      "cannot read the amount '%s'; write a number such as 6,330, or - for none",
                      cell);
        return 0;
    }
    return v;
}

static const char *quarter_field[4] = {"q1", "q2", "q3", "q4"};

static void free_row_text(raw_row *r);

static void layout_row(importer *im, unit_memo *um, raw_row *r, project *pr)
{
    const strlist *c = &r->cells;
    int n = (int)c->n, p = -1, u = -1;
    const char *text[NTEXT] = {"", "", "", ""};
    int64_t amounts[NAMOUNT] = {0};
    int namounts = 0, ntext, first_amount;
    bool no_budget = false;

    cell_int(c->v[COL_NO], &pr->no);
    pr->line = r->line;

    /* Anchor 1: the operating period. */
    for (int i = COL_BUDGET; i < n; i++)
        if (looks_like_period(c->v[i])) {
            p = i;
            break;
        }
    /* Anchor 2 when the period is unreadable: the unit. */
    if (p < 0) {
        for (int i = COL_BUDGET; i < n; i++) {
            const unit_entry *ue;
            if (starts_with(c->v[i], "กลุ่ม") || starts_with(c->v[i], "หน่วย") ||
                (um && unit_memo_match(um, c->v[i], &ue, NULL) != UNIT_UNKNOWN)) {
                u = i;
                break;
            }
        }
        p = u > 0 ? u - 1 : COL_BUDGET + NAMOUNT;
        if (p >= n)
            p = n - 1;
    }

    /* Amounts are the amount-like cells just before the period (at most 5);
    ** text cells are the ones before them. */
    first_amount = p;
    while (first_amount - 1 > COL_NAME && p - (first_amount - 1) <= NAMOUNT &&
           amount_like(c->v[first_amount - 1]))
        first_amount--;
    ntext = first_amount - 1;
    if (ntext > NTEXT) {
        /* Cells that are neither text nor amounts sit where amounts belong:
        ** they are unreadable amounts. */
        first_amount = 1 + NTEXT;
        ntext = NTEXT;
    }
    for (int i = 0; i < ntext; i++)
        text[i] = c->v[1 + i];
    namounts = p - first_amount;
    if (namounts > NAMOUNT) {
        findings_addf(&pr->notes, "row-extra-cell", SEV_WARNING, pr->no, "quarters", pr->line,
                      "แถวมีช่องจำนวนเงินเกิน %d ช่อง ใช้เฉพาะ 5 ช่องสุดท้าย โปรดตรวจสอบ",
                      "the row has %d amount cells, more than 5; the last five were used; "
                      "please check",
                      namounts);
        first_amount = p - NAMOUNT;
        namounts = NAMOUNT;
    }
    if (ntext < NTEXT)
        findings_addf(&pr->notes, "row-missing-cell", SEV_WARNING, pr->no, "", pr->line,
                      "แถวขาดช่องข้อความ %d ช่อง (ชื่อ วัตถุประสงค์ เป้าหมาย ตัวชี้วัด) "
                      "ข้อความถูกจัดเรียงจากซ้าย โปรดตรวจสอบ",
                      "the row lacks %d of its text cells (name, objectives, targets, "
                      "indicators); the text was placed from the left; please check",
                      NTEXT - ntext);

    /* Text cells, with continuations carried over page breaks. */
    {
        char *full[NTEXT];
        for (int i = 0; i < NTEXT; i++) {
            if (r->cont[1 + i]) {
                char *t = thai_join(text[i], r->cont[1 + i]);
                full[i] = clean_cell(t);
                free(t);
            } else {
                full[i] = clean_cell(text[i]);
            }
        }
        pr->name = full[0];
        plan_split_numbered(full[1], &pr->items[ITEM_OBJECTIVE]);
        split_two(full[2], "ผลผลิต", "ผลลัพธ์", &pr->items[ITEM_OUTPUT],
                  &pr->items[ITEM_OUTCOME]);
        split_two(full[3], "เชิงปริมาณ", "เชิงคุณภาพ", &pr->items[ITEM_INDICATOR_QUANT],
                  &pr->items[ITEM_INDICATOR_QUAL]);
        free(full[1]);
        free(full[2]);
        free(full[3]);
    }

    /* The period (read before the quarters: placing a lost cell needs it). */
    if (p < n && looks_like_period(c->v[p])) {
        thai_period per;
        char perr[256];
        pr->period_text = xstrdup(c->v[p]);
        if (thai_period_parse(pr->period_text, im->fy_layout, &per, perr, sizeof perr) ==
            0) {
            pr->start = per.start;
            pr->end = per.end;
        }
    } else {
        pr->period_text = xstrdup("");
    }

    /* Budget and quarters. */
    if (namounts > 0) {
        int64_t qv[4] = {0};
        int nq = namounts - 1;
        pr->budget = read_amount(pr, c->v[first_amount], "budget", &no_budget);
        pr->has_budget = !no_budget;
        for (int i = 0; i < nq; i++) {
            const char *f = nq == 4 ? quarter_field[i] : "quarters";
            qv[i] = read_amount(pr, c->v[first_amount + 1 + i], f, NULL);
        }
        if (nq < 4) {
            int how = place_quarters(qv, nq, pr, im->fy_layout, pr->q);
            findings_addf(&pr->notes, "row-missing-cell", SEV_WARNING, pr->no, "quarters",
                          pr->line,
                          how ? "แถวขาดช่องแผนการใช้จ่าย %d ช่อง จัดจำนวนเงินลงไตรมาสตาม"
                                "ระยะเวลาดำเนินการ โปรดตรวจสอบ"
                              : "แถวขาดช่องแผนการใช้จ่าย %d ช่อง จัดจำนวนเงินเรียงจากไตรมาส 1 "
                                "โปรดตรวจสอบว่าตรงกับเอกสาร",
                          how ? "the row lost %d of its quarter cells; the amounts were placed "
                                "in the quarters the operating period allows; please check"
                              : "the row lost %d of its quarter cells; the amounts were placed "
                                "from quarter 1 on; please check them against the document",
                          4 - nq);
        } else {
            memcpy(pr->q, qv, sizeof qv);
        }
    } else {
        note(pr, "row-missing-cell", SEV_ERROR, "budget",
             "แถวนี้ไม่มีช่องงบประมาณและแผนการใช้จ่าย โปรดกรอกจากเอกสารต้นฉบับ",
             "the row has no budget or quarter cells; enter them from the original document");
    }
    (void)amounts;

    /* Unit and the seven alignment cells follow the period. */
    {
        int ui = p + 1;
        const unit_entry *ue = NULL;
        pr->unit_text = clean_cell(ui < n ? c->v[ui] : "");
        if (um && unit_memo_match(um, pr->unit_text, &ue, NULL) != UNIT_UNKNOWN)
            pr->unit = xstrdup(ue->name);
        for (int a = 0; a < ALIGN__MAX; a++) {
            int ci = ui + 1 + a;
            plan_parse_alignment((align_field)a, ci < n ? c->v[ci] : "", &pr->align[a]);
        }
        if (ui + ALIGN__MAX >= n && n > 0) {
            int lost = ui + ALIGN__MAX - n + 1;
            findings_addf(&pr->notes, "row-missing-cell", SEV_WARNING, pr->no, "alignment",
                          pr->line,
                          "แถวขาดช่องความสอดคล้อง %d ช่องท้ายแถว โปรดตรวจสอบ",
                          "the row lacks its last %d alignment cells; please check", lost);
        }
        for (int i = ui + 1 + ALIGN__MAX; i < n; i++)
            if (!blank(c->v[i])) {
                findings_addf(&pr->notes, "row-extra-cell", SEV_WARNING, pr->no, "", pr->line,
                              "ข้อความเกินท้ายแถว '%s' ไม่ได้นำเข้า",
                              "text past the end of the row was not imported: '%s'",
                              c->v[i]);
                break;
            }
    }
}

/* Which strategic issue a project belongs to: the band row in force; a
** project whose ย.ศธ names a later issue that never had a band, after the
** current band already has projects, starts that issue (inferred). */
static void assign_issue(importer *im, size_t ri_no, project *pr)
{
    const raw_row *r = row_at(im, ri_no);
    const alignment *moe = &pr->align[ALIGN_MOE_STRATEGY];
    int k = 0;
    if (moe->codes.n == 1)
        k = atoi(moe->codes.v[0]);
    pr->issue = r->issue;
    pr->issue_inferred = r->issue_inferred;
    if (k > 0 && k < 64 && !im->seen_band[k] &&
        (r->issue == 0 || (!r->issue_fresh && k > r->issue))) {
        const ref_item *ri = im->o->ref ? ref_find(im->o->ref, ALIGN_MOE_STRATEGY,
                                                   moe->codes.v[0])
                                        : NULL;
        pr->issue = k;
        pr->issue_inferred = true;
        if (!plan_issue(im->p, k))
            plan_set_issue(im->p, k, ri ? ri->title_th : "");
        /* later rows of the same table follow the inferred issue */
        for (size_t j = ri_no + 1; j < im->nrows; j++) {
            raw_row *rj = row_at(im, j);
            if (rj->issue != r->issue)
                break;
            rj->issue = k;
            rj->issue_fresh = false;
            rj->issue_inferred = true;
        }
    }
}

/* ---- laying out every row, on every core ------------------------------------ */

/* Rows are laid out independently of each other (assign_issue, which is not,
** runs after), in blocks handed to every core (par.h): in a large document
** from the moment they are read whole, while this thread reads on. A block
** has its own unit memo (libthai's cache is per thread), so blocks are
** large: the memo's misses (fuzzy unit matching) were 2% of a 10,500-row
** import in blocks of 64; a row's text is freed as soon as its project
** holds it. A small document's rows (nearly all of their time is libthai's
** word breaking) go one by one to this thread and, if it offers itself, the
** thread that loaded the dictionary (thai_preload): the seed's 21 rows in
** 3.3 ms instead of 5.3. A thread started for them cost more than it gave. */
enum { LAYOUT_BLOCK = 256, LAYOUT_MIN_BYTES = 1 << 20 /* below: no threads of its own */ };

static void layout_block(void *cls, size_t from, size_t to)
{
    importer *im = cls;
    unit_memo *um = im->o->units ? unit_memo_new(im->o->units) : NULL;
    for (size_t i = from; i < to; i++) {
        raw_row *r = row_at(im, i);
        layout_row(im, um, r, &r->pr);
        free_row_text(r); /* the text now lives in the project */
    }
    unit_memo_free(um);
}

/* The fiscal year as the document will be found to give it (import_text,
** after reading): --fy, else the title's, else the first table header's;
** 0 while none is known yet. */
static int fiscal_year_so_far(const importer *im, const char *title_candidate)
{
    int fy = im->o->fiscal_year;
    if (!fy && title_candidate)
        fy = thai_year_expand(number_after(title_candidate, "พ.ศ."));
    return fy ? fy : im->fy_header;
}

/* ---- whole document ---------------------------------------------------------- */

/* The bytes in pieces of CHECK_PIECE on every core: no NUL, valid UTF-8.
** A piece starts at the first byte that begins a character (a character
** cut at a piece's end is checked whole by the piece it starts in). */
enum { CHECK_PIECE = 4 << 20 };

typedef struct check_job {
    const char *data;
    size_t len;
    int bad; /* some piece is not clean (atomic) */
} check_job;

static size_t char_start(const char *data, size_t len, size_t at)
{
    for (int k = 0; k < 3 && at < len && ((unsigned char)data[at] & 0xC0) == 0x80; k++)
        at++;
    return at;
}

static void check_pieces(void *cls, size_t from, size_t to)
{
    check_job *j = cls;
    for (size_t k = from; k < to; k++) {
        size_t a = k ? char_start(j->data, j->len, k * CHECK_PIECE) : 0;
        size_t b = (k + 1) * CHECK_PIECE >= j->len ? j->len
                                                   : char_start(j->data, j->len,
                                                                (k + 1) * CHECK_PIECE);
        if (a < b && !utf8_valid_text(j->data + a, b - a))
            __atomic_store_n(&j->bad, 1, __ATOMIC_RELAXED);
    }
}

int import_check_bytes(const char *data, size_t len, char *err, size_t errlen)
{
    check_job job = {.data = data, .len = len};
    if (len == 0 || blank_n(data, len)) {
        snprintf(err, errlen, "ไฟล์ว่างเปล่า / the file is empty");
        return -1;
    }
    par_for((len + CHECK_PIECE - 1) / CHECK_PIECE, 1, 4, check_pieces, &job);
    if (!job.bad)
        return 0;
    /* Something is wrong: find the first bad byte and its line. */
    {
        int line = 1;
        const char *p = data, *end = data + len;
        while (p < end) {
            const char *q = p;
            if (*p == 0) {
                snprintf(err, errlen,
                         "บรรทัด %d: พบไบต์ NUL ไฟล์นี้เป็นไฟล์ไบนารี ไม่ใช่ข้อความ / line %d: NUL "
                         "byte: this is a binary file, not text",
                         line, line);
                return -1;
            }
            if ((unsigned char)*p < 0x80) {
                line += *p == '\n';
                p++;
                continue;
            }
            if (utf8_next(&q, end) < 0 || !utf8_valid(p, (size_t)(q - p))) {
                snprintf(err, errlen,
                         "บรรทัด %d: ไม่ใช่ UTF-8 ที่ถูกต้อง ให้บันทึกไฟล์เป็น UTF-8 / line %d: not "
                         "valid UTF-8; save the file as UTF-8",
                         line, line);
                return -1;
            }
            p = q;
        }
    }
    return 0;
}

/* Split a line into cleaned cells (HTML fragments and odd spaces removed). */
static void split_cells(const char *line, size_t n, strlist *cells)
{
    const char *p = line, *end = line + n;
    strlist_clear(cells);
    for (;;) {
        const char *t = memchr(p, '\t', (size_t)(end - p));
        const char *e = t ? t : end;
        strlist_take(cells, text_clean(p, (size_t)(e - p)));
        if (!t)
            break;
        p = t + 1;
    }
}

typedef enum part { PART_MEMO, PART_TABLE, PART_AFTER } part;

enum { DONE_WITH_STEP = 8 << 20 }; /* tell import_opts.done_with every 8 MiB */

/* Text lines before the table: memo fields, sections, signers, title. */
typedef struct memo_state {
    memo_section *sec;
    bool in_subject;
    sig_acc sigs;
    date dates[4];
    int ndates;
    char *title_candidate;
} memo_state;

static void memo_line(importer *im, memo_state *ms, const char *l, int lineno)
{
    plan_doc *p = im->p;
    memo *m = &p->memo;
    date d;

    if (strcmp(l, "บันทึกข้อความ") == 0) {
        p->has_memo = true;
        return;
    }
    /* The title line ("แผน… พ.ศ. 2568 ของ… (ฉบับ…)") stands just before the
    ** table; the last such line before it is the one. */
    if (starts_with(l, "แผน") && strstr(l, "พ.ศ.")) {
        free(ms->title_candidate);
        ms->title_candidate = xstrdup(l);
        return;
    }
    if (!p->has_memo)
        return;
    if (starts_with(l, "ส่วนราชการ")) {
        set_str(&m->from, l + strlen("ส่วนราชการ") + (l[strlen("ส่วนราชการ")] == ' '));
        return;
    }
    if (starts_with(l, "ที่ ") && strstr(l, "วันที่")) {
        const char *w = strstr(l, "วันที่");
        const char *b = l + strlen("ที่ ");
        const char *e = w;
        while (e > b && e[-1] == ' ')
            e--;
        free(m->doc_no);
        m->doc_no = xstrndup(b, (size_t)(e - b));
        if (!parse_thai_date(w + strlen("วันที่"), &m->date))
            findings_addf(&p->notes, "memo-date-unreadable", SEV_WARNING, 0, "memo.date", lineno,
                          "อ่านวันที่ของบันทึกข้อความไม่ได้: '%s'",
                          "cannot read the memo's date: '%s'", w);
        return;
    }
    if (starts_with(l, "เรื่อง")) {
        set_str(&m->subject, l + strlen("เรื่อง") + (l[strlen("เรื่อง")] == ' '));
        ms->in_subject = true;
        return;
    }
    if (starts_with(l, "เรียน")) {
        set_str(&m->to, l + strlen("เรียน") + (l[strlen("เรียน")] == ' '));
        ms->in_subject = false;
        return;
    }
    if (ms->in_subject) {
        append_text(&m->subject, l);
        return;
    }
    if (is_memo_heading(l)) {
        ms->sec = memo_add_section(m, l);
        return;
    }
    if (parse_thai_date(l, &d)) {
        if (ms->ndates < (int)ARRAY_LEN(ms->dates))
            ms->dates[ms->ndates++] = d;
        return;
    }
    if (l[0] == '(' || ms->sigs.n > 0) {
        if (sig_line(&ms->sigs, l))
            return;
    }
    if (!has_thai_letter(l)) {
        findings_addf(&p->notes, "memo-text-ignored", SEV_INFO, 0, "memo", lineno,
                      "ข้อความ '%s' ในบันทึกข้อความอ่านไม่ออก (ไม่มีตัวอักษรไทย) จึงไม่ได้นำเข้า",
                      "the memo line '%s' has no words (no Thai letters) and was not imported",
                      l);
        return;
    }
    if (ms->sec) {
        const char *t = l;
        while (*t == ' ')
            t++;
        strlist_add(&ms->sec->paras, t);
    }
}

/* Signature blocks after the table: "ผู้จัดทำ" / "ผู้ตรวจ" / "หัวหน้าส่วนราชการ". */
typedef struct after_state {
    int role; /* -1 none yet */
    signature got[SIGN__MAX];
} after_state;

static void after_line(after_state *as, const char *l)
{
    size_t n = strlen(l);
    for (int r = 0; r < SIGN__MAX; r++)
        if (strcmp(l, sign_role_th(r)) == 0) {
            as->role = r;
            return;
        }
    if (as->role < 0)
        return;
    {
        signature *s = &as->got[as->role];
        date d;
        if (n > 2 && l[0] == '(' && l[n - 1] == ')') {
            free(s->name);
            s->name = xstrndup(l + 1, n - 2);
        } else if (parse_thai_date(l, &d)) {
            s->date = d;
        } else if (s->name) {
            char *np = s->position ? xasprintf("%s\n%s", s->position, l) : xstrdup(l);
            free(s->position);
            s->position = np;
        }
    }
}

/* Bring the memo's and the table's signature blocks together. The memo's
** text is the less damaged one, so its names win; a difference is noted. */
static void merge_signers(importer *im, memo_state *ms, after_state *as)
{
    plan_doc *p = im->p;
    for (int r = 0; r < SIGN__MAX; r++) {
        signature *dst = &p->signers[r];
        signature *memo_sig = r < ms->sigs.n ? &ms->sigs.s[r] : NULL;
        signature *tab = &as->got[r];
        if (memo_sig && memo_sig->name) {
            dst->name = xstrdup(memo_sig->name);
            dst->position = xstrdup(memo_sig->position);
            if (tab->name && !text_equal_nospace(tab->name, memo_sig->name))
                findings_addf(&p->notes, "signer-mismatch", SEV_WARNING, 0,
                              sign_role_key((sign_role)r), 0,
                              "ชื่อ%s%.0sในบันทึกข้อความ '%s' ต่างจากท้ายแผน '%s' ใช้ชื่อตามบันทึกข้อความ",
                              "the %.0s%s's name differs: memo '%s', plan '%s'; the memo's "
                              "was kept",
                              sign_role_th((sign_role)r), sign_role_en((sign_role)r),
                              memo_sig->name, tab->name);
        } else if (tab->name) {
            dst->name = xstrdup(tab->name);
            dst->position = xstrdup(tab->position);
        }
        dst->date = tab->date;
    }
    /* Dates written by hand under the memo belong to the signers who sign
    ** last: with two dates, the checker and the head (the preparer's date
    ** is the memo's own). */
    for (int i = 0; i < ms->ndates && i < SIGN__MAX; i++) {
        int r = SIGN__MAX - ms->ndates + i;
        if (r >= 0 && date_is_null(p->signers[r].date))
            p->signers[r].date = ms->dates[i];
    }
    if (p->has_memo && !date_is_null(p->memo.date) && date_is_null(p->signers[0].date) &&
        p->signers[0].name)
        p->signers[0].date = p->memo.date;
}

static void free_row_text(raw_row *r)
{
    strlist_free(&r->cells);
    for (int k = 0; k <= NTEXT; k++) {
        free(r->cont[k]);
        r->cont[k] = NULL;
    }
}

static void free_rows(importer *im)
{
    if (im->layout) { /* failed after reading: let the layout end first */
        par_finish(im->layout, im->nrows);
        im->layout = NULL;
    }
    for (size_t i = 0; i < im->nrows; i++) {
        free_row_text(row_at(im, i));
        project_free_fields(&row_at(im, i)->pr);
    }
    for (size_t c = 0; c * ROW_CHUNK < im->nrows; c++)
        free(im->chunk[c]);
    free(im->chunk);
}

plan_doc *import_text(const char *data, size_t len, const import_opts *o, char *err,
                      size_t errlen)
{
    importer im = {0};
    memo_state ms = {0};
    after_state as = {.role = -1};
    strlist cells = {0};
    const char *p = data, *end = data + len, *told = data;
    int lineno = 0;
    part where = PART_MEMO;

    if (!o->bytes_checked && import_check_bytes(data, len, err, errlen) != 0)
        return NULL;
    im.o = o;
    im.p = plan_new();
    /* a row takes a line of at least two bytes ("1\t"), and its newline */
    im.nchunks = len / 3 / ROW_CHUNK + 2;
    im.chunk = xcalloc(im.nchunks, sizeof *im.chunk);
    im.p->fiscal_year = o->fiscal_year;
    im.p->source_file = xstrdup(o->source_name ? o->source_name : "");

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t n = (size_t)(e - p);
        lineno++;
        if (n && p[n - 1] == '\r')
            n--;
        if (memchr(p, '\t', n)) {
            where = PART_TABLE;
            split_cells(p, n, &cells);
            if (is_header_row(&cells)) {
                if (!im.fy_header)
                    for (size_t i = 0; i < cells.n; i++)
                        if (strstr(cells.v[i], "แผนการใช้จ่ายงบประมาณ") &&
                            number_after(cells.v[i], "พ.ศ"))
                            im.fy_header = thai_year_expand(number_after(
                                cells.v[i], strstr(cells.v[i], "พ.ศ.") ? "พ.ศ." : "พ.ศ"));
            } else if (starts_with(cells.v[0], "ประเด็นยุทธศาสตร์ที่")) {
                int no = number_after(cells.v[0], "ประเด็นยุทธศาสตร์ที่");
                const char *t = cells.v[0] + strlen("ประเด็นยุทธศาสตร์ที่");
                while (*t == ' ' || isdigit((unsigned char)*t))
                    t++;
                if (no > 0 && no < 64) {
                    char *title = clean_cell(t);
                    plan_set_issue(im.p, no, title);
                    free(title);
                    im.band = no;
                    im.band_has_project = false;
                    im.seen_band[no] = true;
                }
            } else {
                int no;
                if (cell_int(cells.v[0], &no)) {
                    raw_row *r;
                    if (!im.layout && len >= LAYOUT_MIN_BYTES &&
                        (im.fy_layout = fiscal_year_so_far(&im, ms.title_candidate)) != 0)
                        im.layout = par_start(layout_block, &im, LAYOUT_BLOCK, 0);
                    r = new_row(&im, lineno);
                    r->cells = cells; /* the row takes the cells over */
                    memset(&cells, 0, sizeof cells);
                    r->issue = im.band;
                    r->issue_fresh = !im.band_has_project;
                    im.band_has_project = true;
                    if (im.layout) /* the row before is whole: no text can join it now */
                        par_ready(im.layout, im.nrows - 1);
                } else if (blank(cells.v[0])) {
                    bool any = false;
                    for (size_t i = 1; i < cells.n; i++) {
                        if (blank(cells.v[i]))
                            continue;
                        if (i <= NTEXT && im.nrows > 0) {
                            append_text(&row_at(&im, im.nrows - 1)->cont[i], cells.v[i]);
                            any = true;
                        } else {
                            findings_addf(&im.p->notes, "row-unrecognized", SEV_WARNING,
                                          im.nrows ? 0 : 0, "", lineno,
                                          "บรรทัด %d: ข้อความ '%.60s' ไม่อยู่ในช่องที่ต่อจากหน้าก่อนได้ "
                                          "จึงไม่ได้นำเข้า",
                                          "line %d: text '%.60s' is not in a cell that can "
                                          "continue from the previous page; not imported",
                                          lineno, cells.v[i]);
                        }
                    }
                    (void)any;
                } else {
                    findings_addf(&im.p->notes, "row-unrecognized", SEV_WARNING, 0, "", lineno,
                                  "บรรทัด %d: แถว '%.60s' ไม่ใช่หัวตาราง ประเด็นยุทธศาสตร์ หรือโครงการ "
                                  "จึงไม่ได้นำเข้า",
                                  "line %d: the row '%.60s' is not a header, a strategic issue "
                                  "or a project; not imported",
                                  lineno, cells.v[0]);
                }
            }
        } else {
            char *l = text_clean(p, n);
            if (*l) {
                if (where == PART_MEMO)
                    memo_line(&im, &ms, l, lineno);
                else {
                    where = PART_AFTER;
                    after_line(&as, l);
                }
            }
            free(l);
        }
        p = nl ? nl + 1 : end;
        if (o->done_with && p - told >= DONE_WITH_STEP) {
            o->done_with(data, (size_t)(p - data));
            told = p;
        }
    }
    strlist_free(&cells);
    if (im.layout) {
        par_finish(im.layout, im.nrows);
        im.layout = NULL;
    }
    if (o->done_with)
        o->done_with(data, len); /* rows and memo hold copies of what they need */

    if (im.nrows == 0) {
        snprintf(err, errlen,
                 "ไม่พบตารางโครงการ (แถวที่คั่นด้วยแท็บและขึ้นต้นด้วยเลขที่โครงการ) / no project "
                 "table found (tab-separated rows starting with a project number)");
        goto fail;
    }
    if (ms.title_candidate) {
        read_title(im.p, ms.title_candidate);
        if (o->fiscal_year) {
            int said = thai_year_expand(number_after(ms.title_candidate, "พ.ศ."));
            if (said && said != o->fiscal_year) {
                snprintf(err, errlen,
                         "เอกสารระบุปีงบประมาณ พ.ศ. %d แต่ --fy ระบุ %d ให้ตัด --fy ออกหรือแก้ให้ตรง / "
                         "the document says fiscal year %d but --fy says %d; drop --fy or make "
                         "them agree",
                         said, o->fiscal_year, said, o->fiscal_year);
                goto fail;
            }
        }
    }
    if (!im.p->fiscal_year)
        im.p->fiscal_year = im.fy_header;
    if (im.p->fiscal_year < 2400 || im.p->fiscal_year > 2700) {
        snprintf(err, errlen,
                 "ไม่พบปีงบประมาณในเอกสาร ให้ระบุด้วย --fy เช่น --fy 2568 / the document does not "
                 "say its fiscal year; give it with --fy, e.g. --fy 2568");
        goto fail;
    }
    if (!im.p->agency)
        im.p->agency = xstrdup("");
    if (!im.p->title)
        im.p->title = xstrdup("แผนการใช้จ่ายงบประมาณรายโครงการ");

    if (im.fy_layout && im.fy_layout != im.p->fiscal_year)
        panic("import_text: rows laid out in fiscal year %d, the document's is %d", im.fy_layout,
              im.p->fiscal_year);
    if (!im.fy_layout) { /* not laid out while reading: now */
        im.fy_layout = im.p->fiscal_year;
        if (len >= LAYOUT_MIN_BYTES)
            par_for(im.nrows, LAYOUT_BLOCK, 0, layout_block, &im);
        else /* row by row, with the thread that loaded libthai's dictionary */
            par_finish(par_start(layout_block, &im, 1, PAR_OFFERED), im.nrows);
    }
    plan_reserve_projects(im.p, im.nrows);
    for (size_t i = 0; i < im.nrows; i++) {
        raw_row *r = row_at(&im, i);
        *plan_add_project(im.p) = r->pr; /* the plan takes the project over */
        memset(&r->pr, 0, sizeof r->pr);
        assign_issue(&im, i, &im.p->projects[i]);
    }
    merge_signers(&im, &ms, &as);

    free_rows(&im);
    sig_free(&ms.sigs);
    free(ms.title_candidate);
    for (int r = 0; r < SIGN__MAX; r++) {
        free(as.got[r].name);
        free(as.got[r].position);
    }
    return im.p;

fail:
    free_rows(&im);
    sig_free(&ms.sigs);
    free(ms.title_candidate);
    for (int r = 0; r < SIGN__MAX; r++) {
        free(as.got[r].name);
        free(as.got[r].position);
    }
    plan_free(im.p);
    return NULL;
}

void import_match_units(plan_doc *p, const unit_registry *units)
{
    unit_memo *m = unit_memo_new(units);
    for (size_t i = 0; i < p->nprojects; i++) {
        project *pr = &p->projects[i];
        const unit_entry *ue = NULL;
        char *chosen = NULL;
        if (pr->unit && unit_memo_match(m, pr->unit, &ue, NULL) == UNIT_EXACT)
            chosen = xstrdup(ue->name);
        else if (pr->unit_text && unit_memo_match(m, pr->unit_text, &ue, NULL) != UNIT_UNKNOWN)
            chosen = xstrdup(ue->name);
        else if (pr->unit && unit_memo_match(m, pr->unit, &ue, NULL) != UNIT_UNKNOWN)
            chosen = xstrdup(ue->name);
        if (!pr->unit_text || !*pr->unit_text) {
            free(pr->unit_text);
            pr->unit_text = xstrdup(pr->unit ? pr->unit : "");
        }
        free(pr->unit);
        pr->unit = chosen;
    }
    unit_memo_free(m);
}
