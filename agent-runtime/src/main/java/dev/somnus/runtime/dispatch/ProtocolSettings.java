package dev.somnus.runtime.dispatch;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.somnus.runtime.channel.AgentChannel;

/**
 * The protocol's settings from qemu-ga's flags: {@code -b/block-rpcs}, {@code -a/allow-rpcs} and
 * the version {@code guest-info} reports, in the configuration {@value #PID} that the launcher puts
 * into Config Admin before SCR starts. The component requires it, and {@link QgaProtocolComponent}
 * requires this service, so the protocol never answers a request before the launcher's lists are
 * in force. A configuration from a file (fileinstall) is refused: it would replace the launcher's
 * lists with whatever the file says, an omitted block list meaning none.
 */
@Component(service = ProtocolSettings.class, configurationPid = ProtocolSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ProtocolSettings.Config.class)
public final class ProtocolSettings {

    /** Set by the launcher only; no shipped .cfg names it, and the launcher refuses to start with one. */
    public static final String PID = "dev.somnus.agent.protocol";

    @ObjectClassDefinition(id = PID, name = "Somnus protocol",
            description = "qemu-ga's -b, -a and the protocol version; set by the launcher from its command line "
                    + "and qemu-ga.conf, never from conf/.")
    public @interface Config {
        @AttributeDefinition(required = false, description = "Commands answered with 'has been disabled' (qemu-ga -b)")
        String[] blockRpcs();

        @AttributeDefinition(required = false, description = "When set, only these commands are enabled (qemu-ga -a)")
        String[] allowRpcs();

        @AttributeDefinition(description = "guest-info's version")
        String version() default QgaEngine.DEFAULT_VERSION;
    }

    private volatile Gate gate;
    private volatile String version;

    @Activate
    void activate(Config config, Map<String, Object> properties) {
        AgentChannel.refuseFileConfiguration(PID, properties);
        gate = Gate.of(list(config.blockRpcs()), list(config.allowRpcs()));
        version = config.version() == null || config.version().isBlank() ? QgaEngine.DEFAULT_VERSION : config.version();
    }

    Gate gate() {
        return gate;
    }

    String version() {
        return version;
    }

    // Gate reads qemu-ga's comma lists; an unset or empty allow list is no allow list, as in qemu-ga.
    private static String list(String[] names) {
        return names == null ? null : String.join(",", names);
    }
}
