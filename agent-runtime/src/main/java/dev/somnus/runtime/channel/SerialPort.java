package dev.somnus.runtime.channel;

import java.io.IOException;

import org.osgi.service.log.Logger;

import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * {@code virtio-serial} and {@code isa-serial}: one character device, opened once for the life of
 * the channel (a virtio port can only be open once, a second open gets EBUSY) and talked to by one
 * protocol session; there is no connection concept (qga-reference §1.5, §2).
 *
 * <p>A read of 0 bytes is not the end: virtio-serial reports EOF continuously while no host process
 * has the chardev open, and after every resume. Like qemu-ga we pause 100 ms and read again, keeping
 * the descriptor and the session. qemu-ga treats EOF on isa-serial as the end of its only client and
 * stays alive but deaf; we treat it like virtio-serial instead, so a tty that hangs up and comes
 * back is served again.
 */
final class SerialPort extends PolledTransport {

    private final QgaProtocol protocol;
    private final String peer;

    private SerialPort(Posix posix, int fd, Wakeup wakeup, QgaProtocol protocol, String peer) {
        super(posix, fd, wakeup, true);
        this.protocol = protocol;
        this.peer = peer;
    }

    /** Opened O_RDWR|O_NONBLOCK|O_CLOEXEC as qemu-ga does (its O_ASYNC has no use without F_SETOWN). */
    static SerialPort openVirtio(String path, QgaProtocol protocol, Logger logger) throws ChannelFailure {
        return open(path, Posix.O_RDWR | Posix.O_NONBLOCK | Posix.O_CLOEXEC, false, protocol, logger, "virtio-serial ");
    }

    /** Opened O_RDWR|O_NOCTTY|O_NONBLOCK|O_CLOEXEC and switched to raw mode, see {@link Termios}. */
    static SerialPort openIsa(String path, QgaProtocol protocol, Logger logger) throws ChannelFailure {
        int flags = Posix.O_RDWR | Posix.O_NOCTTY | Posix.O_NONBLOCK | Posix.O_CLOEXEC;
        return open(path, flags, true, protocol, logger, "isa-serial ");
    }

    private static SerialPort open(String path, int flags, boolean raw, QgaProtocol protocol, Logger logger,
            String kind) throws ChannelFailure {
        Wakeup wakeup = null;
        int fd;
        try {
            wakeup = Wakeup.open();
            fd = wakeup.posix().open(path, flags);
        } catch (IOException e) {
            if (wakeup != null) {
                wakeup.close();
            }
            throw ChannelFailure.creating("error opening channel '" + path + "': " + e.getMessage());
        }
        Posix posix = wakeup.posix();
        if (raw) {
            try {
                Termios.makeRaw(posix, fd);
            } catch (PosixException e) {
                // qemu-ga ignores the results of tcgetattr/tcsetattr and serves the file anyway.
                logger.warn("cannot set up " + path + " as a raw serial line: " + e.getMessage());
            }
        }
        return new SerialPort(posix, fd, wakeup, protocol, kind + path);
    }

    @Override
    public void serve() throws IOException {
        try {
            new Conversation(new PolledDescriptor(posix, fd, wakeup, true), protocol, peer).run();
        } catch (IOException e) {
            if (wakeup.signalled()) {
                return;
            }
            throw e;
        }
        throw new IOException("channel ended"); // unreachable: end of file is transient here
    }
}
