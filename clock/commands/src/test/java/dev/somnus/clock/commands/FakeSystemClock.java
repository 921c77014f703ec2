package dev.somnus.clock.commands;

import dev.somnus.clock.SystemClock;
import dev.somnus.clock.SystemClockException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A system clock that only remembers what it was set to (or refuses, like a kernel without CAP_SYS_TIME). */
final class FakeSystemClock implements SystemClock {

    final List<Long> sets = new CopyOnWriteArrayList<>();
    volatile SystemClockException refusal;

    @Override
    public void set(long epochNanos) throws SystemClockException {
        if (refusal != null) {
            throw refusal;
        }
        sets.add(epochNanos);
    }
}
