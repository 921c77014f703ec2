package dev.somnus.credentials;

import dev.somnus.api.command.Strerror;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A user's line of {@code <root>/etc/passwd}: what qemu-ga's {@code get_passwd_entry} asks
 * {@code getpwnam} for (qga/commands-posix-ssh.c). Only the files database is read, so that a fake
 * root is a whole, self-contained guest; users that only NSS modules (LDAP, SSSD) know are not
 * found (a deliberate difference, README).
 *
 * @param name the user name
 * @param uid the numeric user id the file and folder are given to
 * @param gid the numeric group id
 * @param home the home folder as the passwd line names it (absolute in the guest, not under root)
 */
record PasswdEntry(String name, int uid, int gid, String home) {

    /**
     * The first line for {@code username}, as glibc's files backend finds it: blank lines, lines
     * starting with {@code #}, NIS compat lines ({@code +}/{@code -}) and lines without seven fields
     * or with non-numeric ids are skipped.
     *
     * @throws CommandException qemu-ga 7.2's {@code failed to lookup user '<name>': <reason>}; for a
     *         user that does not exist the reason is {@code Success} (glib reports errno 0 there,
     *         seen on Debian's qemu-ga 7.2.22)
     */
    static PasswdEntry lookup(Path root, String username) throws CommandException {
        Path passwd = root.resolve("etc/passwd");
        String text;
        try {
            text = new String(Files.readAllBytes(passwd), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException("failed to lookup user '" + username + "': " + Strerror.of(e));
        }
        for (String line : text.split("\n", -1)) {
            PasswdEntry entry = parse(line);
            if (entry != null && entry.name().equals(username)) {
                return entry;
            }
        }
        throw new CommandException("failed to lookup user '" + username + "': Success");
    }

    private static PasswdEntry parse(String line) {
        String trimmed = line.stripLeading();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("+") || trimmed.startsWith("-")) {
            return null;
        }
        String[] fields = line.split(":", -1);
        if (fields.length != 7 || fields[0].isEmpty()) {
            return null;
        }
        try {
            return new PasswdEntry(fields[0], Integer.parseUnsignedInt(fields[2]), Integer.parseUnsignedInt(fields[3]),
                    fields[5]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The home folder on this machine: the passwd path under {@code root} (a fake tree in tests). */
    Path homeUnder(Path root) {
        return root.resolve(home.replaceFirst("^/+", ""));
    }
}
