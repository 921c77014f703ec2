package dev.somnus.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code --dry-run}: the agent-wide PID {@code dev.somnus.agent} gets {@code dryRun=true} twice
 * over. The launcher sets it in Config Admin before the runtime can activate, and fileinstall reads
 * a copy of the distribution's conf/ (in the state folder) whose dev.somnus.agent.cfg says
 * dryRun=true too, so reading the file never takes the flag away. The runtime then explains every
 * command that declares itself acting instead of running it, whatever its family. The distribution itself is left
 * untouched: the next run without the flag is a normal one.
 */
final class DryRun {

    static final String AGENT_PID = "dev.somnus.agent";
    private static final Pattern DRY_RUN_KEY = Pattern.compile("^\\s*dryRun\\s*[=:].*");

    private DryRun() {
    }

    /** What the launcher sets before any agent bundle starts (see {@link InitialConfiguration}). */
    static Map<String, Map<String, Object>> configurations(boolean dryRun) {
        return dryRun ? Map.of(AGENT_PID, Map.of("dryRun", Boolean.TRUE)) : Map.of();
    }

    /**
     * @param conf the distribution's conf/, or null when it must not be read (see {@link TrustedFolder}):
     *        the copy then holds dryRun=true alone
     * @return the folder fileinstall should read configurations from
     */
    static Path prepare(Path conf, Path copy) throws LaunchException {
        try {
            Files.createDirectories(copy);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(copy)) {
                for (Path file : old) {
                    Files.delete(file);
                }
            }
            if (conf != null && Files.isDirectory(conf)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(conf, "*.{cfg,config}")) {
                    for (Path file : files) {
                        Files.copy(file, copy.resolve(file.getFileName()));
                    }
                }
            }
            Path agent = copy.resolve(AGENT_PID + ".cfg");
            List<String> lines = new ArrayList<>();
            if (Files.exists(agent)) {
                for (String line : Files.readAllLines(agent, StandardCharsets.ISO_8859_1)) {
                    if (!DRY_RUN_KEY.matcher(line).matches()) {
                        lines.add(line);
                    }
                }
            }
            lines.add("# set by somnus-ga --dry-run");
            lines.add("dryRun=true");
            Files.write(agent, lines, StandardCharsets.ISO_8859_1);
            return copy;
        } catch (IOException e) {
            throw new LaunchException("unable to prepare the dry-run configuration in " + copy + ": "
                    + Errors.describe(e));
        }
    }
}
