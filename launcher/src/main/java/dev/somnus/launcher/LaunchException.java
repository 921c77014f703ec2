package dev.somnus.launcher;

/**
 * Start-up cannot go on. The message is logged as {@code critical} (qemu-ga prints its start-up
 * failures with {@code g_critical}) and the process exits with status 1.
 */
final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
