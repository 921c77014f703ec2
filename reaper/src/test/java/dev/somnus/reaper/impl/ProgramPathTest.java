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

    @Test
    void aProgramInAFolderOthersCanWriteIsNotRun() throws Exception {
        Path open = Files.createDirectories(root.resolve("open"));
        Fixtures.script(open, "tool", "exit 0");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        // sticky is no excuse for the program's own folder: anyone could add a "tool" there
        Files.setAttribute(open, "unix:mode", 01777);

        assertThatThrownBy(() -> ProgramPath.of(open.toString()).resolve("tool"))
                .isInstanceOfSatisfying(SpawnFailure.class, f -> assertThat(f.errno()).isEqualTo(13))
                .hasMessage(open.resolve("tool") + " is not run: its folder " + open.toRealPath()
                        + " is writable by group and others (whoever can write there could run code as this agent)");
    }

    @Test
    void aProgramOthersCanWriteIsNotRunEvenByItsFullPath() throws Exception {
        Path tool = Fixtures.script(root, "tool", "exit 0");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxrwxr-x"));

        assertThatThrownBy(() -> ProgramPath.of("").resolve(tool.toString()))
                .isInstanceOfSatisfying(SpawnFailure.class, f -> assertThat(f.errno()).isEqualTo(13))
                .hasMessageContaining("is not run: it is writable by group");
    }

    @Test
    void aStickyWorldWritableFolderAboveIsFineAndAnotherUsersFolderIsNot() throws Exception {
        Path shared = Files.createDirectories(root.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        Path mine = Files.createDirectories(shared.resolve("mine"));
        Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwxr-xr-x"));
        Fixtures.script(mine, "tool", "exit 0");
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");

        assertThat(ProgramPath.of(mine.toString()).resolve("tool")).isEqualTo(mine.resolve("tool").toString());
        assertThat(ProgramPath.tampering(mine.resolve("tool").toRealPath(), me)).isNull();
        assertThat(ProgramPath.tampering(mine.resolve("tool").toRealPath(), me + 4242))
                .isEqualTo(me == 0 ? null : "it is owned by uid " + me + ", neither the agent's user (uid "
                        + (me + 4242) + ") nor root");
    }
}
