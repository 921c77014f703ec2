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
public final class FsfreezeStatusCommand implements Command {

    static final String NAME = "guest-fsfreeze-status";

    private final GuestFreeze freeze;

    @Activate
    public FsfreezeStatusCommand(@Reference(name = "freeze") GuestFreeze freeze) {
        this.freeze = freeze;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) {
        return freeze.status();
    }
}
