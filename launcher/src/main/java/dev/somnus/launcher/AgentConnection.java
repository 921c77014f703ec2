package dev.somnus.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client connection to a guest agent's unix socket that starts the way qga-reference §1.5 says
 * a client should: the flush byte 0xFF, then {@code guest-sync-delimited} with a random id, and
 * everything skipped up to the 0xFF sentinel whose reply carries that id (so half a message left
 * by an earlier client, or the agent's error reply for the flush byte, never confuses it). Each
 * reply is awaited at most the given timeout.
 */
final class AgentConnection implements AutoCloseable {

    private static final Pattern SYNC_REPLY = Pattern.compile("\\{\\s*\"return\"\\s*:\\s*(-?\\d+)\\s*}\\s*");

    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutMillis;
    private final ByteBuffer buffer = ByteBuffer.allocate(4096);
    private boolean closedByAgent;

    AgentConnection(String path, long timeoutMillis) throws IOException {
        this.timeoutMillis = timeoutMillis;
        this.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        buffer.flip();
    }

    /** Resynchronises; false if the agent did not answer the handshake in time. */
    boolean handshake() throws IOException {
        long id = new SecureRandom().nextLong() & Long.MAX_VALUE;
        send(new byte[] {(byte) 0xFF});
        send(("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}\n")
                .getBytes(StandardCharsets.US_ASCII));
        return awaitSync(id);
    }

    /** Sends one request; returns its reply line, or null if none came within the timeout. */
    String request(String json) throws IOException {
        send((json + "\n").getBytes(StandardCharsets.UTF_8));
        return readLine();
    }

    /** Is this line the reply to our guest-sync-delimited? */
    static boolean isSyncReply(String line, long id) {
        Matcher m = SYNC_REPLY.matcher(line);
        return m.matches() && m.group(1).equals(Long.toString(id));
    }

    /** After a null reply: did the agent close the connection (rather than stay silent)? */
    boolean closedByAgent() {
        return closedByAgent;
    }

    void send(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** Discards input until a 0xFF sentinel followed by the reply carrying {@code id}. */
    boolean awaitSync(long id) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            int b;
            do {
                b = read(deadline);
                if (b < 0) {
                    return false;
                }
            } while (b != 0xFF);
            String line = readLine(deadline);
            if (line == null) {
                return false;
            }
            if (isSyncReply(line, id)) {
                return true;
            }
        }
    }

    String readLine() throws IOException {
        return readLine(System.nanoTime() + timeoutMillis * 1_000_000);
    }

    private String readLine(long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = read(deadline);
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }

    /** The next byte, or -1 at the deadline or end of stream. */
    private int read(long deadline) throws IOException {
        while (!buffer.hasRemaining()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return -1;
            }
            selector.select(left);
            buffer.clear();
            int n = channel.read(buffer);
            buffer.flip();
            if (n < 0) {
                closedByAgent = true;
                return -1;
            }
        }
        return buffer.get() & 0xFF;
    }

    @Override
    public void close() throws IOException {
        try {
            if (selector != null) {
                selector.close();
            }
        } finally {
            channel.close();
        }
    }
}
