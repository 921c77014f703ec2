/*
 * Request -> action latency of guest-suspend-* for suspend-latency.sh.
 *
 *   suspend-latency SOCKET[,SOCKET] COMMAND WATCHED_FILE N WARMUP [RESTORE_TEXT]
 *
 * With two sockets the agents are asked in turn, one request each per round, and one result line
 * is printed per agent. For each agent in each of WARMUP + N rounds: (if RESTORE_TEXT is given, write it into WATCHED_FILE first, as a
 * fake /sys/power/state must offer the mode again), send {"execute":"COMMAND"}, and block on inotify
 * until WATCHED_FILE is modified — by the fake action program appending to its log, or by the agent
 * writing the fake state file. The time between the write of the request and that wake-up is one
 * sample (CLOCK_MONOTONIC). Then a guest-ping is sent and its reply awaited, so the agent has
 * finished the suspend (which answers nothing on success) before the next round. Prints the median,
 * 10th and 90th percentile of the N measured samples in microseconds. Any reply other than the ping's
 * (an error) aborts: a failed suspend is not a latency.
 * With PAUSE_US=<microseconds> in the environment, each request is sent only after that long a pause
 * (a request that finds the machine idle, as a real suspend does, instead of one round after another).
 *
 *   suspend-latency --spawn PROGRAM WATCHED_FILE N WARMUP
 *
 * The floor for comparison: no agent, just posix_spawn(PROGRAM suspend) and the same inotify wait,
 * i.e. what starting the fake action program costs by itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void send_all(int fd, const char *s) {
    size_t len = strlen(s);
    while (len > 0) {
        ssize_t n = write(fd, s, len);
        if (n < 0) { perror("write"); exit(1); }
        s += n; len -= n;
    }
}

static char pending[65536];
static size_t have;

/* Reads one reply line into out (without the newline). */
static void read_line(int fd, char *out, size_t cap) {
    for (;;) {
        char *nl = memchr(pending, '\n', have);
        if (nl) {
            size_t len = nl - pending;
            size_t copy = len < cap - 1 ? len : cap - 1;
            memcpy(out, pending, copy);
            out[copy] = 0;
            memmove(pending, nl + 1, have - len - 1);
            have -= len + 1;
            return;
        }
        ssize_t n = read(fd, pending + have, sizeof pending - have);
        if (n <= 0) { fprintf(stderr, "the agent closed the connection\n"); exit(1); }
        have += n;
    }
}

/* Discards queued inotify events; the kernel queues them within the modifying system call. */
static void drain(int in) {
    char events[4096];
    int flags = fcntl(in, F_GETFL);
    fcntl(in, F_SETFL, flags | O_NONBLOCK);
    while (read(in, events, sizeof events) > 0) { }
    fcntl(in, F_SETFL, flags);
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

extern char **environ;

static void report(double *samples, int n, double first) {
    qsort(samples, n, sizeof *samples, cmp);
    printf("median_us=%.0f p10_us=%.0f p90_us=%.0f n=%d first_us=%.0f\n", samples[n / 2], samples[n / 10],
           samples[(n * 9) / 10], n, first);
}

static int spawn_floor(char *program, const char *watched, int n, int warmup) {
    int in = inotify_init1(0);
    if (in < 0 || inotify_add_watch(in, watched, IN_MODIFY) < 0) { perror(watched); return 1; }
    double *samples = calloc(n, sizeof *samples);
    char events[4096];
    int pause_us = getenv("PAUSE_US") ? atoi(getenv("PAUSE_US")) : 0;
    for (int i = 0; i < warmup + n; i++) {
        if (pause_us > 0) usleep(pause_us);
        drain(in);
        char *child_argv[] = {program, "suspend", NULL};
        pid_t pid;
        double t0 = now_us();
        if (posix_spawn(&pid, program, NULL, NULL, child_argv, environ) != 0) { perror(program); return 1; }
        if (read(in, events, sizeof events) < 0) { perror("inotify"); return 1; }
        double t1 = now_us();
        waitpid(pid, NULL, 0);
        if (i >= warmup) samples[i - warmup] = t1 - t0;
    }
    report(samples, n, 0);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 6 && !strcmp(argv[1], "--spawn"))
        return spawn_floor(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: %s SOCKET[,SOCKET] COMMAND WATCHED_FILE N WARMUP [RESTORE_TEXT]\n", argv[0]);
        return 2;
    }
    const char *watched = argv[3];
    int n = atoi(argv[4]), warmup = atoi(argv[5]);
    const char *restore = argc == 7 ? argv[6] : NULL;

    /* Up to two agents, asked in turn: load on the machine then falls on both alike. */
    int fds[2], agents = 0;
    char line[65536];
    for (char *path = strtok(argv[1], ","); path && agents < 2; path = strtok(NULL, ",")) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
        if (connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) { perror(path); return 1; }
        send_all(fd, "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1}}\n");
        read_line(fd, line, sizeof line);
        fds[agents++] = fd;
    }

    int in = inotify_init1(0);
    if (in < 0 || inotify_add_watch(in, watched, IN_MODIFY) < 0) { perror(watched); return 1; }
    char request[256];
    snprintf(request, sizeof request, "{\"execute\":\"%s\"}\n", argv[2]);
    double *samples[2] = {calloc(n, sizeof(double)), calloc(n, sizeof(double))};
    int pause_us = getenv("PAUSE_US") ? atoi(getenv("PAUSE_US")) : 0;
    double first[2] = {0, 0}; /* round 0: the first suspend request the fresh agent ever served */
    char events[4096];
    for (int i = 0; i < warmup + n; i++) {
        for (int k = 0; k < agents; k++) {
            if (restore) {
                int w = open(watched, O_WRONLY | O_TRUNC);
                if (w < 0 || write(w, restore, strlen(restore)) < 0) { perror(watched); return 1; }
                close(w);
            }
            if (pause_us > 0) usleep(pause_us); /* PAUSE_US: let the machine go idle before the request */
            drain(in); /* our own write, and a second event of the last action (truncate, then write) */
            double t0 = now_us();
            send_all(fds[k], request);
            if (read(in, events, sizeof events) < 0) { perror("inotify"); return 1; }
            double t1 = now_us();
            send_all(fds[k], "{\"execute\":\"guest-ping\",\"id\":\"behind\"}\n");
            read_line(fds[k], line, sizeof line);
            if (strcmp(line, "{\"return\": {}, \"id\": \"behind\"}")) {
                fprintf(stderr, "unexpected reply from agent %d in round %d: %s\n", k + 1, i, line);
                return 1;
            }
            if (i == 0) first[k] = t1 - t0;
            if (i >= warmup) samples[k][i - warmup] = t1 - t0;
        }
    }
    for (int k = 0; k < agents; k++) report(samples[k], n, first[k]);
    return 0;
}
