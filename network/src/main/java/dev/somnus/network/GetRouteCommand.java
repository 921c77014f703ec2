package dev.somnus.network;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * {@code guest-network-get-route}, which qemu-ga has since 9.1 (7.2 answers CommandNotFound): the
 * IPv4 and IPv6 routing tables of {@code <root>/proc/net}, see {@link RouteTable}. KubeVirt's
 * optional VM stats collector asks for it.
 */
@Component(service = Command.class, configurationPid = NetworkConfiguration.PID,
        property = Command.NAME_PROPERTY + "=" + GetRouteCommand.NAME)
public final class GetRouteCommand implements Command {

    static final String NAME = "guest-network-get-route";

    private volatile RouteTable table;

    @Activate
    public GetRouteCommand(NetworkConfiguration config) {
        this(Path.of(config.root()));
    }

    GetRouteCommand(Path root) {
        table = new RouteTable(root);
    }

    /** A changed root applies to the next request; the command stays registered. */
    @Modified
    void modified(NetworkConfiguration config) {
        table = new RouteTable(Path.of(config.root()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        return table.routes();
    }
}
