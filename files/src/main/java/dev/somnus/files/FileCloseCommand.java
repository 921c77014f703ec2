package dev.somnus.files;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
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
public final class FileCloseCommand extends FileCommand {

    static final String NAME = "guest-file-close";

    @Activate
    public FileCloseCommand(@Reference(name = "files") OpenFiles files) {
        super(NAME, files);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(HANDLE);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        files.close(handle(arguments));
        return Map.of();
    }
}
