/*
** par.c — see par.h. One mutex and one condition variable: the blocks are
** large (tens of projects), so the lock is taken a few hundred times for a
** 10,000-project plan, never per item.
*/
#include "par.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* At most this many blocks wait for a helper: beyond, the producer works
** one block before making more (every item ready but not done holds
** memory: a 10,500-project import read on while half its rows, 25 MB of
** text, waited to be laid out). */
enum { PAR_MAX_THREADS = 8, PAR_LEAD_BLOCKS = 4 };

struct par {
    par_fn *fn;
    void *cls;
    size_t block;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;   /* first item not yet handed out */
    size_t ready;  /* items [0, ready) may be handed out */
    bool finished; /* ready is final */
    pthread_t helper[PAR_MAX_THREADS];
    int nhelpers;
    int borrowed;  /* 1 while a thread in par_offer() may work on it */
};

/* The job offered to a thread waiting in par_offer() (one at a time), and
** how many wait. A job stays there until such a thread takes it or its
** caller withdraws it in par_finish(). */
static par *_Atomic offered;
static _Atomic int offering;

/* Take the next block, waiting for one to be ready; false when all is done. */
static bool take(par *w, size_t *from, size_t *to)
{
    pthread_mutex_lock(&w->mu);
    while (!w->finished && w->ready - w->next < w->block)
        pthread_cond_wait(&w->cv, &w->mu);
    if (w->next >= w->ready) {
        pthread_mutex_unlock(&w->mu);
        return false;
    }
    *from = w->next;
    *to = w->ready - w->next < w->block ? w->ready : w->next + w->block;
    w->next = *to;
    pthread_mutex_unlock(&w->mu);
    return true;
}

static void work(par *w)
{
    size_t from, to;
    while (take(w, &from, &to))
        w->fn(w->cls, from, to);
}

static void *helper_main(void *arg)
{
    work(arg);
    return NULL;
}

int par_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 4096 ? 4096 : (int)n;
}

/* the threads a par may use */
static int cpus(void)
{
    int n = par_cpus();
    return n > PAR_MAX_THREADS ? PAR_MAX_THREADS : n;
}

void par_offer(int ms)
{
    struct timespec t0, t;
    if (cpus() == 1)
        return; /* waiting awake would only take turns with the work */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    atomic_fetch_add(&offering, 1);
    for (;;) {
        par *w = atomic_exchange(&offered, NULL);
        if (w) {
            work(w);
            pthread_mutex_lock(&w->mu);
            w->borrowed = 0;
            pthread_cond_broadcast(&w->cv);
            pthread_mutex_unlock(&w->mu);
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
            break;
        sched_yield();
    }
    atomic_fetch_sub(&offering, 1);
}

par *par_start(par_fn *fn, void *cls, size_t block, int threads)
{
    par *w = xcalloc(1, sizeof *w);
    bool offered_only = threads == PAR_OFFERED;
    w->fn = fn;
    w->cls = cls;
    w->block = block ? block : 1;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (offered_only)
        threads = 2;
    else if (threads <= 0)
        threads = cpus();
    if (threads > PAR_MAX_THREADS)
        threads = PAR_MAX_THREADS;
    if (threads > 1 && atomic_load(&offering) > 0) {
        /* borrowed is set before w is published: the thread may take it,
        ** do all the work and clear it before the exchange returns */
        par *none = NULL;
        w->borrowed = 1;
        if (atomic_compare_exchange_strong(&offered, &none, w))
            threads--;
        else
            w->borrowed = 0;
    }
    if (offered_only)
        threads = 1;
    while (w->nhelpers + 1 < threads &&
           pthread_create(&w->helper[w->nhelpers], NULL, helper_main, w) == 0)
        w->nhelpers++;
    return w;
}

void par_ready(par *w, size_t n)
{
    size_t from = 0, to = 0;
    pthread_mutex_lock(&w->mu);
    if (n > w->ready) {
        bool wake = n - w->next >= w->block && w->ready - w->next < w->block;
        w->ready = n;
        if (wake)
            pthread_cond_broadcast(&w->cv);
    }
    if (w->ready - w->next > PAR_LEAD_BLOCKS * w->block) {
        /* the helpers fall behind: the producer takes a block itself */
        from = w->next;
        to = w->next + w->block;
        w->next = to;
    }
    pthread_mutex_unlock(&w->mu);
    if (to > from)
        w->fn(w->cls, from, to);
}

void par_finish(par *w, size_t n)
{
    pthread_mutex_lock(&w->mu);
    if (n > w->ready)
        w->ready = n;
    w->finished = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    work(w);
    while (w->nhelpers > 0)
        pthread_join(w->helper[--w->nhelpers], NULL);
    {
        /* offered and not taken: withdrawn (then nobody else has w); taken:
        ** wait until the thread that took it is done */
        par *me = w;
        pthread_mutex_lock(&w->mu);
        if (atomic_compare_exchange_strong(&offered, &me, NULL))
            w->borrowed = 0;
        while (w->borrowed)
            pthread_cond_wait(&w->cv, &w->mu);
        pthread_mutex_unlock(&w->mu);
    }
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

void par_for(size_t n, size_t block, size_t min_items, par_fn *fn, void *cls)
{
    if (n < min_items || cpus() == 1) {
        if (n)
            fn(cls, 0, n);
        return;
    }
    par_finish(par_start(fn, cls, block, 0), n);
}
