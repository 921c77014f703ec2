package dev.somnus.files;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The six commands around one {@link OpenFiles}, as the framework would wire them, answering
 * with the reply line the agent would send (JsonWriter, qemu's member order).
 */
final class FileCommandsFixture implements AutoCloseable {

    final OpenFiles files;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    FileCommandsFixture(Path root, Path stateDirectory, int maxHandles) {
        files = new OpenFiles(new OpenFiles.Settings(root, stateDirectory, maxHandles));
        for (Command command : List.of(new FileOpenCommand(files), new FileCloseCommand(files),
                new FileReadCommand(files), new FileWriteCommand(files), new FileSeekCommand(files),
                new FileFlushCommand(files))) {
            commands.put(command.name(), command);
        }
    }

    Command command(String name) {
        return commands.get(name);
    }

    /** The reply line (without its newline) to {@code name} with these (already valid) arguments. */
    String call(String name, Map<String, Object> arguments) {
        Map<String, Object> reply = new LinkedHashMap<>();
        try {
            reply.put("return", commands.get(name).execute(arguments));
        } catch (CommandException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("class", e.errorClass());
            error.put("desc", e.desc());
            reply.put("error", error);
        }
        return render(reply);
    }

    /** A request line as a host would send it. */
    static String request(String name, Map<String, Object> arguments) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("execute", name);
        request.put("arguments", arguments);
        return render(request);
    }

    static String render(Object value) {
        GrowableBytes out = new GrowableBytes(256);
        JsonWriter.writeValue(out, value);
        return new String(out.toByteArray(), StandardCharsets.US_ASCII);
    }

    /** Arguments from alternating names and values (values may be null, unlike Map.of). */
    static Map<String, Object> args(Object... namesAndValues) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            arguments.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return arguments;
    }

    @Override
    public void close() {
        files.closeAll();
    }
}
