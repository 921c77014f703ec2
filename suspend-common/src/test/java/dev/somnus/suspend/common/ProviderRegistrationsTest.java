package dev.somnus.suspend.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.suspend.Availability;
import dev.somnus.api.suspend.Reasons;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.api.suspend.SuspendProvider;
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

    private Collection<ServiceReference<SuspendProvider>> services(String filter) throws Exception {
        return context.getServiceReferences(SuspendProvider.class, filter);
    }

    @Test
    void oneServicePerModeWithTheProbedAnswerAndRanking() throws Exception {
        ScriptedMethod disk = new ScriptedMethod("write \"disk\" to /sys/power/state");
        ScriptedMethod ram = new ScriptedMethod("write \"mem\" to /sys/power/state");
        ram.answer = Availability.unavailable(Reasons.MODE_NOT_OFFERED, "/sys/power/state holds \"freeze disk\"");
        Map<SuspendMode, SuspendMethod> methods = new LinkedHashMap<>();
        methods.put(SuspendMode.DISK, disk);
        methods.put(SuspendMode.RAM, ram);

        try (ProviderRegistrations registrations = ProviderRegistrations.register(context,
                new ProviderSettings("sysfs", true, 100, Duration.ZERO), methods, NoLogger.create())) {

            ServiceReference<SuspendProvider> diskRef = services("(somnus.suspend.mode=disk)").iterator().next();
            assertThat(diskRef.getProperty(SuspendProvider.PROVIDER)).isEqualTo("sysfs");
            assertThat(diskRef.getProperty(SuspendProvider.AVAILABLE)).isEqualTo(true);
            assertThat(diskRef.getProperty(SuspendProvider.REASON)).isEqualTo("supported");
            assertThat(diskRef.getProperty(Constants.SERVICE_RANKING)).isEqualTo(100);
            ServiceReference<SuspendProvider> ramRef = services("(somnus.suspend.mode=ram)").iterator().next();
            assertThat(ramRef.getProperty(SuspendProvider.AVAILABLE)).isEqualTo(false);
            assertThat(ramRef.getProperty(SuspendProvider.REASON)).isEqualTo("mode-not-offered");
            assertThat(ramRef.getProperty(Constants.SERVICE_RANKING)).isEqualTo(100 - 10_000);
            assertThat(context.getService(diskRef).action()).isEqualTo("write \"disk\" to /sys/power/state");
        }
        assertThat(services(null)).isEmpty();
    }

    @Test
    void anOnDemandProbeThatChangesTheAnswerUpdatesTheRegistry() throws Exception {
        ScriptedMethod method = new ScriptedMethod("exec pm-suspend");
        List<ServiceEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ProviderRegistrations registrations = ProviderRegistrations.register(context,
                new ProviderSettings("pmutils", true, 200, Duration.ZERO), Map.of(SuspendMode.RAM, method),
                NoLogger.create())) {
            context.addServiceListener(events::add);
            ServiceReference<SuspendProvider> ref = services(null).iterator().next();
            SuspendProvider provider = context.getService(ref);

            provider.probe();
            assertThat(events).as("same answer, no event").isEmpty();

            method.answer = Availability.unavailable(Reasons.HELPER_REFUSED, "'pm-is-supported --suspend' exited with status 1");
            provider.probe();

            assertThat(events).singleElement().extracting(ServiceEvent::getType).isEqualTo(ServiceEvent.MODIFIED);
            assertThat(ref.getProperty(SuspendProvider.AVAILABLE)).isEqualTo(false);
            assertThat(ref.getProperty(SuspendProvider.REASON)).isEqualTo("helper-refused");
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
        ProviderRegistrations registrations = ProviderRegistrations.register(context,
                new ProviderSettings("pmutils", true, 200, Duration.ofMillis(20)), Map.of(SuspendMode.RAM, method),
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
        try (ProviderRegistrations registrations = ProviderRegistrations.register(context,
                new ProviderSettings("systemd", false, 300, Duration.ofMillis(10)), Map.of(SuspendMode.DISK, method),
                NoLogger.create())) {
            ServiceReference<SuspendProvider> ref = services(null).iterator().next();
            assertThat(ref.getProperty(SuspendProvider.REASON)).isEqualTo("disabled");
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
        }, "(objectClass=" + SuspendProvider.class.getName() + ")");

        try (ProviderRegistrations registrations = ProviderRegistrations.register(context,
                new ProviderSettings("pmutils", true, 200, Duration.ZERO), Map.of(SuspendMode.DISK, before),
                NoLogger.create())) {
            ServiceReference<SuspendProvider> ref = services("(somnus.suspend.mode=disk)").iterator().next();
            Object serviceId = ref.getProperty(Constants.SERVICE_ID);

            ScriptedMethod after = new ScriptedMethod("exec /opt/fake/bin/pm-hibernate");
            after.answer = Availability.unavailable(Reasons.HELPER_REFUSED, "'pm-is-supported --hibernate' exited 1");
            registrations.reconfigure(new ProviderSettings("pmutils", true, 250, Duration.ZERO),
                    Map.of(SuspendMode.DISK, after));

            ServiceReference<SuspendProvider> now = services("(somnus.suspend.mode=disk)").iterator().next();
            assertThat(now.getProperty(Constants.SERVICE_ID)).isEqualTo(serviceId);
            assertThat(now.getProperty(Constants.SERVICE_RANKING)).isEqualTo(250 - 10_000);
            assertThat(now.getProperty(SuspendProvider.REASON)).isEqualTo("helper-refused");
            assertThat(context.getService(now).action()).isEqualTo("exec /opt/fake/bin/pm-hibernate");
            assertThat(unregistrations).isEmpty();

            // a new base rank alone (same answer) still reaches the registry
            registrations.reconfigure(new ProviderSettings("pmutils", true, 150, Duration.ZERO),
                    Map.of(SuspendMode.DISK, after));
            assertThat(services("(somnus.suspend.mode=disk)").iterator().next().getProperty(Constants.SERVICE_RANKING))
                    .isEqualTo(150 - 10_000);
        }
    }
}
