package dev.somnus.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.somnus.api.provider.Provider;
import dev.somnus.testkit.FakeGuest;
import dev.somnus.testkit.QgaClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The three provider bundles in the running agent, seen by a host on the agent's socket: ranking
 * across systemd, pm-utils and sysfs, re-ranking when a fake helper starts saying no, provider
 * bundles stopped, started and uninstalled while the host stays connected, and a provider stopped
 * in the middle of its action (issue 4, "Tests"). Every provider is pointed at a {@link FakeGuest}
 * through Config Admin before its bundle is installed, so nothing here touches /sys/power or runs
 * a real helper; staleAfterSeconds=0 makes every request probe afresh.
 *
 * <p>A successful suspend sends no reply (qga-reference §1.6), and the agent handles requests one at
 * a time (§1.1): so "no reply" is asserted by sending a {@code guest-ping} right behind the suspend
 * and reading the ping's reply as the very next line.
 */
@RunWith(PaxExam.class)
public class SuspendProvidersIT extends AgentTestSupport {

    private static final String SUPPORT = "{\"execute\":\"__dev.somnus_get-suspend-support\"}";
    private static final String NOT_SUPPORTED = "the requested suspend mode is not supported by the guest";

    @Inject
    ConfigurationAdmin configurations;

    private FakeGuest guest;
    private QgaClient host;
    private final List<Bundle> providers = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return new Option[] {agentFramework()};
    }

    @Before
    public void fakeGuest() throws Exception {
        guest = new FakeGuest(Files.createTempDirectory("somnus-suspend-it"));
        for (Map.Entry<String, Map<String, String>> pid : guest.configuration().entrySet()) {
            configurations.getConfiguration(pid.getKey(), "?").update(new Hashtable<>(pid.getValue()));
        }
    }

    @After
    public void disconnect() throws Exception {
        if (host != null) {
            host.close();
        }
        try (var paths = Files.walk(guest.root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Installs and starts the provider bundles, waits for their 9 services, connects a host. */
    private void startProviders(String... bundles) throws Exception {
        for (String property : bundles) {
            Bundle bundle = install(property);
            bundle.start();
            providers.add(bundle);
        }
        eventually("every provider registered", 20, TimeUnit.SECONDS,
                () -> services(null).size() == 3 * bundles.length);
        host = QgaClient.connect(socket(), Duration.ofSeconds(10));
        host.sync();
        assertAllFake();
    }

    private void startAllProviders() throws Exception {
        startProviders("bundle.systemd", "bundle.pmutils", "bundle.sysfs");
    }

    @Test
    public void systemdOutranksPmUtilsWhichOutranksSysfsAndEachFailureFallsToTheNext() throws Exception {
        guest.systemdRunning().state("freeze mem disk");
        startAllProviders();

        Map<String, Object> disk = mode(support(), "disk");
        assertEquals("systemd", disk.get("provider"));
        assertEquals(List.of("systemd 300 supported", "pmutils 200 supported", "sysfs 100 supported"), ranking(disk));

        guest.exit("systemctl", "hibernate", 1).exit("pm-hibernate", 1);
        host.assertNoReplyTo("{\"execute\":\"guest-suspend-disk\"}");

        assertEquals(List.of("systemctl hibernate", "pm-hibernate"), guest.actions());
        assertEquals("disk", guest.state());
    }

    @Test
    public void aHelperThatStartsSayingNoDropsItsProviderAndTheQuerySaysWhy() throws Exception {
        guest.state("freeze mem disk");
        startAllProviders();
        host.assertNoReplyTo("{\"execute\":\"guest-suspend-disk\"}");
        assertEquals(List.of("pm-hibernate"), guest.actions());

        guest.exit("pm-is-supported", "--hibernate", 1);
        host.assertNoReplyTo("{\"execute\":\"guest-suspend-disk\"}");

        assertEquals("pm-utils asked no more", List.of("pm-hibernate"), guest.actions());
        assertEquals("disk", guest.state());
        Map<String, Object> disk = mode(support(), "disk");
        assertEquals("sysfs", disk.get("provider"));
        assertEquals(List.of("sysfs 100 supported", "systemd -9700 manager-not-running",
                "pmutils -9800 helper-refused"), ranking(disk));
        assertEquals("'" + guest.helper("pm-is-supported") + " --hibernate' exited with status 1: "
                + "pm-utils does not support hibernation here", provider(disk, "pmutils").get("sentence"));
        assertEquals(guest.runDir() + " does not exist: the machine was not booted with systemd",
                provider(disk, "systemd").get("sentence"));
        assertEquals("pm-utils still serves ram", "pmutils", mode(support(), "ram").get("provider"));
    }

    @Test
    public void providerBundlesStopStartAndUninstallWhileTheHostStaysConnected() throws Exception {
        guest.state("freeze mem");
        startAllProviders();
        Bundle systemd = installed("dev.somnus.suspend.systemd");
        Bundle pmutils = installed("dev.somnus.suspend.pmutils");
        Bundle sysfs = installed("dev.somnus.suspend.sysfs");

        pmutils.stop();
        host.assertNoReplyTo("{\"execute\":\"guest-suspend-ram\"}");
        assertEquals("mem", guest.state());
        assertEquals("available first", List.of("sysfs", "systemd"), names(mode(support(), "ram")));

        pmutils.start();
        host.assertNoReplyTo("{\"execute\":\"guest-suspend-ram\"}");
        assertEquals(List.of("pm-suspend"), guest.actions());

        pmutils.uninstall();
        guest.state("freeze mem");
        host.assertNoReplyTo("{\"execute\":\"guest-suspend-ram\"}");
        assertEquals(List.of("pm-suspend"), guest.actions());
        assertEquals("mem", guest.state());

        sysfs.uninstall();
        systemd.stop();
        assertEquals("{\"id\": 7, \"error\": {\"class\": \"GenericError\", \"desc\": \"" + NOT_SUPPORTED + "\"}}",
                host.call("{\"execute\":\"guest-suspend-ram\",\"id\":7}"));
        assertEquals(List.of(), array(mode(support(), "ram").get("providers")));

        systemd.start();
        eventually("systemd back", 20, TimeUnit.SECONDS, () -> services("(somnus.provider.name=systemd)").size() == 3);
        assertEquals(List.of("systemd -9700 manager-not-running"), ranking(mode(support(), "ram")));
        assertEquals("{\"return\": {}, \"id\": \"end\"}", host.call("{\"execute\":\"guest-ping\",\"id\":\"end\"}"));
    }

    @Test
    public void aProviderStoppedDuringItsActionFallsThroughToTheNext() throws Exception {
        guest.state("freeze mem disk").slow("pm-hibernate", 600);
        startAllProviders();

        host.send("{\"execute\":\"guest-suspend-disk\",\"id\":\"s\"}");
        eventually("pm-hibernate running", 20, TimeUnit.SECONDS, () -> guest.actions().contains("pm-hibernate"));
        installed("dev.somnus.suspend.pmutils").stop();

        assertEquals("the suspend went on to sysfs and sent nothing",
                "{\"return\": {}, \"id\": \"after\"}", host.call("{\"execute\":\"guest-ping\",\"id\":\"after\"}"));
        assertEquals("disk", guest.state());
    }

    @Test
    public void aProviderStoppedDuringItsActionWithNothingLeftIsAClearError() throws Exception {
        guest.state("freeze mem").slow("pm-hibernate", 600);
        startAllProviders();

        host.send("{\"execute\":\"guest-suspend-disk\",\"id\":\"s\"}");
        eventually("pm-hibernate running", 20, TimeUnit.SECONDS, () -> guest.actions().contains("pm-hibernate"));
        installed("dev.somnus.suspend.pmutils").stop();

        String reply = host.readLine(Duration.ofSeconds(10));
        String expected = "{\"id\": \"s\", \"error\": {\"class\": \"GenericError\", \"desc\": \"guest-suspend-disk "
                + "failed with every available provider: pmutils: the pmutils provider was stopped while it ran exec "
                + guest.helper("pm-hibernate") + ": '" + guest.helper("pm-hibernate") + "' was killed by signal 15";
        assertTrue(reply, reply != null && reply.startsWith(expected));
        assertEquals("freeze mem", guest.state());
        assertEquals("{\"return\": {}}", host.call("{\"execute\":\"guest-ping\"}"));
    }

    // --- helpers

    private Collection<ServiceReference<Provider>> services(String filter) {
        try {
            return context.getServiceReferences(Provider.class, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Safety net before any guest-suspend-* is sent: every provider's action, as the agent itself
     * reports it, must name this test's fake guest.
     */
    private void assertAllFake() throws Exception {
        Map<String, Object> report = Json.object(Json.object(Json.parse(
                host.call("{\"execute\":\"__dev.somnus_get-suspend-support\",\"arguments\":{\"dry-run\":true}}")))
                .get("return"));
        for (Object mode : Json.array(report.get("modes"))) {
            for (Object provider : Json.array(Json.object(mode).get("providers"))) {
                String action = (String) Json.object(provider).get("action");
                assertTrue("not a fake: " + action, action.contains(guest.root.toString()));
            }
        }
    }

    private Map<String, Object> support() throws Exception {
        return Json.object(Json.object(Json.parse(host.call(SUPPORT))).get("return"));
    }

    private static Map<String, Object> mode(Map<String, Object> report, String id) {
        for (Object mode : Json.array(report.get("modes"))) {
            if (id.equals(Json.object(mode).get("mode"))) {
                return Json.object(mode);
            }
        }
        throw new AssertionError("no mode " + id + " in " + report);
    }

    private static Map<String, Object> provider(Map<String, Object> mode, String name) {
        for (Object provider : Json.array(mode.get("providers"))) {
            if (name.equals(Json.object(provider).get("provider"))) {
                return Json.object(provider);
            }
        }
        throw new AssertionError("no provider " + name + " in " + mode);
    }

    private static List<Object> array(Object value) {
        return Json.array(value);
    }

    /** The mode's providers in dispatch order, as {@code <name> <rank> <reason>}. */
    private static List<String> ranking(Map<String, Object> mode) {
        List<String> out = new ArrayList<>();
        for (Object p : Json.array(mode.get("providers"))) {
            Map<String, Object> provider = Json.object(p);
            out.add(provider.get("provider") + " " + provider.get("rank") + " " + provider.get("reason"));
        }
        return out;
    }

    private static List<String> names(Map<String, Object> mode) {
        List<String> out = new ArrayList<>();
        for (Object p : Json.array(mode.get("providers"))) {
            out.add((String) Json.object(p).get("provider"));
        }
        return out;
    }
}
