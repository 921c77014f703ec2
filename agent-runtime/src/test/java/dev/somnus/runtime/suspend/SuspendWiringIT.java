package dev.somnus.runtime.suspend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.Command;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.suspend.SuspendProvider;
import dev.somnus.suspend.common.FakeHelper;
import dev.somnus.suspend.common.ProcessBuilderChildProcesses;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The built bundles in an embedded Felix with SCR, Config Admin and Log: the DS descriptors, the
 * constructor injection, the target filters and the reaction to registry changes, which the unit
 * tests cannot show. Every provider is configured onto fake programs and a fake /sys/power before
 * SCR starts, and the test registers a ChildProcesses on ProcessBuilder in place of the reaper.
 */
class SuspendWiringIT {

    @TempDir
    Path dir;

    private Felix framework;
    private BundleContext context;
    private FakeHelper systemctl;
    private FakeHelper pmIsSupported;
    private FakeHelper pmSuspend;
    private Path power;

    @BeforeEach
    void start() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        systemctl = FakeHelper.create(bin, "systemctl").exitWith(3, "status");
        pmIsSupported = FakeHelper.create(bin, "pm-is-supported");
        FakeHelper pmHibernate = FakeHelper.create(bin, "pm-hibernate");
        pmSuspend = FakeHelper.create(bin, "pm-suspend");
        FakeHelper pmSuspendHybrid = FakeHelper.create(bin, "pm-suspend-hybrid");
        power = Files.createDirectories(dir.resolve("sys/power"));
        Files.writeString(power.resolve("state"), "freeze mem disk");
        Files.createDirectories(dir.resolve("proc"));

        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // agent-runtime also holds the channel: left at its default (virtio-serial, absent here) it
        // would fail to open and stop this framework under the test, as qemu-ga exits.
        config.put("somnus.ga.method", "unix-listen");
        config.put("somnus.ga.path", dir.resolve("qga.sock").toString());
        // The test and the bundles share these classes: the test classpath provides them.
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "dev.somnus.api.command;version=1.1.0,"
                + "dev.somnus.api.process;version=1.2.0,dev.somnus.api.suspend;version=1.0.0,"
                + "org.osgi.service.cm;version=1.6.0");
        framework = new Felix(config);
        framework.start();
        context = framework.getBundleContext();
        context.registerService(ChildProcesses.class, new ProcessBuilderChildProcesses(), null);

        for (String name : List.of("log", "function", "promise", "component", "configadmin", "jnr")) {
            install(name).start();
        }
        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        configure(admin, "dev.somnus.suspend.systemd", "systemctl", systemctl.path(), "runDir",
                dir.resolve("run/systemd/system").toString());
        configure(admin, "dev.somnus.suspend.pmutils", "pmIsSupported", pmIsSupported.path(), "pmHibernate",
                pmHibernate.path(), "pmSuspend", pmSuspend.path(), "pmSuspendHybrid", pmSuspendHybrid.path());
        configure(admin, "dev.somnus.suspend.sysfs", "root", power.toString());
        configure(admin, "dev.somnus.suspend", "procRoot", dir.resolve("proc").toString(), "sysRoot",
                dir.resolve("sys").toString());

        List<Bundle> ours = new ArrayList<>();
        for (String name : List.of("suspend-systemd", "suspend-pmutils", "suspend-sysfs", "agent-runtime")) {
            ours.add(install(name));
        }
        install("scr").start();
        for (Bundle bundle : ours) {
            bundle.start();
        }
        await(() -> providers("(somnus.suspend.mode=ram)").size() == 3 && command("guest-suspend-ram") != null);
    }

    @AfterEach
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    @Test
    void everyProviderIsRegisteredPerModeWithItsRanking() throws Exception {
        Map<String, Object> ranks = new HashMap<>();
        for (ServiceReference<SuspendProvider> ref : providers("(somnus.suspend.mode=ram)")) {
            ranks.put((String) ref.getProperty(SuspendProvider.PROVIDER),
                    ref.getProperty(Constants.SERVICE_RANKING) + " " + ref.getProperty(SuspendProvider.REASON));
        }

        assertThat(ranks).containsEntry("systemd", (300 - 10_000) + " manager-not-running")
                .containsEntry("pmutils", "200 supported").containsEntry("sysfs", "100 supported");
        assertThat(providers(null)).hasSize(9);
    }

    @Test
    void theCommandsAreServicesNamedOnTheWire() throws Exception {
        for (String name : List.of("guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid")) {
            Command command = command(name);
            assertThat(command.name()).isEqualTo(name);
            assertThat(command.successResponse()).isFalse();
        }
        assertThat(command("__dev.somnus_get-suspend-support").parameters()).hasSize(1);
    }

    @Test
    void theTopRankedProviderActsAndAChangedAnswerReachesTheCommandThroughTheRegistry() throws Exception {
        command("guest-suspend-ram").execute(Map.of());
        assertThat(pmSuspend.calls()).hasSize(1);

        pmIsSupported.exitWith(1);
        ServiceReference<SuspendProvider> pmutils = providers("(&(somnus.suspend.mode=ram)(somnus.suspend.provider=pmutils))")
                .iterator().next();
        context.getService(pmutils).probe();
        assertThat(pmutils.getProperty(Constants.SERVICE_RANKING)).isEqualTo(200 - 10_000);

        command("guest-suspend-ram").execute(Map.of());

        assertThat(pmSuspend.calls()).as("not asked again").hasSize(1);
        assertThat(Files.readString(power.resolve("state"))).isEqualTo("mem");
    }

    @Test
    void dryRunFromConfigAdmin() throws Exception {
        Object commandId = context.getServiceReferences(Command.class, "(somnus.command.name=guest-suspend-disk)")
                .iterator().next().getProperty(Constants.SERVICE_ID);
        List<ServiceEvent> withdrawn = new java.util.concurrent.CopyOnWriteArrayList<>();
        context.addServiceListener(event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                withdrawn.add(event);
            }
        }, "(|(objectClass=" + Command.class.getName() + ")(objectClass=" + SuspendProvider.class.getName() + "))");

        configure(service(ConfigurationAdmin.class), "dev.somnus.suspend", "procRoot", dir.resolve("proc").toString(),
                "sysRoot", dir.resolve("sys").toString(), "dryRun", true);
        await(() -> !context.getServiceReferences(Command.class,
                "(&(somnus.command.name=guest-suspend-disk)(dryRun=true))").isEmpty());

        // taken in place (the components' modified methods): no command or provider left the registry
        assertThat(context.getServiceReferences(Command.class, "(somnus.command.name=guest-suspend-disk)")
                .iterator().next().getProperty(Constants.SERVICE_ID)).isEqualTo(commandId);
        assertThat(withdrawn).isEmpty();

        assertThatThrownBy(() -> command("guest-suspend-disk").execute(Map.of())).hasMessage(
                "dry run: guest-suspend-disk would run provider pmutils: exec " + pmIsSupported.path().replace(
                        "pm-is-supported", "pm-hibernate") + "; nothing was done (dryRun is set in dev.somnus.suspend)");
        assertThat(Files.readString(power.resolve("state"))).isEqualTo("freeze mem disk");
    }

    @Test
    void aDisabledProviderIsPublishedAsDisabled() throws Exception {
        configure(service(ConfigurationAdmin.class), "dev.somnus.suspend.sysfs", "root", power.toString(),
                "enabled", false);
        await(() -> providers("(&(somnus.suspend.provider=sysfs)(somnus.suspend.reason=disabled))").size() == 3);

        assertThat(providers("(&(somnus.suspend.provider=sysfs)(somnus.suspend.available=true))")).isEmpty();
    }

    private Bundle install(String name) throws Exception {
        String path = System.getProperty("bundle." + name);
        assertThat(path).as("jar of " + name + " (run through failsafe)").isNotNull();
        return context.installBundle(new File(path).toURI().toString());
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        assertThat(ref).as(type.getSimpleName()).isNotNull();
        return context.getService(ref);
    }

    private Collection<ServiceReference<SuspendProvider>> providers(String filter) throws Exception {
        return context.getServiceReferences(SuspendProvider.class, filter);
    }

    private Command command(String name) throws Exception {
        Collection<ServiceReference<Command>> refs = context.getServiceReferences(Command.class,
                "(" + Command.NAME_PROPERTY + "=" + name + ")");
        return refs.isEmpty() ? null : context.getService(refs.iterator().next());
    }

    private static void configure(ConfigurationAdmin admin, String pid, Object... keyValues) throws Exception {
        Configuration configuration = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        configuration.update(properties);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits for the framework's asynchronous work (configuration delivery, component activation). */
    private static void await(Condition condition) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("condition still false after 20 s").isLessThan(giveUp);
            Thread.sleep(20);
        }
    }
}
