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
    private final boolean ownsFd;

    /** @param ownsFd false for a descriptor this channel was given and must leave open */
    PolledTransport(Posix posix, int fd, Wakeup wakeup, boolean ownsFd) {
        this.posix = posix;
        this.fd = fd;
        this.wakeup = wakeup;
        this.ownsFd = ownsFd;
    }

    @Override
    public final void wake() {
        wakeup.signal();
    }

    @Override
    public final void close() {
        if (ownsFd) {
            posix.close(fd);
        }
        wakeup.close();
    }
}
