package dev.somnus.launcher;

/**
 * The command line could not be read. Like qemu-ga (which uses getopt_long), the precise
 * diagnostic goes to stderr and {@code Unknown option, try '<argv0> --help' for more information.}
 * to stdout; the exit status is 1.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String diagnostic) {
        super(diagnostic);
    }

    static String hint(String argv0) {
        return "Unknown option, try '" + argv0 + " --help' for more information.";
    }
}
