package dev.somnus.clock;

/** The kernel refused to set the system clock; the message is its strerror text, e.g. {@code Operation not permitted}. */
public class SystemClockException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int errno;

    public SystemClockException(int errno, String strerror) {
        super(strerror);
        this.errno = errno;
    }

    /** The errno of the refusal, e.g. 1 (EPERM), 22 (EINVAL). */
    public int errno() {
        return errno;
    }
}
