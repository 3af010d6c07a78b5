/*
** store_fts.h — the Thai word tokenizer for SQLite FTS5 (part of the store).
*/
#ifndef PHAEN_STORE_FTS_H
#define PHAEN_STORE_FTS_H

#include <sqlite3.h>

/* Register the tokenizer "thai" on a connection: 0, or -1 when FTS5 is
** missing. */
int store_fts_register(sqlite3 *db);

#endif
