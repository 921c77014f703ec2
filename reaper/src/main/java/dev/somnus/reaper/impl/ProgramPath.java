package dev.somnus.reaper.impl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.somnus.reaper.impl.posix.Posix;
import dev.somnus.reaper.impl.posix.SpawnFailure;

/**
 * Resolves a program name the way execvp does, but against the configured trusted directories
 * instead of the inherited {@code PATH} (qemu-ga's g_spawn_sync searches {@code PATH}; the agent
 * runs as root, so it only trusts a fixed list). A name containing '/' is used as given.
 */
final class ProgramPath {

    private final List<Path> directories;

    private ProgramPath(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /** @param colonSeparated e.g. {@code /usr/sbin:/usr/bin:/sbin:/bin}; empty entries are skipped */
    static ProgramPath of(String colonSeparated) {
        List<Path> dirs = new ArrayList<>();
        for (String entry : colonSeparated.split(":")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                dirs.add(Path.of(trimmed));
            }
        }
        return new ProgramPath(dirs);
    }

    List<Path> directories() {
        return directories;
    }

    /**
     * @return the absolute path to execute
     * @throws SpawnFailure ENOENT when no directory holds the program, EACCES when the only
     *         candidates found are not executable (as execvp reports)
     */
    String resolve(String program) throws SpawnFailure {
        if (program.isEmpty()) {
            throw new SpawnFailure(Posix.ENOENT);
        }
        if (program.indexOf('/') >= 0) {
            return program;
        }
        boolean sawUnexecutable = false;
        for (Path dir : directories) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
                sawUnexecutable = true;
            }
        }
        throw new SpawnFailure(sawUnexecutable ? Posix.EACCES : Posix.ENOENT);
    }
}
