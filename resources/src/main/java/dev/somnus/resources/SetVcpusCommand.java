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
 * {@code guest-set-vcpus {vcpus: [{logical-id, online, can-offline?}]}}: brings logical processors
 * on- or offline through their {@code online} files, in request order (qemu-ga 7.2's
 * qmp_guest_set_vcpus). The return is the number processed: it stops at the first processor that
 * fails, and that failure is the reply only when it was the first of the list; later failures are
 * dropped and the count says how far it got. {@code can-offline} is accepted and ignored.
 */
@Component(service = Command.class, configurationPid = ResourcesConfiguration.PID,
        property = {Command.NAME_PROPERTY + "=" + SetVcpusCommand.NAME, Command.ACTING + ":Boolean=true"})
public final class SetVcpusCommand extends ResourceCommand {

    static final String NAME = "guest-set-vcpus";

    private record Request(long logicalId, boolean online) {
    }

    public SetVcpusCommand() {
        super(NAME);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.required("vcpus", JsonType.ARRAY));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        return apply(requests(arguments), new LogicalProcessors(root()), null).processed;
    }

    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        SystemRoot tree = root();
        List<String> planned = new ArrayList<>();
        Outcome outcome = apply(requests(arguments), new LogicalProcessors(tree), planned);
        String writes = planned.isEmpty() ? "write nothing" : String.join(", ", planned);
        return writes + (outcome.stoppedBy == null ? ""
                : " and stop at the next processor (" + outcome.stoppedBy + ")") + ", answering " + outcome.processed;
    }

    private record Outcome(long processed, String stoppedBy) {
    }

    private static Outcome apply(List<Request> requests, LogicalProcessors processors, List<String> planned)
            throws CommandException {
        long processed = 0;
        for (Request request : requests) {
            try {
                processors.write(request.logicalId, request.online, planned);
            } catch (CommandException e) {
                if (processed == 0) {
                    throw e;
                }
                return new Outcome(processed, e.desc());
            }
            processed++;
        }
        return new Outcome(processed, null);
    }

    private static List<Request> requests(Map<String, Object> arguments) throws CommandException {
        return StructListArgument.read("vcpus", arguments.get("vcpus"), element -> {
            long logicalId = element.int64("logical-id");
            boolean online = element.bool("online");
            element.optionalBool("can-offline");
            return new Request(logicalId, online);
        });
    }
}
