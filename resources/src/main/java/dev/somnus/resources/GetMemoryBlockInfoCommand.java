package dev.somnus.resources;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code guest-get-memory-block-info}: {@code size}, the bytes of one memory block, from the hex
 * number in {@code <root>/sys/devices/system/memory/block_size_bytes} (qemu-ga 7.2's
 * qmp_guest_get_memory_block_info: at most 20 bytes read, {@code strtol(buf, NULL, 16)}).
 */
@Component(service = Command.class, configurationPid = ResourcesConfiguration.PID,
        property = Command.NAME_PROPERTY + "=" + GetMemoryBlockInfoCommand.NAME)
public final class GetMemoryBlockInfoCommand extends ResourceCommand {

    static final String NAME = "guest-get-memory-block-info";

    public GetMemoryBlockInfoCommand() {
        super(NAME);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        SystemRoot tree = root();
        SysfsDirectory folder;
        try {
            folder = SysfsDirectory.open(tree.path(MemoryBlocks.MEMORY));
        } catch (IOException e) {
            throw CallFailure.withErrno("open(\"" + tree.shown(MemoryBlocks.MEMORY) + "\")", e).toCommandException();
        }
        byte[] text;
        try {
            text = MemoryBlocks.readSysfsFile(folder, "block_size_bytes", 20);
        } catch (CallFailure f) {
            throw f.toCommandException();
        }
        long size = CNumbers.strtol(new String(text, StandardCharsets.ISO_8859_1), 0, 16).value();
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("size", Uint64.of(size));
        return reply;
    }
}
