package dev.somnus.power.commands;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.shutdown.ShutdownMode;
import dev.somnus.provider.common.ProviderDispatch;
import dev.somnus.provider.common.RankedProviders;
import java.time.Duration;
import java.util.EnumMap;
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
 * {@code guest-shutdown {mode: powerdown|halt|reboot}} (qga/commands-posix.c, qmp_guest_shutdown):
 * {@code mode} absent means powerdown, any other value is refused with qemu-ga's text before
 * anything runs, no reply on success (its {@code success-response: false}: the host waits for
 * QEMU's SHUTDOWN or RESET event). A request runs through {@link ProviderDispatch} over the
 * providers of family {@value ShutdownMode#FAMILY} and the request's mode: stale answers refreshed,
 * the available providers tried top-down (systemd, shutdown(8), BusyBox by default), falling
 * through on failure, the error naming every provider tried. The helpers survive the agent's stop
 * (the shutdown they hand on is what stops it), and a helper's exit 0 counts as done.
 * Acting and audited: in dry run the runtime asks {@link #explain(Map)} instead.
 */
@Component(service = Command.class, configurationPid = ShutdownSettings.PID,
        property = {Command.NAME_PROPERTY + "=" + ShutdownMode.COMMAND, Command.AUDITED + ":Boolean=true",
            Command.ACTING + ":Boolean=true"})
@Designate(ocd = ShutdownSettings.class)
public final class GuestShutdown implements Command {

    /** qemu-ga's text for another mode, unclosed parenthesis and all (qmp_guest_shutdown, 7.2 and later). */
    static final String INVALID_MODE = "mode is invalid (valid values are: halt|powerdown|reboot";

    /**
     * The error when no provider is available. qemu-ga 7.2 has no such case: it runs
     * {@code /sbin/shutdown} regardless, and where that cannot run its child exits 1 and it answers
     * this text. A host sees the same answer for the same guest; the providers' reasons are logged.
     */
    static final String NOT_SUPPORTED = "child process has failed to shutdown";

    private static final List<Parameter> PARAMETERS = List.of(Parameter.optional("mode", JsonType.STRING));

    private final RankedProviders providers = new RankedProviders();
    private final Map<ShutdownMode, ProviderDispatch> dispatch = new EnumMap<>(ShutdownMode.class);
    private final Logger logger;
    private volatile ShutdownSettings settings;

    @Activate
    public GuestShutdown(ShutdownSettings settings, @Reference(service = LoggerFactory.class) Logger logger) {
        this.settings = settings;
        this.logger = logger;
        for (ShutdownMode mode : ShutdownMode.values()) {
            dispatch.put(mode, new ProviderDispatch(ShutdownMode.COMMAND, ShutdownMode.FAMILY, mode.id(), providers,
                    NOT_SUPPORTED, () -> "", logger));
        }
    }

    /** A changed configuration applies to the next request; the command stays registered. */
    @Modified
    void modified(ShutdownSettings changed) {
        settings = changed;
    }

    @Reference(name = "providers", service = Provider.class,
            target = "(" + Provider.FAMILY + "=" + ShutdownMode.FAMILY + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProvider", updated = "updatedProvider")
    void addProvider(Provider provider, ServiceReference<Provider> reference) {
        providers.add(provider, reference);
        logger.debug("{}: provider {} for {} bound ({})", ShutdownMode.COMMAND, provider.name(), provider.mode(),
                reference.getProperty(Provider.REASON));
    }

    void updatedProvider(Provider provider, ServiceReference<Provider> reference) {
        logger.debug("{}: provider {} for {} is now {}", ShutdownMode.COMMAND, provider.name(), provider.mode(),
                reference.getProperty(Provider.REASON));
    }

    void removeProvider(Provider provider) {
        providers.remove(provider);
        logger.debug("{}: provider {} for {} unbound", ShutdownMode.COMMAND, provider.name(), provider.mode());
    }

    @Override
    public String name() {
        return ShutdownMode.COMMAND;
    }

    @Override
    public List<Parameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public boolean successResponse() {
        return false;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        // qemu-ga's syslog line, before the mode is checked
        logger.info("guest-shutdown called, mode: {}", arguments.get("mode"));
        ShutdownMode mode = mode(arguments);
        dispatch.get(mode).perform(arguments, staleAfter());
        return Map.of();
    }

    /** {@code run provider <name>: <action>} for the provider a request would run first. */
    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        return dispatch.get(mode(arguments)).explain(arguments, staleAfter());
    }

    /** qemu-ga's check: absent is powerdown, the three names are exact (case-sensitive, strcmp). */
    static ShutdownMode mode(Map<String, Object> arguments) throws CommandException {
        Object mode = arguments.get("mode");
        if (mode == null) {
            return ShutdownMode.POWERDOWN;
        }
        return ShutdownMode.fromId((String) mode).orElseThrow(() -> new CommandException(INVALID_MODE));
    }

    private Duration staleAfter() {
        return Duration.ofSeconds(Math.max(0, settings.staleAfterSeconds()));
    }
}
