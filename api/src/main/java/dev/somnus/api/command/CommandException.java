package dev.somnus.api.command;

import java.util.Objects;

/**
 * A command's failure, answered as {@code {"error": {"class": <errorClass>, "desc": <message>}}}.
 * qemu-ga only ever uses {@link #GENERIC_ERROR} and {@link #COMMAND_NOT_FOUND}.
 */
public class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final String GENERIC_ERROR = "GenericError";
    public static final String COMMAND_NOT_FOUND = "CommandNotFound";

    private final String errorClass;

    /** A {@code GenericError} with the given text. */
    public CommandException(String desc) {
        this(GENERIC_ERROR, desc);
    }

    public CommandException(String errorClass, String desc) {
        super(Objects.requireNonNull(desc, "desc"));
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    public String errorClass() {
        return errorClass;
    }

    /** The reply's {@code desc}. */
    public String desc() {
        return getMessage();
    }
}
