package dev.somnus.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * guest-get-osinfo on fake trees. The os-release files under src/test/resources/os-release were
 * fed to the live qemu-ga 7.2 (bind-mounted over /usr/lib/os-release in a private mount
 * namespace, 2026-12-04); the expected members below are what it answered.
 */
class OsInfoCommandTest {

    @TempDir
    Path root;

    private final OsInfoCommand command = new OsInfoCommand();

    @BeforeEach
    void kernel() throws IOException {
        GuestRoot.write(root, "proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
        GuestRoot.write(root, "proc/sys/kernel/version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)\n");
        GuestRoot.write(root, "proc/sys/kernel/arch", "x86_64\n");
        command.configure(GuestRoot.config(root));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> osinfo() throws CommandException {
        return (Map<String, Object>) command.execute(Map.of());
    }

    /** The os-release members only. */
    private Map<String, Object> release(String fixture) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/os-release/" + fixture)) {
            GuestRoot.write(root, "etc/os-release", in.readAllBytes());
        }
        Map<String, Object> members = new HashMap<>(osinfo());
        members.keySet().removeAll(java.util.List.of("kernel-release", "kernel-version", "machine"));
        return members;
    }

    @Test
    void debianBookworm() throws Exception {
        GuestRoot.write(root, "etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                + "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\n"
                + "VERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n");
        assertThat(osinfo()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "kernel-release", "6.1.0-18-amd64",
                "kernel-version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
                "machine", "x86_64",
                "id", "debian",
                "name", "Debian GNU/Linux",
                "pretty-name", "Debian GNU/Linux 12 (bookworm)",
                "version", "12 (bookworm)",
                "version-id", "12"));
    }

    @Test
    void fedoraVariant() throws Exception {
        GuestRoot.write(root, "etc/os-release", "NAME=\"Fedora Linux\"\nVERSION=\"39 (Server Edition)\"\n"
                + "ID=fedora\nVERSION_ID=39\nPRETTY_NAME=\"Fedora Linux 39 (Server Edition)\"\n"
                + "VARIANT=\"Server Edition\"\nVARIANT_ID=server\n");
        assertThat(osinfo()).contains(entry("variant", "Server Edition"), entry("variant-id", "server"),
                entry("version-id", "39"));
    }

    @Test
    void plainValues() throws Exception {
        assertThat(release("plain")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "Debian GNU/Linux", "id", "debian"));
    }

    @Test
    void quotingAsQemuGaUnquotes() throws Exception {
        assertThat(release("quoting")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "name", "'Foo", // single quotes are not quotes to qemu-ga: cut at the space
                "id", "foo",
                "version", "a",
                "pretty-name", "a \"b\" $c \\d \\x `e",
                "variant", "abcc", // unclosed quote: no terminator written
                "variant-id", "ab\"\\\""));
    }

    @Test
    void keyFileLayout() throws Exception {
        assertThat(release("layout")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "name", "spaced", "id", "second", "version-id", "12", "version", "12 (bookworm)",
                "variant-id", "back", "pretty-name", "last"));
    }

    @Test
    void backslashAtTheEnd() throws Exception {
        assertThat(release("backslashend")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "x", "id", "a\\\\\\"));
    }

    @Test
    void textAfterNulIsIgnored() throws Exception {
        assertThat(release("nul")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "x", "id", "y"));
    }

    @Test
    void localisedKeysAreOtherKeys() throws Exception {
        assertThat(release("localekey")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "x"));
    }

    @Test
    void utf8EncodingIsAccepted() throws Exception {
        assertThat(release("encodingok")).containsExactlyInAnyOrderEntriesOf(Map.of("name", "x", "id", "z"));
    }

    @Test
    void aByteOrderMarkBelongsToTheFirstKey() throws Exception {
        assertThat(release("bom")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"noequals", "encoding", "badkey", "notutf8", "emptykey", "badgroup"})
    void filesGLibRefusesGiveNoReleaseMembers(String fixture) throws Exception {
        assertThat(release(fixture)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"noequals", "notutf8"})
    void aRefusedEtcFileFallsBackToUsrLib(String fixture) throws Exception {
        GuestRoot.write(root, "usr/lib/os-release", "ID=fallback\n");
        assertThat(release(fixture)).containsExactlyInAnyOrderEntriesOf(Map.of("id", "fallback"));
    }

    @Test
    void aMissingEtcFileFallsBackToUsrLib() throws Exception {
        GuestRoot.write(root, "usr/lib/os-release", "ID=fallback\nNAME=\"Usr Lib\"\n");
        assertThat(osinfo()).contains(entry("id", "fallback"), entry("name", "Usr Lib"));
    }

    @Test
    void noOsReleaseAtAllLeavesTheKernelMembers() throws Exception {
        assertThat(osinfo()).containsOnlyKeys("kernel-release", "kernel-version", "machine");
    }

    @Test
    void anUnreadableEtcFileFallsBackToo() throws Exception {
        Files.createDirectories(root.resolve("etc/os-release")); // a folder cannot be read as a file
        GuestRoot.write(root, "usr/lib/os-release", "ID=fallback\n");
        assertThat(osinfo()).contains(entry("id", "fallback"));
    }

    @Test
    void aMissingKernelFileIsUnameFailing() throws Exception {
        Files.delete(root.resolve("proc/sys/kernel/version"));
        assertThatThrownBy(this::osinfo).isInstanceOf(CommandException.class)
                .hasMessage("uname failed: No such file or directory");
    }

    @Test
    void withoutProcSysKernelArchTheMachineIsTheJvmsInUnameWords() throws Exception {
        Files.delete(root.resolve("proc/sys/kernel/arch"));
        assertThat(osinfo()).containsEntry("machine", OsInfoCommand.unameMachine(System.getProperty("os.arch")));
        assertThat(OsInfoCommand.unameMachine("amd64")).isEqualTo("x86_64");
        assertThat(OsInfoCommand.unameMachine("aarch64")).isEqualTo("aarch64");
    }

    @Test
    void aChangedRootIsReadAtTheNextCall() throws Exception {
        Path other = root.resolve("other");
        GuestRoot.write(other, "proc/sys/kernel/osrelease", "5.10.0\n");
        GuestRoot.write(other, "proc/sys/kernel/version", "#2\n");
        GuestRoot.write(other, "proc/sys/kernel/arch", "aarch64\n");
        command.configure(GuestRoot.config(other));
        assertThat(osinfo()).containsExactlyInAnyOrderEntriesOf(
                Map.of("kernel-release", "5.10.0", "kernel-version", "#2", "machine", "aarch64"));
    }
}
