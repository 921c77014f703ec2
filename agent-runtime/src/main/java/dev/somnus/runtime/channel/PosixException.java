package dev.somnus.runtime.channel;

import java.io.IOException;

/** A failed libc call; the message is exactly {@code strerror(errno)}, as qemu-ga prints it. */
final class PosixException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    PosixException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
