package dev.somnus.power.sysv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.process.ChildOutcome;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qemu-ga 7.2's way of shutting down, against a fake shutdown(8) that only logs its arguments. */
class SysvProviderTest {

    @TempDir
    Path dir;

    private final ProcessBuilderChildProcesses children = new ProcessBuilderChildProcesses();
    private FakeHelper shutdown;

    @BeforeEach
    void fakes() {
        shutdown = FakeHelper.create(dir, "shutdown");
    }

    private ProviderMethod method(ShutdownMode mode, Object... overrides) {
        Object[] config = new Object[overrides.length + 2];
        config[0] = "shutdown";
        config[1] = shutdown.path();
        System.arraycopy(overrides, 0, config, 2, overrides.length);
        return SysvProvider.methods(Configs.of(SysvProvider.Config.class, config), children).get(mode.id());
    }

    private List<String> argv(String flag) {
        return List.of(shutdown.path(), "-h", flag, "+0", "hypervisor initiated shutdown");
    }

    @Test
    void eachModeRunsQemuGasArgvExactly() throws Exception {
        for (ShutdownMode mode : ShutdownMode.values()) {
            assertThat(method(mode).perform(Map.of()).done()).isTrue();
        }

        // -h, the mode's flag, +0 and the message as one argument
        assertThat(children.spawned()).containsExactly(argv("-P"), argv("-H"), argv("-r"));
        assertThat(method(ShutdownMode.POWERDOWN).perform(Map.of()).sentence()).isEqualTo(
                "'" + shutdown.path() + " -h -P +0 hypervisor initiated shutdown' exited with status 0: init has the request");
    }

    @Test
    void theActionNamesTheArgvWithTheMessageQuoted() {
        assertThat(method(ShutdownMode.HALT).action(Map.of()))
                .isEqualTo("exec " + shutdown.path() + " -h -H +0 \"hypervisor initiated shutdown\"");
    }

    /** As qemu-ga 7.2 runs it: in its own session (the reaper's), stdio on /dev/null; and it outlives the agent. */
    @Test
    void theActionSurvivesTheAgentsStopOnDevNull() throws Exception {
        method(ShutdownMode.REBOOT).perform(Map.of());

        ChildSpec spec = children.specs().get(0);
        assertThat(spec.survivesStop()).isTrue();
        assertThat(List.of(spec.stdin(), spec.stdout(), spec.stderr())).containsOnly(ChildSpec.Stdio.NULL);
        assertThat(spec.timeout()).contains(Duration.ofSeconds(120));
    }

    @Test
    void aNonZeroExitIsQemuGasFailedToShutdown() throws Exception {
        shutdown.exitWith(1);

        Outcome outcome = method(ShutdownMode.POWERDOWN).perform(Map.of());

        assertThat(outcome.reason()).isEqualTo(Reasons.ACTION_FAILED);
        assertThat(outcome.sentence()).isEqualTo("child process has failed to shutdown ('" + shutdown.path()
                + " -h -P +0 hypervisor initiated shutdown' exited with status 1)");
    }

    @Test
    void aSignalIsQemuGasTerminatedAbnormally() throws Exception {
        shutdown.exitWith(137); // the test double reads > 128 as death by signal

        Outcome outcome = method(ShutdownMode.REBOOT).perform(Map.of());

        assertThat(outcome.reason()).isEqualTo(Reasons.ACTION_KILLED);
        assertThat(outcome.sentence()).isEqualTo("child process has terminated abnormally ('" + shutdown.path()
                + " -h -r +0 hypervisor initiated shutdown' was killed by signal 9)");
    }

    @Test
    void aHelperPastItsTimeoutIsKilledAndTerminatedAbnormally() throws Exception {
        Path slow = dir.resolve("slow-shutdown");
        Files.writeString(slow, "#!/bin/sh\nexec sleep 30\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProviderMethod method = SysvProvider.methods(Configs.of(SysvProvider.Config.class, "shutdown", slow.toString(),
                "actionTimeoutSeconds", 1), children).get(ShutdownMode.POWERDOWN.id());

        Outcome outcome = method.perform(Map.of());

        assertThat(outcome.reason()).isEqualTo(Reasons.ACTION_TIMED_OUT);
        assertThat(outcome.sentence()).startsWith("child process has terminated abnormally ('" + slow
                + " -h -P +0 hypervisor initiated shutdown' timed out after ");
    }

    @Test
    void aMissingProgramIsUnavailableAndWouldFailAsQemuGasExecFailureDoes() throws Exception {
        shutdown.uninstall();

        Availability answer = method(ShutdownMode.POWERDOWN).probe();
        Outcome outcome = method(ShutdownMode.POWERDOWN).perform(Map.of());

        assertThat(answer.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(answer.sentence()).isEqualTo(shutdown.path() + " does not exist (helper not installed)");
        // qemu-ga 7.2's child exits 1 when exec fails: the same text
        assertThat(outcome.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(outcome.sentence()).startsWith("child process has failed to shutdown ('" + shutdown.path());
    }

    @Test
    void theProbeOnlyLooksAtTheFile() throws Exception {
        Availability yes = method(ShutdownMode.POWERDOWN).probe();
        Files.setPosixFilePermissions(Path.of(shutdown.path()), PosixFilePermissions.fromString("rw-r--r--"));
        Availability notExecutable = method(ShutdownMode.POWERDOWN).probe();
        Availability relative = SysvProvider.methods(Configs.of(SysvProvider.Config.class, "shutdown", "shutdown"),
                children).get("halt").probe();

        assertThat(yes.available()).isTrue();
        assertThat(yes.sentence()).isEqualTo(shutdown.path() + " is an executable file");
        assertThat(notExecutable.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(relative.reason()).isEqualTo(Reasons.PROBE_FAILED);
        assertThat(children.spawned()).isEmpty();
        assertThat(shutdown.calls()).isEmpty();
    }

    @Test
    void theDefaultIsQemuGasProgram() {
        assertThat(Configs.of(SysvProvider.Config.class).shutdown()).isEqualTo("/sbin/shutdown");
        assertThat(Configs.of(SysvProvider.Config.class).baseRank()).isEqualTo(200);
    }

    @Test
    void aHelperLeftRunningAtTheAgentsStopHasTheRequest() {
        List<String> argv = argv("-P");

        Outcome outcome = SysvMethod.outcome(ChildOutcome.released(argv, Duration.ofMillis(3)));

        assertThat(outcome.done()).isTrue();
        assertThat(SysvMethod.outcome(ChildOutcome.failedToStart(argv, 11, "Resource temporarily unavailable"))
                .sentence()).startsWith("failed to create child process: Resource temporarily unavailable (");
    }
}
