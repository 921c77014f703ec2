package dev.somnus.files;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One open handle: the file's channel and the one position that reads, writes and seeks share.
 *
 * <p>qemu-ga holds a stdio {@code FILE} and flushes or seeks when a handle switches between
 * reading and writing (its {@code RW_STATE_*} in qga/commands-posix.c, 7.2), so the host sees a
 * single position; this channel has no user-space buffer, so it is that position directly, and
 * every write reaches the kernel at once (qemu-ga's waits in the stdio buffer until a flush, a
 * switch to reading, or close). {@code eof} is what {@code feof} reports after qemu-ga's
 * {@code clearerr}: true only when a read ended short at the end of the file.
 *
 * <p>Thread-safe: every operation holds the handle's lock, as one host's calls on one handle are
 * sequential anyway.
 */
final class OpenFile {

    private final String path;
    private final OpenMode mode;
    private final FileChannel channel;
    /** For an {@code O_APPEND} channel, whose {@link FileChannel#position()} always answers its size. */
    private long appendChannelPosition;

    OpenFile(String path, OpenMode mode, FileChannel channel) {
        this.path = path;
        this.mode = mode;
        this.channel = channel;
    }

    /** The path as the host gave it. */
    String path() {
        return path;
    }

    /** {@code guest_file_read_unsafe}: up to {@code count} bytes (already checked against the limits). */
    synchronized Map<String, Object> read(int count) throws CommandException {
        Map<String, Object> result = new LinkedHashMap<>();
        if (count == 0) {
            // fread of nothing touches nothing; an unset buf_b64 is written as "" by QAPI
            return readResult(result, new byte[0], 0, false);
        }
        boolean interrupted = Thread.interrupted();
        try {
            if (!mode.reads) {
                throw new CommandException("failed to read file: " + ErrnoText.BAD_FILE_DESCRIPTOR);
            }
            ByteBuffer buffer = ByteBuffer.allocate(count);
            boolean eof = false;
            // like fread: on until count bytes or the end, not one read(2) (a pipe or tty gives less)
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    eof = true;
                    break;
                }
            }
            if (mode.appendsByKernel()) {
                appendChannelPosition += buffer.position();
            }
            return readResult(result, buffer.array(), buffer.position(), eof);
        } catch (IOException e) {
            throw new CommandException("failed to read file: " + ErrnoText.of(e));
        } catch (NonReadableChannelException e) {
            throw new CommandException("failed to read file: " + ErrnoText.BAD_FILE_DESCRIPTOR);
        } finally {
            restore(interrupted);
        }
    }

    private static Map<String, Object> readResult(Map<String, Object> result, byte[] data, int length, boolean eof) {
        result.put("count", (long) length);
        result.put("buf-b64", Base64.getEncoder().encodeToString(
                length == data.length ? data : Arrays.copyOf(data, length)));
        result.put("eof", eof);
        return result;
    }

    /** {@code qmp_guest_file_write} after decoding and the count check: the first {@code count} bytes of {@code data}. */
    synchronized Map<String, Object> write(byte[] data, int count) throws CommandException {
        boolean interrupted = Thread.interrupted();
        try {
            if (count > 0) {
                if (!mode.writes) {
                    throw new CommandException("failed to write to file: " + ErrnoText.BAD_FILE_DESCRIPTOR);
                }
                ByteBuffer buffer = ByteBuffer.wrap(data, 0, count);
                if (mode.appendsByKernel()) {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    appendChannelPosition = channel.position();
                } else if (mode.appends) {
                    // a+: O_APPEND semantics by hand (see OpenMode#options): each write at the end,
                    // which then is the position, as after a write(2) with O_APPEND
                    long end = channel.size();
                    while (buffer.hasRemaining()) {
                        end += channel.write(buffer, end);
                    }
                    channel.position(end);
                } else {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("count", (long) count);
            result.put("eof", false);
            return result;
        } catch (IOException e) {
            throw new CommandException("failed to write to file: " + ErrnoText.of(e));
        } catch (NonWritableChannelException e) {
            throw new CommandException("failed to write to file: " + ErrnoText.BAD_FILE_DESCRIPTOR);
        } finally {
            restore(interrupted);
        }
    }

    /**
     * {@code fseek} then {@code ftell}. The kernel judges the target ({@code lseek} refuses what
     * lies beyond the file system's largest file, and a character device may answer 0 whatever is
     * asked), so the answered position is the channel's, not the sum computed here.
     */
    synchronized Map<String, Object> seek(long offset, Whence whence) throws CommandException {
        boolean interrupted = Thread.interrupted();
        try {
            long base = switch (whence) {
                case SET -> 0;
                case CUR -> position();
                case END -> channel.size();
            };
            long target;
            try {
                target = Math.addExact(base, offset);
            } catch (ArithmeticException e) {
                throw new CommandException("failed to seek file: " + ErrnoText.INVALID_ARGUMENT);
            }
            if (target < 0) {
                throw new CommandException("failed to seek file: " + ErrnoText.INVALID_ARGUMENT);
            }
            channel.position(target);
            if (mode.appendsByKernel()) {
                appendChannelPosition = target;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("position", position());
            result.put("eof", false);
            return result;
        } catch (IOException e) {
            throw new CommandException("failed to seek file: " + ErrnoText.of(e));
        } finally {
            restore(interrupted);
        }
    }

    private long position() throws IOException {
        return mode.appendsByKernel() ? appendChannelPosition : channel.position();
    }

    /**
     * Closes the channel.
     *
     * @throws CommandException qemu-ga's {@code failed to close handle} (the handle is gone all the same)
     */
    synchronized void close() throws CommandException {
        try {
            channel.close();
        } catch (IOException e) {
            throw new CommandException("failed to close handle: " + ErrnoText.of(e));
        }
    }

    /**
     * An interrupt pending on a channel thread would make the FileChannel close itself at the
     * next I/O ({@code ClosedByInterruptException}) and so lose the host's handle: it is set aside
     * for the call and put back afterwards.
     */
    private static void restore(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
