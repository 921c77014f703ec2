package dev.somnus.reaper.impl.posix;

/** A program could not be started; carries the error number posix_spawn (or pipe2) reported. */
public final class SpawnFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final int errno;

    public SpawnFailure(int errno) {
        super(Posix.describe(errno));
        this.errno = errno;
    }

    public SpawnFailure(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
