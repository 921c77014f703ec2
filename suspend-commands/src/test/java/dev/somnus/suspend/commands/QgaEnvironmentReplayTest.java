package dev.somnus.suspend.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.suspend.SuspendMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guests of qga-reference §4.3 replayed through the dispatch with the real providers on fake
 * programs and fake sysfs trees: which helper runs, in which order, and what the client is told.
 * "Returns normally" stands for qemu-ga's silent success (§1.6).
 */
class QgaEnvironmentReplayTest {

    private static final String NOT_SUPPORTED = "the requested suspend mode is not supported by the guest";

    @TempDir
    Path root;

    private SuspendEnvironment guest() {
        return new SuspendEnvironment(root);
    }

    @Test
    void systemdSaysYes() throws Exception {
        SuspendEnvironment guest = guest().systemdRunning().sysfsState("freeze mem disk").start();

        guest.suspend(SuspendMode.RAM);

        assertThat(guest.systemctl.calls()).endsWith("suspend");
        assertThat(guest.pmSuspend.calls()).isEmpty();
        assertThat(guest.state()).isEqualTo("freeze mem disk");
    }

    @Test
    void pmUtilsSaysYes() throws Exception {
        SuspendEnvironment guest = guest().sysfsState("freeze mem disk").start();

        guest.suspend(SuspendMode.DISK);

        assertThat(guest.pmIsSupported.calls()).contains("--hibernate");
        assertThat(guest.pmHibernate.calls()).containsExactly("");
        assertThat(guest.systemctl.calls()).as("systemd not running: never asked").isEmpty();
        assertThat(guest.state()).isEqualTo("freeze mem disk");
    }

    @Test
    void pmUtilsSaysNoAndSysfsOffersTheMode() throws Exception {
        SuspendEnvironment guest = guest().sysfsState("freeze mem disk");
        guest.pmIsSupported.exitWith(1);
        guest.start();

        guest.suspend(SuspendMode.RAM);

        assertThat(guest.pmSuspend.calls()).isEmpty();
        assertThat(guest.state()).isEqualTo("mem");
    }

    @Test
    void pmUtilsAbsentAndSysfsOffersTheMode() throws Exception {
        SuspendEnvironment guest = guest().withoutPmUtils().sysfsState("freeze mem disk").start();

        guest.suspend(SuspendMode.DISK);

        assertThat(guest.state()).isEqualTo("disk");
    }

    @Test
    void sysfsOffersOnlyMem() throws Exception {
        SuspendEnvironment guest = guest().withoutPmUtils().sysfsState("freeze mem").start();

        assertThatThrownBy(() -> guest.suspend(SuspendMode.DISK)).isInstanceOf(CommandException.class)
                .hasMessage(NOT_SUPPORTED);
        assertThat(guest.state()).isEqualTo("freeze mem");
        guest.suspend(SuspendMode.RAM);
        assertThat(guest.state()).isEqualTo("mem");
    }

    @Test
    void nothingAtAll() {
        SuspendEnvironment guest = guest().withoutPmUtils().start();

        for (SuspendMode mode : SuspendMode.values()) {
            assertThatThrownBy(() -> guest.suspend(mode)).isInstanceOf(CommandException.class)
                    .hasMessage(NOT_SUPPORTED)
                    .extracting(e -> ((CommandException) e).errorClass()).isEqualTo("GenericError");
        }
    }

    @Test
    void hybridHasNoSysfsPathWithoutTheDiskFile() {
        // qemu-ga has no sysfs hybrid at all; our extension needs /sys/power/disk to offer suspend
        SuspendEnvironment guest = guest().withoutPmUtils().sysfsState("freeze mem disk").start();

        assertThatThrownBy(() -> guest.suspend(SuspendMode.HYBRID)).hasMessage(NOT_SUPPORTED);
    }

    @Test
    void notBootedWithSystemdIsNotSupportWhereQemuGaWouldAnswerSuccess() {
        // §4.3's example: systemctl status exits 1 (not booted with systemd), pm-is-supported says
        // no, /sys/power/state is empty. qemu-ga 7.2 answers nothing (success) without suspending.
        SuspendEnvironment guest = guest().sysfsState("");
        guest.systemctl.exitWith(1);
        guest.pmIsSupported.exitWith(1);
        guest.start();

        assertThatThrownBy(() -> guest.suspend(SuspendMode.RAM)).hasMessage(NOT_SUPPORTED);
        assertThat(guest.systemctl.calls()).isEmpty();
    }

    @Test
    void systemdFailsAndSysfsTakesOver() throws Exception {
        SuspendEnvironment guest = guest().systemdRunning().withoutPmUtils().sysfsState("freeze mem disk").start();
        guest.systemctl.exitWith(1, "suspend");

        guest.suspend(SuspendMode.RAM);

        assertThat(guest.systemctl.calls()).endsWith("suspend");
        assertThat(guest.state()).isEqualTo("mem");
    }

    @Test
    void systemdFailsAndNothingElseOffersTheModeIsAnErrorNotSilence() {
        // qemu-ga discards the systemctl failure and, sysfs not offering the mode, answers success
        SuspendEnvironment guest = guest().systemdRunning().withoutPmUtils().sysfsState("freeze").start();
        guest.systemctl.exitWith(1, "suspend");

        assertThatThrownBy(() -> guest.suspend(SuspendMode.RAM)).hasMessage(
                "guest-suspend-ram failed with every available provider: systemd: '" + guest.systemctl.path()
                        + " suspend' returned an unexpected exit status code (1): fake systemctl says 1");
    }

    @Test
    void everyActionFails() throws Exception {
        SuspendEnvironment guest = guest().systemdRunning().sysfsState("freeze mem disk").start();
        guest.systemctl.exitWith(1, "suspend");
        guest.pmSuspend.exitWith(1);
        Files.delete(guest.power.resolve("state")); // the interface vanished after the probe

        assertThatThrownBy(() -> guest.suspend(SuspendMode.RAM)).hasMessage(
                "guest-suspend-ram failed with every available provider: "
                        + "systemd: '" + guest.systemctl.path() + " suspend' returned an unexpected exit status code (1): fake systemctl says 1; "
                        + "pmutils: '" + guest.pmSuspend.path() + "' returned an unexpected exit status code (1): fake pm-suspend says 1; "
                        + "sysfs: suspend: cannot write to '" + guest.power.resolve("state") + "': No such file or directory");
        assertThat(guest.systemctl.calls()).endsWith("suspend");
        assertThat(guest.pmSuspend.calls()).hasSize(1);
    }

    @Test
    void hybridFailuresAreNamedWhereQemuGaSaysUnknownGuestSuspendMode() {
        SuspendEnvironment guest = guest().systemdRunning().start();
        guest.systemctl.exitWith(1, "hybrid-sleep");
        guest.pmSuspendHybrid.exitWith(1);

        assertThatThrownBy(() -> guest.suspend(SuspendMode.HYBRID))
                .hasMessageStartingWith("guest-suspend-hybrid failed with every available provider: systemd: ")
                .hasMessageContaining("; pmutils: '" + guest.pmSuspendHybrid.path() + "' returned");
    }

    @Test
    void failedHibernationNamesThePreflightWarnings() throws Exception {
        SuspendEnvironment guest = guest().withoutPmUtils().sysfsState("freeze mem disk").start();
        guest.write(guest.proc.resolve("swaps"), "Filename\tType\tSize\tUsed\tPriority\n");
        guest.write(guest.proc.resolve("cmdline"), "root=/dev/vda1 ro quiet\n");
        Files.delete(guest.power.resolve("state"));

        assertThatThrownBy(() -> guest.suspend(SuspendMode.DISK)).hasMessage(
                "guest-suspend-disk failed with every available provider: sysfs: suspend: cannot write to '"
                        + guest.power.resolve("state") + "': No such file or directory (hibernation preflight: "
                        + "no-swap: no swap space is active (" + guest.proc.resolve("swaps")
                        + " lists none): there is nowhere to write a hibernation image; "
                        + "no-resume-device: no resume device is configured (" + guest.sys.resolve("power/resume")
                        + " is 0:0 or absent and " + guest.proc.resolve("cmdline")
                        + " has no resume=): the guest would boot afresh instead of resuming)");
    }

    @Test
    void explainNamesProviderAndActionAndRunsNoAction() throws Exception {
        SuspendEnvironment guest = guest().systemdRunning().sysfsState("freeze mem disk").start();

        // what the runtime's dry run answers with, after "would"
        assertThat(guest.explain(SuspendMode.DISK, "staleAfterSeconds", 0))
                .isEqualTo("run provider systemd: exec " + guest.systemctl.path() + " hibernate");
        assertThat(guest.systemctl.calls()).as("probes only").allMatch(call -> call.startsWith("status "));
        assertThat(guest.pmHibernate.calls()).isEmpty();
        assertThat(guest.state()).isEqualTo("freeze mem disk");
    }

    @Test
    void explainWithNothingAvailableIsTheUsualError() {
        SuspendEnvironment guest = guest().withoutPmUtils().start();

        assertThatThrownBy(() -> guest.explain(SuspendMode.RAM)).hasMessage(NOT_SUPPORTED);
    }

    @Test
    void aStaleAnswerIsProbedAgainBeforeActing() throws Exception {
        SuspendEnvironment guest = guest().sysfsState("freeze mem disk").start();
        guest.pmIsSupported.exitWith(1);

        guest.suspend(SuspendMode.RAM, "staleAfterSeconds", 0);

        assertThat(guest.pmSuspend.calls()).as("pm-utils said no when asked again").isEmpty();
        assertThat(guest.state()).isEqualTo("mem");
        assertThat(guest.property("pmutils", SuspendMode.RAM, "service.ranking")).isEqualTo(200 - 10_000);
    }

    @Test
    void aFreshAnswerIsTrusted() throws Exception {
        SuspendEnvironment guest = guest().sysfsState("freeze mem disk").start();
        int probes = guest.pmIsSupported.calls().size();

        guest.suspend(SuspendMode.RAM, "staleAfterSeconds", 3600);

        assertThat(guest.pmIsSupported.calls()).hasSize(probes);
        assertThat(guest.pmSuspend.calls()).hasSize(1);
    }
}
