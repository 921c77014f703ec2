package dev.somnus.runtime.channel;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls the channels need and Java does not offer: opening a char device with
 * O_NOCTTY/O_CLOEXEC/O_NONBLOCK, termios, AF_VSOCK sockets, and poll with a wake-up
 * descriptor. Public only because jnr-ffi generates the implementation
 * in its own class loader; the package is private to the bundle. Only Linux (x86_64, aarch64) is
 * supported: the constants in {@link Posix} are the Linux generic ones both share.
 */
public interface LibC {

    int open(String path, int flags, int mode);

    int close(int fd);

    @ssize_t long read(int fd, @Out byte[] buffer, @size_t long count);

    @ssize_t long write(int fd, @In byte[] buffer, @size_t long count);

    int poll(Pointer fds, long count, int timeoutMillis);

    int eventfd(int initialValue, int flags);

    int sched_setscheduler(int pid, int policy, @In int[] param);

    int tcgetattr(int fd, Pointer termios);

    int tcsetattr(int fd, int when, Pointer termios);

    int tcflush(int fd, int queue);

    int cfsetispeed(Pointer termios, int speed);

    int cfsetospeed(Pointer termios, int speed);

    int fcntl(int fd, int command, int argument);

    int socket(int domain, int type, int protocol);

    int getsockname(int fd, Pointer address, Pointer length);

    int getsockopt(int fd, int level, int option, Pointer value, Pointer length);

    int bind(int fd, Pointer address, int length);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer address, Pointer length, int flags);

    String strerror(int errno);
}
