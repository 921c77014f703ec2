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
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
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

/*
 * The exec instant, from the kernel: the proc connector (netlink, root only) reports every fork
 * and exec on the machine with a CLOCK_MONOTONIC timestamp taken inside execve, before the new
 * program runs a single instruction. Forks whose parent is the agent mark its children; the latest
 * exec among them between the request and the action is the helper being exec'd.
 */
static int proc_listen(void) {
    int s = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
    if (s < 0) { perror("proc connector"); exit(1); }
    int big = 4 << 20;
    setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC, .nl_pid = getpid()};
    if (bind(s, (struct sockaddr *) &sa, sizeof sa) < 0) { perror("proc connector bind"); exit(1); }
    struct __attribute__((packed)) {
        struct nlmsghdr nl;
        struct cn_msg cn;
        enum proc_cn_mcast_op op;
    } msg;
    memset(&msg, 0, sizeof msg);
    msg.nl.nlmsg_len = sizeof msg;
    msg.nl.nlmsg_type = NLMSG_DONE;
    msg.nl.nlmsg_pid = getpid();
    msg.cn.id.idx = CN_IDX_PROC;
    msg.cn.id.val = CN_VAL_PROC;
    msg.cn.len = sizeof msg.op;
    msg.op = PROC_CN_MCAST_LISTEN;
    if (send(s, &msg, sizeof msg, 0) < 0) { perror("proc connector listen"); exit(1); }
    return s;
}

#define MAX_CHILDREN 64
static int children[MAX_CHILDREN];
static int child_count;

/* Reads every queued event; returns the latest exec (microseconds) of a child of parent, or 0. */
static double collect_execs(int s, int parent) {
    char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
    double latest = 0;
    for (;;) {
        ssize_t len = recv(s, buf, sizeof buf, MSG_DONTWAIT);
        if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return latest;
        if (len < 0) { perror("proc connector (events lost: machine too busy?)"); exit(1); }
        for (struct nlmsghdr *nl = (struct nlmsghdr *) buf; NLMSG_OK(nl, len); nl = NLMSG_NEXT(nl, len)) {
            struct cn_msg *cn = NLMSG_DATA(nl);
            struct proc_event *ev = (struct proc_event *) cn->data;
            if (ev->what == PROC_EVENT_FORK && ev->event_data.fork.parent_tgid == parent
                    && ev->event_data.fork.child_tgid != parent && child_count < MAX_CHILDREN) {
                children[child_count++] = ev->event_data.fork.child_tgid;
            } else if (ev->what == PROC_EVENT_EXEC) {
                for (int i = 0; i < child_count; i++) {
                    if (children[i] == ev->event_data.exec.process_tgid) {
                        double at = ev->timestamp_ns / 1e3;
                        if (at > latest) latest = at;
                    }
                }
            }
        }
    }
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

extern char **environ;

static void report(double *samples, int n, double first, double *execs, double exec_first) {
    qsort(samples, n, sizeof *samples, cmp);
    printf("median_us=%.0f p10_us=%.0f p90_us=%.0f n=%d first_us=%.0f", samples[n / 2], samples[n / 10],
           samples[(n * 9) / 10], n, first);
    if (execs) {
        qsort(execs, n, sizeof *execs, cmp);
        printf(" exec_median_us=%.0f exec_p10_us=%.0f exec_p90_us=%.0f exec_first_us=%.0f", execs[n / 2],
               execs[n / 10], execs[(n * 9) / 10], exec_first);
    }
    printf("\n");
}

/* One sample of the exec ruler: the helper's exec must lie between the request and the action. */
static double exec_sample(int s, int parent, double t0, double t1) {
    double at = collect_execs(s, parent);
    if (at < t0 || at > t1) {
        fprintf(stderr, "no exec of a child of %d between the request and the action\n", parent);
        exit(1);
    }
    return at - t0;
}

static int spawn_floor(char *program, const char *watched, int n, int warmup) {
    int in = inotify_init1(0);
    if (in < 0 || inotify_add_watch(in, watched, IN_MODIFY) < 0) { perror(watched); return 1; }
    double *samples = calloc(n, sizeof *samples);
    char events[4096];
    int pause_us = getenv("PAUSE_US") ? atoi(getenv("PAUSE_US")) : 0;
    int proc = proc_listen();
    double *execs = calloc(n, sizeof *execs);
    for (int i = 0; i < warmup + n; i++) {
        if (pause_us > 0) usleep(pause_us);
        drain(in);
        collect_execs(proc, -1);
        child_count = 0;
        char *child_argv[] = {program, "suspend", NULL};
        pid_t pid;
        double t0 = now_us();
        if (posix_spawn(&pid, program, NULL, NULL, child_argv, environ) != 0) { perror(program); return 1; }
        if (read(in, events, sizeof events) < 0) { perror("inotify"); return 1; }
        double t1 = now_us();
        double e = exec_sample(proc, getpid(), t0, t1);
        waitpid(pid, NULL, 0);
        if (i >= warmup) { samples[i - warmup] = t1 - t0; execs[i - warmup] = e; }
    }
    report(samples, n, 0, execs, 0);
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
    /* AGENT_PIDS=pid[,pid] (same order as the sockets): also time the helper's exec (the action is a program) */
    int agent_pids[2] = {0, 0}, proc = -1;
    double *execs[2] = {NULL, NULL}, exec_first[2] = {0, 0};
    if (getenv("AGENT_PIDS") && !restore) {
        char *list = strdup(getenv("AGENT_PIDS"));
        int k = 0;
        for (char *p = strtok(list, ","); p && k < 2; p = strtok(NULL, ",")) agent_pids[k++] = atoi(p);
        if (k != agents) { fprintf(stderr, "AGENT_PIDS names %d agents, not %d\n", k, agents); return 2; }
        proc = proc_listen();
        for (k = 0; k < agents; k++) execs[k] = calloc(n, sizeof(double));
    }
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
            if (proc >= 0) { collect_execs(proc, -1); child_count = 0; }
            double t0 = now_us();
            send_all(fds[k], request);
            if (read(in, events, sizeof events) < 0) { perror("inotify"); return 1; }
            double t1 = now_us();
            if (proc >= 0) {
                double e = exec_sample(proc, agent_pids[k], t0, t1);
                if (i == 0) exec_first[k] = e;
                if (i >= warmup) execs[k][i - warmup] = e;
            }
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
    for (int k = 0; k < agents; k++) report(samples[k], n, first[k], execs[k], exec_first[k]);
    return 0;
}
