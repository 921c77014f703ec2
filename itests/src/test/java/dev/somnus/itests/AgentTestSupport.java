package dev.somnus.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import dev.somnus.testkit.LauncherConfiguration;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What every integration test boots: Felix with SCR, Config Admin, the OSGi Log service and our
 * bundles, taken from the reactor's jars (their paths arrive as system properties from failsafe,
 * stack.md "Pax Exam traps" item 1). The channel listens on a unix socket in a fresh folder, whose
 * path the test reads back from the framework property {@value #SOCKET_PROPERTY}; before each test
 * the channel's and the protocol's configurations are set as the launcher would
 * ({@link LauncherConfiguration}): the runtime does not activate without them.
 *
 * <p>The host's side ({@link dev.somnus.testkit.QgaClient}, {@link dev.somnus.testkit.FakeGuest})
 * comes from the plain host-testkit jar on the test class path: the probe bundle Pax Exam builds
 * holds only this module's test classes, so the system bundle exports the testkit's package
 * (the native container runs Felix in this JVM, where the class path can load it).
 */
public abstract class AgentTestSupport {

    /** Where the test finds the channel's socket (read by no bundle). */
    static final String SOCKET_PROPERTY = "somnus.it.socket";

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    /** What somnus-ga's launcher sets before SCR starts; once per framework. */
    @Before
    public void configureAsTheLauncherWould() throws IOException {
        for (Map.Entry<String, Map<String, Object>> pid : LauncherConfiguration.unixListen(socket()).entrySet()) {
            Configuration configuration = configurationAdmin.getConfiguration(pid.getKey(), "?");
            if (configuration.getProperties() == null) {
                configuration.update(new Hashtable<>(pid.getValue()));
            }
        }
    }

    /**
     * A framework with our core bundles started. Provider and test bundles are installed by the tests
     * themselves ({@link #install}), after they have pointed the providers at fake roots: with their
     * default configuration the providers would probe this machine's real /sys/power.
     */
    protected static Option agentFramework() {
        Path dir;
        try {
            dir = Files.createTempDirectory("somnus-it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return composite(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                frameworkProperty(SOCKET_PROPERTY).value(dir.resolve("qga.sock").toString()),
                frameworkProperty("somnus.ga.statedir").value(dir.toString()),
                frameworkProperty("org.osgi.service.log.admin.loglevel").value("INFO"),
                systemPackage("dev.somnus.testkit"),
                junitBundles(),
                jar("bundle.component"), jar("bundle.promise"), jar("bundle.function"),
                jar("bundle.scr"), jar("bundle.configadmin"), jar("bundle.log"),
                jar("bundle.api"), jar("bundle.jnr"), jar("bundle.reaper"), jar("bundle.runtime"),
                // the suspend commands: they act only through providers, which the tests install
                jar("bundle.commands"));
    }

    protected static UrlProvisionOption jar(String property) {
        String path = System.getProperty(property);
        if (path == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the ITs through failsafe");
        }
        return bundle(new File(path).toURI().toString());
    }

    /** Installs (not starts) the bundle whose jar path is in the given system property. */
    protected Bundle install(String property) throws BundleException {
        return context.installBundle(new File(System.getProperty(property)).toURI().toString());
    }

    protected Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    protected Path socket() {
        return Path.of(context.getProperty(SOCKET_PROPERTY));
    }

    /** Polls until the condition holds or fails the test after the timeout. */
    protected static void eventually(String what, long timeout, TimeUnit unit, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
