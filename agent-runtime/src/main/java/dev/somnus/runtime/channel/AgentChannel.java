package dev.somnus.runtime.channel;

import java.time.Duration;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * The guest agent's channel to the host, configured like qemu-ga's {@code -m}, {@code -p} and
 * {@code -r} through the configuration {@value #PID} (see {@link Config}), which the launcher puts
 * into Config Admin from qemu-ga's flags and key file before SCR starts. The component requires it
 * ({@link ConfigurationPolicy#REQUIRE}): no channel opens on defaults the launcher did not choose.
 * It runs the channel on its own thread and hands the bytes to the {@link QgaProtocol} service.
 *
 * <p>The PID is the launcher's alone: a configuration that fileinstall made from a file in conf/
 * or deploy/ (it carries {@value #FILEINSTALL_FILENAME}) is refused, the launcher refuses to start
 * with such a file, and no shipped .cfg names the PID.
 *
 * <p>If the channel cannot be opened (or fails later) and retry-path is off, the agent exits with
 * status 1 like qemu-ga: this component sets the system property {@value #EXIT_STATUS} to 1 and
 * stops the framework; the launcher exits with that status once the framework has stopped.
 */
@Component(name = "dev.somnus.runtime.channel", configurationPid = AgentChannel.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AgentChannel.Config.class)
public class AgentChannel {

    /** The channel's configuration, set by the launcher only. */
    public static final String PID = "dev.somnus.agent.channel";

    /** The property fileinstall adds to every configuration it makes from a file. */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    @ObjectClassDefinition(id = PID, name = "Somnus channel",
            description = "The channel to the host, qemu-ga's -m, -p and -r; set by the launcher from its "
                    + "command line and qemu-ga.conf, never from conf/.")
    public @interface Config {
        @AttributeDefinition(description = "virtio-serial, isa-serial, unix-listen or vsock-listen (qemu-ga -m)")
        String method() default "virtio-serial";

        @AttributeDefinition(required = false, description = "Device, socket path or vsock address (qemu-ga -p);"
                + " unset: the method's default device")
        String path();

        @AttributeDefinition(description = "Wait for the path to appear and reopen it when it fails (qemu-ga -r)")
        boolean retryPath() default false;
    }

    /** System property the launcher reads after the framework stopped. */
    public static final String EXIT_STATUS = "somnus.ga.exit-status";

    /** qemu-ga's QGA_RETRY_INTERVAL. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

    @Reference
    QgaProtocol protocol;

    @Reference(service = LoggerFactory.class)
    Logger logger;

    private ChannelLoop loop;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        activate(context, properties, RETRY_INTERVAL);
    }

    void activate(BundleContext context, Map<String, Object> properties, Duration retryInterval) {
        refuseFileConfiguration(PID, properties);
        ChannelLoop.SettingsSource settings = () -> ChannelSettings.from(key -> text(properties.get(key)),
                SocketActivation.detect(System::getenv, ProcessHandle.current().pid(), SocketActivation.FIRST_FD));
        loop = new ChannelLoop(settings, protocol, logger, retryInterval, () -> exit(context));
        loop.start();
    }

    /**
     * Refuses a configuration fileinstall made from a file: it replaces the launcher's whole
     * configuration with the file's content, so settings the file omits would silently vanish.
     * Throwing keeps the component from activating (SCR logs the reason).
     */
    public static void refuseFileConfiguration(String pid, Map<String, Object> properties) {
        Object file = properties.get(FILEINSTALL_FILENAME);
        if (file != null) {
            throw new IllegalStateException("configuration " + pid + " comes from " + file
                    + ": only the launcher sets it (from qemu-ga's options and qemu-ga.conf); remove the file");
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    @Deactivate
    void deactivate() {
        loop.stop();
    }

    private void exit(BundleContext context) {
        System.setProperty(EXIT_STATUS, "1");
        try {
            // Felix stops the framework on its own thread, which then deactivates this component.
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException | SecurityException e) {
            logger.error("cannot stop the framework to exit: " + e);
        }
    }
}
