package dev.somnus.freeze;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * guest-fsfreeze-freeze-list {@code {mountpoints?}}: freezes the listed file systems whose mount
 * point is one of {@code mountpoints}, compared as strings ({@code strcmp}, no path
 * normalisation), still in reverse mount order; without {@code mountpoints} all of them, and an
 * empty list freezes none and answers 0 ({@code qmp_guest_fsfreeze_freeze_list}, 7.2).
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FsfreezeFreezeListCommand.NAME,
        Command.AUDITED + ":Boolean=true",
        Command.ACTING + ":Boolean=true"})
public final class FsfreezeFreezeListCommand extends FreezeCommand {

    static final String NAME = "guest-fsfreeze-freeze-list";

    @Activate
    public FsfreezeFreezeListCommand(@Reference(name = "freeze") GuestFreeze freeze) {
        super(NAME, freeze);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("mountpoints", JsonType.ARRAY));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        return freeze.freeze(NAME, mountpoints(arguments));
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        return freeze.explainFreeze(mountpoints(arguments));
    }

    /** The QAPI visitor's check of {@code ['str']}, element by element; null when absent. */
    static List<String> mountpoints(Map<String, Object> arguments) throws CommandException {
        Object argument = arguments.get("mountpoints");
        if (argument == null) {
            return null;
        }
        List<?> elements = (List<?>) argument;
        List<String> mountpoints = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            if (!(elements.get(i) instanceof String mountpoint)) {
                throw new CommandException("Invalid parameter type for 'mountpoints[" + i + "]', expected: string");
            }
            mountpoints.add(mountpoint);
        }
        return mountpoints;
    }
}
