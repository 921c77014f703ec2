package dev.somnus.suspend.commands;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code __dev.somnus_get-suspend-support} (QMP downstream extension naming {@code __RFQDN_name}):
 * per mode whether it is supported, which provider would run, every provider's availability,
 * reason and sentence, and for disk and hybrid the hibernation preflight. Argument {@code dry-run}
 * (boolean, optional) adds the exact action each mode and each provider would run. Stale answers
 * are probed first, exactly as a suspend request would.
 */
@Component(service = Command.class, configurationPid = {SuspendSettings.PID, AgentDryRun.PID},
        property = Command.NAME_PROPERTY + "=" + GetSuspendSupport.NAME)
public final class GetSuspendSupport extends ProviderView implements Command {

    static final String NAME = "__dev.somnus_get-suspend-support";

    @Activate
    public GetSuspendSupport(SuspendSettings settings, AgentDryRun agent) {
        super(settings, agent);
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
        return report(true).toJson(Boolean.TRUE.equals(arguments.get("dry-run")));
    }
}
