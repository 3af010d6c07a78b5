/*
** main.c — the command line: `phaen [--db FILE] COMMAND [ARGS]`.
**
** Each command is one function and one entry in `commands[]` with its
** usage and help (Fossil's way: `phaen help COMMAND` and `COMMAND --help`
** print it). Commands only glue modules together: read input, call the
** importer / store / check engine / exporters, print.
**
** Exit status: 0 success; 1 `check` found error-severity findings;
** 2 bad input or usage (nothing was changed).
*/
#include <errno.h>
#include <getopt.h>
#include <mimalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "diff.h"
#include "auth.h"
#include "export.h"
#include "ext.h"
#include "import_csv.h"
#include "import_text.h"
#include "par.h"
#include "store.h"
#include "summary.h"
#include "verify.h"

#define ERRLEN 1024
#define DEFAULT_MAX_IMPORT (256u * 1024 * 1024) /* admits the 500x benchmark plan */
/* a database created by importing a file this large (about 150 projects of
** text) is laid out for large plans (store_open_large) */
#define LARGE_IMPORT_BYTES (1u << 20)

typedef struct ctx {
    const char *db_path;
    store *st;
    int argc;
    char **argv;
} ctx;

typedef struct command {
    const char *name;
    int (*fn)(ctx *c);
    const char *usage;
    const char *help;
} command;

static const command *find_command(const char *name);

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("phaen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

/* The PDF/XLSX/web half of the program (ext.h), loaded on first use;
** 0, or -1 after saying why it could not be loaded. */
static const phaen_ext *X;
static int need_ext(void)
{
    char err[ERRLEN];
    if (!X && !(X = ext_get(err, sizeof err))) {
        fail("%s", err);
        return -1;
    }
    return 0;
}

static bool want_help(ctx *c)
{
    for (int i = 1; i < c->argc; i++)
        if (strcmp(c->argv[i], "--help") == 0 || strcmp(c->argv[i], "-h") == 0)
            return true;
    return false;
}

static void print_help(const command *cmd)
{
    printf("usage: phaen [--db FILE] %s\n\n%s\n", cmd->usage, cmd->help);
}

static int open_store_for(ctx *c, bool large)
{
    char err[ERRLEN];
    if (c->st)
        return 0;
    c->st = large ? store_open_large(c->db_path, err, sizeof err)
                  : store_open(c->db_path, err, sizeof err);
    if (!c->st)
        return fail("%s", err);
    return 0;
}

static int open_store(ctx *c)
{
    return open_store_for(c, false);
}

/* The agency to act for: --agency NAME, or the database's only agency. */
static int64_t pick_agency(ctx *c, const char *name, char **out_name)
{
    char err[ERRLEN];
    if (name) {
        int64_t id = store_agency_ensure(c->st, name, err, sizeof err);
        if (!id)
            fail("%s", err);
        if (out_name)
            *out_name = xstrdup(name);
        return id;
    }
    return store_agency_default(c->st, out_name);
}

/* Load the version to act on (latest, or --version ID); `what` as for
** store_version_load_part (0: all of it). */
static plan_doc *load_version_part(ctx *c, int64_t version, unsigned what, int64_t *agency_out)
{
    char err[ERRLEN];
    int64_t agency = store_agency_default(c->st, NULL);
    plan_doc *p;
    if (!version)
        version = agency ? store_version_latest(c->st, agency, 0) : 0;
    if (!version) {
        fail("ยังไม่มีแผนในฐานข้อมูล %s ให้นำเข้าด้วย phaen import FILE / no plan in %s yet; "
             "import one with phaen import FILE",
             c->db_path, c->db_path);
        return NULL;
    }
    p = store_version_load_part(c->st, version, what, err, sizeof err);
    if (!p) {
        fail("%s", err);
        return NULL;
    }
    if (agency_out)
        *agency_out = agency;
    return p;
}

static plan_doc *load_version(ctx *c, int64_t version, int64_t *agency_out)
{
    return load_version_part(c, version, 0, agency_out);
}

/* Run every check on a loaded plan. */
static void run_checks(ctx *c, const plan_doc *p, int64_t agency, findings *fs)
{
    char err[ERRLEN];
    refdata *ref = store_ref_load(c->st, err, sizeof err);
    unit_registry units = {0};
    if (!ref)
        panic("%s", err);
    if (store_units_load(c->st, agency, &units, err, sizeof err) != 0)
        panic("%s", err);
    check_plan(p, ref, &units, fs);
    unit_registry_free(&units);
    ref_free(ref);
}

static int write_out(const char *path, const char *data)
{
    char err[ERRLEN];
    if (!path || strcmp(path, "-") == 0) {
        fputs(data, stdout);
        return 0;
    }
    if (file_write(path, data, strlen(data), err, sizeof err) != 0)
        return fail("%s", err);
    return 0;
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ---- import ------------------------------------------------------------------------ */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int import_file(ctx *c, const char *path, const char *format, int fy, const char *agency,
                       size_t max, bool quiet)
{
    char err[ERRLEN];
    size_t len;
    const char *data;
    plan_doc *p = NULL;
    unit_registry builtin = {0};
    int64_t agency_id, vid;
    int replaced = 0;
    bool csv, xlsx;

    /* libthai's dictionary (8 ms here, the longest single step of a small
    ** import) loads on another thread from the start; every text cell
    ** waits for it (thai_repair_spaces) */
    thai_preload();
    data = file_map(path, max, &len, err, sizeof err);
    if (!data)
        return fail("%s", err);
    xlsx = format ? strcmp(format, "xlsx") == 0
                  : ends_with(path, ".xlsx") || (len >= 4 && memcmp(data, "PK\3\4", 4) == 0);
    csv = !xlsx && (format ? strcmp(format, "csv") == 0
                           : ends_with(path, ".csv") ||
                                 (!memchr(data, '\t', len) && memchr(data, ',', len)));
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "text") != 0 &&
        strcmp(format, "xlsx") != 0) {
        file_unmap(data, len);
        return fail("--format ต้องเป็น text, csv หรือ xlsx / --format must be text, csv or xlsx");
    }
    if (xlsx) {
        if (need_ext() != 0) {
            file_unmap(data, len);
            return 2;
        }
        p = X->import_xlsx(data, len, basename_of(path), err, sizeof err);
        file_unmap(data, len);
        if (!p)
            return fail("%s", err); /* import_xlsx names the file itself */
        if (fy && fy != p->fiscal_year) {
            int said = p->fiscal_year;
            plan_free(p);
            return fail("%s: แฟ้มระบุปีงบประมาณ พ.ศ. %d แต่ --fy ระบุ %d / the workbook says fiscal "
                        "year %d but --fy says %d",
                        path, said, fy, said, fy);
        }
        goto parsed;
    }
    if (import_check_bytes(data, len, err, sizeof err) != 0) {
        file_unmap(data, len);
        return fail("%s: %s", path, err);
    }
    if (csv) {
        if (!fy) {
            file_unmap(data, len);
            return fail("%s: ไฟล์ CSV ไม่มีปีงบประมาณ ให้ระบุ --fy เช่น --fy 2568 / a CSV file "
                        "does not say its fiscal year; give --fy, e.g. --fy 2568",
                        path);
        }
        p = import_csv(data, len, basename_of(path), fy, err, sizeof err);
        if (!p) {
            file_unmap(data, len);
            return fail("%s", err); /* import_csv names the file itself */
        }
    } else {
        import_opts o = {.units = &builtin,
                         .fiscal_year = fy,
                         .source_name = basename_of(path),
                         .done_with = file_release,
                         .bytes_checked = true};
        refdata *ref;
        /* a database the import created and then has nothing to put in is
        ** removed again */
        bool existed = access(c->db_path, F_OK) == 0;
        if (open_store_for(c, len >= LARGE_IMPORT_BYTES) != 0) {
            file_unmap(data, len);
            return 2;
        }
        ref = ref_builtin(); /* titles of issues that have no band row */
        unit_registry_builtin(&builtin);
        o.ref = ref;
        p = import_text(data, len, &o, err, sizeof err);
        unit_registry_free(&builtin);
        ref_free(ref);
        if (!p && !existed) {
            store_close(c->st);
            c->st = NULL;
            unlink(c->db_path);
        }
    }
    file_unmap(data, len);
    if (!p)
        return fail("%s: %s", path, err);
parsed:
    if (open_store_for(c, len >= LARGE_IMPORT_BYTES) != 0) {
        plan_free(p);
        return 2;
    }
    if (store_begin(c->st, err, sizeof err) != 0) {
        plan_free(p);
        return fail("%s", err);
    }
    if (agency && *agency) {
        free(p->agency);
        p->agency = xstrdup(agency);
    }
    if (p->agency && *p->agency) {
        agency_id = store_agency_ensure(c->st, p->agency, err, sizeof err);
    } else {
        free(p->agency);
        agency_id = store_agency_default(c->st, &p->agency);
        if (!agency_id)
            snprintf(err, sizeof err,
                     "%s: ไม่ทราบหน่วยงานเจ้าของแผน ให้ระบุ --agency ชื่อหน่วยงาน / the file does "
                     "not name its agency; give --agency NAME",
                     path);
    }
    if (!agency_id)
        goto fail;
    if (!p->title || !*p->title) {
        /* a CSV carries projects only: the plan's title and version come from
        ** the agency's latest version of that year, or the usual defaults */
        int64_t prev = store_version_latest(c->st, agency_id, p->fiscal_year);
        plan_doc *old = prev ? store_version_load(c->st, prev, err, sizeof err) : NULL;
        free(p->title);
        p->title = xstrdup(old ? old->title
                               : "แผนการใช้จ่ายงบประมาณรายโครงการตามแผนปฏิบัติราชการประจำปีงบประมาณ");
        if (old) {
            p->revision = old->revision;
            free(p->version_label);
            p->version_label = xstrdup(old->version_label);
            free(p->title_line);
            p->title_line = xstrdup(old->title_line);
            for (size_t i = 0; i < old->nissues; i++)
                if (!plan_issue(p, old->issues[i].no) || !*plan_issue(p, old->issues[i].no)->title)
                    plan_set_issue(p, old->issues[i].no, old->issues[i].title);
        }
        plan_free(old);
    }
    {
        unit_registry units = {0};
        if (store_units_load(c->st, agency_id, &units, err, sizeof err) != 0) {
            unit_registry_free(&units);
            goto fail;
        }
        import_match_units(p, &units);
        unit_registry_free(&units);
    }
    vid = store_version_save(c->st, agency_id, p, &replaced, err, sizeof err);
    if (!vid)
        goto fail;
    {
        char *entity = xasprintf("version %lld (%s)", (long long)vid, basename_of(path));
        char *what = xasprintf("{\"projects\":%zu,\"replaced_draft\":%s}", p->nprojects,
                               replaced ? "true" : "false");
        int arc = store_audit_add(c->st, 0, "cli", "import", entity, NULL, what, err, sizeof err);
        free(entity);
        free(what);
        if (arc != 0)
            goto fail;
    }
    if (store_commit(c->st, err, sizeof err) != 0)
        goto fail;
    if (!quiet) {
        summary s;
        buf b;
        summary_compute(p, &s);
        buf_init(&b, 0);
        money_format(&b, s.budget, false);
        printf("นำเข้า %s: %zu โครงการ งบประมาณรวม %s บาท ปีงบประมาณ %d (ฉบับที่ %lld%s)\n"
               "imported %s: %zu projects, total budget %s baht, fiscal year %d (version %lld%s)\n",
               basename_of(path), p->nprojects, b.s, p->fiscal_year, (long long)vid,
               replaced ? " แทนฉบับร่างเดิม" : "", basename_of(path), p->nprojects, b.s,
               p->fiscal_year, (long long)vid, replaced ? ", replacing the draft" : "");
        buf_free(&b);
        summary_free(&s);
    }
    plan_free(p);
    return 0;
fail:
    store_rollback(c->st);
    plan_free(p);
    return fail("%s", err);
}

static int parse_size(const char *s, size_t *out)
{
    char *e;
    unsigned long long v;
    errno = 0;
    v = strtoull(s, &e, 10);
    if (errno || e == s)
        return -1;
    if (*e == 'k' || *e == 'K')
        v *= 1024, e++;
    else if (*e == 'm' || *e == 'M')
        v *= 1024 * 1024, e++;
    if (*e)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int parse_int_arg(const char *s, int *out)
{
    char *e;
    long v;
    errno = 0;
    v = strtol(s, &e, 10);
    if (errno || e == s || *e || v < 0 || v > 1000000000)
        return -1;
    *out = (int)v;
    return 0;
}

static int cmd_import(ctx *c)
{
    const char *format = NULL, *agency = NULL;
    int fy = 0, opt;
    size_t max = DEFAULT_MAX_IMPORT;
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'}, {"fy", required_argument, 0, 'y'},
        {"agency", required_argument, 0, 'a'}, {"max-size", required_argument, 0, 'm'},
        {0, 0, 0, 0}};
    optind = 1;
    while ((opt = getopt_long(c->argc, c->argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'f':
            format = optarg;
            break;
        case 'y':
            if (parse_int_arg(optarg, &fy) != 0)
                return fail("--fy: '%s' ไม่ใช่ปี พ.ศ. / is not a BE year", optarg);
            if (fy < 100)
                fy = thai_year_expand(fy);
            break;
        case 'a':
            agency = optarg;
            break;
        case 'm':
            if (parse_size(optarg, &max) != 0)
                return fail("--max-size: '%s' ไม่ใช่ขนาด / is not a size", optarg);
            break;
        default:
            return 2;
        }
    }
    if (optind != c->argc - 1)
        return fail("ให้ระบุไฟล์หนึ่งไฟล์ / give exactly one FILE (see phaen import --help)");
    return import_file(c, c->argv[optind], format, fy, agency, max, false);
}

/* ---- check ---------------------------------------------------------------------------------- */

static void print_findings(const findings *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        const finding *f = &fs->v[i];
        char where[64];
        if (f->project)
            snprintf(where, sizeof where, "โครงการ %d", f->project);
        else
            snprintf(where, sizeof where, "แผน");
        printf("%-7s %-26s %-12s", severity_key(f->sev), f->rule, where);
        if (f->line)
            printf(" บรรทัด %d", f->line);
        if (*f->field)
            printf(" [%s]", f->field);
        printf("\n        %s\n        %s\n", f->message_th, f->message_en);
    }
}

static void print_findings_tally(const findings *fs)
{
    printf("ข้อผิดพลาด %zu  คำเตือน %zu  ข้อสังเกต %zu / errors %zu, warnings %zu, notes %zu\n",
           findings_count(fs, SEV_ERROR), findings_count(fs, SEV_WARNING),
           findings_count(fs, SEV_INFO), findings_count(fs, SEV_ERROR),
           findings_count(fs, SEV_WARNING), findings_count(fs, SEV_INFO));
}

static int cmd_check(ctx *c)
{
    bool json = false;
    int version = 0;
    findings fs = {0};
    plan_doc *p;
    int64_t agency;
    int rc;

    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--json") == 0)
            json = true;
        else if (strcmp(c->argv[i], "--version") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &version) != 0)
                return fail("--version: '%s' ไม่ใช่เลขฉบับ / is not a version id", c->argv[i]);
        } else
            return fail("check: ไม่รู้จัก '%s' / unknown argument '%s'", c->argv[i], c->argv[i]);
    }
    /* the check engine reads no project's text lists */
    if (open_store(c) != 0 || !(p = load_version_part(c, version, STORE_LOAD_NO_LISTS, &agency)))
        return 2;
    run_checks(c, p, agency, &fs);
    if (json) {
        json_t *arr = export_findings_json(&fs);
        char *s = json_dumps(arr, EXPORT_JSON_FLAGS);
        puts(s);
        free(s);
        json_decref(arr);
    } else {
        print_findings(&fs);
        print_findings_tally(&fs);
    }
    rc = findings_count(&fs, SEV_ERROR) ? 1 : 0;
    findings_free(&fs);
    plan_free(p);
    return rc;
}

/* ---- show ------------------------------------------------------------------------------------- */

static void print_amount(const char *label, int64_t v)
{
    buf b;
    buf_init(&b, 0);
    money_format(&b, v, false);
    printf("  %s %s\n", label, b.s);
    buf_free(&b);
}

static void print_list(const char *label, const strlist *l)
{
    printf("  %s\n", label);
    for (size_t i = 0; i < l->n; i++)
        printf("    %zu. %s\n", i + 1, l->v[i]);
}

static void show_project(const plan_doc *p, const project *pr)
{
    char a[11], b[11];
    const strategic_issue *si = plan_issue(p, pr->issue);
    printf("%d. %s\n", pr->no, pr->name);
    printf("  ประเด็นยุทธศาสตร์ที่ %d%s%s%s\n", pr->issue, si && *si->title ? " " : "",
           si ? si->title : "", pr->issue_inferred ? " (อนุมานจาก ย.ศธ)" : "");
    for (int k = 0; k < ITEM__MAX; k++)
        print_list(item_header_th((item_kind)k), &pr->items[k]);
    if (pr->has_budget)
        print_amount("งบประมาณ (บาท)", pr->budget);
    else
        printf("  งบประมาณ (บาท) ไม่ใช้งบประมาณ\n");
    for (int q = 0; q < 4; q++) {
        char label[32];
        snprintf(label, sizeof label, "ไตรมาส %d", q + 1);
        print_amount(label, pr->q[q]);
    }
    date_iso(pr->start, a);
    date_iso(pr->end, b);
    printf("  ระยะเวลาดำเนินการ %s (%s ถึง %s)\n", pr->period_text, *a ? a : "?", *b ? b : "?");
    printf("  ผู้รับผิดชอบ %s", pr->unit ? pr->unit : "(ไม่อยู่ในทะเบียน)");
    if (pr->unit_text && pr->unit && strcmp(pr->unit, pr->unit_text) != 0)
        printf(" (เอกสารเขียนว่า '%s')", pr->unit_text);
    printf("\n  ความสอดคล้อง");
    for (int f = 0; f < ALIGN__MAX; f++) {
        char *t = alignment_text(&pr->align[f]);
        printf(" %s=%s", align_header_th((align_field)f), t);
        free(t);
    }
    printf("\n  ที่มา %s บรรทัด %d\n", p->source_file, pr->line);
}

static int cmd_show(ctx *c)
{
    bool json = false;
    int no = 0, version = 0;
    plan_doc *p;
    int64_t agency;

    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--json") == 0)
            json = true;
        else if (strcmp(c->argv[i], "--version") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &version) != 0)
                return fail("--version: '%s' ไม่ใช่เลขฉบับ / is not a version id", c->argv[i]);
        } else if (parse_int_arg(c->argv[i], &no) != 0 || no < 1)
            return fail("show: '%s' ไม่ใช่เลขที่โครงการ (1 ขึ้นไป) / '%s' is not a project "
                        "number (1 or more)",
                        c->argv[i], c->argv[i]);
    }
    if (open_store(c) != 0 || !(p = load_version(c, version, &agency)))
        return 2;
    if (no && !plan_project(p, no)) {
        int n = (int)p->nprojects;
        plan_free(p);
        return fail("ไม่มีโครงการที่ %d (แผนนี้มี %d โครงการ) / no project %d (the plan has %d)",
                    no, n, no, n);
    }
    if (json) {
        json_t *o = export_plan_json(p, NULL, NULL);
        json_t *out = o;
        char *s;
        if (no) {
            json_t *arr = json_object_get(o, "projects"), *v;
            size_t i;
            json_array_foreach(arr, i, v)
            {
                if (json_integer_value(json_object_get(v, "no")) == no)
                    out = v;
            }
        }
        s = json_dumps(out, EXPORT_JSON_FLAGS);
        puts(s);
        free(s);
        json_decref(o);
    } else {
        if (!no)
            printf("%s\n%s\n\n", p->title_line && *p->title_line ? p->title_line : p->title,
                   p->agency);
        for (size_t i = 0; i < p->nprojects; i++)
            if (!no || p->projects[i].no == no) {
                show_project(p, &p->projects[i]);
                printf("\n");
            }
    }
    plan_free(p);
    return 0;
}

/* ---- summary ------------------------------------------------------------------------------------ */

static void money_col(char *out, size_t n, int64_t v)
{
    buf b;
    buf_init(&b, 0);
    money_format(&b, v, false);
    snprintf(out, n, "%s", b.s);
    buf_free(&b);
}

/* Thai vowels above/below and tone marks take no column of their own. */
static bool zero_width(int32_t c)
{
    return c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E);
}

/* Print s in exactly `width` terminal columns: cut at a character boundary
** (with "…") or padded with spaces. */
static void print_cols(const char *s, int width)
{
    const char *p = s, *end = s + strlen(s), *cut = NULL;
    int cols = 0;
    while (p < end) {
        const char *q = p;
        int32_t c = utf8_next(&q, end);
        if (!zero_width(c)) {
            if (cols == width - 1 && !cut)
                cut = p;
            if (cols == width)
                break;
            cols++;
        }
        p = q;
    }
    if (p < end) {
        fwrite(s, 1, (size_t)(cut - s), stdout);
        /* keep the marks that sit on the last letter kept */
        fputs("…", stdout);
        return;
    }
    fputs(s, stdout);
    for (; cols < width; cols++)
        putchar(' ');
}

/* Print s right-aligned in `width` columns. */
static void print_rcols(const char *s, int width)
{
    const char *p = s, *end = s + strlen(s);
    int cols = 0;
    while (p < end)
        cols += !zero_width(utf8_next(&p, end));
    for (; cols < width; cols++)
        putchar(' ');
    fputs(s, stdout);
}

static void summary_row_print(const char *label, const summary_row *r)
{
    char b[32], q[4][32];
    money_col(b, sizeof b, r->budget);
    for (int i = 0; i < 4; i++)
        money_col(q[i], sizeof q[i], r->q[i]);
    printf("  ");
    print_cols(label, 40);
    printf(" %7d %12s %11s %11s %11s %11s\n", r->nprojects, b, q[0], q[1], q[2], q[3]);
}

static void print_summary(const plan_doc *p, const summary *s)
{
    char b[32], words[512], q[4][32], cum[4][32];
    buf w;
    buf_init(&w, 0);
    thai_baht_text(&w, s->budget);
    snprintf(words, sizeof words, "%s", w.s);
    buf_free(&w);
    money_col(b, sizeof b, s->budget);
    printf("%s\n%s ปีงบประมาณ พ.ศ. %d %s\n\n", p->title, p->agency, p->fiscal_year,
           p->version_label ? p->version_label : "");
    printf("โครงการ %d (ไม่ใช้งบประมาณ %d) / %d projects (%d without budget)\n", s->nprojects,
           s->nno_budget, s->nprojects, s->nno_budget);
    printf("งบประมาณรวม / total budget: %s บาท (%s)\n\n", b, words);
    printf("แผนการใช้จ่ายรายไตรมาส / planned spending by quarter\n");
    printf("  %-10s %14s %14s %9s\n", "ไตรมาส", "บาท", "สะสม", "% สะสม");
    for (int i = 0; i < 4; i++) {
        money_col(q[i], sizeof q[i], s->q[i]);
        money_col(cum[i], sizeof cum[i], s->cum[i]);
        printf("  ไตรมาส %d   %14s %14s %6d.%02d%%\n", i + 1, q[i], cum[i], s->cum_bp[i] / 100,
               s->cum_bp[i] % 100);
    }
    printf("\nตามประเด็นยุทธศาสตร์ / by strategic issue\n  ");
    print_cols("", 40);
    print_rcols("โครงการ", 8);
    print_rcols("งบประมาณ", 13);
    for (int k = 1; k <= 4; k++) {
        char h[32];
        snprintf(h, sizeof h, "ไตรมาส %d", k);
        print_rcols(h, 12);
    }
    putchar('\n');
    for (size_t i = 0; i < s->nissue; i++) {
        char *label = xasprintf("%s. %s", s->by_issue[i].key, s->by_issue[i].title);
        summary_row_print(label, &s->by_issue[i]);
        free(label);
    }
    printf("\nตามผู้รับผิดชอบ / by unit\n");
    for (size_t i = 0; i < s->nunit; i++)
        summary_row_print(s->by_unit[i].title, &s->by_unit[i]);
}

static int cmd_summary(ctx *c)
{
    bool json = false;
    int version = 0;
    plan_doc *p;
    summary s;

    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--json") == 0)
            json = true;
        else if (strcmp(c->argv[i], "--version") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &version) != 0)
                return fail("--version: '%s' ไม่ใช่เลขฉบับ / is not a version id", c->argv[i]);
        } else
            return fail("summary: ไม่รู้จัก '%s' / unknown argument '%s'", c->argv[i],
                        c->argv[i]);
    }
    /* totals need no project's text lists */
    if (open_store(c) != 0 || !(p = load_version_part(c, version, STORE_LOAD_NO_LISTS, NULL)))
        return 2;
    summary_compute(p, &s);
    if (json) {
        json_t *sum = export_summary_json(&s);
        char *txt;
        json_object_set_new(sum, "fiscal_year", json_integer(p->fiscal_year));
        txt = json_dumps(sum, EXPORT_JSON_FLAGS);
        puts(txt);
        free(txt);
        json_decref(sum);
    } else {
        print_summary(p, &s);
    }
    summary_free(&s);
    plan_free(p);
    return 0;
}

/* ---- export ---------------------------------------------------------------------------------------- */

static int cmd_export(ctx *c)
{
    const char *format = NULL, *out = NULL;
    int version = 0, rc;
    plan_doc *p;
    int64_t agency;
    char *data;

    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--format") == 0 && i + 1 < c->argc)
            format = c->argv[++i];
        else if (strcmp(c->argv[i], "--out") == 0 && i + 1 < c->argc)
            out = c->argv[++i];
        else if (strcmp(c->argv[i], "--version") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &version) != 0)
                return fail("--version: '%s' ไม่ใช่เลขฉบับ / is not a version id", c->argv[i]);
        } else
            return fail("export: ไม่รู้จัก '%s' / unknown argument '%s'", c->argv[i], c->argv[i]);
    }
    if (!format || (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 &&
                    strcmp(format, "xlsx") != 0 && strcmp(format, "pdf") != 0 &&
                    strcmp(format, "svg") != 0 && strcmp(format, "memo-pdf") != 0 &&
                    strcmp(format, "summary-pdf") != 0))
        return fail("export: ให้ระบุ --format json|csv|xlsx|pdf|summary-pdf|memo-pdf|svg / give "
                    "--format json|csv|xlsx|pdf|summary-pdf|memo-pdf|svg");
    if ((strcmp(format, "xlsx") == 0 || strstr(format, "pdf")) && (!out || !strcmp(out, "-")))
        return fail("export --format %s: ให้ระบุ --out FILE / give --out FILE", format);
    if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0 && need_ext() != 0)
        return 2;
    if (open_store(c) != 0 || !(p = load_version(c, version, &agency)))
        return 2;
    rc = 0;
    if (strcmp(format, "json") == 0 || strcmp(format, "csv") == 0 ||
        strcmp(format, "svg") == 0) {
        if (strcmp(format, "json") == 0) {
            findings fs = {0};
            run_checks(c, p, agency, &fs);
            data = export_json_string(p, &fs);
            findings_free(&fs);
        } else if (strcmp(format, "csv") == 0) {
            data = export_csv_string(p);
        } else {
            summary s;
            summary_compute(p, &s);
            data = X->render_summary_svg(p, &s);
            summary_free(&s);
        }
        rc = write_out(out, data);
        free(data);
    } else {
        char err[ERRLEN];
        findings fs = {0};
        summary s;
        int r2;
        run_checks(c, p, agency, &fs);
        summary_compute(p, &s);
        if (strcmp(format, "xlsx") == 0)
            r2 = X->export_xlsx(p, &s, out, err, sizeof err);
        else if (strcmp(format, "pdf") == 0)
            r2 = X->render_plan_pdf(p, &fs, out, NULL, err, sizeof err);
        else if (strcmp(format, "summary-pdf") == 0)
            r2 = X->render_summary_pdf(p, &s, out, err, sizeof err);
        else
            r2 = X->render_memo_pdf(p, NULL, out, err, sizeof err);
        if (r2 != 0)
            rc = fail("%s", err);
        summary_free(&s);
        findings_free(&fs);
    }
    plan_free(p);
    return rc;
}

/* ---- search ---------------------------------------------------------------------------------------- */

static int cmd_search(ctx *c)
{
    char err[ERRLEN];
    int64_t agency, *ids = NULL;
    size_t n = 0;
    plan_doc *p;
    if (c->argc != 2)
        return fail("search: ให้ระบุคำค้นหนึ่งข้อความ / give one QUERY");
    if (open_store(c) != 0 || !(p = load_version(c, 0, &agency)))
        return 2;
    {
        int64_t vid = store_version_latest(c->st, agency, 0);
        if (store_search(c->st, vid, c->argv[1], &ids, &n, err, sizeof err) != 0) {
            plan_free(p);
            return fail("%s", err);
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < p->nprojects; k++)
            if (p->projects[k].id == ids[i])
                printf("%d\t%s\n", p->projects[k].no, p->projects[k].name);
    printf("พบ %zu โครงการ / %zu projects found\n", n, n);
    free(ids);
    plan_free(p);
    return 0;
}

/* ---- users ----------------------------------------------------------------------------------------- */

/* Read a password: the PHAEN_PASSWORD variable (scripts), else a random one
** that is printed once. */
static void new_password(char *out, size_t n, bool *generated)
{
    const char *env = getenv("PHAEN_PASSWORD");
    *generated = !(env && *env);
    if (!*generated) {
        snprintf(out, n, "%s", env);
    } else {
        char pw[17];
        auth_random_password(pw);
        snprintf(out, n, "%s", pw);
    }
}

static int cmd_user(ctx *c)
{
    char err[ERRLEN], hash[AUTH_HASH_MAX], pw[256];
    const char *sub = c->argc > 1 ? c->argv[1] : "list";
    bool generated = false;
    int64_t agency;
    if (open_store(c) != 0)
        return 2;
    agency = store_agency_default(c->st, NULL);
    if (strcmp(sub, "list") == 0) {
        user *u;
        size_t n;
        store_users_list(c->st, agency, &u, &n);
        for (size_t i = 0; i < n; i++)
            printf("%-16s %-12s %s%s%s%s\n", u[i].login, role_key(u[i].role), u[i].name,
                   *u[i].unit ? " — " : "", u[i].unit,
                   u[i].active ? "" : " (ระงับ / suspended)");
        free(u);
        return 0;
    }
    if (strcmp(sub, "add") == 0 && (c->argc == 5 || c->argc == 6)) {
        int rl = role_from_key(c->argv[3]);
        const char *unit = c->argc == 6 ? c->argv[5] : NULL;
        if (rl < 0)
            return fail("user add: บทบาท '%s' ไม่มี (admin planner unit_editor reviewer approver "
                        "viewer) / unknown role '%s'",
                        c->argv[3], c->argv[3]);
        if (!agency)
            return fail("ยังไม่มีหน่วยงาน ให้นำเข้าแผนก่อน / no agency yet: import a plan first");
        if (rl == ROLE_UNIT_EDITOR && !unit)
            return fail("user add: ผู้แก้ไขของกลุ่มต้องระบุกลุ่ม / a unit editor needs a UNIT");
        new_password(pw, sizeof pw, &generated);
        if (auth_hash_password(pw, hash) != 0)
            return fail("hash failed");
        if (store_begin(c->st, err, sizeof err) != 0)
            return fail("%s", err);
        if (!store_user_add(c->st, agency, c->argv[2], c->argv[4], hash, (role)rl, unit, err,
                            sizeof err) ||
            store_audit_add(c->st, 0, "cli", "user.add", c->argv[2], NULL, c->argv[3], err,
                            sizeof err) != 0 ||
            store_commit(c->st, err, sizeof err) != 0) {
            store_rollback(c->st);
            return fail("%s", err);
        }
        printf("ผู้ใช้ %s (%s) / user added%s%s\n", c->argv[2], c->argv[3],
               generated ? "; password: " : "", generated ? pw : "");
        return 0;
    }
    if (strcmp(sub, "passwd") == 0 && c->argc == 3) {
        new_password(pw, sizeof pw, &generated);
        if (auth_hash_password(pw, hash) != 0)
            return fail("hash failed");
        if (store_user_set_password(c->st, c->argv[2], hash, err, sizeof err) != 0)
            return fail("%s", err);
        printf("เปลี่ยนรหัสผ่านของ %s แล้ว / password changed%s%s\n", c->argv[2],
               generated ? "; new password: " : "", generated ? pw : "");
        return 0;
    }
    if (strcmp(sub, "role") == 0 && (c->argc == 4 || c->argc == 5)) {
        int rl = role_from_key(c->argv[3]);
        if (rl < 0)
            return fail("user role: บทบาท '%s' ไม่มี / unknown role '%s'", c->argv[3], c->argv[3]);
        if (store_user_set_role(c->st, c->argv[2], (role)rl, c->argc == 5 ? c->argv[4] : NULL,
                                err, sizeof err) != 0)
            return fail("%s", err);
        printf("%s เป็น %s แล้ว / role set\n", c->argv[2], c->argv[3]);
        return 0;
    }
    if ((strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0) && c->argc == 3) {
        bool on = strcmp(sub, "enable") == 0;
        if (store_begin(c->st, err, sizeof err) != 0)
            return fail("%s", err);
        if (store_user_set_active(c->st, c->argv[2], on, err, sizeof err) != 0 ||
            store_audit_add(c->st, 0, "cli", on ? "user.enable" : "user.disable", c->argv[2],
                            on ? "{\"active\":false}" : "{\"active\":true}",
                            on ? "{\"active\":true}" : "{\"active\":false}", err,
                            sizeof err) != 0 ||
            store_commit(c->st, err, sizeof err) != 0) {
            store_rollback(c->st);
            return fail("%s", err);
        }
        if (on)
            printf("เปิดใช้ %s แล้ว / %s may sign in again\n", c->argv[2], c->argv[2]);
        else
            printf("ระงับ %s แล้ว และออกจากระบบทุกที่ / %s suspended and signed out everywhere\n",
                   c->argv[2], c->argv[2]);
        return 0;
    }
    if (strcmp(sub, "position") == 0 && c->argc == 4) {
        if (store_user_set_position(c->st, c->argv[2], c->argv[3], err, sizeof err) != 0)
            return fail("%s", err);
        printf("ตำแหน่งของ %s: %s / position set\n", c->argv[2], c->argv[3]);
        return 0;
    }
    return fail("user: ใช้ list | add LOGIN ROLE NAME [UNIT] | passwd LOGIN | role LOGIN ROLE "
                "[UNIT] | disable LOGIN | enable LOGIN | position LOGIN TEXT / see phaen help user");
}

/* ---- serve ------------------------------------------------------------------------------------------ */

/* Event loops: one per processor. What a loop does is mostly the kernel's
** (sending a cached page: 67-76 us of CPU a request here, nginx's sendfile
** 35-43), so one loop is one processor's worth of requests, and the 32
** connections of bench/web.sh queue behind it. Five alternating pairs of
** runs on two processors, one loop against two: /plan 0.75 against 0.82 of
** nginx's requests/s, p50 2.0 against 1.6 ms, p99 median 5.8 against 4.9
** ms (nginx 2.4-4.7). An earlier session measured the opposite p99 (7.3-7.8
** ms with two loops, 4.5-6.4 with one) when a request cost more; the
** figures of one machine from minute to minute are that loose. */
static int default_loops(void)
{
    int n = par_cpus();
    return n > 64 ? 64 : n;
}

/* Workers for slow requests: one per processor, at least two. */
static int default_workers(void)
{
    int n = par_cpus();
    return n < 2 ? 2 : n > 64 ? 64 : n;
}

static int cmd_serve(ctx *c)
{
    char err[ERRLEN];
    http_server_opts o = {.listen = "127.0.0.1:8080", .db_path = c->db_path,
                          .max_body = 32u << 20, .threads = default_loops(),
                          .workers = default_workers()};
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--listen") == 0 && i + 1 < c->argc)
            o.listen = c->argv[++i];
        else if (strcmp(c->argv[i], "--max-body") == 0 && i + 1 < c->argc) {
            if (parse_size(c->argv[++i], &o.max_body) != 0)
                return fail("--max-body: '%s' ไม่ใช่ขนาด / is not a size", c->argv[i]);
        } else if (strcmp(c->argv[i], "--threads") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &o.threads) != 0 || o.threads < 1)
                return fail("--threads: '%s'", c->argv[i]);
        } else if (strcmp(c->argv[i], "--trust-proxy") == 0)
            o.trust_proxy = true;
        else if (strcmp(c->argv[i], "--quiet") == 0)
            o.quiet = true;
        else
            return fail("serve: ไม่รู้จัก '%s' / unknown argument '%s'", c->argv[i], c->argv[i]);
    }
    store_close(c->st);
    c->st = NULL;
    if (need_ext() != 0)
        return 2;
    if (X->http_serve(&o, err, sizeof err) != 0)
        return fail("%s", err);
    return 0;
}

/* ---- the plan's life ---------------------------------------------------------------------------- */

/* Who may move a version where: (from, to, roles). */
static const struct {
    const char *cmd, *to;
    role who[2];
} moves[] = {
    {"submit", "submitted", {ROLE_PLANNER, ROLE_ADMIN}},
    {"review", "checked", {ROLE_REVIEWER, ROLE_REVIEWER}},
    {"approve", "approved", {ROLE_APPROVER, ROLE_APPROVER}},
    {"publish", "published", {ROLE_PLANNER, ROLE_ADMIN}},
    {"return", "draft", {ROLE_REVIEWER, ROLE_APPROVER}},
};

/* submit|check|approve|publish|return --as LOGIN [--comment TEXT] [--version ID] */
static int cmd_publish_static(ctx *c, const char *dir);

static int cmd_move(ctx *c)
{
    char err[ERRLEN], hash[65], status[16];
    const char *as = NULL, *comment = NULL;
    int version = 0, k = -1;
    int64_t agency, vid;
    user u;
    plan_doc *p;
    findings fs = {0};

    if (strcmp(c->argv[0], "publish") == 0 && c->argc == 3 && strcmp(c->argv[1], "--static") == 0)
        return cmd_publish_static(c, c->argv[2]);
    for (size_t i = 0; i < ARRAY_LEN(moves); i++)
        if (strcmp(c->argv[0], moves[i].cmd) == 0)
            k = (int)i;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--as") == 0 && i + 1 < c->argc)
            as = c->argv[++i];
        else if (strcmp(c->argv[i], "--comment") == 0 && i + 1 < c->argc)
            comment = c->argv[++i];
        else if (strcmp(c->argv[i], "--version") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &version) != 0)
                return fail("--version: '%s'", c->argv[i]);
        } else
            return fail("%s: ไม่รู้จัก '%s' / unknown argument '%s'", c->argv[0], c->argv[i],
                        c->argv[i]);
    }
    if (!as)
        return fail("%s: ให้ระบุผู้ดำเนินการ --as LOGIN / give --as LOGIN", c->argv[0]);
    /* the checks, the fingerprint and the move in one transaction, so no
    ** edit can slip in between */
    if (open_store(c) != 0 || store_begin(c->st, err, sizeof err) != 0)
        return 2;
    if (!(p = load_version(c, version, &agency))) {
        store_rollback(c->st);
        return 2;
    }
    vid = p->version_id;
    if (store_user_get(c->st, as, &u, NULL, 0) != 0) {
        store_rollback(c->st);
        plan_free(p);
        return fail("ไม่มีผู้ใช้ '%s' / no user '%s'", as, as);
    }
    if (u.role != moves[k].who[0] && u.role != moves[k].who[1]) {
        store_rollback(c->st);
        plan_free(p);
        return fail("%s ทำได้เฉพาะ %s%s%s / only %s%s%s may %s", c->argv[0],
                    role_th(moves[k].who[0]), moves[k].who[1] != moves[k].who[0] ? " หรือ " : "",
                    moves[k].who[1] != moves[k].who[0] ? role_th(moves[k].who[1]) : "",
                    role_key(moves[k].who[0]), moves[k].who[1] != moves[k].who[0] ? " or " : "",
                    moves[k].who[1] != moves[k].who[0] ? role_key(moves[k].who[1]) : "",
                    c->argv[0]);
    }
    if (strcmp(moves[k].to, "draft") == 0 && (!comment || !*comment)) {
        store_rollback(c->st);
        plan_free(p);
        return fail("return: ให้ระบุเหตุผลที่ส่งกลับ --comment / give the reason with --comment");
    }
    store_version_status(c->st, vid, status);
    if (strcmp(moves[k].to, "submitted") == 0) {
        run_checks(c, p, agency, &fs);
        if (findings_count(&fs, SEV_ERROR)) {
            size_t n = findings_count(&fs, SEV_ERROR);
            findings_free(&fs);
            store_rollback(c->st);
            plan_free(p);
            return fail("เสนอไม่ได้: แผนมีข้อผิดพลาด %zu รายการ (ดู phaen check) / cannot submit: "
                        "the plan has %zu error findings (see phaen check)",
                        n, n);
        }
        findings_free(&fs);
    }
    plan_sha256(p, hash);
    char entity[64], action[40];
    snprintf(entity, sizeof entity, "version %lld", (long long)vid);
    snprintf(action, sizeof action, "version.%s", moves[k].cmd);
    if (store_transition(c->st, vid, moves[k].to, &u, comment, hash, err, sizeof err) != 0 ||
        store_audit_add(c->st, u.id, u.login, action, entity, status, moves[k].to, err,
                        sizeof err) != 0 ||
        (strcmp(moves[k].to, "approved") == 0 &&
         store_notices_create(c->st, agency, vid, err, sizeof err) != 0) ||
        store_commit(c->st, err, sizeof err) != 0) {
        store_rollback(c->st);
        plan_free(p);
        return fail("%s", err);
    }
    printf("ฉบับ %lld: %s -> %s โดย %s / version %lld moved by %s (sha256 %.12s…)\n",
           (long long)vid, status, moves[k].to, u.name, (long long)vid, u.login, hash);
    plan_free(p);
    return 0;
}

/* revision [--from ID] [--label TEXT] [--reason TEXT] */
static int cmd_revision(ctx *c)
{
    char err[ERRLEN];
    const char *label = NULL, *reason = NULL;
    int from = 0;
    int64_t agency, vid;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--from") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &from) != 0)
                return fail("--from: '%s'", c->argv[i]);
        } else if (strcmp(c->argv[i], "--label") == 0 && i + 1 < c->argc)
            label = c->argv[++i];
        else if (strcmp(c->argv[i], "--reason") == 0 && i + 1 < c->argc)
            reason = c->argv[++i];
        else
            return fail("revision: ไม่รู้จัก '%s' / unknown argument '%s'", c->argv[i],
                        c->argv[i]);
    }
    if (open_store(c) != 0)
        return 2;
    agency = store_agency_default(c->st, NULL);
    if (!from) {
        /* the latest approved (or published) version */
        version_info *v;
        size_t n;
        store_versions_list(c->st, agency, &v, &n, err, sizeof err);
        for (size_t i = 0; i < n && !from; i++)
            if (!strcmp(v[i].status, "approved") || !strcmp(v[i].status, "published"))
                from = (int)v[i].id;
        free(v);
        if (!from)
            return fail("ยังไม่มีฉบับที่อนุมัติแล้ว / no approved version to revise");
    }
    if (store_begin(c->st, err, sizeof err) != 0)
        return fail("%s", err);
    vid = store_revision_create(c->st, agency, from, label, reason, err, sizeof err);
    if (!vid || store_audit_add(c->st, 0, "cli", "revision.create", "version", NULL, reason, err,
                                sizeof err) != 0 ||
        store_commit(c->st, err, sizeof err) != 0) {
        store_rollback(c->st);
        return fail("%s", err);
    }
    printf("ฉบับร่างใหม่ %lld จากฉบับ %d / new draft version %lld from version %d\n",
           (long long)vid, from, (long long)vid, from);
    return 0;
}

/* allocate AMOUNT [--unit NAME] [--version ID] */
static int cmd_allocate(ctx *c)
{
    char err[ERRLEN];
    const char *unit = NULL, *amount = NULL;
    int version = 0;
    int64_t agency, satang = 0;
    plan_doc *p;
    int rc;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--unit") == 0 && i + 1 < c->argc)
            unit = c->argv[++i];
        else if (strcmp(c->argv[i], "--version") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &version) != 0)
                return fail("--version: '%s'", c->argv[i]);
        } else
            amount = c->argv[i];
    }
    if (!amount || thai_amount_parse(amount, strlen(amount), &satang) != AMOUNT_VALUE)
        return fail("allocate: ให้ระบุจำนวนเงิน เช่น 546,200 / give an amount such as 546,200");
    if (open_store(c) != 0 || !(p = load_version(c, version, &agency)))
        return 2;
    if (store_begin(c->st, err, sizeof err) != 0)
        return fail("%s", err);
    rc = unit ? store_version_set_unit_allocation(c->st, agency, p->version_id, unit, satang, err,
                                                  sizeof err)
              : store_version_set_allocation(c->st, p->version_id, satang, err, sizeof err);
    if (rc != 0 || store_commit(c->st, err, sizeof err) != 0) {
        store_rollback(c->st);
        plan_free(p);
        return fail("%s", err);
    }
    printf("บันทึกงบประมาณที่ได้รับจัดสรรแล้ว / allocation recorded\n");
    plan_free(p);
    return 0;
}

/* verify: every version that left the draft state still has the content
** its last transition recorded. */
static int cmd_verify(ctx *c)
{
    char err[ERRLEN];
    version_info *v;
    size_t n;
    int bad = 0, checked = 0;
    int64_t agency;
    if (open_store(c) != 0)
        return 2;
    agency = store_agency_default(c->st, NULL);
    if (store_versions_list(c->st, agency, &v, &n, err, sizeof err) != 0)
        return fail("%s", err);
    for (size_t i = 0; i < n; i++) {
        transition *t;
        size_t nt;
        plan_doc *p;
        char hash[65];
        if (strcmp(v[i].status, "draft") == 0)
            continue;
        if (!(p = store_version_load(c->st, v[i].id, err, sizeof err)))
            continue;
        store_transitions(c->st, v[i].id, &t, &nt);
        plan_sha256(p, hash);
        checked++;
        if (!nt || strcmp(t[nt - 1].sha256, hash) != 0) {
            bad++;
            printf("ฉบับ %lld (%s): ไม่ตรงกับที่บันทึกไว้เมื่อ %s / version %lld was changed after "
                   "its last transition (recorded %.12s…, now %.12s…)\n",
                   (long long)v[i].id, v[i].status, nt ? t[nt - 1].at : "-",
                   (long long)v[i].id, nt ? t[nt - 1].sha256 : "-", hash);
        } else {
            printf("ฉบับ %lld (%s): ตรงกับบันทึก / version %lld verified (sha256 %.12s…)\n",
                   (long long)v[i].id, v[i].status, (long long)v[i].id, hash);
        }
        store_transitions_free(t, nt);
        plan_free(p);
    }
    free(v);
    printf("ตรวจ %d ฉบับ ผิด %d / %d versions checked, %d tampered\n", checked, bad, checked,
           bad);
    return bad ? 1 : 0;
}

/* ---- diff -------------------------------------------------------------------------------------------- */

/* diff V1 V2 [--json] [--pdf FILE] [--xlsx FILE] */
static int cmd_diff(ctx *c)
{
    char err[ERRLEN];
    const char *pdf = NULL, *xlsx = NULL;
    int va = 0, vb = 0, rc = 0;
    plan_doc *a, *b;
    plan_diff d;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--pdf") == 0 && i + 1 < c->argc)
            pdf = c->argv[++i];
        else if (strcmp(c->argv[i], "--xlsx") == 0 && i + 1 < c->argc)
            xlsx = c->argv[++i];
        else if (strcmp(c->argv[i], "--json") == 0)
            ;
        else if (!va && parse_int_arg(c->argv[i], &va) == 0)
            ;
        else if (!vb && parse_int_arg(c->argv[i], &vb) == 0)
            ;
        else
            return fail("diff: ไม่รู้จัก '%s' / unknown argument '%s'", c->argv[i], c->argv[i]);
    }
    if (!va || !vb)
        return fail("diff: ให้ระบุฉบับสองฉบับ เช่น diff 1 2 / give two versions, e.g. diff 1 2");
    if ((pdf || xlsx) && need_ext() != 0)
        return 2;
    if (open_store(c) != 0)
        return 2;
    if (!(a = store_version_load(c->st, va, err, sizeof err)))
        return fail("%s", err);
    if (!(b = store_version_load(c->st, vb, err, sizeof err))) {
        plan_free(a);
        return fail("%s", err);
    }
    plan_diff_compute(a, b, &d);
    if (pdf && X->render_diff_pdf(a, b, &d, pdf, err, sizeof err) != 0)
        rc = fail("%s", err);
    if (rc == 0 && xlsx && X->export_diff_xlsx(a, b, &d, xlsx, err, sizeof err) != 0)
        rc = fail("%s", err);
    if (rc == 0 && !pdf && !xlsx) {
        json_t *j = plan_diff_json(&d);
        char *t = json_dumps(j, EXPORT_JSON_FLAGS);
        puts(t);
        free(t);
        json_decref(j);
    }
    plan_diff_free(&d);
    plan_free(a);
    plan_free(b);
    return rc;
}

/* ---- publish ------------------------------------------------------------------------------------------ */

/* publish --static DIR: the public site as plain files */
static int cmd_publish_static(ctx *c, const char *dir)
{
    char err[ERRLEN];
    int64_t agency;
    if (need_ext() != 0 || open_store(c) != 0)
        return 2;
    agency = store_agency_default(c->st, NULL);
    if (X->publish_static(c->st, agency, dir, err, sizeof err) != 0)
        return fail("%s", err);
    printf("เขียนเว็บไซต์เผยแพร่ไว้ที่ %s / public site written to %s\n", dir, dir);
    return 0;
}

/* ---- render ---------------------------------------------------------------------------------------- */

static int cmd_render(ctx *c)
{
    char err[ERRLEN];
    const char *what = c->argc > 1 ? c->argv[1] : "", *pdf = NULL, *svg = NULL;
    const char *template_path = NULL;
    int version = 0, rc = 0, npages = 0;
    int64_t agency;
    plan_doc *p;

    for (int i = 2; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--pdf") == 0 && i + 1 < c->argc)
            pdf = c->argv[++i];
        else if (strcmp(c->argv[i], "--svg") == 0 && i + 1 < c->argc)
            svg = c->argv[++i];
        else if (strcmp(c->argv[i], "--template") == 0 && i + 1 < c->argc)
            template_path = c->argv[++i];
        else if (strcmp(c->argv[i], "--version") == 0 && i + 1 < c->argc) {
            if (parse_int_arg(c->argv[++i], &version) != 0)
                return fail("--version: '%s' ไม่ใช่เลขฉบับ / is not a version id", c->argv[i]);
        } else
            return fail("render: ไม่รู้จัก '%s' / unknown argument '%s'", c->argv[i], c->argv[i]);
    }
    if (strcmp(what, "plan") != 0 && strcmp(what, "memo") != 0 && strcmp(what, "summary") != 0)
        return fail("render: ใช้ render plan|memo|summary --pdf FILE / use render "
                    "plan|memo|summary --pdf FILE");
    if (!pdf && !svg)
        return fail("render %s: ให้ระบุ --pdf FILE / give --pdf FILE", what);
    if (svg && strcmp(what, "summary") != 0)
        return fail("render %s: --svg ใช้ได้กับ summary เท่านั้น / --svg is for summary only", what);
    if (need_ext() != 0 || open_store(c) != 0 || !(p = load_version(c, version, &agency)))
        return 2;
    if (strcmp(what, "memo") == 0) {
        char *tmpl = NULL;
        size_t tl;
        if (template_path && !(tmpl = file_read(template_path, 1u << 20, &tl, err, sizeof err)))
            rc = fail("%s", err);
        else if (X->render_memo_pdf(p, tmpl, pdf, err, sizeof err) != 0)
            rc = fail("%s", err);
        else
            printf("%s: บันทึกข้อความ / memo written\n", pdf);
        free(tmpl);
    } else if (strcmp(what, "summary") == 0) {
        summary s;
        summary_compute(p, &s);
        if (pdf && X->render_summary_pdf(p, &s, pdf, err, sizeof err) != 0)
            rc = fail("%s", err);
        if (rc == 0 && svg) {
            char *t = X->render_summary_svg(p, &s);
            if (file_write(svg, t, strlen(t), err, sizeof err) != 0)
                rc = fail("%s", err);
            free(t);
        }
        summary_free(&s);
    } else {
        findings fs = {0};
        run_checks(c, p, agency, &fs);
        if (X->render_plan_pdf(p, &fs, pdf, &npages, err, sizeof err) != 0)
            rc = fail("%s", err);
        else
            printf("%s: %d หน้า / %d pages\n", pdf, npages, npages);
        findings_free(&fs);
    }
    plan_free(p);
    return rc;
}

/* ---- units ----------------------------------------------------------------------------------------- */

static int cmd_unit(ctx *c)
{
    char err[ERRLEN];
    const char *sub = c->argc > 1 ? c->argv[1] : "list";
    const char *agency_name = NULL;
    int64_t agency;
    int argi = 2;

    if (c->argc > 3 && strcmp(c->argv[c->argc - 2], "--agency") == 0) {
        agency_name = c->argv[c->argc - 1];
        c->argc -= 2;
    }
    if (open_store(c) != 0)
        return 2;
    if (store_begin(c->st, err, sizeof err) != 0)
        return fail("%s", err);
    agency = pick_agency(c, agency_name, NULL);
    if (!agency) {
        store_rollback(c->st);
        return fail("ยังไม่มีหน่วยงาน ให้นำเข้าแผนก่อน หรือระบุ --agency ชื่อ / no agency yet: "
                    "import a plan first or give --agency NAME");
    }
    if (strcmp(sub, "list") == 0 && c->argc <= 2) {
        unit_registry r = {0};
        int rc = store_units_load(c->st, agency, &r, err, sizeof err);
        store_rollback(c->st);
        if (rc != 0)
            return fail("%s", err);
        for (size_t i = 0; i < r.n; i++) {
            printf("%s", r.v[i].name);
            for (size_t a = 0; a < r.v[i].aliases.n; a++)
                printf("%s%s", a ? ", " : "  (ชื่อเรียกอื่น: ", r.v[i].aliases.v[a]);
            printf("%s\n", r.v[i].aliases.n ? ")" : "");
        }
        unit_registry_free(&r);
        return 0;
    }
    if (strcmp(sub, "add") == 0 && c->argc == argi + 1) {
        if (store_unit_add(c->st, agency, c->argv[argi], err, sizeof err) != 0 ||
            store_commit(c->st, err, sizeof err) != 0) {
            store_rollback(c->st);
            return fail("%s", err);
        }
        printf("เพิ่มหน่วยงาน %s / unit added\n", c->argv[argi]);
        return 0;
    }
    if (strcmp(sub, "alias") == 0 && c->argc == argi + 2) {
        if (store_unit_alias(c->st, agency, c->argv[argi], c->argv[argi + 1], err, sizeof err) !=
                0 ||
            store_commit(c->st, err, sizeof err) != 0) {
            store_rollback(c->st);
            return fail("%s", err);
        }
        printf("'%s' เป็นชื่อเรียกอื่นของ %s แล้ว / alias added\n", c->argv[argi + 1],
               c->argv[argi]);
        return 0;
    }
    if (strcmp(sub, "email") == 0 && c->argc == argi + 2) {
        if (store_unit_set_email(c->st, agency, c->argv[argi], c->argv[argi + 1], err,
                                 sizeof err) != 0 ||
            store_commit(c->st, err, sizeof err) != 0) {
            store_rollback(c->st);
            return fail("%s", err);
        }
        printf("ที่อยู่อีเมลของ %s: %s / e-mail set\n", c->argv[argi], c->argv[argi + 1]);
        return 0;
    }
    store_rollback(c->st);
    return fail("unit: ใช้ list | add NAME | alias UNIT ALIAS | email UNIT ADDRESS / use list | "
                "add NAME | alias UNIT ALIAS | email UNIT ADDRESS");
}

/* ---- reference lists ------------------------------------------------------------------------------- */

static int cmd_ref(ctx *c)
{
    char err[ERRLEN];
    const char *sub = c->argc > 1 ? c->argv[1] : "list";
    refdata *r;

    if (open_store(c) != 0)
        return 2;
    if (strcmp(sub, "list") == 0) {
        const char *only = c->argc > 2 ? c->argv[2] : NULL;
        if (!(r = store_ref_load(c->st, err, sizeof err)))
            return fail("%s", err);
        for (int f = 0; f < ALIGN__MAX; f++) {
            const ref_list *l = &r->lists[f];
            if (only && strcmp(only, align_key((align_field)f)) != 0)
                continue;
            printf("%s (%s): %zu รายการ%s — %s\n", align_key((align_field)f),
                   align_header_th((align_field)f), l->n, l->complete ? " ครบ/complete" : "",
                   l->source ? l->source : "");
            if (only)
                for (size_t i = 0; i < l->n; i++)
                    printf("  %s %s%s%s\n", l->v[i].code, l->v[i].title_th,
                           l->v[i].parent ? " → ย.ชาติ " : "", l->v[i].parent ? l->v[i].parent : "");
        }
        ref_free(r);
        return 0;
    }
    if (strcmp(sub, "load") == 0 && c->argc >= 4) {
        int f = align_from_key(c->argv[2]);
        bool complete = c->argc > 4 && strcmp(c->argv[4], "--complete") == 0;
        size_t len;
        char *data;
        int rc;
        if (f < 0)
            return fail("ref load: ไม่รู้จักรายการ '%s' / unknown list '%s'", c->argv[2],
                        c->argv[2]);
        if (!(data = file_read(c->argv[3], 16u << 20, &len, err, sizeof err)))
            return fail("%s", err);
        r = ref_new();
        rc = ref_load_csv(r, (align_field)f, data, len, complete, basename_of(c->argv[3]), err,
                          sizeof err);
        free(data);
        if (rc == 0 && store_begin(c->st, err, sizeof err) == 0) {
            rc = store_ref_replace(c->st, (align_field)f, &r->lists[f], err, sizeof err);
            if (rc == 0)
                rc = store_commit(c->st, err, sizeof err);
            if (rc != 0)
                store_rollback(c->st);
        } else {
            rc = -1;
        }
        if (rc == 0)
            printf("โหลดรายการ %s %zu รายการ / loaded %zu items\n", c->argv[2], r->lists[f].n,
                   r->lists[f].n);
        ref_free(r);
        return rc == 0 ? 0 : fail("%s: %s", c->argv[3], err);
    }
    return fail("ref: ใช้ list [LIST] | load LIST FILE [--complete] / use list [LIST] | load "
                "LIST FILE [--complete]");
}

/* ---- versions ----------------------------------------------------------------------------------------- */

static int cmd_versions(ctx *c)
{
    char err[ERRLEN];
    version_info *v;
    size_t n;
    int64_t agency;
    if (open_store(c) != 0)
        return 2;
    agency = store_agency_default(c->st, NULL);
    if (!agency)
        return 0;
    if (store_versions_list(c->st, agency, &v, &n, err, sizeof err) != 0)
        return fail("%s", err);
    for (size_t i = 0; i < n; i++) {
        char b[32];
        money_col(b, sizeof b, v[i].budget);
        printf("%-4lld %d  ครั้งที่ %-2d %-8s %3d โครงการ %14s บาท  %s  %s\n",
               (long long)v[i].id, v[i].fiscal_year, v[i].revision, v[i].status, v[i].nprojects,
               b, v[i].created, v[i].source);
    }
    free(v);
    return 0;
}

/* ---- demo (make run) ------------------------------------------------------------------------------------ */

static int cmd_demo(ctx *c)
{
    const char *sample = "data/samples/lampang-2568-rev1.txt", *listen = "127.0.0.1:8080";
    char *argv_summary[] = {"summary", NULL};
    char *argv_check[] = {"check", NULL};
    char err[ERRLEN];
    bool serve = false;
    int rc;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--serve") == 0)
            serve = true;
        else if (strcmp(c->argv[i], "--listen") == 0 && i + 1 < c->argc)
            listen = c->argv[++i];
        else
            sample = c->argv[i];
    }
    if (open_store(c) != 0)
        return 2;
    if (!store_agency_default(c->st, NULL) ||
        !store_version_latest(c->st, store_agency_default(c->st, NULL), 0)) {
        char exe[4096], *alt = NULL;
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        /* the sample beside the program (build/phaen -> data/samples/…) when
        ** run from another directory */
        if (access(sample, R_OK) != 0 && n > 0) {
            char *slash;
            exe[n] = 0;
            if ((slash = strrchr(exe, '/')))
                *slash = 0;
            alt = xasprintf("%s/../%s", exe, sample);
        }
        rc = import_file(c, alt && access(alt, R_OK) == 0 ? alt : sample, NULL, 0, NULL,
                         DEFAULT_MAX_IMPORT, false);
        free(alt);
        if (rc != 0)
            return rc;
        printf("\n");
    }
    c->argc = 1;
    c->argv = argv_summary;
    cmd_summary(c);
    printf("\nผลการตรวจ / findings\n");
    c->argv = argv_check;
    cmd_check(c);
    if (!serve)
        return 0;
    /* A new database gets an administrator with a random password, shown once. */
    if (store_user_count(c->st) == 0) {
        char pw[17], hash[AUTH_HASH_MAX];
        auth_random_password(pw);
        if (auth_hash_password(pw, hash) != 0 || store_begin(c->st, err, sizeof err) != 0 ||
            !store_user_add(c->st, store_agency_default(c->st, NULL), "admin", "ผู้ดูแลระบบ", hash,
                            ROLE_ADMIN, NULL, err, sizeof err) ||
            store_commit(c->st, err, sizeof err) != 0) {
            store_rollback(c->st);
            return fail("%s", err);
        }
        printf("\n=====================================================================\n"
               "เข้าสู่ระบบที่ / sign in at  http://%s/\n"
               "ชื่อผู้ใช้ / login: admin    รหัสผ่าน / password: %s\n"
               "(แสดงครั้งเดียว เปลี่ยนได้ด้วย phaen user passwd admin / shown once)\n"
               "=====================================================================\n",
               listen, pw);
    } else {
        printf("\nเว็บ / web: http://%s/\n", listen);
    }
    fflush(stdout);
    {
        char *argv_serve[] = {"serve", "--listen", (char *)listen, NULL};
        c->argc = 3;
        c->argv = argv_serve;
        return cmd_serve(c);
    }
}

/* ---- help ---------------------------------------------------------------------------------------------- */

static int cmd_help(ctx *c);

static const command commands[] = {
    {"import", cmd_import, "import FILE [--format text|csv] [--fy YEAR] [--agency NAME] [--max-size N]",
     "นำเข้าแผนจากไฟล์ข้อความที่สกัดจากเอกสาร (ตามตัวอย่าง data/samples/) หรือ CSV รูปแบบมาตรฐาน\n"
     "Import a plan from a document's text extraction or from the canonical CSV\n"
     "(docs/csv-format.md). One transaction: on any error nothing is written and\n"
     "the exit status is 2. A draft of the same plan and revision is replaced.\n"
     "  --format   text or csv (default: from the file name and content)\n"
     "  --fy       fiscal year in BE (needed for CSV; text files say it themselves)\n"
     "  --agency   the agency that owns the plan (CSV, or to override)\n"
     "  --max-size largest file accepted, bytes (K/M suffix); default 256M"},
    {"check", cmd_check, "check [--json] [--version ID]",
     "ตรวจแผนฉบับล่าสุดด้วยกฎทั้งหมด / Run every check on the latest version.\n"
     "Exit status 1 when any finding has error severity. `phaen rules` lists the rules."},
    {"show", cmd_show, "show [N] [--json] [--version ID]",
     "แสดงโครงการทั้งหมดหรือโครงการที่ N / Show every project, or project N."},
    {"summary", cmd_summary, "summary [--json] [--version ID]",
     "สรุปยอดตามไตรมาส ประเด็นยุทธศาสตร์ และผู้รับผิดชอบ / Totals per quarter (with the\n"
     "cumulative share of the budget), per strategic issue and per unit."},
    {"export", cmd_export,
     "export --format json|csv|xlsx|pdf|summary-pdf|memo-pdf|svg [--out FILE] [--version ID]",
     "ส่งออกแผน / Export the plan: json is the open-data form (with summary and\n"
     "findings), csv the canonical spreadsheet layout, xlsx the workbook (plan, data\n"
     "and summary sheets; imports back losslessly), pdf the official table,\n"
     "summary-pdf/svg the charts, memo-pdf the memo. Default output: stdout (text\n"
     "formats only)."},
    {"serve", cmd_serve,
     "serve [--listen 127.0.0.1:8080] [--threads N] [--max-body SIZE] [--trust-proxy] [--quiet]",
     "เปิดเว็บแอปพลิเคชัน / Serve the web application over HTTP from this database.\n"
     "SIGTERM finishes the requests in flight, closes the database and exits 0.\n"
     "--threads N: event loops answering requests (default: one per processor);\n"
     "exports to PDF/XLSX, imports, sign-in and mail go to worker threads, one per\n"
     "processor.\n"
     "--trust-proxy honours X-Forwarded-Proto (Secure cookies behind a TLS proxy)."},
    {"user", cmd_user,
     "user list | add LOGIN ROLE NAME [UNIT] | passwd LOGIN | role LOGIN ROLE [UNIT] | disable "
     "LOGIN | enable LOGIN | position LOGIN TEXT",
     "ผู้ใช้และบทบาท / People who sign in. ROLE: admin, planner, unit_editor (needs\n"
     "UNIT), reviewer, approver, viewer. The password comes from PHAEN_PASSWORD, or a\n"
     "random one is printed once. A new password, or disable (ระงับ: someone who has\n"
     "left), signs the user out everywhere; enable lets them sign in again."},
    {"revision", cmd_revision, "revision [--from ID] [--label TEXT] [--reason TEXT]",
     "สร้างฉบับปรับปรุง / Start a new draft revision as a copy of the latest approved\n"
     "version (or --from ID), labelled ฉบับปรับปรุงตามงบประมาณที่ได้รับจัดสรร ครั้งที่ N."},
    {"allocate", cmd_allocate, "allocate AMOUNT [--unit NAME] [--version ID]",
     "งบประมาณที่ได้รับจัดสรร / Record the allocated budget of the draft, overall or\n"
     "for one unit; `check` reports over-allocation."},
    {"submit", cmd_move, "submit --as LOGIN [--comment TEXT] [--version ID]",
     "เสนอแผน (นักวิเคราะห์) / Submit a draft for checking (planner; refused while the\n"
     "plan has error findings)."},
    {"review", cmd_move, "review --as LOGIN [--comment TEXT] [--version ID]",
     "ตรวจแผน (ผู้อำนวยการกลุ่มนโยบายและแผน) / Mark a submitted version checked (reviewer)."},
    {"approve", cmd_move, "approve --as LOGIN [--comment TEXT] [--version ID]",
     "อนุมัติ (หัวหน้าส่วนราชการ) / Approve a checked version (approver); every unit gets\n"
     "a notice (แจ้งเวียน)."},
    {"publish", cmd_move, "publish --as LOGIN [--version ID] | publish --static DIR",
     "เผยแพร่ / Publish an approved version (planner). With --static DIR, write the\n"
     "public site (published versions only: pages, PDFs, XLSX/CSV/JSON, Atom feed,\n"
     "Fiscal Data Package) as plain files for a website hosted elsewhere."},
    {"return", cmd_move, "return --as LOGIN --comment TEXT [--version ID]",
     "ส่งกลับแก้ไข / Return a submitted or checked version to draft with a comment."},
    {"diff", cmd_diff, "diff V1 V2 [--json] [--pdf FILE] [--xlsx FILE]",
     "เปรียบเทียบสองฉบับ / Compare two versions: projects added, removed, renumbered;\n"
     "budget and quarters old -> new with the recorded reason; every other changed field;\n"
     "totals per quarter, strategic issue and unit before and after. JSON by default."},
    {"verify", cmd_verify, "verify",
     "ตรวจความถูกต้องของฉบับที่เสนอ/อนุมัติแล้ว / Recompute each non-draft version's\n"
     "SHA-256 and compare it with its last recorded transition; exit 1 if any differ."},
    {"search", cmd_search, "search QUERY",
     "ค้นหาโครงการด้วยคำภาษาไทย (ตัดคำด้วย libthai) / Full-text search of the latest\n"
     "version's projects; Thai words are found inside unspaced text."},
    {"render", cmd_render,
     "render plan --pdf FILE | render memo --pdf FILE [--template FILE] | render summary "
     "--pdf FILE [--svg FILE] [--version ID]",
     "พิมพ์เอกสารทางการ / Render the official documents: `plan` is the A4 landscape\n"
     "spending-plan table (Laksaman font, header on every page, totals in Thai words,\n"
     "signature blocks; findings listed on a last page); `memo` the บันทึกข้อความ from the\n"
     "built-in template or FILE ({{field}} placeholders; see data/templates/memo.txt);\n"
     "`summary` the charts per quarter, strategic issue and unit (PDF, or SVG)."},
    {"unit", cmd_unit,
     "unit list | unit add NAME | unit alias UNIT ALIAS | unit email UNIT ADDRESS [--agency NAME]",
     "ทะเบียนกลุ่ม/หน่วยของหน่วยงาน / The agency's registry of units and their aliases.\n"
     "An alias makes a spelling in documents match the unit exactly."},
    {"ref", cmd_ref, "ref list [LIST] | ref load LIST FILE [--complete]",
     "รายการอ้างอิงระดับชาติ / The national reference lists behind the alignment\n"
     "columns. LIST is one of national_strategy, master_plan, subplan_target,\n"
     "plan13_milestone, security_policy, government_policy, moe_strategy. FILE is a\n"
     "CSV with the header code,title_th[,title_en][,usual_national_strategy].\n"
     "--complete marks the list complete: then unknown codes are errors."},
    {"versions", cmd_versions, "versions", "ฉบับของแผนทั้งหมด / List the plan versions."},
    {"rules", NULL, "rules", "กฎการตรวจทั้งหมด / List the check rules with their severity."},
    {"demo", cmd_demo, "demo [FILE] [--serve [--listen ADDR:PORT]]",
     "นำเข้าตัวอย่าง (ถ้าฐานข้อมูลยังว่าง) แสดงสรุปและผลการตรวจ แล้วเปิดเว็บ (make run)\n"
     "Import the sample plan if the database is empty, print its summary and\n"
     "findings; with --serve create an admin with a random password if there are no\n"
     "users (printed once) and serve the web application. This is `make run`."},
    {"help", cmd_help, "help [COMMAND]", "Show help."},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void usage_all(FILE *f)
{
    fprintf(f, "phaen — แผนปฏิบัติราชการและแผนการใช้จ่ายงบประมาณ / annual action and spending "
               "plans\n\nusage: phaen [--db FILE] COMMAND [ARGS]   (default --db phaen.db)\n\n"
               "commands:\n");
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        fprintf(f, "  %s\n", commands[i].usage);
    fprintf(f, "\n`phaen help COMMAND` or `phaen COMMAND --help` tells more.\n");
}

static int cmd_help(ctx *c)
{
    const command *cmd;
    if (c->argc < 2) {
        usage_all(stdout);
        return 0;
    }
    cmd = find_command(c->argv[1]);
    if (!cmd)
        return fail("ไม่รู้จักคำสั่ง '%s' / unknown command '%s'", c->argv[1], c->argv[1]);
    print_help(cmd);
    return 0;
}

static int cmd_rules(void)
{
    size_t n;
    const rule_info *r = check_rules(&n);
    for (size_t i = 0; i < n; i++)
        printf("%-26s %-8s %s / %s\n", r[i].id, severity_key(r[i].sev), r[i].what_th,
               r[i].what_en);
    return 0;
}

int main(int argc, char **argv)
{
    ctx c = {.db_path = getenv("PHAEN_DB") ? getenv("PHAEN_DB") : "phaen.db"};
    const command *cmd;
    int i = 1, rc;

    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            c.db_path = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            c.db_path = argv[i] + 5;
            i++;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage_all(stdout);
            return 0;
        } else {
            return fail("ไม่รู้จักตัวเลือก '%s' / unknown option '%s'", argv[i], argv[i]);
        }
    }
    if (i >= argc) {
        usage_all(stderr);
        return 2;
    }
    cmd = find_command(argv[i]);
    if (!cmd)
        return fail("ไม่รู้จักคำสั่ง '%s' (ดู phaen --help) / unknown command '%s' (see phaen "
                    "--help)",
                    argv[i], argv[i]);
    c.argc = argc - i;
    c.argv = argv + i;
    if (want_help(&c)) {
        print_help(cmd);
        return 0;
    }
    /* A command that runs once builds its model in memory and exits: 2 MiB
    ** pages from the allocator (a 10,500-project import spent a fifth of its
    ** time in page faults; a page fault costs 10-20 us on this VM), memory
    ** committed as soon as it is reserved, on every thread (by default a
    ** thread's first segment is committed 4 KiB at a time: libthai's
    ** dictionary, loaded on its own thread, took 170 faults), and nothing
    ** given back before exit (the return scans a 160 KB table that was
    ** never touched: 40 more faults). The seed's import: 419 faults -> 129.
    ** The server lives long and must stay small: 4 KiB, mimalloc's defaults. */
    if (cmd->fn != cmd_serve && cmd->fn != cmd_demo) {
        mi_option_enable(mi_option_large_os_pages);
        mi_option_set(mi_option_eager_commit_delay, 0);
        mi_option_disable(mi_option_allow_decommit);
    }
    rc = cmd->fn ? cmd->fn(&c) : cmd_rules();
    store_close(c.st);
    return rc;
}
