package dev.somnus.clock.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** struct rtc_time as linux/rtc.h lays it out. */
class RtcTimeTest {

    @Test
    void fieldsInKernelOrderWithZeroBasedMonthYearSince1900SundayZero() {
        // Thursday 2025-12-04, day 338 of the year (0-based 337)
        assertThat(RtcTime.fields(LocalDateTime.of(2025, 12, 4, 18, 7, 9)))
                .containsExactly(9, 7, 18, 4, 11, 125, 4, 337, 0);
        // a Sunday
        assertThat(RtcTime.fields(LocalDateTime.of(2026, 1, 4, 0, 0, 0))[6]).isZero();
    }

    @Test
    void readBack() {
        assertThat(RtcTime.toDateTime(new int[] {9, 7, 18, 4, 11, 125, 0, 0, 0}))
                .isEqualTo(LocalDateTime.of(2025, 12, 4, 18, 7, 9));
        assertThatThrownBy(() -> RtcTime.toDateTime(new int[] {0, 0, 0, 0, 0, 70, 0, 0, 0}))
                .isInstanceOf(DateTimeException.class);
    }
}
