package dev.somnus.reaper.impl;

import static dev.somnus.reaper.impl.Fixtures.outcome;
import static dev.somnus.reaper.impl.Fixtures.script;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildOutcome.Kind;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildSpec;
import dev.somnus.api.process.ChildSpec.Stdio;
import dev.somnus.reaper.impl.posix.LibC;

/** What a caller of ChildProcesses sees: exit codes, signals, start failures, timeouts, output. */
class ReaperTest {

    @TempDir
    static Path bin;

    static Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    static Reaper reaper;

    @BeforeAll
    static void start() {
        reaper = Fixtures.reaper(bin, Duration.ofMillis(200), log);
    }

    @AfterAll
    static void stop() {
        reaper.close();
        assertThat(log.lines).isEmpty();
    }

    private static ChildOutcome run(ChildSpec spec) throws Exception {
        return outcome(reaper.spawn(spec));
    }

    @Test
    void exitCodesAreReportedAsTheyAre() throws Exception {
        assertThat(run(ChildSpec.of("/bin/true")).succeeded()).isTrue();
        ChildOutcome seven = run(ChildSpec.of("/bin/sh", "-c", "exit 7"));
        assertThat(seven.kind()).isEqualTo(Kind.EXITED);
        assertThat(seven.exitCode()).isEqualTo(7);
        assertThat(seven.succeeded()).isFalse();
        assertThat(run(ChildSpec.of("/bin/sh", "-c", "exit 255")).exitCode()).isEqualTo(255);
    }

    @Test
    void aProgramNamedWithoutSlashIsFoundInTheTrustedDirectoriesNotInPath() throws Exception {
        script(bin, "somnus-fake-helper", "exit 3");
        ChildProcess child = reaper.spawn(ChildSpec.of("somnus-fake-helper", "--flag"));
        assertThat(child.argv()).containsExactly(bin.resolve("somnus-fake-helper").toString(), "--flag");
        assertThat(outcome(child).exitCode()).isEqualTo(3);
    }

    @Test
    void theChildSeesItsArgvExactlyWithoutAShell() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/usr/bin/printf", "%s|", "a b", "$HOME", "'q'", "")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        assertThat(out.stdoutText()).isEqualTo("a b|$HOME|'q'||");
    }

    @Test
    void aDeathBySignalIsAFailureWithItsSignal() throws Exception {
        ChildOutcome killed = run(ChildSpec.of("/bin/sh", "-c", "kill -KILL $$"));
        assertThat(killed.kind()).isEqualTo(Kind.SIGNALLED);
        assertThat(killed.signal()).isEqualTo(9);
        assertThat(killed.exitCode()).isEqualTo(-1);
        assertThat(killed.succeeded()).isFalse();
        assertThat(run(ChildSpec.of("/bin/sh", "-c", "kill -SEGV $$")).signal()).isEqualTo(11);
    }

    @Test
    void aMissingProgramFailsToStartWithEnoent() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("somnus-no-such-program"));
        assertThat(child.pid()).isEqualTo(-1);
        ChildOutcome out = outcome(child);
        assertThat(out.kind()).isEqualTo(Kind.FAILED_TO_START);
        assertThat(out.errno()).isEqualTo(2);
        assertThat(out.message()).isEqualTo("No such file or directory");

        ChildOutcome absolute = run(ChildSpec.of(bin.resolve("missing").toString()));
        assertThat(absolute.kind()).isEqualTo(Kind.FAILED_TO_START);
        assertThat(absolute.errno()).isEqualTo(2);
        assertThat(absolute.message()).isEqualTo("No such file or directory");
    }

    @Test
    void aProgramThatIsNotExecutableFailsToStartWithEacces() throws Exception {
        Path plain = bin.resolve("somnus-not-executable");
        Files.writeString(plain, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));

        ChildOutcome byName = run(ChildSpec.of("somnus-not-executable"));
        assertThat(byName.kind()).isEqualTo(Kind.FAILED_TO_START);
        assertThat(byName.errno()).isEqualTo(13);
        assertThat(byName.message()).isEqualTo("Permission denied");

        // with a path, the kernel's exec refuses it and posix_spawn reports the errno
        ChildOutcome byPath = run(ChildSpec.of(plain.toString()));
        assertThat(byPath.errno()).isEqualTo(13);
        assertThat(byPath.message()).isEqualTo("Permission denied");
        assertThat(byPath.describe()).isEqualTo("'" + plain + "' could not be started: Permission denied");
    }

    @Test
    void aMissingWorkingDirectoryFailsToStart() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/true").withWorkingDirectory(bin.resolve("nowhere")));
        assertThat(out.kind()).isEqualTo(Kind.FAILED_TO_START);
        assertThat(out.errno()).isEqualTo(2);
    }

    @Test
    void environmentAndWorkingDirectoryAreTheSpecs() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "echo \"$SOMNUS_X|$HOME\"; pwd")
                .withEnvironment(Map.of("SOMNUS_X", "ü 1"))
                .withWorkingDirectory(bin)
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        assertThat(out.stdoutText()).isEqualTo("ü 1|\n" + bin.toRealPath() + "\n");
    }

    @Test
    void byDefaultTheAgentsEnvironmentIsInherited() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "echo \"$PATH\"")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        assertThat(out.stdoutText()).isEqualTo(System.getenv().getOrDefault("PATH", "") + "\n");
    }

    @Test
    void stdoutAndStderrAreCapturedApartAndStdinIsDevNull() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "echo out; echo err >&2; cat; echo end")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.CAPTURE));
        assertThat(out.stdoutText()).isEqualTo("out\nend\n");
        assertThat(out.stderrText()).isEqualTo("err\n");
        assertThat(out.outputTruncated()).isFalse();
    }

    @Test
    void uncapturedStreamsGoToDevNull() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sleep", "30").withStdio(Stdio.NULL, Stdio.NULL,
                Stdio.CAPTURE));
        try {
            Path fds = Path.of("/proc", Long.toString(child.pid()), "fd");
            assertThat(Files.readSymbolicLink(fds.resolve("0"))).hasToString("/dev/null");
            assertThat(Files.readSymbolicLink(fds.resolve("1"))).hasToString("/dev/null");
            assertThat(Files.readSymbolicLink(fds.resolve("2")).toString()).startsWith("pipe:");
        } finally {
            child.cancel();
            outcome(child);
        }
    }

    @Test
    void capturedOutputIsCappedAndTheChildStillRunsToTheEnd() throws Exception {
        // 1 MiB is far more than a pipe holds: the child would block forever if the reaper
        // stopped reading at the cap.
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "head -c 1048576 /dev/zero; echo done >&2")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.CAPTURE).withOutputCap(1000));
        assertThat(out.succeeded()).isTrue();
        assertThat(out.stdout()).hasSize(1000);
        assertThat(out.stderrText()).isEqualTo("done\n");
        assertThat(out.outputTruncated()).isTrue();
    }

    @Test
    void outputExactlyAtTheCapIsNotTruncated() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/usr/bin/printf", "12345")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL).withOutputCap(5));
        assertThat(out.stdoutText()).isEqualTo("12345");
        assertThat(out.outputTruncated()).isFalse();
    }

    @Test
    void aChildIgnoringSigtermTimesOutAndIsKilled() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "trap '' TERM; echo ready; sleep 30")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL)
                .withTimeout(Duration.ofMillis(300)).withKillGrace(Duration.ofMillis(300)));
        ChildOutcome out = outcome(child);
        assertThat(out.kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(out.signal()).isEqualTo(9);
        assertThat(out.succeeded()).isFalse();
        assertThat(out.stdoutText()).isEqualTo("ready\n");
        assertThat(out.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(out.describe()).contains("timed out after").endsWith("and was killed by signal 9");
    }

    @Test
    void aChildThatDiesOfSigtermAtItsTimeoutIsReportedTimedOutBySigterm() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sleep", "30").withTimeout(Duration.ofMillis(100)));
        assertThat(out.kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(out.signal()).isEqualTo(15);
    }

    @Test
    void aTimeoutAlsoStopsTheGrandchildrenInTheChildsProcessGroup() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "/bin/sleep 30 & echo $!; wait")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL).withTimeout(Duration.ofMillis(300)));
        ChildOutcome out = outcome(child);
        assertThat(out.kind()).isEqualTo(Kind.TIMED_OUT);
        long grandchild = Long.parseLong(out.stdoutText().trim());
        assertThat(Fixtures.eventually(() -> !Fixtures.exists(grandchild))).isTrue();
    }

    @Test
    void aChildThatFinishesInTimeIsNotTimedOut() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "exit 4").withTimeout(Duration.ofSeconds(30)));
        assertThat(out.kind()).isEqualTo(Kind.EXITED);
        assertThat(out.exitCode()).isEqualTo(4);
    }

    @Test
    void cancelSendsSigtermAndThenSigkill() throws Exception {
        ChildProcess polite = reaper.spawn(ChildSpec.of("/bin/sleep", "30"));
        polite.cancel();
        ChildOutcome out = outcome(polite);
        assertThat(out.kind()).isEqualTo(Kind.SIGNALLED);
        assertThat(out.signal()).isEqualTo(15);

        ChildProcess stubborn = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "trap '' TERM; echo ready; sleep 30")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL).withKillGrace(Duration.ofMillis(200)));
        Thread.sleep(100); // let the shell install its trap
        stubborn.cancel();
        assertThat(outcome(stubborn).signal()).isEqualTo(9);
    }

    @Test
    void cancellingAFinishedChildChangesNothing() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "exit 5"));
        ChildOutcome out = outcome(child);
        child.cancel();
        assertThat(outcome(child)).isSameAs(out);
        assertThat(out.exitCode()).isEqualTo(5);
    }

    @Test
    void theChildRunsInItsOwnSessionWithDefaultSignalsAnEmptyMaskAndOnlyDescriptorsZeroToTwo()
            throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sleep", "30"));
        long pid = child.pid();
        try {
            String[] stat = Orphans.statFields(pid);
            assertThat(Long.parseLong(stat[3])).as("session id").isEqualTo(pid);
            assertThat(Long.parseLong(stat[2])).as("process group").isEqualTo(pid);
            assertThat(Fixtures.statusField(pid, "SigBlk")).isEqualTo("0000000000000000");
            // Signals 1-31 at their default disposition. glibc's posix_spawn itself leaves its two
            // internal real-time signals (32, 33) ignored, as in every ProcessBuilder child.
            long ignored = Long.parseUnsignedLong(Fixtures.statusField(pid, "SigIgn"), 16);
            assertThat(ignored & 0x7fff_ffffL).as("ignored standard signals").isZero();
            assertThat(Fixtures.settledDescriptors(pid)).containsExactly("0", "1", "2");
        } finally {
            child.cancel();
            outcome(child);
        }
    }

    @Test
    void aDescriptorTheAgentOpenedWithoutCloseOnExecIsNotInherited() throws Exception {
        LibC libc = jnr.ffi.LibraryLoader.create(LibC.class).load("c");
        int[] leaky = new int[2];
        assertThat(libc.pipe2(leaky, 0)).isZero(); // no O_CLOEXEC
        try {
            ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sleep", "30"));
            try {
                assertThat(Fixtures.settledDescriptors(child.pid())).containsExactly("0", "1", "2");
            } finally {
                child.cancel();
                outcome(child);
            }
        } finally {
            libc.close(leaky[0]);
            libc.close(leaky[1]);
        }
    }

    @Test
    void reapedChildrenLeaveNoDescriptorOfTheirsOpen() throws Exception {
        // The loop watches each child through a pidfd (and capture pipes): all must go with it.
        ChildSpec captured = ChildSpec.of("/bin/echo", "x").withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.CAPTURE);
        run(captured);
        int before = Fixtures.openDescriptors(Fixtures.self()).size();
        for (int i = 0; i < 300; i++) {
            assertThat(run(i % 2 == 0 ? captured : ChildSpec.of("/bin/true")).succeeded()).isTrue();
        }
        assertThat(Fixtures.openDescriptors(Fixtures.self())).hasSize(before);
    }

    @Test
    void moreChildrenAtOnceThanPidfdsWatchedAreReapedWithTheirOwnStatus() throws Exception {
        // Beyond 256 live children the loop has no pidfd for the rest: SIGCHLD and the sweep serve.
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            children.add(reaper.spawn(ChildSpec.of("/bin/sh", "-c", "sleep 0.3; exit " + i % 100)));
        }
        for (int i = 0; i < children.size(); i++) {
            ChildOutcome out = outcome(children.get(i));
            assertThat(out.kind()).as("child %d", i).isEqualTo(Kind.EXITED);
            assertThat(out.exitCode()).as("child %d", i).isEqualTo(i % 100);
        }
        assertThat(reaper.live()).isEmpty();
        assertThat(Fixtures.zombieChildren()).isEmpty();
    }

    @Test
    void inheritedStdioIsTheAgentsOwn() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sleep", "30").withStdio(Stdio.INHERIT, Stdio.INHERIT,
                Stdio.INHERIT));
        try {
            for (String fd : List.of("0", "1", "2")) {
                assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(child.pid()), "fd", fd)))
                        .isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/fd", fd)));
            }
        } finally {
            child.cancel();
            outcome(child);
        }
    }

    @Test
    void theLiveListingShowsRunningChildrenOnly() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sleep", "30").withTimeout(Duration.ofSeconds(90)));
        try {
            assertThat(reaper.live()).anySatisfy(live -> {
                assertThat(live.pid()).isEqualTo(child.pid());
                assertThat(live.argv()).containsExactly("/bin/sleep", "30");
                assertThat(live.timeout()).isEqualTo(Duration.ofSeconds(90));
            });
            assertThat(ChildrenCommand.format(reaper.live(), java.time.Instant.now()))
                    .contains(Long.toString(child.pid())).contains("90.0s").contains("/bin/sleep 30");
        } finally {
            child.cancel();
            outcome(child);
        }
        assertThat(reaper.live()).noneMatch(live -> live.pid() == child.pid());
    }

    @Test
    void sixteenThreadsSpawningAtOnceEachGetTheirOwnOutcome() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int t = 0; t < 16; t++) {
            int code = t;
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 20; i++) {
                        ChildOutcome out = run(ChildSpec.of("/bin/sh", "-c", "echo " + code + "-" + i + "; exit " + code)
                                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
                        if (out.exitCode() != code || !out.stdoutText().equals(code + "-" + i + "\n")) {
                            wrong.add(out + " " + out.stdoutText());
                        }
                    }
                } catch (Exception e) {
                    wrong.add(e.toString());
                }
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void outputIsUtf8Bytes() throws Exception {
        ChildOutcome out = run(ChildSpec.of("/usr/bin/printf", "h\u00e9").withStdio(Stdio.NULL, Stdio.CAPTURE,
                Stdio.NULL));
        assertThat(out.stdout()).isEqualTo("h\u00e9".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void longArgvAndEnvironmentOfMultiByteTextArriveIntact() throws Exception {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "echo $#; echo \"$1\"; echo \"$SOMNUS_LAST\"", "sh"));
        String wide = "\u20ac\ud83d\ude00\u00e9".repeat(50); // 3-, 4- and 2-byte UTF-8
        for (int i = 0; i < 1000; i++) {
            argv.add(wide + i);
        }
        Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < 200; i++) {
            env.put("SOMNUS_V" + i, wide);
        }
        env.put("SOMNUS_LAST", wide);
        ChildOutcome out = run(ChildSpec.of(argv).withEnvironment(env).withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        assertThat(out.stdoutText()).isEqualTo("1000\n" + wide + "0\n" + wide + "\n");
    }

    @Test
    void aGrandchildHoldingTheCapturePipeDoesNotHoldUpTheOutcome() throws Exception {
        // A hook that daemonises without closing stdout keeps the pipe's write end open; the
        // outcome comes when the child is reaped, not at end of file.
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "/bin/sleep 30 & echo $!")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
        ChildOutcome out = outcome(child);
        long grandchild = Long.parseLong(out.stdoutText().trim());
        try {
            assertThat(out.succeeded()).isTrue();
            assertThat(Fixtures.exists(grandchild)).as("grandchild still running").isTrue();
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertThat(Fixtures.eventually(() -> !Fixtures.exists(grandchild))).as("and reaped once killed").isTrue();
    }

    @Test
    void aSlowOutcomeCallbackDoesNotDelayOtherChildren() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread test = Thread.currentThread();
        ChildProcess first = reaper.spawn(ChildSpec.of("/bin/sleep", "0.3"));
        first.outcome().thenRun(() -> {
            if (Thread.currentThread() == test) {
                return; // completed before the callback was added: it runs here, and must not block
            }
            try {
                release.await(); // a callback that blocks, on whatever thread completed the outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            // once the first is reaped its callback is blocking: the next child must still complete
            assertThat(Fixtures.eventually(() -> reaper.live().stream().noneMatch(c -> c.pid() == first.pid())))
                    .isTrue();
            assertThat(run(ChildSpec.of("/bin/sh", "-c", "exit 8")).exitCode()).isEqualTo(8);
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancelRacingTheChildsOwnExitYieldsOneOfTheTwoTrueOutcomes() throws Exception {
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "echo x; exit 3")
                    .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL));
            child.cancel();
            children.add(child);
        }
        for (ChildProcess child : children) {
            ChildOutcome out = outcome(child);
            assertThat(out.describe()).satisfiesAnyOf(
                    d -> assertThat(out.kind() == Kind.EXITED && out.exitCode() == 3).isTrue(),
                    d -> assertThat(out.kind() == Kind.SIGNALLED && out.signal() == 15).isTrue());
        }
        assertThat(reaper.live()).isEmpty();
    }

    @Test
    void awaitIsWokenFromTheLoopButChainedStagesNeverRunThere() throws Exception {
        ChildProcess child = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "exit 3"));
        CompletableFuture<String> callbackThread = child.outcome()
                .thenApply(outcome -> Thread.currentThread().getName()).toCompletableFuture();

        assertThat(child.await().exitCode()).isEqualTo(3);
        // a slow callback here would stall every other child's reaping
        assertThat(callbackThread.get(30, TimeUnit.SECONDS)).isNotEqualTo("somnus-reaper");
        // and a stage chained after completion still completes
        assertThat(child.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS).exitCode()).isEqualTo(3);
    }
}
