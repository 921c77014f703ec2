package dev.somnus.credentials;

import dev.somnus.api.command.GuestBase64;
import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * {@code guest-set-user-password {username, password, crypted}}: qemu-ga 7.2's
 * {@code qmp_guest_set_user_password} (qga/commands-posix.c, the Linux branch; its texts checked
 * against the strings of the installed /usr/sbin/qemu-ga 7.2). The base64 {@code password} is
 * decoded, the raw password and the username are checked for the characters that would break
 * chpasswd's one-line input, and {@code username:password\n} is written to the stdin of the
 * configured chpasswd, with {@code -e} when {@code crypted}, run through the reaper with stdout and
 * stderr on /dev/null as qemu-ga runs it. Acting and audited.
 *
 * <p>The password and its base64 never appear in a log line, an error text or an exception: the
 * audit line names the user and whether the password was crypted, the dry run shows
 * {@code <hidden>}. The component needs a configuration of {@value CredentialsConfig#PID} (the
 * shipped conf/dev.somnus.credentials.cfg is one, even with every line commented out), so an agent
 * whose conf/ points chpasswd at a fake can never meet the real one while fileinstall is still
 * reading conf/.
 */
@Component(service = Command.class, configurationPid = CredentialsConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {Command.NAME_PROPERTY + "=" + SetUserPasswordCommand.NAME, Command.AUDITED + ":Boolean=true",
                Command.ACTING + ":Boolean=true"})
public final class SetUserPasswordCommand implements Command {

    static final String NAME = "guest-set-user-password";
    private static final int ENOENT = 2;

    private final ChildProcesses processes;
    private final Logger logger;
    private volatile String chpasswd;
    /**
     * One chpasswd at a time, as qemu-ga's single thread runs them: shadow's chpasswd gives up
     * when another holds the lock on /etc/shadow.
     */
    private final Object oneAtATime = new Object();

    @Activate
    public SetUserPasswordCommand(CredentialsConfig config, @Reference ChildProcesses processes,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this(config.chpasswd(), processes, logger);
    }

    SetUserPasswordCommand(String chpasswd, ChildProcesses processes, Logger logger) {
        this.chpasswd = chpasswd;
        this.processes = processes;
        this.logger = logger;
    }

    /** A new chpasswd applies to the next request; the command stays registered. */
    @Modified
    void modified(CredentialsConfig config) {
        chpasswd = config.chpasswd();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(Parameter.required("username", JsonType.STRING), Parameter.required("password", JsonType.STRING),
                Parameter.required("crypted", JsonType.BOOLEAN));
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        Change change = Change.of(arguments);
        String program = chpasswd;
        checkFound(program);
        byte[] input = change.chpasswdInput();
        ChildOutcome outcome;
        synchronized (oneAtATime) {
            ChildProcess child = processes.spawn(ChildSpec.of(change.argv(program)).withInput(input));
            Arrays.fill(input, (byte) 0); // the reaper holds its own copy until chpasswd has read it
            outcome = await(child);
        }
        switch (outcome.kind()) {
            case FAILED_TO_START:
                if (outcome.errno() == ENOENT) {
                    throw new CommandException("cannot find 'passwd' program in PATH");
                }
                // qemu-ga's fork failure; here also a program the reaper's trust check refuses
                throw new CommandException("failed to create child process: " + outcome.message());
            case EXITED:
                if (outcome.exitCode() != 0) {
                    throw new CommandException("child process has failed to set user password");
                }
                break;
            default:
                throw new CommandException("child process has terminated abnormally");
        }
        logger.audit("audit: {}: {} has a new password (crypted: {}), set by {}", NAME, quoted(change.username()),
                change.crypted(), program);
        return Map.of();
    }

    /** {@code run /usr/sbin/chpasswd -e with "alice:<hidden>" on stdin}, after execute's checks. */
    @Override
    public String explain(Map<String, Object> arguments) throws CommandException {
        Change change = Change.of(arguments);
        String program = chpasswd;
        checkFound(program);
        return "run " + String.join(" ", change.argv(program)) + " with \"" + escaped(change.username())
                + ":<hidden>\" on stdin";
    }

    /**
     * qemu-ga's {@code g_find_program_in_path("chpasswd")} fails unless an executable file is
     * found; a configured path is held to the same. A bare name is found by the reaper.
     */
    private static void checkFound(String program) throws CommandException {
        if (program.indexOf('/') >= 0) {
            Path path = Path.of(program);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new CommandException("cannot find 'passwd' program in PATH");
            }
        }
    }

    /**
     * qemu-ga waits as long as chpasswd takes. Should this thread be interrupted (the agent
     * stopping), chpasswd is ended rather than left behind.
     */
    private static ChildOutcome await(ChildProcess child) throws CommandException {
        try {
            return child.await();
        } catch (InterruptedException e) {
            child.cancel();
            Thread.currentThread().interrupt();
            throw new CommandException("child process has terminated abnormally");
        }
    }

    /** The user in double quotes, for audit lines. */
    static String quoted(String username) {
        return '"' + escaped(username) + '"';
    }

    /**
     * The user with quotes, backslashes and control characters escaped, for audit lines and dry
     * runs: a username may hold any character but newline and ':'.
     */
    static String escaped(String username) {
        StringBuilder out = new StringBuilder(username.length());
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The checked arguments, in qemu-ga's order: the password decoded and checked, then the username. */
    record Change(String username, byte[] password, boolean crypted) {

        static Change of(Map<String, Object> arguments) throws CommandException {
            String username = (String) arguments.get("username");
            byte[] password = cString(GuestBase64.decode((String) arguments.get("password")));
            for (byte b : password) {
                if (b == '\n') {
                    throw new CommandException("forbidden characters in raw password");
                }
            }
            if (username.indexOf('\n') >= 0 || username.indexOf(':') >= 0) {
                throw new CommandException("forbidden characters in username");
            }
            return new Change(username, password, Boolean.TRUE.equals(arguments.get("crypted")));
        }

        /** qemu-ga's {@code execl(passwd_path, "chpasswd", ["-e",] NULL)}. */
        List<String> argv(String program) {
            return crypted ? List.of(program, "-e") : List.of(program);
        }

        /**
         * {@code g_strdup_printf("%s:%s\n", username, rawpasswddata)}: the username as qemu's JSON
         * parser holds it (UTF-8, U+0000 as C0 80), the raw password bytes.
         */
        byte[] chpasswdInput() {
            ByteArrayOutputStream line = new ByteArrayOutputStream(username.length() + password.length + 8);
            String[] parts = username.split("\u0000", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    line.write(0xC0);
                    line.write(0x80);
                }
                line.writeBytes(parts[i].getBytes(StandardCharsets.UTF_8));
            }
            line.write(':');
            line.writeBytes(password);
            line.write('\n');
            return line.toByteArray();
        }

        /**
         * The decoded password is a C string to qemu-ga ({@code strchr}, then {@code %s}): it ends
         * at its first NUL byte, and what follows is neither checked nor sent.
         */
        private static byte[] cString(byte[] decoded) {
            for (int i = 0; i < decoded.length; i++) {
                if (decoded[i] == 0) {
                    return Arrays.copyOf(decoded, i);
                }
            }
            return decoded;
        }

        /** Never the password, should a record's default text ever reach a log. */
        @Override
        public String toString() {
            return "Change[username=" + quoted(username) + ", crypted=" + crypted + "]";
        }
    }
}
