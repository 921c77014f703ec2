package dev.somnus.reaper.impl;

import java.io.ByteArrayOutputStream;

import dev.somnus.reaper.impl.posix.Posix;
import jnr.ffi.Pointer;

/**
 * The read end of one child's stdout or stderr pipe. Keeps at most {@code cap} bytes and keeps
 * reading (and dropping) past it, so a chatty child never blocks on a full pipe. Touched only by
 * the reaper's loop thread.
 */
final class CapturedStream {

    private final int fd;
    private final int cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;
    private boolean open = true;

    CapturedStream(int fd, int cap) {
        this.fd = fd;
        this.cap = cap;
    }

    int fd() {
        return fd;
    }

    boolean isOpen() {
        return open;
    }

    /** Reads per call at most, so one chatty child (or a grandchild still writing after its parent was reaped) cannot hold up the loop. */
    private static final int MAX_READS_PER_CALL = 16;

    /**
     * Reads what the pipe holds now, without blocking.
     *
     * @return false once the stream reached end of file (or failed) and was closed
     */
    boolean readAvailable(Posix posix, Pointer buffer, int bufferSize) {
        for (int reads = 0; open && reads < MAX_READS_PER_CALL; reads++) {
            long n = posix.read(fd, buffer, bufferSize);
            if (n > 0) {
                keep(buffer, (int) n);
            } else if (n == -Posix.EAGAIN) {
                return true;
            } else if (n != -Posix.EINTR) {
                close(posix); // 0 = end of file; any other error ends capture too
            }
        }
        return open;
    }

    private void keep(Pointer buffer, int n) {
        int room = cap - kept.size();
        int take = Math.min(room, n);
        if (take > 0) {
            byte[] bytes = new byte[take];
            buffer.get(0, bytes, 0, take);
            kept.write(bytes, 0, take);
        }
        if (take < n) {
            truncated = true;
        }
    }

    void close(Posix posix) {
        if (open) {
            open = false;
            posix.close(fd);
        }
    }

    byte[] bytes() {
        return kept.toByteArray();
    }

    boolean truncated() {
        return truncated;
    }
}
