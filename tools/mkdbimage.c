/*
** mkdbimage.c — make the image of a new database (src/db_image.h) at build
** time: run the migrations into a scratch file and write its image.
**
**   build/mkdbimage SCRATCH.db OUT.bin
**
** Linked with every module of build/phaen except db_image.o (which embeds
** OUT.bin), so the store has no image here and runs its migrations.
*/
#include <stdio.h>
#include <stdlib.h>

#include "db_image.h"
#include "util.h"

int main(int argc, char **argv)
{
    char err[512];
    buf b;
    FILE *f;

    if (argc != 3) {
        fprintf(stderr, "usage: mkdbimage SCRATCH.db OUT.bin\n");
        return 2;
    }
    buf_init(&b, 0);
    if (store_sqlite_make_image(argv[1], &b, err, sizeof err) != 0) {
        fprintf(stderr, "mkdbimage: %s\n", err);
        return 1;
    }
    f = fopen(argv[2], "wb");
    if (!f || fwrite(b.s, 1, b.len, f) != b.len || fclose(f) != 0) {
        fprintf(stderr, "mkdbimage: cannot write %s\n", argv[2]);
        remove(argv[2]);
        return 1;
    }
    buf_free(&b);
    return 0;
}
