package dev.somnus.files;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.Parameter;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * guest-file-flush {@code {handle}}. qemu-ga's {@code fflush} hands its stdio buffer to the
 * kernel; a handle here has no buffer (every write already went to the kernel), so only the
 * handle is checked. Like fflush, this does not sync the file to disk.
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FileFlushCommand.NAME,
        Command.AUDITED + ":Boolean=true"})
public final class FileFlushCommand extends FileCommand {

    static final String NAME = "guest-file-flush";

    @Activate
    public FileFlushCommand(@Reference(name = "files") OpenFiles files) {
        super(NAME, files);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(HANDLE);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        file(arguments);
        return Map.of();
    }
}
