package dev.somnus.reaper.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Finds the orphans a child subreaper inherits, telling them apart from the children of
 * {@code java.lang.Process}. Used by the reaper's loop thread only.
 *
 * <p>With PR_SET_CHILD_SUBREAPER, a grandchild whose parent died (a pm-utils hook that
 * daemonised, say) becomes the agent's child, and so does an orphan of any {@code ProcessBuilder}
 * child. Nobody else will ever wait for those, so they are reaped here, their status discarded.
 * But a {@code java.lang.Process} child is also a child of the agent that the reaper does not
 * own, and reaping it steals its exit status (the JDK then reports 0). Linux keeps no record of
 * which children were inherited, and {@link ProcessHandle#children()} lists both kinds, so:
 * <ul>
 * <li>A zombie in the session of a child the reaper started is that child's descendant: every
 * child starts its own session (its sid is its pid), and the kernel does not hand out a pid
 * again while any process still has it as session id. The JDK does not start sessions. Such a
 * zombie is reaped at once. Sessions are remembered for a minute after their leader was reaped,
 * far less than it takes pids to wrap around.</li>
 * <li>Any other zombie (an orphan that started a session of its own, or of a ProcessBuilder
 * child) is told apart by behaviour: the JDK waits for each of its children from the moment it
 * starts it, in a thread blocked in {@code waitpid(pid)}, so its zombies vanish within moments.
 * A zombie still there, same pid and same start time, at a sweep at least a second after it
 * was first seen has nobody waiting for it, and only then is it reaped. The second does not
 * shrink with a shorter sweep interval.</li>
 * </ul>
 */
final class Orphans {

    private static final long SESSION_MEMORY_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A zombie as first seen: start time tells a reused pid apart. */
    private record Zombie(long startTime, long firstSeenNanos) {
    }

    /** Session ids of our children: running (Long.MAX_VALUE) or reaped (until when to remember). */
    private final Map<Integer, Long> sessions = new HashMap<>();
    private Map<Long, Zombie> seenLastSweep = Map.of();

    void childStarted(int pid) {
        sessions.put(pid, Long.MAX_VALUE);
    }

    void childReaped(int pid, long now) {
        sessions.put(pid, now + SESSION_MEMORY_NANOS);
    }

    /** Whether this child of the agent descends from a child the reaper started. */
    boolean inOurSessions(long pid) {
        String[] stat = statFields(pid);
        return stat != null && sessions.containsKey(Integer.parseInt(stat[3]));
    }

    /**
     * One sweep over the agent's children.
     *
     * @param owned whether the reaper owns a pid (those are reaped elsewhere, with their status)
     * @return the orphans to reap now
     */
    List<Integer> sweep(IntPredicate owned, long now) {
        sessions.values().removeIf(until -> until - now < 0);
        Map<Long, Zombie> seenNow = new HashMap<>();
        List<Integer> toReap = new ArrayList<>();
        ProcessHandle.current().children().forEach(child -> {
            long pid = child.pid();
            String[] stat = owned.test((int) pid) ? null : statFields(pid);
            if (stat == null || !stat[0].equals("Z")) {
                return;
            }
            long startTime = Long.parseLong(stat[19]);
            Zombie before = seenLastSweep.get(pid);
            Zombie zombie = before != null && before.startTime() == startTime ? before : new Zombie(startTime, now);
            seenNow.put(pid, zombie);
            if (sessions.containsKey(Integer.parseInt(stat[3])) || now - zombie.firstSeenNanos() >= PATIENCE_NANOS) {
                toReap.add((int) pid);
            }
        });
        seenLastSweep = seenNow;
        return toReap;
    }

    /** Whether the last sweep left a zombie it has not reaped (yet): a later sweep must look again. */
    boolean waiting() {
        return !seenLastSweep.isEmpty();
    }

    /**
     * A sweep at which waitid saw no zombie among the agent's children: what {@link #sweep}
     * leaves behind when its walk meets none, without the walk.
     */
    void noZombies(long now) {
        sessions.values().removeIf(until -> until - now < 0);
        seenLastSweep = Map.of();
    }

    /**
     * Whether a child of the agent is still in one of these process groups: a grandchild
     * signalled with its group at stop that has not yet died and been reaped.
     */
    static boolean groupMembersRemain(java.util.Set<Integer> groups) {
        return !groups.isEmpty() && ProcessHandle.current().children().anyMatch(child -> {
            String[] stat = statFields(child.pid());
            return stat != null && groups.contains(Integer.parseInt(stat[2]));
        });
    }

    /**
     * The fields of /proc/pid/stat after the command name (which may hold spaces and
     * parentheses): [0] is the state (field 3), [1] the ppid (field 4), [2] the process group
     * (field 5), [3] the session (field 6), [19] the start time (field 22). Null when the process
     * is gone.
     */
    static String[] statFields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException gone) {
            return null;
        }
        int close = stat.lastIndexOf(')');
        return close < 0 ? null : stat.substring(close + 2).trim().split(" ");
    }
}
