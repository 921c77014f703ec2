package dev.somnus.reaper.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

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
        assertThat(empty.resolve("/bin/true")).isEqualTo("/bin/true");
        // nothing there: the error execve would give, without trying PATH or the directories
        assertThatThrownBy(() -> empty.resolve("./relative/tool"))
                .isInstanceOfSatisfying(SpawnFailure.class, f -> assertThat(f.errno()).isEqualTo(2));
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

    @Test
    void nothingAtAFullPathOrADanglingLinkIsRefusedAsMissingBeforeAnySpawn() throws Exception {
        Path dangling = Files.createSymbolicLink(root.resolve("dangling"), root.resolve("gone"));

        for (Path missing : new Path[] {root.resolve("absent"), dangling}) {
            assertThatThrownBy(() -> ProgramPath.of("").resolve(missing.toString()))
                    .isInstanceOfSatisfying(SpawnFailure.class, f -> assertThat(f.errno()).isEqualTo(2));
        }
    }

    @Test
    void aProgramInAnOpenFolderIsNeverRunEvenWhileSomeoneKeepsRenamingIt() throws Exception {
        // Whoever can write the folder can make the program vanish for a moment during the check;
        // a vanishing file must never count as a passed check (it did once: 135,148 of 200,000).
        Path open = Files.createDirectories(root.resolve("open"));
        Path tool = Fixtures.script(open, "tool", "exit 0");
        Files.setAttribute(open, "unix:mode", 0777);
        Path aside = open.resolve("tool.aside");
        AtomicBoolean flicker = new AtomicBoolean(true);
        Thread renamer = new Thread(() -> {
            while (flicker.get()) {
                try {
                    Files.move(tool, aside, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(aside, tool, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        renamer.start();
        ProgramPath path = ProgramPath.of(open.toString());
        int passed = 0;
        try {
            for (int i = 0; i < 20_000; i++) {
                for (String program : new String[] {tool.toString(), "tool"}) {
                    try {
                        path.resolve(program);
                        passed++;
                    } catch (SpawnFailure refused) {
                        assertThat(refused.errno()).isIn(2, 13);
                    }
                }
            }
        } finally {
            flicker.set(false);
            renamer.join();
        }
        assertThat(passed).as("checks passed for a program in a folder anyone can write").isZero();
    }

    @Test
    void aLinkInAFolderOthersCanWriteIsNotRunThoughItsTargetIsSafe() throws Exception {
        Path safe = Files.createDirectories(root.resolve("safe"));
        Files.setPosixFilePermissions(safe, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path target = Fixtures.script(safe, "real-tool", "exit 0");
        Path open = Files.createDirectories(root.resolve("open"));
        Files.setAttribute(open, "unix:mode", 0777);
        Path link = Files.createSymbolicLink(open.resolve("tool"), target);

        assertThatThrownBy(() -> ProgramPath.of("").resolve(link.toString()))
                .isInstanceOfSatisfying(SpawnFailure.class, f -> assertThat(f.errno()).isEqualTo(13))
                .hasMessage(link + " is not run: the folder " + open.toRealPath()
                        + " holding its link is writable by group and others"
                        + " (whoever can write there could run code as this agent)");
        assertThatThrownBy(() -> ProgramPath.of(open.toString()).resolve("tool"))
                .isInstanceOfSatisfying(SpawnFailure.class, f -> assertThat(f.errno()).isEqualTo(13));
    }

    @Test
    void aLinkInASafeFolderToASafeProgramRunsAsNamed() throws Exception {
        // As pm-hibernate -> ../lib/pm-utils/bin/pm-action: the name given is what is spawned
        // (pm-action reads its own name), after both folders were checked.
        Path lib = Files.createDirectories(root.resolve("lib"));
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sbin = Files.createDirectories(root.resolve("sbin"));
        Files.setPosixFilePermissions(sbin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path target = Fixtures.script(lib, "pm-action", "exit 0");
        Files.createSymbolicLink(sbin.resolve("pm-hibernate"), target);

        assertThat(ProgramPath.of(sbin.toString()).resolve("pm-hibernate"))
                .isEqualTo(sbin.resolve("pm-hibernate").toString());
    }
}
