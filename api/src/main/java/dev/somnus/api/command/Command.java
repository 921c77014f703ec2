package dev.somnus.api.command;

import java.util.List;
import java.util.Map;

/**
 * One guest agent command, offered as an OSGi service. The dispatcher validates the request's
 * {@code arguments} against {@link #parameters()} before it calls {@link #execute(Map)}, with
 * qemu-ga's texts ({@code Parameter 'x' is missing}, {@code Invalid parameter type for 'x',
 * expected: integer}, {@code Parameter 'x' is unexpected}), so a handler sees only declared
 * members of the declared types. A command whose {@link #successResponse()} is false sends nothing
 * on success and a normal error reply on failure (the suspend family, qga-reference §1.6).
 * Implementations must be thread-safe: every channel dispatches on its own thread.
 */
public interface Command {

    /** Service property carrying the command's wire name, so consumers can filter on it. */
    String NAME_PROPERTY = "somnus.command.name";

    /**
     * Service property (Boolean, default false): every request of this command leaves two audit
     * lines, who asked and what came of it, at the OSGi Log's AUDIT level.
     */
    String AUDITED = "somnus.command.audited";

    /**
     * Service property (Boolean, default false): the command acts on the guest (suspends, shuts
     * down, sets the clock, writes files, runs programs). While the agent runs in dry run, the
     * runtime does not call {@link #execute(Map)} but answers an error naming what
     * {@link #explain(Map)} says would have been done.
     */
    String ACTING = "somnus.command.acting";

    /**
     * Service property (Boolean, default false): the command may run while the guest's file
     * systems are frozen (qemu-ga's allow list: ping, info, sync, sync-delimited,
     * fsfreeze-status, fsfreeze-thaw); every other command answers qemu-ga's disabled-while-frozen
     * error then.
     */
    String ALLOWED_WHILE_FROZEN = "somnus.command.allowed-while-frozen";

    /** The wire name, e.g. {@code guest-suspend-disk}, or {@code __dev.somnus_...} for extensions. */
    String name();

    /** The declared members of {@code arguments}, in the order they are checked. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** False for commands that answer nothing on success. */
    default boolean successResponse() {
        return true;
    }

    /**
     * Runs the command.
     *
     * @param arguments the validated arguments (absent optional members are absent from the map)
     * @return the value of {@code "return"}; commands without a return value return
     *         {@code Map.of()}, which is written as {@code {}}. Ignored when
     *         {@link #successResponse()} is false.
     * @throws CommandException to answer an error reply with the exception's class and text
     */
    Object execute(Map<String, Object> arguments) throws CommandException;

    /**
     * For an {@link #ACTING} command in dry run: what {@link #execute(Map)} would do with these
     * arguments, as the words after "would", e.g. {@code run provider systemd: exec
     * /usr/bin/systemctl poweroff}. Checks what execute would check first and throws the same
     * error it would throw (a bad mode, no provider available), without acting.
     */
    default String explain(Map<String, Object> arguments) throws CommandException {
        return "run";
    }
}
