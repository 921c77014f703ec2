package dev.somnus.runtime.dispatch;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.annotations.In;

/**
 * Linux's SCHED_IDLE for the calling thread: it then runs only on a CPU that has nothing else to
 * do, and never preempts the agent's other threads or the helper a suspend just started.
 */
final class IdlePriority {

    private static final int SCHED_IDLE = 5;

    /** The one libc call needed, bound through the jnr-ffi the bundle embeds for its channels. */
    public interface Sched {
        int sched_setscheduler(int pid, int policy, @In int[] param);
    }

    private IdlePriority() {
    }

    /**
     * Moves the calling thread to SCHED_IDLE.
     *
     * @return null when done, else why not (no native calls here, or the kernel refused)
     */
    static String enter() {
        try {
            Sched sched = LibraryLoader.create(Sched.class).option(LibraryOption.SaveError, Boolean.TRUE)
                    .failImmediately().load("c");
            // pid 0 is the calling thread; SCHED_IDLE takes priority 0
            if (sched.sched_setscheduler(0, SCHED_IDLE, new int[] {0}) != 0) {
                return "sched_setscheduler(SCHED_IDLE) failed";
            }
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "native calls unavailable (jnr-ffi): " + e;
        }
    }
}
