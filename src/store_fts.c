/*
** store_fts.c — an FTS5 tokenizer named "thai" for the SQLite store: Thai
** has no spaces between words, so a plain tokenizer (or LIKE) cannot find
** "ยุวกาชาด" inside "กิจการยุวกาชาดในระดับจังหวัด". Words come from libthai
** (thai_words()); Latin letters are folded to lower case.
*/
#include <ctype.h>
#include <sqlite3.h>
#include <string.h>

#include "store_fts.h"
#include "thai.h"

typedef struct tok_ctx {
    void *fts_ctx;
    int (*token)(void *, int, const char *, int, int, int);
} tok_ctx;

static int emit(void *ctx, const char *w, size_t len, size_t start, size_t end)
{
    tok_ctx *t = ctx;
    char low[256];
    if (len == 0 || len >= sizeof low)
        return len >= sizeof low ? t->token(t->fts_ctx, 0, w, (int)len, (int)start, (int)end)
                                 : 0;
    for (size_t i = 0; i < len; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    return t->token(t->fts_ctx, 0, low, (int)len, (int)start, (int)end);
}

static int thai_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ctx;
    (void)argv;
    (void)argc;
    *out = (Fts5Tokenizer *)1; /* stateless */
    return SQLITE_OK;
}

static void thai_delete(Fts5Tokenizer *t)
{
    (void)t;
}

static int thai_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                         int (*token)(void *, int, const char *, int, int, int))
{
    tok_ctx tc = {ctx, token};
    (void)t;
    (void)flags;
    if (n <= 0)
        return SQLITE_OK;
    return thai_words(text, (size_t)n, emit, &tc) == 0 ? SQLITE_OK : SQLITE_ERROR;
}

int store_fts_register(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *q = NULL;
    static fts5_tokenizer tok = {thai_create, thai_delete, thai_tokenize};
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_pointer(q, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(q);
    sqlite3_finalize(q);
    if (!api)
        return -1;
    return api->xCreateTokenizer(api, "thai", NULL, &tok, NULL) == SQLITE_OK ? 0 : -1;
}
