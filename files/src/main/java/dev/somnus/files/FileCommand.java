package dev.somnus.files;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.util.Map;

/** What the six guest-file commands share: their wire name and the agent's open handles. */
abstract class FileCommand implements Command {

    /** The {@code handle} member every command but open takes. */
    static final Parameter HANDLE = Parameter.required("handle", JsonType.INTEGER);

    final OpenFiles files;
    private final String name;

    FileCommand(String name, OpenFiles files) {
        this.name = name;
        this.files = files;
    }

    @Override
    public final String name() {
        return name;
    }

    static long handle(Map<String, Object> arguments) {
        return (Long) arguments.get(HANDLE.name());
    }

    /** The open file the arguments' {@code handle} names, or qemu-ga's {@code handle '%ld' has not been found}. */
    OpenFile file(Map<String, Object> arguments) throws CommandException {
        return files.find(handle(arguments));
    }
}
