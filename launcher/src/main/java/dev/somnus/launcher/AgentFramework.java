package dev.somnus.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.log.LogReaderService;

/**
 * The embedded Felix: the framework properties that carry the agent's settings to the bundles
 * (the state folder, the freeze hook, dry run; the channel's and the protocol's travel through
 * Config Admin, {@link LauncherConfiguration}),
 * and the start of every bundle in the distribution's bundle/ folder. The suspend providers in
 * deploy/ and the .cfg files in conf/ are fileinstall's business, so they can come and go while the
 * agent runs.
 */
final class AgentFramework {

    /** The qemu-ga release whose protocol and behaviour Somnus matches (guest-info's version). */
    static final String PROTOCOL_VERSION = "7.2.22";
    /**
     * How often fileinstall looks at deploy/ and conf/, and so how long a bundle or configuration
     * dropped there waits to be applied. Each look wakes the idle agent once per watched folder: at
     * 1 s the pollers were two of its 11 wake-ups a second (BENCHMARKS.md, "Footprint"); at 5 s hot
     * deploy still answers while an administrator looks, and {@link WatchedFolders#guard} checks
     * the folders at the same pace.
     */
    static final long POLL_MILLIS = 5000;

    /** The Log API travels on the launcher's class path; felix.log must bind to these classes. */
    static final String LOG_API_PACKAGES =
            "org.osgi.service.log;version=1.5.0,org.osgi.service.log.admin;version=1.0.0";

    static final String CONFIGADMIN = "org.apache.felix.configadmin";

    static final String AGENT_RUNTIME = "dev.somnus.agent.runtime";

    private AgentFramework() {
    }

    /**
     * @param confDir where fileinstall reads configurations ({@code conf/}, or its dry-run copy)
     */
    static Map<String, String> properties(AgentSettings settings, Distribution dist, StateFolder state,
            Path confDir) {
        return properties(settings, state, dist.deploy() + "," + confDir);
    }

    /**
     * @param fileinstallDir the folders fileinstall watches, comma-separated (see {@link WatchedFolders})
     */
    static Map<String, String> properties(AgentSettings settings, StateFolder state, String fileinstallDir) {
        Map<String, String> p = new LinkedHashMap<>();
        if (settings.bundleCache == null) {
            p.put(Constants.FRAMEWORK_STORAGE, state.bundleCache().toString());
            p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        } else {
            // Kept: the bundles of bundle/ and deploy/ and the configurations stay installed from
            // the last start (e.g. an image build), so a cold start skips installing them
            // (vmtests/README.md, "Start-up tuning"). start() reconciles bundle/ with it.
            p.put(Constants.FRAMEWORK_STORAGE, Path.of(settings.bundleCache).toAbsolutePath().toString());
            // SCR keeps the components' metadata in its data area of that cache, so a start does not
            // parse every bundle's component XML again (with the JDK's SAX parser, interpreted).
            p.put("ds.cache.metadata", "true");
        }
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, LOG_API_PACKAGES);
        // felix.log drops entries below its root level (WARN unless told); -v shows everything.
        p.put("org.osgi.service.log.admin.loglevel", settings.verbose ? "DEBUG" : "WARN");
        p.put("felix.log.level", settings.verbose ? "3" : "2");

        // fileinstall 3.7.4 watches every folder of a comma-separated felix.fileinstall.dir.
        p.put("felix.fileinstall.dir", fileinstallDir);
        p.put("felix.fileinstall.tmpdir", state.fileinstallTmp().toString());
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.poll", Long.toString(POLL_MILLIS));
        // conf/ is the administrator's: configuration changes made at run time are not written back.
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.level", settings.verbose ? "4" : "2");

        // The channel and protocol settings (-m -p -r -b -a) go through Config Admin instead:
        // LauncherConfiguration.
        p.put("somnus.ga.statedir", Path.of(settings.statedir).toAbsolutePath().toString());
        if (settings.fsfreezeHook != null) {
            // -F/--fsfreeze-hook (or fsfreeze-hook in qemu-ga.conf): the freeze bundle runs it
            p.put("somnus.ga.fsfreeze-hook", settings.fsfreezeHook);
        }
        if (settings.dryRun) {
            p.put("somnus.ga.dry-run", "true");
        }
        return p;
    }

    /** Every jar of a folder, in name order. */
    static List<Path> jars(Path folder) throws LaunchException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.jar")) {
            files.forEach(jars::add);
        } catch (IOException e) {
            throw new LaunchException("unable to read bundle folder " + folder + ": " + Errors.describe(e));
        }
        jars.sort(null);
        return jars;
    }

    /**
     * Creates and starts the framework, wires its log and the Log service into {@code log}, installs
     * and starts {@code bundles}, and sets {@code configurations} (PID to properties) as soon as
     * configadmin is up. On failure the framework is stopped again.
     */
    static Framework start(Map<String, String> properties, List<Path> bundles,
            Map<String, Map<String, Object>> configurations, AgentLog log) throws LaunchException {
        Map<String, Object> config = new HashMap<>(properties);
        config.put("felix.log.logger", new FrameworkLog(log));
        Felix felix = new Felix(config);
        try {
            felix.init();
            followLogService(felix.getBundleContext(), log);
            boolean assembled = isAssembled(felix.getBundleContext(), properties);
            List<Bundle> installed = install(felix.getBundleContext(), bundles);
            felix.start();
            installed.sort(Comparator.comparingInt(b -> startRank(b, assembled)));
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    start(bundle);
                }
                if (CONFIGADMIN.equals(bundle.getSymbolicName())) {
                    InitialConfiguration.apply(felix.getBundleContext(), configurations);
                }
            }
            markAssembled(properties);
            return felix;
        } catch (BundleException | RuntimeException | LaunchException e) {
            stopQuietly(felix);
            if (e instanceof LaunchException) {
                throw (LaunchException) e;
            }
            throw new LaunchException("unable to start the OSGi framework: " + e.getMessage(), e);
        }
    }

    /**
     * The Log service first, so every later bundle's entries reach the agent's log (fileinstall
     * otherwise prints to stdout); configadmin and SCR next; then the other bundles; fileinstall after
     * them, so the bundles and configurations it finds meet a complete runtime; the agent runtime
     * last. fileinstall scans deploy/ and conf/ once while it starts (noInitialDelay), so by the time
     * the runtime opens the channel the providers and their configuration are in place, as qemu-ga
     * has every command before it listens: a host's first request never meets a half-assembled agent.
     * Except from a kept cache an earlier start of the same kind assembled ({@code assembled},
     * {@link #isAssembled}): the providers and their configurations are then in place before
     * fileinstall starts, so the runtime goes first and fileinstall's first scan (about 1 s of a cold
     * start under emulation, vmtests/README.md) follows the first answer; it then applies only what
     * changed in deploy/ and conf/ since (a provider jar deleted while the agent was down answers the
     * first requests, then goes).
     */
    static int startRank(Bundle bundle, boolean assembled) {
        String name = String.valueOf(bundle.getSymbolicName());
        switch (name) {
            case "org.apache.felix.log": return 0;
            case CONFIGADMIN: return 1;
            case "org.apache.felix.scr": return 2;
            case "org.apache.felix.fileinstall": return assembled ? 5 : 4;
            case AGENT_RUNTIME: return assembled ? 4 : 5;
            default: return 3;
        }
    }

    /** Written into a kept cache after a start: what its stored configuration was made for. */
    static final String ASSEMBLY_MARKER = "somnus-assembly";

    /**
     * Whether the cache holds what an earlier start of the same kind assembled (a kept cache,
     * --bundle-cache): deploy/'s bundles and conf/'s configurations installed, stored, and started
     * with the framework. "The same kind": the same watched folders and the same dry-run setting,
     * so a dry run's stored dryRun=true, or configurations from another conf/, never serve a first
     * answer; such a start takes the default order and lets fileinstall apply conf/ first.
     */
    static boolean isAssembled(BundleContext context, Map<String, String> properties) {
        if (!kept(properties) || context.getBundles().length <= 1) {
            return false;
        }
        try {
            return assembly(properties).equals(Files.readString(marker(properties)));
        } catch (IOException e) {
            return false;
        }
    }

    private static void markAssembled(Map<String, String> properties) {
        if (!kept(properties)) {
            return;
        }
        try {
            Files.writeString(marker(properties), assembly(properties));
        } catch (IOException e) {
            // the next start then takes the default order: slower, not wrong
        }
    }

    /**
     * The folder of {@code --bundle-cache}, made (0700) when missing, and only when nobody but the
     * agent's user or root can write it: it holds copies of deploy/'s bundles, Config Admin's stored
     * configuration and SCR's component metadata, all of which the agent loads as they are.
     *
     * @throws LaunchException naming the problem, so the agent does not start on such a cache
     */
    static Path keptCache(String folder, TrustedFolder trust) throws LaunchException {
        Path cache = Path.of(folder).toAbsolutePath();
        try {
            if (!Files.isDirectory(cache)) {
                Files.createDirectories(cache.getParent());
                Files.createDirectory(cache,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new LaunchException("unable to create the bundle cache " + cache + ": " + Errors.describe(e));
        }
        String problem = trust.problem(cache);
        if (problem != null) {
            throw new LaunchException(TrustedFolder.refusal("keep the bundle cache in", cache, problem));
        }
        return cache;
    }

    /** A cache that is not cleaned when the framework initialises: --bundle-cache. */
    private static boolean kept(Map<String, String> properties) {
        return !properties.containsKey(Constants.FRAMEWORK_STORAGE_CLEAN);
    }

    private static Path marker(Map<String, String> properties) {
        return Path.of(properties.get(Constants.FRAMEWORK_STORAGE)).resolve(ASSEMBLY_MARKER);
    }

    private static String assembly(Map<String, String> properties) {
        return "felix.fileinstall.dir=" + properties.get("felix.fileinstall.dir") + "\n"
                + "somnus.ga.dry-run=" + properties.getOrDefault("somnus.ga.dry-run", "false") + "\n";
    }

    /**
     * Installs every jar of bundle/ by reference. With a kept cache (--bundle-cache) the jars are
     * mostly installed already: installBundle then returns the installed bundle; a jar changed since
     * is updated, and a bundle of an earlier bundle/ whose jar is gone is uninstalled, so the
     * framework runs exactly bundle/ either way. fileinstall's bundles (file: locations) are left to
     * fileinstall.
     */
    static List<Bundle> install(BundleContext context, List<Path> jars) throws BundleException {
        Map<String, Path> wanted = new LinkedHashMap<>();
        for (Path jar : jars) {
            // reference: leaves the jar where it is instead of copying it into the cache.
            wanted.put("reference:" + jar.toUri(), jar);
        }
        for (Bundle old : context.getBundles()) {
            if (old.getLocation().startsWith("reference:") && !wanted.containsKey(old.getLocation())) {
                old.uninstall();
            }
        }
        List<Bundle> installed = new ArrayList<>();
        for (Map.Entry<String, Path> jar : wanted.entrySet()) {
            Bundle existing = context.getBundle(jar.getKey());
            Bundle bundle = context.installBundle(jar.getKey());
            if (existing != null && modifiedSince(jar.getValue(), existing.getLastModified())) {
                bundle.update();
            }
            installed.add(bundle);
        }
        return installed;
    }

    private static boolean modifiedSince(Path jar, long millis) {
        try {
            return Files.getLastModifiedTime(jar).toMillis() > millis;
        } catch (IOException e) {
            return true;
        }
    }

    private static void start(Bundle bundle) throws LaunchException {
        try {
            // Transient: a kept cache (--bundle-cache) then does not restart the bundles by itself
            // when the framework starts, out of startRank's order; this method starts them in it.
            bundle.start(Bundle.START_TRANSIENT);
        } catch (BundleException e) {
            throw new LaunchException("unable to start bundle " + bundle.getSymbolicName() + " ("
                    + bundle.getLocation() + "): " + e.getMessage(), e);
        }
    }

    /** Adds the bridge to every LogReaderService as it appears, before any bundle can log. */
    private static void followLogService(BundleContext context, AgentLog log) {
        LogBridge bridge = new LogBridge(log);
        try {
            context.addServiceListener(event -> {
                if (event.getType() == ServiceEvent.REGISTERED) {
                    Object service = context.getService(event.getServiceReference());
                    if (service instanceof LogReaderService) {
                        ((LogReaderService) service).addLogListener(bridge);
                    } else if (service != null) {
                        log.log(AgentLog.Level.WARNING, "the Log service does not share the launcher's Log API"
                                + " classes; bundle log entries will not be shown");
                    }
                }
            }, "(" + Constants.OBJECTCLASS + "=" + LogReaderService.class.getName() + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void stopQuietly(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException | InterruptedException e) {
            // already failing; the process exits next
        }
    }
}
