package dev.somnus.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeCommandTest {

    @Test
    void nanosecondsAtMicrosecondResolutionLikeGGetRealTime() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_796_408_008L, 123_456_789), ZoneOffset.UTC);
        assertThat(new TimeCommand(clock).execute(Map.of())).isEqualTo(1_796_408_008_123_456_000L);
    }

    @Test
    void theEpochItself() {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        assertThat(new TimeCommand(clock).execute(Map.of())).isEqualTo(0L);
    }

    @Test
    void theSystemClockByDefault() {
        long before = System.currentTimeMillis() * 1_000_000L;
        long now = (Long) new TimeCommand().execute(Map.of());
        long after = (System.currentTimeMillis() + 1) * 1_000_000L;
        assertThat(now).isBetween(before, after);
        assertThat(now % 1000).isZero();
    }
}
