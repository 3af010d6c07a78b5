/*
** runcmd.c — run a command N times and print, per run, its whole-process
** wall time (fork to exit, CLOCK_MONOTONIC, in ns), its peak resident set
** (wait4's ru_maxrss, KiB) and its exit status: what `make bench` reports,
** without the shell's and date(1)'s own forks in the figure (bench/run.sh
** compiles it with cc; no dependencies).
**
**   runcmd [-n RUNS] [-f FILE]... -- COMMAND [ARG...]
**
** -f FILE: remove FILE, FILE-wal, FILE-shm and FILE-journal before each run
** (an import into a fresh database each time). The command's standard
** output goes to /dev/null, its standard error to runcmd's. Exit status 2
** when the command could not be run or exited above 1 (phaen: 1 = the plan
** has errors, which is a result, not a failure).
*/
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void remove_db(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char name[4096];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(name, sizeof name, "%s%s", path, suffix[i]);
        unlink(name);
    }
}

int main(int argc, char **argv)
{
    const char *fresh[16];
    int nfresh = 0, runs = 1, i = 1;

    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc && nfresh < 16)
            fresh[nfresh++] = argv[++i];
        else {
            fprintf(stderr, "usage: runcmd [-n RUNS] [-f FILE]... -- COMMAND [ARG...]\n");
            return 2;
        }
    }
    if (i + 1 >= argc || runs < 1) {
        fprintf(stderr, "usage: runcmd [-n RUNS] [-f FILE]... -- COMMAND [ARG...]\n");
        return 2;
    }
    argv += i + 1;
    for (int r = 0; r < runs; r++) {
        struct rusage ru;
        long long t0, t1;
        int status;
        pid_t pid;

        for (int k = 0; k < nfresh; k++)
            remove_db(fresh[k]);
        t0 = now_ns();
        pid = fork();
        if (pid < 0) {
            perror("runcmd: fork");
            return 2;
        }
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0)
                dup2(null, 1);
            execvp(argv[0], argv);
            perror(argv[0]);
            _exit(127);
        }
        if (wait4(pid, &status, 0, &ru) < 0) {
            perror("runcmd: wait4");
            return 2;
        }
        t1 = now_ns();
        if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
            fprintf(stderr, "runcmd: %s: %s %d\n", argv[0],
                    WIFEXITED(status) ? "exit status" : "killed by signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
            return 2;
        }
        printf("%lld %ld %d\n", t1 - t0, ru.ru_maxrss, WEXITSTATUS(status));
    }
    return 0;
}
