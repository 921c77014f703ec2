package dev.somnus.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
 * A host's side of the agent's unix socket, as libvirt drives it: one connection kept as long as
 * the host likes, requests written as they are, newline-terminated replies read byte for byte (the
 * 0xFF sentinel of guest-sync-delimited shows as U+00FF, qga-reference §1.5), every wait bounded.
 * Failures are {@link IOException}s with a sentence, so the class serves JUnit 4 inside Pax Exam
 * and JUnit 5 alike and needs nothing but the JDK.
 */
public final class QgaClient implements AutoCloseable {

    /** How long {@link #call(String)}, {@link #sync()} and {@link #send} wait by default. */
    public static final Duration REPLY_BOUND = Duration.ofSeconds(10);

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private QgaClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, SelectionKey.OP_READ);
    }

    /**
     * Connects, waiting up to the timeout for the agent to create its socket and accept: an agent
     * that is still starting is not yet an error.
     */
    public static QgaClient connect(Path socket, Duration timeout) throws IOException, InterruptedException {
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
                throw new IOException("no agent socket at " + socket + " after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Writes the text as UTF-8, as it is (no newline added: the agent reads a stream of JSON). */
    public void send(String text) throws IOException {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes every byte, waiting at most {@link #REPLY_BOUND} each time the agent takes none (it
     * stops reading while its replies back up, §1.1): a stuck agent fails the test, never hangs it.
     */
    public void sendBytes(byte[] bytes) throws IOException {
        sendBytes(bytes, REPLY_BOUND);
    }

    void sendBytes(byte[] bytes, Duration bound) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                key.interestOps(SelectionKey.OP_WRITE);
                try {
                    int ready = selector.select(Math.max(1, bound.toMillis()));
                    selector.selectedKeys().clear();
                    if (ready == 0) {
                        throw new IOException("the agent took no more bytes for " + bound + "; "
                                + buf.remaining() + " of " + bytes.length + " unsent");
                    }
                } finally {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
        }
    }

    /** Closes the sending side only: the agent sees EOF and should still answer what it has. */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /**
     * The next reply line without its newline, each byte one char (ISO-8859-1, so a leading 0xFF
     * sentinel is kept as U+00FF), or null when no whole line came within the timeout.
     *
     * @throws EOFException when the agent closed the connection before a whole line
     */
    public String readLine(Duration timeout) throws IOException {
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
                throw new EOFException("the agent closed the connection" + (have.length == 0 ? ""
                        : " in the middle of a line: " + new String(have, StandardCharsets.ISO_8859_1)));
            }
            pending.write(buf.array(), 0, n);
        }
    }

    /** Sends one request and returns its reply line, failing after {@link #REPLY_BOUND}. */
    public String call(String json) throws IOException {
        return call(json, REPLY_BOUND);
    }

    /** Sends one request and returns its reply line, failing after the timeout. */
    public String call(String json, Duration timeout) throws IOException {
        send(json);
        String line = readLine(timeout);
        if (line == null) {
            throw new IOException("no reply to " + json + " within " + timeout);
        }
        return line;
    }

    /**
     * Sends a request that must get no reply at all (a successful guest-suspend-*, §1.6) with a
     * guest-ping right behind it. The agent handles one request at a time (§1.1), so the ping's
     * reply must be the very next line; anything else is an {@link AssertionError}.
     */
    public void assertNoReplyTo(String request) throws IOException {
        send(request);
        String expected = "{\"return\": {}, \"id\": \"behind\"}";
        String line = call("{\"execute\":\"guest-ping\",\"id\":\"behind\"}");
        if (!expected.equals(line)) {
            throw new AssertionError("the line after " + request + ": expected " + expected + " but was " + line);
        }
    }

    /** The documented resynchronisation with a random id (§1.5). */
    public void sync() throws IOException {
        sync(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
    }

    /**
     * The documented resynchronisation (§1.5): 0xFF (the agent drops any half-read request),
     * guest-sync-delimited, then skip every line up to the one that is the sentinel and this id.
     */
    public void sync(long id) throws IOException {
        sendBytes(new byte[] {(byte) 0xFF});
        send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}");
        String expected = "\u00FF{\"return\": " + id + "}";
        long deadline = System.nanoTime() + REPLY_BOUND.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (expected.equals(readLine(Duration.ofNanos(left)))) {
                return;
            }
        }
        throw new IOException("guest-sync-delimited with id " + id + " was not answered within " + REPLY_BOUND);
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
