package dev.somnus.credentials;

import static dev.somnus.credentials.FakeUsers.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.reaper.impl.Reaper;
import dev.somnus.testkit.FakeGuest;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-set-user-password on a fake guest: the real reaper runs the fake chpasswd of
 * {@link FakeGuest} (it logs its argv and keeps its stdin; no password of this machine can change),
 * which the reaper's trusted directories hold alone.
 */
class SetUserPasswordCommandTest {

    /** Distinct enough that no other text of a test contains it by chance. */
    private static final String SECRET = "Zq7-s3cret/pw";

    @TempDir
    Path tmp;

    FakeGuest guest;
    Reaper reaper;
    final List<String> reaperLog = new CopyOnWriteArrayList<>();
    final FakeUsers.RecordingLogger log = new FakeUsers.RecordingLogger();
    SetUserPasswordCommand command;

    @BeforeEach
    void setUp() throws Exception {
        guest = new FakeGuest(tmp.resolve("guest"));
        reaper = new Reaper(new Reaper.Settings(guest.bin.toString(), false, Duration.ofMillis(200)), new Reaper.Log() {
            @Override
            public void warn(String message) {
                reaperLog.add("warn: " + message);
            }

            @Override
            public void error(String message, Throwable cause) {
                reaperLog.add("error: " + message + ": " + cause);
            }
        });
        command = new SetUserPasswordCommand(guest.helper("chpasswd"), reaper, log.logger());
    }

    @AfterEach
    void tearDown() {
        reaper.close();
    }

    private static String base64(String raw) {
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private Object set(String user, String password, boolean crypted) throws CommandException {
        return command.execute(args("username", user, "password", password, "crypted", crypted));
    }

    private String error(String user, String password, boolean crypted) {
        try {
            set(user, password, crypted);
        } catch (CommandException e) {
            assertThat(e.errorClass()).isEqualTo("GenericError");
            return e.desc();
        }
        throw new AssertionError("no error");
    }

    private String chpasswdGot() {
        return new String(guest.chpasswdInput(), StandardCharsets.UTF_8);
    }

    @Test
    void declaresTheWireNameAndQemuGasParameters() {
        assertThat(command.name()).isEqualTo("guest-set-user-password");
        assertThat(command.parameters()).containsExactly(Parameter.required("username", JsonType.STRING),
                Parameter.required("password", JsonType.STRING), Parameter.required("crypted", JsonType.BOOLEAN));
    }

    @Test
    void writesUserColonPasswordNewlineToChpasswdWithoutArguments() throws Exception {
        assertThat(set("alice", base64(SECRET), false)).isEqualTo(Map.of());

        assertThat(guest.calls()).containsExactly("chpasswd");
        assertThat(guest.chpasswdInput()).isEqualTo(("alice:" + SECRET + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCryptedPasswordGoesToChpasswdMinusE() throws Exception {
        String hash = "$6$rounds=5000$salt$Vx1.l3n9yq/abc";

        set("bob", base64(hash), true);

        assertThat(guest.calls()).containsExactly("chpasswd -e");
        assertThat(chpasswdGot()).isEqualTo("bob:" + hash + "\n");
    }

    @Test
    void acceptsMimeWrappedBase64AsProxmoxSendsIt() throws Exception {
        String longPassword = "a long passphrase of more than fifty-seven bytes, so MIME wraps it";
        String encoded = Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(longPassword.getBytes());
        assertThat(encoded).contains("\n");

        set("alice", encoded + "\n", false);
        set("bob", "c2Vj\ncmV0\n", false);

        assertThat(chpasswdGot()).isEqualTo("alice:" + longPassword + "\nbob:secret\n");
    }

    @Test
    void decodesLenientlyAsGlibDoes() throws Exception {
        set("a", "YWJjZA", false); // the unfinished last group is dropped
        set("b", "", false); // an empty password is chpasswd's to judge
        set("c", "YQ==", false);

        assertThat(chpasswdGot()).isEqualTo("a:abc\nb:\nc:a\n");
    }

    @Test
    void refusesWhatQbase64DecodeRefusesBeforeRunningAnything() {
        for (String bad : List.of("c2Vj cmV0", "c2VjcmV0\r\n", "c2Vj*", "c2Vj\u00e9", "c2Vj\u0000cmV0", "-_8=")) {
            assertThat(error("alice", bad, false)).as(bad).isEqualTo("Base64 data contains invalid characters");
        }
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void aNewlineInTheRawPasswordIsForbidden() {
        assertThat(error("alice", base64("first\nsecond"), false)).isEqualTo("forbidden characters in raw password");
        assertThat(error("alice", base64("trailing\n"), true)).isEqualTo("forbidden characters in raw password");
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void aColonOrANewlineInTheUsernameIsForbiddenButNotInThePassword() throws Exception {
        assertThat(error("ali:ce", base64("pw"), false)).isEqualTo("forbidden characters in username");
        assertThat(error("alice\n", base64("pw"), false)).isEqualTo("forbidden characters in username");
        assertThat(guest.calls()).isEmpty();

        set("alice", base64("with:colon\rand return\t"), false);

        assertThat(chpasswdGot()).isEqualTo("alice:with:colon\rand return\t\n");
    }

    @Test
    void checksInQemuGasOrderBase64ThenPasswordThenUsername() {
        assertThat(error("a:b", "***", false)).isEqualTo("Base64 data contains invalid characters");
        assertThat(error("a:b", base64("x\ny"), false)).isEqualTo("forbidden characters in raw password");
    }

    @Test
    void theRawPasswordEndsAtItsFirstNulAsQemuGasCStringDoes() throws Exception {
        set("alice", Base64.getEncoder().encodeToString("abc\0\ndef".getBytes()), false);

        assertThat(chpasswdGot()).isEqualTo("alice:abc\n");
    }

    @Test
    void theUsernameReachesChpasswdAsUtf8WithU0000AsQemusC080() throws Exception {
        set("j\u00fcrgen", base64("pw"), false);
        set("a\u0000b", base64("pw"), false);

        byte[] expected = new byte[] {'j', (byte) 0xC3, (byte) 0xBC, 'r', 'g', 'e', 'n', ':', 'p', 'w', '\n',
            'a', (byte) 0xC0, (byte) 0x80, 'b', ':', 'p', 'w', '\n'};
        assertThat(guest.chpasswdInput()).isEqualTo(expected);
    }

    @Test
    void aNonZeroExitIsQemuGasFailedToSetUserPassword() throws Exception {
        guest.exit("chpasswd", 1);
        assertThat(error("alice", base64("pw"), false)).isEqualTo("child process has failed to set user password");
        guest.exit("chpasswd", "-e", 3);
        assertThat(error("alice", base64("pw"), true)).isEqualTo("child process has failed to set user password");

        assertThat(guest.calls()).containsExactly("chpasswd", "chpasswd -e");
        assertThat(log.audits).isEmpty();
    }

    @Test
    void aSignalIsQemuGasTerminatedAbnormally() throws Exception {
        guest.killedBy("chpasswd", 9);
        assertThat(error("alice", base64("pw"), false)).isEqualTo("child process has terminated abnormally");
        guest.killedBy("chpasswd", 15);
        assertThat(error("alice", base64("pw"), false)).isEqualTo("child process has terminated abnormally");
        assertThat(log.audits).isEmpty();
    }

    @Test
    void aMissingOrUnexecutableChpasswdIsQemuGasCannotFind() throws Exception {
        Path plainFile = Files.writeString(tmp.resolve("not-executable"), "#!/bin/sh\nexit 0\n");
        for (String program : List.of(tmp.resolve("nowhere/chpasswd").toString(), plainFile.toString(),
                tmp.toString(), "no-such-chpasswd")) {
            command = new SetUserPasswordCommand(program, reaper, log.logger());
            assertThat(error("alice", base64("pw"), false)).as(program)
                    .isEqualTo("cannot find 'passwd' program in PATH");
        }
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void aBareNameIsFoundInTheReapersTrustedDirectoriesOnly() throws Exception {
        command = new SetUserPasswordCommand("chpasswd", reaper, log.logger());

        set("alice", base64("pw"), true);

        assertThat(guest.calls()).containsExactly("chpasswd -e");
        assertThat(chpasswdGot()).isEqualTo("alice:pw\n");
    }

    @Test
    void aChpasswdOthersCouldHaveChangedIsNotRun() throws Exception {
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path program = Files.copy(guest.bin.resolve("chpasswd"), open.resolve("chpasswd"));
        command = new SetUserPasswordCommand(program.toString(), reaper, log.logger());

        assertThat(error("alice", base64(SECRET), false)).startsWith("failed to create child process: " + program
                + " is not run: its folder " + open + " is writable by group and others");
        assertThat(guest.calls()).isEmpty();
        assertThat(Files.exists(open.resolve("chpasswd.stdin"))).isFalse();
    }

    @Test
    void theAuditLineNamesTheUserAndWhetherCryptedNeverThePassword() throws Exception {
        set("alice", base64(SECRET), false);
        set("b\"o\rb", base64(SECRET), true);

        assertThat(log.audits).containsExactly(
                "audit: guest-set-user-password: \"alice\" has a new password (crypted: false), set by "
                        + guest.helper("chpasswd"),
                "audit: guest-set-user-password: \"b\\\"o\\u000db\" has a new password (crypted: true), set by "
                        + guest.helper("chpasswd"));
    }

    @Test
    void theDryRunSaysWhatWouldRunWithThePasswordHiddenAndRunsNothing() throws Exception {
        assertThat(command.explain(args("username", "alice", "password", base64(SECRET), "crypted", false)))
                .isEqualTo("run " + guest.helper("chpasswd") + " with \"alice:<hidden>\" on stdin");
        assertThat(command.explain(args("username", "alice", "password", base64(SECRET), "crypted", true)))
                .isEqualTo("run " + guest.helper("chpasswd") + " -e with \"alice:<hidden>\" on stdin");
        assertThatThrownBy(() -> command.explain(args("username", "a:b", "password", "", "crypted", false)))
                .hasMessageContaining("forbidden characters in username");
        command = new SetUserPasswordCommand(tmp.resolve("nowhere").toString(), reaper, log.logger());
        assertThatThrownBy(() -> command.explain(args("username", "alice", "password", "", "crypted", false)))
                .hasMessageContaining("cannot find 'passwd' program in PATH");

        assertThat(guest.calls()).isEmpty();
        assertThat(log.audits).isEmpty();
    }

    @Test
    void aNewConfigurationAppliesToTheNextRequest() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Path program = Files.copy(guest.bin.resolve("chpasswd"), other.resolve("chpasswd"));

        command.modified(config(program.toString()));
        set("alice", base64("pw"), false);

        assertThat(guest.calls()).isEmpty();
        assertThat(Files.readString(other.resolve("chpasswd.stdin"))).isEqualTo("alice:pw\n");
    }

    /**
     * Every way a request can end, with the same password: not one log line of the command or the
     * reaper, error text, exception text, dry run or audit line holds the password, its base64 or
     * a line of its MIME-wrapped base64.
     */
    @Test
    void thePasswordAndItsBase64AppearInNoLogErrorOrExplanation() throws Exception {
        String password = SECRET + " and more words, so that the wrapped base64 has several lines";
        String plain = base64(password);
        String wrapped = Base64.getMimeEncoder(76, "\n".getBytes()).encodeToString(password.getBytes());
        List<String> texts = new ArrayList<>();
        List<Call> setups = List.of(() -> null, () -> guest.exit("chpasswd", 1), () -> guest.killedBy("chpasswd", 9));
        for (Call setup : setups) {
            setup.run();
            for (String encoded : List.of(plain, wrapped)) {
                for (String user : List.of("alice", "a:b", "a\nb")) {
                    for (boolean crypted : List.of(false, true)) {
                        Map<String, Object> arguments = args("username", user, "password", encoded, "crypted", crypted);
                        texts.add(outcome(() -> command.execute(arguments)));
                        texts.add(outcome(() -> command.explain(arguments)));
                    }
                }
            }
        }
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (String program : List.of(tmp.resolve("nowhere").toString(), "no-such-chpasswd",
                Files.copy(guest.bin.resolve("chpasswd"), open.resolve("chpasswd")).toString())) {
            command = new SetUserPasswordCommand(program, reaper, log.logger());
            texts.add(outcome(() -> command.execute(args("username", "alice", "password", plain, "crypted", false))));
        }
        texts.add(SetUserPasswordCommand.Change.of(args("username", "alice", "password", plain, "crypted", false))
                .toString());
        texts.addAll(log.all);
        texts.addAll(reaperLog);

        assertThat(log.audits).hasSize(4); // alice, before chpasswd was made to fail: 2 encodings, crypted or not
        assertThat(guest.chpasswdInput().length).isGreaterThan(0); // the fake did get it
        List<String> secrets = new ArrayList<>(List.of(SECRET, plain));
        secrets.addAll(List.of(wrapped.split("\n")));
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** The result's text, or everything an exception would show: its text, cause and stack frames. */
    private static String outcome(Call call) {
        try {
            return String.valueOf(call.run());
        } catch (Exception e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            String desc = e instanceof CommandException ce ? ce.desc() : "";
            return desc + "\n" + trace;
        }
    }

    private static CredentialsConfig config(String chpasswd) {
        return new CredentialsConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CredentialsConfig.class;
            }

            @Override
            public String root() {
                return "/";
            }

            @Override
            public String chpasswd() {
                return chpasswd;
            }
        };
    }
}
