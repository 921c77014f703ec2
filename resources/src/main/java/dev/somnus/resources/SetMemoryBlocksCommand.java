package dev.somnus.resources;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code guest-set-memory-blocks {mem-blks: [{phys-index, online, can-offline?}]}}: brings memory
 * blocks on- or offline through their {@code state} files, in request order, answering one
 * GuestMemoryBlockResponse per block ({@code phys-index}, {@code response}, {@code error-code} =
 * errno when something failed) and never an error of its own (qemu-ga 7.2's
 * qmp_guest_set_memory_blocks).
 */
@Component(service = Command.class, configurationPid = ResourcesConfiguration.PID,
        property = {Command.NAME_PROPERTY + "=" + SetMemoryBlocksCommand.NAME, Command.ACTING + ":Boolean=true"})
public final class SetMemoryBlocksCommand extends ResourceCommand {

    static final String NAME = "guest-set-memory-blocks";

    private record Request(long physIndex, boolean online) {
    }

    public SetMemoryBlocksCommand() {
        super(NAME);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.required("mem-blks", JsonType.ARRAY));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        List<Request> requests = requests(arguments);
        MemoryBlocks blocks = new MemoryBlocks(root());
        List<Object> reply = new ArrayList<>();
        for (Request request : requests) {
            reply.add(blocks.write(request.physIndex, request.online, null));
        }
        return reply;
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        List<Request> requests = requests(arguments);
        MemoryBlocks blocks = new MemoryBlocks(root());
        List<String> planned = new ArrayList<>();
        List<Object> responses = new ArrayList<>();
        for (Request request : requests) {
            responses.add(blocks.write(request.physIndex, request.online, planned));
        }
        return (planned.isEmpty() ? "write nothing" : String.join(", ", planned)) + ", answering " + responses;
    }

    private static List<Request> requests(Map<String, Object> arguments) throws CommandException {
        return StructListArgument.read("mem-blks", arguments.get("mem-blks"), element -> {
            long physIndex = element.uint64("phys-index");
            boolean online = element.bool("online");
            element.optionalBool("can-offline");
            return new Request(physIndex, online);
        });
    }
}
