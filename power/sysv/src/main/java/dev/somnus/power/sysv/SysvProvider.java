package dev.somnus.power.sysv;

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

/** The shutdown(8) provider, qemu-ga 7.2's way: one Provider service (family shutdown) per mode, base rank 200. */
@Component(configurationPid = SysvProvider.PID, service = {})
@Designate(ocd = SysvProvider.Config.class)
public final class SysvProvider {

    static final String PID = "dev.somnus.shutdown.sysv";

    @ObjectClassDefinition(id = PID, name = "Somnus shutdown(8) provider",
            description = "Shuts down, halts or reboots as qemu-ga 7.2 does: /sbin/shutdown -h -P|-H|-r +0 \"hypervisor initiated shutdown\".")
    public @interface Config {
        @AttributeDefinition(description = "Offer the shutdown(8) provider at all.")
        boolean enabled() default true;

        @AttributeDefinition(description = "The shutdown program, an absolute path (qemu-ga 7.2 runs /sbin/shutdown).")
        String shutdown() default "/sbin/shutdown";

        @AttributeDefinition(description = "service.ranking while available (minus 10000 while not).")
        int baseRank() default 200;

        @AttributeDefinition(description = "Seconds between probes (a look at the file); 0 probes only at start and on demand.")
        int probeIntervalSeconds() default 300;

        @AttributeDefinition(description = "Seconds a shutdown run (it returns once init has the request) may take "
                + "before it is killed.")
        int actionTimeoutSeconds() default 120;
    }

    private final ProviderComponent<Config> component;

    @Activate
    public SysvProvider(BundleContext context, Config config, @Reference ChildProcesses children,
            @Reference(service = LoggerFactory.class) Logger logger) {
        component = new ProviderComponent<>(context, ShutdownMode.FAMILY, config, children, logger,
                SysvProvider::settings, SysvProvider::methods);
    }

    /** A changed configuration is applied in place: the services stay registered (ProviderRegistrations#reconfigure). */
    @Modified
    void modified(Config config) {
        component.reconfigure(config);
    }

    /**
     * Withdraws the services and refuses new helpers (see ProviderChildren); a shutdown still
     * running is left to finish: it is what stops the agent.
     */
    @Deactivate
    void deactivate() {
        component.close();
    }

    /** The provider-independent part of the configuration (public for the dispatch tests). */
    public static ProviderSettings settings(Config config) {
        return new ProviderSettings("sysv", config.enabled(), config.baseRank(),
                Duration.ofSeconds(config.probeIntervalSeconds()));
    }

    /** The three modes as configured (public for the dispatch tests). */
    public static Map<String, ProviderMethod> methods(Config config, ChildProcesses children) {
        HelperRunner actions = new HelperRunner(children, Duration.ofSeconds(config.actionTimeoutSeconds()));
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        for (ShutdownMode mode : ShutdownMode.values()) {
            methods.put(mode.id(), new SysvMethod(mode, config.shutdown(), actions));
        }
        return methods;
    }
}
