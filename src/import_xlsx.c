/*
** import_xlsx.c — read a plan back from an .xlsx workbook (see xlsx.h).
**
** The ZIP container is opened with libzip, the XML parts are parsed with
** expat. Only what is needed is read: the package relationships, the
** workbook (sheet names -> relationship ids), its relationships (-> parts),
** the shared strings, and the sheets "ข้อมูล" and "ข้อมูลแผน".
**
** The sheet "ข้อมูล" is turned back into canonical CSV text in memory and
** handed to import_csv(), so the two importers accept exactly the same
** cells; its line-based error messages are rewritten to name the sheet
** and cell. Amounts stored as numbers are converted to satang with string
** arithmetic, never through a double.
*/
#include "xlsx.h"

#include <ctype.h>
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "csv.h"
#include "import_csv.h"

#define NS_SEP '|'
#define MAX_ROW 1048576u
#define MAX_COL 16384u
#define MAX_CELLS 4000000u /* cells with a value in one sheet */

/* The import's state: the archive and where errors go. */
typedef struct xctx {
    const char *source;
    char *err;
    size_t errlen;
    zip_t *za;
    bool date1904;
    strlist shared; /* shared strings, by index */
} xctx;

/* Write "source: " (when there is a source) and the formatted rest to err,
** cut on a UTF-8 boundary. Always returns -1. */
__attribute__((format(printf, 2, 3))) static int fail(xctx *x, const char *fmt, ...)
{
    buf b;
    va_list ap;
    if (!x->err || !x->errlen)
        return -1;
    buf_init(&b, 0);
    if (x->source && *x->source)
        buf_printf(&b, "%s: ", x->source);
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.len >= x->errlen) {
        size_t n = x->errlen - 1;
        while (n > 0 && ((unsigned char)b.s[n] & 0xC0) == 0x80)
            n--;
        b.len = n;
        b.s[n] = 0;
    }
    snprintf(x->err, x->errlen, "%s", b.s ? b.s : "");
    buf_free(&b);
    return -1;
}

/* ---- the ZIP container ------------------------------------------------------ */

/*
** Read part `name` (a path inside the archive, without a leading '/').
** Returns heap memory (NUL-terminated; *len bytes) or NULL: with
** *missing = true when there is no such part (err untouched), else with
** err set (too large, unreadable, corrupt).
*/
static char *read_part(xctx *x, const char *name, size_t *len, bool *missing)
{
    zip_int64_t idx;
    zip_stat_t st;
    zip_file_t *zf;
    size_t cap, n = 0;
    char *data;

    *missing = false;
    while (*name == '/')
        name++;
    idx = zip_name_locate(x->za, name, 0);
    if (idx < 0)
        idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        *missing = true;
        return NULL;
    }
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0) {
        fail(x, "ส่วน %s ของไฟล์เสีย / part %s is damaged", name, name);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > XLSX_MAX_PART) {
        fail(x, "ส่วน %s ใหญ่เกิน %u MB เมื่อคลายบีบอัด ไม่อ่าน / part %s is larger than %u MB "
                "uncompressed; not read",
             name, XLSX_MAX_PART >> 20, name, XLSX_MAX_PART >> 20);
        return NULL;
    }
    zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        const char *why = zip_strerror(x->za);
        fail(x, "เปิดส่วน %s ไม่ได้ (%s) / cannot open part %s (%s)", name, why, name, why);
        return NULL;
    }
    /* do not trust the declared size: read at most XLSX_MAX_PART + 1 bytes */
    cap = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size + 1 : 65536;
    data = xmalloc(cap + 1);
    for (;;) {
        zip_int64_t got;
        if (n == cap) {
            if (cap > XLSX_MAX_PART)
                break;
            cap = cap * 2 > XLSX_MAX_PART + 1 ? XLSX_MAX_PART + 1 : cap * 2;
            data = xrealloc(data, cap + 1);
        }
        got = zip_fread(zf, data + n, cap - n);
        if (got < 0) {
            const char *why = zip_file_strerror(zf);
            fail(x, "อ่านส่วน %s ไม่ได้ ไฟล์อาจเสีย (%s) / cannot read part %s; the file may be "
                    "damaged (%s)",
                 name, why, name, why);
            zip_fclose(zf);
            free(data);
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    zip_fclose(zf);
    if (n > XLSX_MAX_PART) {
        fail(x, "ส่วน %s ใหญ่เกิน %u MB เมื่อคลายบีบอัด ไม่อ่าน / part %s is larger than %u MB "
                "uncompressed; not read",
             name, XLSX_MAX_PART >> 20, name, XLSX_MAX_PART >> 20);
        free(data);
        return NULL;
    }
    data[n] = 0;
    *len = n;
    return data;
}

/* ---- XML with expat -------------------------------------------------------------- */

/* What every parse's user data starts with. */
typedef struct xml_base {
    XML_Parser parser;
    xctx *x;
    bool failed; /* a handler set err and stopped the parser */
} xml_base;

/* The local part of an expat "uri|name" name. */
static const char *local(const char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

/* The value of attribute `name` (local name; `ns` = must it have a
** namespace), or NULL. */
static const char *attr(const XML_Char **atts, const char *name, bool ns)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *sep = strrchr(atts[i], NS_SEP);
        if ((sep != NULL) == ns && strcmp(sep ? sep + 1 : atts[i], name) == 0)
            return atts[i + 1];
    }
    return NULL;
}

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    xml_base *b = ud;
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    b->failed = true;
    fail(b->x, "ไฟล์มี DTD (<!DOCTYPE) ซึ่ง .xlsx ไม่มี ไม่อ่าน / the file has a DTD "
               "(<!DOCTYPE), which .xlsx files never have; not read");
    XML_StopParser(b->parser, XML_FALSE);
}

/* Stop the parse from a handler with an error already in err. */
static void stop(xml_base *b)
{
    b->failed = true;
    XML_StopParser(b->parser, XML_FALSE);
}

/*
** Parse part `name` (data[0..len)) with the handlers; `ud` starts with an
** xml_base. A DTD is refused (no entity expansion at all). Returns 0, or
** -1 with err set (malformed XML names the part and line).
*/
static int parse_xml(xctx *x, const char *name, const char *data, size_t len, void *ud,
                     XML_StartElementHandler start, XML_EndElementHandler end,
                     XML_CharacterDataHandler text)
{
    xml_base *b = ud;
    XML_Parser p = XML_ParserCreateNS("UTF-8", NS_SEP);
    int rc = 0;

    if (!p)
        panic("import_xlsx: out of memory (expat)");
    b->parser = p;
    b->x = x;
    b->failed = false;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    if (text)
        XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, no_doctype);
    if (XML_Parse(p, data, (int)len, XML_TRUE) != XML_STATUS_OK) {
        if (!b->failed) {
            unsigned long line = XML_GetCurrentLineNumber(p);
            const char *why = XML_ErrorString(XML_GetErrorCode(p));
            fail(x, "ส่วน %s ไม่ใช่ XML ที่ถูกต้อง (บรรทัด %lu: %s) ไฟล์อาจเสีย / part %s is not "
                    "well-formed XML (line %lu: %s); the file may be damaged",
                 name, line, why, name, line, why);
        }
        rc = -1;
    } else if (b->failed) {
        rc = -1;
    }
    XML_ParserFree(p);
    return rc;
}

/* ---- relationships and the workbook ---------------------------------------------- */

typedef struct rel {
    char *id, *target, *type;
} rel;

typedef struct rels {
    xml_base b;
    rel *v;
    size_t n, cap;
} rels;

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels *r = ud;
    const char *id, *target, *type, *mode;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    id = attr(atts, "Id", false);
    target = attr(atts, "Target", false);
    type = attr(atts, "Type", false);
    mode = attr(atts, "TargetMode", false);
    if (!id || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = xrealloc(r->v, r->cap * sizeof *r->v);
    }
    r->v[r->n++] = (rel){xstrdup(id), xstrdup(target), xstrdup(type ? type : "")};
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
    (void)ud, (void)name;
}

static void rels_free(rels *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].target);
        free(r->v[i].type);
    }
    free(r->v);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
** The part a relationship target names: "/xl/x.xml" is absolute, anything
** else is relative to `dir` ("xl/" for the workbook's relationships); "."
** and ".." segments are resolved. Returns heap memory.
*/
static char *resolve(const char *dir, const char *target)
{
    char *joined = target[0] == '/' ? xstrdup(target + 1) : xasprintf("%s%s", dir, target);
    strlist segs = {0};
    char *s = joined, *out;
    while (*s) {
        size_t n = strcspn(s, "/");
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (segs.n)
                free(segs.v[--segs.n]);
        } else if (n && !(n == 1 && s[0] == '.')) {
            strlist_addn(&segs, s, n);
        }
        s += n;
        if (*s)
            s++;
    }
    out = strlist_join(&segs, "/");
    strlist_free(&segs);
    free(joined);
    return out;
}

/* Parse a .rels part; a missing part gives no relationships. 0 or -1. */
static int read_rels(xctx *x, const char *name, rels *out)
{
    size_t len;
    bool missing;
    char *data = read_part(x, name, &len, &missing);
    int rc;
    memset(out, 0, sizeof *out);
    if (!data)
        return missing ? 0 : -1;
    rc = parse_xml(x, name, data, len, out, rels_start, ignore_end, NULL);
    free(data);
    return rc;
}

typedef struct sheet_ref {
    char *name, *rid;
} sheet_ref;

typedef struct workbook {
    xml_base b;
    sheet_ref *v;
    size_t n, cap;
    bool date1904;
} workbook;

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    workbook *w = ud;
    const char *l = local(name);
    if (strcmp(l, "sheet") == 0) {
        const char *sn = attr(atts, "name", false), *rid = attr(atts, "id", true);
        if (!sn || !rid)
            return;
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 8;
            w->v = xrealloc(w->v, w->cap * sizeof *w->v);
        }
        w->v[w->n++] = (sheet_ref){xstrdup(sn), xstrdup(rid)};
    } else if (strcmp(l, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904", false);
        w->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    }
}

static void workbook_free(workbook *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].name);
        free(w->v[i].rid);
    }
    free(w->v);
}

/* ---- shared strings ---------------------------------------------------------------- */

/*
** Undo OOXML's escaping of characters XML cannot hold: "_x000D_" is a
** carriage return, "_x005F_" a literal '_' (ECMA-376 ST_Xstring). Returns
** heap memory.
*/
static char *xstring(const char *s)
{
    buf b;
    if (!strstr(s, "_x"))
        return xstrdup(s);
    buf_init(&b, 0);
    while (*s) {
        unsigned cp;
        if (s[0] == '_' && s[1] == 'x' && isxdigit((unsigned char)s[2]) &&
            isxdigit((unsigned char)s[3]) && isxdigit((unsigned char)s[4]) &&
            isxdigit((unsigned char)s[5]) && s[6] == '_' && sscanf(s + 2, "%4x", &cp) == 1 &&
            cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
            utf8_put(&b, (int32_t)cp);
            s += 7;
        } else {
            buf_addc(&b, *s++);
        }
    }
    return buf_detach(&b);
}

typedef struct sst {
    xml_base b;
    strlist *out;
    buf text;
    bool in_si, in_t;
    int in_rph; /* inside phonetic runs (<rPh>): their text is not the cell's */
} sst;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst *s = ud;
    const char *l = local(name);
    (void)atts;
    if (strcmp(l, "si") == 0) {
        s->in_si = true;
        buf_reset(&s->text);
    } else if (strcmp(l, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(l, "t") == 0 && s->in_si && !s->in_rph) {
        s->in_t = true;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst *s = ud;
    const char *l = local(name);
    if (strcmp(l, "si") == 0 && s->in_si) {
        strlist_take(s->out, xstring(s->text.s ? s->text.s : ""));
        s->in_si = false;
    } else if (strcmp(l, "rPh") == 0 && s->in_rph) {
        s->in_rph--;
    } else if (strcmp(l, "t") == 0) {
        s->in_t = false;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *t, int n)
{
    sst *s = ud;
    if (s->in_t)
        buf_add(&s->text, t, (size_t)n);
}

/* ---- worksheets ------------------------------------------------------------------------ */

typedef enum cell_kind { CK_TEXT, CK_NUMBER, CK_ERROR } cell_kind;

typedef struct cell {
    unsigned row, col; /* 1-based */
    size_t seq;        /* order in the file: of a cell given twice the later wins */
    cell_kind kind;
    char *v;           /* text, number as written, or error text */
} cell;

typedef struct sheet {
    xml_base b;
    const char *name; /* the sheet's name, for messages */
    cell *v;
    size_t n, cap;
    bool in_data, in_cell, in_v, in_is, in_t;
    int in_rph;
    unsigned row, col; /* the current row, the last cell's column */
    unsigned crow, ccol;
    char type[16];
    buf vtext, istext;
} sheet;

/* "B12" -> col 2, row 12. false when malformed or out of Excel's range. */
static bool parse_ref(const char *s, unsigned *row, unsigned *col)
{
    unsigned c = 0, r = 0;
    int nl = 0, nd = 0;
    for (; *s >= 'A' && *s <= 'Z'; s++, nl++)
        c = c * 26 + (unsigned)(*s - 'A' + 1);
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        r = r * 10 + (unsigned)(*s - '0');
        if (r > MAX_ROW)
            return false;
    }
    if (*s || nl < 1 || nl > 3 || nd < 1 || r < 1 || c > MAX_COL)
        return false;
    *row = r;
    *col = c;
    return true;
}

/* "B12" for (12, 2) into out (at least 16 bytes). */
static const char *cell_name(unsigned row, unsigned col, char *out)
{
    char letters[8];
    int n = 0;
    while (col && n < 7) {
        letters[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = letters[n - 1 - i];
    snprintf(out + n, 12, "%u", row);
    return out;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sheet *s = ud;
    const char *l = local(name);
    if (!s->in_data) {
        if (strcmp(l, "sheetData") == 0)
            s->in_data = true;
        return;
    }
    if (strcmp(l, "row") == 0) {
        const char *r = attr(atts, "r", false);
        char *end;
        unsigned long v = r ? strtoul(r, &end, 10) : s->row + 1;
        if (r && (*end || end == r))
            v = 0;
        if (v < 1 || v > MAX_ROW) {
            fail(s->b.x, "ชีต %s: เลขแถว '%s' ผิด ไฟล์อาจเสีย / sheet %s: bad row number '%s'; "
                         "the file may be damaged",
                 s->name, r ? r : "", s->name, r ? r : "");
            stop(&s->b);
            return;
        }
        s->row = (unsigned)v;
        s->col = 0;
    } else if (strcmp(l, "c") == 0) {
        const char *r = attr(atts, "r", false), *t = attr(atts, "t", false);
        if (r) {
            if (!parse_ref(r, &s->crow, &s->ccol)) {
                fail(s->b.x, "ชีต %s: อ้างอิงเซลล์ '%s' ผิด ไฟล์อาจเสีย / sheet %s: bad cell "
                             "reference '%s'; the file may be damaged",
                     s->name, r, s->name, r);
                stop(&s->b);
                return;
            }
        } else {
            s->crow = s->row ? s->row : 1;
            s->ccol = s->col + 1;
            if (s->ccol > MAX_COL) {
                fail(s->b.x, "ชีต %s แถว %u: เซลล์เกินคอลัมน์สุดท้าย / sheet %s, row %u: too "
                             "many cells",
                     s->name, s->crow, s->name, s->crow);
                stop(&s->b);
                return;
            }
        }
        s->col = s->ccol;
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        s->in_cell = true;
        s->in_v = s->in_is = s->in_t = false;
        s->in_rph = 0;
        buf_reset(&s->vtext);
        buf_reset(&s->istext);
    } else if (s->in_cell) {
        if (strcmp(l, "v") == 0)
            s->in_v = true;
        else if (strcmp(l, "is") == 0)
            s->in_is = true;
        else if (strcmp(l, "rPh") == 0)
            s->in_rph++;
        else if (strcmp(l, "t") == 0 && s->in_is && !s->in_rph)
            s->in_t = true;
    }
}

/* The cell just closed, as text (shared strings looked up) or a number. */
static void sheet_push(sheet *s)
{
    xctx *x = s->b.x;
    const char *t = s->type, *v = s->vtext.s ? s->vtext.s : "";
    char ref[16];
    cell c = {s->crow, s->ccol, s->n, CK_TEXT, NULL};

    if (strcmp(t, "inlineStr") == 0) {
        c.v = xstring(s->istext.s ? s->istext.s : "");
    } else if (!s->vtext.len) {
        return; /* a formatted empty cell */
    } else if (strcmp(t, "s") == 0) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (*end || end == v || i >= x->shared.n) {
            fail(x, "ชีต %s เซลล์ %s: อ้างถึงข้อความที่ %s ซึ่งไม่มี ไฟล์อาจเสีย / sheet %s, "
                    "cell %s: refers to shared string %s, which does not exist; the file may "
                    "be damaged",
                 s->name, cell_name(c.row, c.col, ref), v, s->name, ref, v);
            stop(&s->b);
            return;
        }
        c.v = xstrdup(x->shared.v[i]);
    } else if (strcmp(t, "str") == 0 || strcmp(t, "d") == 0) {
        c.v = xstring(v);
    } else if (strcmp(t, "b") == 0) {
        c.v = xstrdup(strcmp(v, "0") == 0 ? "FALSE" : "TRUE");
    } else if (strcmp(t, "e") == 0) {
        c.kind = CK_ERROR;
        c.v = xstrdup(v);
    } else {
        c.kind = CK_NUMBER;
        c.v = xstrdup(v);
    }
    if (s->n == MAX_CELLS) {
        free(c.v);
        fail(x, "ชีต %s มีเซลล์มากเกินไป (เกิน %u เซลล์) / sheet %s has too many cells "
                "(more than %u)",
             s->name, MAX_CELLS, s->name, MAX_CELLS);
        stop(&s->b);
        return;
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = c;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    sheet *s = ud;
    const char *l = local(name);
    if (!s->in_data)
        return;
    if (strcmp(l, "sheetData") == 0) {
        s->in_data = false;
    } else if (strcmp(l, "c") == 0 && s->in_cell) {
        s->in_cell = false;
        sheet_push(s);
    } else if (s->in_cell) {
        if (strcmp(l, "v") == 0)
            s->in_v = false;
        else if (strcmp(l, "is") == 0)
            s->in_is = false;
        else if (strcmp(l, "rPh") == 0 && s->in_rph)
            s->in_rph--;
        else if (strcmp(l, "t") == 0)
            s->in_t = false;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *t, int n)
{
    sheet *s = ud;
    if (!s->in_cell)
        return;
    if (s->in_v)
        buf_add(&s->vtext, t, (size_t)n);
    else if (s->in_t)
        buf_add(&s->istext, t, (size_t)n);
}

static int cell_cmp(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void sheet_free(sheet *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].v);
    free(s->v);
    buf_free(&s->vtext);
    buf_free(&s->istext);
}

/*
** Read the sheet called `name` of workbook w into s (cells sorted by row
** and column; of a cell given twice the last wins). Returns 0, 1 when the
** workbook has no such sheet (err untouched), or -1 with err set.
*/
static int read_sheet(xctx *x, const workbook *w, const rels *wr, const char *wbdir,
                      const char *name, sheet *s)
{
    const char *rid = NULL, *target = NULL;
    char *part, *data;
    size_t len, k = 0;
    bool missing;
    int rc;

    memset(s, 0, sizeof *s);
    s->name = name;
    for (size_t i = 0; i < w->n && !rid; i++)
        if (strcmp(w->v[i].name, name) == 0)
            rid = w->v[i].rid;
    if (!rid)
        return 1;
    for (size_t i = 0; i < wr->n && !target; i++)
        if (strcmp(wr->v[i].id, rid) == 0)
            target = wr->v[i].target;
    if (!target)
        return fail(x, "ไม่พบส่วนข้อมูลของชีต %s ไฟล์อาจเสีย / the part of sheet %s is not "
                       "named in the workbook's relationships; the file may be damaged",
                    name, name);
    part = resolve(wbdir, target);
    data = read_part(x, part, &len, &missing);
    if (!data) {
        if (missing)
            fail(x, "ไม่พบส่วน %s ของชีต %s ไฟล์อาจเสีย / part %s of sheet %s is missing; the "
                    "file may be damaged",
                 part, name, part, name);
        free(part);
        return -1;
    }
    buf_init(&s->vtext, XLSX_MAX_PART);
    buf_init(&s->istext, XLSX_MAX_PART);
    rc = parse_xml(x, part, data, len, s, sheet_start, sheet_end, sheet_text);
    free(data);
    free(part);
    if (rc < 0)
        return -1;
    if (s->n)
        qsort(s->v, s->n, sizeof *s->v, cell_cmp);
    for (size_t i = 0; i < s->n; i++) {
        if (k && s->v[k - 1].row == s->v[i].row && s->v[k - 1].col == s->v[i].col) {
            free(s->v[k - 1].v);
            s->v[k - 1] = s->v[i];
        } else {
            s->v[k++] = s->v[i];
        }
    }
    s->n = k;
    return 0;
}

/* ---- numbers ------------------------------------------------------------------------------- */

/* A decimal number as written: sign, digits without leading zeros, and the
** position of the decimal point (digits before it; may be <= 0 or > n). */
typedef struct dec {
    bool neg;
    char *d;
    long n, point;
} dec;

/* Parse "[-+]digits[.digits][E[-+]digits]". false when it is not that. */
static bool dec_parse(const char *s, dec *out)
{
    const char *p = s;
    long exp = 0, lead = 0;
    bool seen = false, dot = false;
    buf digits;

    while (*p == ' ')
        p++;
    out->neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    buf_init(&digits, 0);
    out->point = 0;
    for (; isdigit((unsigned char)*p) || (*p == '.' && !dot); p++) {
        if (*p == '.') {
            dot = true;
            continue;
        }
        seen = true;
        if (*p == '0' && digits.len == 0) { /* a leading zero */
            if (dot)
                lead++;
            continue;
        }
        buf_addc(&digits, *p);
        if (!dot)
            out->point++;
    }
    if (*p == 'e' || *p == 'E') {
        char *end;
        p++;
        exp = strtol(p, &end, 10);
        if (end == p || exp > 1000 || exp < -1000) {
            buf_free(&digits);
            return false;
        }
        p = end;
    }
    while (*p == ' ')
        p++;
    if (!seen || *p) {
        buf_free(&digits);
        return false;
    }
    out->point += exp - lead;
    out->n = (long)digits.len;
    out->d = buf_detach(&digits);
    if (out->n == 0) { /* zero */
        out->point = 0;
        out->neg = false;
    }
    return true;
}

/* Digit at position i counted from the first digit (0..n-1), '0' outside. */
static int dec_digit(const dec *v, long i)
{
    return i >= 0 && i < v->n ? v->d[i] - '0' : 0;
}

/* The number's digits after the decimal point from place `from` (1 =
** tenths) on: are they all zero? */
static bool dec_zero_from(const dec *v, long from)
{
    for (long i = v->point + from - 1; i < v->n; i++)
        if (i >= 0 && v->d[i] != '0')
            return false;
    return true;
}

typedef enum satang_rc { SAT_OK, SAT_NEGATIVE, SAT_DECIMALS, SAT_TOO_LARGE } satang_rc;

/*
** The exact amount in satang of a number written in baht, by string
** arithmetic. More than two decimals are refused unless they are the
** binary float noise a spreadsheet writes (1234.5000000001,
** 6329.9999999999): then the value is rounded to the nearest satang when
** it is within 1e-6 baht of it (for 10^10 baht and more, within the 15
** significant digits a double holds).
*/
static satang_rc dec_to_satang(const dec *v, int64_t *out)
{
    int64_t s = 0;
    long intlen = v->point > 0 ? v->point : 0, k;

    if (v->neg)
        return SAT_NEGATIVE;
    if (intlen > 14)
        return SAT_TOO_LARGE;
    for (long i = v->point - intlen; i < v->point + 2; i++)
        s = s * 10 + dec_digit(v, i);
    if (!dec_zero_from(v, 3)) {
        /* k decimal places past the satang must be all 0 or all 9 */
        bool zeros = true, nines = true;
        k = 13 - intlen < 4 ? 13 - intlen : 4;
        for (long j = 0; j < k; j++) {
            int d = dec_digit(v, v->point + 2 + j);
            zeros = zeros && d == 0;
            nines = nines && d == 9;
        }
        if (k <= 0) {
            zeros = dec_digit(v, v->point + 2) < 5;
            nines = !zeros;
        }
        if (!zeros && !nines)
            return SAT_DECIMALS;
        if (nines && !zeros)
            s++;
    }
    if (s > AMOUNT_MAX_SATANG)
        return SAT_TOO_LARGE;
    *out = s;
    return SAT_OK;
}

/* The number as plain decimal text ("1E+3" -> "1000", "2.50" -> "2.5").
** Returns heap memory; NULL when it is too long to be meant as text. */
static char *dec_text(const dec *v)
{
    buf b;
    long last = v->n; /* digits to print after trimming trailing zeros */
    if (v->point > 40 || v->point < -40)
        return NULL;
    if (v->n == 0)
        return xstrdup("0");
    while (last > v->point && last > 0 && v->d[last - 1] == '0')
        last--;
    buf_init(&b, 0);
    if (v->neg)
        buf_addc(&b, '-');
    if (v->point <= 0) {
        buf_adds(&b, "0");
    } else {
        for (long i = 0; i < v->point; i++)
            buf_addc(&b, (char)('0' + dec_digit(v, i)));
    }
    if (last > v->point) {
        buf_addc(&b, '.');
        for (long i = v->point; i < last; i++)
            buf_addc(&b, (char)('0' + dec_digit(v, i)));
    }
    return buf_detach(&b);
}

/* Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm). */
static date civil_from_days(long z)
{
    long era, doe, yoe, y, doy, mp, d, m;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    return (date){(int)(y + (m <= 2)), (int)m, (int)d};
}

/*
** A spreadsheet date serial (days; the 1900 system counts from 1899-12-30
** for serials after its phantom 29 Feb 1900, the 1904 system from
** 1904-01-01) as "YYYY-MM-DD" into out[11]. false when it is not a whole
** day number in 1900..9999.
*/
static bool serial_to_iso(const dec *v, bool date1904, char out[11])
{
    long serial = 0;
    if (v->neg || v->point > 7 || !dec_zero_from(v, 1))
        return false;
    for (long i = 0; i < v->point; i++)
        serial = serial * 10 + dec_digit(v, i);
    if ((!date1904 && serial < 61) || serial > 2958465) /* 9999-12-31 */
        return false;
    /* 1899-12-30 is day -25569 from 1970; 1904-01-01 is day -24107 */
    date_iso(civil_from_days(serial + (date1904 ? -24107 : -25569)), out);
    return true;
}

/* ---- the data sheet as CSV --------------------------------------------------------- */

typedef enum col_role { ROLE_TEXT, ROLE_AMOUNT, ROLE_DATE } col_role;

/* What the CSV rebuild knows about the sheet, for messages. */
typedef struct csvmap {
    unsigned *line_row; /* CSV line (1-based) -> sheet row */
    size_t nlines;
    strlist names;      /* header name (trimmed, lowercase) of each column, "" = none */
} csvmap;

static col_role role_of(const char *name)
{
    if (strcmp(name, "budget") == 0 || strcmp(name, "q1") == 0 || strcmp(name, "q2") == 0 ||
        strcmp(name, "q3") == 0 || strcmp(name, "q4") == 0)
        return ROLE_AMOUNT;
    if (strcmp(name, "period_start") == 0 || strcmp(name, "period_end") == 0)
        return ROLE_DATE;
    return ROLE_TEXT;
}

/* Trimmed, ASCII-lowercased copy. Returns heap memory. */
static char *norm_name(const char *s)
{
    const char *e;
    char *out;
    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    out = xstrndup(s, (size_t)(e - s));
    for (char *t = out; *t; t++)
        *t = (char)tolower((unsigned char)*t);
    return out;
}

/*
** The CSV field of one data cell (amounts to "6,330", dates to ISO, other
** numbers to plain decimals, error values refused). Returns heap memory or
** NULL with err set naming the cell.
*/
static char *cell_field(xctx *x, const cell *c, col_role role, const char *colname)
{
    char ref[16], iso[11], *txt;
    dec v;
    int64_t satang;
    satang_rc sr;
    buf b;

    cell_name(c->row, c->col, ref);
    if (c->kind == CK_ERROR) {
        fail(x, "ชีต %s เซลล์ %s (%s): มีค่าผิดพลาด %s ให้แก้สูตรหรือใส่ค่า / sheet %s, cell %s "
                "(%s): holds the error value %s; fix the formula or type the value",
             XLSX_SHEET_DATA, ref, colname, c->v, XLSX_SHEET_DATA, ref, colname, c->v);
        return NULL;
    }
    if (c->kind == CK_TEXT) {
        if (role == ROLE_DATE && strlen(c->v) > 10 && c->v[10] == 'T')
            return xstrndup(c->v, 10); /* a d-typed cell "2024-11-01T00:00:00" */
        return xstrdup(c->v);
    }
    if (!dec_parse(c->v, &v)) {
        fail(x, "ชีต %s เซลล์ %s (%s): อ่านตัวเลข '%s' ไม่ได้ ไฟล์อาจเสีย / sheet %s, cell %s "
                "(%s): cannot read the number '%s'; the file may be damaged",
             XLSX_SHEET_DATA, ref, colname, c->v, XLSX_SHEET_DATA, ref, colname, c->v);
        return NULL;
    }
    txt = NULL;
    switch (role) {
    case ROLE_AMOUNT:
        sr = dec_to_satang(&v, &satang);
        if (sr == SAT_OK) {
            buf_init(&b, 0);
            money_format(&b, satang, false);
            txt = buf_detach(&b);
        } else {
            fail(x, "ชีต %s เซลล์ %s (%s): จำนวนเงิน %s %s / sheet %s, cell %s (%s): amount %s %s",
                 XLSX_SHEET_DATA, ref, colname, c->v,
                 sr == SAT_NEGATIVE   ? "ติดลบ ให้ใส่จำนวนที่ไม่ติดลบ"
                 : sr == SAT_DECIMALS ? "มีทศนิยมเกิน 2 ตำแหน่ง ให้ปัดเป็นสตางค์"
                                      : "ใหญ่เกินไป",
                 XLSX_SHEET_DATA, ref, colname, c->v,
                 sr == SAT_NEGATIVE   ? "is negative; write an amount of 0 or more"
                 : sr == SAT_DECIMALS ? "has more than 2 decimals; round it to satang"
                                      : "is too large");
        }
        break;
    case ROLE_DATE:
        if (serial_to_iso(&v, x->date1904, iso))
            txt = xstrdup(iso);
        else
            fail(x, "ชีต %s เซลล์ %s (%s): %s ไม่ใช่วันที่ ให้เขียนแบบ 2024-10-01 / sheet %s, "
                    "cell %s (%s): %s is not a date; write it as 2024-10-01",
                 XLSX_SHEET_DATA, ref, colname, c->v, XLSX_SHEET_DATA, ref, colname, c->v);
        break;
    case ROLE_TEXT:
        txt = dec_text(&v);
        if (!txt)
            txt = xstrdup(c->v);
        break;
    }
    free(v.d);
    return txt;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

static size_t count_nl(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

/* Map CSV line `line` to its sheet row (0 when unknown). */
static unsigned map_row(const csvmap *m, long line)
{
    return line >= 1 && (size_t)line <= m->nlines ? m->line_row[line - 1] : 0;
}

/*
** Rebuild the data sheet as canonical CSV text in *out (the first row with
** a value is the header; rows without values are left out). Fills m for
** messages. Returns 0, or -1 with err set.
*/
static int sheet_to_csv(xctx *x, const sheet *s, buf *out, csvmap *m)
{
    size_t i = 0, hdr_end, lines = 1, cap = 0;
    unsigned ncols = 0;

    while (i < s->n && blank(s->v[i].v))
        i++;
    if (i == s->n)
        return fail(x, "ชีต %s ว่าง ไม่มีหัวตาราง ให้ใช้ไฟล์ที่ส่งออกด้วย export --format xlsx / "
                       "sheet %s is empty (no header row); start from a file written by export "
                       "--format xlsx",
                    XLSX_SHEET_DATA, XLSX_SHEET_DATA);
    /* the header row */
    hdr_end = i;
    while (hdr_end < s->n && s->v[hdr_end].row == s->v[i].row)
        hdr_end++;
    ncols = s->v[hdr_end - 1].col;
    for (unsigned c = 1; c <= ncols; c++)
        strlist_add(&m->names, "");
    for (size_t j = i; j < hdr_end; j++) {
        char *nm = s->v[j].kind == CK_TEXT ? norm_name(s->v[j].v) : xstrdup("");
        free(m->names.v[s->v[j].col - 1]);
        m->names.v[s->v[j].col - 1] = nm;
    }
    /* records: one per row with a value, each field by its column */
    for (size_t r0 = i; r0 < s->n;) {
        size_t r1 = r0;
        unsigned col = 0;
        bool any = false;
        size_t start = out->len;
        while (r1 < s->n && s->v[r1].row == s->v[r0].row) {
            any = any || !blank(s->v[r1].v);
            r1++;
        }
        if (!any) {
            r0 = r1;
            continue;
        }
        for (size_t j = r0; j < r1; j++) {
            const cell *c = &s->v[j];
            const char *name = c->col <= ncols ? m->names.v[c->col - 1] : "";
            char *field;
            if (r0 == i) {
                field = xstrdup(c->v); /* the header as written */
            } else {
                field = cell_field(x, c, role_of(name), *name ? name : "-");
                if (!field)
                    return -1;
            }
            while (++col < c->col) /* empty fields before this one */
                csv_put(out, "");
            csv_put(out, field); /* csv_put ends each field with ',' */
            free(field);
        }
        csv_end(out);
        /* every CSV line of this record maps to the sheet row */
        for (size_t k = 0, nl = count_nl(out->s + start, out->len - start); k < nl; k++) {
            if (lines - 1 == cap) {
                cap = cap ? cap * 2 : 64;
                m->line_row = xrealloc(m->line_row, cap * sizeof *m->line_row);
            }
            m->line_row[lines - 1] = s->v[r0].row;
            lines++;
        }
        r0 = r1;
    }
    m->nlines = lines - 1;
    return 0;
}

/* Append the sheet's name for column `name` ("I" for budget) to b. */
static void add_col_letters(buf *b, const csvmap *m, const char *name, size_t n)
{
    char ref[16];
    for (size_t c = 0; c < m->names.n; c++) {
        if (strlen(m->names.v[c]) == n && strncmp(m->names.v[c], name, n) == 0) {
            cell_name(1, (unsigned)c + 1, ref);
            ref[strcspn(ref, "0123456789")] = 0;
            buf_adds(b, ref);
            return;
        }
    }
}

/*
** Rewrite an import_csv() message so that it names the sheet and cell:
** "บรรทัด 5 คอลัมน์ budget" -> "ชีต ข้อมูล เซลล์ I4 (budget)", "line 5, column
** budget" -> "sheet ข้อมูล, cell I4 (budget)", "บรรทัด 5" / "line 5" ->
** "ชีต ข้อมูล แถว 4" / "sheet ข้อมูล, row 4" (just "แถว 4" / "row 4" in
** mid-sentence), "ช่องที่ 27" / "field 27" -> "คอลัมน์ AA" / "column AA".
** Returns heap memory.
*/
static char *remap_error(const char *msg, const csvmap *m)
{
    static const struct {
        const char *line, *column, *sheet_cell, *sheet_row, *row, *field, *letter;
    } lang[2] = {
        {"บรรทัด ", " คอลัมน์ ", "ชีต " XLSX_SHEET_DATA " เซลล์ ", "ชีต " XLSX_SHEET_DATA " แถว ",
         "แถว ", "ช่องที่ ", "คอลัมน์ "},
        {"line ", ", column ", "sheet " XLSX_SHEET_DATA ", cell ",
         "sheet " XLSX_SHEET_DATA ", row ", "row ", "field ", "column "},
    };
    buf b;
    const char *p = msg;
    bool at_start = true;

    buf_init(&b, 0);
    while (*p) {
        int l;
        if (strncmp(p, " / ", 3) == 0) { /* the English half starts */
            buf_adds(&b, " / ");
            p += 3;
            at_start = true;
            continue;
        }
        for (l = 0; l < 2; l++) { /* "field 27" is column 27: "column AA" */
            size_t fl = strlen(lang[l].field);
            char *q, ref[16];
            long f;
            if (strncmp(p, lang[l].field, fl) != 0 || !isdigit((unsigned char)p[fl]))
                continue;
            f = strtol(p + fl, &q, 10);
            if (f < 1 || f > (long)MAX_COL)
                continue;
            cell_name(1, (unsigned)f, ref);
            ref[strcspn(ref, "0123456789")] = 0;
            buf_printf(&b, "%s%s", lang[l].letter, ref);
            p = q;
            break;
        }
        if (l < 2) {
            at_start = false;
            continue;
        }
        for (l = 0; l < 2; l++)
            if (strncmp(p, lang[l].line, strlen(lang[l].line)) == 0 &&
                isdigit((unsigned char)p[strlen(lang[l].line)]))
                break;
        if (l == 2) {
            buf_addc(&b, *p++);
            at_start = false;
            continue;
        }
        {
            char *q;
            const char *cn;
            long line = strtol(p + strlen(lang[l].line), &q, 10);
            unsigned row = map_row(m, line);
            size_t cl = strlen(lang[l].column), n;
            if (!row) { /* not a line of ours: keep as written */
                buf_add(&b, p, (size_t)(q - p));
                p = q;
                at_start = false;
                continue;
            }
            if (strncmp(q, lang[l].column, cl) == 0) {
                cn = q + cl;
                n = strspn(cn, "abcdefghijklmnopqrstuvwxyz0123456789_#");
                buf_adds(&b, lang[l].sheet_cell);
                add_col_letters(&b, m, cn, n);
                buf_printf(&b, "%u (", row);
                buf_add(&b, cn, n);
                buf_addc(&b, ')');
                p = cn + n;
            } else {
                buf_adds(&b, at_start ? lang[l].sheet_row : lang[l].row);
                buf_printf(&b, "%u", row);
                p = q;
            }
            at_start = false;
        }
    }
    return buf_detach(&b);
}

/* ---- the plan-field sheet ------------------------------------------------------------ */

/* The text of cell (row, col) of s, or NULL when it has none. Numbers as
** plain decimals. Returns heap memory. */
static char *meta_cell(const sheet *s, size_t from, size_t to, unsigned col)
{
    for (size_t i = from; i < to; i++) {
        const cell *c = &s->v[i];
        dec v;
        char *t;
        if (c->col != col)
            continue;
        if (c->kind != CK_NUMBER || !dec_parse(c->v, &v))
            return xstrdup(c->v);
        t = dec_text(&v);
        free(v.d);
        return t ? t : xstrdup(c->v);
    }
    return NULL;
}

/* Parse a whole number (ASCII or Thai digits, spaces around) in lo..hi. */
static bool parse_int_in(const char *s, long lo, long hi, int *out)
{
    char *a = thai_digits_to_ascii(s), *end;
    long v = strtol(a, &end, 10);
    bool ok = end != a && isdigit((unsigned char)a[strspn(a, " ")]) && blank(end) && v >= lo &&
              v <= hi;
    free(a);
    if (ok)
        *out = (int)v;
    return ok;
}

/* "17=5,18=5": mark those projects' issues inferred when they still have
** that issue. false when the text is malformed. */
static bool apply_inferred(plan_doc *p, const char *s)
{
    while (*s) {
        char *end;
        long no, issue;
        while (*s == ' ' || *s == ',')
            s++;
        if (!*s)
            break;
        no = strtol(s, &end, 10);
        if (end == s || *end != '=')
            return false;
        s = end + 1;
        issue = strtol(s, &end, 10);
        if (end == s || (*end && *end != ',' && *end != ' '))
            return false;
        s = end;
        for (size_t i = 0; i < p->nprojects; i++)
            if (p->projects[i].no == no && p->projects[i].issue == issue && issue > 0)
                p->projects[i].issue_inferred = true;
    }
    return true;
}

static void set_field(char **dst, char *v)
{
    free(*dst);
    *dst = v && *v ? v : NULL;
    if (!*dst)
        free(v);
}

/*
** Read the sheet "ข้อมูลแผน" (key in column A, value in B; a header row
** "key" and rows without a key are skipped): the fiscal year into *fy and
** every other field into p (when p is not NULL). Returns 0, or -1 with err
** set naming the cell.
*/
static int read_meta(xctx *x, const sheet *s, plan_doc *p, int *fy)
{
    char ref[16];
    *fy = 0;
    for (size_t i = 0; i < s->n;) {
        size_t j = i;
        unsigned row = s->v[i].row;
        char *key, *raw, *val;
        int n;
        while (j < s->n && s->v[j].row == row)
            j++;
        raw = meta_cell(s, i, j, 1);
        key = raw ? norm_name(raw) : NULL;
        free(raw);
        val = meta_cell(s, i, j, 2);
        i = j;
        if (!key || !*key || strcmp(key, "key") == 0) {
            free(key);
            free(val);
            continue;
        }
        if (strcmp(key, "fiscal_year") == 0) {
            if (!val || !parse_int_in(val, 2400, 2800, fy)) {
                fail(x, "ชีต %s เซลล์ %s: ปีงบประมาณ '%s' ต้องเป็นปี พ.ศ. เช่น 2568 / sheet %s, "
                        "cell %s: fiscal year '%s' must be a Buddhist Era year such as 2568",
                     XLSX_SHEET_META, cell_name(row, 2, ref), val ? val : "", XLSX_SHEET_META,
                     ref, val ? val : "");
                goto bad;
            }
        } else if (!p) {
            /* the first pass only wants the fiscal year */
        } else if (strcmp(key, "agency") == 0) {
            set_field(&p->agency, val), val = NULL;
        } else if (strcmp(key, "title") == 0) {
            set_field(&p->title, val), val = NULL;
        } else if (strcmp(key, "title_line") == 0) {
            set_field(&p->title_line, val), val = NULL;
        } else if (strcmp(key, "version_label") == 0) {
            set_field(&p->version_label, val), val = NULL;
        } else if (strcmp(key, "revision") == 0) {
            if (val && !blank(val) && !parse_int_in(val, 0, 1000, &p->revision)) {
                fail(x, "ชีต %s เซลล์ %s: ครั้งที่ปรับปรุง '%s' ต้องเป็นจำนวนเต็ม 0 ขึ้นไป / "
                        "sheet %s, cell %s: revision '%s' must be a whole number, 0 or more",
                     XLSX_SHEET_META, cell_name(row, 2, ref), val, XLSX_SHEET_META, ref, val);
                goto bad;
            }
        } else if (strncmp(key, "strategic_issue.", 16) == 0 &&
                   parse_int_in(key + 16, 1, 1000, &n)) {
            plan_set_issue(p, n, val ? val : "");
        } else if (strcmp(key, "issue_inferred") == 0) {
            if (val && !apply_inferred(p, val)) {
                fail(x, "ชีต %s เซลล์ %s: '%s' ต้องเป็นคู่ โครงการ=ประเด็น เช่น 17=5,18=5 / "
                        "sheet %s, cell %s: '%s' must be project=issue pairs such as 17=5,18=5",
                     XLSX_SHEET_META, cell_name(row, 2, ref), val, XLSX_SHEET_META, ref, val);
                goto bad;
            }
        } else {
            fail(x, "ชีต %s เซลล์ %s: ไม่รู้จักหัวข้อ '%s' ให้ลบแถวนี้หรือแก้ชื่อ / sheet %s, "
                    "cell %s: unknown key '%s'; delete the row or correct the key",
                 XLSX_SHEET_META, cell_name(row, 1, ref), key, XLSX_SHEET_META, ref, key);
            goto bad;
        }
        free(key);
        free(val);
        continue;
    bad:
        free(key);
        free(val);
        return -1;
    }
    if (!*fy)
        return fail(x, "ชีต %s ไม่มีปีงบประมาณ ให้เพิ่มแถว fiscal_year เช่น 2568 / sheet %s has "
                       "no fiscal year; add a row fiscal_year with e.g. 2568",
                    XLSX_SHEET_META, XLSX_SHEET_META);
    return 0;
}

/* ---- the whole import ------------------------------------------------------------------ */

/* The workbook's part name from the package relationships (default
** xl/workbook.xml). Returns heap memory, or NULL with err set. */
static char *main_part(xctx *x)
{
    rels pr;
    char *name = NULL;
    if (read_rels(x, "_rels/.rels", &pr) < 0)
        return NULL;
    for (size_t i = 0; i < pr.n && !name; i++)
        if (ends_with(pr.v[i].type, "/officeDocument"))
            name = resolve("", pr.v[i].target);
    rels_free(&pr);
    return name ? name : xstrdup("xl/workbook.xml");
}

/* Read the shared strings named in the workbook's relationships into
** x->shared (none when there are none). 0, or -1 with err set. */
static int read_shared(xctx *x, const rels *wr, const char *wbdir)
{
    char *part = NULL, *data;
    size_t len;
    bool missing;
    sst s = {0};
    int rc;
    for (size_t i = 0; i < wr->n && !part; i++)
        if (ends_with(wr->v[i].type, "/sharedStrings"))
            part = resolve(wbdir, wr->v[i].target);
    if (!part)
        part = resolve(wbdir, "sharedStrings.xml");
    data = read_part(x, part, &len, &missing);
    if (!data) {
        free(part);
        return missing ? 0 : -1;
    }
    s.out = &x->shared;
    buf_init(&s.text, XLSX_MAX_PART);
    rc = parse_xml(x, part, data, len, &s, sst_start, sst_end, sst_text);
    buf_free(&s.text);
    free(data);
    free(part);
    return rc;
}

/* See xlsx.h. Returns a plan (plan_free) or NULL with err set. */
plan_doc *import_xlsx(const char *data, size_t len, const char *source_name, char *err,
                      size_t errlen)
{
    xctx x = {.source = source_name, .err = err, .errlen = errlen};
    zip_error_t ze;
    zip_source_t *src;
    char *wbname = NULL, *wbdir = NULL, *wbrels = NULL, *wbxml = NULL, *slash, *msg;
    const char *missing_sheet;
    size_t wblen;
    bool missing;
    workbook wb = {0};
    rels wr = {0};
    sheet ds = {0}, ms = {0};
    buf csv;
    csvmap map = {0};
    plan_doc *p = NULL;
    int fy, rc;
    char cerr[1024];

    if (err && errlen)
        err[0] = 0;
    buf_init(&csv, 0);
    if (!data || len == 0) {
        fail(&x, "ไฟล์ว่าง ให้ใช้ไฟล์ .xlsx ที่ส่งออกด้วย export --format xlsx / the file is "
                 "empty; use an .xlsx file written by export --format xlsx");
        return NULL;
    }
    zip_error_init(&ze);
    src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src)
        panic("import_xlsx: zip_source_buffer_create: %s", zip_error_strerror(&ze));
    x.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!x.za) {
        const char *why = zip_error_strerror(&ze);
        zip_source_free(src);
        fail(&x, "ไม่ใช่ไฟล์ Excel (.xlsx) เพราะอ่านเป็นไฟล์ zip ไม่ได้ (%s) ให้บันทึกเป็น "
                 "Excel Workbook (.xlsx) / not an Excel workbook (.xlsx): not a readable zip "
                 "archive (%s); save it as Excel Workbook (.xlsx)",
             why, why);
        zip_error_fini(&ze);
        return NULL;
    }
    zip_error_fini(&ze);

    if (!(wbname = main_part(&x)))
        goto out;
    slash = strrchr(wbname, '/');
    wbdir = slash ? xstrndup(wbname, (size_t)(slash - wbname + 1)) : xstrdup("");
    wbxml = read_part(&x, wbname, &wblen, &missing);
    if (!wbxml) {
        if (missing)
            fail(&x, "ไม่ใช่ไฟล์ Excel (.xlsx): ไม่มีส่วน %s / not an Excel workbook (.xlsx): "
                     "there is no part %s",
                 wbname, wbname);
        goto out;
    }
    if (parse_xml(&x, wbname, wbxml, wblen, &wb, wb_start, ignore_end, NULL) < 0)
        goto out;
    x.date1904 = wb.date1904;
    wbrels = xasprintf("%s_rels/%s.rels", wbdir, wbname + strlen(wbdir));
    if (read_rels(&x, wbrels, &wr) < 0 || read_shared(&x, &wr, wbdir) < 0)
        goto out;

    missing_sheet = XLSX_SHEET_DATA;
    rc = read_sheet(&x, &wb, &wr, wbdir, XLSX_SHEET_DATA, &ds);
    if (rc == 0) {
        missing_sheet = XLSX_SHEET_META;
        rc = read_sheet(&x, &wb, &wr, wbdir, XLSX_SHEET_META, &ms);
    }
    if (rc == 1) {
        fail(&x, "ไม่พบชีต '%s' ที่โปรแกรมอ่าน ให้ใช้ไฟล์ที่ส่งออกด้วย export --format xlsx "
                 "และอย่าเปลี่ยนชื่อชีต / the workbook has no sheet '%s', which import reads; "
                 "start from a file written by export --format xlsx and keep its sheet names",
             missing_sheet, missing_sheet);
        goto out;
    }
    if (rc < 0 || read_meta(&x, &ms, NULL, &fy) < 0 || sheet_to_csv(&x, &ds, &csv, &map) < 0)
        goto out;

    p = import_csv(csv.s ? csv.s : "", csv.len, "", fy, cerr, sizeof cerr);
    if (!p) {
        msg = remap_error(cerr, &map);
        fail(&x, "%s", msg);
        free(msg);
        goto out;
    }
    free(p->source_file);
    p->source_file = xstrdup(source_name);
    if (read_meta(&x, &ms, p, &fy) < 0) {
        plan_free(p);
        p = NULL;
    }
out:
    zip_discard(x.za);
    free(wbname);
    free(wbdir);
    free(wbrels);
    free(wbxml);
    workbook_free(&wb);
    rels_free(&wr);
    sheet_free(&ds);
    sheet_free(&ms);
    buf_free(&csv);
    free(map.line_row);
    strlist_free(&map.names);
    strlist_free(&x.shared);
    return p;
}
