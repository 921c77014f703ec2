package dev.somnus.testkit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configurations somnus-ga's launcher puts into Config Admin before SCR starts (launcher
 * {@code LauncherConfiguration}, from qemu-ga's {@code -m -p -r -b -a}): the runtime's channel and
 * protocol require them, so a test that boots agent-runtime without the launcher sets the same, or
 * neither activates. Plain PID-to-properties maps, so the test kit needs no Config Admin API: each
 * test hands them to its own {@code ConfigurationAdmin} ({@code getConfiguration(pid, "?").update(...)}).
 * Never write them into a conf/ folder: the launcher refuses to start with such a file.
 */
public final class LauncherConfiguration {

    public static final String CHANNEL_PID = "dev.somnus.agent.channel";
    public static final String PROTOCOL_PID = "dev.somnus.agent.protocol";
    /** What the launcher reports as guest-info's version. */
    public static final String VERSION = "7.2.22";

    private LauncherConfiguration() {
    }

    /** {@code -m unix-listen -p socket}, nothing blocked. */
    public static Map<String, Map<String, Object>> unixListen(Path socket) {
        return of(Map.of("method", "unix-listen", "path", socket.toString(), "retryPath", false));
    }

    /**
     * @param channel the channel's properties as the launcher sets them from -m, -p and -r
     *        ({@code method}, {@code path}, {@code retryPath}); the protocol gets no -b or -a
     */
    public static Map<String, Map<String, Object>> of(Map<String, ?> channel) {
        Map<String, Map<String, Object>> configurations = new LinkedHashMap<>();
        configurations.put(CHANNEL_PID, new LinkedHashMap<>(channel));
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.put("blockRpcs", new String[0]);
        protocol.put("version", VERSION);
        configurations.put(PROTOCOL_PID, protocol);
        return configurations;
    }
}
