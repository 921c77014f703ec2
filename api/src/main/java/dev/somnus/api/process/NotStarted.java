package dev.somnus.api.process;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A child that never ran (see {@link ChildProcess#notStarted}). */
final class NotStarted implements ChildProcess {

    private final List<String> argv;
    private final Instant started = Instant.now();
    private final ChildOutcome outcome;

    NotStarted(List<String> argv, int errno, String message) {
        this.argv = List.copyOf(argv);
        this.outcome = ChildOutcome.failedToStart(argv, errno, message);
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public List<String> argv() {
        return argv;
    }

    @Override
    public Instant started() {
        return started;
    }

    @Override
    public CompletionStage<ChildOutcome> outcome() {
        return CompletableFuture.completedStage(outcome);
    }

    @Override
    public void cancel() {
        // nothing runs
    }
}
