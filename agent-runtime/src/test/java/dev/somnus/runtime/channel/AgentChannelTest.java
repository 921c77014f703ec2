package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.eventually;
import static dev.somnus.runtime.channel.RunningChannel.creationFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The DS component with a stand-in bundle context: properties in, framework stop out. */
class AgentChannelTest {

    @TempDir
    Path dir;

    private final Map<String, String> properties = new HashMap<>();
    private final AtomicInteger frameworkStops = new AtomicInteger();
    private final EchoProtocol protocol = new EchoProtocol();
    private final RecordingLogger log = new RecordingLogger();

    @AfterEach
    void forgetExitStatus() {
        System.clearProperty(AgentChannel.EXIT_STATUS);
    }

    private BundleContext context() {
        Bundle systemBundle = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("stop")) {
                        frameworkStops.incrementAndGet();
                    }
                    return method.getReturnType() == long.class ? 0L : null;
                });
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return properties.get((String) args[0]);
                        case "getBundle":
                            return args != null && args.length == 1 && (Long) args[0] == 0L ? systemBundle : null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private AgentChannel component() {
        AgentChannel component = new AgentChannel();
        component.protocol = protocol;
        component.logger = log.logger;
        return component;
    }

    private static Set<Thread> channelThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("somnus-channel") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void servesTheConfiguredChannelAndDeactivationEndsItsThread() throws IOException {
        Path socket = dir.resolve("qga.sock");
        properties.put("method", "unix-listen");
        properties.put("path", socket.toString());
        Set<Thread> before = channelThreads();
        AgentChannel component = component();

        component.activate(context(), new HashMap<>(properties));
        eventually("socket file appears", () -> Files.exists(socket));
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            client.write(ByteBuffer.wrap("hi\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(3);
            while (reply.hasRemaining() && client.read(reply) >= 0) {
                // the agent answers
            }
            assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("hi\n");
            assertThat(channelThreads()).hasSize(before.size() + 1);

            component.deactivate();
        }

        assertThat(channelThreads()).isEqualTo(before);
        assertThat(frameworkStops).hasValue(0);
        assertThat(System.getProperty(AgentChannel.EXIT_STATUS)).isNull();
    }

    @Test
    void aChannelThatCannotBeOpenedSetsExitStatusOneAndStopsTheFramework() {
        properties.put("path", dir.resolve("no-such-port").toString());
        AgentChannel component = component();

        component.activate(context(), new HashMap<>(properties));
        eventually("framework stop requested", () -> frameworkStops.get() == 1);

        assertThat(System.getProperty(AgentChannel.EXIT_STATUS)).isEqualTo("1");
        assertThat(log.at("error"))
                .containsExactlyElementsOf(creationFailure("error opening channel '" + dir.resolve("no-such-port") + "': No such file or directory"));
        component.deactivate(); // what the framework does next
    }

    @Test
    void withRetryPathTheFrameworkKeepsRunning() {
        properties.put("path", dir.resolve("no-such-port").toString());
        properties.put("retryPath", "true");
        AgentChannel component = component();

        component.activate(context(), new HashMap<>(properties), Duration.ofMillis(10));
        eventually("several attempts", () -> log.at("warn").size() >= 3);
        component.deactivate();

        assertThat(frameworkStops).hasValue(0);
        assertThat(System.getProperty(AgentChannel.EXIT_STATUS)).isNull();
    }

    /** fileinstall would replace the launcher's whole configuration with a file's: not taken, no channel opens. */
    @Test
    void aConfigurationFromAFileIsRefusedAndNoChannelOpens() {
        Set<Thread> before = channelThreads();
        properties.put("method", "unix-listen");
        properties.put("path", dir.resolve("qga.sock").toString());
        properties.put("felix.fileinstall.filename", "file:/opt/somnus/conf/dev.somnus.agent.channel.cfg");
        AgentChannel component = component();

        assertThatThrownBy(() -> component.activate(context(), new HashMap<>(properties)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("configuration dev.somnus.agent.channel comes from file:/opt/somnus/conf/"
                        + "dev.somnus.agent.channel.cfg: only the launcher sets it (from qemu-ga's options and"
                        + " qemu-ga.conf); remove the file");
        assertThat(channelThreads()).isEqualTo(before);
        assertThat(dir.resolve("qga.sock")).doesNotExist();
    }
}
