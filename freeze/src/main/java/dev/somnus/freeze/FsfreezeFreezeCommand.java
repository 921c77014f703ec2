package dev.somnus.freeze;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * guest-fsfreeze-freeze: freezes every file system qemu-ga lists and answers how many this call
 * froze ({@code qmp_guest_fsfreeze_freeze}, the list command without a list).
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FsfreezeFreezeCommand.NAME,
        Command.AUDITED + ":Boolean=true",
        Command.ACTING + ":Boolean=true"})
public final class FsfreezeFreezeCommand extends FreezeCommand {

    static final String NAME = "guest-fsfreeze-freeze";

    @Activate
    public FsfreezeFreezeCommand(@Reference(name = "freeze") GuestFreeze freeze) {
        super(NAME, freeze);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        return freeze.freeze(NAME, null);
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        return freeze.explainFreeze(null);
    }
}
