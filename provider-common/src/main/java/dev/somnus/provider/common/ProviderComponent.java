package dev.somnus.provider.common;

import dev.somnus.api.process.ChildProcesses;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/**
 * What every provider component does around its own configuration, so that the component only
 * says how its configuration becomes settings and methods: at activation it wraps the reaper in
 * {@link ProviderChildren} and registers its modes ({@link ProviderRegistrations}), a changed
 * configuration is applied in place (the services stay registered), another changed input (the
 * reaper's trusted directories) makes every answer stale, and deactivation withdraws the services
 * first, then refuses new helpers and ends those still running (one surviving the stop, a
 * shutdown, is left to finish: see ProviderChildren).
 *
 * @param <C> the component's configuration type
 */
public final class ProviderComponent<C> {

    private final Function<C, ProviderSettings> settings;
    private final BiFunction<C, ChildProcesses, Map<String, ProviderMethod>> methods;
    private final ProviderChildren children;
    private final ProviderRegistrations registrations;

    /**
     * Registers the provider's modes, each probed first (call from the component's activate).
     *
     * @param settings the provider-independent part of a configuration
     * @param methods the modes a configuration describes, their helpers started through the children given
     */
    public ProviderComponent(BundleContext context, String family, C config, ChildProcesses reaper, Logger logger,
            Function<C, ProviderSettings> settings, BiFunction<C, ChildProcesses, Map<String, ProviderMethod>> methods) {
        this.settings = settings;
        this.methods = methods;
        this.children = new ProviderChildren(reaper, settings.apply(config).provider());
        this.registrations = ProviderRegistrations.register(context, family, settings.apply(config),
                methods.apply(config, children), logger);
    }

    /** Applies a changed configuration in place (ProviderRegistrations#reconfigure). */
    public void reconfigure(C config) {
        registrations.reconfigure(settings.apply(config), methods.apply(config, children));
    }

    /** Another input of the probes changed: every answer is stale and probed again (ProviderRegistrations#inputsChanged). */
    public void inputsChanged() {
        registrations.inputsChanged();
    }

    /** Withdraws the services, then closes the children (call from the component's deactivate). */
    public void close() {
        registrations.close();
        children.close();
    }
}
