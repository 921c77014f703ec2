package dev.somnus.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerCredentialsTest {

    @TempDir
    Path dir;

    private PeerCredentials peers;

    @BeforeEach
    void databases() throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"),
                "root:x:0:0:root:/root:/bin/bash\n# comment\nbroken\nqemu:x:64055:108::/nonexistent:/usr/sbin/nologin\n");
        Path group = Files.writeString(dir.resolve("group"), "root:x:0:\nkvm:x:108:qemu\n");
        peers = new PeerCredentials(passwd, group);
    }

    @Test
    void mapsNamesBackToNumbers() {
        assertThat(peers.describe("root", "root")).isEqualTo("unix uid=0 gid=0");
        assertThat(peers.describe("qemu", "kvm")).isEqualTo("unix uid=64055 gid=108");
    }

    @Test
    void keepsNumbersJavaCouldNotName() {
        assertThat(peers.describe("4242", "4343")).isEqualTo("unix uid=4242 gid=4343");
    }

    @Test
    void showsNamesOnlyNssKnowsAsNames() {
        assertThat(peers.describe("alice", "kvm")).isEqualTo("unix user=alice gid=108");
        assertThat(peers.describe("root", "staff")).isEqualTo("unix uid=0 group=staff");
    }

    @Test
    void missingDatabasesLeaveTheNames() {
        PeerCredentials none = new PeerCredentials(dir.resolve("nope"), dir.resolve("nope2"));

        assertThat(none.describe("root", "root")).isEqualTo("unix user=root group=root");
    }
}
