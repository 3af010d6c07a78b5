/*
** memo_template.c — see memo_template.h. Line-oriented: each template line
** is classified by its markup, its fields are expanded, and the result is
** appended to the memo_doc. Field values are computed on demand from the
** plan (memo_field_value), so a template pays only for the fields it uses.
*/
#include "memo_template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "summary.h"

#define DEFAULT_GROUP "กลุ่มนโยบายและแผน"

static const char *const field_names[] = {
    "agency",           "group",           "from",          "doc_no",
    "date",             "fiscal_year",     "plan_title",    "plan_name",
    "plan_full",        "version_label",   "version_suffix", "revision",
    "subject",          "to",              "prepared_name", "prepared_position",
    "checked_name",     "checked_position", "approved_name", "approved_position",
    "total_budget",     "total_budget_words", "projects",    NULL,
};

const char *const *memo_field_names(void)
{
    return field_names;
}

const char *memo_template_default(void)
{
    const embedded_file *f = embed_find("templates/memo.txt");
    if (!f)
        panic("memo_template_default: data/templates/memo.txt is not embedded");
    return f->data;
}

/* ---- field values ------------------------------------------------------------------------ */

static bool has_text(const char *s)
{
    return s && *s;
}

/* s (may be NULL) with ASCII digits as Thai digits and newlines as spaces.
** Returns heap memory. */
static char *memo_text(const char *s)
{
    char *t = thai_digits_from_ascii(s ? s : "");
    for (char *c = t; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    return t;
}

/* The group (กลุ่ม…/หน่วย…) named in the memo's ส่วนราชการ line, up to
** its phone number; else the planning group. Returns heap memory. */
static char *group_of(const plan_doc *p)
{
    const char *from = p->has_memo ? p->memo.from : NULL;
    const char *g = from ? strstr(from, "กลุ่ม") : NULL;
    const char *e;
    if (!g && from)
        g = strstr(from, "หน่วย");
    if (!g)
        return xstrdup(DEFAULT_GROUP);
    e = strstr(g, " โทร");
    if (!e)
        e = g + strlen(g);
    while (e > g && e[-1] == ' ')
        e--;
    return xstrndup(g, (size_t)(e - g));
}

/* "ฉบับปรับปรุง… ครั้งที่ 1" as written, or made from the revision, or "". */
static char *version_label_of(const plan_doc *p)
{
    if (has_text(p->version_label))
        return memo_text(p->version_label);
    if (p->revision > 0) {
        char *a = xasprintf("ฉบับปรับปรุง ครั้งที่ %d", p->revision);
        char *t = memo_text(a);
        free(a);
        return t;
    }
    return xstrdup("");
}

/* "แผน… พ.ศ. ๒๕๖๘ ของสำนักงาน…" (no version; each part only when the plan
** has it). Returns heap memory. */
static char *plan_name_of(const plan_doc *p)
{
    buf b;
    char *t;
    buf_init(&b, 0);
    buf_adds(&b, has_text(p->title) ? p->title : "แผนปฏิบัติราชการ");
    if (p->fiscal_year > 0)
        buf_printf(&b, " พ.ศ. %d", p->fiscal_year);
    if (has_text(p->agency))
        buf_printf(&b, " ของ%s", p->agency);
    t = memo_text(b.s);
    buf_free(&b);
    return t;
}

static char *plan_full_of(const plan_doc *p)
{
    char *name = plan_name_of(p), *label = version_label_of(p);
    char *t = *label ? xasprintf("%s (%s)", name, label) : xstrdup(name);
    free(name);
    free(label);
    return t;
}

static const signature *signer(const plan_doc *p, sign_role r)
{
    return &p->signers[r];
}

/* The last line of the approving signer's position ("ศึกษาธิการจังหวัดลำปาง"). */
static char *default_to(const plan_doc *p)
{
    const char *pos = signer(p, SIGN_APPROVED)->position;
    if (has_text(pos)) {
        const char *nl = strrchr(pos, '\n');
        return memo_text(nl ? nl + 1 : pos);
    }
    {
        char *a = xasprintf("หัวหน้า%s", p->agency ? p->agency : "ส่วนราชการ");
        char *t = memo_text(a);
        free(a);
        return t;
    }
}

static int64_t total_budget(const plan_doc *p)
{
    summary s;
    int64_t b;
    summary_compute(p, &s);
    b = s.overflow ? 0 : s.budget;
    summary_free(&s);
    return b;
}

/* Role and part of a signer field ("checked_position" -> SIGN_CHECKED, 1). */
static bool signer_field(const char *name, sign_role *r, bool *position)
{
    static const char *const roles[SIGN__MAX] = {"prepared", "checked", "approved"};
    for (int i = 0; i < SIGN__MAX; i++) {
        size_t n = strlen(roles[i]);
        if (strncmp(name, roles[i], n) == 0 && name[n] == '_') {
            if (strcmp(name + n + 1, "name") != 0 && strcmp(name + n + 1, "position") != 0)
                return false;
            *r = (sign_role)i;
            *position = strcmp(name + n + 1, "position") == 0;
            return true;
        }
    }
    return false;
}

char *memo_field_value(const plan_doc *p, const char *name)
{
    const memo *m = p->has_memo ? &p->memo : NULL;
    sign_role role;
    bool position;
    buf b;

    if (strcmp(name, "agency") == 0)
        return memo_text(p->agency);
    if (strcmp(name, "group") == 0)
        return group_of(p);
    if (strcmp(name, "from") == 0) {
        char *g, *t;
        if (m && has_text(m->from))
            return memo_text(m->from);
        g = group_of(p);
        t = xasprintf("%s %s", p->agency ? p->agency : "", g);
        free(g);
        g = memo_text(t);
        free(t);
        return g;
    }
    if (strcmp(name, "doc_no") == 0)
        return memo_text(m ? m->doc_no : NULL);
    if (strcmp(name, "date") == 0) {
        buf_init(&b, 0);
        if (m && date_valid(m->date))
            date_thai_long(&b, m->date, true);
        return buf_detach(&b);
    }
    if (strcmp(name, "fiscal_year") == 0 || strcmp(name, "revision") == 0 ||
        strcmp(name, "projects") == 0) {
        long v = name[0] == 'f' ? p->fiscal_year : name[0] == 'r' ? p->revision
                                                                  : (long)p->nprojects;
        char *a = xasprintf("%ld", v), *t = memo_text(a);
        free(a);
        return t;
    }
    if (strcmp(name, "plan_title") == 0)
        return memo_text(p->title);
    if (strcmp(name, "plan_name") == 0)
        return plan_name_of(p);
    if (strcmp(name, "plan_full") == 0)
        return plan_full_of(p);
    if (strcmp(name, "version_label") == 0)
        return version_label_of(p);
    if (strcmp(name, "version_suffix") == 0) {
        char *l = version_label_of(p), *t = *l ? xasprintf(" (%s)", l) : xstrdup("");
        free(l);
        return t;
    }
    if (strcmp(name, "subject") == 0) {
        char *full, *t;
        if (m && has_text(m->subject))
            return memo_text(m->subject);
        full = plan_full_of(p);
        t = xasprintf("การจัดทำ%s", full);
        free(full);
        return t;
    }
    if (strcmp(name, "to") == 0) {
        if (m && has_text(m->to))
            return memo_text(m->to);
        return default_to(p);
    }
    if (signer_field(name, &role, &position)) {
        const signature *s = signer(p, role);
        return memo_text(position ? s->position : s->name);
    }
    if (strcmp(name, "total_budget") == 0 || strcmp(name, "total_budget_words") == 0) {
        buf_init(&b, 0);
        if (strcmp(name, "total_budget") == 0)
            money_format(&b, total_budget(p), true);
        else
            thai_baht_text(&b, total_budget(p));
        return buf_detach(&b);
    }
    return NULL;
}

/* ---- expansion ----------------------------------------------------------------------------- */

static void seterr(char *err, size_t errlen, int line, const char *th, const char *en,
                   const char *what)
{
    if (err && errlen)
        snprintf(err, errlen,
                 "แม่แบบบันทึกข้อความ บรรทัด %d: %s %s / memo template line %d: %s %s", line,
                 th, what, line, en, what);
}

/* Append s[0..n) with its {{fields}} expanded to b. 0 or -1 with err. */
static int expand_fields(const plan_doc *p, const char *s, size_t n, int line, buf *b, char *err,
                         size_t errlen)
{
    const char *end = s + n;
    while (s < end) {
        const char *o = memmem(s, (size_t)(end - s), "{{", 2);
        const char *c, *nb, *ne;
        char *name, *val;
        if (!o) {
            buf_add(b, s, (size_t)(end - s));
            break;
        }
        buf_add(b, s, (size_t)(o - s));
        c = memmem(o + 2, (size_t)(end - o - 2), "}}", 2);
        if (!c) {
            char *rest = xstrndup(o, (size_t)(end - o) > 40 ? 40 : (size_t)(end - o));
            seterr(err, errlen, line, "มี {{ ที่ไม่ได้ปิดด้วย }}:", "unclosed '{{':", rest);
            free(rest);
            return -1;
        }
        nb = o + 2;
        ne = c;
        while (nb < ne && (*nb == ' ' || *nb == '\t'))
            nb++;
        while (ne > nb && (ne[-1] == ' ' || ne[-1] == '\t'))
            ne--;
        name = xstrndup(nb, (size_t)(ne - nb));
        val = memo_field_value(p, name);
        if (!val) {
            char *q = xasprintf("{{%s}}", name);
            seterr(err, errlen, line, "ไม่รู้จักช่องข้อมูล", "unknown field", q);
            free(q);
            free(name);
            return -1;
        }
        buf_adds(b, val);
        free(val);
        free(name);
        s = c + 2;
    }
    return 0;
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return xstrndup(s, n);
}

static memo_el *add_el(memo_doc *m, memo_el_kind kind, int line)
{
    memo_el *e;
    if (m->nels == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->els = xrealloc(m->els, m->cap * sizeof *m->els);
    }
    e = &m->els[m->nels++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->line = line;
    return e;
}

/* "[signers]" or "[signers prepared approved]": 1 ok, 0 not this markup,
** -1 malformed (err set). */
static int parse_signers(const char *l, size_t n, int line, memo_el *tmp, char *err,
                         size_t errlen)
{
    const char *s, *end;
    if (n < 9 || strncmp(l, "[signers", 8) != 0 || (l[8] != ']' && l[8] != ' '))
        return 0;
    if (l[n - 1] != ']') {
        seterr(err, errlen, line, "บรรทัดลายมือชื่อต้องปิดด้วย ]:", "signers line lacks ']':",
               "[signers");
        return -1;
    }
    tmp->nroles = 0;
    s = l + 8;
    end = l + n - 1;
    for (;;) {
        const char *w;
        char *word;
        int r = -1;
        while (s < end && *s == ' ')
            s++;
        if (s >= end)
            break;
        w = s;
        while (s < end && *s != ' ')
            s++;
        word = xstrndup(w, (size_t)(s - w));
        for (int i = 0; i < SIGN__MAX; i++)
            if (strcmp(word, sign_role_key((sign_role)i)) == 0)
                r = i;
        if (r < 0 || tmp->nroles == SIGN__MAX) {
            seterr(err, errlen, line, "ไม่รู้จักผู้ลงนาม (prepared, checked, approved):",
                   "unknown signer (prepared, checked, approved):", word);
            free(word);
            return -1;
        }
        free(word);
        tmp->roles[tmp->nroles++] = r;
    }
    if (tmp->nroles == 0) {
        for (int i = 0; i < SIGN__MAX; i++)
            tmp->roles[i] = i;
        tmp->nroles = SIGN__MAX;
    }
    return 1;
}

/* Header labels and their memo_doc slots. */
static char **header_slot(memo_doc *m, const char *l, size_t n, size_t *skip)
{
    static const char *const labels[] = {"ส่วนราชการ", "ที่", "วันที่", "เรื่อง", "เรียน"};
    char **slots[] = {&m->from, &m->doc_no, &m->date, &m->subject, &m->to};
    for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
        size_t k = strlen(labels[i]);
        if (n > k && memcmp(l, labels[i], k) == 0) {
            size_t j = k;
            while (j < n && (l[j] == ' ' || l[j] == '\t'))
                j++;
            if (j < n && l[j] == ':') {
                *skip = j + 1;
                return slots[i];
            }
        }
    }
    return NULL;
}

/* One template line (without its newline). 0 or -1 with err. */
static int expand_line(const plan_doc *p, memo_doc *m, const char *l, size_t n, int line,
                       char *err, size_t errlen)
{
    size_t indent = 0, skip = 0;
    char **slot;
    memo_el tmp;
    int rc;
    buf b;

    while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
        n--;
    while (indent < n && (l[indent] == ' ' || l[indent] == '\t'))
        indent++;
    if (indent == n)
        return 0; /* blank */
    if (l[0] == '#' && !(n > 1 && l[1] == '#'))
        return 0; /* comment */

    buf_init(&b, 0);
    if ((slot = header_slot(m, l, n, &skip)) != NULL) {
        if (*slot) {
            char *label = xstrndup(l, skip);
            seterr(err, errlen, line, "มีบรรทัดนี้แล้ว:", "repeated header line:", label);
            free(label);
            buf_free(&b);
            return -1;
        }
        if (expand_fields(p, l + skip, n - skip, line, &b, err, errlen) < 0) {
            buf_free(&b);
            return -1;
        }
        *slot = trim_dup(b.s, b.len);
        buf_free(&b);
        return 0;
    }
    if (n >= 2 && l[0] == '#' && l[1] == '#') {
        memo_el *e;
        if (expand_fields(p, l + 2, n - 2, line, &b, err, errlen) < 0) {
            buf_free(&b);
            return -1;
        }
        e = add_el(m, MEMO_HEADING, line);
        e->text = trim_dup(b.s, b.len);
        buf_free(&b);
        return 0;
    }
    rc = parse_signers(l + indent, n - indent, line, &tmp, err, errlen);
    if (rc != 0) {
        memo_el *e;
        buf_free(&b);
        if (rc < 0)
            return -1;
        e = add_el(m, MEMO_SIGNERS, line);
        memcpy(e->roles, tmp.roles, sizeof tmp.roles);
        e->nroles = tmp.nroles;
        return 0;
    }
    {
        bool item = l[indent] == '-' && (indent + 1 == n || l[indent + 1] == ' ');
        size_t from = item ? indent + 1 : indent;
        memo_el *e;
        if (expand_fields(p, l + from, n - from, line, &b, err, errlen) < 0) {
            buf_free(&b);
            return -1;
        }
        e = add_el(m, item ? MEMO_ITEM : MEMO_PARA, line);
        e->level = item ? (indent > 0 ? 2 : 1) : 0;
        e->text = trim_dup(b.s, b.len);
    }
    buf_free(&b);
    return 0;
}

int memo_expand(const plan_doc *p, const char *template_text, memo_doc *out, char *err,
                size_t errlen)
{
    const char *s = template_text ? template_text : memo_template_default();
    size_t len = strlen(s);
    int line = 0;

    memset(out, 0, sizeof *out);
    if (!utf8_valid(s, len)) {
        if (err && errlen)
            snprintf(err, errlen, "แม่แบบบันทึกข้อความไม่ใช่ UTF-8 / the memo template is not "
                                  "valid UTF-8");
        return -1;
    }
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* a byte-order mark from a Windows editor */
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        line++;
        if (expand_line(p, out, s, n, line, err, errlen) < 0) {
            memo_doc_free(out);
            return -1;
        }
        s += n + (nl != NULL);
    }
    for (int r = 0; r < SIGN__MAX; r++) {
        const signature *src = &p->signers[r];
        out->signers[r].name = src->name ? memo_text(src->name) : NULL;
        out->signers[r].position = src->position ? thai_digits_from_ascii(src->position) : NULL;
        out->signers[r].date = src->date;
    }
    return 0;
}

char *memo_doc_text(const memo_doc *m)
{
    static const char *const labels[] = {"ส่วนราชการ", "ที่", "วันที่", "เรื่อง", "เรียน"};
    const char *vals[] = {m->from, m->doc_no, m->date, m->subject, m->to};
    buf b;
    buf_init(&b, 0);
    buf_adds(&b, "บันทึกข้อความ\n");
    for (size_t i = 0; i < ARRAY_LEN(labels); i++)
        buf_printf(&b, "%s %s\n", labels[i], vals[i] ? vals[i] : "");
    for (size_t i = 0; i < m->nels; i++) {
        const memo_el *e = &m->els[i];
        switch (e->kind) {
        case MEMO_HEADING:
            buf_printf(&b, "%s\n", e->text);
            break;
        case MEMO_PARA:
            buf_printf(&b, "\t%s\n", e->text);
            break;
        case MEMO_ITEM:
            buf_printf(&b, "%s- %s\n", e->level > 1 ? "\t\t" : "\t", e->text);
            break;
        case MEMO_SIGNERS:
            for (int k = 0; k < e->nroles; k++) {
                const signature *s = &m->signers[e->roles[k]];
                if (!s->name)
                    continue;
                buf_printf(&b, "\n(%s)\n%s\n", s->name, s->position ? s->position : "");
            }
            break;
        }
    }
    return buf_detach(&b);
}

void memo_doc_free(memo_doc *m)
{
    if (!m)
        return;
    free(m->from);
    free(m->doc_no);
    free(m->date);
    free(m->subject);
    free(m->to);
    for (size_t i = 0; i < m->nels; i++)
        free(m->els[i].text);
    free(m->els);
    for (int r = 0; r < SIGN__MAX; r++) {
        free(m->signers[r].name);
        free(m->signers[r].position);
    }
    memset(m, 0, sizeof *m);
}
