package dev.somnus.runtime.dispatch;

import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.util.List;

/**
 * The commands the protocol itself answers (qga-reference §1.5, §3.3), in qemu-ga's registration
 * order, so {@code guest-info} (newest first) ends with {@code guest-ping}, {@code guest-sync},
 * {@code guest-sync-delimited} as in 7.2. They cannot be replaced by a {@code Command} service:
 * host tools resynchronise with them, so their behaviour is part of the wire protocol.
 */
enum Builtin {
    SYNC_DELIMITED("guest-sync-delimited", List.of(Parameter.required("id", JsonType.INTEGER))),
    SYNC("guest-sync", List.of(Parameter.required("id", JsonType.INTEGER))),
    PING("guest-ping", List.of()),
    INFO("guest-info", List.of());

    private final String wireName;
    private final List<Parameter> parameters;

    Builtin(String wireName, List<Parameter> parameters) {
        this.wireName = wireName;
        this.parameters = parameters;
    }

    String wireName() {
        return wireName;
    }

    List<Parameter> parameters() {
        return parameters;
    }
}
