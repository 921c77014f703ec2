package dev.somnus.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A host's side of the agent's unix socket, as libvirt drives it: newline-terminated replies, a
 * 0xFF + guest-sync-delimited handshake, reads bounded by timeouts.
 */
final class QgaClient implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private QgaClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /** Connects, waiting up to the timeout for the agent to create its socket. */
    static QgaClient connect(Path socket, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Files.exists(socket)) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return new QgaClient(ch);
                } catch (IOException e) {
                    ch.close();
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            } else if (System.nanoTime() > deadline) {
                throw new IOException("no agent socket at " + socket);
            }
            Thread.sleep(20);
        }
    }

    void send(String text) throws IOException {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** The next reply line without its newline (a leading 0xFF sentinel is kept as U+00FF), or null on timeout. */
    String readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] have = pending.toByteArray();
            for (int i = 0; i < have.length; i++) {
                if (have[i] == '\n') {
                    pending.reset();
                    pending.write(have, i + 1, have.length - i - 1);
                    return new String(have, 0, i, StandardCharsets.ISO_8859_1);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            int n = channel.read(buf);
            if (n < 0) {
                throw new IOException("the agent closed the connection");
            }
            pending.write(buf.array(), 0, n);
        }
    }

    /** Sends one request and returns its reply line, failing after five seconds. */
    String call(String json) throws IOException {
        send(json);
        String line = readLine(Duration.ofSeconds(5));
        if (line == null) {
            throw new IOException("no reply to " + json);
        }
        return line;
    }

    /** The documented resynchronisation: 0xFF, guest-sync-delimited, skip to the sentinel and our id. */
    void sync() throws IOException {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        sendBytes(new byte[] {(byte) 0xFF});
        send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}");
        String expected = "\u00FF{\"return\": " + id + "}";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            String line = readLine(Duration.ofSeconds(5));
            if (expected.equals(line)) {
                return;
            }
        }
        throw new IOException("guest-sync-delimited was not answered");
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
