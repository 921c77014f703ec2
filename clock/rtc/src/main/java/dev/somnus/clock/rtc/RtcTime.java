package dev.somnus.clock.rtc;

import java.time.LocalDateTime;

/**
 * struct rtc_time (linux/rtc.h), the broken-down time of the RTC ioctls: nine ints, tm_sec,
 * tm_min, tm_hour, tm_mday, tm_mon (0-11), tm_year (since 1900), tm_wday (0 = Sunday), tm_yday
 * (0-365), tm_isdst (0; hwclock writes 0 too).
 */
final class RtcTime {

    private RtcTime() {
    }

    static LocalDateTime toDateTime(int[] tm) {
        return LocalDateTime.of(tm[5] + 1900, tm[4] + 1, tm[3], tm[2], tm[1], tm[0]);
    }

    static int[] fields(LocalDateTime time) {
        return new int[] {time.getSecond(), time.getMinute(), time.getHour(), time.getDayOfMonth(),
                time.getMonthValue() - 1, time.getYear() - 1900, time.getDayOfWeek().getValue() % 7,
                time.getDayOfYear() - 1, 0};
    }
}
