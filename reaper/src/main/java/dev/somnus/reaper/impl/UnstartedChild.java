package dev.somnus.reaper.impl;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;

/** A child that never ran: its outcome is already {@link ChildOutcome.Kind#FAILED_TO_START}. */
final class UnstartedChild implements ChildProcess {

    private final List<String> argv;
    private final Instant started = Instant.now();
    private final ChildOutcome outcome;

    UnstartedChild(List<String> argv, int errno, String message) {
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
