package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.eventually;
import static dev.somnus.runtime.channel.RunningChannel.creationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * vsock-listen needs AF_VSOCK in the kernel (skipped otherwise). Without a vsock loopback transport
 * (the vsock_loopback module, not loaded here and not ours to load) nothing can connect from
 * inside the guest, so these tests cover listening, the error texts and stopping; the accept loop
 * itself is tested on an AF_UNIX socket in {@link SocketListenerTest}.
 */
class VsockListenTest {

    @BeforeAll
    static void vsockAvailable() {
        boolean available;
        try {
            Posix posix = Posix.libc();
            posix.close(posix.socket(Posix.AF_VSOCK, Posix.SOCK_STREAM | Posix.O_CLOEXEC));
            available = true;
        } catch (java.io.IOException e) {
            available = false;
        }
        assumeTrue(available, "AF_VSOCK is not available in this kernel");
    }

    private static RunningChannel vsock(String address) {
        return new RunningChannel(Map.of("method", "vsock-listen", "path", address));
    }

    private static int freshPort() {
        return ThreadLocalRandom.current().nextInt(20000, 60000);
    }

    @Test
    void listensOnAnyCidAndStopsPromptly() {
        String address = "4294967295:" + freshPort();
        RunningChannel channel = vsock(address);
        eventually("listening", () -> channel.log.at("info").contains("serving vsock-listen on " + address));

        channel.close();

        assertThat(channel.loop.isAlive()).isFalse();
        assertThat(channel.log.at("error")).isEmpty();
        assertThat(channel.exits).hasValue(0);
    }

    @Test
    void aPortInUseFailsWithQemuGasBindText() {
        String address = "4294967295:" + freshPort();
        try (RunningChannel first = vsock(address)) {
            eventually("listening", () -> first.log.at("info").contains("serving vsock-listen on " + address));
            try (RunningChannel second = vsock(address)) {
                second.awaitEnd();

                assertThat(second.log.at("error"))
                        .containsExactlyElementsOf(creationFailure("Failed to bind socket: Address already in use"));
                assertThat(second.exits).hasValue(1);
            }
        }
    }

    @Test
    void aCidThatIsNotOursFailsWithQemuGasBindText() {
        // Checked against qemu-ga 7.2.22: -m vsock-listen -p 77:5000
        try (RunningChannel channel = vsock("77:5000")) {
            channel.awaitEnd();

            assertThat(channel.log.at("error"))
                    .containsExactlyElementsOf(creationFailure("Failed to bind socket: Cannot assign requested address"));
        }
    }

    @Test
    void anUnparsableAddressFailsBeforeAnySocketIsMade() {
        try (RunningChannel channel = vsock("foo")) {
            channel.awaitEnd();

            assertThat(channel.log.at("error"))
                    .containsExactlyElementsOf(creationFailure("error parsing address 'foo'"));
            assertThat(channel.exits).hasValue(1);
        }
    }
}
