package dev.somnus.resources;

import dev.somnus.api.command.CommandException;
import java.io.IOException;

/**
 * A failed call inside a command, with qemu-ga's text for it and the errno the C code looks at
 * afterwards: transfer_memory_block decides on {@code errno == ENOENT} after ga_read_sysfs_file
 * failed, and answers errno as {@code error-code}.
 */
final class CallFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Errno errno;

    private CallFailure(String desc, Errno errno) {
        super(desc, null, false, false);
        this.errno = errno;
    }

    /** {@code error_setg_errno(errp, errno, what)}: the text is {@code <what>: <strerror>}. */
    static CallFailure withErrno(String what, IOException cause) {
        Errno errno = Errno.of(cause);
        return new CallFailure(what + ": " + errno.text(), errno);
    }

    /** {@code error_setg(errp, desc)} after qemu set errno to 0 itself (the "unexpected EOF" cases). */
    static CallFailure withoutErrno(String desc) {
        return new CallFailure(desc, Errno.NONE);
    }

    Errno errno() {
        return errno;
    }

    CommandException toCommandException() {
        return new CommandException(getMessage());
    }
}
