package dev.somnus.suspend.sysfs;

import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.ProviderMethod;
import dev.somnus.provider.common.ProviderRegistrations;
import dev.somnus.provider.common.ProviderSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The sysfs provider: one Provider service (family suspend) per mode, base rank 100. It runs no program, so
 * its configuration has no program names and no timeouts: probes are file reads, and the action
 * is a write into sysfs that the kernel completes after resume and that cannot be interrupted.
 */
@Component(configurationPid = SysfsProvider.PID, service = {})
@Designate(ocd = SysfsProvider.Config.class)
public final class SysfsProvider {

    static final String PID = "dev.somnus.suspend.sysfs";

    @ObjectClassDefinition(id = PID, name = "Somnus sysfs suspend provider",
            description = "Suspends by writing to /sys/power/state (and /sys/power/disk for hybrid sleep).")
    public @interface Config {
        @AttributeDefinition(description = "Offer the sysfs provider at all.")
        boolean enabled() default true;

        @AttributeDefinition(description = "The kernel's power folder, holding state and disk.")
        String root() default "/sys/power";

        @AttributeDefinition(description = "Offer hybrid sleep by selecting 'suspend' in <root>/disk (an extension qemu-ga lacks).")
        boolean hybrid() default true;

        @AttributeDefinition(description = "service.ranking while available (minus 10000 while not).")
        int baseRank() default 100;

        @AttributeDefinition(description = "Seconds between probes; 0 probes only at start and on demand.")
        int probeIntervalSeconds() default 300;
    }

    private final ProviderRegistrations registrations;

    @Activate
    public SysfsProvider(BundleContext context, Config config,
            @Reference(service = LoggerFactory.class) Logger logger) {
        registrations = ProviderRegistrations.register(context, SuspendMode.FAMILY, settings(config), methods(config), logger);
    }

    /** A changed configuration is applied in place: the services stay registered (ProviderRegistrations#reconfigure). */
    @Modified
    void modified(Config config) {
        registrations.reconfigure(settings(config), methods(config));
    }

    @Deactivate
    void deactivate() {
        registrations.close();
    }

    /** The provider-independent part of the configuration (public for the dispatch tests). */
    public static ProviderSettings settings(Config config) {
        return new ProviderSettings("sysfs", config.enabled(), config.baseRank(),
                Duration.ofSeconds(config.probeIntervalSeconds()));
    }

    /** The three modes as configured (public for the dispatch tests). */
    public static Map<String, ProviderMethod> methods(Config config) {
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        for (SuspendMode mode : SuspendMode.values()) {
            methods.put(mode.id(), new SysfsMethod(mode, Path.of(config.root()), config.hybrid()));
        }
        return methods;
    }
}
