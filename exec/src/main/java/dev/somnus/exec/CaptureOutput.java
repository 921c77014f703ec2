package dev.somnus.exec;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.process.ChildSpec;
import dev.somnus.api.process.ChildSpec.Stdio;

/**
 * guest-exec's {@code capture-output}: qemu-ga 7.2 takes a boolean, 8.0 the alternate
 * {@code GuestExecCaptureOutput} of that boolean and the enum {@code GuestExecCaptureOutputMode}
 * (qga/qapi-schema.json; qga/commands.c qmp_guest_exec: {@code true} is {@code separated}).
 */
enum CaptureOutput {
    NONE("none", Stdio.NULL, Stdio.NULL),
    STDOUT("stdout", Stdio.CAPTURE, Stdio.NULL),
    STDERR("stderr", Stdio.NULL, Stdio.CAPTURE),
    SEPARATED("separated", Stdio.CAPTURE, Stdio.CAPTURE),
    /** Both streams into one pipe, reported as out-data (8.0: dup2 of stdout onto stderr in the child). */
    MERGED("merged", Stdio.CAPTURE, Stdio.SAME_AS_STDOUT);

    private final String wireName;
    private final Stdio stdout;
    private final Stdio stderr;

    CaptureOutput(String wireName, Stdio stdout, Stdio stderr) {
        this.wireName = wireName;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    String wireName() {
        return wireName;
    }

    /**
     * @param value the member's value; absent members do not get here
     * @throws CommandException with the texts of 8.0's generated visitor: an alternate of the wrong
     *         JSON type (null too) {@code Invalid parameter type for 'capture-output', expected:
     *         GuestExecCaptureOutput}; an unknown mode {@code Invalid parameter '<mode>'}
     *         (qapi-visit-core.c input_type_enum, QERR_INVALID_PARAMETER)
     */
    static CaptureOutput of(Object value) throws CommandException {
        if (value instanceof Boolean) {
            return (Boolean) value ? SEPARATED : NONE;
        }
        if (value instanceof String) {
            for (CaptureOutput mode : values()) {
                if (mode.wireName.equals(value)) {
                    return mode;
                }
            }
            throw new CommandException("Invalid parameter '" + value + "'");
        }
        throw new CommandException("Invalid parameter type for 'capture-output', expected: GuestExecCaptureOutput");
    }

    ChildSpec applyTo(ChildSpec spec) {
        return spec.withStdio(spec.stdin(), stdout, stderr);
    }
}
