package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.QgaClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a command family is a bundle in deploy/. Removed while a host stays connected, its
 * commands leave guest-info and answer CommandNotFound; put back, they are listed and answer
 * again, on the same connection.
 */
class FamilyHotDeployIT {

    private static final String HOST_NAME = "{\"execute\":\"guest-get-host-name\"}";

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
    void aFamilyTakenOutOfDeployAndPutBackComesAndGoesOnOneConnection() throws Exception {
        agent = AgentUnderTest.dryRun(tmp);
        Path deployed = agent.home.resolve("deploy/somnus-inventory.jar");
        assertThat(deployed).as("the inventory family is deployed by the layout rule").exists();
        agent.start().awaitSocket();

        try (QgaClient host = agent.connect()) {
            host.sync();
            awaitListed(host, "guest-get-osinfo", true);
            assertThat(host.call(HOST_NAME)).startsWith("{\"return\": {\"host-name\": ");

            Path kept = Files.move(deployed, tmp.resolve("somnus-inventory.jar"));
            awaitListed(host, "guest-get-osinfo", false);
            assertThat(host.call(HOST_NAME)).isEqualTo("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                    + "\"The command guest-get-host-name has not been found\"}}");
            // the other families stay
            assertThat(host.call("{\"execute\":\"guest-network-get-interfaces\"}")).startsWith("{\"return\": [");

            // fileinstall must never see a half-copied jar: copy beside deploy/, then rename into it
            Path staged = Files.copy(kept, agent.home.resolve("inventory.jar.part"));
            Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
            awaitListed(host, "guest-get-osinfo", true);
            assertThat(host.call(HOST_NAME)).startsWith("{\"return\": {\"host-name\": ");
        }
        assertThat(agent.stop()).isZero();
    }

    private void awaitListed(QgaClient host, String command, boolean listed) throws Exception {
        long deadline = System.nanoTime() + AgentUnderTest.BOUND.toNanos();
        while (host.call("{\"execute\":\"guest-info\"}").contains("\"name\": \"" + command + "\"") != listed) {
            assertThat(System.nanoTime()).as("%s %s guest-info in time; log: %s", command,
                    listed ? "in" : "out of", agent.log()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
