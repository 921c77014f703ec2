package dev.somnus.exec;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;

/**
 * {@code guest-exec-status {pid}} → {@code {exited, exitcode?, signal?, out-data?, err-data?,
 * out-truncated?, err-truncated?}} (qga/commands.c qmp_guest_exec_status); see
 * {@link ExecChildren#status(long)}. Read-only: it neither acts nor reveals more than the host's own
 * guest-exec asked for.
 */
@Component(service = Command.class, property = Command.NAME_PROPERTY + "=guest-exec-status")
public final class GuestExecStatusCommand implements Command {

    private static final List<Parameter> PARAMETERS = List.of(Parameter.required("pid", JsonType.INTEGER));

    @Reference
    private ExecChildren children;

    public GuestExecStatusCommand() {
    }

    GuestExecStatusCommand(ExecChildren children) {
        this.children = children;
    }

    @Override
    public String name() {
        return "guest-exec-status";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        return children.status((Long) arguments.get("pid"));
    }
}
