package dev.somnus.suspend.systemd;

import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.HelperRunner;
import dev.somnus.provider.common.ProviderComponent;
import dev.somnus.provider.common.ProviderMethod;
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
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The systemd provider: one Provider service (family suspend) per mode, base rank 300. */
@Component(configurationPid = SystemdProvider.PID, service = {})
@Designate(ocd = SystemdProvider.Config.class)
public final class SystemdProvider {

    static final String PID = "dev.somnus.suspend.systemd";

    @ObjectClassDefinition(id = PID, name = "Somnus systemd suspend provider",
            description = "Suspends through systemctl hibernate / suspend / hybrid-sleep.")
    public @interface Config {
        @AttributeDefinition(description = "Offer the systemd provider at all.")
        boolean enabled() default true;

        @AttributeDefinition(description = "systemctl program (bare names are resolved in the reaper's trusted directories).")
        String systemctl() default "systemctl";

        @AttributeDefinition(description = "Directory that exists only when systemd manages the machine.")
        String runDir() default "/run/systemd/system";

        @AttributeDefinition(description = "service.ranking while available (minus 10000 while not).")
        int baseRank() default 300;

        @AttributeDefinition(description = "Seconds between probes; 0 probes only at start and on demand.")
        int probeIntervalSeconds() default 300;

        @AttributeDefinition(description = "Seconds a 'systemctl status' run may take before it is killed.")
        int probeTimeoutSeconds() default 10;

        @AttributeDefinition(description = "Minutes a 'systemctl <verb>' run may take before it is killed.")
        int actionTimeoutMinutes() default 2;
    }

    private final ProviderComponent<Config> component;

    @Activate
    public SystemdProvider(BundleContext context, Config config, @Reference ChildProcesses children,
            @Reference(service = LoggerFactory.class) Logger logger) {
        component = new ProviderComponent<>(context, SuspendMode.FAMILY, config, children, logger,
                SystemdProvider::settings, SystemdProvider::methods);
    }

    /** A changed configuration is applied in place: the services stay registered (ProviderRegistrations#reconfigure). */
    @Modified
    void modified(Config config) {
        component.reconfigure(config);
    }

    /**
     * The reaper's service, followed for its properties only: they carry its trusted directories,
     * where a bare systemctl is looked up, and change with its configuration (which may arrive
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
        return new ProviderSettings("systemd", config.enabled(), config.baseRank(),
                Duration.ofSeconds(config.probeIntervalSeconds()));
    }

    /** The three modes as configured (public for the dispatch tests). */
    public static Map<String, ProviderMethod> methods(Config config, ChildProcesses children) {
        HelperRunner probes = new HelperRunner(children, Duration.ofSeconds(config.probeTimeoutSeconds()));
        HelperRunner actions = new HelperRunner(children, Duration.ofMinutes(config.actionTimeoutMinutes()));
        Map<String, ProviderMethod> methods = new LinkedHashMap<>();
        for (SuspendMode mode : SuspendMode.values()) {
            methods.put(mode.id(), new SystemdMethod(mode, config.systemctl(), Path.of(config.runDir()), probes, actions));
        }
        return methods;
    }
}
