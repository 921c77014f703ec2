package dev.somnus.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * {@code -b help} / {@code -a help}: prints the name of every command, one per line, and exits 0,
 * like qemu-ga. Commands are services registered by bundles, so the launcher cannot know them
 * without running the bundles: it starts the framework briefly in a throwaway folder, with the
 * channel listening on a unix socket inside that folder (so the real channel, which may be in use
 * by a running agent, is never opened, bound or unlinked). Once the Command services have settled
 * it asks the agent itself with {@code guest-info} over that socket, so the protocol's own
 * commands (guest-sync, guest-ping, ...) are listed too, in qemu-ga's order; if nothing answers it
 * falls back to the {@code somnus.command.name} of every Command service and says so.
 */
final class CommandCatalog {

    static final String COMMAND_SERVICE = "dev.somnus.api.command.Command";
    static final String NAME_PROPERTY = "somnus.command.name";
    /** Commands appear as their bundles start and fileinstall delivers configuration. */
    private static final long SETTLE_MILLIS = 500;
    private static final long MAX_WAIT_MILLIS = 5_000;
    private static final Pattern COMMAND_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

    private CommandCatalog() {
    }

    static int print(AgentSettings settings, PrintStream stdout, PrintStream stderr) {
        Path scratch = null;
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(settings.verbose ? stderr : new PrintStream(quiet), false, settings.verbose,
                Clock.systemUTC());
        Framework framework = null;
        try {
            Distribution dist = Distribution.locate();
            scratch = Files.createTempDirectory("somnus-ga-list");
            StateFolder state = StateFolder.create(scratch.toString());
            // -b help loads deploy/ and conf/ as a run would: the same refusal of untrusted folders
            WatchedFolders folders = WatchedFolders.choose(List.of(dist.deploy(), dist.conf()),
                    state.root().resolve("nothing-to-watch"), TrustedFolder.forThisProcess(), AgentLog.toStderr(false));
            LauncherConfiguration.refuseFiles(List.of(dist.deploy(), dist.conf()));
            Map<String, String> properties = AgentFramework.properties(settings, state, folders.fileinstallDir());
            Path socket = scratch.resolve("list.sock");
            Map<String, Map<String, Object>> configurations = LauncherConfiguration.of(settings);
            configurations.put(LauncherConfiguration.CHANNEL_PID,
                    Map.of("method", "unix-listen", "path", socket.toString(), "retryPath", false));
            // The list shows every command, whatever is blocked (guest-info itself could be).
            configurations.put(LauncherConfiguration.PROTOCOL_PID,
                    Map.of("version", AgentFramework.PROTOCOL_VERSION));
            String exitStatus = System.getProperty("somnus.ga.exit-status");
            framework = AgentFramework.start(properties, AgentFramework.jars(dist.bundles()), configurations, log);
            TreeSet<String> services = collect(framework.getBundleContext());
            List<String> names = askGuestInfo(socket);
            restore("somnus.ga.exit-status", exitStatus);
            if (names == null) {
                // No protocol answered: the Command services are all we can know.
                stderr.println("the agent did not answer guest-info; listing the Command services only"
                        + " (the protocol's own commands, such as guest-ping, are missing)");
                names = new ArrayList<>(services);
            }
            if (names.isEmpty()) {
                stderr.println("no command is registered: the agent's bundles in " + dist.bundles()
                        + " offer none");
                return 1;
            }
            names.forEach(stdout::println);
            return 0;
        } catch (LaunchException | IOException e) {
            stderr.println("unable to list the commands: " + e.getMessage());
            return 1;
        } finally {
            if (framework != null) {
                AgentFramework.stopQuietly(framework);
            }
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    /**
     * Waits until the set of Command services has not changed for a moment (at most 5 s): they
     * appear as bundles start and as fileinstall installs deploy/ and delivers conf/.
     */
    private static TreeSet<String> collect(BundleContext context) {
        long deadline = System.nanoTime() + MAX_WAIT_MILLIS * 1_000_000;
        TreeSet<String> names = names(context);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - stableSince < SETTLE_MILLIS * 1_000_000) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            TreeSet<String> now = names(context);
            if (!now.equals(names)) {
                names = now;
                stableSince = System.nanoTime();
            }
        }
        return names;
    }

    /**
     * Every command name from {@code guest-info} on the throwaway socket, in registration order
     * (guest-info lists the newest first; qemu-ga's -b help the oldest first), or null if nothing
     * answered.
     */
    private static List<String> askGuestInfo(Path socket) {
        long deadline = System.nanoTime() + MAX_WAIT_MILLIS * 1_000_000;
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        try (AgentConnection connection = new AgentConnection(socket.toString(), MAX_WAIT_MILLIS)) {
            String reply = connection.handshake() ? connection.request("{\"execute\":\"guest-info\"}") : null;
            if (reply == null || !reply.contains("\"supported_commands\"")) {
                return null;
            }
            List<String> names = new ArrayList<>();
            Matcher m = COMMAND_NAME.matcher(reply);
            while (m.find()) {
                names.add(0, m.group(1));
            }
            return names;
        } catch (IOException e) {
            return null;
        }
    }

    private static TreeSet<String> names(BundleContext context) {
        TreeSet<String> names = new TreeSet<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(COMMAND_SERVICE, null);
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    Object name = ref.getProperty(NAME_PROPERTY);
                    if (name instanceof String) {
                        names.add((String) name);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException e) {
            // the framework stopped under us (a channel gave up): report what we have
        }
        return names;
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            paths.forEach(all::add);
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(all.get(i));
            }
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
