package dev.somnus.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Somnus' own folder inside the state dir ({@code <statedir>/somnus-ga}, mode 0700): Felix's bundle
 * cache and fileinstall's temporary files live here rather than in the state dir itself, which
 * qemu-ga shares with other programs ({@code /var/run} by default), or in /tmp, where fileinstall
 * would leak a folder on every kill -9.
 */
final class StateFolder implements AutoCloseable {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private FileChannel lockChannel;

    private StateFolder(Path root) {
        this.root = root;
    }

    /**
     * Claims the folder for this process: two agents on one bundle cache would corrupt it, and
     * both default to /var/run. The lock goes when the process does.
     *
     * @throws LaunchException naming the folder and the way out (-t)
     */
    StateFolder lock() throws LaunchException {
        Path lockFile = root.resolve("lock");
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new LaunchException("state folder " + root + " is in use by another Somnus agent;"
                        + " give each agent its own -t/--statedir");
            }
            lockChannel = channel;
            return this;
        } catch (IOException e) {
            throw new LaunchException("unable to lock state folder " + root + ": " + Errors.describe(e));
        }
    }

    @Override
    public void close() {
        if (lockChannel != null) {
            try {
                lockChannel.close();
            } catch (IOException e) {
                // released with the process anyway
            }
        }
    }

    static StateFolder create(String statedir) throws LaunchException {
        Path root = Path.of(statedir).toAbsolutePath().resolve("somnus-ga");
        try {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createDirectories(root, ownerOnly);
            // An existing folder may have been made by hand with looser rights.
            Files.setPosixFilePermissions(root, OWNER_ONLY);
        } catch (IOException e) {
            throw new LaunchException("unable to create state folder " + root + ": " + Errors.describe(e));
        }
        return new StateFolder(root);
    }

    Path root() {
        return root;
    }

    Path bundleCache() {
        return root.resolve("cache");
    }

    Path fileinstallTmp() {
        return root.resolve("fileinstall");
    }

    /** Where jffi unpacks its native library (created by jffi on first use). */
    Path nativeLibraries() {
        return root.resolve("native");
    }

    Path dryRunConf() {
        return root.resolve("dry-run-conf");
    }
}
