package dev.somnus.clock.commands;

import dev.somnus.api.command.CommandException;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The checks qemu-ga 7.2 makes on guest-set-time's {@code time} before it calls settimeofday
 * (qga/commands-posix.c, qmp_guest_set_time), with its texts and its boundaries:
 * <ol>
 * <li>{@code Time <ns> is too large} when the seconds do not fit the guest's time_t (only a 32-bit
 * time_t can overflow; the agent runs on x86_64 and aarch64, whose time_t has 64 bits);</li>
 * <li>{@code Invalid time} when the year of those seconds is before 1970 or after 2069 — in the
 * <em>local</em> time zone, since qemu-ga asks g_date_set_time_t, which uses localtime;</li>
 * <li>{@code Failed to set time to guest: Invalid argument} where qemu-ga's timeval gets a
 * negative tv_usec (a negative time whose microseconds are not zero), which the kernel refuses
 * with EINVAL; we refuse it the same way without asking the kernel.</li>
 * </ol>
 * The seconds are {@code time / 10^9} truncated toward zero, as in C: -999 ns are second 0 of 1970.
 */
final class RequestedTime {

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The width of time_t on the architectures the agent runs on. */
    static final int TIME_T_BITS = 64;

    static final String INVALID = "Invalid time";
    static final String REFUSED = "Failed to set time to guest";

    private RequestedTime() {
    }

    /** The checks for this agent: a 64-bit time_t, the JVM's zone (TZ or /etc/localtime, as localtime reads). */
    static void check(long nanos) throws CommandException {
        check(nanos, TIME_T_BITS, ZoneId.systemDefault());
    }

    static void check(long nanos, int timeTBits, ZoneId zone) throws CommandException {
        long seconds = nanos / NANOS_PER_SECOND;
        if (timeTBits < Long.SIZE) {
            long limit = 1L << (timeTBits - 1);
            if (seconds < -limit || seconds >= limit) {
                throw new CommandException("Time " + nanos + " is too large");
            }
        }
        int year = Instant.ofEpochSecond(seconds).atZone(zone).getYear();
        if (year < 1970 || year >= 2070) {
            // qemu-ga uses error_setg_errno here with an errno nothing set (see package-info)
            throw new CommandException(INVALID);
        }
        if ((nanos % NANOS_PER_SECOND) / 1000 < 0) {
            throw new CommandException(REFUSED + ": Invalid argument");
        }
    }

    /** The time for people and logs, e.g. {@code 2026-12-04T18:00:00.123456789Z}. */
    static String text(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND))
                .toString();
    }
}
