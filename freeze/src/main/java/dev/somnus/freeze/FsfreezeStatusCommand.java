package dev.somnus.freeze;

import dev.somnus.api.command.Command;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * guest-fsfreeze-status: {@code "frozen"} or {@code "thawed"} ({@code qmp_guest_fsfreeze_status},
 * qga/commands-posix.c, 7.2). On qemu-ga's freeze allow list; reads nothing but the agent's state.
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FsfreezeStatusCommand.NAME,
        Command.ALLOWED_WHILE_FROZEN + ":Boolean=true"})
public final class FsfreezeStatusCommand extends FreezeCommand {

    static final String NAME = "guest-fsfreeze-status";

    @Activate
    public FsfreezeStatusCommand(@Reference(name = "freeze") GuestFreeze freeze) {
        super(NAME, freeze);
    }

    @Override
    public Object execute(Map<String, Object> arguments) {
        return freeze.status();
    }
}
