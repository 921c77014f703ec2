package dev.somnus.provider.common;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;
import dev.somnus.api.process.ChildSpec.Stdio;
import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Runs a provider's helper programs (probes and actions) through the reaper's
 * {@link ChildProcesses}, always with a timeout, and turns their ends into answers. Like qemu-ga
 * (qga-reference §4.5) helpers get {@code /dev/null} for stdin and stdout; stderr is captured (a
 * little of it) only so that a failure can quote the helper's own last words.
 */
public final class HelperRunner {

    /** errno of "No such file or directory": the program is not installed. */
    public static final int ENOENT = 2;
    private static final int STDERR_CAP = 2048;

    private final ChildProcesses children;
    private final Duration timeout;

    public HelperRunner(ChildProcesses children, Duration timeout) {
        this.children = Objects.requireNonNull(children, "children");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Runs argv to its end (or its timeout) and returns how it ended.
     *
     * @throws InterruptedException when the waiting thread is interrupted; the helper is then
     *         cancelled (its process group ended), so nobody is told "interrupted" while it goes on
     */
    public ChildOutcome run(List<String> argv) throws InterruptedException {
        ChildSpec spec = ChildSpec.of(argv)
                .withStdio(Stdio.NULL, Stdio.NULL, Stdio.CAPTURE)
                .withOutputCap(STDERR_CAP)
                .withTimeout(timeout);
        ChildProcess child = children.spawn(spec);
        try {
            return child.await();
        } catch (InterruptedException e) {
            child.cancel();
            throw e;
        }
    }

    /**
     * Runs an action that must outlive the agent's stop (a shutdown helper: the shutdown it hands
     * on stops the agent, perhaps before the helper returns), with all three streams on
     * {@code /dev/null} as qemu-ga 7.2 runs {@code /sbin/shutdown}, and exempt from the stop
     * ({@link ChildSpec#survivingStop()}): neither {@link ProviderChildren#close()} nor the reaper's
     * stop ends it, and an interrupted wait leaves it running. Its timeout still applies.
     */
    public ChildOutcome runSurvivingStop(List<String> argv) throws InterruptedException {
        ChildSpec spec = ChildSpec.of(argv).withTimeout(timeout).survivingStop();
        return children.spawn(spec).await();
    }

    /**
     * The answer of a probe that only looks at a program's file, for helpers that must never be
     * run to probe (a shutdown program): available while {@code program} is an absolute path to an
     * executable regular file (links followed); a missing or non-executable file is
     * {@code helper-missing}, a bare name {@code probe-failed} (it would have to be looked up).
     */
    public static Availability executableFile(String program) {
        Path path = Path.of(program);
        if (!path.isAbsolute()) {
            return Availability.unavailable(Reasons.PROBE_FAILED,
                    program + " is not an absolute path (this program is configured as a file)");
        }
        if (!Files.exists(path)) {
            return Availability.unavailable(Reasons.HELPER_MISSING, program + " does not exist (helper not installed)");
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            return Availability.unavailable(Reasons.HELPER_MISSING, program + " is not an executable file");
        }
        return Availability.available(program + " is an executable file");
    }

    /**
     * Like {@link #executableFile(String)}, but a bare name is looked up the way the reaper will run
     * it: in the trusted directories (colon-separated, in order; the value of the reaper's
     * {@code trusted.directories}), the first executable regular file found. Nothing is run.
     */
    public static Availability installed(String program, String trustedDirectories) {
        if (program.indexOf('/') >= 0) {
            return executableFile(program);
        }
        for (String dir : trustedDirectories.split(":")) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir.trim(), program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Availability.available(candidate + " is an executable file");
            }
        }
        return Availability.unavailable(Reasons.HELPER_MISSING,
                program + " is in none of the trusted directories " + trustedDirectories + " (helper not installed)");
    }

    /** argv as one quoted word, the way qemu-ga names helpers: {@code 'systemctl hibernate'}. */
    public static String quoted(List<String> argv) {
        return "'" + String.join(" ", argv) + "'";
    }

    /** True when the program could not start because it does not exist. */
    public static boolean notFound(ChildOutcome outcome) {
        return outcome.kind() == ChildOutcome.Kind.FAILED_TO_START && outcome.errno() == ENOENT;
    }

    /**
     * The answer of a probe program whose exit status means yes or no. A missing program is
     * {@code helper-missing}; a signal, a timeout, a start error or an exit status that is neither
     * yes nor no is {@code probe-failed}. (qemu-ga reads a helper killed by a signal as exit 0, i.e.
     * yes — §4.3; we deliberately do not.)
     *
     * @param argv what was run, as configured (for the sentence)
     * @param outcome how it ended
     * @param yes exit statuses that mean "supported"
     * @param no exit statuses that mean "not supported"
     * @param noMeans what a "no" means, for the sentence, e.g. {@code pm-utils does not support hibernation}
     */
    public static Availability verdict(List<String> argv, ChildOutcome outcome, IntPredicate yes, IntPredicate no,
            String noMeans) {
        String command = quoted(argv);
        if (notFound(outcome)) {
            return Availability.unavailable(Reasons.HELPER_MISSING,
                    command + " could not be run: " + outcome.message() + " (helper not installed)");
        }
        if (outcome.kind() == ChildOutcome.Kind.EXITED) {
            int status = outcome.exitCode();
            if (yes.test(status)) {
                return Availability.available(command + " exited with status " + status);
            }
            if (no.test(status)) {
                return Availability.unavailable(Reasons.HELPER_REFUSED,
                        command + " exited with status " + status + ": " + noMeans);
            }
            return Availability.unavailable(Reasons.PROBE_FAILED,
                    command + " returned an unexpected exit status code (" + status + ")" + lastWords(outcome));
        }
        return Availability.unavailable(Reasons.PROBE_FAILED, ended(command, outcome));
    }

    /** The outcome of an action program: done on exit status 0, otherwise why not. */
    public static Outcome actionOutcome(List<String> argv, ChildOutcome outcome, String doneMeans) {
        String command = quoted(argv);
        if (outcome.succeeded()) {
            return Outcome.done(command + " exited with status 0: " + doneMeans);
        }
        if (notFound(outcome)) {
            return Outcome.failed(Reasons.HELPER_MISSING,
                    command + " could not be run: " + outcome.message() + " (helper not installed)");
        }
        switch (outcome.kind()) {
            case EXITED:
                return Outcome.failed(Reasons.ACTION_FAILED,
                        command + " returned an unexpected exit status code (" + outcome.exitCode() + ")"
                                + lastWords(outcome));
            case TIMED_OUT:
                return Outcome.failed(Reasons.ACTION_TIMED_OUT, ended(command, outcome));
            case SIGNALLED:
                return Outcome.failed(Reasons.ACTION_KILLED, ended(command, outcome));
            case RELEASED:
                // only a child that survives the stop is released: it has the request and goes on
                return Outcome.done(command + " was still running when the agent stopped and was left to finish: "
                        + doneMeans);
            case FAILED_TO_START:
            default:
                return Outcome.failed(Reasons.ACTION_NOT_STARTED, ended(command, outcome));
        }
    }

    private static String ended(String command, ChildOutcome outcome) {
        switch (outcome.kind()) {
            case SIGNALLED:
                return command + " was killed by signal " + outcome.signal() + lastWords(outcome);
            case TIMED_OUT:
                return command + " timed out after " + outcome.elapsed().toMillis() + " ms and was killed by signal "
                        + outcome.signal();
            case FAILED_TO_START:
                return command + " could not be run: " + outcome.message();
            case EXITED:
            default:
                return command + " exited with status " + outcome.exitCode() + lastWords(outcome);
        }
    }

    /** The last non-blank line the helper wrote to stderr, as {@code : <line>}, or nothing. */
    private static String lastWords(ChildOutcome outcome) {
        String[] lines = outcome.stderrText().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                return ": " + line;
            }
        }
        return "";
    }
}
