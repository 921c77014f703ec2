package dev.somnus.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * qemu-ga's channel and protocol settings ({@code -m -p -r}, {@code -b -a}, from the command line
 * or qemu-ga.conf), as the two configurations the launcher puts into Config Admin before SCR starts
 * (see {@link InitialConfiguration}): {@value #CHANNEL_PID} for the runtime's channel and
 * {@value #PROTOCOL_PID} for its protocol. Both components require their configuration, so the
 * agent never opens a channel or answers a request on settings the launcher did not choose.
 *
 * <p>These PIDs are the launcher's alone. fileinstall replaces a whole configuration with a file's
 * content, so a conf/ file for the protocol's PID that says nothing of blockRpcs would lift the
 * block list without a word; the launcher therefore refuses to start while deploy/ or conf/ holds
 * a file for either PID, no shipped .cfg names them, and the runtime refuses a configuration that
 * fileinstall made (defence in depth, for a file added while the agent runs).
 */
final class LauncherConfiguration {

    static final String CHANNEL_PID = "dev.somnus.agent.channel";
    static final String PROTOCOL_PID = "dev.somnus.agent.protocol";
    static final List<String> PIDS = List.of(CHANNEL_PID, PROTOCOL_PID);

    private LauncherConfiguration() {
    }

    /** PID to properties, in the metatype's attribute names (agent-runtime AgentChannel, ProtocolSettings). */
    static Map<String, Map<String, Object>> of(AgentSettings settings) {
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("method", settings.method);
        channel.put("path", settings.effectivePath());
        channel.put("retryPath", settings.retryPath);
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.put("blockRpcs", settings.blockRpcs.toArray(new String[0]));
        if (settings.allowRpcs != null) {
            protocol.put("allowRpcs", settings.allowRpcs.toArray(new String[0]));
        }
        protocol.put("version", AgentFramework.PROTOCOL_VERSION);
        Map<String, Map<String, Object>> configurations = new LinkedHashMap<>();
        configurations.put(CHANNEL_PID, channel);
        configurations.put(PROTOCOL_PID, protocol);
        return configurations;
    }

    /** {@code first}'s configurations, then {@code second}'s (PIDs are disjoint). */
    static Map<String, Map<String, Object>> with(Map<String, Map<String, Object>> first,
            Map<String, Map<String, Object>> second) {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>(first);
        all.putAll(second);
        return all;
    }

    /**
     * @param folders the folders fileinstall will read (deploy/, conf/ or its dry-run copy); missing ones are skipped
     * @throws LaunchException naming the first file fileinstall would read for one of {@link #PIDS}
     *         (a configuration {@code <pid>.cfg}/{@code .config}, or a factory one {@code <pid>-<name>.cfg})
     */
    static void refuseFiles(List<Path> folders) throws LaunchException {
        for (Path folder : folders) {
            if (folder == null || !Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{cfg,config}")) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    String pid = name.substring(0, name.lastIndexOf('.'));
                    for (String own : PIDS) {
                        if (pid.equals(own) || pid.startsWith(own + "-")) {
                            throw new LaunchException(file + " would replace the " + describe(own)
                                    + " the launcher sets from qemu-ga's options and qemu-ga.conf (configuration "
                                    + own + "); remove it and give them on the command line or in qemu-ga.conf");
                        }
                    }
                }
            } catch (IOException e) {
                throw new LaunchException("unable to read " + folder + ": " + Errors.describe(e));
            }
        }
    }

    private static String describe(String pid) {
        return pid.equals(PROTOCOL_PID) ? "block and allow lists (-b, -a)" : "channel settings (-m, -p, -r)";
    }
}
