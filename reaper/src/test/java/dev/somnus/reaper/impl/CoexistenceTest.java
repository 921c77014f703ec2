package dev.somnus.reaper.impl;

import static dev.somnus.reaper.impl.Fixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildSpec;
import dev.somnus.api.process.ChildSpec.Stdio;

/** The reaper as a child subreaper, next to java.lang.Process children in the same JVM. */
class CoexistenceTest {

    @TempDir
    Path bin;

    Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    Reaper reaper;

    @BeforeEach
    void start() {
        // a short sweep, so orphans are found quickly and the sweep runs often next to the JDK's waits
        reaper = Fixtures.reaper(bin, Duration.ofMillis(50), log);
    }

    @AfterEach
    void stop() {
        reaper.close();
        assertThat(log.lines).isEmpty();
    }

    @Test
    void anOrphanedGrandchildBecomesOursAndIsReaped() throws Exception {
        // The child starts a grandchild in the background and exits: a daemonising hook.
        ChildOutcome out = outcome(reaper.spawn(ChildSpec.of("/bin/sh", "-c", "/bin/sleep 0.5 & echo $!")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL)));
        long grandchild = Long.parseLong(out.stdoutText().trim());
        String[] stat = Orphans.statFields(grandchild);
        assertThat(stat).as("grandchild still running").isNotNull();
        assertThat(Long.parseLong(stat[1])).as("re-parented to the subreaper").isEqualTo(Fixtures.self());

        assertThat(Fixtures.eventually(() -> !Fixtures.exists(grandchild))).as("orphan reaped").isTrue();
        assertThat(Fixtures.zombieChildren()).isEmpty();
    }

    @Test
    void anOrphanThatSetsItsOwnSessionIsReapedToo() throws Exception {
        ChildOutcome out = outcome(reaper.spawn(ChildSpec.of("/bin/sh", "-c",
                "/usr/bin/setsid /bin/sh -c 'echo $$; exec /bin/sleep 0.3' &  wait")
                .withStdio(Stdio.NULL, Stdio.CAPTURE, Stdio.NULL)));
        long daemon = Long.parseLong(out.stdoutText().trim());
        assertThat(Fixtures.eventually(() -> !Fixtures.exists(daemon))).as("daemon reaped").isTrue();
    }

    @Test
    void javaLangProcessChildrenKeepTheirTrueExitCodes() throws Exception {
        // 50 ProcessBuilder children exiting 7, while the reaper spawns, reaps and sweeps for
        // orphans: a reaper that waited on pids it does not own would make some read 0.
        List<ChildProcess> ours = new ArrayList<>();
        List<Process> theirs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            theirs.add(new ProcessBuilder("/bin/sh", "-c", "exit 7").start());
            ours.add(reaper.spawn(ChildSpec.of("/bin/sh", "-c", "exit 3")));
        }
        for (Process p : theirs) {
            assertThat(p.waitFor()).isEqualTo(7);
        }
        for (ChildProcess c : ours) {
            assertThat(outcome(c).exitCode()).isEqualTo(3);
        }
    }

    @Test
    void aProcessBuilderChildThatOutlivesTwoSweepsStillGetsItsStatus() throws Exception {
        // A java.lang.Process child exiting late is reaped by the JDK's waiter, not the reaper.
        List<Process> theirs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            theirs.add(new ProcessBuilder("/bin/sh", "-c", "sleep 0.2; exit 7").start());
        }
        for (Process p : theirs) {
            assertThat(p.waitFor()).isEqualTo(7);
        }
    }

    @Test
    void orphansOfProcessBuilderChildrenAreReapedWithoutStealingFromTheJdk() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "/bin/sleep 0.3 & echo $!; exit 7").start();
        long orphan = Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
        assertThat(p.waitFor()).isEqualTo(7);
        assertThat(Fixtures.eventually(() -> !Fixtures.exists(orphan))).as("orphan reaped").isTrue();
    }
}
