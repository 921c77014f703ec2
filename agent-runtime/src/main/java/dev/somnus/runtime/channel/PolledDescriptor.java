package dev.somnus.runtime.channel;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;

/**
 * A non-blocking native descriptor (serial port, vsock connection) read and written through poll,
 * so that a {@link Wakeup} can always interrupt the wait.
 */
final class PolledDescriptor implements HostStream {

    /**
     * qemu-ga's QGA_SLEEP_INTERVAL: the pause after an EOF on a virtio port, and between write
     * attempts while the host is away.
     */
    static final int IDLE_MILLIS = 100;

    private final Posix posix;
    private final int fd;
    private final Wakeup wakeup;
    private final boolean endOfFileIsTransient;

    /**
     * @param endOfFileIsTransient true for serial ports: a read of 0 bytes means "no host attached
     *        right now" (virtio-serial reports that continuously while the host side is closed and
     *        after every resume), so wait {@value #IDLE_MILLIS} ms and read again (qga-reference §2)
     */
    PolledDescriptor(Posix posix, int fd, Wakeup wakeup, boolean endOfFileIsTransient) {
        this.posix = posix;
        this.fd = fd;
        this.wakeup = wakeup;
        this.endOfFileIsTransient = endOfFileIsTransient;
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        for (;;) {
            if (wakeup.signalled()) {
                throw new AsynchronousCloseException();
            }
            // Read first and poll only when nothing is there: under a pipelined load that is one
            // system call per chunk instead of two.
            int n = posix.read(fd, buffer);
            if (n > 0) {
                return n;
            }
            if (n == 0) {
                if (!endOfFileIsTransient) {
                    return -1;
                }
                wakeup.sleep(IDLE_MILLIS);
            } else {
                wakeup.await(fd, Posix.POLLIN, -1); // EAGAIN
            }
        }
    }

    @Override
    public void writeFully(byte[] bytes, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = posix.write(fd, bytes, offset + done, length - done);
            if (n >= 0) {
                done += n;
                continue;
            }
            // EAGAIN: wait until writable. A virtio port whose host side is closed reports POLLHUP
            // without POLLOUT at once; qemu-ga spins on EAGAIN there, we pause between attempts.
            int ready = wakeup.await(fd, Posix.POLLOUT, -1);
            if ((ready & Posix.POLLOUT) == 0) {
                wakeup.sleep(IDLE_MILLIS);
            }
        }
    }
}
