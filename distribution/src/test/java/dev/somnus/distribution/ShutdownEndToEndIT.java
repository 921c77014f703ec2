package dev.somnus.distribution;

import static dev.somnus.distribution.AgentUnderTest.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.testkit.FakeGuest;
import dev.somnus.testkit.QgaClient;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-shutdown on the built agent, run as a process whose conf/ points every shutdown provider at
 * a {@link FakeGuest}: fake systemctl, shutdown and BusyBox programs that only log their argv (no
 * test ever runs the real ones; {@link #providersOnTheGuest} waits until every provider's
 * configuration is the guest's before the first request). What a host sees: nothing on success
 * (the ping sent right behind is the next line), qemu-ga's texts on failure; which fake ran; and
 * that the helper outlives the SIGTERM the shutdown brings the agent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShutdownEndToEndIT {

    private static final String INVALID_MODE = "mode is invalid (valid values are: halt|powerdown|reboot";
    private static final String SHUTDOWN = "shutdown -h %s +0 hypervisor initiated shutdown";
    private static final List<String> PROVIDERS = List.of("systemd", "sysv", "busybox");
    private static final List<String> MODES = List.of("powerdown", "halt", "reboot");

    private FakeGuest guest;
    private AgentUnderTest agent;
    private QgaClient host;

    private static String request(String mode, int id) {
        return "{\"execute\":\"guest-shutdown\"," + (mode == null ? "" : "\"arguments\":{\"mode\":\"" + mode + "\"},")
                + "\"id\":" + id + "}";
    }

    @BeforeAll
    void startTheAgent(@TempDir Path tmp) throws Exception {
        agent = AgentUnderTest.onFakeGuest(tmp);
        guest = agent.guest;
        agent.start("-v").awaitSocket();
        host = agent.connect();
        host.sync();
        providersOnTheGuest(agent);
    }

    @AfterAll
    void stopTheAgent() throws Exception {
        if (host != null) {
            host.close();
        }
        if (agent != null) {
            assertThat(agent.stop()).as("exit status after SIGTERM; log: %s", agent.log()).isZero();
        }
    }

    @BeforeEach
    void freshGuest() throws Exception {
        guest.reset();
    }

    /**
     * The safety net before any guest-shutdown: each provider starts with its defaults (the real
     * programs) and takes the guest's configuration when fileinstall delivers it, each PID on its
     * own. Every (re)publication is logged with the evidence, which names the program or folder
     * looked at; wait until the latest entry of every provider and mode names the fake guest.
     */
    static void providersOnTheGuest(AgentUnderTest agent) throws InterruptedException {
        String guestRoot = agent.guest.root.toString();
        agent.await("every shutdown provider configured into the fake guest", () -> {
            List<String> lines = agent.log().lines().toList();
            for (String provider : PROVIDERS) {
                for (String mode : MODES) {
                    String key = "shutdown provider " + provider + " for " + mode + " ";
                    Optional<String> latest = lines.stream().filter(line -> line.contains(key))
                            .reduce((first, second) -> second);
                    if (latest.isEmpty() || !latest.get().contains(guestRoot)) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    @Test
    void systemdWhereItManagesTheMachine() throws Exception {
        guest.systemdRunning();

        host.assertNoReplyTo(request(null, 1));
        host.assertNoReplyTo(request("halt", 2));
        host.assertNoReplyTo(request("reboot", 3));
        host.assertNoReplyTo(request("powerdown", 4));

        assertThat(guest.actions()).containsExactly("systemctl poweroff", "systemctl halt", "systemctl reboot",
                "systemctl poweroff");
    }

    @Test
    void qemuGasShutdownWhereSystemdIsNotRunning() throws Exception {
        host.assertNoReplyTo(request(null, 1));
        host.assertNoReplyTo(request("halt", 2));
        host.assertNoReplyTo(request("reboot", 3));

        assertThat(guest.calls()).containsExactly(String.format(SHUTDOWN, "-P"), String.format(SHUTDOWN, "-H"),
                String.format(SHUTDOWN, "-r"));
    }

    @Test
    void busyBoxWhereThereIsNoShutdown() throws Exception {
        guest.without("shutdown");

        host.assertNoReplyTo(request("powerdown", 1));
        host.assertNoReplyTo(request("halt", 2));
        host.assertNoReplyTo(request("reboot", 3));

        // a link to busybox logs the applet's name, run without arguments
        assertThat(guest.calls()).containsExactly("poweroff", "halt", "reboot");
    }

    @Test
    void anInvalidModeIsQemuGasTextAndNothingRuns() throws Exception {
        guest.systemdRunning();

        assertThat(host.call(request("bogus", 5))).isEqualTo(error(5, INVALID_MODE));
        assertThat(host.call(request("", 6))).isEqualTo(error(6, INVALID_MODE));
        assertThat(host.call("{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":1},\"id\":7}"))
                .isEqualTo(error(7, "Invalid parameter type for 'mode', expected: string"));

        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void aFailureFallsThroughAndWhenEveryProviderFailsTheHostIsToldWhy() throws Exception {
        guest.systemdRunning().exit("systemctl", "reboot", 1).exit("shutdown", 1);

        host.assertNoReplyTo(request("reboot", 1));
        assertThat(guest.actions()).containsExactly("systemctl reboot", String.format(SHUTDOWN, "-r"), "reboot");

        guest.exit("reboot", 2);
        assertThat(host.call(request("reboot", 2))).isEqualTo(error(2, "guest-shutdown failed with every available"
                + " provider: systemd: '" + guest.helper("systemctl") + " reboot' returned an unexpected exit status"
                + " code (1); sysv: child process has failed to shutdown ('" + guest.helper("shutdown")
                + " -h -r +0 hypervisor initiated shutdown' exited with status 1); busybox: '" + guest.helper("reboot")
                + "' returned an unexpected exit status code (2)"));
    }

    /** The agent-wide dry run names the provider and its exact argv, runs nothing, and still checks the mode first. */
    @Test
    void dryRunNamesTheActionAndRunsNothing() throws Exception {
        Path cfg = agent.home.resolve("conf/dev.somnus.agent.cfg");
        String normal = Files.readString(cfg);
        Files.writeString(cfg, normal + "dryRun=true\n");
        try {
            awaitDryRun(true);

            assertThat(host.call(request("reboot", 9))).isEqualTo(error(9, "dry run: guest-shutdown would run provider"
                    + " sysv: exec " + guest.helper("shutdown") + " -h -r +0 \\\"hypervisor initiated shutdown\\\";"
                    + " nothing was done (dryRun is set in dev.somnus.agent)"));
            assertThat(host.call(request("bogus", 10))).isEqualTo(error(10, INVALID_MODE));
            assertThat(guest.actions()).isEmpty();
        } finally {
            Files.writeString(cfg, normal);
            awaitDryRun(false);
        }
    }

    private void awaitDryRun(boolean on) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!host.call("{\"execute\":\"__dev.somnus_get-suspend-support\"}").contains("\"commands-dry-run\": " + on)) {
            assertThat(System.nanoTime()).as("dryRun=%s applied in time; log: %s", on, agent.log()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Shutting a machine down deserves a trace: who asked, and what came of it. */
    @Test
    void everyRequestLeavesTwoAuditLines() throws Exception {
        host.assertNoReplyTo(request("halt", 11));

        String peer = AgentUnderTest.thisPeer();
        agent.await("the audit lines", () -> agent.log().contains("audit: guest-shutdown from " + peer));
        assertThat(agent.log()).contains(": message: audit: guest-shutdown requested by " + peer + "\n");
        assertThat(guest.actions()).containsExactly(String.format(SHUTDOWN, "-H"));
    }

    /** qemu-ga 7.2 would run /sbin/shutdown regardless; where it cannot, its child exits 1 and this is the answer. */
    @Test
    void noProviderAvailable() throws Exception {
        guest.without("shutdown", "poweroff", "halt", "reboot");

        assertThat(host.call(request("halt", 8))).isEqualTo(error(8, "child process has failed to shutdown"));
        assertThat(guest.calls()).isEmpty();
    }

    /**
     * The shutdown a helper hands on stops the agent (SIGTERM from init or systemd), possibly while
     * the helper still runs: the agent must stop without killing it, or there would be no shutdown.
     * A fake shutdown that takes 15 s (longer than the agent waits for a running command) and an
     * agent sent SIGTERM as soon as the helper runs: the agent exits 0, the helper is still
     * running, and it then sleeps to its end.
     */
    @Test
    void theHelperSurvivesTheAgentsStop(@TempDir Path tmp) throws Exception {
        try (AgentUnderTest second = AgentUnderTest.onFakeGuest(tmp)) {
            second.start("-v").awaitSocket();
            FakeGuest itsGuest = second.guest;
            try (QgaClient itsHost = second.connect()) {
                itsHost.sync();
                providersOnTheGuest(second);
                itsGuest.slow("shutdown", 15);

                itsHost.send(request("powerdown", 1));
                second.await("the fake shutdown running", () -> itsGuest.sleeper("shutdown").isPresent());
                long helper = itsGuest.sleeper("shutdown").orElseThrow();

                assertThat(second.stop()).as("exit status after SIGTERM; log: %s", second.log()).isZero();

                assertThat(ProcessHandle.of(helper).map(ProcessHandle::isAlive)).as("helper alive after the agent")
                        .contains(true);
                assertThat(itsGuest.woke("shutdown")).isFalse();
                assertThatThrownBy(() -> itsHost.readLine(Duration.ofSeconds(5))).as("no reply, only the end")
                        .isInstanceOf(EOFException.class);
                long deadline = System.nanoTime() + AgentUnderTest.BOUND.toNanos();
                while (!itsGuest.woke("shutdown")) {
                    assertThat(System.nanoTime()).as("the helper slept to its end").isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(itsGuest.actions()).containsExactly(String.format(SHUTDOWN, "-P"));
                assertThat(second.log()).contains("running at stop: its spec survives the agent's stop");
            }
        }
    }
}
