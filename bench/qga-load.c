/*
 * qga-load: a load client for QGA agents on a unix socket, small enough not to be the bottleneck.
 *
 *   qga-load SOCKET seq N        N guest-ping round trips, one in flight; prints round trips/s
 *   qga-load SOCKET pipe N       N guest-ping requests written by one thread while the main thread
 *                                counts reply lines; prints replies/s
 *
 * Both modes first send guest-sync with a fixed id and wait for its reply, so a half-read stream of an
 * earlier client cannot skew the count. Exit status 0 on success, 1 on any error or short count.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char PING[] = "{\"execute\":\"guest-ping\"}\n";

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void write_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        buf += n;
        len -= (size_t) n;
    }
}

/* Reads until `lines` newline bytes have been seen. */
static void read_lines(int fd, long lines) {
    static char buf[1 << 16];
    while (lines > 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("read");
        }
        if (n == 0) {
            fprintf(stderr, "qga-load: agent closed the connection with %ld replies outstanding\n", lines);
            exit(1);
        }
        for (ssize_t i = 0; i < n; i++) lines -= buf[i] == '\n';
    }
}

struct writer { int fd; long n; };

static void *write_pings(void *arg) {
    struct writer *w = arg;
    enum { BATCH = 256 };
    static char batch[BATCH * (sizeof PING - 1)];
    for (int i = 0; i < BATCH; i++) memcpy(batch + i * (sizeof PING - 1), PING, sizeof PING - 1);
    long left = w->n;
    while (left > 0) {
        long k = left < BATCH ? left : BATCH;
        write_all(w->fd, batch, (size_t) k * (sizeof PING - 1));
        left -= k;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[2], "seq") && strcmp(argv[2], "pipe"))) {
        fprintf(stderr, "usage: %s SOCKET seq|pipe N\n", argv[0]);
        return 2;
    }
    long n = atol(argv[3]);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, argv[1], sizeof addr.sun_path - 1);
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) die("connect");

    static const char SYNC[] = "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":4242}}\n";
    write_all(fd, SYNC, sizeof SYNC - 1);
    read_lines(fd, 1);

    double t0 = now();
    if (!strcmp(argv[2], "seq")) {
        for (long i = 0; i < n; i++) {
            write_all(fd, PING, sizeof PING - 1);
            read_lines(fd, 1);
        }
    } else {
        pthread_t t;
        struct writer w = {fd, n};
        if (pthread_create(&t, NULL, write_pings, &w)) die("pthread_create");
        read_lines(fd, n);
        pthread_join(t, NULL);
    }
    double secs = now() - t0;
    printf("%s n=%ld seconds=%.3f rate=%.0f/s\n", argv[2], n, secs, n / secs);
    close(fd);
    return 0;
}
