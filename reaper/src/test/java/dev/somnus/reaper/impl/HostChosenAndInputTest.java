package dev.somnus.reaper.impl;

import static dev.somnus.reaper.impl.Fixtures.outcome;
import static dev.somnus.reaper.impl.Fixtures.script;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildOutcome.Kind;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildSpec;
import dev.somnus.api.process.ChildSpec.Stdio;
import dev.somnus.reaper.impl.posix.Posix;

/**
 * What guest-exec needs from the reaper: bytes fed to stdin, stderr merged into stdout, truncation
 * per stream, and a program the host named, found as qemu-ga finds it.
 */
class HostChosenAndInputTest {

    @TempDir
    Path dir;

    private final Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    private Reaper reaper;

    @BeforeEach
    void start() throws Exception {
        Path trusted = Files.createDirectory(dir.resolve("trusted"));
        reaper = Fixtures.reaper(trusted, Duration.ofMillis(200), log);
    }

    @AfterEach
    void stop() {
        reaper.close();
    }

    private ChildOutcome run(ChildSpec spec) throws Exception {
        return outcome(reaper.spawn(spec));
    }

    @Test
    void inputBytesReachStdinThenEndOfFile() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/cat").withInput("hello\n".getBytes(StandardCharsets.US_ASCII))
                .withStdio(Stdio.INPUT, Stdio.CAPTURE, Stdio.NULL));
        assertThat(out.succeeded()).isTrue();
        assertThat(out.stdoutText()).isEqualTo("hello\n");
    }

    @Test
    void inputFarLargerThanAPipeIsFedAsTheChildReads() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        ChildOutcome out = run(ChildSpec.of("/bin/cat").withInput(big).withStdio(Stdio.INPUT, Stdio.CAPTURE,
                Stdio.NULL).withOutputCap(4 * 1024 * 1024));
        assertThat(out.succeeded()).isTrue();
        assertThat(Arrays.equals(out.stdout(), big)).isTrue();
        assertThat(out.outputTruncated()).isFalse();
    }

    @Test
    void emptyInputIsAnImmediateEndOfFile() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "cat; echo eof").withInput(new byte[0])
                .withStdio(Stdio.INPUT, Stdio.CAPTURE, Stdio.NULL));
        assertThat(out.stdoutText()).isEqualTo("eof\n");
    }

    @Test
    void aChildThatNeverReadsItsInputStillEnds() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "exec 0<&-; sleep 0.2; exit 4")
                .withInput(new byte[2 * 1024 * 1024]));
        assertThat(outcome(child).exitCode()).isEqualTo(4);
        ChildOutcome quick = run(ChildSpec.of("/bin/true").withInput(new byte[2 * 1024 * 1024]));
        assertThat(quick.succeeded()).isTrue();
        assertThat(log.lines).isEmpty();
    }

    @Test
    void withoutInputStdinStaysDevNull() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "readlink /proc/self/fd/0")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        assertThat(out.stdoutText()).isEqualTo("/dev/null\n");
    }

    @Test
    void stderrMergedIntoStdoutKeepsTheOrderOfWrites() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "echo a; echo b >&2; echo c")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.SAME_AS_STDOUT));
        assertThat(out.stdoutText()).isEqualTo("a\nb\nc\n");
        assertThat(out.stderr()).isEmpty();
    }

    @Test
    void truncationIsReportedPerStream() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "head -c 100 /dev/zero; echo e >&2")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.CAPTURE).withOutputCap(10));
        assertThat(out.stdoutTruncated()).isTrue();
        assertThat(out.stderrTruncated()).isFalse();
        assertThat(out.outputTruncated()).isTrue();
        assertThat(out.stderrText()).isEqualTo("e\n");
    }

    @Test
    void byDefaultALingeringGrandchildDoesNotHoldUpTheOutcome() throws Exception {
        long start = System.nanoTime();
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "/bin/sleep 1 & echo $!")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
        long grandchild = Long.parseLong(out.stdoutText().trim());
        assertThat(Fixtures.exists(grandchild)).isTrue();
        // reaped as an orphan of our child's session once it ends
        assertThat(Fixtures.eventually(() -> !Fixtures.exists(grandchild))).isTrue();
    }

    @Test
    void capturingToEndOfFileWaitsForWhatAGrandchildWrites() throws Exception {
        long start = System.nanoTime();
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "(/bin/sleep 0.5; echo late; echo e >&2) & echo hi")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.CAPTURE).withCaptureToEndOfFile());
        ChildOutcome out = outcome(child);
        assertThat(out.stdoutText()).isEqualTo("hi\nlate\n");
        assertThat(out.stderrText()).isEqualTo("e\n");
        assertThat(out.succeeded()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(reaper.live()).isEmpty();
    }

    @Test
    void aChildReapedBeforeTheLoopAdmittedItStillHasItsPipesReadToTheEnd() throws Exception {
        // Children that end at once are often reaped by the loop's peek before it admits them;
        // their capture pipes must still be read (regression: the outcome never came).
        for (int i = 0; i < 200; i++) {
            ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "(echo later) & echo now")
                    .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.CAPTURE).withCaptureToEndOfFile());
            assertThat(out.stdoutText()).hasSize("now\nlater\n".length());
        }
    }

    @Test
    void atStopAChildWaitingForEndOfFileCompletesWithWhatItHas() throws Exception {
        // the pipe's holder leaves the child's session, so stopping does not end it
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "/usr/bin/setsid /bin/sleep 30 & echo $!")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL).withCaptureToEndOfFile());
        Thread.sleep(300);
        assertThat(child.outcome().toCompletableFuture().isDone()).isFalse();
        reaper.close();
        ChildOutcome out = outcome(child);
        assertThat(out.exitCode()).isEqualTo(0);
        long holder = Long.parseLong(out.stdoutText().trim());

        // clean up: the holder is an orphan of this JVM now; a new reaper's sweep collects it
        ProcessHandle.of(holder).ifPresent(ProcessHandle::destroyForcibly);
        reaper = Fixtures.reaper(dir.resolve("trusted"), Duration.ofMillis(100), log);
        assertThat(Fixtures.eventually(() -> !Fixtures.exists(holder))).isTrue();
    }

    @Test
    void aHostChosenProgramGetsArgvZeroAsGivenAndIsFoundInThePath() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("cat", "/proc/self/cmdline").hostChosen()
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        ChildOutcome out = outcome(child);
        assertThat(out.stdoutText()).isEqualTo("cat\0/proc/self/cmdline\0");
        // what ran, for logs and the live listing
        assertThat(child.argv().get(0)).endsWith("/cat").startsWith("/");
    }

    @Test
    void aHostChosenProgramIsSearchedInThePathOfTheGivenEnvironment() throws Exception {
        Path own = Files.createDirectory(dir.resolve("own"));
        script(own, "somnus-host-tool", "echo ran");
        ChildSpec spec = ChildSpec.of("somnus-host-tool").hostChosen()
                .withEnvironment(Map.of("PATH", "/nonexistent:" + own)).withStdio(Stdio.NULL, Stdio.CAPTURE,
                        Stdio.NULL);
        assertThat(run(spec).stdoutText()).isEqualTo("ran\n");
        // ...and not in the agent's PATH when the environment has its own
        ChildOutcome notThere = run(ChildSpec.of("sh", "-c", "true").hostChosen()
                .withEnvironment(Map.of("PATH", "/nonexistent")));
        assertThat(notThere.kind()).isEqualTo(Kind.FAILED_TO_START);
        assertThat(notThere.errno()).isEqualTo(Posix.ENOENT);
        assertThat(notThere.message()).isEqualTo("No such file or directory");
    }

    @Test
    void environmentEntriesReachTheChildExactlyAsGiven() throws Exception {
        ChildSpec spec = ChildSpec.of("/usr/bin/env").withEnvironmentEntries(java.util.List.of("NOEQUALS", "=x",
                "A=1", "A=2")).withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL);
        assertThat(run(spec).stdoutText()).isEqualTo("NOEQUALS\n=x\nA=1\nA=2\n");
        assertThat(spec.environment()).contains(Map.of("A", "1", "", "x"));
    }

    @Test
    void anEnvironmentWithoutPathFallsBackToTheAgentsPath() throws Exception {
        ChildOutcome out = run(ChildSpec.of("sh", "-c", "echo $A").hostChosen().withEnvironment(Map.of("A", "b"))
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        assertThat(out.stdoutText()).isEqualTo("b\n");
    }

    @Test
    void aHostChosenProgramRunsOutsideTheTrustRuleWithAWarning() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path tool = script(open, "tool", "exit 6");

        ChildOutcome refused = run(ChildSpec.of(tool.toString()));
        assertThat(refused.kind()).isEqualTo(Kind.FAILED_TO_START);
        assertThat(refused.errno()).isEqualTo(Posix.EACCES);

        ChildOutcome ran = run(ChildSpec.of(tool.toString()).hostChosen());
        assertThat(ran.exitCode()).isEqualTo(6);
        assertThat(log.lines).singleElement().asString().startsWith("WARN running the host-chosen program " + tool)
                .contains("is writable by group and others");
    }

    @Test
    void hostChosenStartFailuresCarryExecsErrno() throws Exception {
        ChildOutcome missing = run(ChildSpec.of("somnus-no-such-program").hostChosen());
        assertThat(missing.errno()).isEqualTo(Posix.ENOENT);
        ChildOutcome empty = run(ChildSpec.of("").hostChosen());
        assertThat(empty.errno()).isEqualTo(Posix.ENOENT);
        ChildOutcome absent = run(ChildSpec.of("/somnus/no/such").hostChosen());
        assertThat(absent.errno()).isEqualTo(Posix.ENOENT);
        assertThat(absent.message()).isEqualTo("No such file or directory");

        Path notExecutable = Files.writeString(dir.resolve("data"), "x");
        ChildOutcome byPath = run(ChildSpec.of(notExecutable.toString()).hostChosen());
        assertThat(byPath.errno()).isEqualTo(Posix.EACCES);
        assertThat(byPath.message()).isEqualTo("Permission denied");
        ChildOutcome bySearch = run(ChildSpec.of("data").hostChosen().withEnvironment(Map.of("PATH", dir.toString())));
        assertThat(bySearch.errno()).isEqualTo(Posix.EACCES);
        assertThat(log.lines).isEmpty();
    }
}
