package dev.somnus.clock.hwclock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.clock.ClockFamily;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeHelper;
import dev.somnus.provider.common.ProcessBuilderChildProcesses;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hwclock provider's two modes on a fake hwclock script: never the real /sbin/hwclock. */
class HwclockMethodTest {

    private static final Map<String, Object> SET = Map.of(ClockFamily.TIME, 1_764_871_200_000_000_000L);

    @TempDir
    Path bin;

    private FakeHelper hwclock;
    private final ProcessBuilderChildProcesses children = new ProcessBuilderChildProcesses();
    private Map<String, ProviderMethod> methods;

    @BeforeEach
    void fakeHwclock() {
        hwclock = FakeHelper.create(bin, "hwclock");
        methods = HwclockProvider.methods(Configs.of(HwclockProvider.Config.class, "hwclock", hwclock.path()), children);
    }

    @Test
    void setWritesTheRtcWithDashWAndSyncReadsItWithDashS() throws Exception {
        assertThat(methods.keySet()).containsExactly("set", "sync");

        Outcome set = methods.get("set").perform(SET);
        Outcome sync = methods.get("sync").perform(Map.of());

        assertThat(hwclock.calls()).containsExactly("-w", "-s");
        assertThat(children.spawned()).containsExactly(List.of(hwclock.path(), "-w"), List.of(hwclock.path(), "-s"));
        assertThat(set.done()).isTrue();
        assertThat(set.sentence()).isEqualTo("'" + hwclock.path() + " -w' exited with status 0: the hardware clock "
                + "was set from the system clock");
        assertThat(sync.sentence()).endsWith("the system clock was set from the hardware clock");
    }

    @Test
    void theActionNamesTheExactArgv() {
        assertThat(methods.get("set").action(SET)).isEqualTo("exec " + hwclock.path() + " -w");
        assertThat(methods.get("sync").action(Map.of())).isEqualTo("exec " + hwclock.path() + " -s");
        assertThat(hwclock.calls()).isEmpty();
    }

    @Test
    void aNonZeroExitFailsWithHwclocksLastWords() throws Exception {
        hwclock.exitWith(1, "-w");

        Outcome outcome = methods.get("set").perform(SET);

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.reason()).isEqualTo(Reasons.ACTION_FAILED);
        assertThat(outcome.sentence()).isEqualTo("'" + hwclock.path() + " -w' returned an unexpected exit status code "
                + "(1): fake hwclock says 1");
    }

    @Test
    void availableWhileExecutableAsQemuGasAccessXOk() throws Exception {
        Availability available = methods.get("set").probe();
        assertThat(available.available()).isTrue();
        assertThat(available.sentence()).isEqualTo(hwclock.path() + " is executable");

        Files.setPosixFilePermissions(Path.of(hwclock.path()), PosixFilePermissions.fromString("rw-r--r--"));
        Availability notExecutable = methods.get("sync").probe();
        assertThat(notExecutable.available()).isFalse();
        assertThat(notExecutable.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(notExecutable.sentence()).isEqualTo(hwclock.path() + " is not an executable file");

        hwclock.uninstall();
        assertThat(methods.get("set").probe().sentence())
                .isEqualTo(hwclock.path() + " is not an executable file: No such file or directory");
        // probing never runs it
        assertThat(hwclock.calls()).isEmpty();
    }

    @Test
    void theDefaultsAreQemuGasProgramAndRank200() {
        HwclockProvider.Config defaults = Configs.of(HwclockProvider.Config.class);
        assertThat(defaults.hwclock()).isEqualTo("/sbin/hwclock");
        assertThat(HwclockProvider.settings(defaults).baseRank()).isEqualTo(200);
        assertThat(HwclockProvider.settings(defaults).provider()).isEqualTo("hwclock");
    }
}
