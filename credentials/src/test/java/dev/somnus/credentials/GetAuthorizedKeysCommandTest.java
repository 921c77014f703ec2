package dev.somnus.credentials;

import static dev.somnus.credentials.FakeUsers.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GetAuthorizedKeysCommandTest {

    @TempDir
    Path tmp;

    FakeUsers guest;

    @BeforeEach
    void setUp() {
        guest = new FakeUsers(tmp.resolve("root"));
    }

    private Object get(String user) throws CommandException {
        return guest.get().execute(args("username", user));
    }

    private String error(String user) {
        try {
            get(user);
        } catch (CommandException e) {
            assertThat(e.errorClass()).isEqualTo("GenericError");
            return e.desc();
        }
        throw new AssertionError("no error for " + user);
    }

    @Test
    void declaresTheWireNameAndUsername() {
        assertThat(guest.get().name()).isEqualTo("guest-ssh-get-authorized-keys");
        assertThat(guest.get().parameters()).containsExactly(Parameter.required("username", JsonType.STRING));
    }

    @Test
    void answersTheKeysStrippedWithoutCommentsAndBlankLinesInReverseFileOrder() throws Exception {
        // qemu-ga 7.2 prepends each key to its list (QAPI_LIST_PREPEND), so the last line comes first
        guest.writeKeys("alice", FakeUsers.ED25519 + "\n"
                + "# a commented line\n"
                + "\n"
                + "   \t\n"
                + "  \t# an indented comment\n"
                + "\tfrom=\"10.0.0.1\" " + FakeUsers.RSA + "  \r\n"
                + "algo key3 no newline at the end");
        assertThat(get("alice")).isEqualTo(Map.of("keys", List.of("algo key3 no newline at the end",
                "from=\"10.0.0.1\" " + FakeUsers.RSA, FakeUsers.ED25519)));
    }

    @Test
    void answersQemuGasOwnTestFileAsQemuGaDoes() throws Exception {
        // qemu's test_get_keys (qga/commands-posix-ssh.c)
        guest.writeKeys("alice", "algo key1 comments\n# a commented line\nalgo some-key another\n");
        assertThat(get("alice")).isEqualTo(Map.of("keys", List.of("algo some-key another", "algo key1 comments")));
    }

    @Test
    void answersAnEmptyListForAnEmptyFileOrOnlyComments() throws Exception {
        guest.writeKeys("alice", "");
        assertThat(get("alice")).isEqualTo(Map.of("keys", List.of()));
        guest.writeKeys("alice", "# nothing\n\n");
        assertThat(get("alice")).isEqualTo(Map.of("keys", List.of()));
    }

    @Test
    void endsTheTextAtTheFirstNulByteAsGlibsSplitDoes() throws Exception {
        guest.writeKeys("alice", "algo one\nalgo tw\0o\nalgo three\n");
        assertThat(get("alice")).isEqualTo(Map.of("keys", List.of("algo tw", "algo one")));
    }

    @Test
    void keepsUtf8Comments() throws Exception {
        guest.writeKeys("alice", "algo key J\u00fcrgen \u2603\n");
        assertThat(get("alice")).isEqualTo(Map.of("keys", List.of("algo key J\u00fcrgen \u2603")));
    }

    @Test
    void findsTheFirstPasswdLineOfTheUserAndAHomeWithATrailingSlash() throws Exception {
        guest.writeKeys("bob", "algo bob\n");
        assertThat(get("bob")).isEqualTo(Map.of("keys", List.of("algo bob")));
        // the second alice (home /home/other) is never looked at
        assertThat(error("alice")).contains(guest.keysFile("alice").toString());
    }

    @Test
    void anUnknownUserIsQemuGasLookupErrorWithGlibsSuccess() {
        assertThat(error("nosuch")).isEqualTo("failed to lookup user 'nosuch': Success");
        assertThat(error("")).isEqualTo("failed to lookup user '': Success");
        assertThat(error("short")).isEqualTo("failed to lookup user 'short': Success");
        assertThat(error("broken")).isEqualTo("failed to lookup user 'broken': Success");
        assertThat(error("+nisuser")).isEqualTo("failed to lookup user '+nisuser': Success");
        assertThat(error("# a comment line glibc skips")).startsWith("failed to lookup user '#");
    }

    @Test
    void aMissingPasswdIsALookupErrorWithItsErrno() throws Exception {
        Files.delete(guest.root.resolve("etc/passwd"));
        assertThat(error("alice")).isEqualTo("failed to lookup user 'alice': No such file or directory");
    }

    @Test
    void aMissingFileFolderOrHomeIsGlibsOpenError() throws Exception {
        String alice = guest.keysFile("alice").toString();
        assertThat(error("alice")).isEqualTo("failed to read '" + alice + "': Failed to open file \u201c" + alice
                + "\u201d: No such file or directory");
        Files.createDirectory(guest.ssh("alice"));
        assertThat(error("alice")).isEqualTo("failed to read '" + alice + "': Failed to open file \u201c" + alice
                + "\u201d: No such file or directory");
        String carol = guest.keysFile("carol").toString();
        assertThat(error("carol")).isEqualTo("failed to read '" + carol + "': Failed to open file \u201c" + carol
                + "\u201d: No such file or directory");
    }

    @Test
    void aFileWhereSshShouldBeIsNotADirectoryAsOpenSaysAndAFolderWhereTheFileShouldBeCannotBeRead() throws Exception {
        String file = guest.keysFile("alice").toString();
        Files.writeString(guest.ssh("alice"), "not a folder");
        assertThat(error("alice")).isEqualTo("failed to read '" + file + "': Failed to open file \u201c" + file
                + "\u201d: Not a directory");
        Files.delete(guest.ssh("alice"));
        Files.createDirectories(guest.keysFile("alice"));
        assertThat(error("alice")).isEqualTo("failed to read '" + file + "': Error reading file \u201c" + file
                + "\u201d: Is a directory");
    }

    @Test
    void refusesASymlinkedAuthorizedKeysAndDoesNotRevealItsTarget() throws Exception {
        // qemu-ga would answer the lines of the target, e.g. /etc/shadow, as keys
        Path secret = Files.writeString(tmp.resolve("shadow"), "root:$6$secret-hash:19000:0:99999:7:::\n");
        guest.writeKeys("alice", "");
        Path file = guest.keysFile("alice");
        Files.delete(file);
        Files.createSymbolicLink(file, secret);
        assertThat(error("alice")).isEqualTo("failed to read '" + file + "': '" + file
                + "' is a symbolic link, which is not followed").doesNotContain("secret-hash");
    }

    @Test
    void refusesASymlinkedSshFolder() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("root-ssh"));
        Files.writeString(elsewhere.resolve("authorized_keys"), "ssh-ed25519 ROOTKEY root@host\n");
        Files.createSymbolicLink(guest.ssh("alice"), elsewhere);
        assertThat(error("alice")).isEqualTo("failed to read '" + guest.keysFile("alice") + "': '" + guest.ssh("alice")
                + "' is a symbolic link, which is not followed").doesNotContain("ROOTKEY");
    }

    @Test
    void refusesAHardLinkedAuthorizedKeys() throws Exception {
        Path secret = Files.writeString(tmp.resolve("root-only"), "TOPSECRET\n");
        guest.writeKeys("alice", "");
        Files.delete(guest.keysFile("alice"));
        Files.createLink(guest.keysFile("alice"), secret);
        assertThat(error("alice")).isEqualTo("failed to read '" + guest.keysFile("alice") + "': '"
                + guest.keysFile("alice") + "' has 2 hard links");
    }

    @Test
    void refusesAFileOrFolderOfAnotherUserButReadsRootsAndTheUsers() throws Exception {
        Path file = guest.writeKeys("alice", "algo a\n");
        Files.setAttribute(file, "unix:uid", 1001);
        assertThat(error("alice")).isEqualTo("failed to read '" + file + "': '" + file
                + "' belongs to uid 1001, neither alice nor root");
        Files.setAttribute(file, "unix:uid", 0);
        assertThat(get("alice")).isEqualTo(Map.of("keys", List.of("algo a")));
        Files.setAttribute(guest.ssh("alice"), "unix:uid", 2000);
        assertThat(error("alice")).isEqualTo("failed to read '" + file + "': '" + guest.ssh("alice")
                + "' belongs to uid 2000, neither alice nor root");
    }

    @Test
    void refusesAFifoRatherThanBlockOnIt() throws Exception {
        guest.writeKeys("alice", "");
        Files.delete(guest.keysFile("alice"));
        Process mkfifo = new ProcessBuilder("mkfifo", guest.keysFile("alice").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        Files.setAttribute(guest.keysFile("alice"), "unix:uid", 1000);
        assertThat(error("alice")).isEqualTo("failed to read '" + guest.keysFile("alice") + "': '"
                + guest.keysFile("alice") + "' is not a regular file");
    }

    @Test
    void refusesAFileLargerThanTheLimit() throws Exception {
        Path file = guest.writeKeys("alice", "");
        try (var out = Files.newOutputStream(file)) {
            out.write(new byte[(int) AuthorizedKeysFile.MAX_SIZE + 1]);
        }
        assertThat(error("alice")).isEqualTo("failed to read '" + file + "': '" + file + "' is larger than 8 MiB");
    }

    @Test
    void auditsFingerprintsNotKeys() throws Exception {
        guest.writeKeys("alice", FakeUsers.ED25519 + "\n" + FakeUsers.RSA + "\n");
        get("alice");
        assertThat(guest.log.audits).containsExactly("audit: guest-ssh-get-authorized-keys for alice (uid 1000): 2 keys read from "
                + guest.keysFile("alice") + " [" + FakeUsers.RSA_FINGERPRINT + ", " + FakeUsers.ED25519_FINGERPRINT + "]");
        assertThat(String.join("\n", guest.log.audits)).doesNotContain("AAAA").doesNotContain("example.org");
    }
}
