package dev.somnus.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The pidfile, held the way qemu-ga's {@code qemu_write_pidfile} holds it: created 0600, locked with
 * an fcntl record lock for the life of the process (Java's file locks are fcntl locks on Linux, so
 * qemu-ga and Somnus exclude each other too), content {@code <pid>\n}, removed at exit.
 */
final class PidFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private PidFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws LaunchException {@code Cannot open pid file: <strerror>} or, when another process
     *         holds it, {@code Cannot lock pid file: Resource temporarily unavailable}
     */
    static PidFile acquire(Path path, long pid) throws LaunchException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new LaunchException("Cannot open pid file: " + Errors.describe(e));
        }
        FileLock lock = null;
        try {
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process: as busy as if another one held it
            }
            if (lock == null) {
                throw new LaunchException("Cannot lock pid file: Resource temporarily unavailable");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new PidFile(path, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LaunchException((lock == null ? "Cannot lock pid file: " : "Failed to write pid file: ")
                    + Errors.describe(e));
        } catch (LaunchException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /**
     * Removes the file first, then lets go of the lock, so a successor never sees our stale pid.
     * Only the first call acts: a later one must not delete a successor's file.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // nothing left to do at exit; the next instance overwrites the content anyway
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing at exit
        }
    }
}
