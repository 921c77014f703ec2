package dev.somnus.runtime.channel;

import java.io.IOException;

/**
 * Linux's SCHED_IDLE for a background thread of the runtime: it then runs only on a CPU that has
 * nothing else to do and never preempts the agent's other threads or a helper a suspend just
 * started. Uses the channels' own libc binding, so it costs no second jnr-ffi binding at start-up
 * (one took about 150 ms here, far more in an emulated guest).
 */
public final class IdleScheduling {

    private IdleScheduling() {
    }

    /**
     * Moves the calling thread to SCHED_IDLE.
     *
     * @return null when done, else why not (no native calls here, or the kernel refused)
     */
    public static String enter() {
        try {
            Posix.libc().enterIdleScheduling();
            return null;
        } catch (IOException e) {
            return "sched_setscheduler(SCHED_IDLE): " + e.getMessage();
        }
    }
}
