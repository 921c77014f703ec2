package dev.somnus.clock.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.clock.ClockFamily;
import dev.somnus.clock.SystemClockException;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeProvider;
import dev.somnus.provider.common.NoLogger;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/**
 * guest-set-time on fake providers and a fake system clock: qemu-ga 7.2's order (hwclock checked
 * before anything, the time checked, the system clock set, then the RTC), its texts, the
 * fall-through between providers, and the dry run's explanation.
 */
class GuestSetTimeTest {

    private static final long TIME = 1_764_871_200_123_456_789L;
    private static final String NOT_SUPPORTED = "this feature or command is not currently supported";

    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final FakeSystemClock clock = new FakeSystemClock();
    private final GuestSetTime command = new GuestSetTime(Configs.of(ClockSettings.class, "staleAfterSeconds", 0),
            NoLogger.create());

    private FakeProvider provider(String name, String mode, int rank, long id, boolean available) {
        FakeProvider provider = new FakeProvider(journal, name, ClockFamily.FAMILY, mode, rank, id, available);
        command.addProvider(provider, reference(provider));
        return provider;
    }

    /** A ServiceReference that reads the fake's live properties, as the registry's would. */
    @SuppressWarnings("unchecked")
    private static ServiceReference<Provider> reference(FakeProvider provider) {
        return (ServiceReference<Provider>) Proxy.newProxyInstance(GuestSetTimeTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class},
                (self, method, args) -> "getProperty".equals(method.getName()) ? provider.properties.get(args[0]) : null);
    }

    /** hwclock and rtc for both modes; returns hwclock's set provider. */
    private FakeProvider bothProviders() {
        FakeProvider hwclockSet = provider("hwclock", ClockFamily.SET, 200, 1, true);
        provider("hwclock", ClockFamily.SYNC, 200, 2, true);
        provider("rtc", ClockFamily.SET, 100, 3, true);
        provider("rtc", ClockFamily.SYNC, 100, 4, true);
        command.setSystemClock(clock);
        return hwclockSet;
    }

    private List<String> performed() {
        return journal.stream().filter(line -> line.startsWith("perform ")).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void declaresOneOptionalIntegerAndAnswersEmptyObject() throws Exception {
        assertThat(command.name()).isEqualTo("guest-set-time");
        assertThat(command.parameters()).containsExactly(Parameter.optional("time", JsonType.INTEGER));
        assertThat(command.successResponse()).isTrue();
        bothProviders();
        assertThat(command.execute(Map.of("time", TIME))).isEqualTo(Map.of());
    }

    @Test
    void withATimeTheSystemClockIsSetThenTheTopProviderWritesTheRtc() throws Exception {
        bothProviders();

        command.execute(Map.of("time", TIME));

        assertThat(clock.sets).containsExactly(TIME);
        assertThat(performed()).containsExactly("perform hwclock {time=" + TIME + "}");
    }

    @Test
    void withoutATimeTheTopSyncProviderSetsTheSystemClockFromTheRtc() throws Exception {
        bothProviders();

        command.execute(Map.of());

        assertThat(clock.sets).isEmpty();
        assertThat(performed()).containsExactly("perform hwclock");
    }

    @Test
    void noProviderOfTheModeIsQemuGasMissingHwclockAndNothingIsSet() {
        provider("hwclock", ClockFamily.SYNC, 200, 2, true);
        provider("rtc", ClockFamily.SET, 100, 3, false);
        command.setSystemClock(clock);

        assertThatThrownBy(() -> command.execute(Map.of("time", TIME))).isInstanceOf(CommandException.class)
                .hasMessage(NOT_SUPPORTED);
        // qemu-ga checks /sbin/hwclock before the time: a bad time is not looked at either
        assertThatThrownBy(() -> command.execute(Map.of("time", -5_000_000_000L))).hasMessage(NOT_SUPPORTED);
        assertThat(clock.sets).isEmpty();
        assertThat(performed()).isEmpty();
    }

    @Test
    void withoutASystemClockServiceNeitherModeDoesAnything() {
        provider("hwclock", ClockFamily.SET, 200, 1, true);
        provider("hwclock", ClockFamily.SYNC, 200, 2, true);

        assertThatThrownBy(() -> command.execute(Map.of("time", TIME))).hasMessage(NOT_SUPPORTED);
        assertThatThrownBy(() -> command.execute(Map.of())).hasMessage(NOT_SUPPORTED);
        assertThatThrownBy(() -> command.explain(Map.of())).hasMessage(NOT_SUPPORTED);
        assertThat(performed()).isEmpty();
    }

    @Test
    void aSystemClockThatGoesAwayIsNoLongerUsed() {
        bothProviders();
        command.removeSystemClock(clock);

        assertThatThrownBy(() -> command.execute(Map.of("time", TIME))).hasMessage(NOT_SUPPORTED);
        assertThat(clock.sets).isEmpty();
    }

    @Test
    void anInvalidTimeSetsNothing() {
        bothProviders();

        assertThatThrownBy(() -> command.execute(Map.of("time", 3_155_760_000L * 1_000_000_000L)))
                .hasMessage("Invalid time");
        assertThatThrownBy(() -> command.execute(Map.of("time", -1000L)))
                .hasMessage("Failed to set time to guest: Invalid argument");
        assertThat(clock.sets).isEmpty();
        assertThat(performed()).isEmpty();
    }

    @Test
    void aRefusedSystemClockIsQemuGasTextWithTheStrerrorAndTheRtcIsLeftAlone() {
        bothProviders();
        clock.refusal = new SystemClockException(1, "Operation not permitted");

        assertThatThrownBy(() -> command.execute(Map.of("time", TIME)))
                .hasMessage("Failed to set time to guest: Operation not permitted");
        assertThat(performed()).isEmpty();
    }

    @Test
    void aFailedProviderFallsThroughToTheNext() throws Exception {
        FakeProvider hwclock = bothProviders();
        hwclock.outcome = Outcome.failed(Reasons.ACTION_FAILED, "'/sbin/hwclock -w' returned an unexpected exit status code (1)");

        command.execute(Map.of("time", TIME));

        assertThat(performed()).containsExactly("perform hwclock {time=" + TIME + "}", "perform rtc {time=" + TIME + "}");
    }

    @Test
    void everyProviderFailedIsQemuGasHwclockTextFollowedByEachFailure() {
        FakeProvider hwclock = provider("hwclock", ClockFamily.SYNC, 200, 2, true);
        FakeProvider rtc = provider("rtc", ClockFamily.SYNC, 100, 4, true);
        command.setSystemClock(clock);
        hwclock.outcome = Outcome.failed(Reasons.ACTION_FAILED, "'/sbin/hwclock -s' returned an unexpected exit status code (1)");
        rtc.outcome = Outcome.failed(Reasons.ACTION_FAILED, "RTC_RD_TIME on /dev/rtc0 failed: Invalid argument");

        assertThatThrownBy(() -> command.execute(Map.of())).hasMessage("hwclock failed to set hardware clock to system "
                + "time (guest-set-time failed with every available provider: hwclock: '/sbin/hwclock -s' returned an "
                + "unexpected exit status code (1); rtc: RTC_RD_TIME on /dev/rtc0 failed: Invalid argument)");
    }

    @Test
    void anUnavailableProviderIsSkipped() throws Exception {
        provider("hwclock", ClockFamily.SET, 200, 1, false);
        provider("rtc", ClockFamily.SET, 100, 3, true);
        command.setSystemClock(clock);

        command.execute(Map.of("time", TIME));

        assertThat(performed()).containsExactly("perform rtc {time=" + TIME + "}");
    }

    @Test
    void theDryRunSaysWhatWouldBeDoneAndDoesNothing() throws Exception {
        bothProviders();

        assertThat(command.explain(Map.of("time", TIME))).isEqualTo(
                "set the system clock to 2025-12-04T18:00:00.123456789Z, then run provider hwclock: act hwclock {time="
                        + TIME + "}");
        assertThat(command.explain(Map.of())).isEqualTo("run provider hwclock: act hwclock");
        assertThatThrownBy(() -> command.explain(Map.of("time", Long.MAX_VALUE))).hasMessage("Invalid time");
        assertThat(clock.sets).isEmpty();
        assertThat(performed()).isEmpty();
    }
}
