/*
** embed.h — data files compiled into the binary, so a copied build/phaen
** needs nothing beside it: the national reference lists and the unit
** registry seed from data/reference/. The office can replace any of them
** later (`phaen ref load`, `phaen unit …`); these are only the defaults.
*/
#ifndef PHAEN_EMBED_H
#define PHAEN_EMBED_H

#include <stddef.h>

typedef struct embedded_file {
    const char *name; /* "master_plans.csv" */
    const char *data; /* NUL-terminated */
} embedded_file;

/* NULL when there is no such embedded file. */
const embedded_file *embed_find(const char *name);

#endif
