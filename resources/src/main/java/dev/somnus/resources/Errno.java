package dev.somnus.resources;

import dev.somnus.api.command.Strerror;
import java.io.IOException;
import java.util.Map;

/**
 * An errno as qemu-ga sees it after a failed call: the number (guest-set-memory-blocks answers it as
 * {@code error-code}) and the C library's text ({@code error_setg_errno} appends it as
 * {@code ": <strerror>"}). Java reports most failures with the strerror text as the reason, so the
 * number is looked up from the text.
 */
record Errno(int number, String text) {

    /** errno 0: what qemu's own "unexpected EOF" leaves behind (qemu sets errno = 0 before it reads). */
    static final Errno NONE = new Errno(0, "Success");
    static final Errno ENOENT = new Errno(2, "No such file or directory");
    static final Errno EIO = new Errno(5, "Input/output error");
    static final Errno EACCES = new Errno(13, "Permission denied");
    static final Errno EEXIST = new Errno(17, "File exists");
    static final Errno ENOTDIR = new Errno(20, "Not a directory");
    static final Errno ENOTEMPTY = new Errno(39, "Directory not empty");

    /** Linux's numbers for the texts a read or write under /proc and /sys can end with. */
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("Operation not permitted", 1),
            Map.entry("No such file or directory", 2),
            Map.entry("Interrupted system call", 4),
            Map.entry("Input/output error", 5),
            Map.entry("No such device or address", 6),
            Map.entry("Bad file descriptor", 9),
            Map.entry("Resource temporarily unavailable", 11),
            Map.entry("Cannot allocate memory", 12),
            Map.entry("Permission denied", 13),
            Map.entry("Bad address", 14),
            Map.entry("Device or resource busy", 16),
            Map.entry("File exists", 17),
            Map.entry("No such device", 19),
            Map.entry("Not a directory", 20),
            Map.entry("Is a directory", 21),
            Map.entry("Invalid argument", 22),
            Map.entry("Too many open files", 24),
            Map.entry("No space left on device", 28),
            Map.entry("Read-only file system", 30),
            Map.entry("Numerical result out of range", 34),
            Map.entry("Too many levels of symbolic links", 40),
            Map.entry("Directory not empty", 39),
            Map.entry("Operation not supported", 95),
            Map.entry("Connection timed out", 110));

    /** Java's report of a failed call, turned back into the errno it came from. */
    static Errno of(IOException e) {
        String text = Strerror.of(e);
        Integer number = NUMBERS.get(text);
        return new Errno(number == null ? EIO.number : number, text);
    }

    boolean isNoEntry() {
        return number == ENOENT.number;
    }
}
