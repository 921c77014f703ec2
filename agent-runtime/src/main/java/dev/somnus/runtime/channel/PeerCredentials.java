package dev.somnus.runtime.channel;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import jnr.ffi.Pointer;

/**
 * Who is on the other end of a UNIX-domain connection, for logs and audit lines:
 * {@code unix uid=<n> gid=<n>} from SO_PEERCRED.
 *
 * <p>Java reports the peer's uid and gid only as names (or as the number when there is no name).
 * The names are mapped back through /etc/passwd and /etc/group rather than through NSS with a
 * native call: that keeps native code and its start-up cost off the path of every client. A name that
 * only NSS knows (LDAP, sssd) is shown as such, e.g. {@code unix user=alice gid=100}.
 *
 * <p>The peer's pid, for the audit lines of suspend requests, is not in Java's SO_PEERCRED: it
 * takes {@code getsockopt(SO_PEERCRED)} through jnr on the accepted socket's descriptor, which
 * java.nio hands out only when the JVM runs with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}
 * (bin/somnus-ga does). libc is bound on a background thread when the listener starts, so start-up
 * never waits for it; a client that connects before it is bound waits up to 2 s for it. Without
 * that flag, or if libc cannot be bound, the pid is left out ({@code unix uid=0 gid=0} instead of
 * {@code unix uid=0 gid=0 pid=1234}). That getsockopt also gives the numeric uid and gid, so once
 * a pair has been described its words are kept and Java's name lookups are not repeated for it
 * (a user renamed while the agent runs keeps the words of its first connection in the log).
 */
final class PeerCredentials {

    /** The descriptor of a java.nio channel, or null when the JDK does not let us see it. */
    private static final Method FD_VAL = fdVal();

    private final Path passwd;
    private final Path group;
    private final Map<String, Long> uids = new HashMap<>();
    private final Map<String, Long> gids = new HashMap<>();
    /** The words for a uid (high 32 bits) and gid (low 32 bits) pair already seen. */
    private final Map<Long, String> described = new HashMap<>();
    /** struct ucred and its length for getsockopt, allocated once (channel thread only). */
    private Pointer ucred;
    private Pointer ucredLength;

    PeerCredentials() {
        this(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    /** Set once libc is bound (see the class comment); null before, or when it cannot be. */
    private volatile Posix posix;
    /** Open once the binder has finished, whether or not it could bind libc. */
    private final CountDownLatch bound = new CountDownLatch(1);

    PeerCredentials(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
        if (FD_VAL != null) {
            Thread binder = new Thread(() -> {
                try {
                    posix = Posix.libc();
                } catch (IOException e) {
                    // no pid then
                } finally {
                    bound.countDown();
                }
            }, "somnus-peer-credentials");
            binder.setDaemon(true);
            binder.start();
        } else {
            bound.countDown();
        }
    }

    /**
     * Called on the listener's thread only. With libc bound, one getsockopt gives pid, uid and
     * gid; the words for a uid and gid pair are worked out once, the first time it connects,
     * through Java's SO_PEERCRED (whose name lookups through NSS read /etc/nsswitch.conf,
     * /etc/passwd and /etc/group and try nscd's socket on every call), and reused for its later
     * connections: a host's poller connects every few seconds, always as the same user.
     */
    String describe(SocketChannel channel) {
        int[] credentials = credentialsOf(channel);
        if (credentials == null) {
            UnixDomainPrincipal principal;
            try {
                principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            } catch (IOException | UnsupportedOperationException | LinkageError e) {
                return "unix";
            }
            return describe(principal.user().getName(), principal.group().getName());
        }
        long ids = (credentials[1] & 0xffffffffL) << 32 | (credentials[2] & 0xffffffffL);
        String who = described.get(ids);
        if (who == null) {
            UnixDomainPrincipal principal;
            try {
                principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            } catch (IOException | UnsupportedOperationException | LinkageError e) {
                return "unix";
            }
            who = describe(principal.user().getName(), principal.group().getName());
            described.put(ids, who);
        }
        int pid = credentials[0];
        return pid > 0 ? who + " pid=" + pid : who;
    }

    /** SO_PEERCRED's pid, uid and gid, or null without libc. */
    private int[] credentialsOf(SocketChannel channel) {
        // A client that connects while libc is still being bound (a loaded machine, the first
        // connection) waits for it briefly rather than leaving its pid out of the audit lines.
        try {
            bound.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Posix libc = posix;
        if (libc == null) {
            return null;
        }
        try {
            if (ucred == null) {
                ucred = libc.allocate(12);
                ucredLength = libc.allocate(4);
            }
            libc.peerCredentials((Integer) FD_VAL.invoke(channel), ucred, ucredLength);
            return new int[] {ucred.getInt(0), ucred.getInt(4), ucred.getInt(8)};
        } catch (ReflectiveOperationException | RuntimeException | PosixException e) {
            return null;
        }
    }

    private static Method fdVal() {
        try {
            // from the boot loader: the system bundle does not export sun.nio.ch (java.base does not)
            Method method = Class.forName("sun.nio.ch.SelChImpl", false, null).getMethod("getFDVal");
            try (SocketChannel probe = SocketChannel.open()) {
                // fails unless java.base exports sun.nio.ch to us (--add-exports)
                method.invoke(probe);
            }
            return method;
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            return null;
        }
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
