package dev.somnus.resources;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A folder opened the way qemu-ga opens one ({@code open(dirpath, O_RDONLY | O_DIRECTORY)}), and the
 * files in it reached as qemu-ga reaches them: {@code openat}, then {@code pread}/{@code pwrite} at
 * offset 0. Failures are Java's IOExceptions; {@link Errno#of} turns them back into errno.
 */
final class SysfsDirectory {

    private final Path folder;

    private SysfsDirectory(Path folder) {
        this.folder = folder;
    }

    /** Opens the folder (and closes it again: only the failure matters), failing as open(2) would. */
    static SysfsDirectory open(Path folder) throws IOException {
        Files.newDirectoryStream(folder).close();
        return new SysfsDirectory(folder);
    }

    /** {@code openat(dirfd, name, ...)}: READ for O_RDONLY, WRITE for O_WRONLY, both for O_RDWR. */
    FileChannel openFile(String name, OpenOption... options) throws IOException {
        return FileChannel.open(folder.resolve(name), options);
    }

    /** {@code pread(fd, buf, size, 0)}: what one read returned, empty at end of file. */
    static byte[] pread(FileChannel file, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        int n = file.read(buffer, 0);
        return n <= 0 ? new byte[0] : Arrays.copyOf(buffer.array(), n);
    }

    /** {@code pwrite(fd, buf, len, 0)}: one write at offset 0, as sysfs wants a value in one write. */
    static void pwrite(FileChannel file, byte[] bytes) throws IOException {
        file.write(ByteBuffer.wrap(bytes), 0);
    }
}
