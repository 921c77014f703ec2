package dev.somnus.clock.rtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.clock.ClockFamily;
import dev.somnus.clock.SystemClock;
import dev.somnus.clock.SystemClockException;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The RTC provider's two modes on the ioctl seam (an RTC in memory) and a fake system clock. */
class RtcMethodTest {

    private static final Path DEVICE = Path.of("/fake/rtc0");
    /** 2025-12-04T18:00:00.499999999Z and .5Z */
    private static final long JUST_BELOW_HALF = 1_764_871_200_499_999_999L;
    private static final long HALF = 1_764_871_200_500_000_000L;

    private final FakeRtcDevice rtc = new FakeRtcDevice(DEVICE, LocalDateTime.of(2024, 2, 29, 23, 59, 58));
    private final List<Long> clockSets = new CopyOnWriteArrayList<>();
    private volatile SystemClock clock = clockSets::add;
    private final Map<String, ProviderMethod> methods = RtcProvider.methods(
            Configs.of(RtcProvider.Config.class, "device", DEVICE.toString()), rtc, () -> clock);

    @Test
    void setWritesTheRequestedTimeInUtcRoundedToTheNearestSecond() throws Exception {
        Outcome outcome = methods.get("set").perform(Map.of(ClockFamily.TIME, JUST_BELOW_HALF));
        assertThat(outcome.done()).isTrue();
        assertThat(rtc.time).isEqualTo(LocalDateTime.of(2025, 12, 4, 18, 0, 0));
        assertThat(outcome.sentence()).isEqualTo("RTC_SET_TIME 2025-12-04T18:00 (UTC) on /fake/rtc0");

        methods.get("set").perform(Map.of(ClockFamily.TIME, HALF));
        assertThat(rtc.time).isEqualTo(LocalDateTime.of(2025, 12, 4, 18, 0, 1));
        assertThat(clockSets).as("the command sets the system clock, not the provider").isEmpty();
    }

    @Test
    void syncSetsTheSystemClockToTheRtcsUtcTime() throws Exception {
        Outcome outcome = methods.get("sync").perform(Map.of());

        assertThat(outcome.done()).isTrue();
        assertThat(clockSets).containsExactly(1_709_251_198L * 1_000_000_000L);
        assertThat(outcome.sentence()).isEqualTo("the system clock was set to 2024-02-29T23:59:58 (UTC), read from "
                + "/fake/rtc0");
        assertThat(rtc.calls).containsExactly("RTC_RD_TIME /fake/rtc0");
    }

    @Test
    void theActionsNameTheIoctlsAndTheDevice() throws Exception {
        assertThat(methods.get("set").action(Map.of(ClockFamily.TIME, HALF)))
                .isEqualTo("RTC_SET_TIME 2025-12-04T18:00:01 (UTC) on /fake/rtc0");
        assertThat(methods.get("sync").action(Map.of()))
                .isEqualTo("RTC_RD_TIME on /fake/rtc0, then set the system clock to it");
        assertThat(rtc.calls).isEmpty();
    }

    @Test
    void availableWhileTheRtcAnswersAndForSetAlsoWhenItHoldsNoValidTime() throws Exception {
        Availability set = methods.get("set").probe();
        assertThat(set.available()).isTrue();
        assertThat(set.sentence()).isEqualTo("RTC_RD_TIME on /fake/rtc0 answered 2024-02-29T23:59:58 (UTC)");

        rtc.readError = new RtcDevice.RtcException(22, "RTC_RD_TIME on /fake/rtc0 failed: Invalid argument");
        assertThat(methods.get("set").probe().available()).isTrue();
        Availability sync = methods.get("sync").probe();
        assertThat(sync.available()).isFalse();
        assertThat(sync.reason()).isEqualTo(Reasons.INTERFACE_UNREADABLE);
        assertThat(sync.sentence()).isEqualTo("RTC_RD_TIME on /fake/rtc0 failed: Invalid argument");

        rtc.readError = new RtcDevice.RtcException(25, "RTC_RD_TIME on /fake/rtc0 failed: Inappropriate ioctl for device");
        assertThat(methods.get("set").probe().available()).isFalse();
        assertThat(rtc.calls).noneMatch(call -> call.startsWith("RTC_SET_TIME"));
    }

    @Test
    void aMissingDeviceIsUnavailable() throws Exception {
        Map<String, ProviderMethod> elsewhere = RtcProvider.methods(
                Configs.of(RtcProvider.Config.class, "device", "/fake/rtc1"), rtc, () -> clock);
        Availability answer = elsewhere.get("sync").probe();
        assertThat(answer.available()).isFalse();
        assertThat(answer.sentence()).isEqualTo("cannot open /fake/rtc1: No such file or directory");
    }

    @Test
    void failuresAreOutcomesNamingTheCause() throws Exception {
        rtc.writeError = new RtcDevice.RtcException(1, "RTC_SET_TIME on /fake/rtc0 failed: Operation not permitted");
        Outcome write = methods.get("set").perform(Map.of(ClockFamily.TIME, HALF));
        assertThat(write.done()).isFalse();
        assertThat(write.reason()).isEqualTo(Reasons.WRITE_FAILED);
        assertThat(write.sentence()).isEqualTo("RTC_SET_TIME on /fake/rtc0 failed: Operation not permitted");

        clock = nanos -> {
            throw new SystemClockException(1, "Operation not permitted");
        };
        Outcome refused = methods.get("sync").perform(Map.of());
        assertThat(refused.done()).isFalse();
        assertThat(refused.sentence()).isEqualTo("the system clock refused 2024-02-29T23:59:58 (UTC) read from "
                + "/fake/rtc0: Operation not permitted");

        clock = null;
        assertThat(methods.get("sync").perform(Map.of()).sentence())
                .isEqualTo("no SystemClock service: the agent may not set the system clock");

        rtc.readError = new RtcDevice.RtcException(22, "RTC_RD_TIME on /fake/rtc0 failed: Invalid argument");
        assertThat(methods.get("sync").perform(Map.of()).sentence())
                .isEqualTo("RTC_RD_TIME on /fake/rtc0 failed: Invalid argument");
    }

    @Test
    void theDefaultsAreTheFirstRtcAndRank100() {
        RtcProvider.Config defaults = Configs.of(RtcProvider.Config.class);
        assertThat(defaults.device()).isEqualTo("/dev/rtc0");
        assertThat(RtcProvider.settings(defaults).baseRank()).isEqualTo(100);
        assertThat(RtcProvider.settings(defaults).provider()).isEqualTo("rtc");
    }
}
