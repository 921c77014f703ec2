package dev.somnus.inventory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The C library's text for the errno behind a failed file read, as qemu-ga's
 * {@code error_setg_errno} appends it ({@code <message>: <strerror>}).
 */
final class Strerror {

    private Strerror() {
    }

    static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            // the JDK puts strerror() itself in the reason ("Is a directory", ...)
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? "Input/output error" : e.getMessage();
    }
}
