package dev.somnus.storage;

import static dev.somnus.storage.FsInfoCommandTest.disk;
import static dev.somnus.storage.FsInfoCommandTest.pci;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-disks on fake trees. */
class DisksCommandTest {

    private static final String PCI = "/sys/devices/pci0000:00";

    @TempDir
    Path dir;

    private FakeGuestTree tree;

    @BeforeEach
    void tree() {
        tree = new FakeGuestTree(dir);
    }

    @Test
    void disksPartitionsAndDeviceMapperComeInQemuGasOrderWithTheirDependencies() throws Exception {
        tree.driver(PCI + "/0000:00:04.0", "virtio-pci");
        tree.driver(PCI + "/0000:00:05.0", "nvme");
        String vda = tree.disk("/devices/pci0000:00/0000:00:04.0/virtio1/block/vda", 254, 0);
        tree.partition(vda, "vda1", 254, 1);
        String vda2 = tree.partition(vda, "vda2", 254, 2);
        tree.write(vda + "/vdaq", "not a partition folder");
        tree.folder(vda + "/queue");
        String nvme = tree.disk("/devices/pci0000:00/0000:00:05.0/nvme/nvme0/nvme0n1", 259, 0);
        tree.partition(nvme, "nvme0n1p1", 259, 1);
        tree.virtualDisk("dm-0", 253, 0, vda2);
        tree.udevDatabase(253, 0, "E:DM_NAME=vg-root", "E:DM_UUID=LVM-abc");
        tree.udevDatabase(259, 0, "E:ID_SERIAL=nvme-serial");

        Map<String, List<Map<String, Object>>> byDisk = new LinkedHashMap<>();
        byDisk.put("vda", withPartitions(tree.readdir(vda), "vda",
                entry("/dev/vda", false, List.of(), disk(pci(0, 0, 4, 0), "virtio", 0, 0, 0, null, "/dev/vda"), null)));
        byDisk.put("nvme0n1", withPartitions(tree.readdir(nvme), "nvme0n1",
                entry("/dev/nvme0n1", false, List.of(), disk(pci(0, 0, 5, 0), "nvme", 0, 0, 0, "nvme-serial",
                        "/dev/nvme0n1"), null)));
        byDisk.put("dm-0", List.of(entry("/dev/dm-0", false, List.of("/dev/vda2"), null, "vg-root")));
        List<Object> expected = new ArrayList<>();
        for (String name : tree.readdir("/sys/block")) {
            expected.addAll(byDisk.get(name));
        }
        Collections.reverse(expected);

        assertThat(disks()).isEqualTo(expected);
    }

    @Test
    void zeroSizedDisksAndDisksWithoutNodeAreLeftOut() throws Exception {
        String loop = tree.disk("/devices/virtual/block/loop0", 7, 0);
        tree.write(loop + "/size", "0\n");
        String odd = tree.disk("/devices/virtual/block/odd0", 250, 0);
        tree.write(odd + "/uevent", "MAJOR=250\nMINOR=0\n");
        tree.disk("/devices/virtual/block/zram0", 252, 0);

        assertThat(disks()).isEqualTo(List.of(entry("/dev/zram0", false, List.of(), null, null)));
    }

    @Test
    void mdDependsOnItsMembersInReverseReaddirOrder() throws Exception {
        String sda = tree.disk("/devices/platform/host0/block/sda", 8, 0);
        String sdb = tree.disk("/devices/platform/host1/block/sdb", 8, 16);
        String md = tree.virtualDisk("md127", 9, 127, sda, sdb);

        List<Object> members = new ArrayList<>();
        for (String slave : tree.readdir(md + "/slaves")) {
            members.add("/dev/" + slave);
        }
        Collections.reverse(members);
        assertThat(disks()).filteredOn(disk -> disk.get("name").equals("/dev/md127")).singleElement()
                .isEqualTo(entry("/dev/md127", false, members, null, null));
        // a disk the walk cannot place still has its device node, as the address qemu-ga gives
        assertThat(disks()).filteredOn(disk -> disk.get("name").equals("/dev/sda")).singleElement()
                .extracting(disk -> disk.get("address"))
                .isEqualTo(disk(pci(-1, -1, -1, -1), "unknown", 0, 0, 0, null, "/dev/sda"));
    }

    @Test
    void withoutSysBlockTheErrorIsQemuGas() {
        assertThatThrownBy(this::disks).isInstanceOf(CommandException.class)
                .hasMessage("Can't open directory \"/sys/block\": No such file or directory");
    }

    @Test
    void partitionNamesAreTheDiskNameAndADigitOrPAndADigit() {
        assertThat(DisksCommand.isPartitionOf("sda", "sda1")).isTrue();
        assertThat(DisksCommand.isPartitionOf("nvme0n1", "nvme0n1p3")).isTrue();
        assertThat(DisksCommand.isPartitionOf("sda", "sdap")).isFalse();
        assertThat(DisksCommand.isPartitionOf("sda", "sda")).isFalse();
        assertThat(DisksCommand.isPartitionOf("sda", "sdb1")).isFalse();
    }

    private List<Map<String, Object>> withPartitions(List<String> entries, String disk, Map<String, Object> entry) {
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(entry);
        for (String name : entries) {
            if (DisksCommand.isPartitionOf(disk, name)) {
                list.add(entry("/dev/" + name, true, List.of("/dev/" + disk), null, null));
            }
        }
        return list;
    }

    private static Map<String, Object> entry(String name, boolean partition, List<Object> dependencies,
            Map<String, Object> address, String alias) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("partition", partition);
        entry.put("dependencies", dependencies);
        if (address != null) {
            entry.put("address", address);
        }
        if (alias != null) {
            entry.put("alias", alias);
        }
        return entry;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> disks() throws CommandException {
        return (List<Map<String, Object>>) new DisksCommand(Roots.at(dir)).execute(Map.of());
    }
}
