package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * somnus-gactl against a scripted agent that behaves like qemu-ga 7.2 on the wire (qga-reference
 * §1.5): an error reply for the flush byte, stale output from an earlier client, then the sentinel.
 */
class GactlTest {

    private static final Pattern SYNC_ID = Pattern.compile("\"id\":(\\d+)");

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private Thread agent;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void listen() throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("agent.sock")));
        agent = new Thread(this::serve, "fake-agent");
        agent.setDaemon(true);
        agent.start();
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        agent.join(10_000);
    }

    /** One client; answers line by line; the suspend family answers nothing, as on success. */
    private void serve() {
        try (SocketChannel client = server.accept()) {
            StringBuilder line = new StringBuilder();
            ByteBuffer in = ByteBuffer.allocate(1);
            while (client.read(in.clear()) > 0) {
                int b = in.get(0) & 0xFF;
                if (b == 0xFF) {
                    write(client, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n");
                    // leftovers of an earlier client, including an old handshake with another id
                    write(client, "{\"return\": {}, \"id\": 5}\n\u00ff{\"return\": 1}\n");
                    continue;
                }
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String request = line.toString();
                line.setLength(0);
                received.add(request);
                Matcher sync = SYNC_ID.matcher(request);
                if (request.contains("guest-sync-delimited") && sync.find()) {
                    write(client, "\u00ff{\"return\": " + sync.group(1) + "}\n");
                } else if (request.contains("guest-ping")) {
                    write(client, "{\"return\": {}}\n");
                } else if (request.contains("guest-suspend")) {
                    // success: no reply at all (qga-reference §1.6)
                } else if (request.contains("guest-shutdown")) {
                    return; // success, and the agent is gone
                } else {
                    write(client, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command x has not been found\"}}\n");
                }
            }
        } catch (IOException e) {
            // the test closed the server
        }
    }

    private static void write(SocketChannel client, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    private int gactl(String... args) {
        return Gactl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String socket() {
        return dir.resolve("agent.sock").toString();
    }

    @Test
    void aBareNameIsSentAsExecuteAndTheReplyPrinted() {
        assertThat(gactl("-p", socket(), "guest-ping")).isEqualTo(Gactl.OK);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"return\": {}}\n");
        assertThat(received).hasSize(2);
        assertThat(received.get(0)).startsWith("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":");
        assertThat(received.get(1)).isEqualTo("{\"execute\":\"guest-ping\"}");
    }

    @Test
    void anErrorReplyIsPrintedWithStatus1() {
        assertThat(gactl("--path=" + socket(), "{\"execute\":\"x\"}")).isEqualTo(Gactl.ERROR_REPLY);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"CommandNotFound\"");
        assertThat(received.get(1)).isEqualTo("{\"execute\":\"x\"}");
    }

    @Test
    void silenceIsReportedWithItsOwnStatus() {
        assertThat(gactl("-p", socket(), "--timeout", "300", "guest-suspend-ram")).isEqualTo(Gactl.NO_REPLY);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("no reply within 300 ms\n");
    }

    @Test
    void anAgentThatGoesAwayIsNoReplyToo() {
        assertThat(gactl("-p", socket(), "guest-shutdown")).isEqualTo(Gactl.NO_REPLY);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("no reply: the agent closed the connection\n");
    }

    @Test
    void aMissingSocketIsAConnectionFailure() {
        assertThat(gactl("-p", dir.resolve("none.sock").toString(), "guest-ping")).isEqualTo(Gactl.FAILED);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("none.sock: No such file or directory");
    }

    @Test
    void badUsageShowsTheUsage() {
        assertThat(gactl("guest-ping")).isEqualTo(Gactl.FAILED);
        assertThat(gactl("-p", socket(), "--timeout", "soon", "guest-ping")).isEqualTo(Gactl.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: somnus-gactl -p SOCKET")
                .contains("--timeout takes milliseconds, not 'soon'");
    }

    @Test
    void onlyTheSentinelReplyWithOurIdEndsTheHandshake() {
        assertThat(AgentConnection.isSyncReply("{\"return\": 42}", 42)).isTrue();
        assertThat(AgentConnection.isSyncReply("{\"return\": 42}", 1)).isFalse();
        assertThat(AgentConnection.isSyncReply("{\"return\": 42, \"id\": 3}", 42)).isFalse();
        assertThat(Gactl.request(" guest-info ")).isEqualTo("{\"execute\":\"guest-info\"}");
        assertThat(Gactl.request("{'execute':'guest-ping'}")).isEqualTo("{'execute':'guest-ping'}");
    }
}
