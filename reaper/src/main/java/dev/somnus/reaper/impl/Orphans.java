package dev.somnus.reaper.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Finds the orphans a child subreaper inherits, telling them apart from the children of
 * {@code java.lang.Process}.
 *
 * <p>With PR_SET_CHILD_SUBREAPER, a grandchild whose parent died (a pm-utils hook that
 * daemonised, say) becomes the agent's child, and so does an orphan of any {@code ProcessBuilder}
 * child. Nobody else will ever wait for those, so they must be reaped here. But a
 * {@code java.lang.Process} child is also a child of the agent that the reaper does not own, and
 * reaping it steals its exit status (the JDK then reports 0). Linux keeps no record of which
 * children were inherited, and {@link ProcessHandle#children()} lists both kinds, so the two are
 * told apart by behaviour instead: the JDK waits for each of its children from the moment it
 * starts it, in a thread blocked in {@code waitpid(pid)}, so its zombies vanish within moments.
 * A zombie that is still there, same pid and same start time, one whole sweep later (about a
 * second) has nobody waiting for it: only then is it reaped, its status discarded.
 */
final class Orphans {

    private record Zombie(long pid, long startTime) {
    }

    private Map<Long, Zombie> seenLastSweep = Map.of();

    /**
     * One sweep over the agent's children.
     *
     * @param owned whether the reaper owns a pid (those are reaped elsewhere, with their status)
     * @return the pids to reap now
     */
    List<Integer> sweep(IntPredicate owned) {
        Map<Long, Zombie> seenNow = new HashMap<>();
        List<Integer> toReap = new ArrayList<>();
        ProcessHandle.current().children().forEach(child -> {
            long pid = child.pid();
            if (owned.test((int) pid)) {
                return;
            }
            Zombie zombie = zombie(pid);
            if (zombie == null) {
                return;
            }
            seenNow.put(pid, zombie);
            if (zombie.equals(seenLastSweep.get(pid))) {
                toReap.add((int) pid);
            }
        });
        seenLastSweep = seenNow;
        return toReap;
    }

    /** The zombie with this pid, or null if it is not (or no longer) a zombie. */
    private static Zombie zombie(long pid) {
        String[] fields = statFields(pid);
        if (fields == null || !fields[0].equals("Z")) {
            return null;
        }
        return new Zombie(pid, Long.parseLong(fields[19]));
    }

    /**
     * The fields of /proc/pid/stat after the command name (which may hold spaces and
     * parentheses): [0] is the state (field 3), [1] the ppid (field 4), [19] the start time
     * (field 22). Null when the process is gone.
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
