package dev.somnus.files;

import dev.somnus.api.command.CommandException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fopen modes guest-file-open takes: exactly the spellings of qemu-ga's
 * {@code guest_file_open_modes} table (qga/commands-posix.c, 7.2), so {@code "b"} only where that
 * table has it ({@code rb}, {@code rb+}, {@code r+b}, ...) and no glibc extensions such as
 * {@code e} or {@code x}.
 */
enum OpenMode {
    /** {@code O_RDONLY}. */
    READ(true, false, false, false, false, "r", "rb"),
    /** {@code O_WRONLY | O_CREAT | O_TRUNC}. */
    WRITE(false, true, true, true, false, "w", "wb"),
    /** {@code O_WRONLY | O_CREAT | O_APPEND}. */
    APPEND(false, true, true, false, true, "a", "ab"),
    /** {@code O_RDWR}. */
    READ_UPDATE(true, true, false, false, false, "r+", "rb+", "r+b"),
    /** {@code O_RDWR | O_CREAT | O_TRUNC}. */
    WRITE_UPDATE(true, true, true, true, false, "w+", "wb+", "w+b"),
    /** {@code O_RDWR | O_CREAT | O_APPEND}. */
    APPEND_UPDATE(true, true, true, false, true, "a+", "ab+", "a+b");

    final boolean reads;
    final boolean writes;
    final boolean creates;
    final boolean truncates;
    final boolean appends;
    private final List<String> spellings;

    OpenMode(boolean reads, boolean writes, boolean creates, boolean truncates, boolean appends,
            String... spellings) {
        this.reads = reads;
        this.writes = writes;
        this.creates = creates;
        this.truncates = truncates;
        this.appends = appends;
        this.spellings = List.of(spellings);
    }

    /** qemu-ga's {@code find_open_flag}: the mode spelled so, or its error. */
    static OpenMode parse(String mode) throws CommandException {
        for (OpenMode candidate : values()) {
            if (candidate.spellings.contains(mode)) {
                return candidate;
            }
        }
        throw new CommandException("invalid file open mode '" + mode + "'");
    }

    /**
     * The options of the open that follows the exclusive creation attempt (which adds
     * {@code CREATE_NEW}). Java refuses {@code READ} with {@code APPEND}, so {@code a+} opens
     * read-write and {@link OpenFile} appends by writing at the end itself.
     */
    Set<OpenOption> options() {
        Set<OpenOption> options = new HashSet<>();
        if (reads) {
            options.add(StandardOpenOption.READ);
        }
        if (writes) {
            options.add(StandardOpenOption.WRITE);
        }
        if (truncates) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (appends && !reads) {
            options.add(StandardOpenOption.APPEND);
        }
        return options;
    }

    /** For a dry run: what opening in this mode does to the file. */
    String effect() {
        String access = reads && writes ? "reading and writing" : reads ? "reading" : "writing";
        String creation = truncates ? ", created if missing, else truncated"
                : creates ? ", created if missing" : "";
        return "for " + access + (appends ? " at its end" : "") + creation;
    }

    /** Whether the handle's channel is opened with {@code O_APPEND} (see {@link #options()}). */
    boolean appendsByKernel() {
        return appends && !reads;
    }
}
