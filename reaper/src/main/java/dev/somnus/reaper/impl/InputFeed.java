package dev.somnus.reaper.impl;

import dev.somnus.reaper.impl.posix.Posix;
import jnr.ffi.Pointer;

/**
 * The write end of one child's stdin pipe and the bytes still to go ({@code ChildSpec.withInput}).
 * Written only when poll(2) says the pipe has room, so neither the loop nor the child ever blocks
 * on the other; closed once everything is written (the child then reads end of file), when the
 * child closes its end (EPIPE: the rest is dropped, as qemu-ga's guest_exec_input_watch does), or
 * when the child is reaped. Touched only by the reaper's loop thread.
 */
final class InputFeed {

    private final int fd;
    private final byte[] bytes;
    private int written;
    private boolean open = true;

    InputFeed(int fd, byte[] bytes) {
        this.fd = fd;
        this.bytes = bytes;
    }

    int fd() {
        return fd;
    }

    boolean isOpen() {
        return open;
    }

    /** Writes what the pipe takes now, without blocking; closes the pipe once all is written. */
    void writeAvailable(Posix posix, Pointer buffer, int bufferSize) {
        while (open && written < bytes.length) {
            int chunk = Math.min(bufferSize, bytes.length - written);
            buffer.put(0, bytes, written, chunk);
            long n = posix.write(fd, buffer, chunk);
            if (n > 0) {
                written += (int) n;
            } else if (n == -Posix.EAGAIN) {
                return;
            } else if (n != -Posix.EINTR) {
                close(posix); // EPIPE: the child will not read the rest
            }
        }
        close(posix);
    }

    void close(Posix posix) {
        if (open) {
            open = false;
            posix.close(fd);
        }
    }
}
