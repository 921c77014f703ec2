package dev.somnus.runtime.channel;

import static dev.somnus.runtime.channel.RunningChannel.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.somnus.testkit.LauncherConfiguration;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogReaderService;

/**
 * The built bundle inside Felix with SCR and the OSGi Log service: proves that jnr-ffi, from the
 * shared dev.somnus.jnr bundle, works from this bundle's class space (virtio-serial is all native
 * calls; the generated classes need the dynamic import), that the component wires up, and that it
 * ends the framework on failure. The protocol is an echo service made of dynamic proxies over the
 * bundle's own (private) protocol interfaces.
 */
class ChannelIT {

    @TempDir
    Path dir;

    private Framework framework;
    private final List<String> peers = new CopyOnWriteArrayList<>();
    private org.osgi.framework.ServiceRegistration<?> echoRegistration;
    private final List<String> logged = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(10_000);
        }
        System.clearProperty(AgentChannel.EXIT_STATUS);
    }

    /**
     * @param channelProperties the configuration dev.somnus.agent.channel, set in Config Admin before
     *        the runtime starts, as the launcher does
     */
    private void boot(Map<String, String> channelProperties) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("org.osgi.framework.storage", dir.resolve("felix-cache").toString());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        // The log API comes from the test's class path so that the test can read the log.
        config.put("org.osgi.framework.system.packages.extra",
                "org.osgi.service.log;version=1.5.0,org.osgi.service.cm;version=1.6.0");
        config.put("org.osgi.service.log.admin.loglevel", "DEBUG");
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
        Bundle runtime = null;
        for (String name : List.of("function", "promise", "component", "configadmin", "scr", "log", "api", "jnr",
                "runtime")) {
            String path = System.getProperty("somnus.bundle." + name);
            Bundle bundle = framework.getBundleContext().installBundle(new File(path).toURI().toString());
            if (name.equals("runtime")) {
                runtime = bundle;
            }
        }
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if (bundle != runtime) {
                bundle.start();
            }
        }
        var context = framework.getBundleContext();
        context.getService(context.getServiceReference(LogReaderService.class))
                .addLogListener(entry -> logged.add(entry.getLogLevel() + ": " + entry.getMessage()));
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        for (Map.Entry<String, Map<String, Object>> pid : LauncherConfiguration.of(channelProperties).entrySet()) {
            admin.getConfiguration(pid.getKey(), "?").update(new Hashtable<>(pid.getValue()));
        }
        registerEchoProtocol(runtime);
        runtime.start();
    }

    /**
     * Registers the echo protocol with the highest ranking, so that the channel binds to it and not
     * to the bundle's own protocol engine.
     */
    private void registerEchoProtocol(Bundle runtime) throws ClassNotFoundException {
        // resolve (not start) the bundle so that its classes can be loaded
        assertThat(framework.adapt(org.osgi.framework.wiring.FrameworkWiring.class).resolveBundles(List.of(runtime)))
                .as("bundles resolve").isTrue();
        ClassLoader loader = runtime.adapt(org.osgi.framework.wiring.BundleWiring.class).getClassLoader();
        Class<?> protocolType = loader.loadClass("dev.somnus.runtime.protocol.QgaProtocol");
        Class<?> sessionType = loader.loadClass("dev.somnus.runtime.protocol.ProtocolSession");
        Class<?> sinkType = loader.loadClass("dev.somnus.runtime.protocol.ReplySink");
        Object protocol = Proxy.newProxyInstance(loader, new Class<?>[] {protocolType}, (proxy, method, args) -> {
            if (!method.getName().equals("openSession")) {
                return method.getName().equals("hashCode") ? 1 : method.getName().equals("equals") ? proxy == args[0] : "echo";
            }
            Object sink = args[0];
            peers.add((String) args[1]);
            Method write = sinkType.getMethod("write", byte[].class, int.class, int.class);
            Method flush = sinkType.getMethod("flush");
            return Proxy.newProxyInstance(loader, new Class<?>[] {sessionType}, (p, m, a) -> {
                if (m.getName().equals("receive")) {
                    write.invoke(sink, a[0], a[1], a[2]);
                    flush.invoke(sink);
                    return null;
                }
                return m.getName().equals("hashCode") ? 2 : m.getName().equals("equals") ? p == a[0] : "session";
            });
        });
        echoRegistration = framework.getBundleContext().registerService(protocolType.getName(), protocol,
                new java.util.Hashtable<>(Map.of(org.osgi.framework.Constants.SERVICE_RANKING, Integer.MAX_VALUE)));
    }

    @Test
    void servesUnixListenInsideFelix() throws Exception {
        Path socket = dir.resolve("qga.sock");
        boot(Map.of("method", "unix-listen", "path", socket.toString()));
        eventually("socket file appears", () -> Files.exists(socket));

        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            client.write(ByteBuffer.wrap("{\"execute\":\"guest-ping\"}".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(24);
            while (reply.hasRemaining() && client.read(reply) >= 0) {
                // echoed back
            }
            assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("{\"execute\":\"guest-ping\"}");
        }
        assertThat(peers).singleElement().asString().matches("unix uid=\\d+ gid=\\d+");
    }

    @Test
    void servesVirtioSerialThroughNativeCallsInsideFelix() throws Exception {
        Path port = Files.writeString(dir.resolve("port"), "ping\n");
        boot(Map.of("path", port.toString()));

        eventually("reply written after the request", () -> read(port).equals("ping\nping\n"));
        Files.writeString(port, "again\n", StandardOpenOption.APPEND);
        eventually("served again after EOF", () -> read(port).equals("ping\nping\nagain\nagain\n"));
        assertThat(peers).containsExactly("virtio-serial " + port);
    }

    @Test
    void survivesAnUpdateOfTheBundleWithItsNativeLibrary() throws Exception {
        Path port = Files.writeString(dir.resolve("port"), "one\n");
        boot(Map.of("path", port.toString()));
        eventually("first reply", () -> read(port).equals("one\none\n"));
        assertThat(logged).contains("INFO: serving virtio-serial on " + port);
        Bundle runtime = bundle("dev.somnus.agent.runtime");

        // A hot deploy: new class loader, so jffi must load its library a second time in this JVM.
        runtime.stop();
        echoRegistration.unregister();
        runtime.update();
        java.util.concurrent.CountDownLatch refreshed = new java.util.concurrent.CountDownLatch(1);
        framework.adapt(org.osgi.framework.wiring.FrameworkWiring.class).refreshBundles(null, event -> refreshed.countDown());
        assertThat(refreshed.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // The stand-in port is a file: the new channel reads it from the start again.
        Files.writeString(port, "two\n");
        registerEchoProtocol(runtime);
        runtime.start();

        eventually("reply from the updated bundle", () -> read(port).equals("two\ntwo\n"));
        assertThat(logged).filteredOn(line -> line.startsWith("ERROR")).isEmpty();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    @Test
    void aChannelThatCannotBeOpenedStopsTheFrameworkWithExitStatusOne() throws Exception {
        boot(Map.of("path", dir.resolve("missing").toString()));

        assertThat(framework.waitForStop(20_000).getType()).isEqualTo(org.osgi.framework.FrameworkEvent.STOPPED);
        assertThat(System.getProperty(AgentChannel.EXIT_STATUS)).isEqualTo("1");
        assertThat(logged).containsSubsequence(
                "ERROR: error opening channel '" + dir.resolve("missing") + "': No such file or directory",
                "ERROR: failed to create guest agent channel",
                "ERROR: failed to initialize guest agent channel");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
