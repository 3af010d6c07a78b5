/*
** plan.h — the plan model: what a spending-plan document says, as C structs.
**
** A `plan_doc` is one version of one plan of one agency (the seed is the
** agency ศธจ.ลำปาง's FY2568 spending plan, revision 1). Importers build it
** from bytes, the store saves and loads it, `check` reads it, exporters and
** renderers print it. No SQL and no I/O here.
**
** Money is int64 satang everywhere. Dates are CE `date`s; fiscal years BE.
*/
#ifndef PHAEN_PLAN_H
#define PHAEN_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "thai.h"
#include "util.h"

/* The seven alignment columns (ความสอดคล้อง), in document order. */
typedef enum align_field {
    ALIGN_NATIONAL_STRATEGY, /* ย.ชาติ: 1..6 */
    ALIGN_MASTER_PLAN,       /* แผนแม่บท: 01..23 */
    ALIGN_SUBPLAN_TARGET,    /* เป้าหมายแผนแม่บทย่อย: MMSSTT */
    ALIGN_PLAN13_MILESTONE,  /* แผน 13 หมุดหมายที่: 1..13 */
    ALIGN_SECURITY_POLICY,   /* น.ความมั่นคง: 1..17, "-" = none */
    ALIGN_GOVERNMENT_POLICY, /* น.รัฐบาล: numbers or free text */
    ALIGN_MOE_STRATEGY,      /* ย.ศธ: 1..6 = the strategic issue */
    ALIGN__MAX
} align_field;

/* JSON key ("national_strategy"), Thai header ("ย.ชาติ"), English name. */
const char *align_key(align_field f);
const char *align_header_th(align_field f);
const char *align_name_en(align_field f);
int align_from_key(const char *key); /* -1 when unknown */

typedef struct alignment {
    strlist codes;  /* normalized codes, e.g. "01"; empty for "-" and free text */
    char *text;     /* the cell as written (NULL when nothing was written) */
    bool free_text; /* the cell is words, not codes (allowed for น.รัฐบาล) */
} alignment;

/* The five list-valued text columns. */
typedef enum item_kind {
    ITEM_OBJECTIVE,     /* วัตถุประสงค์ */
    ITEM_OUTPUT,        /* เป้าหมาย: ผลผลิต (Output) */
    ITEM_OUTCOME,       /* เป้าหมาย: ผลลัพธ์ (Outcome) */
    ITEM_INDICATOR_QUANT, /* ตัวชี้วัด: เชิงปริมาณ */
    ITEM_INDICATOR_QUAL,  /* ตัวชี้วัด: เชิงคุณภาพ */
    ITEM__MAX
} item_kind;

const char *item_key(item_kind k); /* "objectives", "outputs", ... */
const char *item_header_th(item_kind k);
int item_from_key(const char *key);

/* Severity of a finding. */
typedef enum severity { SEV_ERROR, SEV_WARNING, SEV_INFO, SEV__MAX } severity;
const char *severity_key(severity s); /* "error", "warning", "info" */
int severity_from_key(const char *s);

/*
** A finding: what is wrong (or was repaired), where, in Thai and English.
** `project` is the project number (0 = the plan as a whole); `line` the
** source line (0 = unknown); `field` a field key such as "quarters",
** "period", "unit", "budget", "alignment.master_plan" or "" for the row.
*/
typedef struct finding {
    char *rule;
    severity sev;
    int project;
    char *field;
    int line;
    char *message_th;
    char *message_en;
} finding;

typedef struct findings {
    finding *v;
    size_t n, cap;
} findings;

void findings_add(findings *fs, const char *rule, severity sev, int project_no, const char *field,
                  int line, const char *message_th, const char *message_en);
/* printf-style: one format for Thai and one for English. Both formats take
** the same arguments in the same order; a format skips a string meant for
** the other language with "%.0s". */
void findings_addf(findings *fs, const char *rule, severity sev, int project_no, const char *field,
                   int line, const char *fmt_th, const char *fmt_en, ...);
void findings_append(findings *dst, const findings *src);
/* The findings of src go to the end of dst, in order; src is left empty. */
void findings_move(findings *dst, findings *src);
void findings_sort(findings *fs); /* by project, line, rule */
size_t findings_count(const findings *fs, severity sev);
void findings_free(findings *fs);

typedef struct project {
    int no;                 /* ที่: 1..N in plan order */
    char *name;             /* โครงการ */
    strlist items[ITEM__MAX];
    bool has_budget;        /* false = ไม่ใช้งบประมาณ */
    int64_t budget;         /* satang; 0 when !has_budget */
    int64_t q[4];           /* planned spending per fiscal quarter, satang */
    char *period_text;      /* ระยะเวลาดำเนินการ as written */
    date start, end;        /* null dates when unreadable */
    char *unit_text;        /* ผู้รับผิดชอบ as written */
    char *unit;             /* the registered unit's name, NULL = not matched */
    int issue;              /* strategic issue number, 0 = none */
    bool issue_inferred;    /* issue taken from ย.ศธ, not a band row */
    alignment align[ALIGN__MAX];
    char *change_reason;    /* why its money changed in this revision (may be NULL) */
    int line;               /* source line of the project's row (0 = none) */
    int64_t id;             /* store id (0 = not stored) */
    int64_t version;        /* row version for optimistic locking (store) */
    findings notes;         /* what the importer repaired or could not read */
} project;

typedef struct strategic_issue {
    int no;
    char *title;
} strategic_issue;

/* A signature block: prepared by / checked by / head of agency. */
typedef enum sign_role { SIGN_PREPARED, SIGN_CHECKED, SIGN_APPROVED, SIGN__MAX } sign_role;
const char *sign_role_key(sign_role r); /* "prepared", "checked", "approved" */
const char *sign_role_th(sign_role r);  /* "ผู้จัดทำ", "ผู้ตรวจ", "หัวหน้าส่วนราชการ" */
const char *sign_role_en(sign_role r);  /* "preparer", "checker", "head of agency" */

typedef struct signature {
    char *name;     /* "นางสุดารัตน์ ชุมขวัญ" (without parentheses) */
    char *position; /* may hold several lines separated by '\n' */
    date date;      /* null when undated */
} signature;

/* The memo (บันทึกข้อความ) that carries the plan to the head of agency. */
typedef struct memo_section {
    char *heading; /* "ต้นเรื่อง/ข้อเท็จจริง" */
    strlist paras; /* paragraphs or "- " items, as written */
} memo_section;

typedef struct memo {
    char *from;    /* ส่วนราชการ */
    char *doc_no;  /* ที่ */
    date date;     /* วันที่ */
    char *subject; /* เรื่อง */
    char *to;      /* เรียน */
    memo_section *sections;
    size_t nsections;
} memo;

typedef enum version_status { VSTATUS_DRAFT, VSTATUS__MAX } version_status;

typedef struct plan_doc {
    char *agency;           /* "สำนักงานศึกษาธิการจังหวัดลำปาง" */
    int fiscal_year;        /* BE, e.g. 2568 */
    char *title;            /* "แผนการใช้จ่ายงบประมาณรายโครงการตามแผนปฏิบัติราชการ…" */
    char *title_line;       /* the document's whole title line as written */
    int revision;           /* 0 = original, N = ครั้งที่ N */
    char *version_label;    /* "ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ 1" */
    char *source_file;      /* provenance: file name as given to import */
    strategic_issue *issues;
    size_t nissues;
    project *projects;
    size_t nprojects, cap_projects;
    memo memo;
    bool has_memo;
    signature signers[SIGN__MAX];
    findings notes;         /* plan-level importer notes (project == 0) */
    /* the version's life (filled by the store; 0/NULL for a fresh import) */
    int64_t version_id;
    char status[16];        /* draft, submitted, checked, approved, published */
    char *reason;           /* why this revision was made */
    int64_t based_on;       /* the version it was copied from */
    bool has_allocation;
    int64_t allocated;      /* งบประมาณที่ได้รับจัดสรร, satang */
    struct unit_alloc {
        char *unit;
        int64_t satang;
    } *unit_alloc;          /* per unit, when the office splits it */
    size_t nunit_alloc;
} plan_doc;

plan_doc *plan_new(void);
void plan_free(plan_doc *p);
project *plan_add_project(plan_doc *p); /* zeroed project appended */
/* Room for n projects: until there are more, plan_add_project() moves none
** (another thread may hold a pointer to one meanwhile). */
void plan_reserve_projects(plan_doc *p, size_t n);
void project_free_fields(project *pr);
void project_copy(project *dst, const project *src); /* deep copy into zeroed dst */
strategic_issue *plan_issue(const plan_doc *p, int no);
void plan_set_issue(plan_doc *p, int no, const char *title); /* add or retitle */
const project *plan_project(const plan_doc *p, int no);

/* Sum of quarters, with overflow detection: false on overflow. */
bool project_quarters_sum(const project *pr, int64_t *sum);

/*
** Split a numbered list "1. aaa 2. bbb 3. ccc" into items; text without
** numbering is one item. A number only starts an item when it follows the
** previous one (1, 2, 3 …), so "พ.ศ. 2567" or "5 มาตรการ" never split.
*/
void plan_split_numbered(const char *text, strlist *out);

/*
** Normalize one alignment cell into codes: "-" or "" -> none; "1,6,7" ->
** 1 6 7; master plans become 2 digits ("1" -> "01"). Free text (anything
** not numbers and separators) is kept in `text` with no codes. Returns
** false when the cell has a malformed code (e.g. "12a"), which it keeps
** as text.
*/
bool plan_parse_alignment(align_field f, const char *cell, alignment *out);

/* An alignment cell as printed: its free text, or its codes joined with
** ",", or "-" when there is nothing. Returns heap memory. */
char *alignment_text(const alignment *a);

#endif
