package dev.somnus.suspend.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.Configs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The components as DS drives them (constructor, bind, unbind), on the test guest: the suspend
 * commands, the support query and the shell command.
 */
class SuspendComponentsTest {

    @TempDir
    Path root;

    @Test
    void theSuspendCommandsAreNamedLikeQemuGasAndAnswerNothingOnSuccess() throws Exception {
        SuspendEnvironment guest = new SuspendEnvironment(root).withoutPmUtils().sysfsState("freeze mem disk").start();
        // ram bound to what its target filter (somnus.provider.mode=ram) lets through, disk to nothing
        SuspendCommand ram = guest.command(SuspendMode.RAM);
        SuspendCommand disk = guest.command(SuspendMode.DISK);
        guest.bindAll((provider, reference) -> disk.removeProvider(provider));
        SuspendCommand hybrid = guest.command(SuspendMode.HYBRID);

        assertThat(List.of(disk.name(), ram.name(), hybrid.name()))
                .containsExactly("guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid");
        assertThat(ram.successResponse()).isFalse();
        assertThat(ram.parameters()).isEmpty();
        assertThat(ram.execute(Map.of())).isEqualTo(Map.of());
        assertThat(guest.state()).isEqualTo("mem");
        assertThatThrownBy(() -> disk.execute(Map.of())).isInstanceOf(CommandException.class)
                .hasMessage("the requested suspend mode is not supported by the guest");
    }

    @Test
    void anUnboundProviderIsGone() throws Exception {
        SuspendEnvironment guest = new SuspendEnvironment(root).withoutPmUtils().sysfsState("freeze mem disk").start();
        SuspendCommand ram = guest.command(SuspendMode.RAM);
        guest.bindAll((provider, reference) -> ram.removeProvider(provider));

        assertThatThrownBy(() -> ram.execute(Map.of()))
                .hasMessage("the requested suspend mode is not supported by the guest");
        assertThat(guest.state()).isEqualTo("freeze mem disk");
    }

    @Test
    void theSupportQueryShape() throws Exception {
        SuspendEnvironment guest = new SuspendEnvironment(root).systemdRunning().sysfsState("freeze mem").start();
        guest.pmIsSupported.exitWith(1, "--hibernate");
        guest.write(guest.proc.resolve("swaps"), "Filename Type Size Used Priority\n");
        guest.write(guest.proc.resolve("cmdline"), "root=/dev/vda1 resume=/dev/vda2\n");
        guest.write(guest.proc.resolve("meminfo"), "MemTotal: 100 kB\nMemAvailable: 50 kB\n");
        GetSuspendSupport query = new GetSuspendSupport(guest.settings("staleAfterSeconds", 0), noDryRun());
        guest.bindAll(query::addProvider);

        assertThat(query.name()).isEqualTo("__dev.somnus_get-suspend-support");
        assertThat(query.successResponse()).isTrue();
        assertThat(query.parameters()).containsExactly(Parameter.optional("dry-run", JsonType.BOOLEAN));
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) query.execute(Map.of());

        assertThat(answer).containsOnlyKeys("modes", "commands-dry-run");
        assertThat(answer.get("commands-dry-run")).isEqualTo(false);
        List<Map<String, Object>> modes = list(answer.get("modes"));
        assertThat(modes).extracting(m -> m.get("mode")).containsExactly("disk", "ram", "hybrid");
        Map<String, Object> disk = modes.get(0);
        assertThat(disk).containsEntry("command", "guest-suspend-disk").containsEntry("supported", true)
                .containsEntry("provider", "systemd").doesNotContainKey("action");
        List<Map<String, Object>> providers = list(disk.get("providers"));
        // unavailable ones keep their order by base rank: pmutils (200 - 10000) before sysfs (100 - 10000)
        assertThat(providers).extracting(p -> p.get("provider")).containsExactly("systemd", "pmutils", "sysfs");
        assertThat(providers.get(0)).containsEntry("available", true).containsEntry("reason", "supported")
                .containsEntry("rank", 300L)
                .containsEntry("sentence", "'" + guest.systemctl.path() + " status systemd-hibernate' exited with status 3")
                .containsKey("probed-at");
        assertThat(providers.get(1)).containsEntry("available", false).containsEntry("reason", "helper-refused")
                .containsEntry("rank", 200L - 10_000);
        assertThat(providers.get(2)).containsEntry("reason", "mode-not-offered").containsEntry("rank", 100L - 10_000);
        assertThat(list(disk.get("preflight"))).extracting(c -> c.get("check") + " " + c.get("ok") + " " + c.get("reason"))
                .containsExactly("swap false no-swap", "resume true resume-device-configured", "lockdown true no-lockdown");
        assertThat(modes.get(1)).doesNotContainKey("preflight").containsEntry("provider", "systemd");
        assertThat(modes.get(2)).containsKey("preflight");
        assertThat(guest.systemctl.calls()).as("the query never acts").allMatch(c -> c.startsWith("status "));
    }

    @Test
    void theSupportQueryWithDryRunNamesEveryAction() throws Exception {
        SuspendEnvironment guest = new SuspendEnvironment(root).withoutPmUtils().sysfsState("freeze mem disk").start();
        GetSuspendSupport query = new GetSuspendSupport(guest.settings(), noDryRun());
        guest.bindAll(query::addProvider);

        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) query.execute(Map.of("dry-run", true));

        Map<String, Object> ram = list(answer.get("modes")).get(1);
        assertThat(ram).containsEntry("provider", "sysfs")
                .containsEntry("action", "write \"mem\" to " + guest.power.resolve("state"));
        assertThat(list(ram.get("providers"))).extracting(p -> p.get("action")).containsExactly(
                "write \"mem\" to " + guest.power.resolve("state"), "exec " + guest.systemctl.path() + " suspend",
                "exec " + guest.pmSuspend.path());
        Map<String, Object> hybrid = list(answer.get("modes")).get(2);
        assertThat(hybrid).containsEntry("supported", false).doesNotContainKeys("provider", "action");
        assertThat(guest.state()).isEqualTo("freeze mem disk");
    }

    @Test
    void theShellCommandPrintsEveryProvider() throws Exception {
        SuspendEnvironment guest = new SuspendEnvironment(root).systemdRunning().sysfsState("freeze mem disk").start();
        SuspendShell shell = new SuspendShell(guest.settings(), Configs.of(AgentDryRun.class, "dryRun", true));
        guest.bindAll(shell::addProvider);

        String text = shell.suspend();

        assertThat(text).contains("MODE", "PROVIDER", "RANK", "AVAILABLE", "REASON", "ACTION");
        assertThat(text.lines().filter(l -> l.startsWith("ram "))).hasSize(3);
        assertThat(text).containsPattern("disk +systemd +300 yes +supported +exec \\S+systemctl hibernate +<- would run");
        assertThat(text).containsPattern("hybrid +sysfs +-9900 no +interface-unreadable");
        assertThat(text).contains("hibernation preflight", "dry run is on");
        assertThat(shell.suspend("bogus")).isEqualTo("usage: suspend [probe]");
        int probes = guest.systemctl.calls().size();
        shell.suspend("probe");
        assertThat(guest.systemctl.calls()).hasSize(probes + 3);
    }

    private static AgentDryRun noDryRun() {
        return Configs.of(AgentDryRun.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
