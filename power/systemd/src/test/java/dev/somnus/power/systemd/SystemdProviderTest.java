package dev.somnus.power.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.process.ChildSpec;
import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.shutdown.ShutdownMode;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeHelper;
import dev.somnus.provider.common.ProcessBuilderChildProcesses;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd shutdown provider against a fake systemctl (it only logs its arguments) and a fake run directory. */
class SystemdProviderTest {

    @TempDir
    Path dir;

    private final ProcessBuilderChildProcesses children = new ProcessBuilderChildProcesses();
    private FakeHelper systemctl;
    private Path runDir;

    @BeforeEach
    void fakes() throws Exception {
        systemctl = FakeHelper.create(dir, "systemctl");
        runDir = Files.createDirectories(dir.resolve("run/systemd/system"));
    }

    private ProviderMethod method(ShutdownMode mode) {
        return SystemdProvider.methods(Configs.of(SystemdProvider.Config.class, "systemctl", systemctl.path(),
                "runDir", runDir.toString()), children, () -> "/nonexistent").get(mode.id());
    }

    @Test
    void availableWhereSystemdManagesTheMachineAndSystemctlIsInstalled() throws Exception {
        Availability answer = method(ShutdownMode.POWERDOWN).probe();

        assertThat(answer.available()).isTrue();
        assertThat(answer.sentence()).isEqualTo(systemctl.path() + " is an executable file");
        // the probe runs nothing, least of all a shutdown
        assertThat(children.spawned()).isEmpty();
    }

    @Test
    void aBareSystemctlIsLookedUpInTheReapersTrustedDirectories() throws Exception {
        String[] trusted = {dir.resolve("nothing-here") + ":" + dir};
        ProviderMethod method = SystemdProvider.methods(Configs.of(SystemdProvider.Config.class, "runDir",
                runDir.toString()), children, () -> trusted[0]).get(ShutdownMode.HALT.id());

        Availability found = method.probe();
        trusted[0] = dir.resolve("nothing-here").toString();
        Availability missing = method.probe();

        assertThat(found.sentence()).isEqualTo(systemctl.path() + " is an executable file");
        assertThat(missing.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(missing.sentence()).isEqualTo("systemctl is in none of the trusted directories "
                + dir.resolve("nothing-here") + " (helper not installed)");
        assertThat(method.action(Map.of())).isEqualTo("exec systemctl halt");
    }

    @Test
    void withoutTheRunDirectorySystemdIsNotRunningAndNothingRuns() throws Exception {
        Files.delete(runDir);

        Availability answer = method(ShutdownMode.REBOOT).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.MANAGER_NOT_RUNNING);
        assertThat(answer.sentence()).isEqualTo(runDir + " does not exist: the machine was not booted with systemd");
        assertThat(children.spawned()).isEmpty();
    }

    @Test
    void aMissingSystemctlIsNotAvailable() throws Exception {
        systemctl.uninstall();

        assertThat(method(ShutdownMode.HALT).probe().reason()).isEqualTo(Reasons.HELPER_MISSING);
    }

    @Test
    void eachModeRunsItsVerbAndExitZeroIsDone() throws Exception {
        for (ShutdownMode mode : ShutdownMode.values()) {
            Outcome outcome = method(mode).perform(Map.of());
            assertThat(outcome.done()).isTrue();
        }

        assertThat(children.spawned()).containsExactly(List.of(systemctl.path(), "poweroff"),
                List.of(systemctl.path(), "halt"), List.of(systemctl.path(), "reboot"));
        assertThat(method(ShutdownMode.POWERDOWN).perform(Map.of()).sentence())
                .isEqualTo("'" + systemctl.path() + " poweroff' exited with status 0: systemd accepted the job");
        assertThat(method(ShutdownMode.REBOOT).action(Map.of())).isEqualTo("exec " + systemctl.path() + " reboot");
    }

    /** The shutdown systemctl starts stops the agent: the helper must outlive that stop. */
    @Test
    void theActionSurvivesTheAgentsStopOnDevNullWithItsTimeout() throws Exception {
        method(ShutdownMode.POWERDOWN).perform(Map.of());

        ChildSpec spec = children.specs().get(0);
        assertThat(spec.survivesStop()).isTrue();
        assertThat(List.of(spec.stdin(), spec.stdout(), spec.stderr())).containsOnly(ChildSpec.Stdio.NULL);
        assertThat(spec.timeout()).contains(Duration.ofSeconds(120));
    }

    @Test
    void aFailingOrKilledSystemctlIsAFailureNamingIt() throws Exception {
        systemctl.exitWith(1, "poweroff");
        Outcome failed = method(ShutdownMode.POWERDOWN).perform(Map.of());
        systemctl.exitWith(143, "halt"); // the test double reads > 128 as death by signal
        Outcome killed = method(ShutdownMode.HALT).perform(Map.of());

        assertThat(failed.reason()).isEqualTo(Reasons.ACTION_FAILED);
        assertThat(failed.sentence())
                .isEqualTo("'" + systemctl.path() + " poweroff' returned an unexpected exit status code (1)");
        assertThat(killed.reason()).isEqualTo(Reasons.ACTION_KILLED);
        assertThat(killed.sentence()).isEqualTo("'" + systemctl.path() + " halt' was killed by signal 15");
    }
}
