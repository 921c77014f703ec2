package dev.somnus.files;

import dev.somnus.api.command.Strerror;
import java.io.IOException;


/** The strerror texts this family names itself, beside the shared {@link Strerror}. */
final class ErrnoText {

    static final String BAD_FILE_DESCRIPTOR = "Bad file descriptor";
    static final String INVALID_ARGUMENT = "Invalid argument";
    static final String NO_SUCH_FILE = "No such file or directory";

    private ErrnoText() {
    }

    /** The strerror text of a failed call ({@link Strerror#of}, shared by every family). */
    static String of(IOException e) {
        return Strerror.of(e);
    }
}
