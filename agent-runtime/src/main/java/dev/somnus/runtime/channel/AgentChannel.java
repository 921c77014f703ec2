package dev.somnus.runtime.channel;

import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import dev.somnus.runtime.protocol.QgaProtocol;

/**
 * The guest agent's channel to the host, configured like qemu-ga's {@code -m}, {@code -p} and
 * {@code -r} through framework properties the launcher sets: {@value ChannelSettings#METHOD}
 * ({@code virtio-serial} by default, {@code isa-serial}, {@code unix-listen}, {@code vsock-listen}),
 * {@value ChannelSettings#PATH} and {@value ChannelSettings#RETRY_PATH}. It runs the channel on its
 * own thread and hands the bytes to the {@link QgaProtocol} service.
 *
 * <p>If the channel cannot be opened (or fails later) and retry-path is off, the agent exits with
 * status 1 like qemu-ga: this component sets the system property {@value #EXIT_STATUS} to 1 and
 * stops the framework; the launcher exits with that status once the framework has stopped.
 */
@Component(name = "dev.somnus.runtime.channel")
public class AgentChannel {

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
    void activate(BundleContext context) {
        activate(context, RETRY_INTERVAL);
    }

    void activate(BundleContext context, Duration retryInterval) {
        ChannelLoop.SettingsSource settings = () -> ChannelSettings.from(context::getProperty,
                SocketActivation.detect(System::getenv, ProcessHandle.current().pid(), SocketActivation.FIRST_FD));
        loop = new ChannelLoop(settings, protocol, logger, retryInterval, () -> exit(context));
        loop.start();
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
