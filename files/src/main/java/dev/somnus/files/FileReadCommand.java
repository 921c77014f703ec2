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

/**
 * guest-file-read {@code {handle, count?}}: {@code {count, buf-b64, eof}}, at most 48 MiB
 * ({@code qmp_guest_file_read}, qga/commands.c, 7.2), base64 without line breaks.
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FileReadCommand.NAME,
        Command.AUDITED + ":Boolean=true"})
public final class FileReadCommand extends FileCommand {

    static final String NAME = "guest-file-read";

    @Activate
    public FileReadCommand(@Reference(name = "files") OpenFiles files) {
        super(NAME, files);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(HANDLE, Parameter.optional("count", JsonType.INTEGER));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        OpenFile file = file(arguments);
        long count = (Long) arguments.getOrDefault("count", OpenFiles.READ_COUNT_DEFAULT);
        if (count < 0 || count > OpenFiles.READ_COUNT_MAX) {
            throw new CommandException("value '" + count + "' is invalid for argument count");
        }
        return file.read((int) count);
    }
}
