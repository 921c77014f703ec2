package dev.somnus.distribution;

import static dev.somnus.distribution.AgentUnderTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.FakeGuest;
import dev.somnus.testkit.QgaClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-set-time end to end: the built agent as a process, its conf/ pointing the clock providers
 * at a {@link FakeGuest} (a fake hwclock, a plain file for the RTC) and switching the real system
 * clock off, and a fake SystemClock bundle in deploy/ ({@link FakeSystemClockBundle}) recording
 * what the agent would set. Nothing here can set this machine's clock: until the fake bundle is
 * there the agent has no SystemClock at all (and refuses both modes), and the fake is deployed
 * only once the providers are on the guest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClockEndToEndIT {

    /** 2025-12-04T18:00:00.123456789Z */
    private static final long TIME = 1_764_871_200_123_456_789L;
    private static final String NOT_SUPPORTED = "this feature or command is not currently supported";

    private FakeGuest guest;
    private AgentUnderTest agent;
    private QgaClient host;
    private FakeSystemClockBundle clock;

    @BeforeAll
    void startTheAgent(@TempDir Path tmp) throws Exception {
        agent = AgentUnderTest.onFakeGuest(tmp);
        guest = agent.guest;
        agent.start("-v").awaitSocket();
        host = agent.connect();
        host.sync();
        // fileinstall installs deploy/ after the channel is up
        agent.await("guest-set-time registered", () -> listed(host, "guest-set-time"));

        // before any clock: both modes refused, nothing run
        assertThat(host.call(setTime(TIME, 1))).isEqualTo(error(1, NOT_SUPPORTED));
        assertThat(host.call("{\"execute\":\"guest-set-time\",\"id\":2}")).isEqualTo(error(2, NOT_SUPPORTED));
        assertThat(guest.actions()).isEmpty();

        String hwclock = guest.helper("hwclock") + " is executable";
        String rtc = "RTC_RD_TIME on " + guest.rtc();
        agent.await("the clock providers on the fake guest",
                () -> agent.logLines(hwclock) >= 2 && agent.logLines(rtc) >= 2);
        clock = FakeSystemClockBundle.deployInto(agent);
        agent.await("the fake system clock registered", clock::active);
    }

    private static boolean listed(QgaClient host, String command) {
        try {
            return host.call("{\"execute\":\"guest-info\"}").contains("\"name\": \"" + command + "\"");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @AfterAll
    void stopTheAgent() throws Exception {
        if (host != null) {
            host.close();
        }
        assertThat(agent.stop()).as("exit status after SIGTERM; log: %s", agent.log()).isZero();
    }

    @BeforeEach
    void freshGuest() throws Exception {
        guest.reset();
    }

    private static String setTime(long time, int id) {
        return "{\"execute\":\"guest-set-time\",\"arguments\":{\"time\":" + time + "},\"id\":" + id + "}";
    }

    @Test
    void withATimeTheSystemClockIsSetThenHwclockWritesTheRtc() throws Exception {
        List<Long> before = clock.sets();

        assertThat(host.call(setTime(TIME, 3))).isEqualTo("{\"return\": {}, \"id\": 3}");

        assertThat(clock.sets()).hasSize(before.size() + 1).last().isEqualTo(TIME);
        assertThat(guest.actions()).containsExactly("hwclock -w");
    }

    @Test
    void withoutATimeHwclockSetsTheSystemClockFromTheRtc() throws Exception {
        List<Long> before = clock.sets();

        assertThat(host.call("{\"execute\":\"guest-set-time\"}")).isEqualTo("{\"return\": {}}");

        assertThat(guest.actions()).containsExactly("hwclock -s");
        assertThat(clock.sets()).isEqualTo(before);
    }

    @Test
    void anInvalidTimeSetsNothing() throws Exception {
        List<Long> before = clock.sets();

        assertThat(host.call(setTime(3_155_760_000L * 1_000_000_000L, 4))).isEqualTo(error(4, "Invalid time"));
        assertThat(host.call("{\"execute\":\"guest-set-time\",\"arguments\":{\"time\":\"now\"},\"id\":5}"))
                .isEqualTo(error(5, "Invalid parameter type for 'time', expected: integer"));

        assertThat(clock.sets()).isEqualTo(before);
        assertThat(guest.actions()).isEmpty();
    }

    @Test
    void aFailingHwclockIsQemuGasTextAndTheRtcOnAPlainFileIsNoFallback() throws Exception {
        guest.exit("hwclock", 1);
        List<Long> before = clock.sets();

        assertThat(host.call(setTime(TIME, 6))).isEqualTo(error(6, "hwclock failed to set hardware clock to system "
                + "time (guest-set-time failed with every available provider: hwclock: '" + guest.helper("hwclock")
                + " -w' returned an unexpected exit status code (1): fake hwclock says 1)"));

        // as in qemu-ga, the system clock was set before hwclock ran
        assertThat(clock.sets()).hasSize(before.size() + 1);
        assertThat(guest.actions()).containsExactly("hwclock -w");
    }

    @Test
    void withoutHwclockAndWithoutARealRtcTheCommandIsNotSupportedAndSetsNothing() throws Exception {
        guest.withoutHwclock();
        List<Long> before = clock.sets();

        assertThat(host.call(setTime(TIME, 7))).isEqualTo(error(7, NOT_SUPPORTED));
        assertThat(host.call("{\"execute\":\"guest-set-time\",\"id\":8}")).isEqualTo(error(8, NOT_SUPPORTED));

        assertThat(clock.sets()).isEqualTo(before);
        assertThat(Files.readString(guest.rtc())).isEmpty();
        // the RTC provider asked the plain file, through jnr-ffi inside Felix, and was refused
        assertThat(agent.log()).contains("RTC_RD_TIME on " + guest.rtc() + " failed: Inappropriate ioctl for device");
    }
}
