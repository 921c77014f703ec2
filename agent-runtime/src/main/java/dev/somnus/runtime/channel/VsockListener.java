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
final class VsockListener extends PolledTransport {

    // struct sockaddr_vm: sa_family_t family, unsigned short reserved, unsigned int port, cid, then flags/zero.
    private static final int SOCKADDR_VM_SIZE = 16;

    private final QgaProtocol protocol;
    private final Logger logger;

    private VsockListener(Posix posix, int fd, Wakeup wakeup, QgaProtocol protocol, Logger logger) {
        super(posix, fd, wakeup);
        this.protocol = protocol;
        this.logger = logger;
    }

    static VsockListener open(String path, QgaProtocol protocol, Logger logger) throws ChannelFailure {
        VsockAddress address = VsockAddress.parse(path);
        Wakeup wakeup = null;
        int fd = -1;
        String step = "Failed to create socket: ";
        try {
            wakeup = Wakeup.open();
            Posix posix = wakeup.posix();
            fd = posix.socket(Posix.AF_VSOCK, Posix.SOCK_STREAM | Posix.O_CLOEXEC | Posix.O_NONBLOCK);
            Pointer sockaddr = posix.allocate(SOCKADDR_VM_SIZE);
            sockaddr.putShort(0, (short) Posix.AF_VSOCK);
            sockaddr.putInt(4, (int) address.port());
            sockaddr.putInt(8, (int) address.cid());
            step = "Failed to bind socket: ";
            posix.bind(fd, sockaddr, SOCKADDR_VM_SIZE);
            step = "Failed to listen on socket: ";
            posix.listen(fd, 1);
            return new VsockListener(posix, fd, wakeup, protocol, logger);
        } catch (IOException e) {
            if (fd >= 0) {
                wakeup.posix().close(fd);
            }
            if (wakeup != null) {
                wakeup.close();
            }
            throw ChannelFailure.creating(step + e.getMessage());
        }
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
            try {
                HostStream stream = new PolledDescriptor(posix, client, wakeup, false);
                if (!Conversation.serveClient(stream, protocol, peer, logger, wakeup::signalled)) {
                    return;
                }
            } finally {
                posix.close(client);
            }
        }
    }
}
