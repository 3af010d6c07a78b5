/*
** ext.c — finding the table of phaen-ext.so (see ext.h). Linked into
** build/phaen; ext_table.c, which defines the table, is linked into the
** shared object (and into the test programs, where the weak reference
** below finds it directly).
*/
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ext.h"

extern const phaen_ext phaen_ext_table __attribute__((weak));

#define EXT_NAME "phaen-ext.so"

/* The directory of the running program + "/" EXT_NAME, or NULL. */
static char *beside_program(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash, *out;

    if (n <= 0)
        return NULL;
    exe[n] = 0;
    if (!(slash = strrchr(exe, '/')))
        return NULL;
    slash[1] = 0;
    if (!(out = malloc(strlen(exe) + sizeof EXT_NAME)))
        return NULL;
    strcpy(out, exe);
    strcat(out, EXT_NAME);
    return out;
}

const phaen_ext *ext_get(char *err, size_t errlen)
{
    static const phaen_ext *table;
    const char *env = getenv("PHAEN_EXT");
    char *path;
    void *h;

    if (table)
        return table;
    if (&phaen_ext_table) /* linked in: the tests */
        return table = &phaen_ext_table;
    path = env && *env ? strdup(env) : beside_program();
    if (!path) {
        snprintf(err, errlen, "หาที่อยู่ของโปรแกรมไม่ได้ จึงหา %s ไม่พบ ให้กำหนด PHAEN_EXT / cannot "
                 "find the program's directory to load %s; set PHAEN_EXT to its path",
                 EXT_NAME, EXT_NAME);
        return NULL;
    }
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, errlen, "โหลด %s ไม่ได้ (ส่วนที่ทำ PDF, XLSX และเว็บ) ให้ติดตั้งใหม่ด้วย make: %s / "
                 "cannot load %s (PDF, XLSX and the web server live there); rebuild with make",
                 path, dlerror(), path);
        free(path);
        return NULL;
    }
    table = dlsym(h, "phaen_ext_table");
    if (!table || table->abi != PHAEN_EXT_ABI) {
        snprintf(err, errlen, "%s ไม่ตรงกับรุ่นของโปรแกรม ให้ติดตั้งใหม่ด้วย make / %s does not "
                 "match this program; rebuild with make",
                 path, path);
        table = NULL;
        dlclose(h);
    }
    free(path);
    return table; /* the object stays loaded until exit */
}
