package dev.somnus.runtime.dispatch;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A command for tests: declared parameters, a chosen behaviour, and a record of its calls. */
final class FakeCommand implements Command {

    interface Behaviour {
        Object run(Map<String, Object> arguments) throws CommandException;
    }

    private final String name;
    private final List<Parameter> parameters;
    private final boolean successResponse;
    private final Behaviour behaviour;
    /** Synchronised: sessions on several threads call one command at once (ConcurrencyTest). */
    final List<Map<String, Object>> calls = java.util.Collections.synchronizedList(new ArrayList<>());

    FakeCommand(String name, List<Parameter> parameters, boolean successResponse, Behaviour behaviour) {
        this.name = name;
        this.parameters = parameters;
        this.successResponse = successResponse;
        this.behaviour = behaviour;
    }

    static FakeCommand returning(String name, Object value, Parameter... parameters) {
        return new FakeCommand(name, List.of(parameters), true, args -> value);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public boolean successResponse() {
        return successResponse;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        calls.add(new java.util.LinkedHashMap<>(arguments));
        return behaviour.run(arguments);
    }
}
