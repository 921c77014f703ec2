package dev.somnus.clock.commands;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** qemu-ga 7.2's checks of guest-set-time's time (qmp_guest_set_time), at their exact boundaries. */
class RequestedTimeTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    /** 2070-01-01T00:00:00Z in nanoseconds: the first time qemu-ga calls invalid (in UTC). */
    private static final long YEAR_2070 = 3_155_760_000L * 1_000_000_000L;

    @Test
    void theYearsFrom1970To2069AreAccepted() {
        assertThatCode(() -> check(0)).doesNotThrowAnyException();
        assertThatCode(() -> check(1_764_871_200_123_456_789L)).doesNotThrowAnyException();
        assertThatCode(() -> check(YEAR_2070 - 1)).doesNotThrowAnyException();
    }

    @Test
    void theYear2070AndLaterAreInvalid() {
        assertThatThrownBy(() -> check(YEAR_2070)).isInstanceOf(CommandException.class).hasMessage("Invalid time");
        assertThatThrownBy(() -> check(Long.MAX_VALUE)).hasMessage("Invalid time");
    }

    @Test
    void beforeSecondZeroIsInvalidButSecondZeroIsCountedTowardZeroAsInC() {
        // -1 s is 1969
        assertThatThrownBy(() -> check(-1_000_000_000L)).hasMessage("Invalid time");
        assertThatThrownBy(() -> check(Long.MIN_VALUE)).hasMessage("Invalid time");
        // -999 ns: tv_sec 0, tv_usec 0 — qemu-ga sets the clock to the epoch
        assertThatCode(() -> check(-999)).doesNotThrowAnyException();
    }

    @Test
    void aNegativeTimeWithMicrosecondsGetsTheKernelsEinval() {
        // tv_sec 0 passes the year check, tv_usec -1 is refused by settimeofday
        assertThatThrownBy(() -> check(-1000)).hasMessage("Failed to set time to guest: Invalid argument");
        assertThatThrownBy(() -> check(-999_999_999L)).hasMessage("Failed to set time to guest: Invalid argument");
    }

    @Test
    void theYearIsTheLocalOneAsGDateSetTimeTReadsIt() throws Exception {
        // 1970-01-01T00:00Z is still 1969 in New York, already 1970 in Tokyo
        assertThatThrownBy(() -> RequestedTime.check(0, 64, ZoneId.of("America/New_York"))).hasMessage("Invalid time");
        RequestedTime.check(0, 64, ZoneId.of("Asia/Tokyo"));
        // 2069-12-31T15:00Z is 2070 in Tokyo, not yet in UTC
        long tokyoNewYear = YEAR_2070 - 9 * 3600 * 1_000_000_000L;
        assertThatThrownBy(() -> RequestedTime.check(tokyoNewYear, 64, ZoneId.of("Asia/Tokyo")))
                .hasMessage("Invalid time");
        RequestedTime.check(tokyoNewYear - 1, 64, ZoneId.of("Asia/Tokyo"));
        RequestedTime.check(tokyoNewYear, 64, UTC);
    }

    @Test
    void aThirtyTwoBitTimeTOverflowsAfter2038WithQemuGasText() throws Exception {
        long lastSecond = 2_147_483_647L * 1_000_000_000L;
        RequestedTime.check(lastSecond + 999_999_999L, 32, UTC);
        assertThatThrownBy(() -> RequestedTime.check(lastSecond + 1_000_000_000L, 32, UTC))
                .hasMessage("Time 2147483648000000000 is too large");
        // the 64-bit agent takes the same time
        RequestedTime.check(lastSecond + 1_000_000_000L, 64, UTC);
    }

    @Test
    void timesAreNamedInUtcToTheNanosecond() {
        org.assertj.core.api.Assertions.assertThat(RequestedTime.text(1_764_871_200_123_456_789L))
                .isEqualTo("2025-12-04T18:00:00.123456789Z");
        org.assertj.core.api.Assertions.assertThat(RequestedTime.text(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
    }

    private static void check(long nanos) throws CommandException {
        RequestedTime.check(nanos, 64, UTC);
    }
}
