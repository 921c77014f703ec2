package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunTest {

    @TempDir
    Path dir;

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    @Test
    void theCopySaysDryRunTrueWhateverTheOriginalSays() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("dev.somnus.agent.cfg"), "staleAfterSeconds=5\ndryRun = false\n");
        Files.writeString(conf.resolve("dev.somnus.reaper.cfg"), "sweep.interval.ms=50\n");

        Path copy = DryRun.prepare(conf, dir.resolve("state/dry-run-conf"));

        Properties agent = load(copy.resolve("dev.somnus.agent.cfg"));
        assertThat(agent).containsEntry("dryRun", "true").containsEntry("staleAfterSeconds", "5");
        assertThat(load(copy.resolve("dev.somnus.reaper.cfg"))).containsEntry("sweep.interval.ms", "50");
        assertThat(Files.readString(conf.resolve("dev.somnus.agent.cfg"))).contains("dryRun = false");
    }

    @Test
    void withoutAnOriginalTheCopyStillHasTheFlagAndStaleFilesGo() throws Exception {
        Path copy = dir.resolve("dry-run-conf");
        Files.createDirectories(copy);
        Files.writeString(copy.resolve("removed-since.cfg"), "x=1\n");

        DryRun.prepare(dir.resolve("no-conf"), copy);

        assertThat(load(copy.resolve("dev.somnus.agent.cfg"))).containsEntry("dryRun", "true");
        assertThat(copy.resolve("removed-since.cfg")).doesNotExist();
    }

    @Test
    void theLauncherSetsTheFlagItselfOnlyForDryRuns() {
        assertThat(DryRun.configurations(true)).isEqualTo(Map.of("dev.somnus.agent", Map.of("dryRun", true)));
        assertThat(DryRun.configurations(false)).isEmpty();
    }
}
