/*
 * A stand-in for systemctl, pm-is-supported and the pm-* sleep programs, for
 * suspend-latency.sh. It never suspends anything. Built with -DFAKE_DIR="<folder>":
 *
 *   systemctl status <unit>   exits with the number in FAKE_DIR/systemctl-status-exit (else 3)
 *   pm-is-supported <flag>    exits with the number in FAKE_DIR/pm-is-supported-exit (else 0)
 *   anything else (an action) appends "<name> <args>\n" to FAKE_DIR/actions.log, exits 0
 *
 * The benchmark's client watches actions.log with inotify: its first modification after a request
 * is the moment the action ran.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int code_from(const char *file, int fallback) {
    char path[4096], buf[16] = {0};
    snprintf(path, sizeof path, "%s/%s", FAKE_DIR, file);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return fallback;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n > 0 ? atoi(buf) : fallback;
}

int main(int argc, char **argv) {
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    if (!strcmp(name, "systemctl") && argc > 1 && !strcmp(argv[1], "status"))
        return code_from("systemctl-status-exit", 3);
    if (!strcmp(name, "pm-is-supported"))
        return code_from("pm-is-supported-exit", 0);
    char line[4096];
    int len = snprintf(line, sizeof line, "%s", name);
    for (int i = 1; i < argc && len < (int) sizeof line - 2; i++)
        len += snprintf(line + len, sizeof line - len, " %s", argv[i]);
    line[len++] = '\n';
    char path[4096];
    snprintf(path, sizeof path, "%s/actions.log", FAKE_DIR);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0) return 1;
    ssize_t w = write(fd, line, len);
    close(fd);
    return w == len ? 0 : 1;
}
