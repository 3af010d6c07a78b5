/*
** ext.h — the part of phaen that lives in a shared object, loaded only by
** the commands that need it.
**
** Importing, checking, showing and summarizing a plan need SQLite, libthai
** and jansson; the PDF and XLSX writers, the XLSX reader, the web server and
** mail need Pango, Cairo, GLib, HarfBuzz, libxlsxwriter, libzip, expat,
** libmicrohttpd and libcurl — some seventy shared libraries whose loading
** alone costs a command line tool about thirty milliseconds. So build/phaen
** links the first set, and build/phaen-ext.so holds the modules that need
** the second (render_*, export_*xlsx, import_xlsx, http, web*, mail,
** publish). Commands reach them through one table, `phaen_ext_table`,
** looked up with dlopen() the first time one is needed.
**
** Unit tests and fuzzers link every module into one program; the weak
** reference in ext.c then finds the table without dlopen().
*/
#ifndef PHAEN_EXT_H
#define PHAEN_EXT_H

#include <stddef.h>

#include "diff.h"
#include "http.h"
#include "publish.h"
#include "render.h"
#include "xlsx.h"

/* Bumped whenever the table changes: a stale phaen-ext.so is refused. */
#define PHAEN_EXT_ABI 1

typedef struct phaen_ext {
    int abi;
    int (*render_plan_pdf)(const plan_doc *p, const findings *fs, const char *path, int *npages,
                           char *err, size_t errlen);
    int (*render_memo_pdf)(const plan_doc *p, const char *template_text, const char *path,
                           char *err, size_t errlen);
    int (*render_summary_pdf)(const plan_doc *p, const summary *s, const char *path, char *err,
                              size_t errlen);
    char *(*render_summary_svg)(const plan_doc *p, const summary *s);
    int (*render_diff_pdf)(const plan_doc *a, const plan_doc *b, const plan_diff *d,
                           const char *path, char *err, size_t errlen);
    int (*export_xlsx)(const plan_doc *p, const summary *s, const char *path, char *err,
                       size_t errlen);
    int (*export_diff_xlsx)(const plan_doc *a, const plan_doc *b, const plan_diff *d,
                            const char *path, char *err, size_t errlen);
    plan_doc *(*import_xlsx)(const char *data, size_t len, const char *source_name, char *err,
                             size_t errlen);
    int (*http_serve)(const http_server_opts *o, char *err, size_t errlen);
    int (*publish_static)(store *s, int64_t agency, const char *dir, char *err, size_t errlen);
} phaen_ext;

/*
** The table, loading phaen-ext.so on first use: from $PHAEN_EXT when set,
** else from the directory of the running program. NULL with a message in
** err (what failed and how to fix it) when it cannot be loaded.
*/
const phaen_ext *ext_get(char *err, size_t errlen);

#endif
