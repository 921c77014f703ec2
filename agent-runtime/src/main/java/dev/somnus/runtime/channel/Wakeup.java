package dev.somnus.runtime.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AsynchronousCloseException;

import jnr.ffi.Pointer;

/**
 * An eventfd that every poll of a native channel also watches, so that stopping the component can
 * wake the channel thread out of a blocking wait from another thread. Once signalled it stays
 * readable: every later wait returns at once, which is what a stopping channel wants.
 */
final class Wakeup implements AutoCloseable {

    private static final byte[] ONE = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();

    private final Posix posix;
    private final Pointer pollFds;
    private int fd;
    private volatile boolean signalled;

    private Wakeup(Posix posix) throws PosixException {
        this.posix = posix;
        this.fd = posix.eventfd(Posix.O_CLOEXEC | Posix.O_NONBLOCK);
        this.pollFds = posix.allocate(16);
    }

    /** A new wake-up; the first one in the JVM also loads the C library binding. */
    static Wakeup open() throws IOException {
        return new Wakeup(Posix.libc());
    }

    Posix posix() {
        return posix;
    }

    /** Any thread: wakes the channel thread; idempotent. */
    synchronized void signal() {
        signalled = true;
        if (fd >= 0) {
            try {
                posix.write(fd, ONE, 0, ONE.length);
            } catch (PosixException e) {
                // Cannot happen for an open eventfd; the flag is still seen by the next wait.
            }
        }
    }

    boolean signalled() {
        return signalled;
    }

    /**
     * Waits until {@code otherFd} is ready for {@code events} (or reports an error or hang-up), or
     * until {@code timeoutMillis} passed (-1: no limit).
     *
     * @return the events reported for {@code otherFd} (POLLHUP/POLLERR included), 0 on timeout
     * @throws AsynchronousCloseException if the wake-up was signalled
     */
    int await(int otherFd, short events, int timeoutMillis) throws IOException {
        int count = otherFd >= 0 ? 2 : 1;
        for (;;) {
            if (signalled) {
                throw new AsynchronousCloseException();
            }
            int own = currentFd();
            pollFds.putInt(0, own);
            pollFds.putShort(4, Posix.POLLIN);
            pollFds.putShort(6, (short) 0);
            pollFds.putInt(8, otherFd);
            pollFds.putShort(12, events);
            pollFds.putShort(14, (short) 0);
            int ready = posix.poll(pollFds, count, timeoutMillis);
            if (ready < 0) {
                continue; // EINTR: the JVM uses signals internally; just wait again
            }
            if (pollFds.getShort(6) != 0 || signalled) {
                throw new AsynchronousCloseException();
            }
            return ready > 0 ? pollFds.getShort(14) & 0xFFFF : 0;
        }
    }

    /** Sleeps, but returns early by throwing when the wake-up is signalled. */
    void sleep(int millis) throws IOException {
        await(-1, (short) 0, millis);
    }

    private synchronized int currentFd() throws AsynchronousCloseException {
        if (fd < 0) {
            throw new AsynchronousCloseException();
        }
        return fd;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            posix.close(fd);
            fd = -1;
        }
    }
}
