package dev.somnus.freeze;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The fsfreeze hook ({@code -F}/{@code --fsfreeze-hook}, qga-reference §3.4): run with
 * {@code freeze} before the file systems are frozen and with {@code thaw} after they are thawed,
 * as {@code execute_fsfreeze_hook} (qga/commands-posix.c, 7.2) runs it: first an
 * {@code access(X_OK)} check, then the program with that one argument, its standard streams on
 * {@code /dev/null}, in a session of its own, waited for without a time limit. It is started
 * through the reaper ({@link ChildProcesses}), which also refuses a program others could have
 * replaced.
 */
final class FreezeHook {

    static final String FREEZE = "freeze";
    static final String THAW = "thaw";

    private final String path;
    private final Supplier<ChildProcesses> children;
    private final Consumer<String> log;

    /**
     * @param path the hook, or null when none was given (then nothing is run)
     * @param children the reaper, or a supplier of null while it is away
     * @param log where qemu-ga's slog lines go
     */
    FreezeHook(String path, Supplier<ChildProcesses> children, Consumer<String> log) {
        this.path = path == null || path.isEmpty() ? null : path;
        this.children = children;
        this.log = log;
    }

    /** The hook's path, or null. */
    String path() {
        return path;
    }

    /** The {@code access(X_OK)} check alone, for a dry run: what {@link #run} would refuse. */
    void check() throws CommandException {
        if (path == null) {
            return;
        }
        try {
            Path hook = Path.of(path);
            hook.getFileSystem().provider().checkAccess(hook, AccessMode.EXECUTE);
        } catch (IOException e) {
            throw new CommandException("can't access fsfreeze hook '" + path + "': " + strerror(e));
        }
    }

    void run(String argument) throws CommandException {
        if (path == null) {
            return;
        }
        check();
        log.accept("executing fsfreeze hook with arg '" + argument + "'");
        ChildProcesses reaper = children.get();
        if (reaper == null) {
            // qemu-ga forks itself; here the reaper owns every child, and it is away (restarting)
            throw new CommandException("failed to create child process: the child process service is not available");
        }
        ChildOutcome outcome;
        try {
            outcome = reaper.spawn(ChildSpec.of(path, argument)).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("fsfreeze hook has terminated abnormally");
        }
        switch (outcome.kind()) {
            case EXITED:
                if (outcome.exitCode() != 0) {
                    throw new CommandException("fsfreeze hook has failed with status " + outcome.exitCode());
                }
                return;
            case FAILED_TO_START:
                // qemu-ga's child calls _exit(EXIT_FAILURE) when execl fails: status 1. The reaper
                // knows why, and a hook it refuses (writable by others) deserves to be named.
                throw new CommandException("fsfreeze hook has failed with status 1 (" + outcome.message() + ")");
            case SIGNALLED:
            case TIMED_OUT:
            default:
                throw new CommandException("fsfreeze hook has terminated abnormally");
        }
    }

    /** The C library's text for the access(2) failure. */
    static String strerror(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
