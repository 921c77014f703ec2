package dev.somnus.runtime.dispatch;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which commands may run: the launcher's {@code -b/--block-rpcs} and {@code -a/--allow-rpcs} lists
 * (qga-reference §3.1, §3.2). Semantics of qemu-ga 9.1, which combines both lists: with an allow
 * list only listed commands stay enabled, and the block list wins over it. Texts of 7.2/8.1 where
 * they exist: a blocked command answers {@code Command X has been disabled} (7.2 has no reason for
 * it, vector V22); a command missing from the allow list answers
 * {@code Command X has been disabled: the command is not allowed} (8.1). Both with class
 * {@code CommandNotFound}. Gating covers every command, the built-ins and extensions included.
 */
public final class Gate {

    /** Nothing blocked, no allow list. */
    public static final Gate OPEN = new Gate(Set.of(), null);

    private final Set<String> blocked;
    /** Null when there is no allow list. */
    private final Set<String> allowed;

    private Gate(Set<String> blocked, Set<String> allowed) {
        this.blocked = blocked;
        this.allowed = allowed;
    }

    /**
     * @param blockList comma-separated command names, or null
     * @param allowList comma-separated command names; null or blank means no allow list (as in
     *        qemu-ga, where an empty list is no list)
     */
    public static Gate of(String blockList, String allowList) {
        Set<String> blocked = split(blockList);
        Set<String> allowed = split(allowList);
        return new Gate(blocked, allowed.isEmpty() ? null : allowed);
    }

    private static Set<String> split(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String item : list.split(",")) {
            // qemu-ga does not trim; command names never contain spaces, so trimming only forgives
            String name = item.trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** The error text for a disabled command, or null when it may run. */
    public String disabledDesc(String command) {
        if (blocked.contains(command)) {
            return "Command " + command + " has been disabled";
        }
        if (allowed != null && !allowed.contains(command)) {
            return "Command " + command + " has been disabled: the command is not allowed";
        }
        return null;
    }

    public boolean isEnabled(String command) {
        return (blocked.isEmpty() && allowed == null) || disabledDesc(command) == null;
    }

    @Override
    public String toString() {
        return "Gate[blocked=" + blocked + ", allowed=" + (allowed == null ? "all" : allowed) + "]";
    }
}
