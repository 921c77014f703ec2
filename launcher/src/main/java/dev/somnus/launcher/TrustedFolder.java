package dev.somnus.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Whether a folder fileinstall would watch (deploy/, conf/) may be trusted: whatever lands in it is
 * loaded into the agent, which runs as root, so whoever can write there can run code as root. A
 * folder is trusted when it, every folder above it, and every entry in it are owned by the agent's
 * user or by root, and none is writable by group or others. A folder above may be writable by
 * others when its sticky bit is set (/tmp): nobody else can then rename or remove what is ours in
 * it. Links are followed first, so the folders checked are the ones actually read.
 *
 * <p>Root is accepted as an owner besides the agent's user (as OpenSSH accepts it for
 * authorized_keys): root can replace anything anyway, and an agent running as a dedicated user
 * usually lives below root's folders.
 */
final class TrustedFolder {

    private static final int ROOT = 0;

    private final int agentUid;

    TrustedFolder(int agentUid) {
        this.agentUid = agentUid;
    }

    /** For the user this process runs as (the owner of /proc/self, i.e. the effective uid). */
    static TrustedFolder forThisProcess() throws LaunchException {
        try {
            return new TrustedFolder((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException e) {
            throw new LaunchException("unable to tell which user this agent runs as: " + Errors.describe(e));
        } catch (RuntimeException e) {
            throw new LaunchException("unable to tell which user this agent runs as: " + e);
        }
    }

    /** "refusing to {@code what} {@code folder}: it {@code problem}; ...", with what to do about it. */
    static String refusal(String what, Path folder, String problem) {
        return "refusing to " + what + " " + folder + ": it " + problem
                + "; whoever can write there could run code in this agent. Give it to the agent's user"
                + " or root, without write access for group and others, and restart the agent";
    }

    int agentUid() {
        return agentUid;
    }

    /**
     * @return why {@code folder} must not be loaded from, or null when it may be; a missing folder
     *         is harmless (nothing to load) and reported as null too
     */
    String problem(Path folder) {
        Path real;
        try {
            if (!Files.exists(folder)) {
                return null;
            }
            real = folder.toRealPath();
        } catch (IOException e) {
            return "cannot be checked: " + Errors.describe(e);
        }
        try {
            String own = problemOf(real, false);
            if (own != null) {
                return own;
            }
            for (Path above = real.getParent(); above != null; above = above.getParent()) {
                String inherited = problemOf(above, true);
                if (inherited != null) {
                    return "lies below " + above + ", which " + inherited;
                }
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(real)) {
                for (Path entry : entries) {
                    String entryProblem = problemOf(entry, false);
                    if (entryProblem != null) {
                        return "holds " + entry.getFileName() + ", which " + entryProblem;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            return "cannot be checked: " + Errors.describe(e);
        }
    }

    private String problemOf(Path path, boolean stickyForgives) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != agentUid && owner != ROOT) {
            return "is owned by uid " + owner + ", not by the agent's user (uid " + agentUid + ") or root";
        }
        if (attributes.isSymbolicLink()) {
            // only entries can be links here (folders were resolved); a link's own mode means nothing,
            // but its target is loaded: judge the target too
            return problemOf(path.toRealPath(), false);
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        boolean groupWrites = permissions.contains(PosixFilePermission.GROUP_WRITE);
        boolean othersWrite = permissions.contains(PosixFilePermission.OTHERS_WRITE);
        if (!groupWrites && !othersWrite) {
            return null;
        }
        if (stickyForgives && attributes.isDirectory() && isSticky(path)) {
            return null;
        }
        return "is writable by " + (groupWrites && othersWrite ? "group and others" : groupWrites ? "group" : "others");
    }

    private static boolean isSticky(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 01000) != 0;
    }
}
