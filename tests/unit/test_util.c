/*
** test_util.c — the small things everything stands on: the capped string
** buffer (buf), reading files whole (file_read) or mapped (file_map), and
** matching unit names (unit_match, and unit_memo that remembers answers).
*/
#include "testutil.h"

#include <pthread.h>
#include <unistd.h>

#include "par.h"
#include "thai.h"
#include "unit.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/phaen-test-util-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Room reserved and nothing added is still the empty string: text_clean()
** reserves the input's length and a cell of spaces adds nothing (a missing
** NUL here once made blank cells into garbage, and garbage into projects). */
static void test_buf_reserve_then_nothing(void **state)
{
    buf b;
    char *s;
    (void)state;
    buf_init(&b, 0);
    buf_reserve(&b, 4096);
    assert_int_equal(b.len, 0);
    s = buf_detach(&b);
    assert_string_equal(s, "");
    free(s);
    for (int i = 0; i < 50; i++) { /* fresh heap memory is seldom zero after frees */
        s = text_clean("  \t  \xE2\x80\x8B ", 9); /* spaces and a zero-width space */
        assert_string_equal(s, "");
        free(s);
    }
}

/* Reserving past a cap is a hint: it never marks the buffer overflowed. */
static void test_buf_reserve_capped(void **state)
{
    buf b;
    (void)state;
    buf_init(&b, 8);
    buf_reserve(&b, 1000);
    assert_false(b.overflow);
    buf_adds(&b, "12345678");
    assert_false(b.overflow);
    assert_string_equal(b.s, "12345678");
    buf_addc(&b, '9');
    assert_true(b.overflow);
    buf_free(&b);
}

/* buf_printf: short output (through the stack buffer) and long output
** (measured, then formatted in place) append the same bytes; a cap stops
** either without writing past it. */
static void test_buf_printf(void **state)
{
    buf b, capped;
    char long_arg[1500];
    (void)state;
    memset(long_arg, 'x', sizeof long_arg - 1);
    long_arg[sizeof long_arg - 1] = 0;
    buf_init(&b, 0);
    buf_printf(&b, "งบประมาณ %s บาท", "546,200");
    assert_string_equal(b.s, "งบประมาณ 546,200 บาท");
    buf_printf(&b, "[%s]", long_arg);
    assert_int_equal(b.len, strlen("งบประมาณ 546,200 บาท") + 2 + 1499);
    assert_int_equal(b.s[b.len - 1], ']');
    assert_int_equal(b.s[strlen("งบประมาณ 546,200 บาท") + 1 + 1498], 'x');
    buf_printf(&b, "%d", 7);
    assert_int_equal(b.s[b.len - 1], '7');
    assert_int_equal(b.s[b.len], 0);
    buf_free(&b);
    buf_init(&capped, 10);
    buf_printf(&capped, "%s", "12345");
    buf_printf(&capped, "%s", "678901");
    assert_true(capped.overflow);
    assert_string_equal(capped.s, "12345");
    buf_free(&capped);
    buf_init(&capped, 100);
    buf_printf(&capped, "%s", long_arg);
    assert_true(capped.overflow);
    assert_int_equal(capped.len, 0);
    buf_free(&capped);
}

static char *write_file(const char *name, const char *data, size_t n)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

/* file_map gives the file's bytes and a NUL after them, also when the file
** ends exactly at a page boundary, and for an empty file. */
static void test_file_map(void **state)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = 99;
    char err[256], *big = xmalloc(page), *path;
    const char *m;
    (void)state;
    memset(big, 'x', page);
    path = write_file("page.txt", big, page);
    m = file_map(path, 0, &len, err, sizeof err);
    assert_non_null(m);
    assert_int_equal(len, page);
    assert_memory_equal(m, big, page);
    assert_int_equal(m[page], 0);
    file_unmap(m, len);
    free(path);

    path = write_file("empty.txt", "", 0);
    m = file_map(path, 0, &len, err, sizeof err);
    assert_non_null(m);
    assert_int_equal(len, 0);
    assert_string_equal(m, "");
    file_unmap(m, len);
    free(path);

    path = write_file("seed-part.txt", "ที่\tโครงการ\n", strlen("ที่\tโครงการ\n"));
    m = file_map(path, 0, &len, err, sizeof err);
    assert_string_equal(m, "ที่\tโครงการ\n");
    file_unmap(m, len);
    /* the same limits and errors as file_read */
    assert_null(file_map(path, 4, &len, err, sizeof err));
    assert_non_null(strstr(err, "--max-size"));
    assert_null(file_read(path, 4, &len, err, sizeof err));
    assert_non_null(strstr(err, "--max-size"));
    free(path);
    assert_null(file_map(dir, 0, &len, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    path = xasprintf("%s/missing.txt", dir);
    assert_null(file_map(path, 0, &len, err, sizeof err));
    assert_non_null(strstr(err, "cannot open"));
    free(path);
    free(big);
}

/* file_read: the whole file, NUL-terminated, whatever its size. */
static void test_file_read(void **state)
{
    size_t len = 0;
    char err[256], *path, *d;
    char data[10000];
    (void)state;
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)('a' + i % 26);
    path = write_file("read.txt", data, sizeof data);
    d = file_read(path, 0, &len, err, sizeof err);
    assert_non_null(d);
    assert_int_equal(len, sizeof data);
    assert_memory_equal(d, data, sizeof data);
    assert_int_equal(d[len], 0);
    free(d);
    free(path);
}

/* The memo answers exactly as unit_match does, for the seed's spellings
** (exact, an alias-less misreading, unknown) asked many times over, and for
** enough distinct texts to make its table grow. */
static void test_unit_memo_agrees(void **state)
{
    static const char *texts[] = {
        "กลุ่มนโยบายและแผน", "กลุ่ม อำนาจการ", "กลุ่มยูวภาษา", "กลุ่มอำนวยความสะดวก",
        "หน่วยตรวจสอบภายใน", "สำนักงานอื่น", "", "กลุ่มนิเทศ ติดตามและประเมินผล"};
    unit_registry r = {0};
    unit_memo *m;
    (void)state;
    unit_registry_builtin(&r);
    m = unit_memo_new(&r);
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
            const unit_entry *a = NULL, *b = NULL;
            double sa = -1, sb = -2;
            unit_match_kind ka = unit_match(&r, texts[i], &a, &sa);
            unit_match_kind kb = unit_memo_match(m, texts[i], &b, &sb);
            assert_int_equal(ka, kb);
            assert_ptr_equal(a, b);
            assert_true(sa == sb);
        }
        for (int k = 0; k < 100; k++) { /* distinct texts: the table grows past 64 */
            char t[64];
            const unit_entry *a = NULL, *b = NULL;
            snprintf(t, sizeof t, "กลุ่มที่ %d", k);
            assert_int_equal(unit_match(&r, t, &a, NULL), unit_memo_match(m, t, &b, NULL));
            assert_ptr_equal(a, b);
        }
    }
    {
        const unit_entry *e = NULL;
        assert_int_equal(unit_memo_match(m, "กลุ่ม อำนาจการ", &e, NULL), UNIT_NEAREST);
        assert_string_equal(e->name, "กลุ่มอำนวยการ");
    }
    unit_memo_free(m);
    unit_registry_free(&r);
}

/* par: every item once, whoever takes it; blocks never run past what the
** producer made ready. */
enum { PAR_N = 10007 };
typedef struct par_test {
    unsigned char seen[PAR_N];
    size_t ready;     /* what the producer had made ready when fn ran (atomic) */
    int overrun;      /* a block past it (atomic) */
} par_test;

static void par_mark(void *cls, size_t from, size_t to)
{
    par_test *t = cls;
    if (to > __atomic_load_n(&t->ready, __ATOMIC_ACQUIRE))
        __atomic_store_n(&t->overrun, 1, __ATOMIC_RELEASE);
    for (size_t i = from; i < to; i++)
        t->seen[i]++;
}

static void test_par(void **state)
{
    par_test *t = calloc(1, sizeof *t);
    par *w;
    (void)state;
    /* all at once, blocks of 7 */
    t->ready = PAR_N;
    par_for(PAR_N, 7, 1, par_mark, t);
    for (size_t i = 0; i < PAR_N; i++)
        assert_int_equal(t->seen[i], 1);
    /* fed bit by bit, as a reader makes rows ready */
    memset(t->seen, 0, sizeof t->seen);
    t->ready = 0;
    w = par_start(par_mark, t, 16, 3);
    for (size_t n = 0; n < PAR_N; n += 5) {
        __atomic_store_n(&t->ready, n, __ATOMIC_RELEASE);
        par_ready(w, n);
    }
    __atomic_store_n(&t->ready, PAR_N, __ATOMIC_RELEASE);
    par_finish(w, PAR_N);
    for (size_t i = 0; i < PAR_N; i++)
        assert_int_equal(t->seen[i], 1);
    assert_int_equal(t->overrun, 0);
    /* nothing to do, and fewer items than the threshold: fn on this thread */
    par_for(0, 7, 1, par_mark, t);
    par_for(3, 7, 100, par_mark, t);
    assert_int_equal(t->seen[0], 2);
    assert_int_equal(t->seen[3], 1);
    free(t);
}

/* par_offer: a thread with nothing else to do helps the next par started by
** another; PAR_OFFERED with no such thread leaves the work to the caller;
** a job handed to a thread that stops waiting at that moment is withdrawn
** and done by its caller: every item once, and par_finish returns. */
typedef struct offer_test {
    par_test *t;
    pthread_t caller;
    int other;        /* an item done by another thread (atomic) */
    int rounds;       /* par_offer() calls left for offer_loop (atomic) */
} offer_test;

static void offer_mark(void *cls, size_t from, size_t to)
{
    offer_test *o = cls;
    if (!pthread_equal(pthread_self(), o->caller))
        __atomic_store_n(&o->other, 1, __ATOMIC_RELEASE);
    usleep(200);
    par_mark(o->t, from, to);
}

static void *offer_once(void *arg)
{
    (void)arg;
    par_offer(10000);
    return NULL;
}

static void *offer_loop(void *arg)
{
    offer_test *o = arg;
    while (__atomic_sub_fetch(&o->rounds, 1, __ATOMIC_ACQ_REL) > 0)
        par_offer(0);
    return NULL;
}

static void test_par_offer(void **state)
{
    offer_test o = {.t = calloc(1, sizeof *o.t), .caller = pthread_self()};
    pthread_t th;
    int round;
    (void)state;
    o.t->ready = PAR_N;

    /* nobody offers: all on this thread */
    par_finish(par_start(offer_mark, &o, 1, PAR_OFFERED), 40);
    for (size_t i = 0; i < 40; i++)
        assert_int_equal(o.t->seen[i], 1);
    assert_int_equal(o.other, 0);

    /* a thread offers itself, once: some par soon has its help */
    memset(o.t->seen, 0, sizeof o.t->seen);
    assert_int_equal(pthread_create(&th, NULL, offer_once, NULL), 0);
    for (round = 0; round < 200 && !__atomic_load_n(&o.other, __ATOMIC_ACQUIRE); round++)
        par_finish(par_start(offer_mark, &o, 1, PAR_OFFERED), 40);
    pthread_join(th, NULL);
    assert_int_equal(o.other, 1);
    for (size_t i = 0; i < 40; i++)
        assert_int_equal(o.t->seen[i], round);

    /* offers that end at once, against jobs handed out at once */
    memset(o.t->seen, 0, sizeof o.t->seen);
    o.rounds = 3000;
    assert_int_equal(pthread_create(&th, NULL, offer_loop, &o), 0);
    for (round = 0; round < 250; round++)
        par_finish(par_start(par_mark, o.t, 1, PAR_OFFERED), 20);
    pthread_join(th, NULL);
    for (size_t i = 0; i < 20; i++)
        assert_int_equal(o.t->seen[i], 250); /* seen[] counts to 255 */
    free(o.t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_reserve_then_nothing),
        cmocka_unit_test(test_buf_reserve_capped),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_file_map),
        cmocka_unit_test(test_file_read),
        cmocka_unit_test(test_unit_memo_agrees),
        cmocka_unit_test(test_par),
        cmocka_unit_test(test_par_offer),
    };
    return cmocka_run_group_tests_name("util", tests, setup, teardown);
}
