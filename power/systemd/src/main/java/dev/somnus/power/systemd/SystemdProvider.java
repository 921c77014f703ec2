package dev.somnus.power.systemd;

import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.shutdown.ShutdownMode;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderComponent;
import dev.somnus.provider.common.ProviderMethod;
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
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The systemd provider: one Provider service (family shutdown) per mode, base rank 300. */
@Component(configurationPid = SystemdProvider.PID, service = {})
@Designate(ocd = SystemdProvider.Config.class)
public final class SystemdProvider {

    static final String PID = "dev.somnus.shutdown.systemd";

    @ObjectClassDefinition(id = PID, name = "Somnus systemd shutdown provider",
            description = "Shuts down, halts or reboots through systemctl poweroff / halt / reboot.")
    public @interface Config {
        @AttributeDefinition(description = "Offer the systemd provider at all.")
        boolean enabled() default true;

        @AttributeDefinition(description = "systemctl program (bare names are resolved in the reaper's trusted directories).")
        String systemctl() default "systemctl";

        @AttributeDefinition(description = "Directory that exists only when systemd manages the machine.")
        String runDir() default "/run/systemd/system";

        @AttributeDefinition(description = "service.ranking while available (minus 10000 while not).")
        int baseRank() default 300;

        @AttributeDefinition(description = "Seconds between probes (a look at files); 0 probes only at start and on demand.")
        int probeIntervalSeconds() default 300;

        @AttributeDefinition(description = "Seconds a 'systemctl poweroff|halt|reboot' run (it returns once systemd "
                + "accepted the job) may take before it is killed.")
        int actionTimeoutSeconds() default 120;
    }

    /** The reaper's default, until its service properties say otherwise. */
    static final String DEFAULT_TRUSTED_DIRECTORIES = "/usr/sbin:/usr/bin:/sbin:/bin";

    private final ProviderComponent<Config> component;
    private volatile String trustedDirectories;

    @Activate
    public SystemdProvider(BundleContext context, Config config,
            @Reference(service = ChildProcesses.class) Map.Entry<Map<String, Object>, ChildProcesses> reaper,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this.trustedDirectories = trustedDirectories(reaper.getKey());
        component = new ProviderComponent<>(context, ShutdownMode.FAMILY, config, reaper.getValue(), logger,
                SystemdProvider::settings, (c, children) -> methods(c, children, () -> trustedDirectories));
    }

    /** A changed configuration is applied in place: the services stay registered (ProviderRegistrations#reconfigure). */
    @Modified
    void modified(Config config) {
        component.reconfigure(config);
    }

    private static String trustedDirectories(Map<String, Object> reaperProperties) {
        Object dirs = reaperProperties.get(ChildProcesses.TRUSTED_DIRECTORIES);
        return dirs instanceof String ? (String) dirs : DEFAULT_TRUSTED_DIRECTORIES;
    }

    /**
     * The reaper's service, followed for its properties only: they carry its trusted directories,
     * where a bare systemctl is looked up, and change with its configuration (which may arrive
     * after this component probed). Then every answer is stale and probed again at once.
     */
    @Reference(name = "reaperSettings", service = ChildProcesses.class, policy = ReferencePolicy.DYNAMIC,
            updated = "reaperReconfigured", unbind = "reaperGone")
    void reaperBound(Map<String, Object> properties) {
        if (!trustedDirectories(properties).equals(trustedDirectories)) {
            reaperReconfigured(properties); // changed between the constructor's probe and this call
        }
    }

    void reaperReconfigured(Map<String, Object> properties) {
        trustedDirectories = trustedDirectories(properties);
        component.inputsChanged();
    }

    void reaperGone(Map<String, Object> properties) {
        // the static reference of the constructor deactivates this component
    }

    /**
     * Withdraws the services and refuses new helpers (see ProviderChildren); a systemctl poweroff
     * still running is left to finish: it is what stops the agent.
     */
    @Deactivate
    void deactivate() {
        component.close();
    }

    /** The provider-independent part of the configuration (public for the dispatch tests). */
    public static ProviderSettings settings(Config config) {
        return new ProviderSettings("systemd", config.enabled(), config.baseRank(),
                Duration.ofSeconds(config.probeIntervalSeconds()));
    }

    /**
     * The three modes as configured (public for the dispatch tests).
     *
     * @param trustedDirectories the reaper's trusted directories, read at every probe
     */
    public static Map<String, ProviderMethod> methods(Config config, ChildProcesses children,
            Supplier<String> trustedDirectories) {
        HelperRunner actions = new HelperRunner(children, Duration.ofSeconds(config.actionTimeoutSeconds()));
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        for (ShutdownMode mode : ShutdownMode.values()) {
            methods.put(mode.id(), new SystemdMethod(mode, config.systemctl(), Path.of(config.runDir()),
                    trustedDirectories, actions));
        }
        return methods;
    }
}
