package dev.somnus.runtime.channel;

import java.io.IOException;

import org.osgi.service.log.Logger;

import jnr.ffi.Pointer;

import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * {@code vsock-listen}: an AF_VSOCK stream socket with backlog 1, one client at a time, the others
 * served in turn (qga-reference §2). Like {@link UnixListener}, every connection gets its own
 * protocol session and a client going away ends only its own connection (deliberate fixes, §1.5).
 */
final class VsockListener implements Transport {

    // struct sockaddr_vm: sa_family_t family, unsigned short reserved, unsigned int port, cid, then flags/zero.
    private static final int SOCKADDR_VM_SIZE = 16;

    private final Posix posix;
    private final int fd;
    private final Wakeup wakeup;
    private final QgaProtocol protocol;
    private final Logger logger;

    private VsockListener(Posix posix, int fd, Wakeup wakeup, QgaProtocol protocol, Logger logger) {
        this.posix = posix;
        this.fd = fd;
        this.wakeup = wakeup;
        this.protocol = protocol;
        this.logger = logger;
    }

    static VsockListener open(String path, QgaProtocol protocol, Logger logger) throws ChannelFailure {
        VsockAddress address = VsockAddress.parse(path);
        Posix posix;
        Wakeup wakeup;
        try {
            posix = Posix.libc();
            wakeup = new Wakeup(posix);
        } catch (IOException e) {
            throw ChannelFailure.creating("Failed to create socket: " + e.getMessage());
        }
        int fd;
        try {
            fd = posix.socket(Posix.AF_VSOCK, Posix.SOCK_STREAM | Posix.O_CLOEXEC | Posix.O_NONBLOCK);
        } catch (PosixException e) {
            wakeup.close();
            throw ChannelFailure.creating("Failed to create socket: " + e.getMessage());
        }
        String step = "Failed to bind socket: ";
        try {
            Pointer sockaddr = posix.allocate(SOCKADDR_VM_SIZE);
            sockaddr.putShort(0, (short) Posix.AF_VSOCK);
            sockaddr.putInt(4, (int) address.port());
            sockaddr.putInt(8, (int) address.cid());
            posix.bind(fd, sockaddr, SOCKADDR_VM_SIZE);
            step = "Failed to listen on socket: ";
            posix.listen(fd, 1);
        } catch (PosixException e) {
            posix.close(fd);
            wakeup.close();
            throw ChannelFailure.creating(step + e.getMessage());
        }
        return new VsockListener(posix, fd, wakeup, protocol, logger);
    }

    @Override
    public void serve() throws IOException {
        Pointer peerAddress = posix.allocate(SOCKADDR_VM_SIZE);
        Pointer peerLength = posix.allocate(4);
        for (;;) {
            int client;
            try {
                wakeup.await(fd, Posix.POLLIN, -1);
                peerLength.putInt(0, SOCKADDR_VM_SIZE);
                client = posix.accept(fd, peerAddress, peerLength, Posix.O_CLOEXEC | Posix.O_NONBLOCK);
            } catch (IOException e) {
                if (wakeup.signalled()) {
                    return;
                }
                throw e;
            }
            if (client < 0) {
                continue;
            }
            String peer = "vsock cid=" + Integer.toUnsignedString(peerAddress.getInt(8))
                    + " port=" + Integer.toUnsignedString(peerAddress.getInt(4));
            logger.debug("client connected: " + peer);
            try {
                new Conversation(new PolledDescriptor(posix, client, wakeup, false), protocol, peer).run();
                logger.debug("received EOF from " + peer);
            } catch (IOException | RuntimeException e) {
                if (wakeup.signalled()) {
                    return;
                }
                logger.info("connection of " + peer + " ended: " + e);
            } finally {
                posix.close(client);
            }
        }
    }

    @Override
    public void wake() {
        wakeup.signal();
    }

    @Override
    public void close() {
        posix.close(fd);
        wakeup.close();
    }
}
