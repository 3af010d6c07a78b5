/*
** datrie_io.c — how libdatrie reads libthai's dictionary, made cheaper.
**
** libthai loads its word-break dictionary (/usr/share/libthai/thbrk.tri,
** 588 KB) through libdatrie, which reads it four bytes at a time: one
** fread() per number, 147,000 of them, each taking the stream's lock and
** going through stdio's generic copy. That was a third of the 8 ms the
** load took, and the load is the longest single step of importing a
** small plan. build/phaen links libdatrie statically and has the linker
** send its three reading helpers here (-Wl,--wrap, see the Makefile): the
** same big-endian numbers and suffix bytes, read with getc_unlocked() from the same
** buffered stream, which libdatrie opened on this thread and nothing else
** touches while it loads. Where libdatrie is a shared library (the unit
** tests) the wrap does not apply and these functions are never called.
**
** The signatures are libdatrie's (fileutils.h, not installed): Bool is an
** int-sized enum, true on success. A short read fails as fread() would
** (the load then fails, and libthai breaks no words). Word breaking with
** the dictionary loaded through here is what the end-to-end tests check
** on the seed (repaired stray spaces).
*/
#include <stdint.h>
#include <stdio.h>

int __wrap_file_read_int32(FILE *file, int32_t *o_val);
int __wrap_file_read_int16(FILE *file, int16_t *o_val);
int __wrap_file_read_chars(FILE *file, char *buff, int len);

int __wrap_file_read_int32(FILE *file, int32_t *o_val)
{
    int a = getc_unlocked(file), b = getc_unlocked(file), c = getc_unlocked(file),
        d = getc_unlocked(file);
    if ((a | b | c | d) < 0)
        return 0;
    *o_val = (int32_t)((uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | (uint32_t)d);
    return 1;
}

int __wrap_file_read_int16(FILE *file, int16_t *o_val)
{
    int a = getc_unlocked(file), b = getc_unlocked(file);
    if ((a | b) < 0)
        return 0;
    *o_val = (int16_t)((uint16_t)a << 8 | (uint16_t)b);
    return 1;
}

/* a word's suffix in the tail: a few bytes */
int __wrap_file_read_chars(FILE *file, char *buff, int len)
{
    for (int i = 0; i < len; i++) {
        int c = getc_unlocked(file);
        if (c < 0)
            return 0;
        buff[i] = (char)c;
    }
    return 1;
}
