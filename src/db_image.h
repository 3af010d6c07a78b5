/*
** db_image.h — the bytes a new SQLite database starts with.
**
** A new database used to be made by running every migration and seeding
** the reference lists: 51 CREATE and 6 ALTER TABLE statements (each ALTER
** making SQLite parse the whole schema again), about 3 ms,
** the longest step of a first small import after libthai's dictionary.
** The result is the same file every time, so the build makes it once:
** build/mkdbimage (tools/mkdbimage.c) runs the migrations into a scratch
** file through store_sqlite_make_image() and writes the file's non-zero
** runs (29 KB of a 209 KB file); src/db_image.c embeds them, and
** store_open() writes them where no file is yet. A unit test compares the
** embedded image with what the migrations make now.
**
** SQLite store only: a PostgreSQL store has a schema of its own.
*/
#ifndef PHAEN_DB_IMAGE_H
#define PHAEN_DB_IMAGE_H

#include <stddef.h>

#include "util.h"

/* Make a new database at scratch (removed before and after) by running the
** migrations, and append its image to out. 0, or -1 with err. */
int store_sqlite_make_image(const char *scratch, buf *out, char *err, size_t errlen);

/* The image build/phaen carries: NULL when this program has none. */
const unsigned char *store_sqlite_image(size_t *len);

#endif
