package dev.somnus.mounts;

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
 * The local file systems as qemu-ga 7.2 lists them ({@code build_fs_mount_list} in
 * qga/commands-linux.c): {@code /proc/self/mountinfo} in its order, skipping every mount whose
 * device major is 0 (proc, tmpfs, cgroup, ...) except btrfs, whose major:minor comes from
 * stat'ing its device. Without mountinfo, {@code /proc/self/mounts} through getmntent rules
 * ({@code build_fs_mount_list_from_mtab}). Bind mounts of a block device are listed again, as
 * in 7.2 (only 9.2 drops a repeated major:minor): freeze's second FIFREEZE of one file system
 * answers EBUSY and is not counted.
 *
 * <p>Read alike by guest-get-fsinfo (storage bundle) and guest-fsfreeze-*, guest-fstrim (freeze
 * bundle); each bundle gets a private copy of this package from bnd ({@code -conditionalpackage}),
 * so either family can be removed from the deployment alone.
 */
public final class MountTable {

    /** One mounted file system: where, of which type, on which block device. */
    public record Mount(String mountpoint, String type, int major, int minor) {
    }

    public static final String MOUNTINFO = "/proc/self/mountinfo";
    public static final String MTAB = "/proc/self/mounts";

    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFBLK = 0060000;

    private MountTable() {
    }

    /**
     * @param root the tree whose {@code proc/self/mountinfo} is read: {@code /} on a guest
     * @throws CommandException with qemu-ga's text when neither table can be opened
     */
    public static List<Mount> read(Path root) throws CommandException {
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
    public static Path under(Path root, String guestPath) {
        String relative = guestPath.startsWith("/") ? guestPath.substring(1) : guestPath;
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /**
     * {@code "%*u %*u %u:%u %*s %n%*s%n"}, then the type and source after the first
     * {@code " - "} following the mount point; both names are unescaped ({@code decode_mntname}).
     */
    private static Mount parseMountinfoLine(Path root, String line) {
        if (isPseudoFileSystem(line)) {
            return null;
        }
        String[] fields = line.trim().split("[ \t\n]+");
        if (fields.length < 5 || !isUnsigned(fields[0]) || !isUnsigned(fields[1])) {
            return null;
        }
        String[] numbers = fields[2].split(":", 2);
        if (numbers.length != 2 || !isUnsigned(numbers[0]) || !isUnsigned(numbers[1])) {
            return null;
        }
        // %u into an unsigned int: a (never written) number past 32 bits keeps its low 32 bits
        int major = (int) Long.parseLong(numbers[0]);
        int minor = (int) Long.parseLong(numbers[1]);
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
        if (major == 0) {
            // btrfs reports major number 0: its device node says which disk it is
            if (!type.equals("btrfs")) {
                return null;
            }
            int[] device = blockDevice(root, source);
            if (device == null) {
                return null;
            }
            major = device[0];
            minor = device[1];
        }
        return new Mount(mountpoint, type, major, minor);
    }

    /**
     * Whether the line is one that {@link #parseMountinfoLine} would skip for its device major 0
     * without btrfs, told from its first three fields alone: most lines of a guest's mountinfo
     * (proc, sysfs, tmpfs, cgroup...) are, and splitting each whole line with a regex was the
     * largest part of guest-get-fsinfo's CPU time. Only a line this is sure of is skipped here;
     * any other goes through the full parse, so the answer stays the same. The fields are
     * taken as {@code trim().split("[ \t\n]+")} takes them.
     */
    static boolean isPseudoFileSystem(String line) {
        int end = line.length();
        int i = 0;
        while (i < end && line.charAt(i) <= ' ') {
            i++; // what trim() drops in front
        }
        for (int field = 0; field < 2; field++) {
            int start = i;
            while (i < end && !isFieldSeparator(line.charAt(i))) {
                i++;
            }
            if (!isUnsigned(line.substring(start, i)) || i == end) {
                return false; // the full parse decides (and rejects it there too)
            }
            while (i < end && isFieldSeparator(line.charAt(i))) {
                i++;
            }
        }
        // the third field must be exactly "0:<digits>" followed by a separator
        if (i + 2 >= end || line.charAt(i) != '0' || line.charAt(i + 1) != ':') {
            return false;
        }
        int start = i + 2;
        i = start;
        while (i < end && !isFieldSeparator(line.charAt(i))) {
            i++;
        }
        // an ASCII "btrfs" can only come from those five bytes in the line: without them the
        // type cannot be btrfs, and a major of 0 is skipped
        return i < end && isUnsigned(line.substring(start, i)) && !line.contains("btrfs");
    }

    private static boolean isFieldSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\n';
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
            int[] device = {0, 0};
            try {
                Map<String, Object> attributes = Files.readAttributes(under(root, source), "unix:mode,rdev");
                int mode = (Integer) attributes.get("mode");
                if ((mode & S_IFMT) == S_IFDIR) {
                    continue; // a bind mount
                }
                if ((mode & S_IFMT) == S_IFBLK) {
                    device = split((Long) attributes.get("rdev"));
                }
            } catch (IOException | UnsupportedOperationException e) {
                // dev_major_minor failed: listed with 0:0, as qemu-ga does
            }
            mounts.add(new Mount(dir, type, device[0], device[1]));
        }
        return mounts;
    }

    /** {@code dev_major_minor} when it answers 0: the device numbers of a block device node. */
    private static int[] blockDevice(Path root, String node) {
        try {
            Map<String, Object> attributes = Files.readAttributes(under(root, node), "unix:mode,rdev");
            if (((Integer) attributes.get("mode") & S_IFMT) != S_IFBLK) {
                return null;
            }
            return split((Long) attributes.get("rdev"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** glibc's gnu_dev_major / gnu_dev_minor. */
    private static int[] split(long rdev) {
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        return new int[] {major, minor};
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

    /**
     * The tables are read a byte per char so the escapes decode to bytes, as in C; the names
     * are then the UTF-8 text those bytes spell (a malformed byte becomes U+FFFD).
     */
    private static String utf8(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static boolean between(char c, char low, char high) {
        return c >= low && c <= high;
    }
}
