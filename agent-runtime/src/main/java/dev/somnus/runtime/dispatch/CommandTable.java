package dev.somnus.runtime.dispatch;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live set of commands: the built-ins plus every {@link Command} registered, as the dispatcher
 * and {@code guest-info} see it at this moment. Changes publish a new immutable {@link Snapshot},
 * so dispatch reads one volatile field and never locks.
 *
 * <p>Order is registration order (the OSGi {@code service.id}), which {@code guest-info} lists
 * newest first like qemu-ga. When several commands share a name, the one with the highest
 * {@code service.ranking} wins, then the one registered first (the OSGi rule for picking one
 * service); the others are shadowed — not callable, not listed — until the winner goes away. A
 * command named like a built-in is always shadowed. A command's name, parameters and
 * success-response flag are read once, when it is added.
 */
public final class CommandTable {

    /**
     * One name's entry as seen by dispatch. {@code command} is null for a built-in. The policy flags
     * come from the command's service properties ({@link Command#AUDITED}, {@link Command#ACTING},
     * {@link Command#ALLOWED_WHILE_FROZEN}); the built-ins are never audited, never act and may run
     * while frozen (qemu-ga's {@code ga_freeze_allowlist} holds all four).
     */
    record Entry(String name, Builtin builtin, Command command, Parameter[] parameters,
            boolean successResponse, long order, int ranking, Policy policy) {
    }

    /** What a command declares about itself through its service properties. */
    record Policy(boolean audited, boolean acting, boolean allowedWhileFrozen) {

        static final Policy NONE = new Policy(false, false, false);
        static final Policy BUILTIN = new Policy(false, false, true);

        /** Reads the Boolean properties; anything but {@code true} or {@code "true"} is false. */
        static Policy of(Map<String, ?> properties) {
            return new Policy(flag(properties.get(Command.AUDITED)), flag(properties.get(Command.ACTING)),
                    flag(properties.get(Command.ALLOWED_WHILE_FROZEN)));
        }

        private static boolean flag(Object value) {
            return Boolean.TRUE.equals(value) || "true".equals(value);
        }
    }

    /** An immutable view: lookups by name, and every entry newest first. */
    static final class Snapshot {

        private final Map<String, Entry> byName;
        private final List<Entry> newestFirst;

        private Snapshot(Map<String, Entry> byName, List<Entry> newestFirst) {
            this.byName = byName;
            this.newestFirst = newestFirst;
        }

        Entry find(String name) {
            return byName.get(name);
        }

        List<Entry> newestFirst() {
            return newestFirst;
        }
    }

    private static final Comparator<Entry> WINNER_FIRST =
            Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::order);

    /** Keys handed out by {@link #register(Command)}, below any OSGi service id range in practice. */
    private final AtomicLong nextKey = new AtomicLong(1L << 62);
    private final List<Entry> builtins = new ArrayList<>();
    /** Every added command, by key. Guarded by this. */
    private final Map<Long, Entry> added = new HashMap<>();
    private volatile Snapshot snapshot;

    public CommandTable() {
        long order = -Builtin.values().length;
        for (Builtin builtin : Builtin.values()) {
            builtins.add(new Entry(builtin.wireName(), builtin, null,
                    builtin.parameters().toArray(new Parameter[0]), true, order, Integer.MAX_VALUE, Policy.BUILTIN));
            order++;
        }
        publish();
    }

    /**
     * Adds a command.
     *
     * @throws IllegalArgumentException if it has no name, or its {@link Command#NAME_PROPERTY}
     *         names another command than {@link Command#name()} (nothing is added)
     * @param key identifies this registration for {@link #remove} and {@link #update}; also its
     *        place in registration order (use the OSGi {@code service.id})
     * @param ranking the {@code service.ranking}
     * @param properties the service properties: the command's policy, and its name property
     */
    public synchronized void add(Command command, long key, int ranking, Map<String, ?> properties) {
        String name = command.name();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a command without a name: " + command);
        }
        Object declared = properties.get(Command.NAME_PROPERTY);
        if (declared != null && !name.equals(declared)) {
            // consumers filter on the property, the dispatcher uses name(): they must agree
            throw new IllegalArgumentException("a command named " + name + " whose " + Command.NAME_PROPERTY
                    + " says " + declared);
        }
        List<Parameter> parameters = command.parameters();
        Entry entry = new Entry(name, null, command,
                parameters == null ? new Parameter[0] : parameters.toArray(new Parameter[0]),
                command.successResponse(), key, ranking, Policy.of(properties));
        added.put(key, entry);
        publish();
    }

    /** {@link #add(Command, long, int, Map)} with no service properties (no policy). */
    public void add(Command command, long key, int ranking) {
        add(command, key, ranking, Map.of());
    }

    /** Adds a command outside OSGi with no policy, after every command added so far; returns its key. */
    public long register(Command command) {
        return register(command, Map.of());
    }

    /** Adds a command outside OSGi with these service properties (its policy); returns its key. */
    public long register(Command command, Map<String, ?> properties) {
        long key = nextKey.getAndIncrement();
        add(command, key, 0, properties);
        return key;
    }

    public synchronized void remove(long key) {
        if (added.remove(key) != null) {
            publish();
        }
    }

    /** A registration's ranking changed. */
    public synchronized void update(long key, int ranking) {
        Entry old = added.get(key);
        if (old != null) {
            update(key, ranking, old.policy());
        }
    }

    /** A registration's service properties changed: its ranking, its policy. */
    public synchronized void update(long key, int ranking, Map<String, ?> properties) {
        update(key, ranking, Policy.of(properties));
    }

    private void update(long key, int ranking, Policy policy) {
        Entry old = added.get(key);
        if (old != null && (old.ranking() != ranking || !old.policy().equals(policy))) {
            added.put(key, new Entry(old.name(), null, old.command(), old.parameters(), old.successResponse(),
                    old.order(), ranking, policy));
            publish();
        }
    }

    Snapshot snapshot() {
        return snapshot;
    }

    private void publish() {
        Map<String, List<Entry>> candidates = new HashMap<>();
        for (Entry entry : added.values()) {
            candidates.computeIfAbsent(entry.name(), n -> new ArrayList<>()).add(entry);
        }
        Map<String, Entry> byName = new HashMap<>();
        for (Entry builtin : builtins) {
            byName.put(builtin.name(), builtin);
        }
        for (Map.Entry<String, List<Entry>> named : candidates.entrySet()) {
            if (!byName.containsKey(named.getKey())) {
                byName.put(named.getKey(), named.getValue().stream().min(WINNER_FIRST).orElseThrow());
            }
        }
        List<Entry> newestFirst = new ArrayList<>(byName.values());
        newestFirst.sort(Comparator.comparingLong(Entry::order).reversed());
        snapshot = new Snapshot(Map.copyOf(byName), List.copyOf(newestFirst));
    }
}
