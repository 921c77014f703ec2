package dev.somnus.distribution;

import static dev.somnus.distribution.AgentUnderTest.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.FakeGuest;
import dev.somnus.testkit.QgaClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built agent, run as a process from a copy of the distribution whose conf/ points every
 * provider at a {@link FakeGuest}, replays the guests of qga-reference §4.3 for a host that stays
 * connected: the bytes it receives (nothing on success — checked by the ping sent right behind,
 * which the agent answers only after the suspend has ended, §1.1 — or the exact error), which fake
 * helper ran, and what was written to the fake /sys/power/state. Where Somnus deliberately differs
 * from qemu-ga 7.2 (README, "Deliberate differences"), the test says what qemu-ga would have done.
 *
 * <p>One agent serves every test; each test builds its guest from scratch, and
 * {@code staleAfterSeconds=0} makes each request probe the guest afresh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuspendEndToEndIT {

    private static final String NOT_SUPPORTED = "the requested suspend mode is not supported by the guest";
    private static final String DISK = "{\"execute\":\"guest-suspend-disk\",\"id\":1}";
    private static final String RAM = "{\"execute\":\"guest-suspend-ram\",\"id\":2}";
    private static final String HYBRID = "{\"execute\":\"guest-suspend-hybrid\",\"id\":3}";

    private FakeGuest guest;
    private AgentUnderTest agent;
    private QgaClient host;

    @BeforeAll
    void startTheAgent(@TempDir Path tmp) throws Exception {
        agent = AgentUnderTest.onFakeGuest(tmp);
        guest = agent.guest;
        agent.start("-v").awaitSocket();
        host = agent.connect();
        host.sync();
        agent.awaitProvidersOnTheGuest(host, 3);
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

    @Test
    void systemdSaysYes() throws Exception {
        guest.systemdRunning().state("freeze mem disk");

        host.assertNoReplyTo(RAM);

        assertThat(guest.actions()).containsExactly("systemctl suspend");
        assertThat(guest.calls()).contains("systemctl status systemd-suspend");
        assertThat(guest.state()).isEqualTo("freeze mem disk");
    }

    @Test
    void pmUtilsSaysYes() throws Exception {
        guest.state("freeze mem disk");

        host.assertNoReplyTo(DISK);

        assertThat(guest.calls()).containsExactly("pm-is-supported --hibernate", "pm-hibernate");
        assertThat(guest.state()).isEqualTo("freeze mem disk");
    }

    @Test
    void pmUtilsSaysNoAndSysfsOffersFreezeMemDisk() throws Exception {
        guest.exit("pm-is-supported", 1).state("freeze mem disk");

        host.assertNoReplyTo(RAM);
        assertThat(guest.state()).isEqualTo("mem");
        guest.state("freeze mem disk");
        host.assertNoReplyTo(DISK);
        assertThat(guest.state()).isEqualTo("disk");

        assertThat(guest.actions()).isEmpty();
        // hybrid has no sysfs path in qemu-ga; Somnus' extension needs <root>/disk offering suspend
        assertThat(host.call(HYBRID)).isEqualTo(error(3, NOT_SUPPORTED));
    }

    @Test
    void pmUtilsAbsent() throws Exception {
        guest.withoutPmUtils().state("freeze mem disk");

        host.assertNoReplyTo(DISK);

        assertThat(guest.state()).isEqualTo("disk");
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void sysfsOffersFreezeMemOnly() throws Exception {
        guest.withoutPmUtils().state("freeze mem");

        assertThat(host.call(DISK)).isEqualTo(error(1, NOT_SUPPORTED));
        assertThat(guest.state()).isEqualTo("freeze mem");
        host.assertNoReplyTo(RAM);
        assertThat(guest.state()).isEqualTo("mem");
    }

    /** An extension qemu-ga lacks (§4.6): hybrid through /sys/power/disk, the old mode restored. */
    @Test
    void hybridThroughSysfsWhereTheKernelOffersSuspendToDisk() throws Exception {
        guest.withoutPmUtils().state("freeze mem disk").disk("[platform] shutdown reboot suspend");

        host.assertNoReplyTo(HYBRID);

        assertThat(guest.state()).isEqualTo("disk");
        assertThat(guest.disk()).isEqualTo("platform");
    }

    @Test
    void dryRunNamesTheActionAndDoesNothing() throws Exception {
        // dry run is agent-wide: dev.somnus.agent, applied by the runtime to every acting command
        Path cfg = agent.home.resolve("conf/dev.somnus.agent.cfg");
        String normal = Files.readString(cfg);
        guest.state("freeze mem disk");
        Files.writeString(cfg, normal + "dryRun=true\n");
        try {
            awaitDryRun(true);

            assertThat(host.call(DISK)).isEqualTo(error(1, "dry run: guest-suspend-disk would run provider pmutils: "
                    + "exec " + guest.helper("pm-hibernate") + "; nothing was done (dryRun is set in dev.somnus.agent)"));
            assertThat(guest.actions()).isEmpty();
            assertThat(guest.state()).isEqualTo("freeze mem disk");
        } finally {
            Files.writeString(cfg, normal);
            awaitDryRun(false);
        }
    }

    private void awaitDryRun(boolean on) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!host.call("{\"execute\":\"__dev.somnus_get-suspend-support\"}")
                .contains("\"commands-dry-run\": " + on)) {
            assertThat(System.nanoTime()).as("dryRun=%s applied in time; log: %s", on, agent.log()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void nothingAtAll() throws Exception {
        guest.withoutPmUtils();

        assertThat(host.call(DISK)).isEqualTo(error(1, NOT_SUPPORTED));
        assertThat(host.call(RAM)).isEqualTo(error(2, NOT_SUPPORTED));
        assertThat(host.call(HYBRID)).isEqualTo(error(3, NOT_SUPPORTED));
        assertThat(host.call("{\"execute\":\"guest-suspend-ram\"}"))
                .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"" + NOT_SUPPORTED + "\"}}");
        assertThat(guest.state()).isEmpty();
    }

    /**
     * qemu-ga 7.2 takes `systemctl status` exit 1 ("System has not been booted with systemd") as
     * support, runs `systemctl suspend`, discards its failure and answers success — silence,
     * although nothing slept (§4.3). Somnus asks systemd only where it runs.
     */
    @Test
    void systemdNotRunningIsNotSupportNorSilence() throws Exception {
        guest.withoutPmUtils().exit("systemctl", "status", 1);

        assertThat(host.call(RAM)).isEqualTo(error(2, NOT_SUPPORTED));

        assertThat(guest.calls()).isEmpty();
    }

    /**
     * qemu-ga 7.2 reads a helper killed by a signal as exit status 0 (§4.3): pm-is-supported dying
     * would mean "supported", and pm-suspend dying would mean "done" — silence.
     */
    @Test
    void aHelperKilledByASignalIsNeitherSupportNorSuccess() throws Exception {
        guest.killedBy("pm-is-supported", 9);

        assertThat(host.call(RAM)).isEqualTo(error(2, NOT_SUPPORTED));
        assertThat(guest.actions()).isEmpty();

        guest.reset().killedBy("pm-suspend", 9);
        assertThat(host.call(RAM)).isEqualTo(error(2, "guest-suspend-ram failed with every available provider: "
                + "pmutils: '" + guest.helper("pm-suspend") + "' was killed by signal 9"));
        assertThat(guest.actions()).containsExactly("pm-suspend");
    }

    @Test
    void anActionFailureFallsThroughToTheNextProvider() throws Exception {
        guest.systemdRunning().exit("systemctl", "suspend", 1).exit("pm-suspend", 1).state("freeze mem disk");

        host.assertNoReplyTo(RAM);

        assertThat(guest.actions()).containsExactly("systemctl suspend", "pm-suspend");
        assertThat(guest.state()).isEqualTo("mem");
    }

    /**
     * qemu-ga 7.2 discards the errors of systemd and pm-utils and, sysfs not offering the mode,
     * answers success for disk/ram (silence) and "unknown guest suspend mode" for hybrid (§4.3).
     * Somnus names every provider tried and why it failed.
     */
    @Test
    void whenEveryActionFailsTheHostIsToldWhy() throws Exception {
        guest.systemdRunning().exit("systemctl", "suspend", 1).exit("systemctl", "hybrid-sleep", 1)
                .exit("pm-suspend", 1).exit("pm-suspend-hybrid", 1);

        assertThat(host.call(RAM)).isEqualTo(error(2, "guest-suspend-ram failed with every available provider: "
                + "systemd: '" + guest.helper("systemctl") + " suspend' returned an unexpected exit status code (1): "
                + "fake systemctl says 1; pmutils: '" + guest.helper("pm-suspend")
                + "' returned an unexpected exit status code (1): fake pm-suspend says 1"));
        assertThat(host.call(HYBRID)).startsWith("{\"id\": 3, \"error\": {\"class\": \"GenericError\", \"desc\": "
                + "\"guest-suspend-hybrid failed with every available provider: systemd: '" + guest.helper("systemctl")
                + " hybrid-sleep' returned an unexpected exit status code (1): fake systemctl says 1; pmutils: '"
                + guest.helper("pm-suspend-hybrid") + "' returned an unexpected exit status code (1): "
                + "fake pm-suspend-hybrid says 1");
        assertThat(guest.actions()).containsExactly("systemctl suspend", "pm-suspend", "systemctl hybrid-sleep",
                "pm-suspend-hybrid");
        assertThat(guest.state()).isEmpty();
    }

    /** pm-suspend returns only after resume: the agent answers nothing else meanwhile (§1.1), then nothing for it. */
    @Test
    void aSlowActionHoldsTheNextRequestAndEndsInSilence() throws Exception {
        guest.slow("pm-suspend", 2).state("freeze mem disk");

        host.send(RAM);
        host.send("{\"execute\":\"guest-ping\",\"id\":\"behind\"}");

        assertThat(host.readLine(Duration.ofSeconds(30))).isEqualTo("{\"return\": {}, \"id\": \"behind\"}");
        assertThat(guest.actions()).containsExactly("pm-suspend");
        assertThat(guest.state()).isEqualTo("freeze mem disk");
    }

    @Test
    void theSupportQueryExplainsTheGuest() throws Exception {
        guest.exit("pm-is-supported", "--hibernate", 1).state("freeze mem");

        String report = host.call("{\"execute\":\"__dev.somnus_get-suspend-support\"}");

        assertThat(report).contains("\"sentence\": \"'" + guest.helper("pm-is-supported")
                + " --hibernate' exited with status 1: pm-utils does not support hibernation here\"")
                .contains("\"sentence\": \"" + guest.power.resolve("state")
                        + " holds \\\"freeze mem\\\", which does not offer \\\"disk\\\"\"")
                .contains("\"sentence\": \"" + guest.runDir() + " does not exist: the machine was not booted with systemd\"");
        // disk has no provider left; ram and hybrid still go to pm-utils
        assertThat(report).contains("\"supported\": false, \"mode\": \"disk\"}");
        assertThat(List.of(report.split("\"supported\": true", -1))).hasSize(3);
    }
}
