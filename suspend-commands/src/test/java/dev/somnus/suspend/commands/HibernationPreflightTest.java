package dev.somnus.suspend.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preflight against fake /proc and /sys trees. */
class HibernationPreflightTest {

    private static final String SWAPS_HEADER = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
    private static final String MEMINFO = "MemTotal:        4000000 kB\nMemFree:          500000 kB\n"
            + "MemAvailable:    3000000 kB\nSwapTotal:       2097148 kB\n";

    @TempDir
    Path root;

    private Path proc;
    private Path sys;
    private HibernationPreflight preflight;

    @BeforeEach
    void trees() throws Exception {
        proc = Files.createDirectories(root.resolve("proc"));
        sys = Files.createDirectories(root.resolve("sys"));
        preflight = new HibernationPreflight(proc, sys);
        write(proc.resolve("meminfo"), MEMINFO);
        write(proc.resolve("cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro quiet\n");
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void noActiveSwap() throws Exception {
        write(proc.resolve("swaps"), SWAPS_HEADER);

        HibernationPreflight.Check check = preflight.swap();

        assertThat(check.ok()).isFalse();
        assertThat(check.reason()).isEqualTo("no-swap");
    }

    @Test
    void swapSmallerThanTheMemoryInUse() throws Exception {
        // in use: 4000000 - 3000000 = 1000000 KiB; free swap: 1048572 - 100000 = 948572 KiB
        write(proc.resolve("swaps"), SWAPS_HEADER + "/dev/vda2    partition\t1048572\t\t100000\t\t-2\n");

        HibernationPreflight.Check check = preflight.swap();

        assertThat(check.reason()).isEqualTo("swap-too-small");
        assertThat(check.sentence()).isEqualTo("active swap has 948572 KiB free on 1 device(s), memory in use is "
                + "1000000 KiB (MemTotal - MemAvailable): the hibernation image may not fit");
    }

    @Test
    void swapLargeEnoughAcrossDevices() throws Exception {
        write(proc.resolve("swaps"), SWAPS_HEADER + "/dev/vda2 partition 600000 0 -2\n/swapfile file 600000 0 -3\n");

        HibernationPreflight.Check check = preflight.swap();

        assertThat(check.ok()).isTrue();
        assertThat(check.reason()).isEqualTo("swap-sufficient");
        assertThat(check.sentence()).startsWith("active swap has 1200000 KiB free on 2 device(s)");
    }

    @Test
    void unreadableSwapsIsSaid() {
        HibernationPreflight.Check check = preflight.swap();

        assertThat(check.ok()).isFalse();
        assertThat(check.reason()).isEqualTo("preflight-unreadable");
        assertThat(check.sentence()).isEqualTo(proc.resolve("swaps") + " could not be read: No such file or directory");
    }

    @Test
    void resumeDeviceFromSysfs() throws Exception {
        write(sys.resolve("power/resume"), "254:2\n");

        HibernationPreflight.Check check = preflight.resume();

        assertThat(check.ok()).isTrue();
        assertThat(check.sentence()).isEqualTo(sys.resolve("power/resume") + " is 254:2");
    }

    @Test
    void resumeDeviceFromTheCommandLine() throws Exception {
        write(sys.resolve("power/resume"), "0:0\n");
        write(proc.resolve("cmdline"), "root=/dev/vda1 resume=UUID=1234 ro\n");

        HibernationPreflight.Check check = preflight.resume();

        assertThat(check.ok()).isTrue();
        assertThat(check.reason()).isEqualTo("resume-device-configured");
        assertThat(check.sentence()).isEqualTo(proc.resolve("cmdline") + " has resume=UUID=1234");
    }

    @Test
    void noResumeDevice() throws Exception {
        write(sys.resolve("power/resume"), "0:0\n");

        assertThat(preflight.resume().reason()).isEqualTo("no-resume-device");
    }

    @Test
    void noresumeOnTheCommandLineWins() throws Exception {
        write(sys.resolve("power/resume"), "254:2\n");
        write(proc.resolve("cmdline"), "root=/dev/vda1 noresume\n");

        assertThat(preflight.resume().reason()).isEqualTo("noresume");
    }

    @Test
    void lockdown() throws Exception {
        assertThat(preflight.lockdown().ok()).as("no lockdown file").isTrue();

        write(sys.resolve("kernel/security/lockdown"), "[none] integrity confidentiality\n");
        assertThat(preflight.lockdown().ok()).isTrue();

        write(sys.resolve("kernel/security/lockdown"), "none [integrity] confidentiality\n");
        HibernationPreflight.Check integrity = preflight.lockdown();
        assertThat(integrity.ok()).isFalse();
        assertThat(integrity.reason()).isEqualTo("kernel-lockdown");

        write(sys.resolve("kernel/security/lockdown"), "none integrity [confidentiality]\n");
        assertThat(preflight.lockdown().reason()).isEqualTo("kernel-lockdown");
    }

    @Test
    void warningsAreTheFailedChecksInOrder() throws Exception {
        write(proc.resolve("swaps"), SWAPS_HEADER);
        write(sys.resolve("power/resume"), "254:2\n");
        write(sys.resolve("kernel/security/lockdown"), "none [integrity] confidentiality\n");

        assertThat(preflight.warnings()).extracting(HibernationPreflight.Check::reason)
                .containsExactly("no-swap", "kernel-lockdown");
    }
}
