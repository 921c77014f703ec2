package dev.somnus.suspend.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeHelper;
import dev.somnus.provider.common.ProcessBuilderChildProcesses;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The systemd provider against a fake systemctl and a fake run directory. */
class SystemdProviderTest {

    @TempDir
    Path dir;

    private FakeHelper systemctl;
    private Path runDir;

    @BeforeEach
    void fakes() throws Exception {
        systemctl = FakeHelper.create(dir, "systemctl").exitWith(3, "status");
        runDir = Files.createDirectories(dir.resolve("run/systemd/system"));
    }

    private Map<String, ProviderMethod> methods() {
        return SystemdProvider.methods(Configs.of(SystemdProvider.Config.class, "systemctl", systemctl.path(),
                "runDir", runDir.toString()), new ProcessBuilderChildProcesses());
    }

    @Test
    void eachModeAsksAboutItsUnit() throws Exception {
        for (SuspendMode mode : SuspendMode.values()) {
            assertThat(methods().get(mode.id()).probe().available()).isTrue();
        }

        assertThat(systemctl.calls()).containsExactly("status systemd-hibernate", "status systemd-suspend",
                "status systemd-hybrid-sleep");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void exitZeroToThreeMeansTheUnitIsKnown(int status) throws Exception {
        systemctl.exitWith(status, "status");

        Availability answer = methods().get(SuspendMode.RAM.id()).probe();

        assertThat(answer.available()).isTrue();
        assertThat(answer.sentence())
                .isEqualTo("'" + systemctl.path() + " status systemd-suspend' exited with status " + status);
    }

    @Test
    void exitFourIsAnUnknownUnit() throws Exception {
        systemctl.exitWith(4, "status");

        Availability answer = methods().get(SuspendMode.HYBRID.id()).probe();

        assertThat(answer.reason()).isEqualTo(Reasons.HELPER_REFUSED);
        assertThat(answer.sentence()).isEqualTo("'" + systemctl.path()
                + " status systemd-hybrid-sleep' exited with status 4: systemd does not know the unit systemd-hybrid-sleep");
    }

    @Test
    void otherExitStatusesAreFailedProbes() throws Exception {
        systemctl.exitWith(5, "status");

        assertThat(methods().get(SuspendMode.DISK.id()).probe().reason()).isEqualTo(Reasons.PROBE_FAILED);
    }

    @Test
    void notBootedWithSystemdIsNotSupportEvenThoughSystemctlExitsOne() throws Exception {
        // qemu-ga 7.2 takes this exit 1 as support (§4.3); without the run directory we do not ask.
        systemctl.exitWith(1, "status");
        Files.delete(runDir);

        Availability answer = methods().get(SuspendMode.RAM.id()).probe();

        assertThat(answer.available()).isFalse();
        assertThat(answer.reason()).isEqualTo(Reasons.MANAGER_NOT_RUNNING);
        assertThat(answer.sentence()).isEqualTo(runDir + " does not exist: the machine was not booted with systemd");
        assertThat(systemctl.calls()).isEmpty();
    }

    @Test
    void withoutSystemctlTheHelperIsMissing() throws Exception {
        systemctl.uninstall();

        assertThat(methods().get(SuspendMode.RAM.id()).probe().reason()).isEqualTo(Reasons.HELPER_MISSING);
    }

    @Test
    void suspendAsksSystemctlForTheVerb() throws Exception {
        Map<String, ProviderMethod> methods = methods();

        Outcome disk = methods.get(SuspendMode.DISK.id()).perform(Map.of());
        methods.get(SuspendMode.RAM.id()).perform(Map.of());
        methods.get(SuspendMode.HYBRID.id()).perform(Map.of());

        assertThat(systemctl.calls()).containsExactly("hibernate", "suspend", "hybrid-sleep");
        assertThat(disk.done()).isTrue();
        assertThat(disk.sentence())
                .isEqualTo("'" + systemctl.path() + " hibernate' exited with status 0: systemd accepted the request");
        assertThat(methods.get(SuspendMode.HYBRID.id()).action(Map.of())).isEqualTo("exec " + systemctl.path() + " hybrid-sleep");
    }

    @Test
    void aRefusedRequestIsAFailureNotSilence() throws Exception {
        // qemu-ga discards this error and may answer success (§4.3); we report it.
        systemctl.exitWith(1, "suspend");

        Outcome outcome = methods().get(SuspendMode.RAM.id()).perform(Map.of());

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.sentence()).isEqualTo(
                "'" + systemctl.path() + " suspend' returned an unexpected exit status code (1): fake systemctl says 1");
    }

    @Test
    void everyJavadocBlockDocumentsSomething() throws Exception {
        dev.somnus.provider.common.JavadocBlocks.assertNoneStacked(java.nio.file.Path.of("src/main/java"));
    }
}
