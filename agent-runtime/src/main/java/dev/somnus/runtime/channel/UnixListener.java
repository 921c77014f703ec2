package dev.somnus.runtime.channel;

import dev.somnus.api.command.Strerror;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

import org.osgi.service.log.Logger;

import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * {@code unix-listen}: a UNIX-domain stream socket with backlog 1 that serves one client at a time;
 * the kernel queues further connections and they are served in turn (qga-reference §2).
 *
 * <p>Deliberate fixes against qemu-ga 7.2:
 * <ul>
 * <li>Every connection gets a new protocol session. qemu-ga keeps one parser for all clients, so
 * half a request left by a client that went away swallows the start of the next client's
 * requests (§1.5, test vector V27).</li>
 * <li>A client that goes away without reading its replies (EPIPE/ECONNRESET) only ends its own
 * connection; qemu-ga 7.2 exits.</li>
 * <li>The socket file is created with mode 0600 instead of following the umask.</li>
 * </ul>
 * Like qemu-ga, an existing file at the path is replaced and the socket file is left behind when the
 * channel closes.
 */
final class UnixListener implements Transport {

    /** The longest socket path (bytes) Java's UNIX-domain sockets accept. */
    static final int MAX_PATH_BYTES = 106;

    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_SOCKET = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int STAGING_NAMES = 36 * 36 * 36 * 36;
    private static final String STAGED_NAME = "s";

    private final ServerSocketChannel server;
    private final QgaProtocol protocol;
    private final Logger logger;
    private final PeerCredentials peers = new PeerCredentials();
    private SocketChannel client;
    private boolean woken;

    private UnixListener(ServerSocketChannel server, QgaProtocol protocol, Logger logger) {
        this.server = server;
        this.protocol = protocol;
        this.logger = logger;
    }

    static UnixListener open(String path, QgaProtocol protocol, Logger logger) throws ChannelFailure {
        Path target;
        try {
            target = Path.of(path);
        } catch (InvalidPathException e) {
            throw ChannelFailure.creating("Failed to bind socket to " + path + ": Invalid argument");
        }
        Path staged = stagingDirectory(target, 0).resolve(STAGED_NAME);
        if (length(target) > MAX_PATH_BYTES || length(staged) > MAX_PATH_BYTES) {
            // qemu-ga's text. Its limit is 108 bytes (sun_path); ours is Java's 106 bytes, also for
            // the socket inside the staging directory, which is longer than the target when the
            // file name has fewer than 8 bytes.
            throw ChannelFailure.creating("UNIX socket path '" + path + "' is too long");
        }
        boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw ChannelFailure.creating("Failed to unlink socket " + path + ": Is a directory");
        }
        try {
            return new UnixListener(bindOwnerOnly(target), protocol, logger);
        } catch (RenameFailure e) {
            // qemu-ga unlinks an old file first and would have failed there; without one, bind fails.
            String what = existed ? "Failed to unlink socket " : "Failed to bind socket to ";
            throw ChannelFailure.creating(what + path + ": " + reason((IOException) e.getCause()));
        } catch (IOException e) {
            throw ChannelFailure.creating("Failed to bind socket to " + path + ": " + reason(e));
        }
    }

    /**
     * Binds and listens on the socket so that it is never reachable with a mode wider than 0600:
     * Java binds and listens in one call, so permissions cannot be set between bind and listen.
     * Instead the socket is bound inside a fresh 0700 directory next to the target (no other user
     * can reach it there), set to 0600, and renamed into place; rename also replaces an old file
     * atomically, so the path never points at nothing in between.
     */
    private static ServerSocketChannel bindOwnerOnly(Path target) throws IOException {
        Path staging = createStagingDirectory(target);
        Path staged = staging.resolve(STAGED_NAME);
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(staged), 1);
            Files.setPosixFilePermissions(staged, OWNER_ONLY_SOCKET);
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new RenameFailure(e);
            }
            ServerSocketChannel listening = server;
            server = null;
            return listening;
        } finally {
            if (server != null) {
                server.close();
                Files.deleteIfExists(staged);
            }
            Files.deleteIfExists(staging);
        }
    }

    private static Path createStagingDirectory(Path target) throws IOException {
        for (;;) {
            Path staging = stagingDirectory(target, RANDOM.nextInt(STAGING_NAMES));
            try {
                Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            try {
                // The umask can only have narrowed 0700; make sure the owner can still bind inside.
                Files.setPosixFilePermissions(staging, OWNER_ONLY_DIRECTORY);
            } catch (IOException e) {
                Files.deleteIfExists(staging);
                throw e;
            }
            return staging;
        }
    }

    private static Path stagingDirectory(Path target, int number) {
        String digits = Integer.toString(number, 36);
        return target.resolveSibling(".s" + "0".repeat(4 - digits.length()) + digits);
    }

    private static int length(Path path) {
        return path.toString().getBytes(Charset.defaultCharset()).length;
    }

    /** The strerror text behind a java.nio exception, as far as it can be recovered. */
    static String reason(IOException e) {
        return Strerror.of(e);
    }

    @Override
    public void serve() throws IOException {
        for (;;) {
            SocketChannel accepted;
            try {
                accepted = server.accept();
            } catch (IOException e) {
                if (isWoken()) {
                    return;
                }
                throw e;
            }
            if (!track(accepted)) {
                accepted.close();
                return;
            }
            String peer = peers.describe(accepted);
            try {
                if (!Conversation.serveClient(new SocketStream(accepted), protocol, peer, logger, this::isWoken)) {
                    return;
                }
            } finally {
                untrack(accepted);
                accepted.close();
            }
        }
    }

    private synchronized boolean track(SocketChannel accepted) {
        if (woken) {
            return false;
        }
        client = accepted;
        return true;
    }

    private synchronized void untrack(SocketChannel accepted) {
        if (client == accepted) {
            client = null;
        }
    }

    private synchronized boolean isWoken() {
        return woken;
    }

    @Override
    public synchronized void wake() {
        woken = true;
        // Closing a java.nio channel makes a thread blocked on it throw AsynchronousCloseException.
        closeQuietly(server);
        if (client != null) {
            closeQuietly(client);
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    /** The rename into place failed: qemu-ga would have failed unlinking the old file there. */
    private static final class RenameFailure extends IOException {
        private static final long serialVersionUID = 1L;

        RenameFailure(IOException cause) {
            super(cause);
        }
    }
}
