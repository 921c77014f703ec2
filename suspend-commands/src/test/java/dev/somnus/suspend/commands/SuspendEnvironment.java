package dev.somnus.suspend.commands;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.provider.Provider;
import dev.somnus.api.suspend.SuspendMode;
import dev.somnus.provider.common.Configs;
import dev.somnus.provider.common.FakeHelper;
import dev.somnus.provider.common.NoLogger;
import dev.somnus.provider.common.ProcessBuilderChildProcesses;
import dev.somnus.provider.common.ProviderMethod;
import dev.somnus.provider.common.ProviderSettings;
import dev.somnus.provider.common.PublishedProvider;
import dev.somnus.provider.common.RankedProviders;
import dev.somnus.suspend.pmutils.PmUtilsProvider;
import dev.somnus.suspend.sysfs.SysfsProvider;
import dev.somnus.suspend.systemd.SystemdProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * A guest for the dispatch tests: the three real providers, configured onto fake programs
 * ({@code bin/systemctl}, {@code bin/pm-*}, scripts that only log and exit), a fake systemd run
 * directory and fake {@code /sys} and {@code /proc} trees, published the way
 * {@code ProviderRegistrations} publishes them (probed first, properties republished on change),
 * with service ids in registration order systemd, pmutils, sysfs. Nothing here can suspend the
 * machine running the tests.
 */
final class SuspendEnvironment {

    final Path root;
    final FakeHelper systemctl;
    final FakeHelper pmIsSupported;
    final FakeHelper pmHibernate;
    final FakeHelper pmSuspend;
    final FakeHelper pmSuspendHybrid;
    final Path runDir;
    final Path proc;
    final Path sys;
    final Path power;
    private final List<Registered> registered = new ArrayList<>();

    private record Registered(PublishedProvider provider, AtomicReference<Dictionary<String, Object>> properties,
            long serviceId) {

        Object property(String key) {
            return Constants.SERVICE_ID.equals(key) ? (Object) serviceId : properties.get().get(key);
        }
    }

    /** A guest with pm-utils installed (answering yes), systemd not running and no /sys/power/state. */
    SuspendEnvironment(Path root) {
        this.root = root;
        Path bin = mkdirs(root.resolve("bin"));
        systemctl = FakeHelper.create(bin, "systemctl").exitWith(3, "status");
        pmIsSupported = FakeHelper.create(bin, "pm-is-supported");
        pmHibernate = FakeHelper.create(bin, "pm-hibernate");
        pmSuspend = FakeHelper.create(bin, "pm-suspend");
        pmSuspendHybrid = FakeHelper.create(bin, "pm-suspend-hybrid");
        runDir = root.resolve("run/systemd/system");
        proc = mkdirs(root.resolve("proc"));
        sys = mkdirs(root.resolve("sys"));
        power = mkdirs(sys.resolve("power"));
    }

    SuspendEnvironment systemdRunning() {
        mkdirs(runDir);
        return this;
    }

    SuspendEnvironment withoutPmUtils() {
        for (FakeHelper helper : List.of(pmIsSupported, pmHibernate, pmSuspend, pmSuspendHybrid)) {
            helper.uninstall();
        }
        return this;
    }

    SuspendEnvironment sysfsState(String text) {
        return write(power.resolve("state"), text);
    }

    SuspendEnvironment sysfsDisk(String text) {
        return write(power.resolve("disk"), text);
    }

    SuspendEnvironment write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    String state() {
        try {
            return Files.exists(power.resolve("state")) ? Files.readString(power.resolve("state")) : "(absent)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Activates the three providers: each mode probed once, then published. */
    SuspendEnvironment start() {
        ProcessBuilderChildProcesses children = new ProcessBuilderChildProcesses();
        SystemdProvider.Config systemd = Configs.of(SystemdProvider.Config.class, "systemctl", systemctl.path(),
                "runDir", runDir.toString());
        PmUtilsProvider.Config pmutils = Configs.of(PmUtilsProvider.Config.class, "pmIsSupported",
                pmIsSupported.path(), "pmHibernate", pmHibernate.path(), "pmSuspend", pmSuspend.path(),
                "pmSuspendHybrid", pmSuspendHybrid.path());
        SysfsProvider.Config sysfs = Configs.of(SysfsProvider.Config.class, "root", power.toString());
        publish(SystemdProvider.settings(systemd), SystemdProvider.methods(systemd, children));
        publish(PmUtilsProvider.settings(pmutils), PmUtilsProvider.methods(pmutils, children));
        publish(SysfsProvider.settings(sysfs), SysfsProvider.methods(sysfs));
        return this;
    }

    private void publish(ProviderSettings settings, Map<String, ProviderMethod> methods) {
        for (Map.Entry<String, ProviderMethod> entry : methods.entrySet()) {
            PublishedProvider provider = new PublishedProvider(SuspendMode.FAMILY, entry.getKey(), settings,
                    entry.getValue());
            provider.probe();
            AtomicReference<Dictionary<String, Object>> properties = new AtomicReference<>();
            provider.publishWith(initial -> {
                properties.set(initial);
                return properties::set;
            });
            registered.add(new Registered(provider, properties, registered.size() + 1));
        }
    }

    /** What a component bound with the given target sees (all providers when empty). */
    RankedProviders providers(Optional<SuspendMode> mode) {
        RankedProviders set = new RankedProviders();
        for (Registered r : registered) {
            if (mode.isEmpty() || mode.get().id().equals(r.property(Provider.MODE))) {
                set.add(r.provider(), r::property);
            }
        }
        return set;
    }

    /** Binds every provider the way DS calls a component's bind method (live properties). */
    void bindAll(BiConsumer<Provider, ServiceReference<Provider>> bind) {
        for (Registered r : registered) {
            bind.accept(r.provider(), FakeReference.of(r::property));
        }
    }

    /** The published properties of one provider. */
    Object property(String provider, SuspendMode mode, String key) {
        for (Registered r : registered) {
            if (r.provider().name().equals(provider) && r.provider().mode().equals(mode.id())) {
                return r.property(key);
            }
        }
        throw new IllegalArgumentException(provider + "/" + mode);
    }

    SuspendSettings settings(Object... overrides) {
        Object[] all = new Object[overrides.length + 4];
        all[0] = "procRoot";
        all[1] = proc.toString();
        all[2] = "sysRoot";
        all[3] = sys.toString();
        System.arraycopy(overrides, 0, all, 4, overrides.length);
        return Configs.of(SuspendSettings.class, all);
    }

    /**
     * The mode's command as its factory instance would be made (SuspendCommands), bound to what its
     * target filter lets through: the providers of its mode.
     */
    SuspendCommand command(SuspendMode mode, Object... settings) {
        SuspendCommand command = new SuspendCommand(Configs.of(SuspendCommand.Instance.class, "mode", mode.id()),
                settings(settings), NoLogger.create());
        bindAll((provider, reference) -> {
            if (provider.mode().equals(mode.id())) {
                command.addProvider(provider, reference);
            }
        });
        return command;
    }

    /** Runs the mode's command; returns normally where the agent would send nothing. */
    void suspend(SuspendMode mode, Object... settings) throws CommandException {
        command(mode, settings).execute(Map.of());
    }

    /** What the mode's command would do (what the runtime's dry run answers with). */
    String explain(SuspendMode mode, Object... settings) throws CommandException {
        return command(mode, settings).explain(Map.of());
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
