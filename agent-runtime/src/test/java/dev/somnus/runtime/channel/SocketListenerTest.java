package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.creationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jnr.ffi.Pointer;

/**
 * The accept loop of vsock-listen, exercised on an AF_UNIX socket made through libc: nothing can
 * connect to a vsock listener from inside this machine (no loopback transport), but the loop, the
 * per-client sessions and the error policy do not depend on the address family.
 */
class SocketListenerTest {

    private static final int AF_UNIX = 1;
    private static final int SOCKADDR_UN_SIZE = 110;

    @TempDir
    Path dir;

    private final EchoProtocol protocol = new EchoProtocol();
    private final RecordingLogger log = new RecordingLogger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private SocketListener listener;
    private Thread thread;

    private Path socket() {
        return dir.resolve("native.sock");
    }

    private void bindAt(Pointer sockaddr, Path path) {
        sockaddr.putShort(0, (short) AF_UNIX);
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        sockaddr.put(2, bytes, 0, bytes.length);
    }

    private SocketListener open(Path path) throws ChannelFailure {
        return SocketListener.open(AF_UNIX, sockaddr -> bindAt(sockaddr, path), SOCKADDR_UN_SIZE, protocol, log.logger,
                (posix, client, address) -> posix.unixPeer(client));
    }

    private void serve() throws ChannelFailure {
        listener = open(socket());
        thread = new Thread(() -> {
            try {
                listener.serve();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "test-listener");
        thread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (listener != null) {
            listener.wake();
            thread.join(10_000);
            listener.close();
        }
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket()));
    }

    private static void send(SocketChannel client, String text) throws IOException {
        client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String receive(SocketChannel client, int count) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(count);
        while (bytes.hasRemaining() && client.read(bytes) >= 0) {
            // until complete or closed
        }
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void servesClientsInTurnEachWithItsOwnSession() throws IOException, ChannelFailure {
        serve();
        SocketChannel first = connect();
        SocketChannel second = connect();
        send(second, "second\n");
        send(first, "hal");
        send(first, "f\n");
        assertThat(receive(first, 5)).isEqualTo("half\n");
        send(first, "dangling");
        first.close();

        assertThat(receive(second, 7)).isEqualTo("second\n");
        second.close();

        assertThat(protocol.lines()).containsExactly("line 1 half", "line 2 second");
        String peer = "open unix uid=" + Files.getAttribute(dir, "unix:uid") + " gid=" + Files.getAttribute(dir, "unix:gid");
        assertThat(protocol.opens()).containsExactly(peer, peer); // SO_PEERCRED through libc
    }

    @Test
    void aClientLeavingWithoutItsReplyEndsOnlyItsConnection() throws Exception {
        serve();
        SocketChannel leaving = connect();
        send(leaving, "hold\n");
        protocol.holding.await();
        leaving.close();
        protocol.release();

        try (SocketChannel next = connect()) {
            send(next, "next\n");
            assertThat(receive(next, 5)).isEqualTo("next\n");
        }
        assertThat(log.at("info")).anyMatch(line -> line.startsWith("connection of unix uid="));
        assertThat(failure.get()).isNull();
    }

    @Test
    void wakeEndsServingWhileAClientIsConnected() throws Exception {
        serve();
        try (SocketChannel client = connect()) {
            send(client, "x\n");
            receive(client, 2);

            listener.wake();
            thread.join(10_000);

            assertThat(thread.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void bindFailuresUseQemuGasTexts() {
        ChannelFailure missing = catchThrowableOfType(ChannelFailure.class, () -> open(dir.resolve("no/such.sock")));

        assertThat(missing.lines()).containsExactlyElementsOf(creationFailure("Failed to bind socket: No such file or directory"));
    }
}
