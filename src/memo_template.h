/*
** memo_template.h — the memo (บันทึกข้อความ) as a template the agency can
** edit, expanded with a plan's values into a `memo_doc` that the renderer
** draws (render_memo_pdf in render_memo.c).
**
** The template is plain UTF-8 text, one element a line:
**   ส่วนราชการ: …   ที่: …   วันที่: …   เรื่อง: …   เรียน: …   the header
**   ## heading                                               a section heading
**   - item          an item;  "  - item" (indented) a sub-item
**   [signers]       the signature blocks of the plan's signers that have a
**                   name; "[signers prepared checked approved]" chooses which
**   # comment       not printed (a '#' not followed by another '#')
**   anything else   a paragraph (first line indented 2.5 cm when drawn)
** Blank lines are ignored. Fields `{{name}}` (spaces allowed inside the
** braces) are replaced by the plan's values; memo_field_names() lists them.
** An unknown field, an unclosed "{{" or a malformed [signers] line is an
** error naming the line. Values are in Thai digits, as memos are written.
**
** The built-in template is data/templates/memo.txt, compiled in (embed.c).
*/
#ifndef PHAEN_MEMO_TEMPLATE_H
#define PHAEN_MEMO_TEMPLATE_H

#include <stddef.h>

#include "plan.h"

typedef enum memo_el_kind {
    MEMO_HEADING, /* "## ต้นเรื่อง/ข้อเท็จจริง" */
    MEMO_PARA,    /* a paragraph */
    MEMO_ITEM,    /* "- …" (level 1) or "  - …" (level 2) */
    MEMO_SIGNERS  /* "[signers]" */
} memo_el_kind;

typedef struct memo_el {
    memo_el_kind kind;
    int level;        /* items: 1 or 2; 0 otherwise */
    char *text;       /* expanded text without its markup; NULL for signers */
    int roles[SIGN__MAX]; /* signers: sign_role values in drawing order */
    int nroles;
    int line;         /* template line (1-based) */
} memo_el;

/* A memo ready to draw. Header texts are NULL when the template has no
** such line (the renderer still draws the label, with an empty dotted line,
** as the official form has it); "" when the value is empty. */
typedef struct memo_doc {
    char *from;    /* ส่วนราชการ */
    char *doc_no;  /* ที่ */
    char *date;    /* วันที่: "๑๓ มกราคม ๒๕๖๘" */
    char *subject; /* เรื่อง */
    char *to;      /* เรียน */
    memo_el *els;
    size_t nels, cap;
    signature signers[SIGN__MAX]; /* copies of the plan's (Thai digits) */
} memo_doc;

/* The built-in template (data/templates/memo.txt). */
const char *memo_template_default(void);

/* NULL-terminated list of the field names a template may use. */
const char *const *memo_field_names(void);

/*
** Value of one field for plan p (heap memory), or NULL when `name` is not
** a field. Taken from the plan's imported memo when it has one (from,
** doc_no, date, to, subject), else made from the agency, fiscal year and
** version: from = agency + group; doc_no and date empty (written by hand);
** to = the last line of the approving signer's position, else "หัวหน้า" +
** agency; subject = "การจัดทำ" + plan_full.
*/
char *memo_field_value(const plan_doc *p, const char *name);

/* Expand template_text (NULL = the built-in one) with plan p into *out
** (overwritten; release with memo_doc_free). Returns 0, or -1 with a
** one-line reason (Thai / English) naming the template line in err. */
int memo_expand(const plan_doc *p, const char *template_text, memo_doc *out, char *err,
                size_t errlen);

/* The expanded memo as plain text, one element a line (for previews and
** tests). Returns heap memory. */
char *memo_doc_text(const memo_doc *m);

void memo_doc_free(memo_doc *m);

#endif
