package dev.somnus.clock.commands;

import static org.assertj.core.api.Assertions.assertThat;

import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Test;

/**
 * The timeval the real clock would pass to settimeofday. set() itself is never called in a test:
 * it would set the clock of this machine.
 */
class LibcSystemClockTest {

    @Test
    void theTimevalIsQemuGasTruncatingBothWays() {
        assertThat(LibcSystemClock.timeval(1_764_871_200_123_456_789L)).containsExactly(1_764_871_200L, 123_456L);
        assertThat(LibcSystemClock.timeval(999)).containsExactly(0L, 0L);
        assertThat(LibcSystemClock.timeval(-999)).containsExactly(0L, 0L);
        assertThat(LibcSystemClock.timeval(-1_500_000_000L)).containsExactly(-1L, -500_000L);
    }

    @Test
    void libcBindsWithEverySymbolResolvedWithoutSettingAnything() {
        // failImmediately resolves settimeofday at load time; only strerror is called
        ClockLibC libc = LibraryLoader.create(ClockLibC.class).failImmediately().load("c");
        assertThat(libc.strerror(1)).isEqualTo("Operation not permitted");
    }
}
