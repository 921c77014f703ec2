package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.eventually;
import static dev.somnus.runtime.channel.RunningChannel.creationFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jnr.ffi.Pointer;

/** isa-serial on the slave side of a pseudo terminal left in its default (cooked, echoing) mode. */
class IsaSerialTest {

    private static RunningChannel isa(String path) {
        return new RunningChannel(Map.of("method", "isa-serial", "path", path));
    }

    private static boolean raw(Pty pty) {
        try {
            return pty.termios().getInt(Termios.C_LFLAG) == 0;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void switchesTheLineToRawModeLikeQemuGa() throws IOException {
        try (Pty pty = new Pty(); RunningChannel channel = isa(pty.slavePath)) {
            eventually("line switched to raw mode", () -> raw(pty));

            Pointer tio = pty.termios();
            int iflag = tio.getInt(Termios.C_IFLAG);
            assertThat(iflag & (Termios.ICRNL | Termios.IXON | Termios.IXOFF | Termios.INLCR | Termios.IGNCR
                    | Termios.ISTRIP | Termios.BRKINT | Termios.IMAXBEL)).isZero();
            assertThat(tio.getInt(Termios.C_OFLAG)).isZero();
            assertThat(tio.getInt(Termios.C_LFLAG)).isZero();
            assertThat(tio.getInt(Termios.C_CFLAG) & 010017).isEqualTo(Termios.B38400);
            assertThat(tio.getByte(Termios.C_CC + Termios.VMIN)).isEqualTo((byte) 1);
            assertThat(tio.getByte(Termios.C_CC + Termios.VTIME)).isZero();
        }
    }

    @Test
    void passesBytesThroughUntranslatedAndUnechoed() throws IOException {
        try (Pty pty = new Pty(); RunningChannel channel = isa(pty.slavePath)) {
            eventually("line switched to raw mode", () -> raw(pty));

            // Cooked mode would echo, turn \r into \n on input and \n into \r\n on output.
            pty.write("a\rb\n");

            assertThat(pty.read(4)).isEqualTo("a\rb\n");
            assertThat(channel.protocol.opens()).containsExactly("open isa-serial " + pty.slavePath);
        }
    }

    @Test
    void discardsInputThatWasWaitingBeforeTheAgentOpenedThePort() throws IOException {
        try (Pty pty = new Pty()) {
            pty.write("stale\n");
            assertThat(pty.read(7)).isEqualTo("stale\r\n"); // the cooked line's echo
            try (RunningChannel channel = isa(pty.slavePath)) {
                eventually("line switched to raw mode", () -> raw(pty));

                pty.write("fresh\n");

                assertThat(pty.read(6)).isEqualTo("fresh\n");
                assertThat(channel.protocol.lines()).containsExactly("line 1 fresh");
            }
        }
    }

    @Test
    void aMissingPortFailsWithQemuGasText() {
        try (RunningChannel channel = isa("/nonexistent/ttyS9")) {
            channel.awaitEnd();

            assertThat(channel.log.at("error"))
                    .containsExactlyElementsOf(creationFailure("error opening channel '/nonexistent/ttyS9': No such file or directory"));
            assertThat(channel.exits).hasValue(1);
        }
    }

    @Test
    void aDirectoryIsNoPort() {
        try (RunningChannel channel = isa("/tmp")) {
            channel.awaitEnd();

            assertThat(channel.log.at("error")).startsWith("error opening channel '/tmp': Is a directory");
        }
    }

    @Test
    void stopEndsTheThread() throws IOException {
        try (Pty pty = new Pty()) {
            RunningChannel channel = isa(pty.slavePath);
            eventually("line switched to raw mode", () -> raw(pty));

            channel.close();

            assertThat(channel.loop.isAlive()).isFalse();
            assertThat(Path.of(pty.slavePath)).exists();
        }
    }
}
