package dev.somnus.reaper.impl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletionStage;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildSpec;
import dev.somnus.reaper.impl.posix.Posix;

/**
 * A running child the reaper owns until it is reaped. Its termination state is touched only by
 * the reaper's loop thread; other threads only read the immutable parts and ask for cancel().
 */
final class OwnedChild implements ChildProcess {

    private final Reaper reaper;
    private final int pid;
    private final List<String> argv;
    private final Instant started;
    private final long startNanos;
    private final ChildSpec spec;
    private final CapturedStream stdout;
    private final CapturedStream stderr;
    private final InputFeed stdin;
    private final CompletableFuture<ChildOutcome> outcome = new CompletableFuture<>();

    // loop thread only
    private int lastSignalSent = -1;
    private boolean timedOut;
    private boolean reaped;
    private boolean released;
    private int exitStatus = -1;
    private int pidfd = -1;

    OwnedChild(Reaper reaper, int pid, List<String> argv, ChildSpec spec, CapturedStream stdout,
            CapturedStream stderr, InputFeed stdin, Instant started, long startNanos) {
        this.reaper = reaper;
        this.pid = pid;
        this.argv = List.copyOf(argv);
        this.spec = spec;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin;
        this.started = started;
        this.startNanos = startNanos;
    }

    @Override
    public long pid() {
        return pid;
    }

    int intPid() {
        return pid;
    }

    @Override
    public List<String> argv() {
        return argv;
    }

    @Override
    public Instant started() {
        return started;
    }

    long startNanos() {
        return startNanos;
    }

    /**
     * The outcome is completed on the reaper's loop thread, so stages chained here are relayed to
     * the completion pool: a slow callback never delays reaping.
     */
    @Override
    public CompletionStage<ChildOutcome> outcome() {
        return outcome.whenCompleteAsync((result, never) -> { }, reaper.callbacks()).minimalCompletionStage();
    }

    /**
     * A caller blocked here is woken straight from the loop (an unpark, no callback runs there):
     * one thread hop fewer than through {@link #outcome()}, which is most of a helper's
     * spawn-to-outcome latency after the spawn itself (BENCHMARKS.md §3).
     */
    @Override
    public ChildOutcome await() throws InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a child outcome never completes exceptionally", e);
        }
    }

    @Override
    public void cancel() {
        reaper.cancel(this);
    }

    Optional<Duration> timeout() {
        return spec.timeout();
    }

    Duration killGrace() {
        return spec.killGrace();
    }

    /** The captured streams that are still open (none, one or two). */
    List<CapturedStream> openStreams() {
        if (stdout != null && stdout.isOpen()) {
            return stderr != null && stderr.isOpen() ? List.of(stdout, stderr) : List.of(stdout);
        }
        return stderr != null && stderr.isOpen() ? List.of(stderr) : List.of();
    }

    /** The stdin pipe the reaper feeds, when the spec gave input. */
    Optional<InputFeed> inputFeed() {
        return Optional.ofNullable(stdin);
    }

    /** The child's pidfd while the loop watches it, else -1. */
    int pidfd() {
        return pidfd;
    }

    void pidfd(int fd) {
        pidfd = fd;
    }

    boolean terminating() {
        return lastSignalSent != -1;
    }

    boolean reaped() {
        return reaped;
    }

    /** Whether the spec exempts the child from the reaper's stop ({@link ChildSpec#survivesStop()}). */
    boolean survivesStop() {
        return spec.survivesStop();
    }

    /** True once the reaper let go of it at its stop: nothing is sent to it or waited for any more. */
    boolean released() {
        return released;
    }

    /**
     * Lets go of the child at the reaper's stop, unreaped: its outcome reads
     * {@link ChildOutcome.Kind#RELEASED}. It has no captured streams (the spec forbids them), so no
     * pipe closes under it.
     */
    ChildOutcome release() {
        released = true;
        return ChildOutcome.released(argv, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** See ChildSpec.withCaptureToEndOfFile. */
    boolean waitsForEndOfOutput() {
        return spec.capturesToEndOfFile();
    }

    /**
     * Reads what the open capture pipes hold now.
     *
     * @return whether one is still open (its end of file not reached)
     */
    boolean readOpenStreams(Posix posix, jnr.ffi.Pointer buffer, int bufferSize) {
        boolean open = false;
        for (CapturedStream stream : openStreams()) {
            open |= stream.readAvailable(posix, buffer, bufferSize);
        }
        return open;
    }

    /** Marks the child reaped with its wait status, its outcome still to come. */
    void exitStatus(int status, Posix posix) {
        reaped = true;
        exitStatus = status;
        if (stdin != null) {
            stdin.close(posix);
        }
    }

    int exitStatus() {
        return exitStatus;
    }

    void signalSent(int signal, boolean becauseOfTimeout) {
        lastSignalSent = signal;
        timedOut |= becauseOfTimeout;
    }

    /**
     * Builds the outcome from a wait status after draining the pipes: whatever the child wrote
     * before it exited is already in them, and a grandchild that kept the write end open must not
     * hold up the outcome.
     */
    ChildOutcome reap(int status, Posix posix, jnr.ffi.Pointer buffer, int bufferSize) {
        reaped = true;
        if (stdin != null) {
            stdin.close(posix); // nobody reads the rest now
        }
        byte[] out = drain(stdout, posix, buffer, bufferSize);
        byte[] err = drain(stderr, posix, buffer, bufferSize);
        boolean outTruncated = stdout != null && stdout.truncated();
        boolean errTruncated = stderr != null && stderr.truncated();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        if (timedOut) {
            // A child that handled SIGTERM and exited still ran past its deadline; report the
            // signal that ended it.
            int signal = Posix.signalled(status) ? Posix.termSignal(status) : lastSignalSent;
            return ChildOutcome.timedOut(argv, signal, out, outTruncated, err, errTruncated, elapsed);
        }
        if (Posix.exited(status)) {
            return ChildOutcome.exited(argv, Posix.exitCode(status), out, outTruncated, err, errTruncated, elapsed);
        }
        return ChildOutcome.signalled(argv, Posix.termSignal(status), out, outTruncated, err, errTruncated,
                elapsed);
    }

    private static byte[] drain(CapturedStream stream, Posix posix, jnr.ffi.Pointer buffer, int bufferSize) {
        if (stream == null) {
            return null;
        }
        stream.readAvailable(posix, buffer, bufferSize);
        stream.close(posix);
        return stream.bytes();
    }

    /** Completes the outcome; called on the loop thread (see {@link #outcome()}). */
    void complete(ChildOutcome result) {
        outcome.complete(result);
    }

    /** For the live listing: pid, argv, age, timeout. */
    LiveChild snapshot() {
        return new LiveChild(pid, argv, started, spec.timeout().orElse(null));
    }
}
