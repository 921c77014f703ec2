package dev.somnus.clock;

/**
 * The guest's system clock (CLOCK_REALTIME), the one thing guest-set-time changes in the guest
 * itself. Its presence in the service registry is the agent's permission to change the system
 * clock: guest-set-time refuses, with or without a time, while no SystemClock is registered. The
 * real one (PID {@code dev.somnus.clock.system}) exists only while that configuration is present
 * and enabled; tests register a fake. Implementations are thread-safe.
 */
public interface SystemClock {

    /**
     * Sets the system clock to {@code epochNanos} nanoseconds since the epoch, the way qemu-ga
     * 7.2's qmp_guest_set_time calls settimeofday: {@code tv_sec = epochNanos / 10^9},
     * {@code tv_usec = (epochNanos % 10^9) / 1000}, Java's (and C's) division truncating toward zero.
     *
     * @throws SystemClockException when the kernel refuses (no CAP_SYS_TIME, a time before boot)
     */
    void set(long epochNanos) throws SystemClockException;
}
