package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the bundles learn from the launcher: the framework properties. */
class AgentFrameworkTest {

    @TempDir
    Path dir;

    private Map<String, String> properties(String... args) throws Exception {
        AgentSettings settings = CommandLine.parse("somnus-ga", args, k -> null).settings;
        Distribution dist = new Distribution(dir.resolve("dist"));
        StateFolder state = StateFolder.create(dir.resolve("state").toString());
        return AgentFramework.properties(settings, dist, state, dist.conf());
    }

    private Map<String, Map<String, Object>> configurations(String... args) throws Exception {
        return LauncherConfiguration.of(CommandLine.parse("somnus-ga", args, k -> null).settings);
    }

    @Test
    void theSettingsTravelAsSomnusGaPropertiesAndChannelAndProtocolThroughConfigAdmin() throws Exception {
        String[] args = {"-m", "unix-listen", "-p", "/run/a.sock", "-r", "-v",
                "-b", "guest-exec,guest-ping", "-b", "guest-info", "-t", dir.resolve("state").toString()};
        Map<String, String> p = properties(args);
        Map<String, Map<String, Object>> c = configurations(args);

        assertThat(c.get("dev.somnus.agent.channel")).containsEntry("method", "unix-listen")
                .containsEntry("path", "/run/a.sock")
                .containsEntry("retryPath", true);
        // -v sets log levels (felix.fileinstall.log.level); no bundle read somnus.ga.verbose
        assertThat(p).doesNotContainKey("somnus.ga.verbose")
                .containsEntry("somnus.ga.statedir", dir.resolve("state").toString())
                .doesNotContainKey("somnus.ga.dry-run")
                // moved to Config Admin: no bundle reads these framework properties any more
                .doesNotContainKeys("somnus.ga.method", "somnus.ga.path", "somnus.ga.retry-path",
                        "somnus.ga.block-rpcs", "somnus.ga.allow-rpcs", "somnus.ga.version");
        assertThat(c.get("dev.somnus.agent.protocol")).containsEntry("version", "7.2.22")
                .doesNotContainKey("allowRpcs");
        assertThat((String[]) c.get("dev.somnus.agent.protocol").get("blockRpcs"))
                .containsExactly("guest-ping", "guest-exec", "guest-info");
    }

    @Test
    void theAllowListAndDryRunOnlyWhenGiven() throws Exception {
        Map<String, String> p = properties("-a", "guest-ping", "--dry-run");
        Map<String, Map<String, Object>> c = configurations("-a", "guest-ping", "--dry-run");

        assertThat((String[]) c.get("dev.somnus.agent.protocol").get("allowRpcs")).containsExactly("guest-ping");
        assertThat(p).containsEntry("somnus.ga.dry-run", "true");
        assertThat(c.get("dev.somnus.agent.channel"))
                .containsEntry("path", "/dev/virtio-ports/org.qemu.guest_agent.0");
        assertThat((String[]) c.get("dev.somnus.agent.protocol").get("blockRpcs")).isEmpty();
    }

    @Test
    void cacheAndFileinstallLiveInAnOwnerOnlySubfolderOfTheStateDir() throws Exception {
        Map<String, String> p = properties();
        Path root = dir.resolve("state").resolve("somnus-ga");

        assertThat(p).containsEntry("org.osgi.framework.storage", root.resolve("cache").toString())
                .containsEntry("org.osgi.framework.storage.clean", "onFirstInit")
                .doesNotContainKey("ds.cache.metadata")
                .containsEntry("felix.fileinstall.tmpdir", root.resolve("fileinstall").toString())
                .containsEntry("felix.fileinstall.dir", dir.resolve("dist/deploy") + "," + dir.resolve("dist/conf"))
                .containsEntry("felix.fileinstall.enableConfigSave", "false")
                .containsEntry("org.osgi.service.log.admin.loglevel", "WARN");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    }

    @Test
    void aLooseStateSubfolderIsTightened() throws Exception {
        Path root = Files.createDirectories(dir.resolve("loose/somnus-ga"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));

        StateFolder.create(dir.resolve("loose").toString());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    }

    @Test
    void aStateFolderServesOneAgentAtATime() throws Exception {
        try (StateFolder first = StateFolder.create(dir.resolve("shared").toString()).lock()) {
            assertThatThrownBy(() -> StateFolder.create(dir.resolve("shared").toString()).lock())
                    .isInstanceOf(LaunchException.class)
                    .hasMessage("state folder " + dir.resolve("shared/somnus-ga")
                            + " is in use by another Somnus agent; give each agent its own -t/--statedir");
        }
        StateFolder.create(dir.resolve("shared").toString()).lock().close();
    }

    @Test
    void theLogApiIsExportedByTheSystemBundle() throws Exception {
        assertThat(properties().get("org.osgi.framework.system.packages.extra"))
                .contains("org.osgi.service.log;version=1.5.0");
    }
}
