package dev.somnus.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The audit lines of suspend requests: every one written, in order, even when the protocol stops. */
class AuditTrailTest {

    /** Records "thread-name: line" for every audit call. */
    private final List<String> written = new ArrayList<>();
    private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (method.getName().equals("audit")) {
                    synchronized (written) {
                        written.add(Thread.currentThread().getName() + ": " + args[1]);
                    }
                }
                return null;
            });

    @Test
    void aThreadedTrailWritesEveryLineInOrderOnItsOwnThreadAndDrainsOnClose() {
        AuditTrail trail = AuditTrail.threaded(logger);
        IntStream.range(0, 2000).forEach(i -> trail.record("line " + i));
        trail.close();

        synchronized (written) {
            assertThat(written).containsExactlyElementsOf(
                    IntStream.range(0, 2000).mapToObj(i -> "somnus-audit: line " + i).toList());
        }
    }

    @Test
    void theTrailsThreadRunsAtIdlePriority() throws Exception {
        AuditTrail trail = AuditTrail.threaded(logger);
        try {
            trail.record("wake up");
            // the thread sets its policy before it takes its first line; once the line is out it is set
            for (int i = 0; i < 200 && policyOf("somnus-audit") != SCHED_IDLE; i++) {
                Thread.sleep(10);
            }
            assertThat(policyOf("somnus-audit")).isEqualTo(SCHED_IDLE);
        } finally {
            trail.close();
        }
    }

    private static final int SCHED_IDLE = 5;

    /** The scheduling policy (field 41 of /proc/.../stat) of this process's thread with that name, or -1. */
    private static int policyOf(String threadName) throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(threadName)) {
                        String stat = Files.readString(task.resolve("stat"));
                        // fields after the command name in parentheses, which may hold spaces
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        return Integer.parseInt(fields[41 - 3]);
                    }
                } catch (java.nio.file.NoSuchFileException ended) {
                    // another thread of this JVM ended between the listing and the read: not ours
                }
            }
        }
        return -1;
    }

    @Test
    void aLineRecordedAfterCloseIsStillWrittenByTheCaller() {
        AuditTrail trail = AuditTrail.threaded(logger);
        trail.close();
        trail.record("late");

        synchronized (written) {
            assertThat(written).containsExactly(Thread.currentThread().getName() + ": late");
        }
    }

    @Test
    void anInlineTrailWritesOnTheCallersThread() {
        AuditTrail trail = AuditTrail.inline(logger);
        trail.record("now");

        synchronized (written) {
            assertThat(written).containsExactly(Thread.currentThread().getName() + ": now");
        }
    }

    @Test
    void aLineRecordedWhileTheTrailClosesIsNeitherLostNorWrittenBeforeAnEarlierOne() throws Exception {
        // A request's "requested" line waits out the pause; its result line may be recorded just as
        // the protocol stops. It must follow the first, and must not vanish behind the close.
        for (int round = 0; round < 200; round++) {
            synchronized (written) {
                written.clear();
            }
            AuditTrail trail = AuditTrail.threaded(logger);
            trail.record("requested " + round);
            Thread closer = new Thread(trail::close);
            closer.start();
            trail.record("failed " + round);
            closer.join();

            List<String> lines = new ArrayList<>();
            synchronized (written) {
                written.forEach(w -> lines.add(w.substring(w.indexOf(": ") + 2)));
            }
            assertThat(lines).as("round " + round).containsExactly("requested " + round, "failed " + round);
        }
    }

    @Test
    void aLineTheLogRefusesCostsThatLineOnlyNotTheOnesAfterIt() {
        List<String> kept = new ArrayList<>();
        Logger refusesBad = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("audit")) {
                        if ("bad".equals(args[1])) {
                            throw new IllegalStateException("log service gone");
                        }
                        synchronized (kept) {
                            kept.add((String) args[1]);
                        }
                    }
                    return null;
                });
        AuditTrail trail = AuditTrail.threaded(refusesBad);
        trail.record("before");
        trail.record("bad");
        trail.record("after");
        trail.close();

        synchronized (kept) {
            assertThat(kept).containsExactly("before", "after");
        }
    }
}
