package dev.somnus.runtime.channel;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/** Who is on the other end of a UNIX-domain connection, for logs and audit lines. */
final class PeerCredentials {

    private PeerCredentials() {
    }

    /**
     * {@code unix uid=<n> gid=<n>} from SO_PEERCRED. Java reports the peer as user and group
     * <em>names</em>; they are mapped back to numbers through the C library, and kept as names
     * (e.g. {@code unix user=root group=root}) if that is not possible.
     */
    static String describe(SocketChannel channel) {
        UnixDomainPrincipal principal;
        try {
            principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        } catch (IOException | UnsupportedOperationException | LinkageError e) {
            return "unix";
        }
        String user = principal.user().getName();
        String group = principal.group().getName();
        long uid = idOf(user, true);
        long gid = idOf(group, false);
        return (uid >= 0 ? "unix uid=" + uid : "unix user=" + user) + (gid >= 0 ? " gid=" + gid : " group=" + group);
    }

    private static long idOf(String name, boolean user) {
        // Java falls back to the number itself when the id has no name.
        if (!name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9') && name.length() < 11) {
            return Long.parseLong(name);
        }
        try {
            Posix posix = Posix.libc();
            return user ? posix.uidOf(name) : posix.gidOf(name);
        } catch (IOException e) {
            return -1;
        }
    }
}
