package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.QgaClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KubeVirt's supported-commands check (virt-handler {@code guestagent.go}, shared/docs/host-stacks.md)
 * played against the built agent's guest-info: every command of each list must be listed with
 * {@code "enabled": true}, or the VMI gets {@code AgentVersionNotSupported} (required), or no SSH key
 * or password propagation.
 */
class KubeVirtCheckIT {

    static final List<String> REQUIRED = List.of("guest-ping", "guest-get-time", "guest-info", "guest-shutdown",
            "guest-network-get-interfaces", "guest-get-fsinfo", "guest-get-host-name", "guest-get-users",
            "guest-get-timezone", "guest-get-osinfo");
    static final List<String> SSH_KEYS = List.of("guest-ssh-get-authorized-keys", "guest-ssh-add-authorized-keys",
            "guest-ssh-remove-authorized-keys");
    static final List<String> PASSWORD = List.of("guest-set-user-password");
    /** What KubeVirt's optional stats collector reads besides. */
    static final List<String> STATS = List.of("guest-get-load", "guest-get-cpustats", "guest-get-diskstats",
            "guest-get-vcpus", "guest-get-memory-block-info", "guest-get-disks", "guest-get-memory-blocks",
            "guest-network-get-route");

    private static final Pattern ENTRY = Pattern.compile(
            "\\{\"enabled\": (true|false), \"name\": \"([^\"]+)\", \"success-response\": (?:true|false)\\}");

    @TempDir
    Path tmp;

    @Test
    void everyListKubeVirtChecksIsPresentAndEnabled() throws Exception {
        try (AgentUnderTest agent = AgentUnderTest.dryRun(tmp)) {
            agent.start().awaitSocket();
            try (QgaClient host = agent.connect()) {
                host.sync();
                List<String> enabled = enabled(host.call("{\"execute\":\"guest-info\"}"));

                assertThat(enabled).as("required: without them AgentVersionNotSupported").containsAll(REQUIRED);
                assertThat(enabled).as("SSH key propagation").containsAll(SSH_KEYS);
                assertThat(enabled).as("password propagation").containsAll(PASSWORD);
                assertThat(enabled).as("the stats collector").containsAll(STATS);
            }
            assertThat(agent.stop()).isZero();
        }
    }

    /** The names guest-info lists with "enabled": true, parsed as KubeVirt reads them. */
    static List<String> enabled(String info) {
        assertThat(info).startsWith("{\"return\": {\"version\": \"7.2.22\", \"supported_commands\": [");
        List<String> names = new ArrayList<>();
        Matcher entry = ENTRY.matcher(info);
        while (entry.find()) {
            if (entry.group(1).equals("true")) {
                names.add(entry.group(2));
            }
        }
        return names;
    }
}
