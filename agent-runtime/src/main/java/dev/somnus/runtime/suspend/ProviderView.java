package dev.somnus.runtime.suspend;

import dev.somnus.api.suspend.SuspendProvider;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the support query and the shell command share: every SuspendProvider of every mode, followed
 * through the registry, and the dev.somnus.suspend settings, taken in place when they change (bnd
 * reads these annotations through -dsannotations-options: inherit).
 */
abstract class ProviderView {

    final ProviderSet providers = new ProviderSet();
    private volatile SuspendSettings settings;

    ProviderView(SuspendSettings settings) {
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

    /** The report as it stands, probing stale answers first when asked to (as a suspend request would). */
    final SupportReport report(boolean probeStale) {
        return SupportReport.of(providers, settings, probeStale);
    }
}
