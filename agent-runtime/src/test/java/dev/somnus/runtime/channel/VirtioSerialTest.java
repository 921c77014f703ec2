package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.eventually;
import static dev.somnus.runtime.channel.RunningChannel.creationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virtio-serial without a VM. Two stand-ins for the port:
 * <ul>
 * <li>A regular file behaves like a virtio port whose host side comes and goes: a read at its end
 * returns 0 (EOF), exactly what a port reports while no host process is attached. The channel's
 * replies are written at its read position, so the file ends up as the transcript
 * request, reply, request, reply... as long as the test appends the next request only after the
 * reply arrived.</li>
 * <li>A pseudo terminal (raw mode) behaves like a connected port: a char device that blocks.</li>
 * </ul>
 */
class VirtioSerialTest {

    @TempDir
    Path dir;

    private static RunningChannel virtio(Path path) {
        return new RunningChannel(Map.of("method", "virtio-serial", "path", path.toString()));
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.ISO_8859_1, StandardOpenOption.APPEND);
    }

    private static String content(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void endOfFileIsTransientAndTheSessionSurvivesIt() throws IOException {
        Path port = Files.writeString(dir.resolve("port"), "hel");
        try (RunningChannel channel = virtio(port)) {
            eventually("the channel opened the port", () -> !channel.protocol.opens().isEmpty());
            // The channel has read "hel" and then hits EOF (the host "went away") at least once
            // before the rest of the request shows up.
            append(port, "lo\n");
            eventually("reply to the request split across EOF", () -> content(port).equals("hello\nhello\n"));

            append(port, "again\n");
            eventually("reply after another EOF", () -> content(port).equals("hello\nhello\nagain\nagain\n"));

            assertThat(channel.protocol.opens()).containsExactly("open virtio-serial " + port);
            assertThat(channel.protocol.lines()).containsExactly("line 1 hello", "line 1 again");
            assertThat(channel.exits).hasValue(0);
        }
    }

    @Test
    void stopEndsTheThreadWhileThePortReportsEndOfFile() throws IOException {
        Path port = Files.createFile(dir.resolve("port"));
        RunningChannel channel = virtio(port);
        eventually("the channel opened the port", () -> !channel.protocol.opens().isEmpty());

        channel.close();

        assertThat(channel.loop.isAlive()).isFalse();
        assertThat(channel.exits).hasValue(0);
    }

    @Test
    void servesACharDeviceAndSendsABatchInOneGo() throws IOException {
        try (Pty pty = new Pty()) {
            Termios.makeRaw(pty.posix, pty.master); // a virtio port does no line processing
            try (RunningChannel channel = virtio(Path.of(pty.slavePath))) {
                pty.write("one\ntwo\n");
                assertThat(pty.read(8)).isEqualTo("one\ntwo\n");

                pty.write("three\n");
                assertThat(pty.read(6)).isEqualTo("three\n");
                assertThat(channel.protocol.opens()).containsExactly("open virtio-serial " + pty.slavePath);
            }
        }
    }

    @Test
    void keepsWritingAReplyLargerThanTheDeviceBufferUntilTheHostTookItAll() throws IOException {
        try (Pty pty = new Pty()) {
            Termios.makeRaw(pty.posix, pty.master);
            try (RunningChannel channel = virtio(Path.of(pty.slavePath))) {
                pty.write("big\n");

                // 4 MiB do not fit into the terminal's buffer: the channel must wait for room (EAGAIN)
                String reply = pty.read(EchoProtocol.BIG_REPLY_BYTES + 4);
                assertThat(reply).hasSize(EchoProtocol.BIG_REPLY_BYTES + 4).endsWith("big\n");
                assertThat(reply.chars().limit(EchoProtocol.BIG_REPLY_BYTES)).allMatch(c -> c == 0);

                pty.write("after\n");
                assertThat(pty.read(6)).isEqualTo("after\n");
            }
        }
    }

    @Test
    void stopEndsTheThreadWhileAReplyWaitsForRoom() throws IOException {
        try (Pty pty = new Pty()) {
            Termios.makeRaw(pty.posix, pty.master);
            RunningChannel channel = virtio(Path.of(pty.slavePath));
            pty.write("big\n");
            pty.read(1000); // the reply has started, the rest is stuck until the host reads

            channel.close();

            assertThat(channel.loop.isAlive()).isFalse();
        }
    }

    @Test
    void stopEndsTheThreadWhileWaitingForTheHost() throws IOException {
        try (Pty pty = new Pty()) {
            Termios.makeRaw(pty.posix, pty.master);
            RunningChannel channel = virtio(Path.of(pty.slavePath));
            pty.write("x\n");
            pty.read(2);

            channel.close();

            assertThat(channel.loop.isAlive()).isFalse();
        }
    }

    @Test
    void aMissingPortFailsWithQemuGasTextAndExits() {
        Path port = dir.resolve("org.qemu.guest_agent.0");
        try (RunningChannel channel = virtio(port)) {
            channel.awaitEnd();

            assertThat(channel.log.at("error"))
                    .containsExactlyElementsOf(creationFailure("error opening channel '" + port + "': No such file or directory"));
            assertThat(channel.exits).hasValue(1);
        }
    }

    @Test
    void withRetryPathItWaitsForThePortToAppear() throws IOException {
        Path port = dir.resolve("org.qemu.guest_agent.0");
        Map<String, String> properties = Map.of("path", port.toString(), "retryPath", "true");
        try (RunningChannel channel = new RunningChannel(properties, Duration.ofMillis(20))) {
            eventually("a failed attempt", () -> channel.log.at("warn").contains("agent stopped unexpectedly, restarting..."));
            assertThat(channel.log.at("error")).startsWith("error opening channel '" + port + "': No such file or directory");

            Files.writeString(port, "late\n");
            eventually("served once the port exists", () -> content(port).equals("late\nlate\n"));
            assertThat(channel.exits).hasValue(0);
        }
    }

    @Test
    void aReadErrorEndsTheAgentWithoutRetryPath() {
        // Reading /proc/self/mem at offset 0 fails with EIO: a read error, unlike EOF.
        try (RunningChannel channel = virtio(Path.of("/proc/self/mem"))) {
            channel.awaitEnd();

            assertThat(channel.log.at("error")).singleElement().asString()
                    .startsWith("error on channel /proc/self/mem: ").contains("Input/output error");
            assertThat(channel.exits).hasValue(1);
        }
    }

    @Test
    void aReadErrorReopensThePortWithRetryPath() {
        Map<String, String> properties = Map.of("path", "/proc/self/mem", "retryPath", "true");
        try (RunningChannel channel = new RunningChannel(properties, Duration.ofMillis(20))) {
            eventually("opened three times", () -> channel.protocol.opens().size() >= 3);

            assertThat(channel.log.at("error")).allMatch(line -> line.contains("Input/output error"));
            assertThat(channel.exits).hasValue(0);
        }
    }
}
