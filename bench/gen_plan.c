/*
** gen_plan.c — write a plan N times the size of a seed document, for the
** benchmark (bench/run.sh compiles it with cc; no dependencies).
**
**   gen_plan SEED N OUT
**
** The seed is split into three parts: the memo and title (everything before
** the first table header row "ที่<TAB>โครงการ…"), the table (up to the last
** line holding a tab) and the signature blocks after it. OUT gets the memo
** and title once, the table N times, then the signature blocks once. In
** copy r (0-based) a row whose first cell is a project number k becomes
** k + r * M, M being the highest project number of the seed, so projects
** run 1..M*N; header rows, continuation rows and band rows are copied as
** they are (band rows for issues repeat, which the importer accepts).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "gen_plan: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

/* Length of the run of ASCII digits at s[0..n) ending in a tab, or 0. */
static size_t number_cell(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && k < 9 && s[k] >= '0' && s[k] <= '9')
        k++;
    return (k > 0 && k < n && s[k] == '\t') ? k : 0;
}

int main(int argc, char **argv)
{
    FILE *in, *out;
    char *data, *p, *end, *table = NULL, *tail = NULL;
    long size, copies, maxno = 0;
    static const char header[] = "\xE0\xB8\x97\xE0\xB8\xB5\xE0\xB9\x88\t"; /* "ที่\t" */

    if (argc != 4)
        die("usage: gen_plan SEED N OUT", NULL);
    copies = strtol(argv[2], &p, 10);
    if (*p || copies < 1 || copies > 100000)
        die("N must be 1..100000", argv[2]);
    if (!(in = fopen(argv[1], "rb")))
        die("cannot open", argv[1]);
    if (fseek(in, 0, SEEK_END) != 0 || (size = ftell(in)) < 0 || fseek(in, 0, SEEK_SET) != 0)
        die("cannot size", argv[1]);
    data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, in) != (size_t)size)
        die("cannot read", argv[1]);
    fclose(in);
    data[size] = 0;
    end = data + size;

    /* Find the table: first header row, and the end of the last tabbed line. */
    for (p = data; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *le = nl ? nl + 1 : end;
        if (!table && (size_t)(le - p) >= sizeof header - 1 &&
            memcmp(p, header, sizeof header - 1) == 0)
            table = p;
        if (table && memchr(p, '\t', (size_t)(le - p)))
            tail = le;
        if (table) {
            size_t k = number_cell(p, (size_t)(le - p));
            if (k) {
                long no = strtol(p, NULL, 10);
                if (no > maxno)
                    maxno = no;
            }
        }
        p = le;
    }
    if (!table || !tail || maxno == 0)
        die("no project table in", argv[1]);

    if (!(out = fopen(argv[3], "wb")))
        die("cannot create", argv[3]);
    fwrite(data, 1, (size_t)(table - data), out);
    for (long r = 0; r < copies; r++) {
        for (p = table; p < tail;) {
            char *nl = memchr(p, '\n', (size_t)(tail - p));
            char *le = nl ? nl + 1 : tail;
            size_t k = number_cell(p, (size_t)(le - p));
            if (k) {
                fprintf(out, "%ld", strtol(p, NULL, 10) + r * maxno);
                fwrite(p + k, 1, (size_t)(le - p) - k, out);
            } else {
                fwrite(p, 1, (size_t)(le - p), out);
            }
            p = le;
        }
    }
    fwrite(tail, 1, (size_t)(end - tail), out);
    if (fclose(out) != 0)
        die("cannot write", argv[3]);
    free(data);
    return 0;
}
