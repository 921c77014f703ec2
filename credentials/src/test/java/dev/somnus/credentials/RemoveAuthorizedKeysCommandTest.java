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

class RemoveAuthorizedKeysCommandTest {

    @TempDir
    Path tmp;

    FakeUsers guest;

    @BeforeEach
    void setUp() {
        guest = new FakeUsers(tmp.resolve("root"));
    }

    private Object remove(String user, List<?> keys) throws CommandException {
        return guest.remove().execute(args("username", user, "keys", keys));
    }

    @Test
    void declaresTheWireNameAndParameters() {
        assertThat(guest.remove().name()).isEqualTo("guest-ssh-remove-authorized-keys");
        assertThat(guest.remove().parameters()).containsExactly(Parameter.required("username", JsonType.STRING),
                Parameter.required("keys", JsonType.ARRAY));
    }

    @Test
    void qemuGasOwnRemoveTest() throws Exception {
        // qemu's test_remove_keys: nothing matches, then both copies of key1 go, the comment stays
        String authkeys = "algo key1 comments\nalgo key1 comments\n# a commented line\nalgo some-key another\n";
        Path file = guest.writeKeys("alice", authkeys);
        assertThat(remove("alice", List.of("algo key2 comments"))).isEqualTo(Map.of());
        assertThat(guest.content(file)).isEqualTo(authkeys);
        remove("alice", List.of("algo key1 comments", "algo key2 comments"));
        assertThat(guest.content(file)).isEqualTo("# a commented line\nalgo some-key another\n");
        assertThat(FakeUsers.attribute(file, "unix:uid")).isEqualTo(1000);
        assertThat(guest.sshEntries("alice")).containsExactly("authorized_keys");
    }

    @Test
    void comparesWholeLinesNotStrippedOnes() throws Exception {
        Path file = guest.writeKeys("alice", "algo a \n algo a\nalgo a\n");
        remove("alice", List.of("algo a"));
        assertThat(guest.content(file)).isEqualTo("algo a \n algo a\n");
    }

    @Test
    void aMissingFileFolderOrHomeIsSuccessAndCreatesNothing() throws Exception {
        assertThat(remove("alice", List.of("algo a"))).isEqualTo(Map.of());
        assertThat(Files.exists(guest.ssh("alice"))).isFalse();
        Files.createDirectory(guest.ssh("alice"));
        assertThat(remove("alice", List.of("algo a"))).isEqualTo(Map.of());
        assertThat(guest.sshEntries("alice")).isEmpty();
        assertThat(remove("carol", List.of("algo a"))).isEqualTo(Map.of());
        assertThat(guest.log.audits).hasSize(3).allMatch(line -> line.contains("nothing to do"));
    }

    @Test
    void checksKeysThenUserWithQemuGasTexts() {
        assertThatThrownBy(() -> remove("nosuch", List.of("a\nb"))).hasMessage("invalid OpenSSH public key: 'a\nb'");
        assertThatThrownBy(() -> remove("nosuch", List.of(1L))).hasMessage("Invalid parameter type for 'keys[0]', expected: string");
        assertThatThrownBy(() -> remove("nosuch", List.of("algo a"))).hasMessage("failed to lookup user 'nosuch': Success");
    }

    @Test
    void refusesASymlinkedAuthorizedKeys() throws Exception {
        Path target = Files.writeString(tmp.resolve("other"), "algo a\nalgo b\n");
        guest.writeKeys("alice", "");
        Files.delete(guest.keysFile("alice"));
        Files.createSymbolicLink(guest.keysFile("alice"), target);
        assertThatThrownBy(() -> remove("alice", List.of("algo a"))).hasMessage("failed to read '" + guest.keysFile("alice")
                + "': '" + guest.keysFile("alice") + "' is a symbolic link, which is not followed");
        assertThat(guest.content(target)).isEqualTo("algo a\nalgo b\n");
    }

    @Test
    void explainsWithoutWriting() throws Exception {
        assertThat(guest.remove().explain(args("username", "alice", "keys", List.of("algo a"))))
                .isEqualTo("do nothing: " + guest.keysFile("alice") + " does not exist");
        Path file = guest.writeKeys("alice", FakeUsers.RSA + "\n" + FakeUsers.RSA + "\nalgo b\n");
        assertThat(guest.remove().explain(args("username", "alice", "keys", List.of(FakeUsers.RSA))))
                .isEqualTo("write " + file + " without 2 lines [" + FakeUsers.RSA_FINGERPRINT + ", "
                        + FakeUsers.RSA_FINGERPRINT + "], 1 line left");
        assertThat(guest.content(file)).isEqualTo(FakeUsers.RSA + "\n" + FakeUsers.RSA + "\nalgo b\n");
    }

    @Test
    void auditsFingerprintsNotKeys() throws Exception {
        guest.writeKeys("alice", FakeUsers.ED25519 + "\nalgo b\n");
        remove("alice", List.of(FakeUsers.ED25519));
        assertThat(guest.log.audits).containsExactly("audit: guest-ssh-remove-authorized-keys for alice (uid 1000): removed 1 line ["
                + FakeUsers.ED25519_FINGERPRINT + "]; " + guest.keysFile("alice") + " now has 1 line");
    }
}
