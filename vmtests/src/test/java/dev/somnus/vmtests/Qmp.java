package dev.somnus.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The host's QMP connection to one QEMU process: one reader thread sorts replies into a queue and
 * keeps every event, in order, so a test can wait for SUSPEND_DISK and then SHUTDOWN.
 */
final class Qmp implements AutoCloseable {

    /** One QMP event as the host received it. */
    record Event(String name, JsonNode data, Instant receivedAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final List<Event> events = new ArrayList<>();
    private int eventCursor;
    private final Thread reader;

    private Qmp(SocketChannel channel) {
        this.channel = channel;
        this.reader = new Thread(this::readLoop, "qmp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects (QEMU creates the socket shortly after it starts) and leaves capabilities negotiation. */
    static Qmp connect(Path socket, Process qemu, Duration timeout) throws IOException, InterruptedException {
        SocketChannel channel = UnixSockets.connect(socket, qemu, timeout);
        Qmp qmp = new Qmp(channel);
        qmp.awaitReply(Duration.ofSeconds(30), "the QMP greeting");
        qmp.execute("qmp_capabilities");
        return qmp;
    }

    JsonNode execute(String command) throws IOException, InterruptedException {
        return execute(command, null);
    }

    /** Runs a command and returns its {@code return} value; a QMP error fails the test with its text. */
    JsonNode execute(String command, ObjectNode arguments) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        byte[] bytes = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (channel) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        JsonNode reply = awaitReply(Duration.ofSeconds(30), "the reply to " + command);
        if (reply.has("error")) {
            throw new AssertionError("QMP " + command + " failed: " + reply.get("error"));
        }
        return reply.get("return");
    }

    private JsonNode awaitReply(Duration timeout, String what) throws InterruptedException {
        JsonNode reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null) {
            throw new AssertionError("QMP: no " + what + " within " + timeout.toSeconds() + " s");
        }
        return reply;
    }

    /**
     * Waits for the next event of that name after the last one awaited, so successive calls check
     * the order of events. Returns null when it does not come in time.
     */
    Event awaitEvent(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (int i = eventCursor; i < events.size(); i++) {
                    if (events.get(i).name().equals(name)) {
                        eventCursor = i + 1;
                        return events.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** Every event received so far, as "NAME data" lines, for failure messages. */
    List<String> eventLog() {
        synchronized (events) {
            return events.stream().map(e -> e.name() + (e.data() == null ? "" : " " + e.data())).toList();
        }
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode message = JSON.readTree(line);
                if (message.has("event")) {
                    synchronized (events) {
                        events.add(new Event(message.get("event").asText(), message.get("data"), Instant.now()));
                        events.notifyAll();
                    }
                } else {
                    replies.add(message);
                }
            }
        } catch (IOException e) {
            // QEMU exited or the test closed the socket: the event list stays as it is.
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
