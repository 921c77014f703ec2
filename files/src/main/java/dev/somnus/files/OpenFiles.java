package dev.somnus.files;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The agent's open file handles, shared by the six guest-file commands. Like qemu-ga's
 * {@code guest_file_state} they belong to the agent, not to a connection: a host that reconnects
 * finds its handles still open. Configuration changes apply in place; open handles stay open.
 */
@Component(service = OpenFiles.class, configurationPid = OpenFiles.PID)
@Designate(ocd = OpenFiles.Config.class)
public final class OpenFiles {

    static final String PID = "dev.somnus.files";

    /** Set by the launcher to the agent's -t/--statedir. */
    static final String STATEDIR_PROPERTY = "somnus.ga.statedir";

    /** qemu-ga's -t default on Linux. */
    static final String DEFAULT_STATEDIR = "/var/run";

    /** {@code QGA_READ_COUNT_DEFAULT}. */
    static final long READ_COUNT_DEFAULT = 4096;

    /** {@code GUEST_FILE_READ_COUNT_MAX}: 48 MiB, whose base64 still fits qemu's 64 MiB JSON limit. */
    static final long READ_COUNT_MAX = 48L * 1024 * 1024;

    /** What qemu-ga gives a file it creates, whatever the umask ({@code DEFAULT_NEW_FILE_MODE}). */
    private static final Set<PosixFilePermission> NEW_FILE_MODE =
            PosixFilePermissions.fromString("rw-rw-rw-");

    /** {@code unix:mode}'s file type bits, for {@code S_IFIFO}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    @ObjectClassDefinition(id = PID, name = "Somnus guest file commands",
            description = "guest-file-open/-read/-write/-seek/-flush/-close.")
    public @interface Config {
        @AttributeDefinition(description = "The folder the host's paths are taken in: a path /x opens <root>/x."
                + " Not a security boundary (symbolic links are followed, as qemu-ga does).")
        String root() default "/";

        @AttributeDefinition(description = "Where qga.state keeps the handle counter; empty: the agent's"
                + " state dir (-t/--statedir, framework property somnus.ga.statedir), else /var/run.")
        String stateDirectory() default "";

        @AttributeDefinition(description = "Most handles open at once; guest-file-open fails beyond.")
        int maxHandles() default 64;
    }

    /** The configuration as used. */
    record Settings(Path root, Path stateDirectory, int maxHandles) {
    }

    private final Map<Long, OpenFile> handles = new ConcurrentHashMap<>();
    private volatile Settings settings;
    private HandleCounter counter;

    @Activate
    public OpenFiles(BundleContext context, Config config) {
        this(settings(context, config));
    }

    OpenFiles(Settings settings) {
        this.settings = settings;
        this.counter = HandleCounter.load(settings.stateDirectory());
    }

    @Modified
    void modified(BundleContext context, Config config) {
        Settings changed = settings(context, config);
        synchronized (this) {
            if (!changed.stateDirectory().equals(settings.stateDirectory())) {
                counter = HandleCounter.load(changed.stateDirectory());
            }
            settings = changed;
        }
    }

    @Deactivate
    void closeAll() {
        for (Long handle : handles.keySet()) {
            OpenFile file = handles.remove(handle);
            if (file != null) {
                try {
                    file.close();
                } catch (CommandException e) {
                    // the bundle is going away; nobody is left to answer
                }
            }
        }
    }

    static Settings settings(BundleContext context, Config config) {
        String stateDirectory = config.stateDirectory();
        if (stateDirectory.isEmpty()) {
            String launcher = context.getProperty(STATEDIR_PROPERTY);
            stateDirectory = launcher == null || launcher.isEmpty() ? DEFAULT_STATEDIR : launcher;
        }
        return new Settings(Path.of(config.root()), Path.of(stateDirectory), config.maxHandles());
    }

    /**
     * guest-file-open ({@code qmp_guest_file_open}, {@code safe_open_or_create}): a creating mode
     * first tries an exclusive creation, which does not follow a symbolic link at the end of the
     * path, then opens what exists (following links); only a file it created gets mode 0666, and
     * one whose chmod fails is removed again. A handle number is taken only for a file that opened.
     */
    Long open(String path, String modeSpelling) throws CommandException {
        OpenMode mode = check(path, modeSpelling);
        Settings current = settings;
        Path file = resolve(current.root(), path);
        String failure = openFailure(path, modeSpelling);
        refuseNamedPipe(file, failure);
        FileChannel channel;
        boolean created = false;
        try {
            if (file == null) {
                throw new NoSuchFileException(path);
            }
            Set<OpenOption> options = mode.options();
            if (mode.creates) {
                try {
                    Set<OpenOption> exclusive = new HashSet<>(options);
                    exclusive.add(StandardOpenOption.CREATE_NEW);
                    channel = FileChannel.open(file, exclusive);
                    created = true;
                } catch (FileAlreadyExistsException e) {
                    channel = FileChannel.open(file, options);
                }
            } else {
                channel = FileChannel.open(file, options);
            }
        } catch (IOException e) {
            throw new CommandException(failure + ErrnoText.of(e));
        }
        OpenFile opened = new OpenFile(path, mode, channel);
        if (created) {
            try {
                Files.setPosixFilePermissions(file, NEW_FILE_MODE);
            } catch (IOException | UnsupportedOperationException e) {
                closeQuietly(opened);
                deleteQuietly(file);
                throw new CommandException("failed to set permission 0666 on new file '" + path + "' (mode: '"
                        + modeSpelling + "'): " + (e instanceof IOException io ? ErrnoText.of(io) : e.getMessage()));
            }
        }
        synchronized (this) {
            if (handles.size() >= current.maxHandles()) {
                // another open won the last place meanwhile
                closeQuietly(opened);
                if (created) {
                    deleteQuietly(file);
                }
                throw new CommandException(tooManyHandles(path, modeSpelling, current.maxHandles()));
            }
            long handle;
            try {
                do {
                    handle = counter.take();
                } while (handles.containsKey(handle)); // only after a state directory change
            } catch (CommandException e) {
                closeQuietly(opened);
                throw e;
            }
            handles.put(handle, opened);
            return handle;
        }
    }

    /**
     * For a dry run: what {@link #open} would do, after the checks it makes before it creates
     * anything (the mode, the handle limit, a file that must exist, a FIFO).
     */
    String explainOpen(String path, String modeSpelling) throws CommandException {
        OpenMode mode = check(path, modeSpelling);
        Path file = resolve(settings.root(), path);
        String failure = openFailure(path, modeSpelling);
        refuseNamedPipe(file, failure);
        if (!mode.creates && (file == null || !Files.exists(file))) {
            throw new CommandException(failure + ErrnoText.NO_SUCH_FILE);
        }
        return "open file '" + file + "' " + mode.effect() + " (mode '" + modeSpelling + "') as handle "
                + nextHandle();
    }

    /** What {@link #open} checks before it touches the file: the mode and the handle limit. */
    private OpenMode check(String path, String modeSpelling) throws CommandException {
        OpenMode mode = OpenMode.parse(modeSpelling);
        int maxHandles = settings.maxHandles();
        if (handles.size() >= maxHandles) {
            throw new CommandException(tooManyHandles(path, modeSpelling, maxHandles));
        }
        return mode;
    }

    /** The path the host means, under the root; null for one no file can have (an empty one, a NUL). */
    private static Path resolve(Path root, String path) {
        if (path.isEmpty()) {
            return null;
        }
        try {
            // relative paths too: a daemonized qemu-ga runs in /, the root's stand-in here
            return root.resolve(path.replaceFirst("^/+", ""));
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * A deliberate difference: qemu-ga opens with {@code O_NONBLOCK}, so a FIFO without a writer
     * opens at once (and one without a reader fails with ENXIO); the JDK cannot, and its open
     * would hang the channel thread until the other end appears.
     */
    private static void refuseNamedPipe(Path file, String failure) throws CommandException {
        if (file == null) {
            return;
        }
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            if (mode instanceof Integer bits && (bits & S_IFMT) == S_IFIFO) {
                throw new CommandException(failure + "named pipes are not supported by this agent");
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // missing or unreadable: the open itself reports it
        }
    }

    /** The start of every open failure's text ({@code safe_open_or_create}). */
    private static String openFailure(String path, String mode) {
        return "failed to open file '" + path + "' (mode: '" + mode + "'): ";
    }

    /** A deliberate limit of Somnus' (qemu-ga has none but the process's descriptor limit). */
    private static String tooManyHandles(String path, String mode, int maxHandles) {
        return openFailure(path, mode) + "Too many open files (at most "
                + maxHandles + " handles, configuration maxHandles of " + PID + ")";
    }

    /** {@code guest_file_handle_find}. */
    OpenFile find(long handle) throws CommandException {
        OpenFile file = handles.get(handle);
        if (file == null) {
            throw notFound(handle);
        }
        return file;
    }

    /** guest-file-close: the handle is forgotten even when the close reports an error. */
    void close(long handle) throws CommandException {
        OpenFile file = handles.remove(handle);
        if (file == null) {
            throw notFound(handle);
        }
        file.close();
    }

    /** The handle number the next open would get. */
    private synchronized long nextHandle() {
        return counter.peek();
    }

    private static CommandException notFound(long handle) {
        return new CommandException("handle '" + handle + "' has not been found");
    }

    private static void closeQuietly(OpenFile file) {
        try {
            file.close();
        } catch (CommandException e) {
            // already failing with a better error
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // qemu-ga ignores unlink's result too
        }
    }
}
