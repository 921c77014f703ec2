package dev.somnus.runtime.dispatch;

import dev.somnus.runtime.protocol.ProtocolSession;
import dev.somnus.runtime.protocol.QgaProtocol;
import dev.somnus.runtime.protocol.ReplySink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.osgi.service.log.Logger;

/**
 * The QGA protocol without OSGi: sessions that lex, parse and dispatch against a
 * {@link CommandTable} under a {@link Gate}. {@link QgaProtocolComponent} is the thin DS wrapper;
 * tests and benchmarks use this class directly.
 */
public final class QgaEngine implements QgaProtocol, AutoCloseable {

    /** The protocol level we match; {@code guest-info} reports it unless the launcher says otherwise. */
    public static final String DEFAULT_VERSION = "7.2.22";

    private final CommandTable commands;
    private final Gate gate;
    private final String version;
    private final Logger logger;
    private final AuditTrail audit;
    /** The agent-wide dry run: acting commands are explained, never executed. */
    private volatile boolean dryRun;
    /** True while the guest's file systems are frozen (a FrozenFileSystems service is registered). */
    private volatile BooleanSupplier frozen = () -> false;

    /** An engine whose audit lines are logged by the requesting thread (tests, benchmarks). */
    public QgaEngine(CommandTable commands, Gate gate, String version, Logger logger) {
        this(commands, gate, version, logger, AuditTrail.inline(logger));
    }

    QgaEngine(CommandTable commands, Gate gate, String version, Logger logger, AuditTrail audit) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.version = Objects.requireNonNull(version, "version");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** An engine whose audit lines are logged by a thread of their own, off the requests' path. */
    static QgaEngine withAuditThread(CommandTable commands, Gate gate, String version, Logger logger) {
        return new QgaEngine(commands, gate, version, logger, AuditTrail.threaded(logger));
    }

    /** Writes the audit lines still waiting. */
    @Override
    public void close() {
        audit.close();
    }

    @Override
    public ProtocolSession openSession(ReplySink sink, String peer) {
        return new Session(this, Objects.requireNonNull(sink, "sink"), Objects.requireNonNull(peer, "peer"));
    }

    /**
     * Switches the agent-wide dry run: while on, a command that declares {@link
     * dev.somnus.api.command.Command#ACTING} is not executed; its request answers an error that
     * says what {@link dev.somnus.api.command.Command#explain} would have done.
     */
    public void dryRun(boolean on) {
        dryRun = on;
    }

    boolean dryRun() {
        return dryRun;
    }

    /** Where the engine learns whether the guest's file systems are frozen (qga-reference §3.4). */
    public void frozen(BooleanSupplier source) {
        frozen = Objects.requireNonNull(source, "source");
    }

    boolean frozen() {
        return frozen.getAsBoolean();
    }

    CommandTable commands() {
        return commands;
    }

    Gate gate() {
        return gate;
    }

    Logger logger() {
        return logger;
    }

    AuditTrail audit() {
        return audit;
    }

    /**
     * {@code guest-info}'s value (qga-reference §3.3): every command, newest registration first,
     * disabled ones with {@code "enabled": false}. Member order on the wire is the writer's (QDict).
     */
    Map<String, Object> info() {
        List<Object> supported = new ArrayList<>();
        boolean frozenNow = frozen();
        for (CommandTable.Entry entry : commands.snapshot().newestFirst()) {
            Map<String, Object> command = new LinkedHashMap<>();
            command.put("enabled", gate.isEnabled(entry.name()) && !(frozenNow && !entry.policy().allowedWhileFrozen()));
            command.put("name", entry.name());
            command.put("success-response", entry.successResponse());
            supported.add(command);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", version);
        info.put("supported_commands", supported);
        return info;
    }
}
