package dev.somnus.runtime.channel;

/**
 * A channel on one native descriptor (serial port, vsock listener). Stopping signals the
 * {@link Wakeup} every wait of the serving thread also watches; the descriptors are closed only by
 * the serving thread, so no descriptor number is closed while a poll may still use it.
 */
abstract class PolledTransport implements Transport {

    final Posix posix;
    final int fd;
    final Wakeup wakeup;

    PolledTransport(Posix posix, int fd, Wakeup wakeup) {
        this.posix = posix;
        this.fd = fd;
        this.wakeup = wakeup;
    }

    @Override
    public final void wake() {
        wakeup.signal();
    }

    @Override
    public final void close() {
        posix.close(fd);
        wakeup.close();
    }
}
