package dev.somnus.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/**
 * The agent's log: one line per message, {@code <unix seconds>.<microseconds>: <level>: <message>},
 * the format of qemu-ga's {@code ga_log} (GLib {@code "%s.%f"}), to stderr or appended to the -l
 * file. qemu-ga shows only error and critical unless -v; we also show warnings by default, because
 * the launcher's refusals and deprecations are warnings a user should see, and messages, which are
 * the audit lines of suspend requests. -v shows every level.
 */
final class AgentLog implements AutoCloseable {

    /** GLib's log levels as qemu-ga names them ({@code ga_log_level_str}). */
    enum Level {
        ERROR("error"), CRITICAL("critical"), WARNING("warning"), MESSAGE("message"), INFO("info"), DEBUG("debug");

        final String text;

        Level(String text) {
            this.text = text;
        }
    }

    private final PrintStream out;
    private final boolean ownsStream;
    private final boolean verbose;
    private final Clock clock;
    /** Lines written while the file systems are frozen, held back until the thaw; null when writing. */
    private java.util.List<String> held;
    private int dropped;

    /** How many lines are held back while frozen; later ones are counted and dropped. */
    static final int HOLD_LIMIT = 10_000;

    AgentLog(OutputStream out, boolean ownsStream, boolean verbose, Clock clock) {
        this.out = new PrintStream(out, false, StandardCharsets.UTF_8);
        this.ownsStream = ownsStream;
        this.verbose = verbose;
        this.clock = clock;
    }

    /** To stderr. */
    static AgentLog toStderr(boolean verbose) {
        return new AgentLog(System.err, false, verbose, Clock.systemUTC());
    }

    /**
     * To {@code logfile} (appending) or, if null, to stderr.
     *
     * @throws LaunchException with qemu-ga's {@code unable to open specified log file: <strerror>}
     */
    static AgentLog open(String logfile, boolean verbose) throws LaunchException {
        if (logfile == null) {
            return toStderr(verbose);
        }
        try {
            OutputStream file = Files.newOutputStream(Path.of(logfile), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            return new AgentLog(file, true, verbose, Clock.systemUTC());
        } catch (IOException e) {
            throw new LaunchException("unable to open specified log file: " + Errors.describe(e));
        }
    }

    boolean isShown(Level level) {
        // "message" carries the OSGi Log's AUDIT entries (one per suspend request): always shown
        return verbose || level.compareTo(Level.MESSAGE) <= 0;
    }

    void log(Level level, String message) {
        if (!isShown(level)) {
            return;
        }
        String line = format(clock.instant(), level, message);
        synchronized (out) {
            if (held != null) {
                if (held.size() < HOLD_LIMIT) {
                    held.add(line);
                } else {
                    dropped++;
                }
                return;
            }
            out.print(line);
            out.flush();
        }
    }

    /**
     * While the guest's file systems are frozen a log file is not written (qemu-ga disables logging
     * then, qga-reference §3.4): lines are held back, up to {@link #HOLD_LIMIT}, and written at the
     * thaw, in order. A log on stderr is the service manager's and is written as usual.
     */
    void hold(boolean frozen) {
        synchronized (out) {
            if (frozen && held == null && ownsStream) {
                held = new java.util.ArrayList<>();
            } else if (!frozen && held != null) {
                java.util.List<String> lines = held;
                held = null;
                for (String line : lines) {
                    out.print(line);
                }
                if (dropped > 0) {
                    out.print(format(clock.instant(), Level.WARNING, dropped
                            + " log lines were dropped while the file systems were frozen"));
                    dropped = 0;
                }
                out.flush();
            }
        }
    }

    static String format(Instant when, Level level, String message) {
        return String.format("%d.%06d: %s: %s\n", when.getEpochSecond(), when.getNano() / 1000, level.text, message);
    }

    @Override
    public void close() {
        if (ownsStream) {
            out.close();
        }
    }
}
