package dev.somnus.reaper.impl;

import static dev.somnus.reaper.impl.Fixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildOutcome.Kind;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildSpec;

/** Stopping kills and reaps the running children and leaks nothing; starting again works. */
class ReaperLifecycleTest {

    @TempDir
    Path bin;

    private static List<Thread> reaperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("somnus-reaper") && t.isAlive()).toList();
    }

    @Test
    void stoppingKillsAndReapsRunningChildrenAndLeaksNoThreadsDescriptorsOrZombies() throws Exception {
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Fixtures.reaper(bin, Duration.ofSeconds(1), log).close(); // loads libc once
        int descriptorsBefore = Fixtures.openDescriptors(Fixtures.self()).size();

        Reaper reaper = Fixtures.reaper(bin, Duration.ofSeconds(1), log);
        List<ChildProcess> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(reaper.spawn(ChildSpec.of("/bin/sleep", "30")
                    .withStdio(ChildSpec.Stdio.NULL, ChildSpec.Stdio.CAPTURE, ChildSpec.Stdio.CAPTURE)));
        }
        ChildProcess stubborn = reaper.spawn(ChildSpec.of("/bin/sh", "-c", "trap '' TERM; echo ready; sleep 30")
                .withStdio(ChildSpec.Stdio.NULL, ChildSpec.Stdio.CAPTURE, ChildSpec.Stdio.NULL)
                .withKillGrace(Duration.ofMillis(300)));
        Thread.sleep(100); // the shell's trap is in place
        assertThat(reaper.live()).hasSize(4);

        reaper.close();

        // close() returns once every child is reaped: the outcomes are there or on their way.
        for (ChildProcess child : children) {
            ChildOutcome out = outcome(child);
            assertThat(out.kind()).isEqualTo(Kind.SIGNALLED);
            assertThat(out.signal()).isEqualTo(15);
        }
        assertThat(outcome(stubborn).signal()).isEqualTo(9);
        for (ChildProcess child : children) {
            assertThat(Fixtures.exists(child.pid())).as("pid %d gone", child.pid()).isFalse();
        }
        assertThat(Fixtures.exists(stubborn.pid())).isFalse();
        assertThat(Fixtures.zombieChildren()).isEmpty();
        assertThat(Fixtures.eventually(() -> reaperThreads().isEmpty())).as("threads %s", reaperThreads()).isTrue();
        // at most as many as before: the JVM may close a descriptor of its own meanwhile (a jar, a
        // selector), but every one the reaper opened (pipes, pidfds, the wake-up pipe) is gone
        assertThat(Fixtures.openDescriptors(Fixtures.self())).hasSizeLessThanOrEqualTo(descriptorsBefore);
        assertThat(reaper.live()).isEmpty();
        assertThat(log.lines).isEmpty();
        // SIGCHLD is handed back: the handler in place is the one from before (the JDK's default)
        sun.misc.SignalHandler current = sun.misc.Signal.handle(new sun.misc.Signal("CHLD"),
                sun.misc.SignalHandler.SIG_DFL);
        assertThat(current).isSameAs(sun.misc.SignalHandler.SIG_DFL);
    }

    @Test
    void aSpawnAfterStopFailsToStartAndStartingAgainWorks() throws Exception {
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Reaper first = Fixtures.reaper(bin, Duration.ofSeconds(1), log);
        assertThat(outcome(first.spawn(ChildSpec.of("/bin/sh", "-c", "exit 1"))).exitCode()).isEqualTo(1);
        first.close();
        first.close(); // twice is harmless

        ChildOutcome late = outcome(first.spawn(ChildSpec.of("/bin/true")));
        assertThat(late.kind()).isEqualTo(Kind.FAILED_TO_START);
        assertThat(late.message()).isEqualTo("the child-process service has stopped");

        Reaper second = Fixtures.reaper(bin, Duration.ofSeconds(1), log);
        try {
            assertThat(outcome(second.spawn(ChildSpec.of("/bin/sh", "-c", "exit 2"))).exitCode()).isEqualTo(2);
        } finally {
            second.close();
        }
        assertThat(log.lines).isEmpty();
    }

    @Test
    void sigchldAloneDrivesReapingEvenAfterTheJdkLaunchedAProcess() throws Exception {
        // The JDK resets SIGCHLD to SIG_DFL when it first launches a process; the reaper forces
        // that before hooking the signal. With the safety sweep an hour away, only SIGCHLD can
        // complete these outcomes.
        new ProcessBuilder("/bin/true").start().waitFor();
        Reaper reaper = Fixtures.reaper(bin, Duration.ofHours(1), new Fixtures.RecordingLog());
        try {
            for (int i = 0; i < 5; i++) {
                ChildOutcome out = outcome(reaper.spawn(ChildSpec.of("/bin/sh", "-c", "sleep 0.05; exit " + i)));
                assertThat(out.exitCode()).isEqualTo(i);
            }
            new ProcessBuilder("/bin/true").start().waitFor();
            assertThat(outcome(reaper.spawn(ChildSpec.of("/bin/sh", "-c", "sleep 0.05; exit 9"))).exitCode())
                    .isEqualTo(9);
        } finally {
            reaper.close();
        }
    }

    @Test
    void aTrustedDirectoriesChangeReachesTheNextSpawn() throws Exception {
        Path other = bin.resolve("other");
        java.nio.file.Files.createDirectories(other);
        Fixtures.script(other, "somnus-moved-helper", "exit 6");
        Reaper reaper = Fixtures.reaper(bin, Duration.ofSeconds(1), new Fixtures.RecordingLog());
        try {
            assertThat(outcome(reaper.spawn(ChildSpec.of("somnus-moved-helper"))).errno()).isEqualTo(2);
            reaper.update(new Reaper.Settings(other.toString(), true, Duration.ofSeconds(1)));
            assertThat(outcome(reaper.spawn(ChildSpec.of("somnus-moved-helper"))).exitCode()).isEqualTo(6);
            // the inherited PATH is never consulted
            assertThat(outcome(reaper.spawn(ChildSpec.of("true"))).errno()).isEqualTo(2);
        } finally {
            reaper.close();
        }
    }

    @Test
    void aGrandchildOrphanedWhileItsGroupIsKilledAtStopIsReapedBeforeStopReturns() throws Exception {
        Reaper reaper = Fixtures.reaper(bin, Duration.ofHours(1), new Fixtures.RecordingLog());
        // The parent dies at SIGTERM; the grandchild ignores it and is orphaned (re-parented to
        // the subreaper) before SIGKILL reaches the group.
        ChildProcess parent = reaper.spawn(ChildSpec.of("/bin/sh", "-c",
                "/bin/sh -c 'trap \"\" TERM; echo $$; exec /bin/sleep 30' & wait")
                .withStdio(ChildSpec.Stdio.NULL, ChildSpec.Stdio.CAPTURE, ChildSpec.Stdio.NULL)
                .withKillGrace(Duration.ofMillis(300)));
        Thread.sleep(200);
        reaper.close();
        long grandchild = Long.parseLong(outcome(parent).stdoutText().trim());
        assertThat(Fixtures.exists(grandchild)).isFalse();
        assertThat(Fixtures.zombieChildren()).isEmpty();
    }

    @Test
    void anOrphanFromOurOwnChildIsReapedOnSigchldWithoutWaitingForTheSweep() throws Exception {
        Reaper reaper = Fixtures.reaper(bin, Duration.ofHours(1), new Fixtures.RecordingLog());
        try {
            ChildOutcome out = outcome(reaper.spawn(ChildSpec.of("/bin/sh", "-c", "/bin/sleep 0.2 & echo $!")
                    .withStdio(ChildSpec.Stdio.NULL, ChildSpec.Stdio.CAPTURE, ChildSpec.Stdio.NULL)));
            long grandchild = Long.parseLong(out.stdoutText().trim());
            assertThat(Fixtures.eventually(() -> !Fixtures.exists(grandchild))).isTrue();
        } finally {
            reaper.close();
        }
    }

    /**
     * An orphan in a session of its own is told from the JDK's children only by the patience of
     * Orphans: its SIGCHLD sweeps, sees a zombie and looks again a second later, without the
     * (here hour-long) safety sweep. Before issue 15 it waited for the periodic sweep.
     */
    @Test
    void anOrphanInItsOwnSessionIsReapedWithoutWaitingForTheSweep() throws Exception {
        Reaper reaper = Fixtures.reaper(bin, Duration.ofHours(1), new Fixtures.RecordingLog());
        try {
            Path pidFile = bin.resolve("daemon.pid");
            outcome(reaper.spawn(ChildSpec.of("/bin/sh", "-c",
                    "/usr/bin/setsid /bin/sh -c 'echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile
                            + "; exec /bin/sleep 0.5' &")));
            assertThat(Fixtures.eventually(() -> Files.exists(pidFile))).as("daemon started").isTrue();
            long daemon = Long.parseLong(Files.readString(pidFile).trim());
            // its parent is gone: the daemon is ours (the subreaper's), in a session we did not start
            assertThat(Fixtures.eventually(() -> !Fixtures.exists(daemon))).as("daemon reaped").isTrue();
        } finally {
            reaper.close();
        }
    }

    /**
     * A shutdown helper must finish even though the shutdown it starts stops the agent: a child
     * whose spec survives the stop is neither signalled nor waited for at stop, its outcome reads
     * RELEASED, and it runs to its own end; the others are killed as usual.
     */
    @Test
    void aChildThatSurvivesTheStopIsLetGoOfUnsignalledAndRunsToItsEnd() throws Exception {
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Reaper reaper = Fixtures.reaper(bin, Duration.ofHours(1), log);
        Path finished = bin.resolve("finished");
        ChildProcess survivor = reaper.spawn(ChildSpec.of("/bin/sh", "-c",
                "trap 'echo TERM >> " + finished + "' TERM; sleep 1.5; echo done >> " + finished)
                .withTimeout(Duration.ofMinutes(1)).survivingStop());
        ChildProcess ordinary = reaper.spawn(ChildSpec.of("/bin/sleep", "30"));
        Thread.sleep(200); // the trap is in place

        long before = System.nanoTime();
        reaper.close();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("stop does not wait for the survivor")
                .isLessThan(Duration.ofMillis(1200));
        ChildOutcome released = outcome(survivor);
        assertThat(released.kind()).isEqualTo(Kind.RELEASED);
        assertThat(released.describe()).endsWith("was still running when the agent stopped and was left to finish");
        assertThat(outcome(ordinary).kind()).isEqualTo(Kind.SIGNALLED);
        assertThat(Fixtures.exists(survivor.pid())).as("survivor still running").isTrue();
        assertThat(log.lines).singleElement().asString().contains("running at stop");

        assertThat(Fixtures.eventually(() -> java.nio.file.Files.exists(finished))).isTrue();
        assertThat(Fixtures.eventually(() -> readOrEmpty(finished).equals("done\n"))).as("never signalled: %s",
                readOrEmpty(finished)).isTrue();
        // nobody waits for it now (in the agent, init would): a later reaper's sweep collects the zombie
        Reaper next = Fixtures.reaper(bin, Duration.ofMillis(100), new Fixtures.RecordingLog());
        try {
            assertThat(Fixtures.eventually(() -> !Fixtures.exists(survivor.pid()))).isTrue();
        } finally {
            next.close();
        }
    }

    @Test
    void aChildThatSurvivesTheStopCannotHaveItsOutputCaptured() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> ChildSpec.of("/bin/true")
                .withStdio(ChildSpec.Stdio.NULL, ChildSpec.Stdio.NULL, ChildSpec.Stdio.CAPTURE).survivingStop());
    }

    private static String readOrEmpty(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
