package dev.somnus.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.api.process.ChildSpec;

/**
 * {@code guest-exec {path, arg?, env?, input-data?, capture-output?}} → {@code {pid}}
 * (qga/commands.c qmp_guest_exec). The host names the program and qemu-ga runs it, so it runs
 * here as a host-chosen child of the reaper ({@link ChildSpec#hostChosen()}): found through
 * {@code PATH} (the one in {@code env} first), argv[0] = {@code path}, {@code env} replacing the
 * agent's environment, stdin {@code /dev/null} or the decoded {@code input-data}, stdout and
 * stderr {@code /dev/null} or captured as {@code capture-output} says, in a session of its own.
 *
 * <p>{@code arg}, {@code env}, {@code input-data} and {@code capture-output} are declared as any
 * JSON value and checked here, member after member in the schema's order as qemu-ga's visitor does,
 * so that list elements ({@code arg[1]}) and 8.0's capture-output alternate get qemu-ga's texts.
 */
@Component(service = Command.class, property = {
    Command.NAME_PROPERTY + "=guest-exec",
    Command.AUDITED + ":Boolean=true",
    Command.ACTING + ":Boolean=true"
})
public final class GuestExecCommand implements Command {

    private static final List<Parameter> PARAMETERS = List.of(
            Parameter.required("path", JsonType.STRING),
            Parameter.optional("arg", JsonType.ANY),
            Parameter.optional("env", JsonType.ANY),
            Parameter.optional("input-data", JsonType.ANY),
            Parameter.optional("capture-output", JsonType.ANY));

    @Reference
    private ExecChildren children;

    public GuestExecCommand() {
    }

    GuestExecCommand(ExecChildren children) {
        this.children = children;
    }

    @Override
    public String name() {
        return "guest-exec";
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        long pid = children.start(spec(arguments));
        return Map.of("pid", pid);
    }

    /** What would run, e.g. {@code run "/bin/sh" "-c" "exit 3" (capture-output: separated, 5 bytes on stdin)}. */
    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        ChildSpec spec = spec(arguments);
        StringBuilder what = new StringBuilder("run");
        for (String word : spec.argv()) {
            what.append(" \"").append(word.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        what.append(" (capture-output: ").append(capture(arguments).wireName());
        spec.input().ifPresent(bytes -> what.append(", ").append(bytes.length).append(" bytes on stdin"));
        spec.environmentEntries().ifPresent(env -> what.append(", environment ").append(env));
        return what.append(')').toString();
    }

    /** Checks the members in the schema's order (the visitor's errors), then decodes input-data (the body's). */
    private static ChildSpec spec(Map<String, Object> arguments) throws CommandException {
        List<String> argv = new ArrayList<>();
        argv.add((String) arguments.get("path"));
        argv.addAll(strings(arguments, "arg"));
        List<String> env = arguments.containsKey("env") ? strings(arguments, "env") : null;
        String data = null;
        if (arguments.containsKey("input-data")) {
            if (!(arguments.get("input-data") instanceof String)) {
                throw typeError("input-data", "string");
            }
            data = (String) arguments.get("input-data");
        }
        CaptureOutput mode = capture(arguments);

        ChildSpec spec = ChildSpec.of(argv);
        if (env != null) {
            spec = spec.withEnvironmentEntries(env);
        }
        if (data != null) {
            spec = spec.withInput(InputData.decode(data));
        }
        return mode.applyTo(spec);
    }

    private static CaptureOutput capture(Map<String, Object> arguments) throws CommandException {
        return arguments.containsKey("capture-output") ? CaptureOutput.of(arguments.get("capture-output"))
                : CaptureOutput.NONE;
    }

    /** A {@code ['str']} member: absent is empty; anything but an array of strings is qemu-ga's type error. */
    private static List<String> strings(Map<String, Object> arguments, String name) throws CommandException {
        if (!arguments.containsKey(name)) {
            return List.of();
        }
        if (!(arguments.get(name) instanceof List)) {
            throw typeError(name, "array");
        }
        List<?> list = (List<?>) arguments.get(name);
        List<String> strings = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String)) {
                throw typeError(name + "[" + i + "]", "string");
            }
            strings.add((String) list.get(i));
        }
        return strings;
    }

    private static CommandException typeError(String name, String expected) {
        return new CommandException("Invalid parameter type for '" + name + "', expected: " + expected);
    }
}
