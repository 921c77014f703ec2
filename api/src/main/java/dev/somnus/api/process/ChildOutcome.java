package dev.somnus.api.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a child ended. Exactly one {@link Kind} applies; the accessors that do not belong to it
 * return -1 or empty values. Captured output is at most the spec's cap per stream (the rest is
 * dropped, and {@link #stdoutTruncated()} / {@link #stderrTruncated()} say for which stream;
 * {@link #outputTruncated()} for either).
 */
public final class ChildOutcome {

    /** The ways a child can end. */
    public enum Kind {
        /** Exited normally; see {@link #exitCode()}. */
        EXITED,
        /** Killed by a signal it did not handle; see {@link #signal()}. A failure, never success. */
        SIGNALLED,
        /** Ran past its timeout and was killed; see {@link #signal()} for the signal that ended it. */
        TIMED_OUT,
        /** Never ran: not found, not executable, or another start error; see {@link #errno()}. */
        FAILED_TO_START,
        /**
         * Still running when the child-process service stopped, and let go of unreaped because its
         * spec {@link ChildSpec#survivesStop() survives the stop}: how it ends is not known. Not a
         * failure of the child; what it means for the action is the caller's to say.
         */
        RELEASED
    }

    private final Kind kind;
    private final List<String> argv;
    private final int exitCode;
    private final int signal;
    private final int errno;
    private final String message;
    private final byte[] stdout;
    private final byte[] stderr;
    private final boolean stdoutTruncated;
    private final boolean stderrTruncated;
    private final Duration elapsed;

    private ChildOutcome(Kind kind, List<String> argv, int exitCode, int signal, int errno, String message,
            byte[] stdout, byte[] stderr, boolean stdoutTruncated, boolean stderrTruncated, Duration elapsed) {
        this.kind = Objects.requireNonNull(kind);
        this.argv = List.copyOf(argv);
        this.exitCode = exitCode;
        this.signal = signal;
        this.errno = errno;
        this.message = message == null ? "" : message;
        this.stdout = stdout == null ? new byte[0] : stdout.clone();
        this.stderr = stderr == null ? new byte[0] : stderr.clone();
        this.stdoutTruncated = stdoutTruncated;
        this.stderrTruncated = stderrTruncated;
        this.elapsed = elapsed == null ? Duration.ZERO : elapsed;
    }

    /** With one truncation flag for both streams; see the overload for one per stream. */
    public static ChildOutcome exited(List<String> argv, int exitCode, byte[] stdout, byte[] stderr,
            boolean truncated, Duration elapsed) {
        return exited(argv, exitCode, stdout, truncated, stderr, truncated, elapsed);
    }

    public static ChildOutcome exited(List<String> argv, int exitCode, byte[] stdout, boolean stdoutTruncated,
            byte[] stderr, boolean stderrTruncated, Duration elapsed) {
        return new ChildOutcome(Kind.EXITED, argv, exitCode, -1, -1, null, stdout, stderr, stdoutTruncated,
                stderrTruncated, elapsed);
    }

    /** With one truncation flag for both streams; see the overload for one per stream. */
    public static ChildOutcome signalled(List<String> argv, int signal, byte[] stdout, byte[] stderr,
            boolean truncated, Duration elapsed) {
        return signalled(argv, signal, stdout, truncated, stderr, truncated, elapsed);
    }

    public static ChildOutcome signalled(List<String> argv, int signal, byte[] stdout, boolean stdoutTruncated,
            byte[] stderr, boolean stderrTruncated, Duration elapsed) {
        return new ChildOutcome(Kind.SIGNALLED, argv, -1, signal, -1, null, stdout, stderr, stdoutTruncated,
                stderrTruncated, elapsed);
    }

    /** With one truncation flag for both streams; see the overload for one per stream. */
    public static ChildOutcome timedOut(List<String> argv, int signal, byte[] stdout, byte[] stderr,
            boolean truncated, Duration elapsed) {
        return timedOut(argv, signal, stdout, truncated, stderr, truncated, elapsed);
    }

    public static ChildOutcome timedOut(List<String> argv, int signal, byte[] stdout, boolean stdoutTruncated,
            byte[] stderr, boolean stderrTruncated, Duration elapsed) {
        return new ChildOutcome(Kind.TIMED_OUT, argv, -1, signal, -1, null, stdout, stderr, stdoutTruncated,
                stderrTruncated, elapsed);
    }

    /**
     * @param errno the start error's errno ({@code ENOENT} = 2 for not found, {@code EACCES} = 13
     *        for not executable), or -1 when there was none
     * @param message the error's text, e.g. {@code No such file or directory}
     */
    public static ChildOutcome failedToStart(List<String> argv, int errno, String message) {
        return new ChildOutcome(Kind.FAILED_TO_START, argv, -1, -1, errno, message, null, null, false, false,
                Duration.ZERO);
    }

    /** A child let go of at the service's stop, see {@link Kind#RELEASED}. */
    public static ChildOutcome released(List<String> argv, Duration elapsed) {
        return new ChildOutcome(Kind.RELEASED, argv, -1, -1, -1, null, null, null, false, false, elapsed);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> argv() {
        return argv;
    }

    /** True only for a normal exit with code 0. */
    public boolean succeeded() {
        return kind == Kind.EXITED && exitCode == 0;
    }

    /** The exit code for {@link Kind#EXITED}, else -1. */
    public int exitCode() {
        return exitCode;
    }

    /** The terminating signal for {@link Kind#SIGNALLED} and {@link Kind#TIMED_OUT}, else -1. */
    public int signal() {
        return signal;
    }

    /** The errno for {@link Kind#FAILED_TO_START}, else -1. */
    public int errno() {
        return errno;
    }

    /** The start error's text for {@link Kind#FAILED_TO_START}, else empty. */
    public String message() {
        return message;
    }

    public byte[] stdout() {
        return stdout.clone();
    }

    public byte[] stderr() {
        return stderr.clone();
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** Whether either captured stream lost bytes past the cap. */
    public boolean outputTruncated() {
        return stdoutTruncated || stderrTruncated;
    }

    /** Whether captured stdout lost bytes past the cap (exactly the cap is not truncated). */
    public boolean stdoutTruncated() {
        return stdoutTruncated;
    }

    /** Whether captured stderr lost bytes past the cap. */
    public boolean stderrTruncated() {
        return stderrTruncated;
    }

    /** Wall-clock time from start to reaping. */
    public Duration elapsed() {
        return elapsed;
    }

    /** A sentence for logs and error replies, e.g. {@code '/usr/sbin/pm-hibernate' exited with status 1}. */
    public String describe() {
        String program = argv.isEmpty() ? "?" : "'" + String.join(" ", argv) + "'";
        switch (kind) {
            case EXITED:
                return program + " exited with status " + exitCode;
            case SIGNALLED:
                return program + " was killed by signal " + signal;
            case TIMED_OUT:
                return program + " timed out after " + elapsed.toMillis() + " ms and was killed by signal " + signal;
            case RELEASED:
                return program + " was still running when the agent stopped and was left to finish";
            case FAILED_TO_START:
            default:
                return program + " could not be started: " + message;
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
