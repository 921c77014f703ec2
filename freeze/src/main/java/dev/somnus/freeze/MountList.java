package dev.somnus.freeze;

import dev.somnus.api.command.CommandException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The file systems qemu-ga 7.2 freezes, thaws and trims: {@code build_fs_mount_list}
 * (qga/commands-linux.c), the same list guest-get-fsinfo walks. {@code /proc/self/mountinfo} in
 * its order, skipping every mount whose device major is 0 (proc, tmpfs, cgroup...) except btrfs,
 * whose device node is stat'ed instead; without mountinfo, {@code /proc/self/mounts} with
 * getmntent's rules ({@code build_fs_mount_list_from_mtab}). Bind mounts are listed again, as in
 * 7.2: the second FIFREEZE of one file system answers EBUSY and is not counted.
 *
 * <p>The same reading as the storage bundle's {@code MountTable} (which guest-get-fsinfo uses);
 * bundles share no private code, so the few lines of parsing live in both.
 */
final class MountList {

    /** One mounted file system, named as the guest sees it. */
    record Mount(String mountpoint, String type) {
    }

    static final String MOUNTINFO = "/proc/self/mountinfo";
    static final String MTAB = "/proc/self/mounts";

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFBLK = 0060000;

    private MountList() {
    }

    /** @param root the tree whose {@code proc/self/mountinfo} is read: {@code /} on a guest */
    static List<Mount> read(Path root) throws CommandException {
        BufferedReader mountinfo;
        try {
            mountinfo = Files.newBufferedReader(under(root, MOUNTINFO), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return readMtab(root);
        }
        List<Mount> mounts = new ArrayList<>();
        try (mountinfo) {
            String line;
            while ((line = mountinfo.readLine()) != null) {
                Mount mount = parseMountinfoLine(root, line);
                if (mount != null) {
                    mounts.add(mount);
                }
            }
        } catch (IOException e) {
            // getline() stops at a read error: the lines read so far stand
        }
        return mounts;
    }

    /** Where a guest's absolute path lies in the tree. */
    static Path under(Path root, String guestPath) {
        String relative = guestPath.startsWith("/") ? guestPath.substring(1) : guestPath;
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /**
     * {@code "%*u %*u %u:%u %*s %n%*s%n%c"}, then the type and source after the first
     * {@code " - "} following the mount point; both names are unescaped ({@code decode_mntname}).
     */
    private static Mount parseMountinfoLine(Path root, String line) {
        String[] fields = line.trim().split("[ \t\n]+");
        if (fields.length < 5 || !isUnsigned(fields[0]) || !isUnsigned(fields[1])) {
            return null;
        }
        String[] numbers = fields[2].split(":", 2);
        if (numbers.length != 2 || !isUnsigned(numbers[0]) || !isUnsigned(numbers[1])) {
            return null;
        }
        long major = Long.parseLong(numbers[0]);
        int dash = -1;
        for (int i = 5; i < fields.length; i++) {
            if (fields[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (dash < 0 || dash + 2 >= fields.length) {
            return null;
        }
        String mountpoint = utf8(decodeMountinfoName(fields[4]));
        String type = utf8(fields[dash + 1]);
        String source = utf8(decodeMountinfoName(fields[dash + 2]));
        // btrfs reports major number 0: kept only when its source is a block device
        if (major == 0 && (!type.equals("btrfs") || !isBlockDevice(root, source))) {
            return null;
        }
        return new Mount(mountpoint, type);
    }

    private static List<Mount> readMtab(Path root) throws CommandException {
        List<String> lines;
        try {
            lines = Files.readAllLines(under(root, MTAB), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new CommandException("failed to open mtab file: '" + MTAB + "'");
        }
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.stripLeading();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("[ \t]+");
            if (fields.length < 3) {
                continue;
            }
            String source = utf8(decodeMtabName(fields[0]));
            String dir = utf8(decodeMtabName(fields[1]));
            String type = utf8(decodeMtabName(fields[2]));
            // a source not starting with '/' is a pseudo or network file system (as coreutils has it)
            if (!source.startsWith("/") || type.equals("smbfs") || type.equals("cifs")) {
                continue;
            }
            if (isDirectory(root, source)) {
                continue; // a bind mount (dev_major_minor answers -2)
            }
            mounts.add(new Mount(dir, type));
        }
        return mounts;
    }

    private static boolean isBlockDevice(Path root, String node) {
        return fileType(root, node) == S_IFBLK;
    }

    private static boolean isDirectory(Path root, String node) {
        return fileType(root, node) == S_IFDIR;
    }

    private static int fileType(Path root, String node) {
        try {
            Map<String, Object> attributes = Files.readAttributes(under(root, node), "unix:mode");
            return (Integer) attributes.get("mode") & S_IFMT;
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static boolean isUnsigned(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code decode_mntname}: {@code \\} and three-digit octal escapes ({@code \040}). */
    static String decodeMountinfoName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '\\') {
                out.append(c);
            } else if (i + 1 < name.length() && name.charAt(i + 1) == '\\') {
                out.append('\\');
                i++;
            } else if (i + 3 < name.length() && between(name.charAt(i + 1), '0', '3')
                    && between(name.charAt(i + 2), '0', '7') && between(name.charAt(i + 3), '0', '7')) {
                out.append((char) ((name.charAt(i + 1) - '0') * 64 + (name.charAt(i + 2) - '0') * 8
                        + (name.charAt(i + 3) - '0')));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** glibc getmntent's decode_name: only {@code \040 \011 \012 \134} and {@code \\}. */
    static String decodeMtabName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            if (name.startsWith("\\040", i)) {
                out.append(' ');
                i += 3;
            } else if (name.startsWith("\\011", i)) {
                out.append('\t');
                i += 3;
            } else if (name.startsWith("\\012", i)) {
                out.append('\n');
                i += 3;
            } else if (name.startsWith("\\134", i)) {
                out.append('\\');
                i += 3;
            } else if (name.startsWith("\\\\", i)) {
                out.append('\\');
                i += 1;
            } else {
                out.append(name.charAt(i));
            }
        }
        return out.toString();
    }

    /** The tables are read a byte per char so escapes decode to bytes; names are the UTF-8 they spell. */
    private static String utf8(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static boolean between(char c, char low, char high) {
        return c >= low && c <= high;
    }
}
