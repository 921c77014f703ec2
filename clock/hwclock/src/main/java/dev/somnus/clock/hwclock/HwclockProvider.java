package dev.somnus.clock.hwclock;

import dev.somnus.api.process.ChildProcesses;
import dev.somnus.clock.ClockFamily;
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

/** The hwclock provider: one Provider service (family clock) per mode, set and sync, base rank 200. */
@Component(configurationPid = HwclockProvider.PID, service = {})
@Designate(ocd = HwclockProvider.Config.class)
public final class HwclockProvider {

    static final String PID = "dev.somnus.clock.hwclock";

    @ObjectClassDefinition(id = PID, name = "Somnus hwclock clock provider",
            description = "Copies between the system clock and the RTC with hwclock -w / -s, as qemu-ga does.")
    public @interface Config {
        @AttributeDefinition(description = "Offer the hwclock provider at all.")
        boolean enabled() default true;

        @AttributeDefinition(description = "The hwclock program, an absolute path (qemu-ga 7.2: /sbin/hwclock); "
                + "it must lie in the reaper's trusted directories.")
        String hwclock() default "/sbin/hwclock";

        @AttributeDefinition(description = "service.ranking while available (minus 10000 while not).")
        int baseRank() default 200;

        @AttributeDefinition(description = "Seconds between probes; 0 probes only at start and on demand.")
        int probeIntervalSeconds() default 300;

        @AttributeDefinition(description = "Seconds a hwclock run may take before it is killed.")
        int actionTimeoutSeconds() default 30;
    }

    private final ProviderComponent<Config> component;

    @Activate
    public HwclockProvider(BundleContext context, Config config, @Reference ChildProcesses children,
            @Reference(service = LoggerFactory.class) Logger logger) {
        component = new ProviderComponent<>(context, ClockFamily.FAMILY, config, children, logger,
                HwclockProvider::settings, HwclockProvider::methods);
    }

    /** A changed configuration is applied in place: the services stay registered. */
    @Modified
    void modified(Config config) {
        component.reconfigure(config);
    }

    /**
     * The reaper's service, followed for its properties only: its trusted directories decide
     * whether hwclock may run at all, and change with its configuration.
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

    /** Withdraws the services first, then ends a hwclock still running (see ProviderChildren). */
    @Deactivate
    void deactivate() {
        component.close();
    }

    static ProviderSettings settings(Config config) {
        return new ProviderSettings("hwclock", config.enabled(), config.baseRank(),
                Duration.ofSeconds(config.probeIntervalSeconds()));
    }

    static Map<String, ProviderMethod> methods(Config config, ChildProcesses children) {
        HelperRunner actions = new HelperRunner(children, Duration.ofSeconds(config.actionTimeoutSeconds()));
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        for (String mode : new String[] {ClockFamily.SET, ClockFamily.SYNC}) {
            methods.put(mode, new HwclockMethod(mode, config.hwclock(), actions));
        }
        return methods;
    }
}
