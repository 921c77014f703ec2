package dev.somnus.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.regex.Pattern;

/**
 * {@code somnus-gactl}: one command to a guest agent's unix socket after the resynchronisation
 * handshake of {@link AgentConnection}; prints the one reply line.
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
        try (AgentConnection connection = new AgentConnection(path, timeout)) {
            if (!connection.handshake()) {
                err.println(argv0 + ": no answer to guest-sync-delimited within " + timeout + " ms");
                return FAILED;
            }
            String reply = connection.request(request(command));
            if (reply == null) {
                out.println(connection.closedByAgent() ? "no reply: the agent closed the connection"
                        : "no reply within " + timeout + " ms");
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

    static String usage(String argv0) {
        return "Usage: " + argv0 + " -p SOCKET [--timeout MS] COMMAND\n"
                + "Sends one command to a guest agent listening on a unix socket and prints the reply.\n"
                + "COMMAND is a JSON request ('{\"execute\":\"guest-info\"}') or just a command name (guest-ping).\n"
                + "  -p, --path SOCKET  the agent's socket (somnus-ga -m unix-listen -p SOCKET)\n"
                + "      --timeout MS   how long to wait for each reply (default 3000)\n"
                + "Exit status: 0 return reply, 1 error reply, 2 usage or connection failure,\n"
                + "3 no reply within the timeout (guest-shutdown and guest-suspend-* answer nothing on success).\n";
    }
}
