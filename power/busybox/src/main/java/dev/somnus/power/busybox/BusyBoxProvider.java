package dev.somnus.power.busybox;

import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.shutdown.ShutdownMode;
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
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The BusyBox provider: one Provider service (family shutdown) per mode, base rank 100. */
@Component(configurationPid = BusyBoxProvider.PID, service = {})
@Designate(ocd = BusyBoxProvider.Config.class)
public final class BusyBoxProvider {

    static final String PID = "dev.somnus.shutdown.busybox";

    @ObjectClassDefinition(id = PID, name = "Somnus BusyBox shutdown provider",
            description = "Shuts down, halts or reboots through BusyBox's poweroff / halt / reboot, as newer qemu-ga does.")
    public @interface Config {
        @AttributeDefinition(description = "Offer the BusyBox provider at all.")
        boolean enabled() default true;

        @AttributeDefinition(description = "Program run for mode powerdown, an absolute path.")
        String poweroff() default "/sbin/poweroff";

        @AttributeDefinition(description = "Program run for mode halt, an absolute path.")
        String halt() default "/sbin/halt";

        @AttributeDefinition(description = "Program run for mode reboot, an absolute path.")
        String reboot() default "/sbin/reboot";

        @AttributeDefinition(description = "The BusyBox binary: a program that is a hard link to it counts as BusyBox's "
                + "(as does one that resolves to a file named busybox).")
        String busybox() default "/bin/busybox";

        @AttributeDefinition(description = "service.ranking while available (minus 10000 while not).")
        int baseRank() default 100;

        @AttributeDefinition(description = "Seconds between probes (a look at the files); 0 probes only at start and on demand.")
        int probeIntervalSeconds() default 300;

        @AttributeDefinition(description = "Seconds a poweroff / halt / reboot run (it signals init and returns) may take "
                + "before it is killed.")
        int actionTimeoutSeconds() default 120;
    }

    private final ProviderComponent<Config> component;

    @Activate
    public BusyBoxProvider(BundleContext context, Config config, @Reference ChildProcesses children,
            @Reference(service = LoggerFactory.class) Logger logger) {
        component = new ProviderComponent<>(context, ShutdownMode.FAMILY, config, children, logger,
                BusyBoxProvider::settings, BusyBoxProvider::methods);
    }

    /** A changed configuration is applied in place: the services stay registered (ProviderRegistrations#reconfigure). */
    @Modified
    void modified(Config config) {
        component.reconfigure(config);
    }

    /**
     * Withdraws the services and refuses new helpers (see ProviderChildren); a poweroff still
     * running is left to finish: it is what stops the agent.
     */
    @Deactivate
    void deactivate() {
        component.close();
    }

    /** The provider-independent part of the configuration (public for the dispatch tests). */
    public static ProviderSettings settings(Config config) {
        return new ProviderSettings("busybox", config.enabled(), config.baseRank(),
                Duration.ofSeconds(config.probeIntervalSeconds()));
    }

    /** The three modes as configured (public for the dispatch tests). */
    public static Map<String, ProviderMethod> methods(Config config, ChildProcesses children) {
        HelperRunner actions = new HelperRunner(children, Duration.ofSeconds(config.actionTimeoutSeconds()));
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        for (ShutdownMode mode : ShutdownMode.values()) {
            methods.put(mode.id(), new BusyBoxMethod(program(config, mode), config.busybox(), actions));
        }
        return methods;
    }

    static String program(Config config, ShutdownMode mode) {
        switch (mode) {
            case HALT:
                return config.halt();
            case REBOOT:
                return config.reboot();
            case POWERDOWN:
            default:
                return config.poweroff();
        }
    }
}
