package dev.somnus.api.command;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The C library's {@code strerror} text for the errno behind a failed Java I/O call, which qemu-ga
 * puts after the colon of its errors ({@code error_setg_errno}, GLib's {@code g_strerror}): commands
 * that answer qemu-ga's texts need it, and the JDK keeps it only partly. NIO turns the common
 * errnos into exception types without a reason, and carries strerror itself as the reason (file
 * system calls) or the message (channel I/O) of the others; its text for ELOOP has an addition of
 * its own, dropped here.
 */
public final class Strerror {

    /** The JDK's addition to ELOOP's text (sun.nio.fs.UnixException#translateToIOException). */
    private static final String JDK_ELOOP_SUFFIX = " or unable to access attributes of symbolic link";

    private Strerror() {
    }

    /** The strerror text, e.g. {@code No such file or directory}; {@code Input/output error} when Java kept none. */
    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof ClosedByInterruptException) {
            // the thread was interrupted during the call (EINTR), which closed the channel
            return "Interrupted system call";
        }
        if (e instanceof ClosedChannelException) {
            // the channel was closed under the caller (an interrupt closes a FileChannel): the fd is gone
            return "Bad file descriptor";
        }
        String text = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                ? ((FileSystemException) e).getReason() : e.getMessage();
        if (text == null) {
            return "Input/output error";
        }
        return text.endsWith(JDK_ELOOP_SUFFIX) ? text.substring(0, text.length() - JDK_ELOOP_SUFFIX.length()) : text;
    }
}
