package dev.somnus.freeze;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * guest-fstrim {@code {minimum?}}: {@code {"paths": [{path, trimmed?, minimum?, error?}]}}, one
 * entry per listed file system, last mounted first ({@code qmp_guest_fstrim}, 7.2). A negative
 * {@code minimum} goes to the kernel as the unsigned 64-bit number it is, as in qemu-ga.
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FstrimCommand.NAME,
        Command.AUDITED + ":Boolean=true",
        Command.ACTING + ":Boolean=true"})
public final class FstrimCommand extends FreezeCommand {

    static final String NAME = "guest-fstrim";

    @Activate
    public FstrimCommand(@Reference(name = "freeze") GuestFreeze freeze) {
        super(NAME, freeze);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("minimum", JsonType.INTEGER));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        return freeze.trim(minimum(arguments));
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        return freeze.explainTrim(minimum(arguments));
    }

    private static long minimum(Map<String, Object> arguments) {
        return (Long) arguments.getOrDefault("minimum", 0L);
    }
}
