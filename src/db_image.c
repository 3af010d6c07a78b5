/*
** db_image.c — the image of a new database (db_image.h), made by
** build/mkdbimage at build time and pulled in with .incbin as embed.c
** does. store_sqlite.c refers to these two symbols weakly: the program
** that makes the image is linked without this file.
*/
__asm__(".section .rodata\n"
        ".global phaen_db_image\n"
        ".global phaen_db_image_end\n"
        ".type phaen_db_image, @object\n"
        ".balign 16\n"
        "phaen_db_image:\n"
        ".incbin \"build/dbimage.bin\"\n"
        "phaen_db_image_end:\n"
        ".previous\n");
