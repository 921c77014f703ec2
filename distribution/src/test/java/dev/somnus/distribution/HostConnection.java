package dev.somnus.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A host on the agent's unix socket, reading the exact bytes of each reply line (a 0xFF sentinel
 * shows as U+00FF). One connection is kept for a whole test, as libvirt keeps its chardev.
 */
final class HostConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    HostConnection(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    void send(String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** The next reply line without its newline, or null when none came within the timeout. */
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

    /** One request, its reply line (failing after ten seconds). */
    String call(String json) throws IOException {
        send(json);
        String line = readLine(Duration.ofSeconds(10));
        if (line == null) {
            throw new IOException("no reply to " + json);
        }
        return line;
    }

    /** The documented start: 0xFF, guest-sync-delimited, skip to the sentinel. */
    void sync(long id) throws IOException {
        channel.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF}));
        send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}");
        String expected = "\u00FF{\"return\": " + id + "}";
        for (int i = 0; i < 5; i++) {
            if (expected.equals(readLine(Duration.ofSeconds(10)))) {
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
