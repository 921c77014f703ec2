package dev.somnus.api.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run and how. Built with {@link #of(String...)} and the {@code with...} methods; every
 * instance is immutable.
 *
 * <p>Defaults: the agent's environment, the agent's working directory, all three standard streams
 * {@code /dev/null} (as qemu-ga runs its helpers), no timeout, a 2 s kill grace period, a
 * 64 KiB cap per captured stream, the program looked up in the trusted directories and
 * checked for tampering (see {@link ChildProcesses}), and ended with the agent
 * ({@link #survivesStop()} false).
 */
public final class ChildSpec {

    /** Where a standard stream goes. */
    public enum Stdio {
        /** {@code /dev/null}. */
        NULL,
        /** A pipe read by the reaper into the outcome, up to the cap (stdout and stderr only). */
        CAPTURE,
        /** The agent's own descriptor. */
        INHERIT,
        /**
         * A pipe the reaper writes the spec's {@link #input()} bytes to, then closes (stdin only;
         * set by {@link #withInput(byte[])}). Should the child exit or close its end first, the
         * rest is dropped.
         */
        INPUT,
        /** Wherever stdout goes, one descriptor shared (stderr only): qemu-ga 8.0's "merged". */
        SAME_AS_STDOUT
    }

    private List<String> argv;
    /** {@code NAME=value} strings as execve takes them, or null to inherit the agent's. */
    private List<String> environment;
    private Path workingDirectory;
    private Stdio stdin = Stdio.NULL;
    private Stdio stdout = Stdio.NULL;
    private Stdio stderr = Stdio.NULL;
    private byte[] input;
    private Duration timeout;
    private Duration killGrace = Duration.ofSeconds(2);
    private int outputCap = 64 * 1024;
    private boolean hostChosen;
    private boolean captureToEndOfFile;
    private boolean survivesStop;

    private ChildSpec(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        this.argv = List.copyOf(argv);
    }

    private ChildSpec copy() {
        ChildSpec c = new ChildSpec(argv);
        c.environment = environment;
        c.workingDirectory = workingDirectory;
        c.stdin = stdin;
        c.stdout = stdout;
        c.stderr = stderr;
        c.input = input;
        c.timeout = timeout;
        c.killGrace = killGrace;
        c.outputCap = outputCap;
        c.hostChosen = hostChosen;
        c.captureToEndOfFile = captureToEndOfFile;
        c.survivesStop = survivesStop;
        return c;
    }

    /** A spec for argv, with the defaults above. */
    public static ChildSpec of(String... argv) {
        return of(List.of(argv));
    }

    public static ChildSpec of(List<String> argv) {
        return new ChildSpec(argv);
    }

    /** Replaces the environment (null = inherit the agent's). */
    public ChildSpec withEnvironment(Map<String, String> env) {
        ChildSpec c = copy();
        if (env == null) {
            c.environment = null;
        } else {
            List<String> entries = new ArrayList<>(env.size());
            Map.copyOf(env).forEach((name, value) -> entries.add(name + "=" + value));
            c.environment = List.copyOf(entries);
        }
        return c;
    }

    /**
     * Replaces the environment with these strings exactly as execve takes them, in order (null =
     * inherit the agent's): guest-exec passes the host's {@code env} through untouched, as qemu-ga
     * does, so an entry without '=' or a name given twice reaches the child as it is.
     */
    public ChildSpec withEnvironmentEntries(List<String> entries) {
        ChildSpec c = copy();
        c.environment = entries == null ? null : List.copyOf(entries);
        return c;
    }

    public ChildSpec withWorkingDirectory(Path dir) {
        ChildSpec c = copy();
        c.workingDirectory = dir;
        return c;
    }

    /**
     * @throws IllegalArgumentException for CAPTURE or SAME_AS_STDOUT as stdin, INPUT as stdout or
     *         stderr, SAME_AS_STDOUT as stdout
     */
    public ChildSpec withStdio(Stdio in, Stdio out, Stdio err) {
        Objects.requireNonNull(in);
        Objects.requireNonNull(out);
        Objects.requireNonNull(err);
        if (in == Stdio.CAPTURE || in == Stdio.SAME_AS_STDOUT) {
            throw new IllegalArgumentException("stdin cannot be " + in);
        }
        if (out == Stdio.INPUT || out == Stdio.SAME_AS_STDOUT || err == Stdio.INPUT) {
            throw new IllegalArgumentException("stdout " + out + " / stderr " + err + " is not possible");
        }
        ChildSpec c = copy();
        c.stdin = in;
        c.stdout = out;
        c.stderr = err;
        if (in != Stdio.INPUT) {
            c.input = null;
        } else if (c.input == null) {
            c.input = new byte[0];
        }
        return c.refuseCaptureIfSurviving();
    }

    /**
     * The child reads these bytes on stdin, then end of file (stdin becomes {@link Stdio#INPUT}).
     * They are written by the reaper as the child reads them, so any amount works without either
     * side blocking.
     */
    public ChildSpec withInput(byte[] bytes) {
        ChildSpec c = copy();
        c.stdin = Stdio.INPUT;
        c.input = bytes.clone();
        return c.refuseCaptureIfSurviving();
    }

    /** After this long the child is sent SIGTERM, then SIGKILL after the grace period (null = never). */
    public ChildSpec withTimeout(Duration t) {
        ChildSpec c = copy();
        c.timeout = t;
        return c;
    }

    public ChildSpec withKillGrace(Duration grace) {
        ChildSpec c = copy();
        c.killGrace = Objects.requireNonNull(grace);
        return c;
    }

    /** The most bytes kept per captured stream. */
    public ChildSpec withOutputCap(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("outputCap must be >= 0");
        }
        ChildSpec c = copy();
        c.outputCap = bytes;
        return c;
    }

    /**
     * Marks the program as chosen by the host (guest-exec), not by the agent: it is found as
     * qemu-ga finds it, outside the trusted-directory rule. A name without '/' is searched in the
     * {@code PATH} of the spec's environment when it gives one, else in the agent's {@code PATH},
     * else in {@code /bin:/usr/bin:.} (GLib's g_spawn with {@code G_SPAWN_SEARCH_PATH |
     * G_SPAWN_SEARCH_PATH_FROM_ENVP}); a name with '/' is run as given. The tampering check is not
     * applied (the host may run what it likes, as with qemu-ga); the service logs a warning when
     * the program would have failed it. The child receives argv[0] exactly as given, while
     * {@link ChildProcess#argv()} reports the path that was run.
     */
    public ChildSpec hostChosen() {
        ChildSpec c = copy();
        c.hostChosen = true;
        return c;
    }

    /**
     * The outcome waits until every captured pipe has reached end of file, also when a process
     * the child started keeps it open after the child has been reaped (qemu-ga's
     * guest-exec-status reports {@code exited} only once both pipes are closed). By default the
     * pipes are drained and closed when the child is reaped, so a lingering grandchild never
     * holds up the outcome.
     */
    public ChildSpec withCaptureToEndOfFile() {
        ChildSpec c = copy();
        c.captureToEndOfFile = true;
        return c;
    }

    /**
     * A child that is not ended when the agent stops: for a helper that hands a request on and
     * must finish even though the request ends the agent ({@code systemctl poweroff},
     * {@code /sbin/shutdown}: the service manager answers by stopping the agent, possibly before
     * the helper has returned). Neither the reaper's stop nor a provider's
     * {@code ProviderChildren} signals it; at its stop the reaper lets go of it unreaped and
     * completes its outcome as {@link ChildOutcome.Kind#RELEASED}. Its timeout and
     * {@link ChildProcess#cancel()} still apply while the agent runs. It can have no pipe to the
     * agent (no captured output, no input): it would die of SIGPIPE writing to a pipe nobody
     * reads any more.
     *
     * @throws IllegalArgumentException when a standard stream is a pipe
     */
    public ChildSpec survivingStop() {
        ChildSpec c = copy();
        c.survivesStop = true;
        return c.refuseCaptureIfSurviving();
    }

    private ChildSpec refuseCaptureIfSurviving() {
        if (survivesStop && (stdin == Stdio.INPUT || stdout == Stdio.CAPTURE || stderr == Stdio.CAPTURE)) {
            // the pipe's agent end closes with the agent: the child's next write would kill it (SIGPIPE)
            throw new IllegalArgumentException("a child that survives the agent's stop cannot have a pipe to the agent");
        }
        return this;
    }

    public List<String> argv() {
        return argv;
    }

    /**
     * The environment as a map, or empty to inherit the agent's. Where entries were given (see
     * {@link #withEnvironmentEntries}), the first of a name wins, as getenv finds it, and entries
     * without '=' are left out; {@link #environmentEntries()} has them all.
     */
    public Optional<Map<String, String>> environment() {
        if (environment == null) {
            return Optional.empty();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : environment) {
            int eq = entry.indexOf('=');
            if (eq >= 0) {
                map.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return Optional.of(Collections.unmodifiableMap(map));
    }

    /** The environment as {@code NAME=value} strings in order, or empty to inherit the agent's. */
    public Optional<List<String>> environmentEntries() {
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

    /** The bytes fed to stdin when it is {@link Stdio#INPUT}, else empty. */
    public Optional<byte[]> input() {
        return Optional.ofNullable(input).map(byte[]::clone);
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

    /** See {@link #withCaptureToEndOfFile()}. */
    public boolean capturesToEndOfFile() {
        return captureToEndOfFile;
    }

    /** Whether the child is exempt from being ended at the agent's stop, see {@link #survivingStop()}. */
    public boolean survivesStop() {
        return survivesStop;
    }

    /** Whether the host named the program (see {@link #hostChosen()}). */
    public boolean isHostChosen() {
        return hostChosen;
    }

    @Override
    public String toString() {
        return "ChildSpec" + argv;
    }
}
