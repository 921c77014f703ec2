package dev.somnus.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * qemu-ga's command line and configuration file (qga-reference §3.1), read the way qemu-ga reads
 * them: getopt_long rules (clustered short options, glued or separate arguments, unambiguous
 * prefixes of long options, {@code --} ends options), the {@code [general]} group of
 * {@code $QGA_CONF} or {@code /etc/qemu/qemu-ga.conf} first, then the command line on top.
 */
final class CommandLine {

    static final String DEFAULT_CONFIG = "/etc/qemu/qemu-ga.conf";
    static final String GROUP = "general";

    /** What the invocation asks for. */
    enum Action { RUN, HELP, VERSION, DUMP_CONF, LIST_COMMANDS }

    /** The outcome of reading the command line and the configuration file. */
    static final class Invocation {
        final Action action;
        final AgentSettings settings;
        /** Said once logging is up: deprecated spellings and options Somnus cannot honour. */
        final List<String> warnings;

        Invocation(Action action, AgentSettings settings, List<String> warnings) {
            this.action = action;
            this.settings = settings;
            this.warnings = warnings;
        }
    }

    private enum Arg { NONE, REQUIRED, OPTIONAL }

    private enum Option {
        HELP("help", 'h', Arg.NONE),
        VERSION("version", 'V', Arg.NONE),
        VERBOSE("verbose", 'v', Arg.NONE),
        DAEMONIZE("daemonize", 'd', Arg.NONE),
        METHOD("method", 'm', Arg.REQUIRED),
        PATH("path", 'p', Arg.REQUIRED),
        LOGFILE("logfile", 'l', Arg.REQUIRED),
        PIDFILE("pidfile", 'f', Arg.REQUIRED),
        FSFREEZE_HOOK("fsfreeze-hook", 'F', Arg.OPTIONAL),
        STATEDIR("statedir", 't', Arg.REQUIRED),
        DUMP_CONF("dump-conf", 'D', Arg.NONE),
        RETRY_PATH("retry-path", 'r', Arg.NONE),
        BLOCK_RPCS("block-rpcs", 'b', Arg.REQUIRED),
        BLACKLIST("blacklist", '\0', Arg.REQUIRED),
        ALLOW_RPCS("allow-rpcs", 'a', Arg.REQUIRED),
        CONFIG("config", 'c', Arg.REQUIRED),
        DRY_RUN("dry-run", '\0', Arg.NONE),
        BUNDLE_CACHE("bundle-cache", '\0', Arg.REQUIRED);

        final String longName;
        final char shortName;
        final Arg arg;

        Option(String longName, char shortName, Arg arg) {
            this.longName = longName;
            this.shortName = shortName;
            this.arg = arg;
        }
    }

    private static final class Given {
        final Option option;
        final String value;

        Given(Option option, String value) {
            this.option = option;
            this.value = value;
        }
    }

    private CommandLine() {
    }

    /**
     * @param env the environment ({@code QGA_CONF})
     * @throws UsageException for an option getopt_long would refuse
     * @throws LaunchException for a configuration qemu-ga would refuse (bad file, missing path)
     */
    static Invocation parse(String argv0, String[] args, Function<String, String> env)
            throws UsageException, LaunchException {
        List<String> operands = new ArrayList<>();
        List<Given> given = tokenize(argv0, args, operands);
        List<String> warnings = new ArrayList<>();
        AgentSettings settings = new AgentSettings();

        String configPath = null;
        for (Given g : given) {
            if (g.option == Option.CONFIG) {
                configPath = g.value;
            }
        }
        if (configPath != null) {
            loadConfig(settings, Path.of(configPath), configPath, true, warnings);
        } else {
            String fromEnv = env.apply("QGA_CONF");
            String path = fromEnv != null ? fromEnv : DEFAULT_CONFIG;
            loadConfig(settings, Path.of(path), path, false, warnings);
        }

        // getopt permutes non-options to the end and qemu-ga never looks at them; we say so.
        for (String arg : operands) {
            warnings.add("ignoring unexpected argument '" + arg + "'");
        }
        boolean dump = false;
        for (Given g : given) {
            if (g.option == null) {
                throw new UsageException(g.value);
            }
            switch (g.option) {
                case HELP: return new Invocation(Action.HELP, settings, warnings);
                case VERSION: return new Invocation(Action.VERSION, settings, warnings);
                case VERBOSE: settings.verbose = true; break;
                case DAEMONIZE: settings.daemon = true; break;
                case METHOD: settings.method = g.value; break;
                case PATH: settings.path = g.value; break;
                case LOGFILE: settings.logfile = g.value; break;
                case PIDFILE: settings.pidfile = g.value; break;
                case FSFREEZE_HOOK:
                    settings.fsfreezeHook = g.value != null ? g.value : AgentSettings.DEFAULT_FSFREEZE_HOOK;
                    break;
                case STATEDIR: settings.statedir = g.value; break;
                case DUMP_CONF: dump = true; break;
                case RETRY_PATH: settings.retryPath = true; break;
                case BLACKLIST:
                    warnings.add("option '--blacklist' is deprecated, use '--block-rpcs' instead");
                    // fall through: same meaning (qemu-ga 7.2 alias, removed in 9.1)
                case BLOCK_RPCS:
                    // qemu-ga lists the commands as soon as it meets "-b help", whatever follows.
                    if (g.value.equals("help") || g.value.equals("?")) {
                        return new Invocation(Action.LIST_COMMANDS, settings, warnings);
                    }
                    AgentSettings.addList(settings.blockRpcs, g.value);
                    break;
                case ALLOW_RPCS:
                    if (g.value.equals("help") || g.value.equals("?")) {
                        return new Invocation(Action.LIST_COMMANDS, settings, warnings);
                    }
                    if (settings.allowRpcs == null) {
                        settings.allowRpcs = new ArrayList<>();
                    }
                    AgentSettings.addList(settings.allowRpcs, g.value);
                    break;
                case CONFIG: break;
                case DRY_RUN: settings.dryRun = true; break;
                case BUNDLE_CACHE: settings.bundleCache = g.value; break;
                default: throw new AssertionError(g.option);
            }
        }
        // Checked before -D, like qemu-ga 7.2 does.
        if (settings.effectivePath() == null) {
            throw new LaunchException("must specify a path for this channel");
        }
        return new Invocation(dump ? Action.DUMP_CONF : Action.RUN, settings, warnings);
    }

    /** getopt_long over qemu-ga's options; the diagnostics are glibc's. */
    private static List<Given> tokenize(String argv0, String[] args, List<String> operands) {
        List<Given> given = new ArrayList<>();
        try {
            tokenize(argv0, args, operands, given);
        } catch (UsageException e) {
            // Like getopt, the options before a bad one still count: "-b help --bogus" lists.
            given.add(new Given(null, e.getMessage()));
        }
        return given;
    }

    private static void tokenize(String argv0, String[] args, List<String> operands, List<Given> given)
            throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                operands.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (!arg.startsWith("-") || arg.length() == 1) {
                operands.add(arg);
            } else if (arg.startsWith("--")) {
                int equals = arg.indexOf('=');
                String name = arg.substring(2, equals < 0 ? arg.length() : equals);
                Option option = longOption(argv0, arg, name);
                String value = equals < 0 ? null : arg.substring(equals + 1);
                if (option.arg == Arg.NONE && value != null) {
                    throw new UsageException(argv0 + ": option '--" + option.longName
                            + "' doesn't allow an argument");
                }
                if (option.arg == Arg.REQUIRED && value == null) {
                    if (i + 1 == args.length) {
                        throw new UsageException(argv0 + ": option '--" + option.longName
                                + "' requires an argument");
                    }
                    value = args[++i];
                }
                given.add(new Given(option, value));
            } else {
                for (int j = 1; j < arg.length(); j++) {
                    char c = arg.charAt(j);
                    Option option = shortOption(c);
                    if (option == null) {
                        throw new UsageException(argv0 + ": invalid option -- '" + c + "'");
                    }
                    if (option.arg == Arg.NONE) {
                        given.add(new Given(option, null));
                        continue;
                    }
                    String value = j + 1 < arg.length() ? arg.substring(j + 1) : null;
                    if (option.arg == Arg.REQUIRED && value == null) {
                        if (i + 1 == args.length) {
                            throw new UsageException(argv0 + ": option requires an argument -- '" + c + "'");
                        }
                        value = args[++i];
                    }
                    given.add(new Given(option, value));
                    break;
                }
            }
        }
    }

    private static Option longOption(String argv0, String arg, String name) throws UsageException {
        Option exact = null;
        List<Option> prefixed = new ArrayList<>();
        for (Option option : Option.values()) {
            if (option.longName.equals(name)) {
                exact = option;
            } else if (!name.isEmpty() && option.longName.startsWith(name)) {
                prefixed.add(option);
            }
        }
        if (exact != null) {
            return exact;
        }
        if (prefixed.size() == 1) {
            return prefixed.get(0);
        }
        if (prefixed.isEmpty()) {
            throw new UsageException(argv0 + ": unrecognized option '" + arg + "'");
        }
        StringBuilder message = new StringBuilder(argv0 + ": option '--" + name + "' is ambiguous; possibilities:");
        for (Option option : prefixed) {
            message.append(" '--").append(option.longName).append('\'');
        }
        throw new UsageException(message.toString());
    }

    private static Option shortOption(char c) {
        for (Option option : Option.values()) {
            if (option.shortName == c && c != '\0') {
                return option;
            }
        }
        return null;
    }

    /**
     * qemu-ga's {@code config_load}: a missing file is fine unless it was named with -c; any other
     * problem stops start-up with {@code error loading configuration from path: <path>, <message>}.
     */
    private static void loadConfig(AgentSettings settings, Path file, String shown, boolean mustExist,
            List<String> warnings) throws LaunchException {
        byte[] content;
        try {
            if (Files.isDirectory(file)) {
                throw new LaunchException(loadError(shown, "Not a regular file"));
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (!mustExist) {
                return;
            }
            throw new LaunchException(loadError(shown, Errors.describe(e)));
        } catch (IOException e) {
            throw new LaunchException(loadError(shown, Errors.describe(e)));
        }
        try {
            KeyFile keys = KeyFile.parse(content);
            // qemu-ga 7.2's config_load order, so the first bad key is the one it would name.
            keys.ifBoolean(GROUP, "daemon", v -> settings.daemon = v);
            keys.ifString(GROUP, "method", v -> settings.method = v);
            keys.ifString(GROUP, "path", v -> settings.path = v);
            keys.ifString(GROUP, "logfile", v -> settings.logfile = v);
            keys.ifString(GROUP, "pidfile", v -> settings.pidfile = v);
            keys.ifString(GROUP, "fsfreeze-hook", v -> settings.fsfreezeHook = v);
            keys.ifString(GROUP, "statedir", v -> settings.statedir = v);
            keys.ifBoolean(GROUP, "verbose", v -> settings.verbose = v);
            keys.ifBoolean(GROUP, "retry-path", v -> settings.retryPath = v);
            keys.ifString(GROUP, "block-rpcs", v -> AgentSettings.addList(settings.blockRpcs, v));
            keys.ifString(GROUP, "blacklist", v -> {
                warnings.add("config using deprecated 'blacklist' key, should be replaced with the 'block-rpcs' key.");
                AgentSettings.addList(settings.blockRpcs, v);
            });
            keys.ifString(GROUP, "allow-rpcs", v -> {
                settings.allowRpcs = new ArrayList<>();
                AgentSettings.addList(settings.allowRpcs, v);
            });
        } catch (KeyFile.KeyFileException e) {
            throw new LaunchException(loadError(shown, e.getMessage()));
        }
    }

    private static String loadError(String path, String message) {
        return "error loading configuration from path: " + path + ", " + message;
    }
}
