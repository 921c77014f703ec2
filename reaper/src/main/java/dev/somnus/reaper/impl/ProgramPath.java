package dev.somnus.reaper.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.somnus.reaper.impl.posix.Posix;
import dev.somnus.reaper.impl.posix.SpawnFailure;

/**
 * Resolves a program name the way execvp does, but against the configured trusted directories
 * instead of the inherited {@code PATH} (qemu-ga's g_spawn_sync searches {@code PATH}; the agent
 * runs as root, so it only trusts a fixed list). A name containing '/' is used as given.
 *
 * <p>Whatever is found is run only when nobody but the agent's user and root could have put it
 * there: the program, its folder and every folder above must belong to one of them and not be
 * writable by group or others. A folder above the program's own may be world-writable with the
 * sticky bit (/tmp), since nobody else can then rename what is ours; the program's own folder may
 * not, since anyone could add a program of that name there. Otherwise the spawn fails with EACCES
 * and says why. Links are followed: what is checked is what would run, and when the program is
 * reached through a link, the folder holding that link is checked too (whoever can write it could
 * swap the link).
 */
final class ProgramPath {

    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;
    private static volatile Integer agentUid;

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
            refuseTampered(Path.of(program));
            return program;
        }
        boolean sawUnexecutable = false;
        for (Path dir : directories) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    refuseTampered(candidate);
                    return candidate.toString();
                }
                sawUnexecutable = true;
            }
        }
        throw new SpawnFailure(sawUnexecutable ? Posix.EACCES : Posix.ENOENT);
    }

    /**
     * Finds a program the host named (guest-exec) as qemu-ga 7.2 does through GLib's g_spawn with
     * {@code G_SPAWN_SEARCH_PATH | G_SPAWN_SEARCH_PATH_FROM_ENVP} (gspawn.c fork_exec, g_execute):
     * a name with '/' as given; otherwise each entry of the {@code PATH} in the child's environment,
     * else in the agent's, else of {@code /bin:/usr/bin:.}, an empty entry meaning the working
     * directory. No trust check: the host chooses what runs (see {@code ChildSpec.hostChosen}).
     *
     * @param environment the child's {@code NAME=value} entries when the spec replaces the
     *        agent's; the first {@code PATH=} counts (g_environ_getenv)
     * @throws SpawnFailure ENOENT when nothing of that name exists, EACCES when only entries that
     *         cannot be executed do (GLib remembers EACCES and searches on, as execvp)
     */
    static String resolveHostChosen(String program, List<String> environment) throws SpawnFailure {
        if (program.isEmpty()) {
            throw new SpawnFailure(Posix.ENOENT);
        }
        if (program.indexOf('/') >= 0) {
            return program;
        }
        String search = null;
        if (environment != null) {
            search = environment.stream().filter(e -> e.startsWith("PATH=")).findFirst().map(e -> e.substring(5))
                    .orElse(null);
        }
        if (search == null) {
            search = System.getenv("PATH");
        }
        if (search == null) {
            search = "/bin:/usr/bin:.";
        }
        boolean sawUnexecutable = false;
        for (String entry : search.split(":", -1)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
            sawUnexecutable |= Files.exists(candidate);
        }
        throw new SpawnFailure(sawUnexecutable ? Posix.EACCES : Posix.ENOENT);
    }

    /** Why {@code program} would not pass {@link #refuseTampered}, or null when it would. */
    static String tamperingOf(Path program) {
        try {
            refuseTampered(program);
            return null;
        } catch (SpawnFailure refused) {
            return refused.getMessage();
        }
    }

    /**
     * @throws SpawnFailure ENOENT when there is nothing at {@code program} (or a dangling link), as
     *         execve would say; EACCES naming the problem when someone else could have changed it
     */
    static void refuseTampered(Path program) throws SpawnFailure {
        Path real;
        try {
            real = program.toRealPath();
        } catch (NoSuchFileException nothingThere) {
            // Refused here rather than left to execve: a file that appears between this check and
            // the spawn would run unchecked.
            throw new SpawnFailure(Posix.ENOENT);
        } catch (IOException | RuntimeException e) {
            throw refused(program, "cannot be checked: " + e.getMessage());
        }
        String problem;
        try {
            problem = tampering(real, agentUid());
            if (problem == null && !real.equals(program)) {
                problem = linkTampering(program, real, agentUid());
            }
        } catch (IOException | RuntimeException e) {
            // Anything that vanishes or cannot be read during the walk (a folder renamed away, no
            // /proc) fails closed: only a completed check lets a program run.
            problem = "cannot be checked: " + e.getMessage();
        }
        if (problem != null) {
            throw refused(program, problem);
        }
    }

    private static SpawnFailure refused(Path program, String problem) {
        return new SpawnFailure(Posix.EACCES, program + " is not run: " + problem
                + " (whoever can write there could run code as this agent)");
    }

    /**
     * Why someone else could swap the link {@code program} resolves through, or null: the folder
     * holding the link (the real one, should it be reached through links itself) must be as safe
     * as a program's own folder, and those above it as safe as the folders above a program.
     * Only called when {@code program} is not its own real path.
     */
    static String linkTampering(Path program, Path real, int agentUid) throws IOException {
        Path given = program.toAbsolutePath().getParent();
        if (given == null) {
            return null;
        }
        Path linkFolder = given.toRealPath();
        if (linkFolder.equals(real.getParent())) {
            return null; // the folder already checked as the program's own (e.g. /sbin -> /usr/sbin)
        }
        return folderTampering(linkFolder, agentUid, "the folder " + linkFolder + " holding its link", "above its link");
    }

    /** Why someone other than {@code agentUid} or root could have changed {@code real}, or null. */
    static String tampering(Path real, int agentUid) throws IOException {
        String own = problem(real, agentUid, false);
        if (own != null) {
            return "it " + own;
        }
        Path folder = real.getParent();
        if (folder == null) {
            return null;
        }
        return folderTampering(folder, agentUid, "its folder " + folder, "above it");
    }

    /**
     * The folder an entry lives in must not be writable by others even with the sticky bit (anyone
     * could add an entry of that name there); the folders above it may be sticky (nobody else can
     * then rename what is ours).
     */
    private static String folderTampering(Path folder, int agentUid, String named, String aboveWhat)
            throws IOException {
        String inFolder = problem(folder, agentUid, false);
        if (inFolder != null) {
            return named + " " + inFolder;
        }
        for (Path above = folder.getParent(); above != null; above = above.getParent()) {
            String inherited = problem(above, agentUid, true);
            if (inherited != null) {
                return "the folder " + above + " " + aboveWhat + " " + inherited;
            }
        }
        return null;
    }

    /** One lstat per folder: this runs before every spawn, on the way from a request to its action. */
    private static String problem(Path path, int agentUid, boolean stickyForgives) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) attributes.get("uid");
        if (owner != agentUid && owner != 0) {
            return "is owned by uid " + owner + ", neither the agent's user (uid " + agentUid + ") nor root";
        }
        int mode = (Integer) attributes.get("mode");
        boolean group = (mode & GROUP_WRITE) != 0;
        boolean others = (mode & OTHERS_WRITE) != 0;
        if (!group && !others) {
            return null;
        }
        if (stickyForgives && (mode & STICKY) != 0) {
            return null;
        }
        return "is writable by " + (group && others ? "group and others" : group ? "group" : "others");
    }

    /** The effective uid (the owner of /proc/self), read once: the agent never changes its uid. */
    private static int agentUid() throws IOException {
        Integer uid = agentUid;
        if (uid == null) {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            agentUid = uid;
        }
        return uid;
    }
}
