package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.eventually;
import static dev.somnus.runtime.channel.RunningChannel.creationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixListenTest {

    @TempDir
    Path dir;

    private Path socket() {
        return dir.resolve("qga.sock");
    }

    private RunningChannel listen(Path path) {
        return new RunningChannel(Map.of("method", "unix-listen", "path", path.toString()));
    }

    private RunningChannel listening() {
        RunningChannel channel = listen(socket());
        eventually("socket file appears", () -> Files.exists(socket()));
        return channel;
    }

    private static boolean isSocket(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket()));
    }

    private static void send(SocketChannel client, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    /** Reads until exactly {@code count} bytes arrived (blocking; the client waits for the agent). */
    private static String receive(SocketChannel client, int count) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(count);
        while (bytes.hasRemaining()) {
            if (client.read(bytes) < 0) {
                break;
            }
        }
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void answersAClient() throws IOException {
        try (RunningChannel channel = listening(); SocketChannel client = connect()) {
            send(client, "ping\n");

            assertThat(receive(client, 5)).isEqualTo("ping\n");
        }
    }

    @Test
    void sendsEveryReplyOfAPipelinedBatch() throws IOException {
        try (RunningChannel channel = listening(); SocketChannel client = connect()) {
            send(client, "a\nbb\nccc\n");

            assertThat(receive(client, 9)).isEqualTo("a\nbb\nccc\n");
        }
    }

    @Test
    void servesASecondClientOnlyAfterTheFirstHasGone() throws IOException {
        try (RunningChannel channel = listening()) {
            SocketChannel first = connect();
            SocketChannel second = connect(); // accepted by the kernel (backlog), not yet by the agent
            send(second, "second\n");
            send(first, "first\n");
            assertThat(receive(first, 6)).isEqualTo("first\n");

            first.close();
            assertThat(receive(second, 7)).isEqualTo("second\n");
            second.close();

            // The request the second client sent first was only read once the first client was done.
            assertThat(channel.protocol.lines()).containsExactly("line 1 first", "line 2 second");
        }
    }

    @Test
    void givesEachConnectionAFreshSession() throws IOException {
        // qemu-ga would complete the first client's half request with the second client's bytes
        // (qga-reference §1.5, V27); here the second client starts clean.
        try (RunningChannel channel = listening()) {
            try (SocketChannel first = connect()) {
                send(first, "hal");
            }
            try (SocketChannel second = connect()) {
                send(second, "lo\n");
                assertThat(receive(second, 3)).isEqualTo("lo\n");
            }
            assertThat(channel.protocol.opens()).hasSize(2);
            assertThat(channel.protocol.lines()).containsExactly("line 2 lo");
        }
    }

    @Test
    void namesThePeerByUidAndGid() throws IOException {
        Path mine = Files.createFile(dir.resolve("mine"));
        int uid = (Integer) Files.getAttribute(mine, "unix:uid");
        int gid = (Integer) Files.getAttribute(mine, "unix:gid");
        try (RunningChannel channel = listening(); SocketChannel client = connect()) {
            send(client, "x\n");
            receive(client, 2);

            assertThat(channel.protocol.opens()).containsExactly("open unix uid=" + uid + " gid=" + gid);
        }
    }

    @Test
    void createsTheSocketOwnerOnlyAndLeavesNoStagingDirectory() throws IOException {
        try (RunningChannel channel = listening()) {
            assertThat(Files.getPosixFilePermissions(socket())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(isSocket(socket())).isTrue(); // a socket, neither file nor directory
            try (Stream<Path> entries = Files.list(dir)) {
                assertThat(entries).containsExactly(socket());
            }
        }
    }

    @Test
    void replacesAnExistingFileAtThePath() throws IOException {
        Files.writeString(socket(), "old");
        try (RunningChannel channel = listen(socket())) {
            eventually("socket replaces the file", () -> isSocket(socket()));
            try (SocketChannel client = connect()) {
                send(client, "x\n");
                assertThat(receive(client, 2)).isEqualTo("x\n");
            }
        }
    }

    @Test
    void leavesTheSocketFileBehindWhenStoppedLikeQemuGa() {
        RunningChannel channel = listening();

        channel.close();

        assertThat(Files.exists(socket())).isTrue();
        assertThat(channel.loop.isAlive()).isFalse();
    }

    @Test
    void keepsServingWhenAClientLeavesWithoutReadingItsReply() throws IOException, InterruptedException {
        try (RunningChannel channel = listening()) {
            SocketChannel leaving = connect();
            send(leaving, "hold\n");
            channel.protocol.holding.await();
            leaving.close();
            channel.protocol.release(); // the reply now goes to a closed socket: EPIPE

            try (SocketChannel next = connect()) {
                send(next, "still there\n");
                assertThat(receive(next, 12)).isEqualTo("still there\n");
            }
            assertThat(channel.log.at("info")).anyMatch(line -> line.startsWith("connection of unix") && line.contains("ended"));
            assertThat(channel.exits).hasValue(0);
        }
    }

    @Test
    void keepsServingWhenAClientLeavesDuringAHugeReply() throws IOException {
        try (RunningChannel channel = listening()) {
            try (SocketChannel leaving = connect()) {
                send(leaving, "big\n");
                receive(leaving, 1000); // read a little of the 4 MiB, then go away
            }
            try (SocketChannel next = connect()) {
                send(next, "ok\n");
                assertThat(receive(next, 3)).isEqualTo("ok\n");
            }
            assertThat(channel.exits).hasValue(0);
        }
    }

    @Test
    void stopEndsTheThreadWhileAClientIsConnected() throws IOException {
        RunningChannel channel = listening();
        try (SocketChannel client = connect()) {
            send(client, "x\n");
            receive(client, 2);

            channel.close();

            assertThat(channel.loop.isAlive()).isFalse();
            assertThat(receive(client, 1)).isEmpty(); // the agent closed the connection
        }
    }

    @Test
    void stopEndsTheThreadWhileWaitingForAClient() {
        RunningChannel channel = listening();

        channel.close();

        assertThat(channel.loop.isAlive()).isFalse();
        assertThat(channel.exits).hasValue(0);
    }

    @Test
    void aMissingDirectoryFailsWithQemuGasBindTextAndExits() {
        Path path = dir.resolve("missing/qga.sock");
        try (RunningChannel channel = listen(path)) {
            channel.awaitEnd();

            assertThat(channel.log.at("error"))
                    .containsExactlyElementsOf(creationFailure("Failed to bind socket to " + path + ": No such file or directory"));
            assertThat(channel.exits).hasValue(1);
        }
    }

    @Test
    void aDirectoryAtThePathCannotBeUnlinked() throws IOException {
        Path path = Files.createDirectory(dir.resolve("d"));
        try (RunningChannel channel = listen(path)) {
            channel.awaitEnd();

            assertThat(channel.log.at("error"))
                    .containsExactlyElementsOf(creationFailure("Failed to unlink socket " + path + ": Is a directory"));
            assertThat(channel.exits).hasValue(1);
            assertThat(Files.isDirectory(path)).isTrue();
        }
    }

    @Test
    void aTooLongPathIsRejectedWithQemuGasText() {
        Path path = dir.resolve("x".repeat(120));
        try (RunningChannel channel = listen(path)) {
            channel.awaitEnd();

            assertThat(channel.log.at("error"))
                    .containsExactlyElementsOf(creationFailure("UNIX socket path '" + path + "' is too long"));
        }
    }

    @Test
    void withoutAPathNothingIsOpenedAndTheAgentExits() {
        try (RunningChannel channel = new RunningChannel(Map.of("method", "unix-listen"))) {
            channel.awaitEnd();

            assertThat(channel.log.at("error")).containsExactly("must specify a path for this channel");
            assertThat(channel.exits).hasValue(1);
        }
    }

    @Test
    void withRetryPathItKeepsTryingUntilTheDirectoryExists() throws IOException {
        Path parent = dir.resolve("later");
        Path path = parent.resolve("qga.sock");
        Map<String, String> properties = Map.of("method", "unix-listen", "path", path.toString(),
                "retryPath", "true");
        try (RunningChannel channel = new RunningChannel(properties, Duration.ofMillis(20))) {
            eventually("two failed attempts", () -> channel.log.at("error").size() >= 6);
            assertThat(channel.log.at("error")).startsWith(
                    "Failed to bind socket to " + path + ": No such file or directory",
                    "failed to create guest agent channel",
                    "failed to initialize guest agent channel",
                    "Failed to bind socket to " + path + ": No such file or directory");
            assertThat(channel.log.at("warn")).contains("agent stopped unexpectedly, restarting...");

            Files.createDirectory(parent);
            eventually("socket file appears", () -> Files.exists(path));
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                client.connect(UnixDomainSocketAddress.of(path));
                send(client, "up\n");
                assertThat(receive(client, 3)).isEqualTo("up\n");
            }
            assertThat(channel.exits).hasValue(0);
        }
    }

    @Test
    void stopEndsTheWaitBetweenRetries() {
        Map<String, String> properties = Map.of("method", "unix-listen",
                "path", dir.resolve("missing/qga.sock").toString(), "retryPath", "true");
        RunningChannel channel = new RunningChannel(properties, Duration.ofHours(1));
        eventually("first attempt failed", () -> channel.log.at("warn").contains("agent stopped unexpectedly, restarting..."));

        channel.close();

        assertThat(channel.loop.isAlive()).isFalse();
        assertThat(channel.exits).hasValue(0);
    }
}
