/*
 * qga-start: start-up time and idle memory of a QGA agent listening on a unix socket.
 *
 *   qga-start SOCKET IDLE_MS PROGRAM [ARG...]
 *
 * Starts PROGRAM (fork + execvp; the clock starts just before fork), then tries to connect to
 * SOCKET every millisecond; once connected it sends one guest-ping and waits for its reply line,
 * which must be a success ({"return": {}}). It then leaves the agent idle for IDLE_MS, reads its
 * resident set size (VmRSS and VmHWM of /proc/PID/status: the program must exec the agent in the
 * same process, as bin/somnus-ga does with java), stops it with SIGTERM and waits for it.
 *
 * Prints one line: first_reply_ms=... rss_kb=... hwm_kb=... exit=...
 * Exit status 0 on success, 1 on any error (no socket within 30 s, bad reply, agent died).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

static pid_t agent;

static void fail(const char *what) {
    fprintf(stderr, "qga-start: %s\n", what);
    if (agent > 0) {
        kill(agent, SIGKILL);
        waitpid(agent, NULL, 0);
    }
    exit(1);
}

/* The agent's VmRSS or VmHWM in kB, or -1. */
static long status_kb(pid_t pid, const char *key) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long kb = -1;
    size_t keylen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, key, keylen) && line[keylen] == ':') {
            kb = atol(line + keylen + 1);
            break;
        }
    }
    fclose(f);
    return kb;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s SOCKET IDLE_MS PROGRAM [ARG...]\n", argv[0]);
        return 2;
    }
    const char *sock = argv[1];
    long idle_ms = atol(argv[2]);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, sock, sizeof addr.sun_path - 1);

    double t0 = now_ms();
    agent = fork();
    if (agent < 0) fail("fork failed");
    if (agent == 0) {
        execvp(argv[3], argv + 3);
        perror("qga-start: exec");
        _exit(127);
    }

    int fd = -1;
    while (fd < 0) {
        if (now_ms() - t0 > 30000) fail("no socket within 30 s");
        if (waitpid(agent, NULL, WNOHANG) == agent) {
            agent = 0;
            fail("the agent exited before it listened");
        }
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0) fail("socket failed");
        if (connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) {
            close(fd);
            fd = -1;
            sleep_ms(1);
        }
    }
    static const char PING[] = "{\"execute\":\"guest-ping\"}\n";
    if (write(fd, PING, sizeof PING - 1) != (ssize_t) (sizeof PING - 1)) fail("write failed");
    char reply[4096];
    size_t got = 0;
    while (got == 0 || reply[got - 1] != '\n') {
        ssize_t n = read(fd, reply + got, sizeof reply - 1 - got);
        if (n <= 0) fail("the agent closed the connection before replying");
        got += (size_t) n;
        if (got == sizeof reply - 1) fail("reply too long");
    }
    double first = now_ms() - t0;
    reply[got] = 0;
    if (strcmp(reply, "{\"return\": {}}\n") != 0) {
        fprintf(stderr, "qga-start: unexpected reply: %s", reply);
        fail("guest-ping did not succeed");
    }
    close(fd); /* one client at a time on unix-listen: idle means no client */

    sleep_ms(idle_ms);
    long rss = status_kb(agent, "VmRSS");
    long hwm = status_kb(agent, "VmHWM");
    if (rss < 0) fail("cannot read the agent's /proc status");
    kill(agent, SIGTERM);
    int status;
    if (waitpid(agent, &status, 0) != agent) fail("waitpid failed");
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("first_reply_ms=%.1f rss_kb=%ld hwm_kb=%ld exit=%d\n", first, rss, hwm, code);
    return 0;
}
