package dev.somnus.freeze;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * guest-fsfreeze-thaw: thaws every listed file system and answers how many it thawed
 * ({@code qmp_guest_fsfreeze_thaw}, 7.2). On qemu-ga's freeze allow list, like status.
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FsfreezeThawCommand.NAME,
        Command.AUDITED + ":Boolean=true",
        Command.ACTING + ":Boolean=true",
        Command.ALLOWED_WHILE_FROZEN + ":Boolean=true"})
public final class FsfreezeThawCommand extends FreezeCommand {

    static final String NAME = "guest-fsfreeze-thaw";

    @Activate
    public FsfreezeThawCommand(@Reference(name = "freeze") GuestFreeze freeze) {
        super(NAME, freeze);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        return freeze.thaw();
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        return freeze.explainThaw();
    }
}
