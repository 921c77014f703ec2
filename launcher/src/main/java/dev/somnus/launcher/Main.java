package dev.somnus.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.osgi.framework.launch.Framework;

/**
 * {@code somnus-ga}: reads qemu-ga's command line and configuration file, then runs the agent's
 * bundles in an embedded Felix until SIGTERM/SIGINT or a fatal channel error stops the framework.
 * Exit status: 0 after a clean stop, 1 for bad options or configuration, a start-up failure, or
 * (through {@code somnus.ga.exit-status}) a fatal channel error, as qemu-ga does.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        String argv0 = System.getProperty("somnus.argv0", "somnus-ga");
        CommandLine.Invocation invocation;
        try {
            invocation = CommandLine.parse(argv0, args, System::getenv);
        } catch (UsageException e) {
            stderr.println(e.getMessage());
            stdout.println(UsageException.hint(argv0));
            return 1;
        } catch (LaunchException e) {
            AgentLog.toStderr(false).log(AgentLog.Level.CRITICAL, e.getMessage());
            return 1;
        }
        AgentSettings settings = invocation.settings;
        if (invocation.action != CommandLine.Action.RUN) {
            // qemu-ga warns while reading; a run writes them to its log (perhaps the -l file) instead.
            AgentLog early = AgentLog.toStderr(false);
            invocation.warnings.forEach(w -> early.log(AgentLog.Level.WARNING, w));
        }
        switch (invocation.action) {
            case HELP:
                stdout.print(usage(argv0));
                return 0;
            case VERSION:
                stdout.println("Somnus guest agent " + version() + " (QEMU Guest Agent "
                        + AgentFramework.PROTOCOL_VERSION + " compatible)");
                return 0;
            case DUMP_CONF:
                stdout.print(settings.dump());
                return 0;
            case LIST_COMMANDS:
                return CommandCatalog.print(settings, stdout, stderr);
            default:
                return runAgent(invocation);
        }
    }

    private static int runAgent(CommandLine.Invocation invocation) {
        AgentSettings settings = invocation.settings;
        AgentLog log;
        try {
            log = AgentLog.open(settings.logfile, settings.verbose);
        } catch (LaunchException e) {
            AgentLog.toStderr(false).log(AgentLog.Level.CRITICAL, e.getMessage());
            return 1;
        }
        // The refusal is logged inside try (log): its catch would run after the -l file was closed.
        try (log) {
            try {
                invocation.warnings.forEach(w -> log.log(AgentLog.Level.WARNING, w));
                if (settings.daemon) {
                    // A JVM cannot fork into the background; a service manager does this better anyway.
                    throw new LaunchException("cannot daemonize (-d/--daemonize or daemon=true): run "
                            + "somnus-ga in the foreground and let the service manager put it in the background"
                            + " (systemd: Type=simple)");
                }
                Distribution dist = Distribution.locate();
                SignalStop signals = SignalStop.install(log);
                // The pidfile first: a second instance must not touch the first one's state folder.
                PidFile pidFile = settings.pidfile == null ? null
                        : PidFile.acquire(Path.of(settings.pidfile), ProcessHandle.current().pid());
                if (pidFile != null) {
                    signals.beforeHalt(pidFile::close);
                    // Also on exits that bypass main(), such as SIGHUP (only the first close acts).
                    Runtime.getRuntime().addShutdownHook(new Thread(pidFile::close, "somnus-pidfile-removal"));
                }
                try (StateFolder state = StateFolder.create(settings.statedir).lock()) {
                    TrustedFolder trust = TrustedFolder.forThisProcess();
                    // jffi (the reaper's and the channel's native calls) unpacks its library into a
                    // folder and loads it from there: the state folder (0700, ours) rather than /tmp,
                    // which hardened guests mount noexec and others can write to.
                    if (System.getProperty("jffi.extract.dir") == null) {
                        try {
                            System.setProperty("jffi.extract.dir",
                                    java.nio.file.Files.createDirectories(state.nativeLibraries()).toString());
                        } catch (java.io.IOException e) {
                            log.log(AgentLog.Level.WARNING, "cannot create " + state.nativeLibraries()
                                    + " for native libraries (" + e.getMessage() + "): jffi uses the temporary folder");
                        }
                    }
                    // dry run: conf/ is read once, into a copy in the state folder (0700), which is watched
                    Path conf = dist.conf();
                    if (settings.dryRun) {
                        String problem = trust.problem(conf);
                        if (problem != null) {
                            log.log(AgentLog.Level.ERROR, WatchedFolders.refusal(conf, problem));
                        }
                        conf = DryRun.prepare(problem == null ? conf : null, state.dryRunConf());
                    }
                    WatchedFolders folders = WatchedFolders.choose(List.of(dist.deploy(), conf),
                            state.root().resolve("nothing-to-watch"), trust, log);
                    // conf/ itself, not the dry-run copy: the administrator must find the file named
                    LauncherConfiguration.refuseFiles(List.of(dist.deploy(), dist.conf()));
                    if (settings.dryRun) {
                        log.log(AgentLog.Level.WARNING, "dry run: every command that acts on the guest only says what it would do"
                                + " (configuration " + DryRun.AGENT_PID + " dryRun=true from " + conf + ")");
                    }
                    if (settings.bundleCache != null) {
                        settings.bundleCache = AgentFramework.keptCache(settings.bundleCache, trust).toString();
                    }
                    Framework framework = AgentFramework.start(
                            AgentFramework.properties(settings, state, folders.fileinstallDir()),
                            AgentFramework.jars(dist.bundles()), LauncherConfiguration.with(
                                    LauncherConfiguration.of(settings), DryRun.configurations(settings.dryRun)), log);
                    folders.guard(framework, log);
                    signals.ignoreWhile(FrozenState.watch(framework, log)::frozen);
                    log.log(AgentLog.Level.INFO, "Somnus guest agent " + version() + " started: method "
                            + settings.method + ", path " + settings.effectivePath());
                    signals.started(framework);
                    awaitStop(framework);
                    log.log(AgentLog.Level.INFO, "Somnus guest agent stopped");
                } finally {
                    if (pidFile != null) {
                        pidFile.close();
                    }
                }
            } catch (LaunchException e) {
                log.log(AgentLog.Level.CRITICAL, e.getMessage());
                return 1;
            }
        }
        return exitStatus();
    }

    private static void awaitStop(Framework framework) {
        while (true) {
            try {
                framework.waitForStop(0);
                return;
            } catch (InterruptedException e) {
                // keep waiting: only a framework stop ends the agent
            }
        }
    }

    /** Set to 1 by the channel component on a fatal channel error (qemu-ga's exit 1). */
    static int exitStatus() {
        try {
            return Integer.parseInt(System.getProperty("somnus.ga.exit-status", "0"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    static String usage(String argv0) {
        return "Usage: " + argv0 + " [-m <method> -p <path>] [<options>]\n"
                + "Somnus guest agent " + version() + ", compatible with QEMU Guest Agent "
                + AgentFramework.PROTOCOL_VERSION + "\n"
                + "\n"
                + "  -m, --method      transport method: one of unix-listen, virtio-serial,\n"
                + "                    isa-serial, or vsock-listen (virtio-serial is the default)\n"
                + "  -p, --path        device/socket path (the default for virtio-serial is:\n"
                + "                    /dev/virtio-ports/org.qemu.guest_agent.0,\n"
                + "                    the default for isa-serial is: /dev/ttyS0).\n"
                + "                    Socket addresses for vsock-listen are written as <cid>:<port>.\n"
                + "  -l, --logfile     set logfile path, logs to stderr by default\n"
                + "  -f, --pidfile     write and lock this pidfile (none unless given)\n"
                + "  -F, --fsfreeze-hook\n"
                + "                    enable fsfreeze hook. Accepts an optional argument that\n"
                + "                    specifies script to run on freeze/thaw. Script will be\n"
                + "                    called with 'freeze'/'thaw' arguments accordingly.\n"
                + "                    (default is /etc/qemu/fsfreeze-hook)\n"
                + "                    If using -F with an argument, do not follow -F with a\n"
                + "                    space.\n"
                + "                    (for example: -F/var/run/fsfreezehook.sh)\n"
                + "  -t, --statedir    specify dir to store state information (default is /var/run;\n"
                + "                    Somnus keeps its own files in <statedir>/somnus-ga)\n"
                + "  -v, --verbose     log extra debugging information\n"
                + "  -V, --version     print version information and exit\n"
                + "  -d, --daemonize   refused: run in the foreground under a service manager\n"
                + "  -b, --block-rpcs  comma-separated list of RPCs to disable (no spaces,\n"
                + "                    use \"help\" to list available RPCs)\n"
                + "  -a, --allow-rpcs  comma-separated list of RPCs to enable (no spaces,\n"
                + "                    use \"help\" to list available RPCs)\n"
                + "  -D, --dump-conf   dump a qemu-ga config file based on current config\n"
                + "                    options / command-line parameters to stdout\n"
                + "  -r, --retry-path  attempt re-opening path if it's unavailable or closed\n"
                + "                    due to an error which may be recoverable in the future\n"
                + "  -c, --config      read this configuration file instead of $QGA_CONF or\n"
                + "                    /etc/qemu/qemu-ga.conf (it must exist)\n"
                + "      --dry-run     suspend providers only log what they would do\n"
                + "      --bundle-cache DIR\n"
                + "                    keep the OSGi bundle cache in DIR and reuse it at the next\n"
                + "                    start instead of installing every bundle again (one agent\n"
                + "                    per DIR; default: a fresh cache in <statedir>/somnus-ga)\n"
                + "  -h, --help        display this help and exit\n";
    }
}
