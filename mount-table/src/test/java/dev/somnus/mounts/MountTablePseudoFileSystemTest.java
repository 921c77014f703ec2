package dev.somnus.mounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The quick test that lets {@link MountTable} skip a mountinfo line without the full parse: it
 * may only say yes where the full parse skips the line too (device major 0, not btrfs), and must
 * leave everything it is not sure of to the full parse.
 */
class MountTablePseudoFileSystemTest {

    @Test
    void pseudoFileSystemsOfMajorZeroAreSkipped() {
        assertThat(MountTable.isPseudoFileSystem(
                "22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw")).isTrue();
        assertThat(MountTable.isPseudoFileSystem(
                "25 28 0:23 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,size=1623276k,mode=755")).isTrue();
        assertThat(MountTable.isPseudoFileSystem("  \t31 25 0:27 / /run/lock rw - tmpfs tmpfs rw")).isTrue();
    }

    @Test
    void blockDevicesAndBtrfsTakeTheFullParse() {
        assertThat(MountTable.isPseudoFileSystem(
                "28 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro")).isFalse();
        assertThat(MountTable.isPseudoFileSystem("40 28 0:35 / /home rw - btrfs /dev/vdb rw")).isFalse();
        // a name that merely contains the word is left to the full parse, which looks at the type
        assertThat(MountTable.isPseudoFileSystem("41 28 0:36 / /srv/btrfs-copy rw - tmpfs tmpfs rw")).isFalse();
    }

    @Test
    void anythingUnusualTakesTheFullParse() {
        assertThat(MountTable.isPseudoFileSystem("")).isFalse();
        assertThat(MountTable.isPseudoFileSystem("22 28 00:21 / /proc rw - proc proc rw")).isFalse();
        assertThat(MountTable.isPseudoFileSystem("22 28 0: / /proc rw - proc proc rw")).isFalse();
        assertThat(MountTable.isPseudoFileSystem("22 28 0:21:3 / /proc rw - proc proc rw")).isFalse();
        assertThat(MountTable.isPseudoFileSystem("x 28 0:21 / /proc rw - proc proc rw")).isFalse();
        assertThat(MountTable.isPseudoFileSystem("22 28 0:21")).isFalse();
    }
}
