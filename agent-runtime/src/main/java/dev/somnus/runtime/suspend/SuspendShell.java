package dev.somnus.runtime.suspend;

import dev.somnus.api.suspend.SuspendProvider;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo command {@code somnus:suspend}: prints every provider per mode with its rank, availability,
 * reason, evidence and action, and the hibernation preflight. {@code suspend} shows the answers as
 * they stand; {@code suspend probe} probes every provider first. Nothing here ever suspends.
 */
@Component(service = SuspendShell.class, configurationPid = SuspendSettings.PID,
        property = {"osgi.command.scope=somnus", "osgi.command.function=suspend"})
public final class SuspendShell {

    private final ProviderSet providers = new ProviderSet();
    private volatile SuspendSettings settings;

    @Activate
    public SuspendShell(SuspendSettings settings) {
        this.settings = settings;
    }

    /** A changed configuration applies to the next call; the service stays registered. */
    @Modified
    void modified(SuspendSettings changed) {
        settings = changed;
    }

    @Reference(service = SuspendProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProvider")
    void addProvider(SuspendProvider provider, ServiceReference<SuspendProvider> reference) {
        providers.add(provider, reference::getProperty);
    }

    void removeProvider(SuspendProvider provider) {
        providers.remove(provider);
    }

    /** {@code suspend}: the providers as they stand. */
    public String suspend() {
        return SupportReport.of(providers, settings, false).toText();
    }

    /** {@code suspend probe}: probe every provider, then show them. */
    public String suspend(String what) {
        if (!"probe".equals(what)) {
            return "usage: suspend [probe]";
        }
        for (ProviderSet.Ranked ranked : providers.current(java.util.Optional.empty())) {
            ranked.provider().probe();
        }
        return suspend();
    }
}
