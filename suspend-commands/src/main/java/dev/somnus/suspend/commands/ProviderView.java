package dev.somnus.suspend.commands;

import dev.somnus.api.provider.Provider;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.RankedProviders;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the support query and the shell command share: every suspend provider of every mode,
 * followed through the registry, and the dev.somnus.suspend settings (with the agent's dryRun),
 * taken in place when they change (bnd reads these annotations through -dsannotations-options:
 * inherit).
 */
abstract class ProviderView {

    final RankedProviders providers = new RankedProviders();
    private volatile SuspendSettings settings;
    private volatile AgentDryRun agent;

    ProviderView(SuspendSettings settings, AgentDryRun agent) {
        this.settings = settings;
        this.agent = agent;
    }

    /** A changed configuration applies to the next call; the service stays registered. */
    @Modified
    void modified(SuspendSettings changed, AgentDryRun changedAgent) {
        settings = changed;
        agent = changedAgent;
    }

    @Reference(service = Provider.class, target = "(" + Provider.FAMILY + "=" + SuspendMode.FAMILY + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProvider")
    void addProvider(Provider provider, ServiceReference<Provider> reference) {
        providers.add(provider, reference);
    }

    void removeProvider(Provider provider) {
        providers.remove(provider);
    }

    /** The report as it stands, probing stale answers first when asked to (as a suspend request would). */
    final SupportReport report(boolean probeStale) {
        return SupportReport.of(providers, settings, agent.dryRun(), probeStale);
    }
}
