package dev.somnus.suspend.commands;

import dev.somnus.provider.common.RankedProviders;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Gogo command {@code somnus:suspend}: prints every provider per mode with its rank, availability,
 * reason, evidence and action, and the hibernation preflight. {@code suspend} shows the answers as
 * they stand; {@code suspend probe} probes every provider first. Nothing here ever suspends.
 */
@Component(service = SuspendShell.class, configurationPid = {SuspendSettings.PID, AgentDryRun.PID},
        property = {"osgi.command.scope=somnus", "osgi.command.function=suspend"})
public final class SuspendShell extends ProviderView {

    @Activate
    public SuspendShell(SuspendSettings settings, AgentDryRun agent) {
        super(settings, agent);
    }

    /** {@code suspend}: the providers as they stand. */
    public String suspend() {
        return report(false).toText();
    }

    /** {@code suspend probe}: probe every provider, then show them. */
    public String suspend(String what) {
        if (!"probe".equals(what)) {
            return "usage: suspend [probe]";
        }
        for (RankedProviders.Ranked ranked : providers.current(Optional.empty())) {
            ranked.provider().probe();
        }
        return suspend();
    }
}
