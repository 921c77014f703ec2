package dev.somnus.runtime.channel;

import java.io.IOException;
import java.util.function.Consumer;

import org.osgi.service.log.Logger;

import jnr.ffi.Pointer;

import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * A listening stream socket made through libc, for address families java.nio lacks: backlog 1,
 * one client at a time, the others served in turn (qga-reference §2). Like {@link UnixListener},
 * every connection gets its own protocol session and a client going away ends only its own
 * connection (deliberate fixes, §1.5).
 */
final class SocketListener extends PolledTransport {

    /** Room for any socket address the kernel returns from accept (struct sockaddr_storage). */
    private static final int SOCKADDR_STORAGE_SIZE = 128;

    /** Names a client for logs and audit lines. */
    interface PeerNaming {
        /**
         * @param client the accepted connection
         * @param address the struct sockaddr accept returned for it
         */
        String name(Posix posix, int client, Pointer address);
    }

    private static final PeerNaming VSOCK_PEER = (posix, client, address) -> VsockAddress.describePeer(address);
    private static final PeerNaming UNIX_PEER = (posix, client, address) -> posix.unixPeer(client);

    private final QgaProtocol protocol;
    private final Logger logger;
    private final PeerNaming peerName;

    private SocketListener(Posix posix, int fd, Wakeup wakeup, boolean ownsFd, QgaProtocol protocol, Logger logger,
            PeerNaming peerName) {
        super(posix, fd, wakeup, ownsFd);
        this.protocol = protocol;
        this.logger = logger;
        this.peerName = peerName;
    }

    /**
     * {@code vsock-listen}: {@code path} is {@code <cid>:<port>}, parsed and bound the way qemu-ga
     * does it, with its error texts.
     */
    static SocketListener openVsock(String path, QgaProtocol protocol, Logger logger) throws ChannelFailure {
        VsockAddress address = VsockAddress.parse(path);
        return open(Posix.AF_VSOCK, address::writeTo, VsockAddress.SOCKADDR_SIZE, protocol, logger, VSOCK_PEER);
    }

    /**
     * Serves a socket that is already listening (systemd socket activation). The descriptor is left
     * open when the channel closes: qemu-ga closes it and so can never serve it again after a
     * failure with retry-path; we can.
     */
    static SocketListener adopt(SocketActivation activation, QgaProtocol protocol, Logger logger) throws ChannelFailure {
        Wakeup wakeup = null;
        try {
            wakeup = Wakeup.open();
            Posix posix = wakeup.posix();
            int fd = activation.fd();
            posix.fcntl(fd, Posix.F_SETFL, posix.fcntl(fd, Posix.F_GETFL, 0) | Posix.O_NONBLOCK);
            PeerNaming naming = activation.method() == ChannelMethod.VSOCK_LISTEN ? VSOCK_PEER : UNIX_PEER;
            return new SocketListener(posix, fd, wakeup, false, protocol, logger, naming);
        } catch (IOException e) {
            if (wakeup != null) {
                wakeup.close();
            }
            throw ChannelFailure.creating("cannot serve the socket-activated descriptor " + activation.fd() + ": "
                    + e.getMessage());
        }
    }

    /**
     * @param address writes the struct sockaddr to bind to
     * @param peerName names a client from the struct sockaddr accept returned
     */
    static SocketListener open(int family, Consumer<Pointer> address, int addressLength,
            QgaProtocol protocol, Logger logger, PeerNaming peerName) throws ChannelFailure {
        Wakeup wakeup = null;
        int fd = -1;
        String step = "Failed to create socket: ";
        try {
            wakeup = Wakeup.open();
            Posix posix = wakeup.posix();
            fd = posix.socket(family, Posix.SOCK_STREAM | Posix.O_CLOEXEC | Posix.O_NONBLOCK);
            Pointer sockaddr = posix.allocate(addressLength);
            address.accept(sockaddr);
            step = "Failed to bind socket: ";
            posix.bind(fd, sockaddr, addressLength);
            step = "Failed to listen on socket: ";
            posix.listen(fd, 1);
            return new SocketListener(posix, fd, wakeup, true, protocol, logger, peerName);
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
        Pointer peerAddress = posix.allocate(SOCKADDR_STORAGE_SIZE);
        Pointer peerLength = posix.allocate(4);
        for (;;) {
            int client;
            try {
                wakeup.await(fd, Posix.POLLIN, -1);
                peerLength.putInt(0, SOCKADDR_STORAGE_SIZE);
                client = posix.accept(fd, peerAddress, peerLength, Posix.O_CLOEXEC | Posix.O_NONBLOCK);
            } catch (IOException e) {
                if (wakeup.signalled()) {
                    return;
                }
                throw e;
            }
            if (client < 0) {
                continue; // nobody after all (EAGAIN, or the client gave up: ECONNABORTED)
            }
            String peer = peerName.name(posix, client, peerAddress);
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
