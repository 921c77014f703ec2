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
        assertThat(settings("method", "isa-serial").path()).isEqualTo("/dev/ttyS0");
    }

    @Test
    void takesMethodPathAndRetryPath() throws ChannelFailure {
        assertThat(settings("method", "unix-listen", "path", "/run/qga.sock", "retryPath", "true"))
                .isEqualTo(new ChannelSettings(ChannelMethod.UNIX_LISTEN, "/run/qga.sock", true, null));
        assertThat(settings("retryPath", "0").retryPath()).isFalse();
        assertThat(settings("retryPath", "1").retryPath()).isTrue();
        assertThat(settings("retryPath", "false").retryPath()).isFalse();
    }

    @Test
    void listeningMethodsNeedAPath() {
        assertThat(failure("method", "unix-listen").lines()).containsExactly("must specify a path for this channel");
        assertThat(failure("method", "vsock-listen").lines()).containsExactly("must specify a path for this channel");
    }

    @Test
    void anUnknownMethodWithoutPathIsReportedAsMissingPathLikeQemuGa() {
        assertThat(failure("method", "bogus").lines()).containsExactly("must specify a path for this channel");
    }

    @Test
    void anUnknownMethodWithAPathIsUnsupported() {
        assertThat(failure("method", "bogus", "path", "/x").lines())
                .containsExactly("unsupported channel method/type: bogus", "failed to initialize guest agent channel");
    }

    @Test
    void aRetryPathThatIsNoBooleanIsAnError() {
        assertThat(failure("retryPath", "sometimes").lines())
                .containsExactly("retryPath must be true or false, not 'sometimes'");
    }
}
