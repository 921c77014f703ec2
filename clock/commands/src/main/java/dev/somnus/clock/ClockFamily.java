package dev.somnus.clock;

/**
 * The clock family's words for its providers ({@code dev.somnus.api.provider.Provider} services
 * with {@code somnus.provider.family=clock}). guest-set-time has two modes, because qemu-ga's one
 * command does two opposite things: with a time it sets the system clock and then writes it into
 * the hardware clock ({@code hwclock -w}); without one it copies the hardware clock into the system
 * clock ({@code hwclock -s}). A provider may offer either or both.
 */
public final class ClockFamily {

    /** {@code somnus.provider.family} of every clock provider. */
    public static final String FAMILY = "clock";

    /**
     * {@code somnus.provider.mode}: write the system clock into the hardware clock (RTC). The
     * command has set the system clock to the request's {@link #TIME} just before; the request
     * passed to the provider carries it.
     */
    public static final String SET = "set";

    /**
     * {@code somnus.provider.mode}: set the system clock from the hardware clock (RTC). The request
     * passed to the provider is empty.
     */
    public static final String SYNC = "sync";

    /** The request member of {@link #SET}: the new time, nanoseconds since the epoch (Long). */
    public static final String TIME = "time";

    private ClockFamily() {
    }
}
