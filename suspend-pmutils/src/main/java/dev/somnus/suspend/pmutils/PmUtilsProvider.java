package dev.somnus.suspend.pmutils;

import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderComponent;
import dev.somnus.provider.common.ProviderMethod;
import dev.somnus.provider.common.ProviderSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The pm-utils provider: one Provider service (family suspend) per mode, base rank 200. */
@Component(configurationPid = PmUtilsProvider.PID, service = {})
@Designate(ocd = PmUtilsProvider.Config.class)
public final class PmUtilsProvider {

    static final String PID = "dev.somnus.suspend.pmutils";

    @ObjectClassDefinition(id = PID, name = "Somnus pm-utils suspend provider",
            description = "Suspends through pm-is-supported and pm-hibernate / pm-suspend / pm-suspend-hybrid.")
    public @interface Config {
        @AttributeDefinition(description = "Offer the pm-utils provider at all.")
        boolean enabled() default true;

        @AttributeDefinition(description = "Probe program (bare names are resolved in the reaper's trusted directories).")
        String pmIsSupported() default "pm-is-supported";

        @AttributeDefinition(description = "Program run for guest-suspend-disk.")
        String pmHibernate() default "pm-hibernate";

        @AttributeDefinition(description = "Program run for guest-suspend-ram.")
        String pmSuspend() default "pm-suspend";

        @AttributeDefinition(description = "Program run for guest-suspend-hybrid.")
        String pmSuspendHybrid() default "pm-suspend-hybrid";

        @AttributeDefinition(description = "service.ranking while available (minus 10000 while not).")
        int baseRank() default 200;

        @AttributeDefinition(description = "Seconds between probes; 0 probes only at start and on demand.")
        int probeIntervalSeconds() default 300;

        @AttributeDefinition(description = "Seconds a pm-is-supported run may take before it is killed.")
        int probeTimeoutSeconds() default 10;

        @AttributeDefinition(description = "Minutes a pm-* action may run (it returns after resume) before it is killed.")
        int actionTimeoutMinutes() default 15;
    }

    private final ProviderComponent<Config> component;

    @Activate
    public PmUtilsProvider(BundleContext context, Config config, @Reference ChildProcesses children,
            @Reference(service = LoggerFactory.class) Logger logger) {
        component = new ProviderComponent<>(context, SuspendMode.FAMILY, config, children, logger,
                PmUtilsProvider::settings, PmUtilsProvider::methods);
    }

    /** A changed configuration is applied in place: the services stay registered (ProviderRegistrations#reconfigure). */
    @Modified
    void modified(Config config) {
        component.reconfigure(config);
    }

    /**
     * The reaper's service, followed for its properties only: they carry its trusted directories,
     * where a bare pm-is-supported is looked up, and change with its configuration (which may arrive
     * after this component probed). Then every answer is stale and probed again at once.
     */
    @Reference(name = "reaperSettings", service = ChildProcesses.class, policy = ReferencePolicy.DYNAMIC,
            updated = "reaperReconfigured", unbind = "reaperGone")
    void reaperBound(Map<String, Object> properties) {
        // the constructor probed with this reaper already
    }

    void reaperReconfigured(Map<String, Object> properties) {
        component.inputsChanged();
    }

    void reaperGone(Map<String, Object> properties) {
        // the static reference of the constructor deactivates this component
    }

    /** Withdraws the services first, then ends a helper still running (see ProviderChildren). */
    @Deactivate
    void deactivate() {
        component.close();
    }

    /** The provider-independent part of the configuration (public for the dispatch tests). */
    public static ProviderSettings settings(Config config) {
        return new ProviderSettings("pmutils", config.enabled(), config.baseRank(),
                Duration.ofSeconds(config.probeIntervalSeconds()));
    }

    /** The three modes as configured (public for the dispatch tests). */
    public static Map<String, ProviderMethod> methods(Config config, ChildProcesses children) {
        HelperRunner probes = new HelperRunner(children, Duration.ofSeconds(config.probeTimeoutSeconds()));
        HelperRunner actions = new HelperRunner(children, Duration.ofMinutes(config.actionTimeoutMinutes()));
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        methods.put(SuspendMode.DISK.id(), new PmUtilsMethod(SuspendMode.DISK, config.pmIsSupported(), config.pmHibernate(), probes, actions));
        methods.put(SuspendMode.RAM.id(), new PmUtilsMethod(SuspendMode.RAM, config.pmIsSupported(), config.pmSuspend(), probes, actions));
        methods.put(SuspendMode.HYBRID.id(), new PmUtilsMethod(SuspendMode.HYBRID, config.pmIsSupported(), config.pmSuspendHybrid(), probes, actions));
        return methods;
    }
}
