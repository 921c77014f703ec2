package dev.somnus.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChannelSettingsTest {

    private static ChannelSettings settings(String... keyValues) throws ChannelFailure {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return ChannelSettings.from(properties::get);
    }

    private static ChannelFailure failure(String... keyValues) {
        return catchThrowableOfType(ChannelFailure.class, () -> settings(keyValues));
    }

    @Test
    void defaultsToTheVirtioPortLikeQemuGa() throws ChannelFailure {
        assertThat(settings()).isEqualTo(
                new ChannelSettings(ChannelMethod.VIRTIO_SERIAL, "/dev/virtio-ports/org.qemu.guest_agent.0", false, null));
    }

    @Test
    void isaSerialDefaultsToTheFirstSerialPort() throws ChannelFailure {
        assertThat(settings("somnus.ga.method", "isa-serial").path()).isEqualTo("/dev/ttyS0");
    }

    @Test
    void takesMethodPathAndRetryPath() throws ChannelFailure {
        assertThat(settings("somnus.ga.method", "unix-listen", "somnus.ga.path", "/run/qga.sock", "somnus.ga.retry-path", "true"))
                .isEqualTo(new ChannelSettings(ChannelMethod.UNIX_LISTEN, "/run/qga.sock", true, null));
        assertThat(settings("somnus.ga.retry-path", "0").retryPath()).isFalse();
        assertThat(settings("somnus.ga.retry-path", "1").retryPath()).isTrue();
        assertThat(settings("somnus.ga.retry-path", "false").retryPath()).isFalse();
    }

    @Test
    void listeningMethodsNeedAPath() {
        assertThat(failure("somnus.ga.method", "unix-listen").lines()).containsExactly("must specify a path for this channel");
        assertThat(failure("somnus.ga.method", "vsock-listen").lines()).containsExactly("must specify a path for this channel");
    }

    @Test
    void anUnknownMethodWithoutPathIsReportedAsMissingPathLikeQemuGa() {
        assertThat(failure("somnus.ga.method", "bogus").lines()).containsExactly("must specify a path for this channel");
    }

    @Test
    void anUnknownMethodWithAPathIsUnsupported() {
        assertThat(failure("somnus.ga.method", "bogus", "somnus.ga.path", "/x").lines())
                .containsExactly("unsupported channel method/type: bogus", "failed to initialize guest agent channel");
    }

    @Test
    void aRetryPathThatIsNoBooleanIsAnError() {
        assertThat(failure("somnus.ga.retry-path", "sometimes").lines())
                .containsExactly("somnus.ga.retry-path must be true or false, not 'sometimes'");
    }
}
