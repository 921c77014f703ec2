package dev.somnus.resources;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code guest-get-memory-blocks}: every {@code memory*} folder of
 * {@code <root>/sys/devices/system/memory/}, in directory order, with its state (qemu-ga 7.2's
 * qmp_guest_get_memory_blocks). No such folder is an empty list; a folder without blocks is an
 * error; the first block that cannot be read fails the whole command.
 */
@Component(service = Command.class, configurationPid = ResourcesConfiguration.PID,
        property = Command.NAME_PROPERTY + "=" + GetMemoryBlocksCommand.NAME)
public final class GetMemoryBlocksCommand extends ResourceCommand {

    static final String NAME = "guest-get-memory-blocks";

    public GetMemoryBlocksCommand() {
        super(NAME);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        SystemRoot tree = root();
        MemoryBlocks blocks = new MemoryBlocks(tree);
        List<Object> reply = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tree.path(MemoryBlocks.MEMORY))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                // readdir's d_type & DT_DIR: a folder, not a link to one
                if (!name.startsWith("memory") || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                // "memoryXXX": strtoul of XXX, 0 when it is no number
                reply.add(blocks.read(CNumbers.strtoul(name, 6, 10).value()).toReply());
            }
        } catch (IOException | DirectoryIteratorException e) {
            IOException cause = e instanceof IOException ? (IOException) e : ((DirectoryIteratorException) e).getCause();
            Errno errno = Errno.of(cause);
            if (errno.isNoEntry()) {
                return List.of(); // a guest that does not expose memory blocks
            }
            // sic: no space after "directory"
            throw new CommandException("Can't open directory\"" + tree.shown(MemoryBlocks.MEMORY) + "\": " + errno.text());
        }
        if (reply.isEmpty()) {
            throw new CommandException("guest reported zero memory blocks!");
        }
        return reply;
    }
}
