package dev.somnus.distribution;

import static dev.somnus.distribution.AgentUnderTest.assertNoReplyTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, "Hot deploy": with the agent running and a host connected, copying the pm-utils
 * provider's jar into deploy/ makes it the provider of the next command, deleting it falls back to
 * sysfs, and the connection stays open throughout. The agent runs from a copy of the distribution
 * whose conf/ points every provider at a fake guest (pm-utils says yes, /sys/power/state offers
 * {@code freeze mem disk}, systemd not running).
 */
class HotDeployIT {

    private static final String DISK = "{\"execute\":\"guest-suspend-disk\"}";

    @TempDir
    Path tmp;

    private AgentUnderTest agent;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void deployingPmUtilsMakesItTheProviderAndDeletingItFallsBackToSysfs() throws Exception {
        FakeGuest guest = new FakeGuest(tmp.resolve("guest")).state("freeze mem disk");
        agent = AgentUnderTest.copy(tmp);
        guest.writeConfiguration(agent.home.resolve("conf"));
        Path deployed = agent.home.resolve("deploy/somnus-suspend-pmutils.jar");
        Path kept = Files.move(deployed, tmp.resolve("somnus-suspend-pmutils.jar"));
        agent.start();

        try (HostConnection host = new HostConnection(agent.socket())) {
            host.sync(1);
            agent.awaitFakeProviders(host, guest.root, 2);
            assertNoReplyTo(host, DISK);
            assertThat(guest.state()).isEqualTo("disk");
            assertThat(guest.actions()).isEmpty();

            // fileinstall must never see a half-copied jar: copy beside deploy/, then rename into it
            Path staged = Files.copy(kept, agent.home.resolve("pmutils.jar.part"));
            Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
            agent.awaitFakeProviders(host, guest.root, 3);
            guest.state("freeze mem disk");
            assertNoReplyTo(host, DISK);
            assertThat(guest.actions()).containsExactly("pm-hibernate");
            assertThat(guest.state()).isEqualTo("freeze mem disk");

            Files.delete(deployed);
            awaitProviderGone(host, "pmutils");
            assertNoReplyTo(host, DISK);
            assertThat(guest.actions()).containsExactly("pm-hibernate");
            assertThat(guest.state()).isEqualTo("disk");

            assertThat(host.call("{\"execute\":\"guest-ping\",\"id\":\"still\"}"))
                    .isEqualTo("{\"return\": {}, \"id\": \"still\"}");
        }
    }

    private void awaitProviderGone(HostConnection host, String provider) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (host.call("{\"execute\":\"__dev.somnus_get-suspend-support\"}")
                .contains("\"provider\": \"" + provider + "\"")) {
            assertThat(System.nanoTime()).as("%s gone in time; log: %s", provider, agent.log()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
