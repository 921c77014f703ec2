package dev.somnus.files;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** guest-file-close {@code {handle}}. */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FileCloseCommand.NAME,
        Command.AUDITED + ":Boolean=true"})
public final class FileCloseCommand implements Command {

    static final String NAME = "guest-file-close";

    private final OpenFiles files;

    @Activate
    public FileCloseCommand(@Reference(name = "files") OpenFiles files) {
        this.files = files;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.required("handle", JsonType.INTEGER));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        files.close((Long) arguments.get("handle"));
        return Map.of();
    }
}
