package dev.somnus.freeze;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Stands in for the reaper: records each spawn as {@code run <argv>} in the shared call list and
 * answers the queued outcomes in turn (exit 0 when none is queued). Nothing is started.
 */
final class FakeHookRunner implements ChildProcesses {

    private final List<String> calls;
    private final Deque<Function<List<String>, ChildOutcome>> outcomes = new ArrayDeque<>();

    FakeHookRunner(List<String> calls) {
        this.calls = calls;
    }

    FakeHookRunner then(Function<List<String>, ChildOutcome> outcome) {
        outcomes.add(outcome);
        return this;
    }

    static Function<List<String>, ChildOutcome> exit(int status) {
        return argv -> ChildOutcome.exited(argv, status, null, null, false, Duration.ZERO);
    }

    static Function<List<String>, ChildOutcome> killed(int signal) {
        return argv -> ChildOutcome.signalled(argv, signal, null, null, false, Duration.ZERO);
    }

    static Function<List<String>, ChildOutcome> notStarted(int errno, String message) {
        return argv -> ChildOutcome.failedToStart(argv, errno, message);
    }

    @Override
    public ChildProcess spawn(ChildSpec spec) {
        calls.add("run " + String.join(" ", spec.argv()));
        Function<List<String>, ChildOutcome> next = outcomes.isEmpty() ? exit(0) : outcomes.poll();
        ChildOutcome outcome = next.apply(spec.argv());
        return new ChildProcess() {
            @Override
            public long pid() {
                return 4242;
            }

            @Override
            public List<String> argv() {
                return spec.argv();
            }

            @Override
            public Instant started() {
                return Instant.EPOCH;
            }

            @Override
            public CompletionStage<ChildOutcome> outcome() {
                return CompletableFuture.completedStage(outcome);
            }

            @Override
            public void cancel() {
            }
        };
    }
}
