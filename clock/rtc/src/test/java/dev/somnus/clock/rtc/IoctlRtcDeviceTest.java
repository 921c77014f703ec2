package dev.somnus.clock.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ioctls, but only ever on plain files under a temporary folder: a plain file is no RTC,
 * so the kernel answers ENOTTY and nothing is set. Never a /dev/rtc* node.
 */
class IoctlRtcDeviceTest {

    @TempDir
    Path dir;

    private final IoctlRtcDevice device = new IoctlRtcDevice();

    @Test
    void aPlainFileAnswersEnotty() throws Exception {
        Path file = Files.writeString(dir.resolve("rtc0"), "");
        assertThat(Files.isRegularFile(file)).isTrue();

        assertThatThrownBy(() -> device.read(file)).isInstanceOf(RtcDevice.RtcException.class)
                .hasMessage("RTC_RD_TIME on " + file + " failed: Inappropriate ioctl for device")
                .extracting(e -> ((RtcDevice.RtcException) e).errno()).isEqualTo(25);
        assertThatThrownBy(() -> device.write(file, LocalDateTime.of(2025, 12, 4, 18, 0)))
                .hasMessage("RTC_SET_TIME on " + file + " failed: Inappropriate ioctl for device");
        assertThat(Files.readString(file)).isEmpty();
    }

    @Test
    void aMissingDeviceCannotBeOpened() {
        Path missing = dir.resolve("rtc9");
        assertThatThrownBy(() -> device.read(missing))
                .hasMessage("cannot open " + missing + ": No such file or directory");
    }
}
