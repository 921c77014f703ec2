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
 * guest-file-seek {@code {handle, offset, whence}}: {@code {position, eof}}. {@code whence} is an
 * integer or {@code set}/{@code cur}/{@code end} (Proxmox sends the string), so it is declared as
 * any value and {@link Whence} checks it: its type before the handle is looked up, as qemu-ga's
 * visitor does, its range after ({@code ga_parse_whence}).
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FileSeekCommand.NAME,
        Command.AUDITED + ":Boolean=true"})
public final class FileSeekCommand extends FileCommand {

    static final String NAME = "guest-file-seek";

    @Activate
    public FileSeekCommand(@Reference(name = "files") OpenFiles files) {
        super(NAME, files);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(HANDLE, Parameter.required("offset", JsonType.INTEGER),
                Parameter.required("whence", JsonType.ANY));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        long code = Whence.code(arguments.get("whence"));
        OpenFile file = file(arguments);
        return file.seek((Long) arguments.get("offset"), Whence.of(code));
    }
}
