package dev.somnus.vmtests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's end of the agent's virtio-serial port (QEMU's chardev socket), used the way
 * qga-reference §1.5 prescribes: 0xFF + guest-sync-delimited with a fresh id until that id comes
 * back, skipping stale replies. Replies are newline-terminated JSON; a 0xFF byte before one marks it
 * as the delimited reply. Sends run on their own thread with a timeout, because a write blocks while
 * the guest is not reading the port (before the agent opens it, during a suspend).
 */
final class AgentChannel implements AgentCalls, AutoCloseable {

    /** One reply line from the agent. */
    record Reply(JsonNode json, boolean delimited) {

        boolean isError() {
            return json.has("error");
        }

        JsonNode value() {
            return json.get("return");
        }

        String errorClass() {
            return json.path("error").path("class").asText();
        }

        String errorDesc() {
            return json.path("error").path("desc").asText();
        }

        boolean hasId(long id) {
            return json.has("id") && json.get("id").isIntegralNumber() && json.get("id").asLong() == id;
        }

        @Override
        public String toString() {
            return (delimited ? "\\xff" : "") + json;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    private final SocketChannel channel;
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final List<Reply> seen = new ArrayList<>();
    private final List<String> unparsable = new ArrayList<>();
    private final ExecutorService sender;
    private final AtomicLong nextId = new AtomicLong(1);

    private AgentChannel(SocketChannel channel) {
        this.channel = channel;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "agent-sender");
            t.setDaemon(true);
            return t;
        });
        Thread reader = new Thread(this::readLoop, "agent-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static AgentChannel connect(Path socket, Process qemu, Duration timeout) throws IOException, InterruptedException {
        return new AgentChannel(UnixSockets.connect(socket, qemu, timeout));
    }

    /**
     * Sends 0xFF + guest-sync-delimited every 0.5 s with a fresh id until the reply carrying that id
     * arrives (with the 0xFF sentinel). Returns false if it did not within the timeout.
     */
    boolean sync(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            ObjectNode request = JSON.createObjectNode().put("execute", "guest-sync-delimited");
            request.putObject("arguments").put("id", id);
            // A send that times out is not fatal: the guest is not reading yet, try again.
            trySend(concat(new byte[] {(byte) 0xFF}, line(request)));
            long roundEnd = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
            long left;
            while ((left = roundEnd - System.nanoTime()) > 0) {
                Reply reply = replies.poll(left, TimeUnit.NANOSECONDS);
                if (reply != null && reply.delimited() && reply.value() != null && reply.value().isIntegralNumber()
                        && reply.value().asLong() == id) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Sends a command and waits for the reply carrying its id; fails the test if none comes. */
    @Override
    public Reply call(String command, ObjectNode arguments, Duration timeout) throws IOException, InterruptedException {
        long id = send(command, arguments);
        Reply reply = awaitReply(id, timeout);
        if (reply == null) {
            throw new AssertionError("the agent did not answer " + command + " within " + timeout.toSeconds() + " s");
        }
        return reply;
    }

    /** Sends a command with a fresh id and returns the id; does not wait for a reply. */
    long send(String command, ObjectNode arguments) throws IOException, InterruptedException {
        long id = nextId.getAndIncrement();
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        request.put("id", id);
        if (!trySend(line(request))) {
            throw new AssertionError("could not send " + command + " to the agent within " + SEND_TIMEOUT.toSeconds() + " s");
        }
        return id;
    }

    /** Waits for the reply with that id, skipping others; null if none comes in time. */
    Reply awaitReply(long id, Duration timeout) throws InterruptedException {
        synchronized (seen) {
            for (Reply r : seen) {
                if (r.hasId(id)) {
                    return r;
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Reply reply = replies.poll(left, TimeUnit.NANOSECONDS);
            if (reply != null && reply.hasId(id)) {
                return reply;
            }
        }
        return null;
    }

    /** Whether any reply carrying that id arrived so far (a suspend command must never have one). */
    boolean anyReplyWithId(long id) {
        synchronized (seen) {
            return seen.stream().anyMatch(r -> r.hasId(id));
        }
    }

    /** Everything received so far, for failure messages. */
    String transcript() {
        synchronized (seen) {
            return seen + (unparsable.isEmpty() ? "" : " unparsable: " + unparsable);
        }
    }

    private boolean trySend(byte[] bytes) throws IOException, InterruptedException {
        Future<?> write = sender.submit(() -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            return null;
        });
        try {
            write.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IOException("writing to the agent's socket failed", e.getCause());
        }
    }

    private void readLoop() {
        try (InputStream in = Channels.newInputStream(channel)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean delimited = false;
            int b;
            while ((b = in.read()) != -1) {
                if (b == 0xFF) {
                    delimited = true;
                } else if (b == '\n') {
                    accept(line.toString(StandardCharsets.UTF_8), delimited);
                    line.reset();
                    delimited = false;
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            // QEMU exited (the guest hibernated) or the test closed the socket.
        }
    }

    private void accept(String text, boolean delimited) {
        if (text.isBlank()) {
            return;
        }
        try {
            Reply reply = new Reply(JSON.readTree(text), delimited);
            synchronized (seen) {
                seen.add(reply);
            }
            replies.add(reply);
        } catch (JsonProcessingException e) {
            synchronized (seen) {
                unparsable.add(text);
            }
        }
    }

    private static byte[] line(ObjectNode request) throws JsonProcessingException {
        return (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Override
    public void close() throws IOException {
        sender.shutdownNow();
        channel.close();
    }
}
