package dev.somnus.api.command;

import java.util.Objects;

/**
 * A declared member of a command's {@code arguments}.
 *
 * @param name the member name
 * @param type the JSON type it must have
 * @param optional whether the member may be absent
 */
public record Parameter(String name, JsonType type, boolean optional) {

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static Parameter required(String name, JsonType type) {
        return new Parameter(name, type, false);
    }

    public static Parameter optional(String name, JsonType type) {
        return new Parameter(name, type, true);
    }
}
