package dev.somnus.files;

import dev.somnus.api.command.CommandException;
import java.math.BigInteger;

/**
 * guest-file-seek's {@code whence}: the QAPI alternate {@code GuestFileWhence}, an integer
 * (0, 1, 2) or a {@code QGASeek} name ({@code set}, {@code cur}, {@code end}). Declared to the
 * runtime as any JSON value and checked here with the texts of qemu-ga's input visitor and of
 * {@code ga_parse_whence} (qga/commands.c, 7.2).
 */
enum Whence {
    SET, CUR, END;

    /**
     * The visitor's part, run before the handle is looked up: the value's type and, for a string,
     * the enum name. An integer passes as is; {@link #of(long)} checks its range later.
     *
     * @return the integer code ({@code set} = 0, {@code cur} = 1, {@code end} = 2)
     */
    static long code(Object whence) throws CommandException {
        if (whence instanceof Long code) {
            return code;
        }
        if (whence instanceof String name) {
            for (Whence candidate : values()) {
                if (candidate.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
                    return candidate.ordinal();
                }
            }
            throw new CommandException("Parameter 'whence' does not accept value '" + name + "'");
        }
        if (whence instanceof Double || whence instanceof BigInteger) {
            // a QNum that is no int64: the alternate picks its integer branch, which refuses it
            throw new CommandException("Invalid parameter type for 'whence', expected: integer");
        }
        throw new CommandException("Invalid parameter type for 'whence', expected: GuestFileWhence");
    }

    /** {@code ga_parse_whence}, run once the handle is known. */
    static Whence of(long code) throws CommandException {
        if (code >= 0 && code < values().length) {
            return values()[(int) code];
        }
        throw new CommandException("invalid whence code " + code);
    }
}
