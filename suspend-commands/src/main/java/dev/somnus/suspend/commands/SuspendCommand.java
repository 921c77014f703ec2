package dev.somnus.suspend.commands;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.ProviderDispatch;
import dev.somnus.provider.common.RankedProviders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
 * {@code guest-suspend-disk}, {@code -ram} and {@code -hybrid}: one component, three instances.
 * Each instance is made by {@link SuspendCommands} from this factory with its {@code mode}, its wire
 * name and the target filter of its {@code providers} reference
 * ({@code providers.target = (&(somnus.provider.family=suspend)(somnus.provider.mode=<mode>))}),
 * so it binds the suspend providers of its mode only. No parameters, no reply on success
 * (qga-reference §1.6); a request runs through {@link ProviderDispatch}: refresh stale answers, try
 * the available providers top-down, fall through on failure, qemu-ga's text when none is available.
 * Acting and audited (the runtime's policy properties): in dry run the runtime asks
 * {@link #explain(Map)} instead of calling {@link #execute(Map)}.
 */
@Component(factory = SuspendCommand.FACTORY, service = Command.class, configurationPid = SuspendSettings.PID,
        property = {Command.AUDITED + ":Boolean=true", Command.ACTING + ":Boolean=true"})
@Designate(ocd = SuspendSettings.class)
public final class SuspendCommand implements Command {

    /** The component factory's name ({@code component.factory}). */
    static final String FACTORY = "dev.somnus.suspend.command";

    /** qemu-ga's text when no provider is available (qga/commands-posix.c, guest_suspend). */
    static final String NOT_SUPPORTED = "the requested suspend mode is not supported by the guest";

    /** What each instance is given by {@link SuspendCommands} (besides its name and target filter). */
    @interface Instance {
        /** The {@link SuspendMode#id()}: {@code disk}, {@code ram} or {@code hybrid}. */
        String mode();
    }

    private final SuspendMode mode;
    private final RankedProviders providers = new RankedProviders();
    private final ProviderDispatch dispatch;
    private final Logger logger;
    private volatile SuspendSettings settings;

    @Activate
    public SuspendCommand(Instance instance, SuspendSettings settings,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this.mode = SuspendMode.fromId(instance.mode())
                .orElseThrow(() -> new IllegalArgumentException("unknown suspend mode " + instance.mode()));
        this.settings = settings;
        this.logger = logger;
        this.dispatch = new ProviderDispatch(mode.command(), SuspendMode.FAMILY, mode.id(), providers, NOT_SUPPORTED,
                this::hibernationWarnings, logger);
    }

    /**
     * A changed dev.somnus.suspend configuration applies to the next request; the command stays
     * registered, so a host never meets CommandNotFound while configuration arrives.
     */
    @Modified
    void modified(SuspendSettings changed) {
        settings = changed;
    }

    @Reference(name = "providers", service = Provider.class,
            target = "(" + Provider.FAMILY + "=" + SuspendMode.FAMILY + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProvider", updated = "updatedProvider")
    void addProvider(Provider provider, ServiceReference<Provider> reference) {
        providers.add(provider, reference);
        logger.debug("{}: provider {} bound ({})", mode.command(), provider.name(),
                reference.getProperty(Provider.REASON));
    }

    void updatedProvider(Provider provider, ServiceReference<Provider> reference) {
        logger.debug("{}: provider {} is now {}", mode.command(), provider.name(), reference.getProperty(Provider.REASON));
    }

    void removeProvider(Provider provider) {
        providers.remove(provider);
        logger.debug("{}: provider {} unbound", mode.command(), provider.name());
    }

    @Override
    public String name() {
        return mode.command();
    }

    @Override
    public boolean successResponse() {
        return false;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        dispatch.perform(Map.of(), staleAfter());
        return Map.of();
    }

    /** {@code run provider <name>: <action>} for the provider a request would run first. */
    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        return dispatch.explain(Map.of(), staleAfter());
    }

    private Duration staleAfter() {
        return Duration.ofSeconds(Math.max(0, settings.staleAfterSeconds()));
    }

    /**
     * Named in the error when every hibernation attempt failed (disk and hybrid): the preflight's
     * warnings, which often say why (no swap, no resume device, lockdown).
     */
    private String hibernationWarnings() {
        if (mode == SuspendMode.RAM) {
            return "";
        }
        List<HibernationPreflight.Check> warnings = HibernationPreflight.of(settings).warnings();
        return warnings.isEmpty() ? ""
                : "hibernation preflight: " + warnings.stream().map(Object::toString).collect(Collectors.joining("; "));
    }
}
