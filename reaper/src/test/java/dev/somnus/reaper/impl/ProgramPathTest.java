package dev.somnus.reaper.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.somnus.reaper.impl.posix.SpawnFailure;

/** Program lookup in the trusted directories, execvp-style. */
class ProgramPathTest {

    @TempDir
    Path root;

    @Test
    void theFirstDirectoryHoldingAnExecutableWins() throws Exception {
        Path first = Files.createDirectories(root.resolve("first"));
        Path second = Files.createDirectories(root.resolve("second"));
        Fixtures.script(second, "tool", "exit 0");
        Fixtures.script(first, "tool", "exit 0");
        ProgramPath path = ProgramPath.of(first + "::" + second + ":");
        assertThat(path.directories()).containsExactly(first, second);
        assertThat(path.resolve("tool")).isEqualTo(first.resolve("tool").toString());
    }

    @Test
    void aNonExecutableOrDirectoryCandidateIsSkippedForALaterOne() throws Exception {
        Path first = Files.createDirectories(root.resolve("first"));
        Path second = Files.createDirectories(root.resolve("second"));
        Path third = Files.createDirectories(root.resolve("third"));
        Files.writeString(first.resolve("tool"), "data");
        Files.setPosixFilePermissions(first.resolve("tool"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(second.resolve("tool"));
        Fixtures.script(third, "tool", "exit 0");
        assertThat(ProgramPath.of(first + ":" + second + ":" + third).resolve("tool"))
                .isEqualTo(third.resolve("tool").toString());
    }

    @Test
    void onlyNonExecutableCandidatesGiveEaccesAndNoneGivesEnoent() throws Exception {
        Files.writeString(root.resolve("tool"), "data");
        Files.setPosixFilePermissions(root.resolve("tool"), PosixFilePermissions.fromString("rw-r--r--"));
        ProgramPath path = ProgramPath.of(root.toString());
        assertThatThrownBy(() -> path.resolve("tool")).isInstanceOfSatisfying(SpawnFailure.class,
                f -> assertThat(f.errno()).isEqualTo(13));
        assertThatThrownBy(() -> path.resolve("absent")).isInstanceOfSatisfying(SpawnFailure.class,
                f -> assertThat(f.errno()).isEqualTo(2));
        assertThatThrownBy(() -> path.resolve("")).isInstanceOfSatisfying(SpawnFailure.class,
                f -> assertThat(f.errno()).isEqualTo(2));
    }

    @Test
    void aNameWithASlashIsTakenAsGivenAndPathIsNeverSearched() throws Exception {
        ProgramPath empty = ProgramPath.of("");
        assertThat(empty.resolve("./relative/tool")).isEqualTo("./relative/tool");
        assertThat(empty.resolve("/bin/true")).isEqualTo("/bin/true");
        assertThatThrownBy(() -> empty.resolve("true")).isInstanceOf(SpawnFailure.class);
    }
}
