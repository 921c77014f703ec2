package dev.somnus.clock.rtc;

import dev.somnus.clock.ClockFamily;
import dev.somnus.clock.SystemClock;
import dev.somnus.provider.common.ProviderMethod;
import dev.somnus.provider.common.ProviderRegistrations;
import dev.somnus.provider.common.ProviderSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The RTC provider: one Provider service (family clock) per mode, set and sync, base rank 100. */
@Component(configurationPid = RtcProvider.PID, service = {})
@Designate(ocd = RtcProvider.Config.class)
public final class RtcProvider {

    static final String PID = "dev.somnus.clock.rtc";

    @ObjectClassDefinition(id = PID, name = "Somnus RTC clock provider",
            description = "Copies between the system clock and the RTC through the RTC device (RTC_SET_TIME, "
                    + "RTC_RD_TIME), for guests without hwclock; the RTC is kept in UTC.")
    public @interface Config {
        @AttributeDefinition(description = "Offer the RTC provider at all.")
        boolean enabled() default true;

        @AttributeDefinition(description = "The RTC device node.")
        String device() default "/dev/rtc0";

        @AttributeDefinition(description = "service.ranking while available (minus 10000 while not).")
        int baseRank() default 100;

        @AttributeDefinition(description = "Seconds between probes; 0 probes only at start and on demand.")
        int probeIntervalSeconds() default 300;
    }

    private final ProviderRegistrations registrations;
    private volatile SystemClock systemClock;

    @Activate
    public RtcProvider(BundleContext context, Config config, @Reference(service = LoggerFactory.class) Logger logger) {
        registrations = ProviderRegistrations.register(context, ClockFamily.FAMILY, settings(config),
                methods(config, new IoctlRtcDevice(), this::systemClock), logger);
    }

    /** A changed configuration is applied in place: the services stay registered. */
    @Modified
    void modified(Config config) {
        registrations.reconfigure(settings(config), methods(config, new IoctlRtcDevice(), this::systemClock));
    }

    /** Where mode sync puts the time it read; without one it fails (and the command refuses first). */
    @Reference(name = "systemClock", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeSystemClock")
    void setSystemClock(SystemClock clock) {
        systemClock = clock;
    }

    void removeSystemClock(SystemClock clock) {
        if (systemClock == clock) {
            systemClock = null;
        }
    }

    private SystemClock systemClock() {
        return systemClock;
    }

    @Deactivate
    void deactivate() {
        registrations.close();
    }

    static ProviderSettings settings(Config config) {
        return new ProviderSettings("rtc", config.enabled(), config.baseRank(),
                Duration.ofSeconds(config.probeIntervalSeconds()));
    }

    static Map<String, ProviderMethod> methods(Config config, RtcDevice rtc, Supplier<SystemClock> systemClock) {
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        for (String mode : new String[] {ClockFamily.SET, ClockFamily.SYNC}) {
            methods.put(mode, new RtcMethod(mode, Path.of(config.device()), rtc, systemClock));
        }
        return methods;
    }
}
