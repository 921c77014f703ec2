package dev.somnus.clock.rtc;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Outcome;
import dev.somnus.api.provider.Reasons;
import dev.somnus.clock.ClockFamily;
import dev.somnus.clock.SystemClock;
import dev.somnus.clock.SystemClockException;
import dev.somnus.provider.common.ProviderMethod;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One direction through the RTC device itself, for guests without hwclock (BusyBox images), with
 * the RTC kept in UTC:
 * <ul>
 * <li>mode set: RTC_SET_TIME with the request's time, rounded to the nearest second (the RTC
 * counts whole seconds). The command set the system clock to that time just before; hwclock -w
 * would read it back from the system clock a few milliseconds later.</li>
 * <li>mode sync: RTC_RD_TIME, then the system clock is set to it through the {@link SystemClock}
 * service, as hwclock -s does with settimeofday.</li>
 * </ul>
 * Available while RTC_RD_TIME answers on the device; for mode set also when it answers EINVAL (an
 * RTC that holds no valid time yet, which RTC_SET_TIME repairs).
 */
final class RtcMethod implements ProviderMethod {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final boolean set;
    private final Path device;
    private final RtcDevice rtc;
    private final Supplier<SystemClock> systemClock;

    RtcMethod(String mode, Path device, RtcDevice rtc, Supplier<SystemClock> systemClock) {
        this.set = ClockFamily.SET.equals(mode);
        this.device = device;
        this.rtc = rtc;
        this.systemClock = systemClock;
    }

    @Override
    public Availability probe() {
        try {
            LocalDateTime now = rtc.read(device);
            return Availability.available("RTC_RD_TIME on " + device + " answered " + now + " (UTC)");
        } catch (RtcDevice.RtcException e) {
            if (set && e.errno() == IoctlRtcDevice.EINVAL) {
                return Availability.available(e.getMessage() + ": the RTC holds no valid time, RTC_SET_TIME sets it");
            }
            return Availability.unavailable(Reasons.INTERFACE_UNREADABLE, e.getMessage());
        }
    }

    @Override
    public String action(Map<String, Object> request) {
        if (set) {
            return "RTC_SET_TIME " + rtcTime(request) + " (UTC) on " + device;
        }
        return "RTC_RD_TIME on " + device + ", then set the system clock to it";
    }

    @Override
    public Outcome perform(Map<String, Object> request) {
        return set ? write(request) : sync();
    }

    private Outcome write(Map<String, Object> request) {
        LocalDateTime time = rtcTime(request);
        try {
            rtc.write(device, time);
            return Outcome.done("RTC_SET_TIME " + time + " (UTC) on " + device);
        } catch (RtcDevice.RtcException e) {
            return Outcome.failed(Reasons.WRITE_FAILED, e.getMessage());
        }
    }

    private Outcome sync() {
        LocalDateTime time;
        try {
            time = rtc.read(device);
        } catch (RtcDevice.RtcException e) {
            return Outcome.failed(Reasons.ACTION_FAILED, e.getMessage());
        }
        SystemClock clock = systemClock.get();
        if (clock == null) {
            return Outcome.failed(Reasons.ACTION_FAILED, "no SystemClock service: the agent may not set the system clock");
        }
        long nanos = time.toEpochSecond(ZoneOffset.UTC) * NANOS_PER_SECOND;
        try {
            clock.set(nanos);
        } catch (SystemClockException e) {
            return Outcome.failed(Reasons.ACTION_FAILED, "the system clock refused " + time + " (UTC) read from "
                    + device + ": " + e.getMessage());
        }
        return Outcome.done("the system clock was set to " + time + " (UTC), read from " + device);
    }

    /** The request's time as the RTC will hold it: UTC, the nearest whole second. */
    private static LocalDateTime rtcTime(Map<String, Object> request) {
        long nanos = (Long) request.get(ClockFamily.TIME);
        long seconds = Math.floorDiv(nanos + NANOS_PER_SECOND / 2, NANOS_PER_SECOND);
        return LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    }
}
