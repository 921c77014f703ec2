package dev.somnus.inventory;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A command's success reply line as the agent writes it (qemu's JSON form, QDict member order). */
final class Replies {

    private Replies() {
    }

    static String of(Command command) throws CommandException {
        GrowableBytes out = new GrowableBytes(256);
        out.put("{\"return\": ".getBytes(StandardCharsets.US_ASCII));
        JsonWriter.writeValue(out, command.execute(Map.of()));
        out.put('}');
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
}
