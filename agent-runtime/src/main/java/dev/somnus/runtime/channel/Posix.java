package dev.somnus.runtime.channel;

import java.io.IOException;
import java.util.Arrays;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * libc through jnr-ffi, with errno turned into {@link PosixException}s that carry the C library's
 * own {@code strerror} text (qemu-ga prints exactly that text in its channel errors, §2). Loaded
 * once per class loader: the binding is immutable and generating it again would only cost time.
 */
final class Posix {

    // Linux values shared by x86_64 and aarch64 (the architectures whose jffi library is embedded).
    static final int O_RDWR = 02;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ECONNABORTED = 103;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int AF_UNIX = 1;
    static final int SOL_SOCKET = 1;
    static final int SO_PEERCRED = 17;

    static final int AF_VSOCK = 40;
    static final int SOCK_STREAM = 1;

    static final int SCHED_IDLE = 5;

    static final int F_GETFD = 1;
    static final int F_SETFD = 2;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int FD_CLOEXEC = 1;

    private static final class Holder {
        static final Posix INSTANCE = load();

        private static Posix load() {
            try {
                LibC libc = LibraryLoader.create(LibC.class)
                        .option(LibraryOption.SaveError, Boolean.TRUE)
                        .failImmediately()
                        .load("c");
                return new Posix(libc);
            } catch (LinkageError | RuntimeException e) {
                return new Posix(e);
            }
        }
    }

    private final LibC libc;
    private final Runtime runtime;
    private final Throwable loadFailure;

    private Posix(LibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
        this.loadFailure = null;
    }

    private Posix(Throwable loadFailure) {
        this.libc = null;
        this.runtime = null;
        this.loadFailure = loadFailure;
    }

    /** The C library, or an IOException saying why native calls are not available here. */
    static Posix libc() throws IOException {
        Posix posix = Holder.INSTANCE;
        if (posix.loadFailure != null) {
            throw new IOException("native calls unavailable (jnr-ffi): " + posix.loadFailure, posix.loadFailure);
        }
        return posix;
    }

    Pointer allocate(int size) {
        return Memory.allocateDirect(runtime, size, true);
    }

    int open(String path, int flags) throws PosixException {
        return check(libc.open(path, flags, 0));
    }

    void close(int fd) {
        // Linux releases the descriptor even when close reports an error: never retry it.
        libc.close(fd);
    }

    /** @return bytes read, 0 at end of file, or -1 for EAGAIN/EINTR */
    int read(int fd, byte[] buffer) throws PosixException {
        long n = libc.read(fd, buffer, buffer.length);
        if (n < 0) {
            return retryable(runtime.getLastError());
        }
        return (int) n;
    }

    /** @return bytes written, or -1 for EAGAIN/EINTR */
    int write(int fd, byte[] buffer, int offset, int length) throws PosixException {
        byte[] bytes = offset == 0 ? buffer : Arrays.copyOfRange(buffer, offset, offset + length);
        long n = libc.write(fd, bytes, length);
        if (n < 0) {
            return retryable(runtime.getLastError());
        }
        return (int) n;
    }

    /** @return number of ready descriptors, 0 on timeout, -1 when interrupted by a signal */
    int poll(Pointer fds, int count, int timeoutMillis) throws PosixException {
        int n = libc.poll(fds, count, timeoutMillis);
        if (n < 0) {
            return retryable(runtime.getLastError());
        }
        return n;
    }

    int eventfd(int flags) throws PosixException {
        return check(libc.eventfd(0, flags));
    }

    /** Moves the calling thread to SCHED_IDLE (pid 0 is the caller; the policy takes priority 0). */
    void enterIdleScheduling() throws PosixException {
        check(libc.sched_setscheduler(0, SCHED_IDLE, new int[] {0}));
    }

    int tcgetattr(int fd, Pointer termios) throws PosixException {
        return check(libc.tcgetattr(fd, termios));
    }

    void tcsetattr(int fd, int when, Pointer termios) throws PosixException {
        check(libc.tcsetattr(fd, when, termios));
    }

    /** Replaces the line speed (both directions) in a struct termios. */
    void setSpeed(Pointer termios, int speed) throws PosixException {
        check(libc.cfsetispeed(termios, speed));
        check(libc.cfsetospeed(termios, speed));
    }

    void tcflush(int fd, int queue) throws PosixException {
        check(libc.tcflush(fd, queue));
    }

    int fcntl(int fd, int command, int argument) throws PosixException {
        return check(libc.fcntl(fd, command, argument));
    }

    /** The address family of a socket (its sa_family), from getsockname. */
    int socketFamily(int fd) throws PosixException {
        Pointer address = allocate(128);
        Pointer length = allocate(4);
        length.putInt(0, 128);
        check(libc.getsockname(fd, address, length));
        return address.getShort(0) & 0xFFFF;
    }

    /** {@code unix uid=<n> gid=<n>} from SO_PEERCRED (struct ucred: pid, uid, gid). */
    String unixPeer(int fd) {
        Pointer ucred = allocate(12);
        Pointer length = allocate(4);
        length.putInt(0, 12);
        if (libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, length) != 0) {
            return "unix";
        }
        return "unix uid=" + Integer.toUnsignedString(ucred.getInt(4)) + " gid=" + Integer.toUnsignedString(ucred.getInt(8));
    }

    int socket(int domain, int type) throws PosixException {
        return check(libc.socket(domain, type, 0));
    }

    void bind(int fd, Pointer address, int length) throws PosixException {
        check(libc.bind(fd, address, length));
    }

    void listen(int fd, int backlog) throws PosixException {
        check(libc.listen(fd, backlog));
    }

    /** SO_PEERCRED of a connected unix socket into {@code ucred} (12 bytes: pid, uid, gid). */
    void peerCredentials(int fd, Pointer ucred, Pointer length) throws PosixException {
        length.putInt(0, 12);
        check(libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, length));
    }

    /** @return the new descriptor, or -1 for EAGAIN/EINTR/ECONNABORTED (try again) */
    int accept(int fd, Pointer address, Pointer length, int flags) throws PosixException {
        int n = libc.accept4(fd, address, length, flags);
        if (n < 0) {
            int errno = runtime.getLastError();
            if (errno == ECONNABORTED) {
                return -1;
            }
            return retryable(errno);
        }
        return n;
    }

    String strerror(int errno) {
        return libc.strerror(errno);
    }

    private int check(int result) throws PosixException {
        if (result < 0) {
            int errno = runtime.getLastError();
            throw new PosixException(errno, strerror(errno));
        }
        return result;
    }

    private int retryable(int errno) throws PosixException {
        if (errno == EAGAIN || errno == EINTR) {
            return -1;
        }
        throw new PosixException(errno, strerror(errno));
    }
}
