/*
** par.h — work on numbered items shared among threads as it becomes ready.
**
** A producer (a loop reading rows, say) makes items 0, 1, 2, … ready in
** order; helper threads, and at the end the producer itself, call
** fn(cls, from, to) on blocks of consecutive ready items, each item once.
** Which thread takes which block is not defined; fn must only touch the
** items it is given (and what no other block touches). With one CPU, or
** few items, everything runs on the calling thread inside par_finish().
**
**   par *w = par_start(decode, &ctx, 64, 0);
**   for (…each row read…) { store row n; par_ready(w, ++n); }
**   par_finish(w, n);     // all of [0, n) done when it returns
*/
#ifndef PHAEN_PAR_H
#define PHAEN_PAR_H

#include <stddef.h>

typedef void par_fn(void *cls, size_t from, size_t to);
typedef struct par par;

/* The processors online (at least 1): what the program asks of the system
** when it decides how many threads to run. */
int par_cpus(void);

/* Start helpers for blocks of at most `block` items. threads: how many
** threads work in all, the caller included (0 = one per CPU, at most 8;
** PAR_OFFERED = the caller and a thread waiting in par_offer(), if one is).
** A thread waiting in par_offer() takes the place of one helper. */
enum { PAR_OFFERED = -1 };
par *par_start(par_fn *fn, void *cls, size_t block, int threads);

/* Items [0, n) may now be handed out (n never goes down). When the helpers
** fall behind (more than a few blocks wait), the caller works one block
** before returning, so that the work waiting, and the memory it holds,
** stays small. */
void par_ready(par *w, size_t n);

/* No item at or past n will come: the caller works too until every block
** is done, then the helpers are joined and w is freed. */
void par_finish(par *w, size_t n);

/* The calling thread, which has nothing else to do, helps with the next
** par started by another thread within ms milliseconds (it waits awake:
** waking a sleeping processor took longer than the work), then returns.
** With one processor it returns at once. */
void par_offer(int ms);

/* fn on [0, n) on every CPU, when n is at least min_items (else on this
** thread alone); returns when all is done. */
void par_for(size_t n, size_t block, size_t min_items, par_fn *fn, void *cls);

#endif
