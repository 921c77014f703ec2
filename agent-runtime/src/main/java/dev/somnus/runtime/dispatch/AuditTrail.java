package dev.somnus.runtime.dispatch;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * Writes the audit lines of the suspend family at the OSGi Log's AUDIT level, in the order they
 * were recorded. The threaded trail hands each line to a thread of its own: Felix Log records where
 * every entry was made by walking the caller's stack, and from a request (channel loop, reader,
 * parser, dispatch) that walk took about 60 µs, the largest single share of the time between a
 * {@code guest-suspend-*} request and its action (BENCHMARKS.md §4). On the trail's shallow thread
 * it costs little, and off the request's path.
 */
final class AuditTrail implements AutoCloseable {

    private final Logger logger;
    private final ExecutorService thread;

    private AuditTrail(Logger logger, ExecutorService thread) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.thread = thread;
    }

    /** Lines are logged by the thread that records them (tests, benchmarks). */
    static AuditTrail inline(Logger logger) {
        return new AuditTrail(logger, null);
    }

    /** Lines are logged by the trail's own thread, started now so a first request does not wait for it. */
    static AuditTrail threaded(Logger logger) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "somnus-audit");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.prestartCoreThread();
        return new AuditTrail(logger, executor);
    }

    void record(String line) {
        if (thread != null) {
            try {
                thread.execute(() -> logger.audit("{}", line));
                return;
            } catch (RejectedExecutionException closed) {
                // the protocol is being stopped: a line recorded now is still written, here
            }
        }
        logger.audit("{}", line);
    }

    /** Writes the lines still waiting (for up to 2 s) and stops the thread. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                logger.warn("audit lines were still waiting to be logged when the protocol stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
