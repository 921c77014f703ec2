package dev.somnus.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
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
}
