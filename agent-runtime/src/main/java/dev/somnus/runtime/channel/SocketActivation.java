package dev.somnus.runtime.channel;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * systemd socket activation as qemu-ga 7.2 honours it (qga-reference §2): when {@code LISTEN_PID}
 * is this process and {@code LISTEN_FDS} is set, the inherited socket at descriptor 3 is served and
 * {@code -m}/{@code -p} are overridden: a unix socket is served as {@code unix-listen}, a vsock
 * socket as {@code vsock-listen}. Texts are qemu-ga's.
 *
 * <p>Unlike qemu-ga we cannot remove LISTEN_* from the environment (Java has no unsetenv), so
 * children inherit them; they name our pid, so a well-behaved child ignores them.
 */
record SocketActivation(int fd, ChannelMethod method) {

    /** SD_LISTEN_FDS_START. */
    static final int FIRST_FD = 3;

    /**
     * @param environment variable name to value, null when unset
     * @param pid this process
     * @param firstFd where the inherited descriptors start ({@value #FIRST_FD}; tests pass others)
     * @return the activated socket, or empty when the agent was not started by socket activation
     */
    static Optional<SocketActivation> detect(Function<String, String> environment, long pid, int firstFd)
            throws ChannelFailure {
        long listenPid = parseDecimal(environment.apply("LISTEN_PID"));
        if (listenPid < 0 || listenPid != pid) {
            return Optional.empty();
        }
        long count = parseDecimal(environment.apply("LISTEN_FDS"));
        if (count <= 0) {
            return Optional.empty();
        }
        Posix posix;
        try {
            posix = Posix.libc();
        } catch (IOException e) {
            throw ChannelFailure.configuration("Socket activation failed: " + e.getMessage());
        }
        // Like qemu-ga: keep the inherited sockets out of child processes; failing that, the
        // descriptor is not what systemd promised.
        for (long i = 0; i < Math.min(count, 64); i++) {
            int fd = (int) (firstFd + i);
            try {
                posix.fcntl(fd, Posix.F_SETFD, posix.fcntl(fd, Posix.F_GETFD, 0) | Posix.FD_CLOEXEC);
            } catch (PosixException e) {
                throw ChannelFailure.configuration(
                        "Socket activation failed: invalid file descriptor fd = " + fd + ": " + e.getMessage());
            }
        }
        if (count > 1) {
            throw ChannelFailure.configuration("qemu-ga only supports listening on one socket");
        }
        int family;
        try {
            family = posix.socketFamily(firstFd);
        } catch (PosixException e) {
            throw ChannelFailure.configuration("unsupported listen fd type");
        }
        if (family == Posix.AF_UNIX) {
            return Optional.of(new SocketActivation(firstFd, ChannelMethod.UNIX_LISTEN));
        }
        if (family == Posix.AF_VSOCK) {
            return Optional.of(new SocketActivation(firstFd, ChannelMethod.VSOCK_LISTEN));
        }
        throw ChannelFailure.configuration("unsupported listen fd type");
    }

    /** qemu_strtoul(…, 10) on the whole text; -1 if unset or not such a number. */
    private static long parseDecimal(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }
}
