package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.QgaClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "Guards": the shipped hardened profile (etc/qemu-ga-hardened.conf, given with -c) turns
 * exec, files, passwords and keys off: each answers qemu-ga's disabled text, is listed disabled by
 * guest-info, and runs nothing; the commands hosts need stay enabled.
 */
class HardenedProfileIT {

    static final List<String> BLOCKED = List.of("guest-exec", "guest-exec-status", "guest-file-open",
            "guest-file-close", "guest-file-read", "guest-file-write", "guest-file-seek", "guest-file-flush",
            "guest-set-user-password", "guest-ssh-get-authorized-keys", "guest-ssh-add-authorized-keys",
            "guest-ssh-remove-authorized-keys");

    @TempDir
    Path tmp;

    @Test
    void theHardenedProfileBlocksExecFilesPasswordsAndKeysAndRunsNothing() throws Exception {
        try (AgentUnderTest agent = AgentUnderTest.onFakeGuest(tmp)) {
            Path profile = agent.home.resolve("etc/qemu-ga-hardened.conf");
            assertThat(profile).exists();
            agent.start("-c", profile.toString()).awaitSocket();
            Path touched = tmp.resolve("touched-by-exec");
            Path written = agent.guest.root.resolve("written-by-file-open");

            try (QgaClient host = agent.connect()) {
                host.sync();
                String info = host.call("{\"execute\":\"guest-info\"}");
                for (String name : BLOCKED) {
                    assertThat(info).as(name).contains("{\"enabled\": false, \"name\": \"" + name + "\"");
                }
                assertThat(info).contains("{\"enabled\": true, \"name\": \"guest-get-osinfo\"")
                        .contains("{\"enabled\": true, \"name\": \"guest-ping\"");

                assertThat(host.call("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/usr/bin/touch\",\"arg\":[\""
                        + touched + "\"]}}")).isEqualTo(disabled("guest-exec"));
                assertThat(host.call("{\"execute\":\"guest-file-open\",\"arguments\":{\"path\":\"/written-by-file-open\","
                        + "\"mode\":\"w\"}}")).isEqualTo(disabled("guest-file-open"));
                assertThat(host.call("{\"execute\":\"guest-ssh-add-authorized-keys\",\"arguments\":{\"username\":\"root\","
                        + "\"keys\":[\"ssh-ed25519 AAAA test\"]}}")).isEqualTo(disabled("guest-ssh-add-authorized-keys"));
                assertThat(host.call("{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"root\","
                        + "\"password\":\"c2VjcmV0\",\"crypted\":false}}")).isEqualTo(disabled("guest-set-user-password"));
            }
            assertThat(agent.stop()).isZero();
            assertThat(touched).doesNotExist();
            assertThat(written).doesNotExist();
            assertThat(agent.guest.root.resolve("root/.ssh")).doesNotExist();
            assertThat(Files.readString(agent.logFile)).doesNotContain("c2VjcmV0");
        }
    }

    private static String disabled(String name) {
        return "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command " + name + " has been disabled\"}}";
    }
}
