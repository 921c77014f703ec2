package dev.somnus.api.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run and how. Built with {@link #of(String...)} and the {@code with...} methods; every
 * instance is immutable.
 *
 * <p>Defaults: the agent's environment, the agent's working directory, all three standard streams
 * {@code /dev/null} (as qemu-ga runs its helpers), no timeout, a 2 s kill grace period, a 64 KiB
 * cap per captured stream, and ended with the agent ({@link #survivesStop()} false).
 */
public final class ChildSpec {

    /** Where a standard stream goes. */
    public enum Stdio {
        /** {@code /dev/null}. */
        NULL,
        /** A pipe read by the reaper into the outcome, up to the cap (stdout and stderr only). */
        CAPTURE,
        /** The agent's own descriptor. */
        INHERIT
    }

    private final List<String> argv;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Stdio stdin;
    private final Stdio stdout;
    private final Stdio stderr;
    private final Duration timeout;
    private final Duration killGrace;
    private final int outputCap;
    private final boolean survivesStop;

    private ChildSpec(List<String> argv, Map<String, String> environment, Path workingDirectory, Stdio stdin,
            Stdio stdout, Stdio stderr, Duration timeout, Duration killGrace, int outputCap, boolean survivesStop) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        if (stdin == Stdio.CAPTURE) {
            throw new IllegalArgumentException("stdin cannot be captured");
        }
        if (outputCap < 0) {
            throw new IllegalArgumentException("outputCap must be >= 0");
        }
        if (survivesStop && (stdout == Stdio.CAPTURE || stderr == Stdio.CAPTURE)) {
            // the pipe's read end closes with the agent: the child's next write would kill it (SIGPIPE)
            throw new IllegalArgumentException("a child that survives the agent's stop cannot have its output captured");
        }
        this.argv = List.copyOf(argv);
        this.environment = environment == null ? null : Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
        this.stdin = Objects.requireNonNull(stdin);
        this.stdout = Objects.requireNonNull(stdout);
        this.stderr = Objects.requireNonNull(stderr);
        this.timeout = timeout;
        this.killGrace = Objects.requireNonNull(killGrace);
        this.outputCap = outputCap;
        this.survivesStop = survivesStop;
    }

    /** A spec for argv, with the defaults above. */
    public static ChildSpec of(String... argv) {
        return of(List.of(argv));
    }

    public static ChildSpec of(List<String> argv) {
        return new ChildSpec(argv, null, null, Stdio.NULL, Stdio.NULL, Stdio.NULL, null, Duration.ofSeconds(2),
                64 * 1024, false);
    }

    /** Replaces the environment (null = inherit the agent's). */
    public ChildSpec withEnvironment(Map<String, String> env) {
        return new ChildSpec(argv, env, workingDirectory, stdin, stdout, stderr, timeout, killGrace, outputCap, survivesStop);
    }

    public ChildSpec withWorkingDirectory(Path dir) {
        return new ChildSpec(argv, environment, dir, stdin, stdout, stderr, timeout, killGrace, outputCap, survivesStop);
    }

    public ChildSpec withStdio(Stdio in, Stdio out, Stdio err) {
        return new ChildSpec(argv, environment, workingDirectory, in, out, err, timeout, killGrace, outputCap, survivesStop);
    }

    /** After this long the child is sent SIGTERM, then SIGKILL after the grace period (null = never). */
    public ChildSpec withTimeout(Duration t) {
        return new ChildSpec(argv, environment, workingDirectory, stdin, stdout, stderr, t, killGrace, outputCap, survivesStop);
    }

    public ChildSpec withKillGrace(Duration grace) {
        return new ChildSpec(argv, environment, workingDirectory, stdin, stdout, stderr, timeout, grace, outputCap, survivesStop);
    }

    /** The most bytes kept per captured stream. */
    public ChildSpec withOutputCap(int bytes) {
        return new ChildSpec(argv, environment, workingDirectory, stdin, stdout, stderr, timeout, killGrace, bytes, survivesStop);
    }

    /**
     * A child that is not ended when the agent stops: for a helper that hands a request on and
     * must finish even though the request ends the agent ({@code systemctl poweroff},
     * {@code /sbin/shutdown}: the service manager answers by stopping the agent, possibly before
     * the helper has returned). Neither the reaper's stop nor a provider's
     * {@code ProviderChildren} signals it; at its stop the reaper lets go of it unreaped and
     * completes its outcome as {@link ChildOutcome.Kind#RELEASED}. Its timeout and
     * {@link ChildProcess#cancel()} still apply while the agent runs. Its output cannot be
     * captured (see the constructor's check): it would die of SIGPIPE writing to a pipe nobody
     * reads any more.
     */
    public ChildSpec survivingStop() {
        return new ChildSpec(argv, environment, workingDirectory, stdin, stdout, stderr, timeout, killGrace, outputCap,
                true);
    }

    public List<String> argv() {
        return argv;
    }

    /** The environment, or empty to inherit the agent's. */
    public Optional<Map<String, String>> environment() {
        return Optional.ofNullable(environment);
    }

    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    public Stdio stdin() {
        return stdin;
    }

    public Stdio stdout() {
        return stdout;
    }

    public Stdio stderr() {
        return stderr;
    }

    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    public Duration killGrace() {
        return killGrace;
    }

    public int outputCap() {
        return outputCap;
    }

    /** Whether the child is exempt from being ended at the agent's stop, see {@link #survivingStop()}. */
    public boolean survivesStop() {
        return survivesStop;
    }

    @Override
    public String toString() {
        return "ChildSpec" + argv;
    }
}
