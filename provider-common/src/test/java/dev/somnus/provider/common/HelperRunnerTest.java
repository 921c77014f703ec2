package dev.somnus.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelperRunnerTest {

    @TempDir
    Path dir;

    private final ProcessBuilderChildProcesses children = new ProcessBuilderChildProcesses();
    private final HelperRunner runner = new HelperRunner(children, Duration.ofSeconds(10));

    private Availability probe(List<String> argv) throws InterruptedException {
        return HelperRunner.verdict(argv, runner.run(argv), s -> s == 0, s -> s == 1, "the mode is not supported");
    }

    @Test
    void exitZeroIsYesAndOneIsNo() throws Exception {
        FakeHelper helper = FakeHelper.create(dir, "pm-is-supported");

        Availability yes = probe(List.of(helper.path(), "--suspend"));
        helper.exitWith(1);
        Availability no = probe(List.of(helper.path(), "--suspend"));

        assertThat(yes.available()).isTrue();
        assertThat(yes.sentence()).isEqualTo("'" + helper.path() + " --suspend' exited with status 0");
        assertThat(no.available()).isFalse();
        assertThat(no.reason()).isEqualTo(Reasons.HELPER_REFUSED);
        assertThat(no.sentence()).isEqualTo("'" + helper.path() + " --suspend' exited with status 1: the mode is not supported");
        assertThat(helper.calls()).containsExactly("--suspend", "--suspend");
    }

    @Test
    void anotherExitStatusIsAFailedProbeQuotingTheHelpersStderr() throws Exception {
        FakeHelper helper = FakeHelper.create(dir, "pm-is-supported").exitWith(7);

        Availability answer = probe(List.of(helper.path(), "--hibernate"));

        assertThat(answer.reason()).isEqualTo(Reasons.PROBE_FAILED);
        assertThat(answer.sentence()).isEqualTo(
                "'" + helper.path() + " --hibernate' returned an unexpected exit status code (7): fake pm-is-supported says 7");
    }

    @Test
    void aMissingProgramIsHelperMissing() throws Exception {
        String missing = dir.resolve("pm-is-supported").toString();

        Availability answer = probe(List.of(missing, "--suspend"));

        assertThat(answer.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(answer.sentence()).startsWith("'" + missing + " --suspend' could not be run: No such file or directory");
    }

    @Test
    void aProgramThatCannotBeExecutedIsAFailedProbe() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("pm-is-supported"), "#!/bin/sh\nexit 0\n");

        Availability answer = probe(List.of(notExecutable.toString(), "--suspend"));

        assertThat(answer.reason()).isEqualTo(Reasons.PROBE_FAILED);
        assertThat(answer.sentence()).contains("Permission denied");
    }

    @Test
    void aHelperKilledByASignalIsNotSupport() {
        // qemu-ga 7.2 reads a killed helper as exit status 0 (§4.3); we do not.
        ChildOutcome killed = ChildOutcome.signalled(List.of("systemctl", "status", "x"), 9, null, null, false,
                Duration.ZERO);

        Availability answer = HelperRunner.verdict(List.of("systemctl", "status", "x"), killed, s -> s <= 3,
                s -> s == 4, "unknown unit");

        assertThat(answer.available()).isFalse();
        assertThat(answer.reason()).isEqualTo(Reasons.PROBE_FAILED);
        assertThat(answer.sentence()).isEqualTo("'systemctl status x' was killed by signal 9");
    }

    @Test
    void aProbeThatRunsPastItsTimeoutIsAFailedProbe() throws Exception {
        Path sleeper = Files.writeString(dir.resolve("sleeper"), "#!/bin/sh\nexec sleep 30\n");
        sleeper.toFile().setExecutable(true);
        HelperRunner impatient = new HelperRunner(children, Duration.ofMillis(200));
        List<String> argv = List.of(sleeper.toString());

        Availability answer = HelperRunner.verdict(argv, impatient.run(argv), s -> s == 0, s -> s == 1, "no");

        assertThat(answer.reason()).isEqualTo(Reasons.PROBE_FAILED);
        assertThat(answer.sentence()).startsWith("'" + sleeper + "' timed out after ");
    }

    @Test
    void actionOutcomes() throws Exception {
        FakeHelper helper = FakeHelper.create(dir, "pm-suspend");
        List<String> argv = List.of(helper.path());

        Outcome done = HelperRunner.actionOutcome(argv, runner.run(argv), "the guest has resumed");
        helper.exitWith(1);
        Outcome failed = HelperRunner.actionOutcome(argv, runner.run(argv), "the guest has resumed");
        helper.uninstall();
        Outcome missing = HelperRunner.actionOutcome(argv, runner.run(argv), "the guest has resumed");

        assertThat(done.done()).isTrue();
        assertThat(done.sentence()).isEqualTo("'" + helper.path() + "' exited with status 0: the guest has resumed");
        assertThat(failed.done()).isFalse();
        assertThat(failed.reason()).isEqualTo("action-failed");
        assertThat(failed.sentence())
                .isEqualTo("'" + helper.path() + "' returned an unexpected exit status code (1): fake pm-suspend says 1");
        assertThat(missing.reason()).isEqualTo(Reasons.HELPER_MISSING);
    }

    @Test
    void everyRunHasATimeout() throws Exception {
        // the reaper kills a hanging helper instead of hanging the agent as qemu-ga does (§4.5)
        FakeHelper helper = FakeHelper.create(dir, "systemctl");
        RecordingChildProcesses recording = new RecordingChildProcesses(children);

        new HelperRunner(recording, Duration.ofSeconds(3)).run(List.of(helper.path(), "status", "x"));

        assertThat(recording.specs).singleElement()
                .satisfies(spec -> assertThat(spec.timeout()).contains(Duration.ofSeconds(3)));
    }

    private static final class RecordingChildProcesses implements dev.somnus.api.process.ChildProcesses {
        final List<dev.somnus.api.process.ChildSpec> specs = new java.util.ArrayList<>();
        final dev.somnus.api.process.ChildProcesses delegate;

        RecordingChildProcesses(dev.somnus.api.process.ChildProcesses delegate) {
            this.delegate = delegate;
        }

        @Override
        public dev.somnus.api.process.ChildProcess spawn(dev.somnus.api.process.ChildSpec spec) {
            specs.add(spec);
            return delegate.spawn(spec);
        }
    }

    @Test
    void aWaitInterruptedEndsTheHelperInsteadOfLeavingItRunning() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path helper = dir.resolve("slow-helper");
        Files.writeString(helper, "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 30\n");
        helper.toFile().setExecutable(true);
        Throwable[] thrown = new Throwable[1];
        Thread waiting = new Thread(() -> {
            try {
                runner.run(List.of(helper.toString()));
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        waiting.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(pidFile) && Files.size(pidFile) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Path proc = Path.of("/proc", Files.readString(pidFile).strip());
        waiting.interrupt();
        waiting.join(10_000);

        assertThat(thrown[0]).isInstanceOf(InterruptedException.class);
        while (Files.exists(proc) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proc).as("the helper, after its caller was interrupted").doesNotExist();
    }

    @Test
    void anActionReleasedAtTheAgentsStopHasBeenHandedOn() {
        List<String> argv = List.of("/sbin/shutdown", "-h", "-P", "+0", "hypervisor initiated shutdown");

        Outcome outcome = HelperRunner.actionOutcome(argv, ChildOutcome.released(argv, Duration.ofMillis(5)),
                "the request is handed on");

        assertThat(outcome.done()).isTrue();
        assertThat(outcome.sentence()).isEqualTo("'/sbin/shutdown -h -P +0 hypervisor initiated shutdown' was still"
                + " running when the agent stopped and was left to finish: the request is handed on");
    }

    @Test
    void aSurvivingActionRunsWithoutCapture() throws Exception {
        FakeHelper helper = FakeHelper.create(dir, "poweroff").exitWith(3);

        ChildOutcome outcome = runner.runSurvivingStop(List.of(helper.path()));

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.stderrText()).isEmpty();
        assertThat(helper.calls()).containsExactly("");
    }

    @Test
    void aProgramThatMustNotBeRunIsProbedByItsFileOnly() throws Exception {
        FakeHelper helper = FakeHelper.create(dir, "shutdown");

        Availability executable = HelperRunner.executableFile(helper.path());
        java.nio.file.Files.setPosixFilePermissions(Path.of(helper.path()),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Availability notExecutable = HelperRunner.executableFile(helper.path());
        helper.uninstall();

        assertThat(executable.sentence()).isEqualTo(helper.path() + " is an executable file");
        assertThat(notExecutable.reason()).isEqualTo(Reasons.HELPER_MISSING);
        assertThat(notExecutable.sentence()).isEqualTo(helper.path() + " is not an executable file");
        assertThat(HelperRunner.executableFile(helper.path()).sentence())
                .isEqualTo(helper.path() + " does not exist (helper not installed)");
        assertThat(HelperRunner.executableFile("shutdown").reason()).isEqualTo(Reasons.PROBE_FAILED);
        assertThat(dir.resolve("shutdown.log")).doesNotExist();
    }
}
