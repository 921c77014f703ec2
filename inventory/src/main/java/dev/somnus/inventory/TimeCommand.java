package dev.somnus.inventory;

import dev.somnus.api.command.Command;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code guest-get-time}: the wall clock in nanoseconds since the epoch. qemu-ga 7.2
 * ({@code qmp_guest_get_time}, qga/commands-posix.c) returns {@code g_get_real_time() * 1000}, so
 * the figure has microsecond resolution: the last three digits are always zero, here as well.
 */
@Component(service = Command.class, property = Command.NAME_PROPERTY + "=" + TimeCommand.NAME)
public final class TimeCommand implements Command {

    static final String NAME = "guest-get-time";

    private final Clock clock;

    public TimeCommand() {
        this(Clock.systemUTC());
    }

    TimeCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) {
        Instant now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        return micros * 1_000L;
    }
}
