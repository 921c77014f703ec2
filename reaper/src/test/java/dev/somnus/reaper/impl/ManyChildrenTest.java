package dev.somnus.reaper.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildSpec;

/** Ten thousand children, every one reaped: no zombie is left behind. */
class ManyChildrenTest {

    @TempDir
    Path bin;

    @Test
    void tenThousandChildrenLeaveNoZombies() throws Exception {
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Reaper reaper = Fixtures.reaper(bin, Duration.ofSeconds(1), log);
        AtomicInteger succeeded = new AtomicInteger();
        try {
            List<Thread> spawners = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                spawners.add(new Thread(() -> {
                    List<CompletableFuture<ChildOutcome>> pending = new ArrayList<>();
                    for (int i = 0; i < 2500; i++) {
                        pending.add(reaper.spawn(ChildSpec.of("/bin/true")).outcome().toCompletableFuture());
                        if (pending.size() == 100) {
                            settle(pending, succeeded);
                        }
                    }
                    settle(pending, succeeded);
                }));
            }
            spawners.forEach(Thread::start);
            for (Thread t : spawners) {
                t.join();
            }
            assertThat(succeeded).hasValue(10_000);
            assertThat(reaper.live()).isEmpty();
            assertThat(Fixtures.zombieChildren()).isEmpty();
        } finally {
            reaper.close();
        }
        assertThat(log.lines).isEmpty();
    }

    private static void settle(List<CompletableFuture<ChildOutcome>> pending, AtomicInteger succeeded) {
        for (CompletableFuture<ChildOutcome> f : pending) {
            try {
                if (f.get(30, TimeUnit.SECONDS).succeeded()) {
                    succeeded.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        pending.clear();
    }
}
