package dev.somnus.runtime.dispatch;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.runtime.protocol.ProtocolSession;
import dev.somnus.runtime.protocol.ReplySink;
import dev.somnus.runtime.qmp.GHashOrder;
import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonMessageReader;
import dev.somnus.runtime.qmp.JsonWriter;
import dev.somnus.runtime.qmp.QDictOrder;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.log.Logger;

/**
 * One byte stream: the incremental reader, and qemu 7.2's {@code qmp_dispatch} pipeline for every
 * message it completes (qga-reference §1.3), in this order, the first failure being the reply:
 * not an object; the request's members checked in QDict order; no {@code execute}; unknown
 * command; disabled command; arguments against the declared parameters; the handler. The
 * request's {@code id}, whatever its JSON type, is echoed whenever the request was an object.
 *
 * <p>Replies are composed in one reused buffer and handed to the {@link ReplySink} one by one;
 * the sink is flushed when a {@link #receive} batch is done and before any command that is not a
 * built-in runs (it may block for a whole suspend).
 */
final class Session implements ProtocolSession, JsonMessageReader.Listener {

    private static final String GENERIC_ERROR = CommandException.GENERIC_ERROR;
    private static final String COMMAND_NOT_FOUND = CommandException.COMMAND_NOT_FOUND;
    private static final Map<String, Object> NO_ARGUMENTS = Map.of();
    private static final Map<String, Object> EMPTY_RETURN = Map.of();
    /** The agent-wide configuration that holds dryRun. */
    static final String AGENT_PID = "dev.somnus.agent";

    /** qemu-ga's resynchronisation sentinel in front of a guest-sync-delimited reply (§1.5). */
    private static final int SENTINEL = 0xFF;
    // QDict order puts "return" (bucket 401) before "id" (486) before "error" (489),
    // and "class" (211) before "desc" (377)
    private static final byte[] RETURN_OPEN = ascii("{\"return\": ");
    private static final byte[] ID_AFTER_RETURN = ascii(", \"id\": ");
    private static final byte[] ID_OPEN = ascii("{\"id\": ");
    private static final byte[] ERROR_AFTER_ID = ascii(", \"error\": {\"class\": ");
    private static final byte[] ERROR_OPEN = ascii("{\"error\": {\"class\": ");
    private static final byte[] DESC = ascii(", \"desc\": ");

    private final QgaEngine engine;
    private final ReplySink sink;
    private final String peer;
    private final Logger logger;
    private final JsonMessageReader reader = new JsonMessageReader(this);
    private final GrowableBytes out = new GrowableBytes(256);

    /** Set by guest-sync-delimited: the next reply written is prefixed by 0xFF. */
    private boolean delimitNext;
    private boolean debug;
    /** Replies written since the last flush. */
    private boolean unflushed;
    /** The first write or flush failure of the current {@link #receive} call. */
    private IOException failure;

    Session(QgaEngine engine, ReplySink sink, String peer) {
        this.engine = engine;
        this.sink = sink;
        this.peer = peer;
        this.logger = engine.logger();
    }

    @Override
    public void receive(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        debug = logger.isDebugEnabled();
        if (debug) {
            logger.debug("read data, count: {}", length);
        }
        failure = null;
        reader.feed(bytes, offset, length);
        flush();
        IOException failed = failure;
        failure = null;
        if (failed != null) {
            throw failed;
        }
    }

    // --- JsonMessageReader.Listener

    @Override
    public void error(String desc) {
        if (debug) {
            logger.debug("process_event: parse error: {}", desc);
        }
        replyError(false, null, GENERIC_ERROR, desc);
    }

    @Override
    public void value(Object request) {
        if (debug) {
            logger.debug("processing command");
        }
        if (!(request instanceof Map)) {
            replyError(false, null, GENERIC_ERROR, "QMP input must be a JSON object");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> dict = (Map<String, Object>) request;
        boolean hasId = dict.containsKey("id");
        Object id = dict.get("id");
        try {
            dispatch(dict, hasId, id);
        } catch (RuntimeException e) {
            // a bug of ours: answer, log, keep serving
            logger.error("internal error while dispatching a request from {}", peer, e);
            replyError(hasId, id, GENERIC_ERROR, "internal error: " + describe(e));
        }
    }

    private void dispatch(Map<String, Object> dict, boolean hasId, Object id) {
        String invalid = checkMembers(dict);
        if (invalid != null) {
            replyError(hasId, id, GENERIC_ERROR, invalid);
            return;
        }
        String name = (String) dict.get("execute");
        if (name == null) {
            replyError(hasId, id, GENERIC_ERROR, "QMP input lacks member 'execute'");
            return;
        }
        CommandTable.Entry entry = engine.commands().snapshot().find(name);
        boolean audited = entry == null || entry.policy().audited();
        if (audited) {
            // before anything can refuse or run it, so even a blocked or unknown request leaves a line
            engine.audit().record("audit: " + name + " requested by " + peer);
        }
        if (entry == null) {
            refuse(entry, name, hasId, id, COMMAND_NOT_FOUND, "The command " + name + " has not been found");
            return;
        }
        if (!entry.policy().allowedWhileFrozen() && engine.frozen()) {
            // qemu-ga 7.2 disables every command off its freeze allow list with this reason, the
            // blocked ones included (ga_disable_non_whitelisted), §3.2
            refuse(entry, name, hasId, id, COMMAND_NOT_FOUND,
                    "Command " + name + " has been disabled: the agent is in frozen state");
            return;
        }
        String disabled = engine.gate().disabledDesc(name);
        if (disabled != null) {
            refuse(entry, name, hasId, id, COMMAND_NOT_FOUND, disabled);
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = dict.containsKey("arguments")
                ? (Map<String, Object>) dict.get("arguments")
                : NO_ARGUMENTS;
        invalid = checkArguments(entry.parameters(), arguments);
        if (invalid != null) {
            refuse(entry, name, hasId, id, GENERIC_ERROR, invalid);
            return;
        }
        if (entry.builtin() != null) {
            replySuccess(hasId, id, runBuiltin(entry.builtin(), arguments), name);
        } else {
            runCommand(entry, arguments, hasId, id);
        }
    }

    /**
     * qemu's {@code qmp_dispatch_check_obj}: members walked in QDict order, the first bad one
     * named ({@code {"foo":1,"bar":2}} names {@code bar}).
     */
    private static String checkMembers(Map<String, Object> dict) {
        String firstKey = null;
        int firstIndex = -1;
        String firstDesc = null;
        int index = 0;
        for (Map.Entry<String, Object> member : dict.entrySet()) {
            String key = member.getKey();
            String desc = switch (key) {
                case "execute" -> member.getValue() instanceof String
                        ? null : "QMP input member 'execute' must be a string";
                case "arguments" -> member.getValue() instanceof Map
                        ? null : "QMP input member 'arguments' must be an object";
                case "id" -> null;
                // "exec-oob" too: the agent does not allow out-of-band execution
                default -> "QMP input member '" + key + "' is unexpected";
            };
            if (desc != null && (firstKey == null || QDictOrder.before(key, index, firstKey, firstIndex))) {
                firstKey = key;
                firstIndex = index;
                firstDesc = desc;
            }
            index++;
        }
        return firstDesc;
    }

    /**
     * The QAPI input visitor's checks: declared members in declaration order ("is missing",
     * "Invalid parameter type"), then members nobody declared ("is unexpected"; of several, the
     * one qemu-ga's GLib hash table yields first, see {@link GHashOrder}).
     */
    private static String checkArguments(Parameter[] parameters, Map<String, Object> arguments) {
        int declaredPresent = 0;
        for (Parameter parameter : parameters) {
            String name = parameter.name();
            if (!arguments.containsKey(name)) {
                if (!parameter.optional()) {
                    return "Parameter '" + name + "' is missing";
                }
                continue;
            }
            declaredPresent++;
            if (!hasType(arguments.get(name), parameter.type())) {
                return "Invalid parameter type for '" + name + "', expected: " + parameter.type().wireName();
            }
        }
        if (arguments.size() == declaredPresent) {
            return null;
        }
        List<String> visited = new ArrayList<>(declaredPresent);
        for (Parameter parameter : parameters) {
            if (arguments.containsKey(parameter.name())) {
                visited.add(parameter.name());
            }
        }
        return "Parameter '" + GHashOrder.firstLeft(List.of(QDictOrder.orderedKeys(arguments)), visited)
                + "' is unexpected";
    }

    private static boolean hasType(Object value, JsonType type) {
        return switch (type) {
            // a QNum held as int64; uint64 above 2^63-1 and doubles are rejected (vector V20)
            case INTEGER -> value instanceof Long;
            case NUMBER -> value instanceof Long || value instanceof BigInteger || value instanceof Double;
            case STRING -> value instanceof String;
            case BOOLEAN -> value instanceof Boolean;
            case OBJECT -> value instanceof Map;
            case ARRAY -> value instanceof List;
            case ANY -> true;
        };
    }

    private Object runBuiltin(Builtin builtin, Map<String, Object> arguments) {
        return switch (builtin) {
            case SYNC -> arguments.get("id");
            case SYNC_DELIMITED -> {
                delimitNext = true;
                yield arguments.get("id");
            }
            case PING -> EMPTY_RETURN;
            case INFO -> engine.info();
        };
    }

    private void runCommand(CommandTable.Entry entry, Map<String, Object> arguments, boolean hasId, Object id) {
        String name = entry.name();
        // the command may block (a suspend): what is ready goes out first
        flush();
        // felix.log 1.3 formats the message before it looks at the level: ask first, so the
        // replies of a poller's every request do not pay for lines the WARN root level drops
        boolean info = logger.isInfoEnabled();
        if (info) {
            logger.info("{} called by {}", name, peer);
        }
        Map<String, Object> readOnly = Collections.unmodifiableMap(arguments);
        Object result;
        try {
            if (entry.policy().acting() && engine.dryRun()) {
                throw dryRun(entry, readOnly);
            }
            result = entry.command().execute(readOnly);
        } catch (CommandException e) {
            if (info) {
                logger.info("{} failed: {}", name, e.desc());
            }
            audit(entry, "failed: " + e.desc());
            replyError(hasId, id, e.errorClass(), e.desc());
            return;
        } catch (Exception | LinkageError e) {
            logger.error("{} failed unexpectedly", name, e);
            audit(entry, "failed: internal error: " + describe(e));
            replyError(hasId, id, GENERIC_ERROR, "internal error in " + name + ": " + describe(e));
            return;
        }
        if (info) {
            logger.info("{} succeeded", name);
        }
        audit(entry, "succeeded");
        if (entry.successResponse()) {
            replySuccess(hasId, id, result, name);
        }
        // qemu-ga sends nothing at all, not even the id, after a successful no-reply command (§1.6)
    }

    /**
     * The agent-wide dry run of an acting command: everything but the action. The answer is an
     * error naming what would have been done — never success, because nothing happened. What the
     * command would refuse (a bad argument, no provider) it refuses here too, through explain.
     */
    private CommandException dryRun(CommandTable.Entry entry, Map<String, Object> arguments) throws CommandException {
        String text = "dry run: " + entry.name() + " would " + entry.command().explain(arguments)
                + "; nothing was done (dryRun is set in " + AGENT_PID + ")";
        if (logger.isInfoEnabled()) {
            logger.info("{}", text);
        }
        return new CommandException(text);
    }

    private void refuse(CommandTable.Entry entry, String name, boolean hasId, Object id, String errorClass,
            String desc) {
        if (!isProtocolCommand(name) && logger.isInfoEnabled()) {
            logger.info("{} refused for {}: {}", name, peer, desc);
        }
        if (entry == null || entry.policy().audited()) {
            engine.audit().record("audit: " + name + " from " + peer + " refused: " + desc);
        }
        replyError(hasId, id, errorClass, desc);
    }

    /**
     * A command that declares {@link dev.somnus.api.command.Command#AUDITED} leaves two audit
     * lines per request, at the OSGi Log's AUDIT level, which the launcher always shows: who asked,
     * then what came of it; so does a request for a command the agent does not have. qemu-ga logs
     * nothing of the kind; a request that puts the machine to sleep deserves a trace.
     */
    private void audit(CommandTable.Entry entry, String outcome) {
        if (entry.policy().audited()) {
            engine.audit().record("audit: " + entry.name() + " from " + peer + " " + outcome);
        }
    }

    private static boolean isProtocolCommand(String name) {
        for (Builtin builtin : Builtin.values()) {
            if (builtin.wireName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    // --- replies

    private void replySuccess(boolean hasId, Object id, Object result, String name) {
        startReply();
        out.put(RETURN_OPEN);
        try {
            // a command without a return value gives {} (qmp_dispatch supplies an empty dict)
            JsonWriter.writeValue(out, result == null ? EMPTY_RETURN : result);
        } catch (IllegalArgumentException | StackOverflowError e) {
            // a value of no JSON type, or one that contains itself
            logger.error("{} returned a value with no JSON form", name, e);
            String why = e instanceof StackOverflowError ? "a value that contains itself" : e.getMessage();
            replyError(hasId, id, GENERIC_ERROR, "internal error in " + name + ": " + why);
            return;
        }
        if (hasId) {
            out.put(ID_AFTER_RETURN);
            JsonWriter.writeValue(out, id);
        }
        out.put('}');
        send();
    }

    private void replyError(boolean hasId, Object id, String errorClass, String desc) {
        startReply();
        if (hasId) {
            out.put(ID_OPEN);
            JsonWriter.writeValue(out, id);
            out.put(ERROR_AFTER_ID);
        } else {
            out.put(ERROR_OPEN);
        }
        JsonWriter.writeString(out, errorClass);
        out.put(DESC);
        JsonWriter.writeString(out, desc);
        out.put('}');
        out.put('}');
        send();
    }

    private void startReply() {
        out.clear();
        if (delimitNext) {
            out.put(SENTINEL);
        }
    }

    private void send() {
        delimitNext = false;
        out.put('\n');
        int count = out.length();
        if (debug) {
            logger.debug("sending data, count: {}", count);
        }
        if (failure != null) {
            return;
        }
        try {
            sink.write(out.array(), 0, count);
            unflushed = true;
        } catch (IOException e) {
            // keep processing what was read, as qemu-ga does; the caller hears of it at the end
            failure = e;
        }
    }

    private void flush() {
        if (!unflushed || failure != null) {
            return;
        }
        try {
            sink.flush();
            unflushed = false;
        } catch (IOException e) {
            failure = e;
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
