package dev.somnus.runtime.dispatch;

import dev.somnus.runtime.channel.IdleScheduling;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * Writes the audit lines of the suspend family at the OSGi Log's AUDIT level, in the order they
 * were recorded.
 *
 * <p>The threaded trail keeps them off the path from a {@code guest-suspend-*} request to its
 * action, which BENCHMARKS.md §4 measures in fractions of a millisecond. Logged from the request's
 * thread, a line cost about 60 µs there (Felix Log walks the caller's whole stack for every entry)
 * and then woke Felix's log listener thread to write it, which competed with the helper just
 * started. Here the request only queues the line; the trail's thread, at Linux's SCHED_IDLE so it
 * never preempts anything, lets {@value #SETTLE_MILLIS} ms pass so the action is under way, then
 * logs every line waiting. A suspend's line thus reaches the log a few milliseconds after the
 * request, before the guest sleeps or (when the guest already froze its processes) right after it
 * resumes.
 */
final class AuditTrail implements AutoCloseable {

    /** How long the trail's thread waits after a line arrives before it logs. */
    static final long SETTLE_MILLIS = 2;
    private static final String CLOSE = new String("close");

    private final Logger logger;
    private final LinkedBlockingQueue<String> lines;
    private final Thread thread;
    /** Guards {@link #closed} and the CLOSE marker: a line is queued before CLOSE or not at all. */
    private final Object lock = new Object();
    private boolean closed;

    private AuditTrail(Logger logger, boolean threaded) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.lines = threaded ? new LinkedBlockingQueue<>() : null;
        this.thread = threaded ? new Thread(this::run, "somnus-audit") : null;
        if (threaded) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Lines are logged at once by the thread that records them (tests, benchmarks). */
    static AuditTrail inline(Logger logger) {
        return new AuditTrail(logger, false);
    }

    /** Lines are logged by the trail's own thread, started now so a first request does not wait for it. */
    static AuditTrail threaded(Logger logger) {
        return new AuditTrail(logger, true);
    }

    void record(String line) {
        if (thread != null) {
            synchronized (lock) {
                if (!closed) {
                    lines.add(line);
                    return;
                }
            }
            // The protocol is being stopped: this line is written here, but only after the lines
            // queued before it (a request's own "requested" line, say) are out.
            awaitThread();
        }
        write(line);
    }

    private void run() {
        String refused = IdleScheduling.enter();
        if (refused != null) {
            logger.debug("the audit thread keeps its normal priority: {}", refused);
        }
        List<String> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(lines.take());
                if (batch.get(0) != CLOSE) {
                    TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
                }
            } catch (InterruptedException e) {
                // nothing here interrupts this thread (close() queues CLOSE); if something does,
                // the lines already waiting are written now instead of after the pause
            }
            lines.drainTo(batch);
            for (String line : batch) {
                if (line == CLOSE) {
                    stop = true; // nothing is queued after CLOSE (see record), but write the whole batch
                } else {
                    write(line);
                }
            }
            batch.clear();
        }
    }

    /** One line; a failing logger costs that line only, never the trail's thread and the lines after it. */
    private void write(String line) {
        try {
            logger.audit("{}", line);
        } catch (RuntimeException e) {
            // nowhere better to say it than the log that just failed; try once, then go on
            try {
                logger.error("an audit line could not be logged: {}", line, e);
            } catch (RuntimeException ignored) {
                // the log is gone: the line is lost, the trail keeps going
            }
        }
    }

    /** Writes the lines still waiting (for up to 2 s) and stops the thread. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lines.add(CLOSE);
        }
        awaitThread();
    }

    private void awaitThread() {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
            if (thread.isAlive()) {
                logger.warn("audit lines were still waiting to be logged when the protocol stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
