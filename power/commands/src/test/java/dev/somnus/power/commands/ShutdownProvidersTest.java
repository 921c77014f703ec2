package dev.somnus.power.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.shutdown.ShutdownMode;
import dev.somnus.power.busybox.BusyBoxProvider;
import dev.somnus.power.systemd.SystemdProvider;
import dev.somnus.power.sysv.SysvProvider;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeHelper;
import dev.somnus.provider.common.NoLogger;
import dev.somnus.provider.common.ProcessBuilderChildProcesses;
import dev.somnus.provider.common.ProviderMethod;
import dev.somnus.provider.common.ProviderSettings;
import dev.somnus.provider.common.PublishedProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

/**
 * guest-shutdown over the three real providers, each on fake programs in a temporary folder that
 * only log their arguments (a fake systemctl, shutdown and busybox with poweroff/halt/reboot links):
 * the ranking, the fall-through and the texts a host receives.
 */
class ShutdownProvidersTest {

    @TempDir
    Path dir;

    private final ProcessBuilderChildProcesses children = new ProcessBuilderChildProcesses();
    private final GuestShutdown command = new GuestShutdown(Configs.of(ShutdownSettings.class, "staleAfterSeconds", 0),
            NoLogger.create());
    private Path bin;
    private Path runDir;
    private FakeHelper systemctl;
    private FakeHelper shutdown;
    private long serviceIds;

    @BeforeEach
    void aFakeGuest() throws Exception {
        bin = Files.createDirectories(dir.resolve("bin"));
        runDir = Files.createDirectories(dir.resolve("run/systemd/system"));
        systemctl = FakeHelper.create(bin, "systemctl");
        shutdown = FakeHelper.create(bin, "shutdown");
        FakeHelper.create(bin, "busybox");
        for (String applet : List.of("poweroff", "halt", "reboot")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        bind(SystemdProvider.settings(Configs.of(SystemdProvider.Config.class)), SystemdProvider.methods(
                Configs.of(SystemdProvider.Config.class, "systemctl", systemctl.path(), "runDir", runDir.toString()),
                children, () -> bin.toString()));
        bind(SysvProvider.settings(Configs.of(SysvProvider.Config.class)), SysvProvider.methods(
                Configs.of(SysvProvider.Config.class, "shutdown", shutdown.path()), children));
        bind(BusyBoxProvider.settings(Configs.of(BusyBoxProvider.Config.class)), BusyBoxProvider.methods(
                Configs.of(BusyBoxProvider.Config.class, "poweroff", program("poweroff"), "halt", program("halt"),
                        "reboot", program("reboot"), "busybox", bin.resolve("busybox").toString()), children));
    }

    /** What ProviderRegistrations does in a framework: one published provider per mode, its properties live. */
    private void bind(ProviderSettings settings, Map<String, ProviderMethod> methods) {
        for (Map.Entry<String, ProviderMethod> mode : methods.entrySet()) {
            PublishedProvider provider = new PublishedProvider(ShutdownMode.FAMILY, mode.getKey(), settings, mode.getValue());
            Map<String, Object> properties = Collections.synchronizedMap(new HashMap<>());
            properties.put(Constants.SERVICE_ID, ++serviceIds);
            provider.publishWith(initial -> {
                Collections.list(initial.keys()).forEach(key -> properties.put(key, initial.get(key)));
                return changed -> Collections.list(changed.keys()).forEach(key -> properties.put(key, changed.get(key)));
            });
            command.addProvider(provider, GuestShutdownTest.reference(properties::get));
        }
    }

    private String program(String applet) {
        return bin.resolve(applet).toString();
    }

    private List<List<String>> actions() {
        return children.spawned();
    }

    @Test
    void systemdFirstWhereItManagesTheMachine() throws Exception {
        command.execute(Map.of("mode", "reboot"));

        assertThat(actions()).containsExactly(List.of(systemctl.path(), "reboot"));
    }

    @Test
    void qemuGasShutdownWhereSystemdIsNotRunning() throws Exception {
        Files.delete(runDir);

        command.execute(Map.of());

        assertThat(actions()).containsExactly(List.of(shutdown.path(), "-h", "-P", "+0", "hypervisor initiated shutdown"));
        assertThat(command.explain(Map.of("mode", "halt")))
                .isEqualTo("run provider sysv: exec " + shutdown.path() + " -h -H +0 \"hypervisor initiated shutdown\"");
    }

    @Test
    void busyBoxWhereNeitherIsThere() throws Exception {
        Files.delete(runDir);
        shutdown.uninstall();

        command.execute(Map.of("mode", "halt"));

        assertThat(actions()).containsExactly(List.of(program("halt")));
    }

    /** The helpers write to /dev/null (they must survive the agent), so a failure quotes no stderr. */
    @Test
    void aFailureFallsThroughAndWhenAllFailTheErrorNamesEveryProvider() throws Exception {
        systemctl.exitWith(1, "poweroff");
        shutdown.exitWith(1);

        command.execute(Map.of("mode", "powerdown"));

        assertThat(actions()).containsExactly(List.of(systemctl.path(), "poweroff"),
                List.of(shutdown.path(), "-h", "-P", "+0", "hypervisor initiated shutdown"), List.of(program("poweroff")));

        Files.writeString(bin.resolve("poweroff.exit"), "2");
        assertThatThrownBy(() -> command.execute(Map.of())).hasMessage("guest-shutdown failed with every available"
                + " provider: systemd: '" + systemctl.path() + " poweroff' returned an unexpected exit status code (1);"
                + " sysv: child process has failed to shutdown ('" + shutdown.path()
                + " -h -P +0 hypervisor initiated shutdown' exited with status 1); busybox: '" + program("poweroff")
                + "' returned an unexpected exit status code (2)");
    }

    @Test
    void noProviderAvailable() {
        // systemd runs, but systemctl is gone; so are shutdown and BusyBox
        shutdown.uninstall();
        systemctl.uninstall();
        for (String applet : List.of("poweroff", "halt", "reboot")) {
            bin.resolve(applet).toFile().delete();
        }

        assertThatThrownBy(() -> command.execute(Map.of("mode", "reboot"))).hasMessage("child process has failed to shutdown");
        assertThat(actions()).isEmpty();
    }

    @Test
    void anInvalidModeRunsNothingAtAll() {
        assertThatThrownBy(() -> command.execute(Map.of("mode", "suspend")))
                .hasMessage("mode is invalid (valid values are: halt|powerdown|reboot");
        assertThat(children.spawned()).isEmpty();
    }
}
