package dev.somnus.runtime.dispatch;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.FrozenFileSystems;
import dev.somnus.runtime.protocol.ProtocolSession;
import dev.somnus.runtime.protocol.QgaProtocol;
import dev.somnus.runtime.protocol.ReplySink;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The QGA protocol service: a command whiteboard over every {@link Command} service. A command
 * registered later is callable and listed by {@code guest-info} at once; one unregistered answers
 * {@code CommandNotFound} from the next request on. Of several commands with one name the highest
 * {@code service.ranking} wins, then the lowest {@code service.id} (see {@link CommandTable}).
 *
 * <p>qemu-ga's block and allow lists and the version come from {@link ProtocolSettings} (PID
 * {@value ProtocolSettings#PID}, set by the launcher): a mandatory static reference, so this
 * component does not activate, and no request is answered, before they are in force.
 *
 * <p>Agent-wide policy through Config Admin (PID {@value #PID}): {@code dryRun}. What each command
 * is subject to it declares itself in its service properties ({@link Command#AUDITED},
 * {@link Command#ACTING}, {@link Command#ALLOWED_WHILE_FROZEN}); this component holds no list of
 * command names. While any {@link FrozenFileSystems} service is registered the guest counts as
 * frozen.
 */
@Component(service = QgaProtocol.class, configurationPid = QgaProtocolComponent.PID)
@Designate(ocd = QgaProtocolComponent.Config.class)
public final class QgaProtocolComponent implements QgaProtocol {

    /** The agent-wide configuration. */
    public static final String PID = Session.AGENT_PID;

    @ObjectClassDefinition(id = PID, name = "Somnus agent",
            description = "Agent-wide settings that apply to every command family.")
    public @interface Config {
        @AttributeDefinition(description = "Do everything but the action: every command that acts on the guest "
                + "answers an error naming what it would have done. somnus-ga --dry-run sets it.")
        boolean dryRun() default false;
    }

    /** Filled before activation by the bind method, then kept up to date. */
    private final CommandTable commands = new CommandTable();

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference
    private ProtocolSettings settings;

    private volatile QgaEngine engine;

    /** The FrozenFileSystems services now registered; frozen while there is one. */
    private final java.util.List<FrozenFileSystems> frozen = new CopyOnWriteArrayList<>();

    @Activate
    void activate(Config config) {
        Gate gate = settings.gate();
        String version = settings.version();
        QgaEngine created = QgaEngine.withAuditThread(commands, gate, version, logger);
        created.dryRun(config.dryRun());
        created.frozen(() -> !frozen.isEmpty());
        engine = created;
        logger.debug("QGA protocol {} ready, {}, dry run {}", version, gate, config.dryRun());
    }

    /** A changed dev.somnus.agent configuration applies to the next request; the protocol stays up. */
    @Modified
    void modified(Config config) {
        engine.dryRun(config.dryRun());
        logger.info("dry run is now {}", config.dryRun() ? "on" : "off");
    }

    @Reference(service = FrozenFileSystems.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "thawed")
    void frozen(FrozenFileSystems freeze) {
        frozen.add(freeze);
        if (logger != null) {
            logger.warn("file systems frozen ({}): only the commands allowed while frozen answer", freeze.describe());
        }
    }

    void thawed(FrozenFileSystems freeze) {
        frozen.remove(freeze);
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Override
    public ProtocolSession openSession(ReplySink sink, String peer) {
        return engine.openSession(sink, peer);
    }

    @Reference(
            service = Command.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeCommand",
            updated = "updatedCommand")
    void addCommand(Command command, Map<String, Object> properties) {
        try {
            commands.add(command, serviceId(properties), ranking(properties), properties);
            if (logger != null) {
                logger.debug("command {} added (service.id {})", command.name(), serviceId(properties));
            }
        } catch (RuntimeException e) {
            // one broken command must not keep the protocol from starting
            if (logger != null) {
                logger.warn("ignoring command service {}: {}", serviceId(properties), e.toString());
            }
        }
    }

    void removeCommand(Command command, Map<String, Object> properties) {
        commands.remove(serviceId(properties));
    }

    void updatedCommand(Command command, Map<String, Object> properties) {
        commands.update(serviceId(properties), ranking(properties), properties);
    }

    private static long serviceId(Map<String, Object> properties) {
        return ((Number) properties.get(Constants.SERVICE_ID)).longValue();
    }

    private static int ranking(Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        // the OSGi rule: a ranking that is not an Integer counts as 0
        return ranking instanceof Integer ? (Integer) ranking : 0;
    }
}
