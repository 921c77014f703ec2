package dev.somnus.api.process;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** A started (or failed-to-start) child, owned by the reaper until its outcome completes. */
public interface ChildProcess {

    /** The child's pid, or -1 when it could not start. */
    long pid();

    /** The argv as executed (argv[0] resolved to an absolute path where it was found). */
    List<String> argv();

    /** When the child was started. */
    Instant started();

    /** Completes once the child is reaped; never completes exceptionally. */
    CompletionStage<ChildOutcome> outcome();

    /**
     * Asks the child to stop: SIGTERM now, SIGKILL after the spec's kill grace period. The outcome
     * then reports how it ended (normally {@link ChildOutcome.Kind#SIGNALLED}).
     */
    void cancel();

    /**
     * A child that never ran, for a {@link ChildProcesses} that must refuse a spec: its pid is -1 and
     * its outcome is already {@link ChildOutcome.Kind#FAILED_TO_START} with the given errno (-1 for
     * none) and text.
     */
    static ChildProcess notStarted(List<String> argv, int errno, String message) {
        return new NotStarted(argv, errno, message);
    }

    /** Blocks until the outcome is known. */
    default ChildOutcome await() throws InterruptedException {
        try {
            return outcome().toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a child outcome never completes exceptionally", e);
        }
    }
}
