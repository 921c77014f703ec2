package dev.somnus.runtime.channel;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who is on the other end of a UNIX-domain connection, for logs and audit lines:
 * {@code unix uid=<n> gid=<n>} from SO_PEERCRED.
 *
 * <p>Java reports the peer's uid and gid only as names (or as the number when there is no name).
 * The names are mapped back through /etc/passwd and /etc/group rather than through NSS with a
 * native call: that keeps unix-listen free of native code and of its start-up cost. A name that
 * only NSS knows (LDAP, sssd) is shown as such, e.g. {@code unix user=alice gid=100}.
 */
final class PeerCredentials {

    private final Path passwd;
    private final Path group;
    private final Map<String, Long> uids = new HashMap<>();
    private final Map<String, Long> gids = new HashMap<>();

    PeerCredentials() {
        this(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    PeerCredentials(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    String describe(SocketChannel channel) {
        UnixDomainPrincipal principal;
        try {
            principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | UnsupportedOperationException | LinkageError e) {
            return "unix";
        }
        return describe(principal.user().getName(), principal.group().getName());
    }

    String describe(String user, String groupName) {
        long uid = uids.computeIfAbsent(user, name -> idOf(name, passwd));
        long gid = gids.computeIfAbsent(groupName, name -> idOf(name, group));
        return (uid >= 0 ? "unix uid=" + uid : "unix user=" + user)
                + (gid >= 0 ? " gid=" + gid : " group=" + groupName);
    }

    /** The id in the third field of the {@code name:x:id:...} line for {@code name}, or -1. */
    private static long idOf(String name, Path database) {
        if (!name.isEmpty() && name.length() <= 10 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(name); // Java's fallback when the id has no name
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(database, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return -1;
        }
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3 && fields[0].equals(name)) {
                long id = VsockAddress.parseUnsigned32(fields[2]);
                if (id >= 0) {
                    return id;
                }
            }
        }
        return -1;
    }
}
