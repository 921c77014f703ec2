package dev.somnus.runtime.channel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.somnus.runtime.protocol.ProtocolSession;
import dev.somnus.runtime.protocol.QgaProtocol;
import dev.somnus.runtime.protocol.ReplySink;

/**
 * A stand-in for the real protocol: every newline-terminated line is answered with itself. A
 * session keeps a partial line until its newline arrives, as the real JSON parser keeps a partial
 * message. Two special lines: {@code hold} blocks until {@link #release()} before answering, and
 * {@code big} answers with {@link #BIG_REPLY_BYTES} bytes.
 */
final class EchoProtocol implements QgaProtocol {

    static final int BIG_REPLY_BYTES = 4 << 20;

    /** What the protocol saw, in order: "open <peer>" and "line <n> <text>" for session n. */
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private int sessions;

    @Override
    public synchronized ProtocolSession openSession(ReplySink sink, String peer) {
        int number = ++sessions;
        events.add("open " + peer);
        return new Session(number, sink);
    }

    void release() {
        released.countDown();
    }

    List<String> lines() {
        return events.stream().filter(e -> e.startsWith("line ")).toList();
    }

    List<String> opens() {
        return events.stream().filter(e -> e.startsWith("open ")).toList();
    }

    private final class Session implements ProtocolSession {
        private final int number;
        private final ReplySink sink;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Session(int number, ReplySink sink) {
            this.number = number;
            this.sink = sink;
        }

        @Override
        public void receive(byte[] bytes, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                partial.write(bytes[i]);
                if (bytes[i] == '\n') {
                    byte[] line = partial.toByteArray();
                    partial.reset();
                    String text = new String(line, 0, line.length - 1, StandardCharsets.ISO_8859_1);
                    events.add("line " + number + " " + text);
                    if (text.equals("hold")) {
                        sink.flush();
                        holding.countDown();
                        await(released);
                    }
                    if (text.equals("big")) {
                        sink.write(new byte[BIG_REPLY_BYTES], 0, BIG_REPLY_BYTES);
                    }
                    sink.write(line, 0, line.length);
                }
            }
            sink.flush();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the session");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
