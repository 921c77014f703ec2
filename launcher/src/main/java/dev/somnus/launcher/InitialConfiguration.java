package dev.somnus.launcher;

import java.lang.reflect.InvocationTargetException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Configurations the launcher itself puts into Config Admin right after configadmin starts and
 * before SCR or any agent bundle does, so a component never runs a moment without them: the
 * channel's and the protocol's settings from qemu-ga's options ({@link LauncherConfiguration},
 * which the runtime requires), and with {@code --dry-run} dryRun=true in dev.somnus.agent, whose
 * configuration is optional, so the runtime never activates with dryRun=false while fileinstall is
 * still reading conf/. The Config Admin API is called reflectively through the service's own class loader: the
 * launcher shares only the Log API with the bundles, and adding cm to the system bundle's exports
 * would rewire every bundle that uses it.
 */
final class InitialConfiguration {

    static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    private InitialConfiguration() {
    }

    static void apply(BundleContext context, Map<String, Map<String, Object>> configurations)
            throws LaunchException {
        if (configurations.isEmpty()) {
            return;
        }
        ServiceReference<?> reference = context.getServiceReference(CONFIGURATION_ADMIN);
        if (reference == null) {
            throw new LaunchException("configadmin registered no ConfigurationAdmin service; cannot set "
                    + configurations.keySet());
        }
        Object admin = context.getService(reference);
        try {
            ClassLoader api = admin.getClass().getClassLoader();
            Class<?> adminType = api.loadClass(CONFIGURATION_ADMIN);
            Class<?> configurationType = api.loadClass("org.osgi.service.cm.Configuration");
            for (Map.Entry<String, Map<String, Object>> entry : configurations.entrySet()) {
                // "?" binds the configuration to whichever bundle first uses the PID.
                Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                        .invoke(admin, entry.getKey(), "?");
                Dictionary<String, Object> properties = new Hashtable<>(entry.getValue());
                configurationType.getMethod("update", Dictionary.class).invoke(configuration, properties);
            }
        } catch (InvocationTargetException e) {
            throw new LaunchException("unable to set configuration " + configurations.keySet() + ": "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new LaunchException("unable to set configuration " + configurations.keySet() + ": " + e, e);
        } finally {
            context.ungetService(reference);
        }
    }
}
