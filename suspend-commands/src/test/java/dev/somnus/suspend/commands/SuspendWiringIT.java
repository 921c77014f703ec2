package dev.somnus.suspend.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.command.Command;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.provider.Provider;
import dev.somnus.provider.common.FakeHelper;
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
 * constructor injection, the component factory and its instances' target filters, and the reaction
 * to registry changes, which the unit tests cannot show. Every provider is configured onto fake
 * programs and a fake /sys/power before SCR starts, and the real reaper looks programs up in the
 * fake bin/ only.
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
    private Path bin;

    @BeforeEach
    void start() throws Exception {
        bin = Files.createDirectories(dir.resolve("bin"));
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
        // The test and the bundles share these classes: the test classpath provides them.
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "dev.somnus.api.command;version=1.1.0,"
                + "dev.somnus.api.process;version=1.3.0,dev.somnus.api.provider;version=1.0.0,"
                + "dev.somnus.api.suspend;version=2.0.0,org.osgi.service.cm;version=1.6.0");
        framework = new Felix(config);
        framework.start();
        context = framework.getBundleContext();

        for (String name : List.of("log", "function", "promise", "component", "configadmin", "jnr")) {
            install(name).start();
        }
        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        configure(admin, "dev.somnus.reaper", "trusted.directories", bin.toString());
        configure(admin, "dev.somnus.suspend.systemd", "systemctl", systemctl.path(), "runDir",
                dir.resolve("run/systemd/system").toString());
        configure(admin, "dev.somnus.suspend.pmutils", "pmIsSupported", pmIsSupported.path(), "pmHibernate",
                pmHibernate.path(), "pmSuspend", pmSuspend.path(), "pmSuspendHybrid", pmSuspendHybrid.path());
        configure(admin, "dev.somnus.suspend.sysfs", "root", power.toString());
        configure(admin, "dev.somnus.suspend", "procRoot", dir.resolve("proc").toString(), "sysRoot",
                dir.resolve("sys").toString());

        List<Bundle> ours = new ArrayList<>();
        for (String name : List.of("reaper", "suspend-systemd", "suspend-pmutils", "suspend-sysfs", "suspend-commands")) {
            ours.add(install(name));
        }
        install("scr").start();
        for (Bundle bundle : ours) {
            bundle.start();
        }
        await(() -> providers("(somnus.provider.mode=ram)").size() == 3 && command("guest-suspend-ram") != null);
    }

    @AfterEach
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    @Test
    void everyProviderIsRegisteredPerModeWithItsRanking() throws Exception {
        Map<String, Object> ranks = new HashMap<>();
        for (ServiceReference<Provider> ref : providers("(somnus.provider.mode=ram)")) {
            ranks.put((String) ref.getProperty(Provider.NAME),
                    ref.getProperty(Constants.SERVICE_RANKING) + " " + ref.getProperty(Provider.REASON));
        }

        assertThat(ranks).containsEntry("systemd", (300 - 10_000) + " manager-not-running")
                .containsEntry("pmutils", "200 supported").containsEntry("sysfs", "100 supported");
        assertThat(providers(null)).hasSize(9);
        assertThat(providers("(somnus.provider.family=suspend)")).hasSize(9);
    }

    @Test
    void theCommandsAreServicesNamedOnTheWire() throws Exception {
        for (String name : List.of("guest-suspend-disk", "guest-suspend-ram", "guest-suspend-hybrid")) {
            Command command = command(name);
            assertThat(command.name()).isEqualTo(name);
            assertThat(command.successResponse()).isFalse();
            ServiceReference<Command> ref = context.getServiceReferences(Command.class,
                    "(" + Command.NAME_PROPERTY + "=" + name + ")").iterator().next();
            assertThat(ref.getProperty(Command.ACTING)).isEqualTo(true);
            assertThat(ref.getProperty(Command.AUDITED)).isEqualTo(true);
        }
        assertThat(command("__dev.somnus_get-suspend-support").parameters()).hasSize(1);
    }

    @Test
    void theTopRankedProviderActsAndAChangedAnswerReachesTheCommandThroughTheRegistry() throws Exception {
        command("guest-suspend-ram").execute(Map.of());
        assertThat(pmSuspend.calls()).hasSize(1);

        pmIsSupported.exitWith(1);
        ServiceReference<Provider> pmutils = providers("(&(somnus.provider.mode=ram)(somnus.provider.name=pmutils))")
                .iterator().next();
        context.getService(pmutils).probe();
        assertThat(pmutils.getProperty(Constants.SERVICE_RANKING)).isEqualTo(200 - 10_000);

        command("guest-suspend-ram").execute(Map.of());

        assertThat(pmSuspend.calls()).as("not asked again").hasSize(1);
        assertThat(Files.readString(power.resolve("state"))).isEqualTo("mem");
    }

    @Test
    void aChangedConfigurationIsTakenInPlaceAndExplainNamesTheAction() throws Exception {
        Object commandId = context.getServiceReferences(Command.class, "(somnus.command.name=guest-suspend-disk)")
                .iterator().next().getProperty(Constants.SERVICE_ID);
        List<ServiceEvent> withdrawn = new java.util.concurrent.CopyOnWriteArrayList<>();
        context.addServiceListener(event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                withdrawn.add(event);
            }
        }, "(|(objectClass=" + Command.class.getName() + ")(objectClass=" + Provider.class.getName() + "))");

        configure(service(ConfigurationAdmin.class), "dev.somnus.suspend", "procRoot", dir.resolve("proc").toString(),
                "sysRoot", dir.resolve("sys").toString(), "staleAfterSeconds", 0);
        await(() -> !context.getServiceReferences(Command.class,
                "(&(somnus.command.name=guest-suspend-disk)(staleAfterSeconds=0))").isEmpty());

        // taken in place (the components' modified methods): no command or provider left the registry
        assertThat(context.getServiceReferences(Command.class, "(somnus.command.name=guest-suspend-disk)")
                .iterator().next().getProperty(Constants.SERVICE_ID)).isEqualTo(commandId);
        assertThat(withdrawn).isEmpty();

        // what the runtime's dry run says after "would"
        assertThat(command("guest-suspend-disk").explain(Map.of())).isEqualTo("run provider pmutils: exec "
                + pmIsSupported.path().replace("pm-is-supported", "pm-hibernate"));
        assertThat(Files.readString(power.resolve("state"))).isEqualTo("freeze mem disk");
    }

    @Test
    void aReaperReconfigurationReachesTheProvidersAtOnce() throws Exception {
        // pm-utils named bare, looked up in the reaper's trusted directories, at first an empty folder
        Path nothing = Files.createDirectories(dir.resolve("nothing"));
        ConfigurationAdmin admin = service(ConfigurationAdmin.class);
        configure(admin, "dev.somnus.reaper", "trusted.directories", nothing.toString());
        await(() -> nothing.toString().equals(reaperDirectories()));
        configure(admin, "dev.somnus.suspend.pmutils", "pmIsSupported", "pm-is-supported", "pmSuspend", "pm-suspend");
        await(() -> "helper-missing".equals(pmutilsRam().getProperty(Provider.REASON)));

        // the reaper's configuration arrives later (fileinstall reading conf/, an operator's edit);
        // probes run on an interval of 300 s and a request trusts an answer for 30 s
        configure(admin, "dev.somnus.reaper", "trusted.directories", bin.toString());

        long changed = System.nanoTime();
        await(() -> "supported".equals(pmutilsRam().getProperty(Provider.REASON)));
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - changed)).isLessThan(10);
        command("guest-suspend-ram").execute(Map.of());
        assertThat(pmSuspend.calls()).as("pm-suspend, not sysfs").hasSize(1);
        assertThat(Files.readString(power.resolve("state"))).isEqualTo("freeze mem disk");
    }

    private ServiceReference<Provider> pmutilsRam() throws Exception {
        return providers("(&(somnus.provider.mode=ram)(somnus.provider.name=pmutils))").iterator().next();
    }

    /**
     * The reaper's published directories. Looked up without the class-space check: the reaper's
     * service also names its private LiveChildren, which the test class path holds a copy of.
     */
    private String reaperDirectories() throws Exception {
        ServiceReference<?>[] refs = context.getAllServiceReferences(ChildProcesses.class.getName(), null);
        return refs == null ? null : String.valueOf(refs[0].getProperty(ChildProcesses.TRUSTED_DIRECTORIES));
    }

    @Test
    void aDisabledProviderIsPublishedAsDisabled() throws Exception {
        configure(service(ConfigurationAdmin.class), "dev.somnus.suspend.sysfs", "root", power.toString(),
                "enabled", false);
        await(() -> providers("(&(somnus.provider.name=sysfs)(somnus.provider.reason=disabled))").size() == 3);

        assertThat(providers("(&(somnus.provider.name=sysfs)(somnus.provider.available=true))")).isEmpty();
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

    private Collection<ServiceReference<Provider>> providers(String filter) throws Exception {
        return context.getServiceReferences(Provider.class, filter);
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
