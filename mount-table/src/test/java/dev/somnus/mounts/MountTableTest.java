package dev.somnus.mounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.somnus.mounts.MountTable.Mount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build_fs_mount_list on fake /proc trees: what qemu-ga 7.2 lists, freezes, thaws and trims. */
class MountTableTest {

    @TempDir
    Path root;

    @Test
    void mountinfoInItsOrderWithoutMajorZeroAndWithEscapesDecoded() throws Exception {
        write("proc/self/mountinfo", ""
                + "21 1 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw\n"
                + "22 21 0:5 / /dev rw,nosuid shared:2 - devtmpfs udev rw,size=4k\n"
                + "23 21 8:1 / /boot rw,relatime shared:3 - ext2 /dev/sda1 rw\n"
                + "24 21 0:45 / /run/user/0 rw - tmpfs tmpfs rw\n"
                + "25 21 8:2 / /srv/with\\040space rw shared:4 - xfs /dev/sda2 rw\n"
                + "26 21 253:0 /home /home rw shared:1 - ext4 /dev/mapper/vg-root rw\n"
                + "garbage line\n");

        assertThat(MountTable.read(root)).extracting(Mount::mountpoint, Mount::type)
                .containsExactly(tuple("/", "ext4"), tuple("/boot", "ext2"),
                        tuple("/srv/with space", "xfs"), tuple("/home", "ext4"));
    }

    @Test
    void btrfsWithMajorZeroIsKeptOnlyWhenItsSourceIsABlockDevice() throws Exception {
        write("proc/self/mountinfo", ""
                + "30 1 0:33 / /pool rw - btrfs /dev/vdb rw\n"
                + "31 1 0:34 / /lost rw - btrfs /dev/nothing-here rw\n"
                + "32 1 0:35 / /plain rw - btrfs /dev/regular-file rw\n"
                + "33 1 0:36 / /overlay rw - overlay overlay rw\n");
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/regular-file"));
        // a device node in the test's own folder: only ever stat'ed, never opened
        Process mknod = new ProcessBuilder("mknod", root.resolve("dev/vdb").toString(), "b", "7", "200").start();
        Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod works here (root)");

        assertThat(MountTable.read(root)).extracting(Mount::mountpoint, Mount::type)
                .containsExactly(tuple("/pool", "btrfs"));
    }

    @Test
    void withoutMountinfoTheMtabRulesApply() throws Exception {
        write("proc/self/mounts", ""
                + "# comment\n"
                + "/dev/sda1 / ext4 rw 0 0\n"
                + "proc /proc proc rw 0 0\n"
                + "//server/share /mnt/smb cifs rw 0 0\n"
                + "/dev/sdb1 /mnt/smb2 smbfs rw 0 0\n"
                + "/srv/bind /mnt/bind none rw,bind 0 0\n"
                + "/dev/sdc1 /mnt/with\\040space vfat rw 0 0\n");
        Files.createDirectories(root.resolve("srv/bind"));

        assertThat(MountTable.read(root)).extracting(Mount::mountpoint, Mount::type)
                .containsExactly(tuple("/", "ext4"), tuple("/mnt/with space", "vfat"));
    }

    @Test
    void withNeitherTheMtabErrorIsQemuGas() {
        assertThatThrownBy(() -> MountTable.read(root)).hasMessage("failed to open mtab file: '/proc/self/mounts'");
    }

    private void write(String path, String text) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
