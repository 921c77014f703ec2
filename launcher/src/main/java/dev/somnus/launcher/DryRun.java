package dev.somnus.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --dry-run}: the distribution's conf/ copied into the state folder with
 * {@code dryRun=true} set for PID {@code dev.somnus.suspend}, and fileinstall pointed at the copy.
 * The distribution itself is left untouched, so the next run without the flag is a normal one.
 */
final class DryRun {

    static final String SUSPEND_PID = "dev.somnus.suspend";
    private static final Pattern DRY_RUN_KEY = Pattern.compile("^\\s*dryRun\\s*[=:].*");

    private DryRun() {
    }

    /** @return the folder fileinstall should read configurations from */
    static Path prepare(Path conf, Path copy) throws LaunchException {
        try {
            Files.createDirectories(copy);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(copy)) {
                for (Path file : old) {
                    Files.delete(file);
                }
            }
            if (Files.isDirectory(conf)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(conf, "*.{cfg,config}")) {
                    for (Path file : files) {
                        Files.copy(file, copy.resolve(file.getFileName()));
                    }
                }
            }
            Path suspend = copy.resolve(SUSPEND_PID + ".cfg");
            List<String> lines = new ArrayList<>();
            if (Files.exists(suspend)) {
                for (String line : Files.readAllLines(suspend, StandardCharsets.ISO_8859_1)) {
                    if (!DRY_RUN_KEY.matcher(line).matches()) {
                        lines.add(line);
                    }
                }
            }
            lines.add("# set by somnus-ga --dry-run");
            lines.add("dryRun=true");
            Files.write(suspend, lines, StandardCharsets.ISO_8859_1);
            return copy;
        } catch (IOException e) {
            throw new LaunchException("unable to prepare the dry-run configuration in " + copy + ": "
                    + Errors.describe(e));
        }
    }
}
