package dev.somnus.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code somnus-gactl}: one command to a guest agent's unix socket, the way qga-reference §1.5
 * says a client should start. It sends the flush byte 0xFF and {@code guest-sync-delimited} with a
 * random id, skips everything up to the 0xFF sentinel whose reply carries that id (so half a
 * message left by an earlier client or the agent's error reply for the flush byte never confuses
 * it), then sends the command and prints the one reply line.
 *
 * <p>Exit status: 0 for a {@code return} reply, 1 for an {@code error} reply, 2 for bad usage or a
 * failed connection or handshake, 3 when no reply came within the timeout — which is what
 * guest-shutdown and guest-suspend-* do on success (§1.6).
 */
public final class Gactl {

    static final int OK = 0;
    static final int ERROR_REPLY = 1;
    static final int FAILED = 2;
    static final int NO_REPLY = 3;

    private static final Pattern SYNC_REPLY = Pattern.compile("\\{\\s*\"return\"\\s*:\\s*(-?\\d+)\\s*}\\s*");
    private static final Pattern ERROR_MEMBER = Pattern.compile("^\\{\\s*(\"id\"\\s*:.*,\\s*)?\"error\"\\s*:");

    private Gactl() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String argv0 = System.getProperty("somnus.argv0", "somnus-gactl");
        String path = null;
        String command = null;
        long timeout = 3000;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            try {
                if (arg.equals("-h") || arg.equals("--help")) {
                    out.print(usage(argv0));
                    return OK;
                } else if (arg.equals("-p") || arg.equals("--path")) {
                    path = args[++i];
                } else if (arg.startsWith("--path=")) {
                    path = arg.substring("--path=".length());
                } else if (arg.equals("--timeout")) {
                    timeout = Long.parseLong(args[++i]);
                } else if (arg.startsWith("--timeout=")) {
                    timeout = Long.parseLong(arg.substring("--timeout=".length()));
                } else if (arg.startsWith("-") && arg.length() > 1) {
                    err.println(argv0 + ": unknown option '" + arg + "'; try '" + argv0 + " --help'");
                    return FAILED;
                } else if (command == null) {
                    command = arg;
                } else {
                    err.println(argv0 + ": one command at a time; unexpected '" + arg + "'");
                    return FAILED;
                }
            } catch (ArrayIndexOutOfBoundsException e) {
                err.println(argv0 + ": option '" + arg + "' needs a value");
                return FAILED;
            } catch (NumberFormatException e) {
                err.println(argv0 + ": --timeout takes milliseconds, not '" + args[i] + "'");
                return FAILED;
            }
        }
        if (path == null || command == null || timeout <= 0) {
            err.print(usage(argv0));
            return FAILED;
        }
        try (Connection connection = new Connection(path, timeout)) {
            long id = new SecureRandom().nextLong() & Long.MAX_VALUE;
            connection.send(new byte[] {(byte) 0xFF});
            connection.send(("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":" + id + "}}\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (!connection.awaitSync(id)) {
                err.println(argv0 + ": no answer to guest-sync-delimited within " + timeout + " ms");
                return FAILED;
            }
            connection.send((request(command) + "\n").getBytes(StandardCharsets.UTF_8));
            String reply = connection.readLine();
            if (reply == null) {
                out.println("no reply within " + timeout + " ms");
                return NO_REPLY;
            }
            out.println(reply);
            return ERROR_MEMBER.matcher(reply).find() ? ERROR_REPLY : OK;
        } catch (IOException e) {
            err.println(argv0 + ": " + path + ": " + Errors.describe(e));
            return FAILED;
        }
    }

    /** A bare command name is sent as {@code {"execute":"<name>"}}; anything else as written. */
    static String request(String command) {
        String trimmed = command.strip();
        if (trimmed.matches("[A-Za-z0-9_.-]+")) {
            return "{\"execute\":\"" + trimmed + "\"}";
        }
        return command;
    }

    /** Is this line the reply to our guest-sync-delimited? */
    static boolean isSyncReply(String line, long id) {
        Matcher m = SYNC_REPLY.matcher(line);
        return m.matches() && m.group(1).equals(Long.toString(id));
    }

    static String usage(String argv0) {
        return "Usage: " + argv0 + " -p SOCKET [--timeout MS] COMMAND\n"
                + "Sends one command to a guest agent listening on a unix socket and prints the reply.\n"
                + "COMMAND is a JSON request ('{\"execute\":\"guest-info\"}') or just a command name (guest-ping).\n"
                + "  -p, --path SOCKET  the agent's socket (somnus-ga -m unix-listen -p SOCKET)\n"
                + "      --timeout MS   how long to wait for each reply (default 3000)\n"
                + "Exit status: 0 return reply, 1 error reply, 2 usage or connection failure,\n"
                + "3 no reply within the timeout (guest-shutdown and guest-suspend-* answer nothing on success).\n";
    }

    /** A socket read with a deadline per reply, byte by byte through a small buffer. */
    private static final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        private final Selector selector;
        private final long timeoutMillis;
        private final ByteBuffer buffer = ByteBuffer.allocate(4096);

        Connection(String path, long timeoutMillis) throws IOException {
            this.timeoutMillis = timeoutMillis;
            this.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
                channel.configureBlocking(false);
                selector = Selector.open();
                channel.register(selector, SelectionKey.OP_READ);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            buffer.flip();
        }

        void send(byte[] bytes) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        /** Discards input until a 0xFF sentinel followed by the reply carrying {@code id}. */
        boolean awaitSync(long id) throws IOException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            while (true) {
                int b;
                do {
                    b = read(deadline);
                    if (b < 0) {
                        return false;
                    }
                } while (b != 0xFF);
                String line = readLine(deadline);
                if (line == null) {
                    return false;
                }
                if (isSyncReply(line, id)) {
                    return true;
                }
            }
        }

        String readLine() throws IOException {
            return readLine(System.nanoTime() + timeoutMillis * 1_000_000);
        }

        private String readLine(long deadline) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = read(deadline);
                if (b < 0) {
                    return null;
                }
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        }

        /** The next byte, or -1 at the deadline or end of stream. */
        private int read(long deadline) throws IOException {
            while (!buffer.hasRemaining()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return -1;
                }
                selector.select(left);
                buffer.clear();
                int n = channel.read(buffer);
                buffer.flip();
                if (n < 0) {
                    return -1;
                }
            }
            return buffer.get() & 0xFF;
        }

        @Override
        public void close() throws IOException {
            try {
                if (selector != null) {
                    selector.close();
                }
            } finally {
                channel.close();
            }
        }
    }
}
