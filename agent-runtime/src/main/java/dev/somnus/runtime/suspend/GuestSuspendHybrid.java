package dev.somnus.runtime.suspend;

import dev.somnus.api.command.Command;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendProvider;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** {@code guest-suspend-hybrid}: see {@link SuspendDispatch}. */
@Component(service = Command.class, configurationPid = {SuspendSettings.PID, SuspendSettings.AGENT_PID},
        property = {Command.NAME_PROPERTY + "=guest-suspend-hybrid", Command.AUDITED + ":Boolean=true",
                Command.ACTING + ":Boolean=true"})
public final class GuestSuspendHybrid extends SuspendCommand {

    @Activate
    public GuestSuspendHybrid(SuspendSettings settings, @Reference(service = LoggerFactory.class) Logger logger) {
        super(SuspendMode.HYBRID, settings, logger);
    }

    @Reference(service = SuspendProvider.class, target = "(" + SuspendProvider.MODE + "=hybrid)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProvider", updated = "updatedProvider")
    void addProvider(SuspendProvider provider, ServiceReference<SuspendProvider> reference) {
        bound(provider, reference);
    }

    void updatedProvider(SuspendProvider provider, ServiceReference<SuspendProvider> reference) {
        changed(provider, reference);
    }

    void removeProvider(SuspendProvider provider) {
        unbound(provider);
    }
}
