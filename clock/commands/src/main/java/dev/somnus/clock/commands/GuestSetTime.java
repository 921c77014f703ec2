package dev.somnus.clock.commands;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.api.provider.Provider;
import dev.somnus.clock.ClockFamily;
import dev.somnus.clock.SystemClock;
import dev.somnus.clock.SystemClockException;
import dev.somnus.provider.common.ProviderDispatch;
import dev.somnus.provider.common.RankedProviders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code guest-set-time {time?}} as qemu-ga 7.2 does it (qga/commands-posix.c, qmp_guest_set_time),
 * with the hardware clock reached through ranked providers instead of {@code /sbin/hwclock} only:
 * <ol>
 * <li>no provider of the mode available (qemu-ga: {@code /sbin/hwclock} not executable) or no
 * {@link SystemClock} registered: {@code this feature or command is not currently supported},
 * before anything is set;</li>
 * <li>with {@code time}: qemu-ga's range checks ({@link RequestedTime}), then the system clock is
 * set ({@code Failed to set time to guest: <strerror>}), then a provider of mode {@code set} writes
 * it into the RTC ({@code hwclock -w});</li>
 * <li>without {@code time}: a provider of mode {@code sync} sets the system clock from the RTC
 * ({@code hwclock -s});</li>
 * <li>every available provider failed: qemu-ga's {@code hwclock failed to set hardware clock to
 * system time}, followed by what each provider tried and why it failed, in parentheses.</li>
 * </ol>
 * Success is {@code {}}. Acting and audited: in dry run the runtime asks {@link #explain(Map)}.
 */
@Component(service = Command.class, configurationPid = ClockSettings.PID,
        property = {Command.NAME_PROPERTY + "=" + GuestSetTime.NAME, Command.AUDITED + ":Boolean=true",
                Command.ACTING + ":Boolean=true"})
@Designate(ocd = ClockSettings.class)
public final class GuestSetTime implements Command {

    static final String NAME = "guest-set-time";
    /** qemu-ga's QERR_UNSUPPORTED. */
    static final String NOT_SUPPORTED = "this feature or command is not currently supported";
    /** qemu-ga's text when hwclock exits non-zero, in either direction. */
    static final String RTC_FAILED = "hwclock failed to set hardware clock to system time";

    private final RankedProviders providers = new RankedProviders();
    private final ProviderDispatch set;
    private final ProviderDispatch sync;
    private final Logger logger;
    private volatile ClockSettings settings;
    private volatile SystemClock systemClock;

    @Activate
    public GuestSetTime(ClockSettings settings, @Reference(service = LoggerFactory.class) Logger logger) {
        this.settings = settings;
        this.logger = logger;
        this.set = new ProviderDispatch(NAME, ClockFamily.FAMILY, ClockFamily.SET, providers, NOT_SUPPORTED,
                () -> "", logger);
        this.sync = new ProviderDispatch(NAME, ClockFamily.FAMILY, ClockFamily.SYNC, providers, NOT_SUPPORTED,
                () -> "", logger);
    }

    /** A changed configuration applies to the next request; the command stays registered. */
    @Modified
    void modified(ClockSettings changed) {
        settings = changed;
    }

    @Reference(name = "providers", service = Provider.class,
            target = "(" + Provider.FAMILY + "=" + ClockFamily.FAMILY + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProvider")
    void addProvider(Provider provider, ServiceReference<Provider> reference) {
        providers.add(provider, reference);
    }

    void removeProvider(Provider provider) {
        providers.remove(provider);
    }

    /** The highest-ranked SystemClock; none means the agent may not change the clock. */
    @Reference(name = "systemClock", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeSystemClock")
    void setSystemClock(SystemClock clock) {
        systemClock = clock;
    }

    void removeSystemClock(SystemClock clock) {
        if (systemClock == clock) {
            systemClock = null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional(ClockFamily.TIME, JsonType.INTEGER));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        Long time = (Long) arguments.get(ClockFamily.TIME);
        SystemClock clock = permittedClock();
        ProviderDispatch dispatch = time != null ? set : sync;
        // qemu-ga checks /sbin/hwclock before anything else, and sets nothing when it is missing
        dispatch.explain(arguments, staleAfter());
        if (time != null) {
            RequestedTime.check(time);
            try {
                clock.set(time);
            } catch (SystemClockException e) {
                logger.warn("{}: the system clock refused {}: {}", NAME, RequestedTime.text(time), e.getMessage());
                throw new CommandException(RequestedTime.REFUSED + ": " + e.getMessage());
            }
            logger.info("{}: system clock set to {}", NAME, RequestedTime.text(time));
        }
        try {
            dispatch.perform(time != null ? Map.of(ClockFamily.TIME, time) : Map.of(), staleAfter());
        } catch (CommandException e) {
            if (NOT_SUPPORTED.equals(e.getMessage())) {
                // every provider went away between the check and the action
                throw e;
            }
            throw new CommandException(RTC_FAILED + " (" + e.getMessage() + ")");
        }
        return Map.of();
    }

    /**
     * What execute would do, after the same checks (and with the same errors): e.g. {@code set the
     * system clock to 2026-12-04T18:00:00Z, then run provider hwclock: exec /sbin/hwclock -w}.
     */
    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        Long time = (Long) arguments.get(ClockFamily.TIME);
        permittedClock();
        if (time == null) {
            return sync.explain(arguments, staleAfter());
        }
        String rtc = set.explain(arguments, staleAfter());
        RequestedTime.check(time);
        return "set the system clock to " + RequestedTime.text(time) + ", then " + rtc;
    }

    private SystemClock permittedClock() throws CommandException {
        SystemClock clock = systemClock;
        if (clock == null) {
            logger.info("{}: no SystemClock service is registered (PID dev.somnus.clock.system absent or "
                    + "enabled=false): the agent may not change the system clock", NAME);
            throw new CommandException(NOT_SUPPORTED);
        }
        return clock;
    }

    private Duration staleAfter() {
        return Duration.ofSeconds(Math.max(0, settings.staleAfterSeconds()));
    }
}
