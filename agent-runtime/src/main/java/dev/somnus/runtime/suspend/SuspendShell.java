package dev.somnus.runtime.suspend;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Gogo command {@code somnus:suspend}: prints every provider per mode with its rank, availability,
 * reason, evidence and action, and the hibernation preflight. {@code suspend} shows the answers as
 * they stand; {@code suspend probe} probes every provider first. Nothing here ever suspends.
 */
@Component(service = SuspendShell.class, configurationPid = SuspendSettings.PID,
        property = {"osgi.command.scope=somnus", "osgi.command.function=suspend"})
// the metatype of dev.somnus.suspend is designated here: the commands also read dev.somnus.agent
@Designate(ocd = SuspendSettings.class)
public final class SuspendShell extends ProviderView {

    @Activate
    public SuspendShell(SuspendSettings settings) {
        super(settings);
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
        for (ProviderSet.Ranked ranked : providers.current(java.util.Optional.empty())) {
            ranked.provider().probe();
        }
        return suspend();
    }
}
