package dev.somnus.credentials;

import static dev.somnus.credentials.FakeUsers.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddAuthorizedKeysCommandTest {

    @TempDir
    Path tmp;

    FakeUsers guest;

    @BeforeEach
    void setUp() {
        guest = new FakeUsers(tmp.resolve("root"));
    }

    private Object add(String user, List<?> keys) throws CommandException {
        return guest.add().execute(args("username", user, "keys", keys));
    }

    private Object add(String user, List<?> keys, boolean reset) throws CommandException {
        return guest.add().execute(args("username", user, "keys", keys, "reset", reset));
    }

    private String error(String user, List<?> keys) {
        try {
            add(user, keys);
        } catch (CommandException e) {
            return e.desc();
        }
        throw new AssertionError("no error");
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void declaresTheWireNameAndParameters() {
        assertThat(guest.add().name()).isEqualTo("guest-ssh-add-authorized-keys");
        assertThat(guest.add().parameters()).containsExactly(Parameter.required("username", JsonType.STRING),
                Parameter.required("keys", JsonType.ARRAY), Parameter.optional("reset", JsonType.BOOLEAN));
    }

    @Test
    void createsSshAndTheFileForTheUserWith0700And0600() throws Exception {
        assertThat(add("alice", List.of(FakeUsers.ED25519, FakeUsers.RSA))).isEqualTo(Map.of());
        Path ssh = guest.ssh("alice");
        Path file = guest.keysFile("alice");
        assertThat(guest.content(file)).isEqualTo(FakeUsers.ED25519 + "\n" + FakeUsers.RSA + "\n");
        assertThat(mode(ssh)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        for (Path p : List.of(ssh, file)) {
            assertThat(FakeUsers.attribute(p, "unix:uid")).isEqualTo(1000);
            assertThat(FakeUsers.attribute(p, "unix:gid")).isEqualTo(1000);
        }
        assertThat(guest.sshEntries("alice")).containsExactly("authorized_keys");
    }

    @Test
    void appendsOnlyKeysNotYetThereAndKeepsCommentsBlankLinesAndDuplicates() throws Exception {
        guest.writeKeys("alice", "# managed by hand\nalgo key1\n\nalgo key1\nalgo key2\n");
        add("alice", List.of("algo key2", "algo key3", "algo key3", "algo key1 "));
        assertThat(guest.content(guest.keysFile("alice")))
                .isEqualTo("# managed by hand\nalgo key1\n\nalgo key1\nalgo key2\nalgo key3\nalgo key1 \n");
    }

    @Test
    void qemuGasOwnAddTestGivesTheSameKeysWithAFinalNewline() throws Exception {
        // qemu's test_add_keys: key2, then key1+key2 gives key2, key1 (qemu-ga writes no final newline)
        add("alice", List.of("algo key2 comments"));
        assertThat(guest.content(guest.keysFile("alice"))).isEqualTo("algo key2 comments\n");
        add("alice", List.of("algo key1 comments", "algo key2 comments"));
        assertThat(guest.content(guest.keysFile("alice"))).isEqualTo("algo key2 comments\nalgo key1 comments\n");
    }

    @Test
    void addsAfterALastLineWithoutNewlineWithoutGluingOrABlankLine() throws Exception {
        guest.writeKeys("alice", "algo a\nalgo b");
        add("alice", List.of("algo c"));
        assertThat(guest.content(guest.keysFile("alice"))).isEqualTo("algo a\nalgo b\nalgo c\n");
    }

    @Test
    void resetReplacesEverythingAndResetWithNoKeysEmptiesTheFile() throws Exception {
        guest.writeKeys("alice", "algo old\n# comment\n");
        add("alice", List.of("algo new", "algo new"), true);
        assertThat(guest.content(guest.keysFile("alice"))).isEqualTo("algo new\n");
        add("alice", List.of(), true);
        assertThat(guest.content(guest.keysFile("alice"))).isEmpty();
        add("alice", List.of("algo x"), false);
        assertThat(guest.content(guest.keysFile("alice"))).isEqualTo("algo x\n");
    }

    @Test
    void writesANewFileGivenToTheUserEvenWhenNothingIsAddedAndLeavesNoTemporaryFile() throws Exception {
        Path file = guest.writeKeys("alice", "algo a\n");
        Files.setAttribute(file, "unix:uid", 0);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Object inode = FakeUsers.attribute(file, "unix:ino");
        add("alice", List.of("algo a"));
        assertThat(guest.content(file)).isEqualTo("algo a\n");
        assertThat(FakeUsers.attribute(file, "unix:ino")).as("renamed over, not rewritten in place").isNotEqualTo(inode);
        assertThat(FakeUsers.attribute(file, "unix:uid")).isEqualTo(1000);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(guest.sshEntries("alice")).containsExactly("authorized_keys");
    }

    @Test
    void leavesAnExistingSshFoldersModeAsQemuGaDoes() throws Exception {
        guest.writeKeys("alice", "");
        Files.setPosixFilePermissions(guest.ssh("alice"), PosixFilePermissions.fromString("rwxr-xr-x"));
        add("alice", List.of("algo a"));
        assertThat(mode(guest.ssh("alice"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void checksTheKeysBeforeTheUserWithQemuGasTexts() {
        assertThat(error("nosuch", List.of("algo ok", "# comment"))).isEqualTo("invalid OpenSSH public key: '# comment'");
        assertThat(error("alice", List.of("not a valid\nkey"))).isEqualTo("invalid OpenSSH public key: 'not a valid\nkey'");
        assertThat(error("nosuch", List.of("algo ok"))).isEqualTo("failed to lookup user 'nosuch': Success");
        assertThat(Files.exists(guest.ssh("alice"))).isFalse();
    }

    @Test
    void checksEveryElementsTypeBeforeAnyKeyAsTheQapiVisitorDoes() {
        assertThat(error("alice", Arrays.asList("# bad", 5L))).isEqualTo("Invalid parameter type for 'keys[1]', expected: string");
        assertThat(error("alice", Arrays.asList("algo a", null))).isEqualTo("Invalid parameter type for 'keys[1]', expected: string");
        assertThat(error("alice", List.of(List.of()))).isEqualTo("Invalid parameter type for 'keys[0]', expected: string");
    }

    @Test
    void aMissingHomeIsQemuGasMkdirError() {
        assertThat(error("carol", List.of("algo a"))).isEqualTo("failed to create directory '" + guest.ssh("carol")
                + "': No such file or directory");
        assertThat(Files.exists(guest.home("carol"))).isFalse();
    }

    @Test
    void aFileWhereSshShouldBeIsQemuGasMkdirError() throws Exception {
        Files.writeString(guest.ssh("alice"), "x");
        assertThat(error("alice", List.of("algo a"))).isEqualTo("failed to create directory '" + guest.ssh("alice")
                + "': File exists");
    }

    @Test
    void aFolderWhereTheFileShouldBeIsGlibsRenameErrorAndTheTemporaryFileGoes() throws Exception {
        Files.createDirectories(guest.keysFile("alice"));
        Files.setAttribute(guest.ssh("alice"), "unix:uid", 1000);
        String message = error("alice", List.of("algo a"));
        assertThat(message).matches("failed to write to '" + guest.keysFile("alice") + "': Failed to rename file \u201c"
                + guest.ssh("alice") + "/authorized_keys\\.[A-Za-z0-9]{6}\u201d to \u201c" + guest.keysFile("alice")
                + "\u201d: g_rename\\(\\) failed: Is a directory");
        assertThat(guest.sshEntries("alice")).containsExactly("authorized_keys");
    }

    @Test
    void refusesASymlinkedAuthorizedKeysAndLeavesItsTargetAlone() throws Exception {
        // qemu-ga would copy /etc/shadow's lines into the user's own file
        Path target = Files.writeString(tmp.resolve("shadow"), "root:$6$hash:::\n");
        guest.writeKeys("alice", "");
        Files.delete(guest.keysFile("alice"));
        Files.createSymbolicLink(guest.keysFile("alice"), target);
        assertThat(error("alice", List.of("algo a"))).isEqualTo("failed to read '" + guest.keysFile("alice") + "': '"
                + guest.keysFile("alice") + "' is a symbolic link, which is not followed");
        assertThatThrownBy(() -> add("alice", List.of("algo a"), true)).hasMessage("failed to write to '"
                + guest.keysFile("alice") + "': '" + guest.keysFile("alice") + "' is a symbolic link, which is not followed");
        assertThat(guest.content(target)).isEqualTo("root:$6$hash:::\n");
        assertThat(FakeUsers.attribute(target, "unix:uid")).isEqualTo(0);
        assertThat(Files.isSymbolicLink(guest.keysFile("alice"))).isTrue();
        assertThat(guest.sshEntries("alice")).containsExactly("authorized_keys");
    }

    @Test
    void refusesASymlinkedSshFolderAndWritesNothingWhereItPoints() throws Exception {
        // qemu-ga would replace root's authorized_keys with alice's keys
        Path rootSsh = Files.createDirectories(tmp.resolve("root/root/.ssh"));
        Files.writeString(rootSsh.resolve("authorized_keys"), "algo root-key\n");
        Files.createSymbolicLink(guest.ssh("alice"), rootSsh);
        assertThatThrownBy(() -> add("alice", List.of("algo alice"), true)).hasMessage("failed to write to '"
                + guest.keysFile("alice") + "': '" + guest.ssh("alice") + "' is a symbolic link, which is not followed");
        assertThat(guest.content(rootSsh.resolve("authorized_keys"))).isEqualTo("algo root-key\n");
        try (var entries = Files.list(rootSsh)) {
            assertThat(entries.count()).isEqualTo(1);
        }
        assertThat(FakeUsers.attribute(rootSsh, "unix:uid")).isEqualTo(0);
    }

    @Test
    void refusesAHardLinkedAuthorizedKeys() throws Exception {
        Path target = Files.writeString(tmp.resolve("passwd-copy"), "x\n");
        guest.writeKeys("alice", "");
        Files.delete(guest.keysFile("alice"));
        Files.createLink(guest.keysFile("alice"), target);
        assertThatThrownBy(() -> add("alice", List.of("algo a"), true)).hasMessage("failed to write to '"
                + guest.keysFile("alice") + "': '" + guest.keysFile("alice") + "' has 2 hard links");
        assertThat(FakeUsers.attribute(target, "unix:uid")).isEqualTo(0);
    }

    @Test
    void refusesAnSshFolderOfAnotherUser() throws Exception {
        guest.writeKeys("alice", "algo a\n");
        Files.setAttribute(guest.ssh("alice"), "unix:uid", 1001);
        assertThatThrownBy(() -> add("alice", List.of("algo b"), true)).hasMessage("failed to write to '"
                + guest.keysFile("alice") + "': '" + guest.ssh("alice") + "' belongs to uid 1001, neither alice nor root");
        assertThat(guest.content(guest.keysFile("alice"))).isEqualTo("algo a\n");
    }

    @Test
    void explainsWithoutWriting() throws Exception {
        String created = guest.add().explain(args("username", "alice", "keys", List.of(FakeUsers.ED25519)));
        assertThat(created).isEqualTo("create " + guest.ssh("alice") + " (0700, owner 1000:1000) and write "
                + guest.keysFile("alice") + " (0600, owner 1000:1000) with 1 key added [" + FakeUsers.ED25519_FINGERPRINT
                + "], 1 line in all");
        assertThat(Files.exists(guest.ssh("alice"))).isFalse();

        guest.writeKeys("alice", FakeUsers.ED25519 + "\n# c\n");
        String added = guest.add().explain(args("username", "alice", "keys", List.of(FakeUsers.ED25519, FakeUsers.RSA)));
        assertThat(added).isEqualTo("write " + guest.keysFile("alice") + " (0600, owner 1000:1000) with 1 key added ["
                + FakeUsers.RSA_FINGERPRINT + "], 3 lines in all");
        String reset = guest.add().explain(args("username", "alice", "keys", List.of(FakeUsers.RSA), "reset", true));
        assertThat(reset).isEqualTo("write " + guest.keysFile("alice") + " (0600, owner 1000:1000) with only 1 key ["
                + FakeUsers.RSA_FINGERPRINT + "], 1 line in all");
        assertThat(guest.content(guest.keysFile("alice"))).isEqualTo(FakeUsers.ED25519 + "\n# c\n");
        assertThatThrownBy(() -> guest.add().explain(args("username", "alice", "keys", List.of("#x"))))
                .hasMessage("invalid OpenSSH public key: '#x'");
        assertThatThrownBy(() -> guest.add().explain(args("username", "nosuch", "keys", List.of())))
                .hasMessage("failed to lookup user 'nosuch': Success");
    }

    @Test
    void explainsTheRefusalsAWriteWouldMakeEvenWithReset() throws Exception {
        Path rootSsh = Files.createDirectories(tmp.resolve("root/root/.ssh"));
        Files.createSymbolicLink(guest.ssh("alice"), rootSsh);
        assertThatThrownBy(() -> guest.add().explain(args("username", "alice", "keys", List.of("algo a"), "reset", true)))
                .hasMessage("failed to write to '" + guest.keysFile("alice") + "': '" + guest.ssh("alice")
                        + "' is a symbolic link, which is not followed");
        assertThatThrownBy(() -> guest.add().explain(args("username", "carol", "keys", List.of("algo a"), "reset", true)))
                .hasMessage("failed to create directory '" + guest.ssh("carol") + "': No such file or directory");
        try (var entries = Files.list(rootSsh)) {
            assertThat(entries.count()).isZero();
        }
    }

    @Test
    void auditsFingerprintsAndCountsNotKeys() throws Exception {
        guest.writeKeys("alice", FakeUsers.ED25519 + "\n");
        add("alice", List.of(FakeUsers.ED25519, FakeUsers.RSA));
        add("alice", List.of("algo junk"), true);
        assertThat(guest.log.audits).containsExactly(
                "audit: guest-ssh-add-authorized-keys for alice (uid 1000): added 1 key [" + FakeUsers.RSA_FINGERPRINT
                        + "], 1 already there; " + guest.keysFile("alice") + " now has 2 lines",
                "audit: guest-ssh-add-authorized-keys for alice (uid 1000): replaced all keys by 1 key [(no key)], 0 already there; "
                        + guest.keysFile("alice") + " now has 1 line");
    }

    @Test
    void concurrentAddsLoseNoKey() throws Exception {
        guest.writeKeys("alice", "");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String key = "algo key" + i;
                results.add(pool.submit(() -> add("alice", List.of(key))));
            }
            for (Future<Object> result : results) {
                result.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(guest.content(guest.keysFile("alice")).split("\n")).hasSize(40).doesNotHaveDuplicates();
        assertThat(guest.sshEntries("alice")).containsExactly("authorized_keys");
    }
}
