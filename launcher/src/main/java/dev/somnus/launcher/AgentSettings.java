package dev.somnus.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's effective configuration: qemu-ga's {@code [general]} keys (qga-reference §3.1) plus
 * the few Somnus adds. Filled first from the configuration file, then from the command line, so
 * the command line wins and lists accumulate.
 */
final class AgentSettings {

    static final String DEFAULT_METHOD = "virtio-serial";
    static final String DEFAULT_STATEDIR = "/var/run";
    /** What qemu-ga 7.2 prints for {@code pidfile} when none is set; it too writes it only with -d. */
    static final String DEFAULT_PIDFILE = "/var/run/qemu-ga.pid";
    static final String DEFAULT_FSFREEZE_HOOK = "/etc/qemu/fsfreeze-hook";

    boolean daemon;
    String method = DEFAULT_METHOD;
    String path;
    String logfile;
    /** Null when neither -f nor the file's {@code pidfile} key gave one: then no pidfile is written. */
    String pidfile;
    String fsfreezeHook;
    String statedir = DEFAULT_STATEDIR;
    boolean verbose;
    boolean retryPath;
    /** In qemu-ga's own order: each list's items reversed, lists appended source by source. */
    final List<String> blockRpcs = new ArrayList<>();
    /** Null unless an allow list was given (qemu-ga 8.1+); an empty list then allows nothing. */
    List<String> allowRpcs;
    /** Somnus' own: every acting command only says what it would do (PID dev.somnus.agent, dryRun). */
    boolean dryRun;
    /**
     * Somnus' own: a bundle cache kept and reused across starts ({@code --bundle-cache}), or null for
     * a fresh one in the state folder at every start.
     */
    String bundleCache;

    /**
     * qemu-ga's {@code split_list}: {@code g_strsplit} on commas, prepended one by one, so
     * {@code a,b} becomes {@code [b, a]} and an empty string no item at all.
     */
    static void addList(List<String> target, String commaSeparated) {
        if (commaSeparated.isEmpty()) {
            return;
        }
        String[] items = commaSeparated.split(",", -1);
        for (int i = items.length - 1; i >= 0; i--) {
            target.add(items[i]);
        }
    }

    /** The channel path, with qemu-ga's defaults for the serial methods; null if the method has none. */
    String effectivePath() {
        if (path != null) {
            return path;
        }
        switch (method) {
            case "virtio-serial":
                return "/dev/virtio-ports/org.qemu.guest_agent.0";
            case "isa-serial":
                return "/dev/ttyS0";
            default:
                return null;
        }
    }

    /**
     * {@code -D}: qemu-ga 7.2's dump, byte for byte for the keys it knows ({@code logfile} and
     * {@code fsfreeze-hook} only when set); {@code allow-rpcs} follows when given, as in 8.1+.
     */
    String dump() {
        StringBuilder out = new StringBuilder("[general]\n");
        line(out, "daemon", Boolean.toString(daemon));
        line(out, "method", method);
        line(out, "path", effectivePath());
        if (logfile != null) {
            line(out, "logfile", logfile);
        }
        line(out, "pidfile", pidfile != null ? pidfile : DEFAULT_PIDFILE);
        if (fsfreezeHook != null) {
            line(out, "fsfreeze-hook", fsfreezeHook);
        }
        line(out, "statedir", statedir);
        line(out, "verbose", Boolean.toString(verbose));
        line(out, "retry-path", Boolean.toString(retryPath));
        line(out, "block-rpcs", String.join(",", blockRpcs));
        if (allowRpcs != null) {
            line(out, "allow-rpcs", String.join(",", allowRpcs));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('=').append(KeyFile.escape(value)).append('\n');
    }
}
