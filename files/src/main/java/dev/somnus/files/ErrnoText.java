package dev.somnus.files;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The {@code strerror} text qemu-ga appends to its errors ({@code error_setg_errno}), recovered
 * from the JDK's exceptions: NIO names ENOENT, EACCES and EEXIST by exception class and carries
 * {@code strerror} itself as the reason (file system calls) or message (channel I/O) otherwise.
 */
final class ErrnoText {

    static final String BAD_FILE_DESCRIPTOR = "Bad file descriptor";
    static final String INVALID_ARGUMENT = "Invalid argument";
    static final String NO_SUCH_FILE = "No such file or directory";

    /** The JDK's addition to ELOOP's text (sun.nio.fs.UnixException#translateToIOException). */
    private static final String ELOOP_SUFFIX = " or unable to access attributes of symbolic link";

    private ErrnoText() {
    }

    static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return NO_SUCH_FILE;
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof ClosedChannelException) {
            // the channel was closed under us (an interrupt closes a FileChannel): the fd is gone
            return BAD_FILE_DESCRIPTOR;
        }
        String text = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage();
        if (text == null) {
            return e.getClass().getSimpleName();
        }
        return text.endsWith(ELOOP_SUFFIX) ? text.substring(0, text.length() - ELOOP_SUFFIX.length()) : text;
    }
}
