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

/** guest-file-open {@code {path, mode?}}: the new handle's number ({@code mode} defaults to {@code r}). */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FileOpenCommand.NAME,
        Command.AUDITED + ":Boolean=true",
        Command.ACTING + ":Boolean=true"})
public final class FileOpenCommand extends FileCommand {

    static final String NAME = "guest-file-open";

    @Activate
    public FileOpenCommand(@Reference(name = "files") OpenFiles files) {
        super(NAME, files);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.required("path", JsonType.STRING), Parameter.optional("mode", JsonType.STRING));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        return files.open((String) arguments.get("path"), mode(arguments));
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        return files.explainOpen((String) arguments.get("path"), mode(arguments));
    }

    private static String mode(Map<String, Object> arguments) {
        return (String) arguments.getOrDefault("mode", "r");
    }
}
