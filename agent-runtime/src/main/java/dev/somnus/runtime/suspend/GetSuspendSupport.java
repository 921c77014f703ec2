package dev.somnus.runtime.suspend;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.api.suspend.SuspendProvider;
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
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code __dev.somnus_get-suspend-support} (QMP downstream extension naming {@code __RFQDN_name}):
 * per mode whether it is supported, which provider would run, every provider's availability,
 * reason and sentence, and for disk and hybrid the hibernation preflight. Argument {@code dry-run}
 * (boolean, optional) adds the exact action each mode and each provider would run. Stale answers
 * are probed first, exactly as a suspend request would.
 */
@Component(service = Command.class, configurationPid = SuspendSettings.PID,
        property = Command.NAME_PROPERTY + "=" + GetSuspendSupport.NAME)
@Designate(ocd = SuspendSettings.class)
public final class GetSuspendSupport implements Command {

    static final String NAME = "__dev.somnus_get-suspend-support";

    private final ProviderSet providers = new ProviderSet();
    private volatile SuspendSettings settings;

    @Activate
    public GetSuspendSupport(SuspendSettings settings) {
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

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.optional("dry-run", JsonType.BOOLEAN));
    }

    @Override
    public Object execute(Map<String, Object> arguments) {
        return SupportReport.of(providers, settings, true).toJson(Boolean.TRUE.equals(arguments.get("dry-run")));
    }
}
