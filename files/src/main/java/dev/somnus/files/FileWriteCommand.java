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
 * guest-file-write {@code {handle, buf-b64, count?}}: {@code {count, eof}}. Checked in qemu-ga's
 * order ({@code qmp_guest_file_write}, qga/commands-posix.c, 7.2): the handle, the base64, then
 * {@code count} against the decoded length.
 */
@Component(service = Command.class, property = {
        Command.NAME_PROPERTY + "=" + FileWriteCommand.NAME,
        Command.AUDITED + ":Boolean=true",
        Command.ACTING + ":Boolean=true"})
public final class FileWriteCommand extends FileCommand {

    static final String NAME = "guest-file-write";

    @Activate
    public FileWriteCommand(@Reference(name = "files") OpenFiles files) {
        super(NAME, files);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(HANDLE, Parameter.required("buf-b64", JsonType.STRING),
                Parameter.optional("count", JsonType.INTEGER));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        OpenFile file = file(arguments);
        byte[] data = GuestBase64.decode((String) arguments.get("buf-b64"));
        return file.write(data, count(arguments, data));
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        OpenFile file = file(arguments);
        byte[] data = GuestBase64.decode((String) arguments.get("buf-b64"));
        return "write " + count(arguments, data) + " bytes to handle " + handle(arguments) + " (file '"
                + file.path() + "')";
    }

    private static int count(Map<String, Object> arguments, byte[] data) throws CommandException {
        long count = (Long) arguments.getOrDefault("count", (long) data.length);
        if (count < 0 || count > data.length) {
            throw new CommandException("value '" + count + "' is invalid for argument count");
        }
        return (int) count;
    }
}
