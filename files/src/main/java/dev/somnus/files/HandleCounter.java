package dev.somnus.files;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * qemu-ga's handle numbers: {@code ga_get_fd_handle} (qga/main.c, 7.2) hands out
 * {@code fd_counter} and counts on, starting at 1000, and commits the next value to
 * {@code <statedir>/qga.state} ({@code [global]} / {@code fd_counter=<n>}, a GLib key file written
 * to a temporary file and renamed) before the handle is answered, so numbers are not reused after
 * a restart. Somnus reads and writes the same file, so a guest that switches agents keeps counting.
 */
final class HandleCounter {

    static final String STATE_FILE = "qga.state";

    /** {@code QGA_PSTATE_DEFAULT_FD_COUNTER}. */
    static final long FIRST = 1000;

    private final Path file;
    private long next;

    private HandleCounter(Path file, long next) {
        this.file = file;
        this.next = next;
    }

    /**
     * The counter as the state file has it. A missing file starts at 1000, as qemu-ga does; an
     * unreadable or malformed one too (qemu-ga refuses to start then; a broken counter should not
     * take every other command down with it, and the next open rewrites the file).
     */
    static HandleCounter load(Path stateDirectory) {
        Path file = stateDirectory.resolve(STATE_FILE);
        long next = FIRST;
        try {
            String group = null;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                    group = trimmed.substring(1, trimmed.length() - 1);
                } else if ("global".equals(group) && trimmed.startsWith("fd_counter")) {
                    String[] keyValue = trimmed.split("=", 2);
                    if (keyValue.length == 2 && keyValue[0].strip().equals("fd_counter")) {
                        next = Long.parseLong(keyValue[1].strip());
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            next = FIRST;
        }
        return new HandleCounter(file, next);
    }

    Path file() {
        return file;
    }

    /** The next handle, committed to disk first (the counter moves on even when that fails, as in qemu-ga). */
    synchronized long take() throws CommandException {
        long handle = next++;
        try {
            commit();
        } catch (IOException e) {
            throw new CommandException("failed to commit persistent state to disk");
        }
        return handle;
    }

    /** The number {@link #take()} would answer, for a dry run. */
    synchronized long peek() {
        return next;
    }

    private void commit() throws IOException {
        byte[] content = ("[global]\nfd_counter=" + next + "\n").getBytes(StandardCharsets.US_ASCII);
        Path temporary = Files.createTempFile(file.getParent(), STATE_FILE + ".", "");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
