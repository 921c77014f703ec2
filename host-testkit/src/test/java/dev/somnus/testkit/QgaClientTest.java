package dev.somnus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host client against a scripted peer standing in for the agent. */
class QgaClientTest {

    @TempDir
    Path tmp;

    private ServerSocketChannel server;
    private SocketChannel agent;
    private QgaClient host;

    @BeforeEach
    void connect() throws Exception {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(tmp.resolve("qga.sock")));
        host = QgaClient.connect(tmp.resolve("qga.sock"), Duration.ofSeconds(5));
        agent = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        host.close();
        agent.close();
        server.close();
    }

    private void agentWrites(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            agent.write(buf);
        }
    }

    /** What the host sent, up to {@code end} (writes may arrive in pieces). */
    private String agentRead(String end) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        String text;
        do {
            agent.read(buf);
            text = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        } while (!text.endsWith(end));
        return text;
    }

    @Test
    void syncSendsTheSentinelAndSkipsToItsOwnAnswer() throws Exception {
        agentWrites("{\"return\": {}}\n\u00ff{\"return\": 1}\n".getBytes(StandardCharsets.ISO_8859_1));
        agentWrites("\u00ff{\"return\": 42}\n{\"return\": \"after\"}\n".getBytes(StandardCharsets.ISO_8859_1));

        host.sync(42);

        assertThat(agentRead("}}")).isEqualTo("\u00ff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":42}}");
        assertThat(host.readLine(Duration.ofSeconds(5))).isEqualTo("{\"return\": \"after\"}");
    }

    @Test
    void aLineIsReadByteForByteAndNoLineWithinTheTimeoutIsNull() throws Exception {
        agentWrites(new byte[] {'{', '}', (byte) 0xC3, (byte) 0xA9, '\n', 'x'});

        assertThat(host.readLine(Duration.ofSeconds(5))).isEqualTo("{}\u00c3\u00a9");
        assertThat(host.readLine(Duration.ofMillis(50))).isNull();
    }

    @Test
    void theAgentClosingTheConnectionIsAnEofNotATimeout() throws Exception {
        agentWrites("{\"return\": 7}\n{\"ret".getBytes(StandardCharsets.US_ASCII));
        agent.shutdownOutput();

        assertThat(host.readLine(Duration.ofSeconds(5))).isEqualTo("{\"return\": 7}");
        assertThatThrownBy(() -> host.readLine(Duration.ofSeconds(5))).isInstanceOf(EOFException.class)
                .hasMessage("the agent closed the connection in the middle of a line: {\"ret");
    }

    @Test
    void aCallWithoutAReplyFailsInWords() throws Exception {
        assertThatThrownBy(() -> host.call("{\"execute\":\"guest-ping\"}", Duration.ofMillis(50)))
                .isInstanceOf(IOException.class).hasMessageStartingWith("no reply to {\"execute\":\"guest-ping\"}");
    }

    @Test
    void aReplyToWhatShouldBeSilentFailsTheAssertion() throws Exception {
        agentWrites("{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}}\n".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> host.assertNoReplyTo("{\"execute\":\"guest-suspend-ram\"}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("GenericError");
        assertThat(agentRead("\"behind\"}")).isEqualTo("{\"execute\":\"guest-suspend-ram\"}"
                + "{\"execute\":\"guest-ping\",\"id\":\"behind\"}");
    }

    @Test
    void silenceThenThePingsReplyPasses() throws Exception {
        agentWrites("{\"return\": {}, \"id\": \"behind\"}\n".getBytes(StandardCharsets.US_ASCII));

        host.assertNoReplyTo("{\"execute\":\"guest-suspend-ram\"}");
    }

    @Test
    void aPeerThatStopsReadingFailsTheSendInsteadOfHangingIt() {
        // far more than a unix socket buffers; nobody reads on the other side
        byte[] lots = new byte[64 << 20];

        assertThatThrownBy(() -> host.sendBytes(lots, Duration.ofMillis(100))).isInstanceOf(IOException.class)
                .hasMessageContaining("the agent took no more bytes");
    }
}
