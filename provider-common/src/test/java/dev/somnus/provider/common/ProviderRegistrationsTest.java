package dev.somnus.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.provider.Availability;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.provider.Reasons;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;

/** The registration mechanics against a real service registry (an embedded Felix, no bundles). */
class ProviderRegistrationsTest {

    @TempDir
    Path cache;

    private Felix framework;
    private BundleContext context;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        framework = new Felix(config);
        framework.start();
        context = framework.getBundleContext();
    }

    @AfterEach
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(5000);
    }

    private Collection<ServiceReference<Provider>> services(String filter) throws Exception {
        return context.getServiceReferences(Provider.class, filter);
    }

    @Test
    void oneServicePerModeWithTheProbedAnswerAndRanking() throws Exception {
        ScriptedMethod disk = new ScriptedMethod("write \"disk\" to /sys/power/state");
        ScriptedMethod ram = new ScriptedMethod("write \"mem\" to /sys/power/state");
        ram.answer = Availability.unavailable(Reasons.MODE_NOT_OFFERED, "/sys/power/state holds \"freeze disk\"");
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        methods.put("disk", disk);
        methods.put("ram", ram);

        try (ProviderRegistrations registrations = ProviderRegistrations.register(context, "suspend",
                new ProviderSettings("sysfs", true, 100, Duration.ZERO), methods, NoLogger.create())) {

            ServiceReference<Provider> diskRef = services("(somnus.provider.mode=disk)").iterator().next();
            assertThat(diskRef.getProperty(Provider.NAME)).isEqualTo("sysfs");
            assertThat(diskRef.getProperty(Provider.AVAILABLE)).isEqualTo(true);
            assertThat(diskRef.getProperty(Provider.REASON)).isEqualTo("supported");
            assertThat(diskRef.getProperty(Constants.SERVICE_RANKING)).isEqualTo(100);
            ServiceReference<Provider> ramRef = services("(somnus.provider.mode=ram)").iterator().next();
            assertThat(ramRef.getProperty(Provider.AVAILABLE)).isEqualTo(false);
            assertThat(ramRef.getProperty(Provider.REASON)).isEqualTo("mode-not-offered");
            assertThat(ramRef.getProperty(Constants.SERVICE_RANKING)).isEqualTo(100 - 10_000);
            assertThat(context.getService(diskRef).action(Map.of())).isEqualTo("write \"disk\" to /sys/power/state");
        }
        assertThat(services(null)).isEmpty();
    }

    @Test
    void anOnDemandProbeThatChangesTheAnswerUpdatesTheRegistry() throws Exception {
        ScriptedMethod method = new ScriptedMethod("exec pm-suspend");
        List<ServiceEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ProviderRegistrations registrations = ProviderRegistrations.register(context, "suspend",
                new ProviderSettings("pmutils", true, 200, Duration.ZERO), Map.of("ram", method),
                NoLogger.create())) {
            context.addServiceListener(events::add);
            ServiceReference<Provider> ref = services(null).iterator().next();
            Provider provider = context.getService(ref);

            provider.probe();
            assertThat(events).as("same answer, no event").isEmpty();

            method.answer = Availability.unavailable(Reasons.HELPER_REFUSED, "'pm-is-supported --suspend' exited with status 1");
            provider.probe();

            assertThat(events).singleElement().extracting(ServiceEvent::getType).isEqualTo(ServiceEvent.MODIFIED);
            assertThat(ref.getProperty(Provider.AVAILABLE)).isEqualTo(false);
            assertThat(ref.getProperty(Provider.REASON)).isEqualTo("helper-refused");
            assertThat(ref.getProperty(Constants.SERVICE_RANKING)).isEqualTo(200 - 10_000);
        }
    }

    @Test
    void theIntervalProbesAgainUntilClosed() throws Exception {
        CountDownLatch threeProbes = new CountDownLatch(3);
        ScriptedMethod method = new ScriptedMethod("exec pm-suspend") {
            @Override
            public Availability probe() {
                threeProbes.countDown();
                return super.probe();
            }
        };
        ProviderRegistrations registrations = ProviderRegistrations.register(context, "suspend",
                new ProviderSettings("pmutils", true, 200, Duration.ofMillis(20)), Map.of("ram", method),
                NoLogger.create());

        assertThat(threeProbes.await(10, TimeUnit.SECONDS)).isTrue();
        registrations.close();
        int afterClose = method.probes.get();
        Thread.sleep(100);

        assertThat(method.probes.get()).as("no probe after close").isEqualTo(afterClose);
        assertThat(services(null)).isEmpty();
    }

    @Test
    void aDisabledProviderIsRegisteredAsDisabledWithoutProbing() throws Exception {
        ScriptedMethod method = new ScriptedMethod("exec systemctl hibernate");
        try (ProviderRegistrations registrations = ProviderRegistrations.register(context, "suspend",
                new ProviderSettings("systemd", false, 300, Duration.ofMillis(10)), Map.of("disk", method),
                NoLogger.create())) {
            ServiceReference<Provider> ref = services(null).iterator().next();
            assertThat(ref.getProperty(Provider.REASON)).isEqualTo("disabled");
            assertThat(ref.getProperty(Constants.SERVICE_RANKING)).isEqualTo(300 - 10_000);
            Thread.sleep(50);
            assertThat(method.probes.get()).isZero();
        }
    }

    @Test
    void aChangedConfigurationIsAppliedWithoutTheServiceEverLeavingTheRegistry() throws Exception {
        ScriptedMethod before = new ScriptedMethod("exec /usr/sbin/pm-hibernate");
        List<ServiceEvent> unregistrations = new java.util.concurrent.CopyOnWriteArrayList<>();
        context.addServiceListener(event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                unregistrations.add(event);
            }
        }, "(objectClass=" + Provider.class.getName() + ")");

        try (ProviderRegistrations registrations = ProviderRegistrations.register(context, "suspend",
                new ProviderSettings("pmutils", true, 200, Duration.ZERO), Map.of("disk", before),
                NoLogger.create())) {
            ServiceReference<Provider> ref = services("(somnus.provider.mode=disk)").iterator().next();
            Object serviceId = ref.getProperty(Constants.SERVICE_ID);

            ScriptedMethod after = new ScriptedMethod("exec /opt/fake/bin/pm-hibernate");
            after.answer = Availability.unavailable(Reasons.HELPER_REFUSED, "'pm-is-supported --hibernate' exited 1");
            registrations.reconfigure(new ProviderSettings("pmutils", true, 250, Duration.ZERO),
                    Map.of("disk", after));

            ServiceReference<Provider> now = services("(somnus.provider.mode=disk)").iterator().next();
            assertThat(now.getProperty(Constants.SERVICE_ID)).isEqualTo(serviceId);
            assertThat(now.getProperty(Constants.SERVICE_RANKING)).isEqualTo(250 - 10_000);
            assertThat(now.getProperty(Provider.REASON)).isEqualTo("helper-refused");
            assertThat(context.getService(now).action(Map.of())).isEqualTo("exec /opt/fake/bin/pm-hibernate");
            assertThat(unregistrations).isEmpty();

            // a new base rank alone (same answer) still reaches the registry
            registrations.reconfigure(new ProviderSettings("pmutils", true, 150, Duration.ZERO),
                    Map.of("disk", after));
            assertThat(services("(somnus.provider.mode=disk)").iterator().next().getProperty(Constants.SERVICE_RANKING))
                    .isEqualTo(150 - 10_000);
        }
    }

    @Test
    void aChangedInputReprobesEveryModeAtOnceAndTheRegistryFollows() throws Exception {
        ScriptedMethod disk = new ScriptedMethod("exec pm-hibernate");
        ScriptedMethod ram = new ScriptedMethod("exec pm-suspend");
        disk.answer = Availability.unavailable(Reasons.HELPER_MISSING, "'pm-is-supported --hibernate' could not be run");
        ram.answer = disk.answer;
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        methods.put("disk", disk);
        methods.put("ram", ram);
        // an interval of an hour: only the changed input can explain a second probe
        try (ProviderRegistrations registrations = ProviderRegistrations.register(context, "suspend",
                new ProviderSettings("pmutils", true, 200, Duration.ofHours(1)), methods, NoLogger.create())) {
            ServiceReference<Provider> diskRef = services("(somnus.provider.mode=disk)").iterator().next();
            assertThat(diskRef.getProperty(Provider.REASON)).isEqualTo("helper-missing");
            disk.answer = Availability.available("'pm-is-supported --hibernate' exited with status 0");
            ram.answer = disk.answer;

            registrations.inputsChanged();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            ServiceReference<Provider> ramRef = services("(somnus.provider.mode=ram)").iterator().next();
            while (!("supported".equals(diskRef.getProperty(Provider.REASON))
                    && "supported".equals(ramRef.getProperty(Provider.REASON))) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(disk.probes.get()).isEqualTo(2);
            assertThat(ram.probes.get()).isEqualTo(2);
            assertThat(diskRef.getProperty(Provider.REASON)).isEqualTo("supported");
            assertThat(diskRef.getProperty(Constants.SERVICE_RANKING)).isEqualTo(200);
        }
    }

    @Test
    void aBurstOfChangedInputsProbesOnceAfterItSettles() throws Exception {
        ScriptedMethod method = new ScriptedMethod("exec pm-suspend");
        try (ProviderRegistrations registrations = ProviderRegistrations.register(context, "suspend",
                new ProviderSettings("pmutils", true, 200, Duration.ofHours(1)), Map.of("ram", method),
                NoLogger.create())) {
            registrations.inputsChanged();
            registrations.inputsChanged();
            registrations.inputsChanged();
            assertThat(method.probes.get()).as("not at once: the burst may not be over").isEqualTo(1);

            Thread.sleep(ProviderRegistrations.INPUT_SETTLE.toMillis() + 1000);

            assertThat(method.probes.get()).as("one probe for the burst").isEqualTo(2);
        }
    }
}
