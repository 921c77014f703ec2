package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jnr.ffi.LibraryLoader;

/**
 * Socket activation with descriptors placed where the test wants them (dup2 onto high numbers),
 * since this JVM was not started by systemd with a socket at descriptor 3. The failure texts were
 * checked against qemu-ga 7.2.22 started with LISTEN_PID/LISTEN_FDS and a closed fd 3, a file, two
 * files, and an AF_INET socket at fd 3.
 */
class SocketActivationTest {

    private static final TestLibC LIBC = LibraryLoader.create(TestLibC.class).load("c");
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final Posix posix = libc();
    private final List<Integer> descriptors = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>(Map.of("LISTEN_PID", Long.toString(PID), "LISTEN_FDS", "1"));

    private static Posix libc() {
        try {
            return Posix.libc();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void closeDescriptors() {
        descriptors.forEach(posix::close);
    }

    /** Puts a copy of {@code fd} at {@code target}, as systemd would hand it over. */
    private int place(int fd, int target) {
        assertThat(LIBC.dup2(fd, target)).isEqualTo(target);
        posix.close(fd);
        descriptors.add(target);
        return target;
    }

    private int unixListener(Path path, int target) throws IOException {
        int fd = posix.socket(Posix.AF_UNIX, Posix.SOCK_STREAM);
        jnr.ffi.Pointer address = posix.allocate(110);
        address.putShort(0, (short) Posix.AF_UNIX);
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        address.put(2, bytes, 0, bytes.length);
        posix.bind(fd, address, 110);
        posix.listen(fd, 1);
        return place(fd, target);
    }

    private Optional<SocketActivation> detect(int firstFd) throws ChannelFailure {
        return SocketActivation.detect(environment::get, PID, firstFd);
    }

    private ChannelFailure failure(int firstFd) {
        return catchThrowableOfType(ChannelFailure.class, () -> detect(firstFd));
    }

    @Test
    void notActivatedWithoutSystemdVariables() throws ChannelFailure {
        environment.clear();

        assertThat(detect(700)).isEmpty();
    }

    @Test
    void notActivatedWhenTheVariablesNameAnotherProcess() throws ChannelFailure {
        environment.put("LISTEN_PID", Long.toString(PID + 1));

        assertThat(detect(700)).isEmpty();
    }

    @Test
    void notActivatedWithoutDescriptors() throws ChannelFailure {
        environment.put("LISTEN_FDS", "0");
        assertThat(detect(700)).isEmpty();
        environment.put("LISTEN_FDS", "x");
        assertThat(detect(700)).isEmpty();
    }

    @Test
    void aUnixSocketIsServedAsUnixListenAndKeepsNoDescriptorForChildren() throws IOException, ChannelFailure {
        int fd = unixListener(dir.resolve("activated.sock"), 700);

        assertThat(detect(fd)).contains(new SocketActivation(fd, ChannelMethod.UNIX_LISTEN));
        assertThat(posix.fcntl(fd, Posix.F_GETFD, 0) & Posix.FD_CLOEXEC).isEqualTo(Posix.FD_CLOEXEC);
    }

    @Test
    void twoSocketsAreRefusedLikeQemuGa() throws IOException {
        unixListener(dir.resolve("a.sock"), 710);
        unixListener(dir.resolve("b.sock"), 711);
        environment.put("LISTEN_FDS", "2");

        assertThat(failure(710).lines()).containsExactly("qemu-ga only supports listening on one socket");
    }

    @Test
    void aMissingDescriptorFailsActivation() {
        assertThat(failure(720).lines())
                .containsExactly("Socket activation failed: invalid file descriptor fd = 720: Bad file descriptor");
    }

    @Test
    void aDescriptorThatIsNoSocketIsUnsupported() throws IOException {
        Path file = Files.createFile(dir.resolve("file"));
        int fd = place(posix.open(file.toString(), Posix.O_RDWR), 730);

        assertThat(failure(fd).lines()).containsExactly("unsupported listen fd type");
    }

    @Test
    void anInternetSocketIsUnsupported() throws IOException {
        int fd = place(posix.socket(2 /* AF_INET */, Posix.SOCK_STREAM), 740);

        assertThat(failure(fd).lines()).containsExactly("unsupported listen fd type");
    }

    @Test
    void servesTheInheritedSocketAndLeavesItOpenWhenStopped() throws IOException, ChannelFailure {
        Path path = dir.resolve("activated.sock");
        int fd = unixListener(path, 750);
        Optional<SocketActivation> activation = detect(fd);
        RecordingLogger log = new RecordingLogger();
        EchoProtocol protocol = new EchoProtocol();
        // -m/-p say something else entirely: activation overrides them, as in qemu-ga
        Map<String, String> properties = Map.of("method", "isa-serial", "path", "/nonexistent");
        ChannelLoop loop = new ChannelLoop(() -> ChannelSettings.from(properties::get, activation), protocol, log.logger,
                Duration.ofHours(1), () -> {
                    throw new AssertionError("must not exit");
                });
        loop.start();
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            client.write(ByteBuffer.wrap("hi\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(3);
            while (reply.hasRemaining() && client.read(reply) >= 0) {
                // echo
            }
            assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("hi\n");
        } finally {
            loop.stop();
        }

        assertThat(loop.isAlive()).isFalse();
        eventually("one session", () -> protocol.opens().size() == 1);
        assertThat(protocol.opens().get(0)).matches("open unix uid=\\d+ gid=\\d+");
        assertThat(log.at("info")).contains("serving unix-listen on fd " + fd);
        assertThat(posix.fcntl(fd, Posix.F_GETFD, 0)).isNotNegative(); // still ours to serve again
    }
}
