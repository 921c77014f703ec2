package dev.somnus.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-get-host-name on fake trees. The 63/64-character cases are what the live qemu-ga 7.2
 * answered in a private UTS namespace with those host names (2026-12-04).
 */
class HostNameCommandTest {

    @TempDir
    Path root;

    private final HostNameCommand command = new HostNameCommand();

    @BeforeEach
    void configure() {
        command.configure(GuestRoot.config(root));
    }

    @Test
    void theKernelsNodeNameWithoutItsNewline() throws Exception {
        GuestRoot.write(root, "proc/sys/kernel/hostname", "guest-01\n");
        assertThat(command.execute(Map.of())).isEqualTo(Map.of("host-name", "guest-01"));
    }

    @Test
    void readAnewAtEveryCall() throws Exception {
        // qemu-ga stopped using g_get_host_name() because GLib caches it (qemu commit for rhbz#1845127)
        GuestRoot.write(root, "proc/sys/kernel/hostname", "before-dhcp\n");
        command.execute(Map.of());
        GuestRoot.write(root, "proc/sys/kernel/hostname", "after-dhcp\n");
        assertThat(command.execute(Map.of())).isEqualTo(Map.of("host-name", "after-dhcp"));
    }

    @Test
    void sixtyThreeCharactersFitGlibcsBuffer() throws Exception {
        String name = "a".repeat(63);
        GuestRoot.write(root, "proc/sys/kernel/hostname", name + "\n");
        assertThat(command.execute(Map.of())).isEqualTo(Map.of("host-name", name));
    }

    @Test
    void sixtyFourCharactersAreGethostnamesEnametoolong() throws Exception {
        GuestRoot.write(root, "proc/sys/kernel/hostname", "a".repeat(64) + "\n");
        assertThatThrownBy(() -> command.execute(Map.of())).isInstanceOf(CommandException.class)
                .hasMessage("cannot get hostname: File name too long");
    }

    @Test
    void anUnreadableNodeNameIsAnErrorNotLocalhost() throws Exception {
        assertThatThrownBy(() -> command.execute(Map.of())).isInstanceOf(CommandException.class)
                .hasMessage("cannot get hostname: No such file or directory");
        Files.createDirectories(root.resolve("proc/sys/kernel/hostname"));
        assertThatThrownBy(() -> command.execute(Map.of())).isInstanceOf(CommandException.class)
                .hasMessage("cannot get hostname: Is a directory");
    }
}
