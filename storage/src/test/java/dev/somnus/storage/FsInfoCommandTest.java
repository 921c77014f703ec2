package dev.somnus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-fsinfo on fake trees: one test per bus kind, then the mount list and the figures. */
class FsInfoCommandTest {

    private static final String PCI = "/sys/devices/pci0000:00";

    @TempDir
    Path dir;

    private FakeGuestTree tree;

    @BeforeEach
    void tree() {
        tree = new FakeGuestTree(dir);
    }

    @Test
    void virtioBlkPartitionIsTheVirtioDiskOfItsPciFunction() throws Exception {
        String vda = tree.disk("/devices/pci0000:00/0000:00:04.0/virtio1/block/vda", 254, 0);
        tree.partition(vda, "vda1", 254, 1);
        tree.driver(PCI + "/0000:00:04.0", "virtio-pci");
        tree.udevDatabase(254, 1, "S:disk/by-id/virtio-os-disk-part1", "E:ID_SERIAL=os-disk", "G:systemd");
        tree.mountinfo("27 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw");

        Map<String, Object> fs = only(fsinfo());
        assertThat(fs).containsEntry("name", "vda1").containsEntry("mountpoint", "/").containsEntry("type", "ext4");
        assertThat(fs.get("disk")).isEqualTo(List.of(disk(pci(0, 0, 4, 0), "virtio", 0, 0, 0, "os-disk", "/dev/vda1")));
    }

    @Test
    void virtioScsiDiskTakesItsUnitFromTheLun() throws Exception {
        tree.disk("/devices/pci0000:00/0000:00:05.0/virtio2/host2/target2:0:3/2:0:3:7/block/sda", 8, 0);
        tree.driver(PCI + "/0000:00:05.0", "virtio-pci");
        tree.folder(PCI + "/0000:00:05.0/virtio2/host2");
        tree.mountinfo("30 1 8:0 / /data rw - xfs /dev/sda rw");

        // 7.2 fills only the unit (the lun), not bus and target, for virtio-scsi on PCI
        assertThat(only(fsinfo()).get("disk"))
                .isEqualTo(List.of(disk(pci(0, 0, 5, 0), "scsi", 0, 0, 7, null, "/dev/sda")));
    }

    @Test
    void lsiScsiDiskTakesItsUnitFromTheTargetId() throws Exception {
        tree.disk("/devices/pci0000:00/0000:00:06.0/host0/target0:0:2/0:0:2:0/block/sdb", 8, 16);
        tree.driver(PCI + "/0000:00:06.0", "sym53c8xx");
        tree.mountinfo("30 1 8:16 / /srv rw - ext4 /dev/sdb rw");

        assertThat(only(fsinfo()).get("disk"))
                .isEqualTo(List.of(disk(pci(0, 0, 6, 0), "scsi", 0, 0, 2, null, "/dev/sdb")));
    }

    @Test
    void sataDiskIsTheIndexOfItsPortAmongTheControllersPorts() throws Exception {
        String controller = PCI + "/0000:00:1f.2";
        tree.disk("/devices/pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0/block/sdc", 8, 32);
        for (int port = 1; port <= 6; port++) {
            tree.folder(controller + "/ata" + port);
        }
        tree.driver(controller, "ahci");
        tree.mountinfo("30 1 8:32 / /var rw - ext4 /dev/sdc rw");

        assertThat(only(fsinfo()).get("disk"))
                .isEqualTo(List.of(disk(pci(0, 0, 0x1f, 2), "sata", 0, 0, 2, null, "/dev/sdc")));
    }

    @Test
    void ideDiskIsOnTheBusOfItsChannelWithTheTargetIdAsUnit() throws Exception {
        String controller = PCI + "/0000:00:01.1";
        tree.disk("/devices/pci0000:00/0000:00:01.1/ata2/host1/target1:0:1/1:0:1:0/block/sdd", 8, 48);
        tree.folder(controller + "/ata1");
        tree.driver(controller, "ata_piix");
        tree.mountinfo("30 1 8:48 / /boot rw - ext2 /dev/sdd rw");

        assertThat(only(fsinfo()).get("disk"))
                .isEqualTo(List.of(disk(pci(0, 0, 1, 1), "ide", 1, 0, 1, null, "/dev/sdd")));
    }

    @Test
    void nvmeBehindABridgeIsAddressedAtTheControllerNotTheBridge() throws Exception {
        tree.disk("/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/nvme/nvme0/nvme0n1", 259, 0);
        tree.driver(PCI + "/0000:00:1c.0", "pcieport");
        tree.driver(PCI + "/0000:00:1c.0/0000:01:00.0", "nvme");
        tree.udevDatabase(259, 0, "E:ID_SERIAL=QEMU NVMe Ctrl_deadbeef");
        tree.mountinfo("30 1 259:0 / /nvme rw - ext4 /dev/nvme0n1 rw");

        assertThat(only(fsinfo()).get("disk"))
                .isEqualTo(List.of(disk(pci(0, 1, 0, 0), "nvme", 0, 0, 0, "QEMU NVMe Ctrl_deadbeef", "/dev/nvme0n1")));
    }

    @Test
    void usbDiskIsAddressedAtItsHostControllerAsQemuGa8() throws Exception {
        tree.disk("/devices/pci0000:00/0000:00:0d.0/usb2/2-1/2-1:1.0/host3/target3:0:0/3:0:0:0/block/sde", 8, 64);
        tree.driver(PCI + "/0000:00:0d.0", "xhci_hcd");
        tree.mountinfo("30 1 8:64 / /media/stick rw - vfat /dev/sde rw");

        assertThat(only(fsinfo()).get("disk"))
                .isEqualTo(List.of(disk(pci(0, 0, 0x0d, 0), "usb", 0, 0, 0, null, "/dev/sde")));
    }

    @Test
    void deviceMapperStandsForTheDisksOfItsSlavesLastListedFirst() throws Exception {
        String vda = tree.disk("/devices/pci0000:00/0000:00:04.0/virtio1/block/vda", 254, 0);
        String vda2 = tree.partition(vda, "vda2", 254, 2);
        String vdb = tree.disk("/devices/pci0000:00/0000:00:08.0/virtio4/block/vdb", 254, 16);
        tree.driver(PCI + "/0000:00:04.0", "virtio-pci");
        tree.driver(PCI + "/0000:00:08.0", "virtio-pci");
        String dm = tree.virtualDisk("dm-0", 253, 0, vda2, vdb);
        tree.mountinfo("27 1 253:0 / / rw - ext4 /dev/mapper/vg-root rw");

        Map<String, Object> byName = Map.of(
                "vda2", disk(pci(0, 0, 4, 0), "virtio", 0, 0, 0, null, "/dev/vda2"),
                "vdb", disk(pci(0, 0, 8, 0), "virtio", 0, 0, 0, null, "/dev/vdb"));
        List<Object> expected = new ArrayList<>();
        for (String slave : tree.readdir(dm + "/slaves")) {
            expected.add(byName.get(slave));
        }
        Collections.reverse(expected);
        Map<String, Object> fs = only(fsinfo());
        assertThat(fs).containsEntry("name", "dm-0");
        assertThat(fs.get("disk")).isEqualTo(expected);
    }

    @Test
    void mdRaidOverDmOverPartitionsIsWalkedDownToTheDisks() throws Exception {
        String controller = PCI + "/0000:00:1f.2";
        tree.folder(controller + "/ata1");
        tree.folder(controller + "/ata2");
        tree.driver(controller, "ahci");
        String sda = tree.disk("/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda", 8, 0);
        String sda1 = tree.partition(sda, "sda1", 8, 1);
        String md = tree.virtualDisk("md0", 9, 0, sda1);
        tree.virtualDisk("dm-1", 253, 1, md);
        tree.mountinfo("27 1 253:1 / /home rw - ext4 /dev/mapper/crypt-home rw");

        Map<String, Object> fs = only(fsinfo());
        assertThat(fs).containsEntry("name", "dm-1");
        assertThat(fs.get("disk")).isEqualTo(List.of(disk(pci(0, 0, 0x1f, 2), "sata", 0, 0, 0, null, "/dev/sda1")));
    }

    @Test
    void nonPciVirtioMmioDiskHasNoControllerAddress() throws Exception {
        tree.disk("/devices/platform/a003e00.virtio_mmio/virtio1/block/vda", 254, 0);
        tree.mountinfo("27 1 254:0 / / rw - ext4 /dev/vda rw");

        assertThat(only(fsinfo()).get("disk"))
                .isEqualTo(List.of(disk(pci(-1, -1, -1, -1), "virtio", 0, 0, 0, null, "/dev/vda")));
    }

    @Test
    void ccwVirtioDiskCarriesItsChannelAddress() throws Exception {
        tree.disk("/devices/css0/0.0.0002/0.0.0001/virtio0/block/vda", 94, 0);
        tree.mountinfo("27 1 94:0 / / rw - xfs /dev/vda rw");

        Map<String, Object> disk = disk(pci(-1, -1, -1, -1), "virtio", 0, 0, 0, null, "/dev/vda");
        disk.put("ccw-address", Map.of("cssid", 0L, "ssid", 0L, "subchno", 2L, "devno", 1L));
        assertThat(only(fsinfo()).get("disk")).isEqualTo(List.of(disk));
    }

    @Test
    void unsupportedControllerKeepsTheDiskWithItsNodeAsUnknown() throws Exception {
        tree.disk("/devices/pci0000:00/0000:00:09.0/host4/target4:0:0/4:0:0:0/block/sdf", 8, 80);
        tree.driver(PCI + "/0000:00:09.0", "megaraid_sas");
        tree.mountinfo("30 1 8:80 / /raid rw - ext4 /dev/sdf rw");

        assertThat(only(fsinfo()).get("disk"))
                .isEqualTo(List.of(disk(pci(-1, -1, -1, -1), "unknown", 0, 0, 0, null, "/dev/sdf")));
    }

    @Test
    void deviceMissingFromSysfsIsNamedAfterItsNumbersWithoutDisks() throws Exception {
        tree.folder("/sys/dev/block");
        tree.mountinfo("27 1 8:3 / / rw - ext4 /dev/sda3 rw");

        Map<String, Object> fs = only(fsinfo());
        assertThat(fs).containsEntry("name", "8:3").containsEntry("disk", List.of());
    }

    @Test
    void mountsWithMajorZeroAreSkippedAndTheListIsReversed() throws Exception {
        tree.disk("/devices/virtual/block/loop0", 7, 0);
        tree.disk("/devices/virtual/block/loop1", 7, 1);
        tree.mountinfo(
                "22 27 0:21 / /proc rw,relatime - proc proc rw",
                "27 1 7:0 / / rw,relatime shared:1 - ext4 /dev/loop0 rw",
                "28 27 0:25 / /run rw - tmpfs tmpfs rw",
                "29 27 7:1 / /mnt/my\\040disk rw master:2 - vfat /dev/loop1 rw",
                "30 27 7:0 /srv /srv rw - ext4 /dev/loop0 rw");

        List<Map<String, Object>> filesystems = fsinfo();
        assertThat(filesystems).extracting(fs -> fs.get("mountpoint")).containsExactly("/srv", "/mnt/my disk", "/");
        assertThat(filesystems).extracting(fs -> fs.get("name")).containsExactly("loop0", "loop1", "loop0");
        assertThat(filesystems).extracting(fs -> fs.get("type")).containsExactly("ext4", "vfat", "ext4");
        assertThat(filesystems).extracting(fs -> fs.get("disk")).containsOnly(List.of());
    }

    @Test
    void mountPointsAreUtf8TextOnceTheirEscapesAreUndone() throws Exception {
        tree.disk("/devices/virtual/block/loop0", 7, 0);
        // the file holds the UTF-8 bytes of "café" and the kernel's escape of a tab
        tree.write("/proc/self/mountinfo", "29 27 7:0 / /mnt/caf\u00e9\\011tab rw - ext4 /dev/loop0 rw\n");

        assertThat(fsinfo()).extracting(fs -> fs.get("mountpoint")).containsExactly("/mnt/caf\u00e9\ttab");
    }

    @Test
    void btrfsWithMajorZeroIsFoundThroughItsDeviceNode() throws Exception {
        Path node = tree.path("/dev/vdc");
        Files.createDirectories(node.getParent());
        Process mknod = new ProcessBuilder("mknod", node.toString(), "b", "254", "32").start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod works here");
        tree.disk("/devices/virtual/block/vdc", 254, 32);
        tree.mountinfo("31 1 0:40 / /pool rw - btrfs /dev/vdc rw", "32 1 0:41 / /other rw - btrfs /dev/missing rw");

        assertThat(fsinfo()).extracting(fs -> fs.get("name")).containsExactly("vdc");
    }

    @Test
    void withoutMountinfoTheMountsFileIsReadAsGetmntentDoes() throws Exception {
        tree.write("/proc/self/mounts", String.join("\n",
                "proc /proc proc rw 0 0",
                "/dev/vda / ext4 rw 0 0",
                "//server/share /mnt/share cifs rw 0 0",
                "/dev/vdb /mnt/with\\040space ext4 rw 0 0",
                "/srv /bound none rw,bind 0 0") + "\n");
        tree.folder("/srv");

        // the device nodes do not exist here: qemu-ga keeps the mounts with 0:0
        List<Map<String, Object>> filesystems = fsinfo();
        assertThat(filesystems).extracting(fs -> fs.get("mountpoint")).containsExactly("/mnt/with space", "/");
        assertThat(filesystems).extracting(fs -> fs.get("name")).containsExactly("0:0", "0:0");
    }

    @Test
    void withNeitherMountTableTheErrorIsQemuGas() {
        assertThatThrownBy(this::fsinfo).isInstanceOf(CommandException.class)
                .hasMessage("failed to open mtab file: '/proc/self/mounts'");
    }

    @Test
    void figuresAreThoseOfStatvfsOnTheMountPoint() throws Exception {
        tree.folder("/data");
        tree.mountinfo("30 1 8:0 / /data rw - ext4 /dev/sda rw", "31 1 8:1 / /gone rw - ext4 /dev/sda1 rw");

        List<Map<String, Object>> filesystems = fsinfo();
        assertThat(filesystems.get(0)).doesNotContainKeys("used-bytes", "total-bytes");
        FileStore store = Files.getFileStore(tree.path("/data"));
        long used = (Long) filesystems.get(1).get("used-bytes");
        long total = (Long) filesystems.get(1).get("total-bytes");
        long expectedUsed = store.getTotalSpace() - store.getUnallocatedSpace();
        assertThat(used).isBetween(expectedUsed - (64L << 20), expectedUsed + (64L << 20));
        assertThat(total - used).isBetween(store.getUsableSpace() - (64L << 20), store.getUsableSpace() + (64L << 20));
        assertThat(total).isLessThanOrEqualTo(store.getTotalSpace());
    }

    @Test
    void unreadableSlavesFolderFailsTheCommandWithQemuGasText() throws Exception {
        tree.disk("/devices/virtual/block/dm-0", 253, 0);
        Files.delete(tree.path("/sys/devices/virtual/block/dm-0/slaves"));
        tree.write("/sys/devices/virtual/block/dm-0/slaves", "");
        tree.mountinfo("27 1 253:0 / / rw - ext4 /dev/dm-0 rw");

        assertThatThrownBy(this::fsinfo).isInstanceOf(CommandException.class)
                .hasMessage("opendir(\"/sys/devices/virtual/block/dm-0/slaves\"): Not a directory");
    }

    @Test
    void symlinkLoopFailsTheCommandWithRealpathsText() throws Exception {
        tree.link("/sys/dev/block/8:0", "/sys/dev/block/8:0");
        tree.mountinfo("27 1 8:0 / / rw - ext4 /dev/sda rw");

        assertThatThrownBy(this::fsinfo).isInstanceOf(CommandException.class)
                .hasMessage("realpath(\"/sys/dev/block/8:0\"): Too many levels of symbolic links");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> fsinfo() throws CommandException {
        return (List<Map<String, Object>>) new FsInfoCommand(Roots.at(dir)).execute(Map.of());
    }

    private static Map<String, Object> only(List<Map<String, Object>> filesystems) {
        assertThat(filesystems).hasSize(1);
        return filesystems.get(0);
    }

    static Map<String, Object> pci(long domain, long bus, long slot, long function) {
        Map<String, Object> pci = new LinkedHashMap<>();
        pci.put("domain", domain);
        pci.put("bus", bus);
        pci.put("slot", slot);
        pci.put("function", function);
        return pci;
    }

    static Map<String, Object> disk(Map<String, Object> pci, String busType, long bus, long target, long unit,
            String serial, String dev) {
        Map<String, Object> disk = new LinkedHashMap<>();
        disk.put("pci-controller", pci);
        disk.put("bus-type", busType);
        disk.put("bus", bus);
        disk.put("target", target);
        disk.put("unit", unit);
        if (serial != null) {
            disk.put("serial", serial);
        }
        if (dev != null) {
            disk.put("dev", dev);
        }
        return disk;
    }
}
