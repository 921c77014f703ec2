package dev.somnus.runtime.suspend;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendProvider;
import java.util.Map;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.log.Logger;

/**
 * The body of the three {@code guest-suspend-*} commands: no parameters, no reply on success
 * (qga-reference §1.6). Each subclass is a component that binds the SuspendProvider services of its
 * mode (target filter on {@code somnus.suspend.mode}) and hands them to {@link #providers}.
 */
abstract class SuspendCommand implements Command {

    final ProviderSet providers = new ProviderSet();
    private final SuspendMode mode;
    private volatile SuspendSettings settings;
    private final Logger logger;

    SuspendCommand(SuspendMode mode, SuspendSettings settings, Logger logger) {
        this.mode = mode;
        this.settings = settings;
        this.logger = logger;
    }

    /**
     * A changed dev.somnus.suspend configuration (dry run switched on, say) applies to the next
     * request; the command stays registered, so a host never meets CommandNotFound while
     * configuration arrives (bnd reads this annotation through -dsannotations-options: inherit).
     */
    @Modified
    void modified(SuspendSettings changed) {
        settings = changed;
    }

    @Override
    public final String name() {
        return mode.command();
    }

    @Override
    public final boolean successResponse() {
        return false;
    }

    @Override
    public final Object execute(Map<String, Object> arguments) throws CommandException {
        SuspendDispatch.suspend(mode, providers, settings, logger);
        return Map.of();
    }

    /** The dry run's words: the provider a request would use now, and its exact action. */
    @Override
    public final String explain(Map<String, Object> arguments) throws CommandException {
        return SuspendDispatch.explain(mode, providers, settings, logger);
    }

    final void bound(SuspendProvider provider, ServiceReference<SuspendProvider> reference) {
        providers.add(provider, reference::getProperty);
        logger.debug("{}: provider {} bound ({})", mode.command(), provider.provider(),
                reference.getProperty(SuspendProvider.REASON));
    }

    final void changed(SuspendProvider provider, ServiceReference<SuspendProvider> reference) {
        logger.debug("{}: provider {} is now {}", mode.command(), provider.provider(),
                reference.getProperty(SuspendProvider.REASON));
    }

    final void unbound(SuspendProvider provider) {
        providers.remove(provider);
        logger.debug("{}: provider {} unbound", mode.command(), provider.provider());
    }
}
