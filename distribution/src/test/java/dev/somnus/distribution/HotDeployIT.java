package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.FakeGuest;
import dev.somnus.testkit.QgaClient;
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
        agent = AgentUnderTest.onFakeGuest(tmp);
        FakeGuest guest = agent.guest.state("freeze mem disk");
        Path deployed = agent.home.resolve("deploy/somnus-suspend-pmutils.jar");
        Path kept = Files.move(deployed, tmp.resolve("somnus-suspend-pmutils.jar"));
        agent.start("-v").awaitSocket();

        try (QgaClient host = agent.connect()) {
            host.sync();
            agent.awaitProvidersOnTheGuest(host, 2);
            host.assertNoReplyTo(DISK);
            assertThat(guest.state()).isEqualTo("disk");
            assertThat(guest.actions()).isEmpty();

            // fileinstall must never see a half-copied jar: copy beside deploy/, then rename into it
            Path staged = Files.copy(kept, agent.home.resolve("pmutils.jar.part"));
            Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
            agent.awaitProvidersOnTheGuest(host, 3);
            guest.state("freeze mem disk");
            host.assertNoReplyTo(DISK);
            assertThat(guest.actions()).containsExactly("pm-hibernate");
            assertThat(guest.state()).isEqualTo("freeze mem disk");

            Files.delete(deployed);
            awaitProviderGone(host, "pmutils");
            host.assertNoReplyTo(DISK);
            assertThat(guest.actions()).containsExactly("pm-hibernate");
            assertThat(guest.state()).isEqualTo("disk");

            assertThat(host.call("{\"execute\":\"guest-ping\",\"id\":\"still\"}"))
                    .isEqualTo("{\"return\": {}, \"id\": \"still\"}");
        }
    }

    private void awaitProviderGone(QgaClient host, String provider) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (host.call("{\"execute\":\"__dev.somnus_get-suspend-support\"}")
                .contains("\"provider\": \"" + provider + "\"")) {
            assertThat(System.nanoTime()).as("%s gone in time; log: %s", provider, agent.log()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
