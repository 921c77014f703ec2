package dev.somnus.vmtests;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hardware of the read-only scenarios' guest, the same for QEMU started directly ({@link Guest})
 * and for libvirt's domain: two vCPUs, a virtio NIC with no backend at all (QEMU drops what the
 * guest sends, so the guest reaches nothing; it still has a MAC, a carrier and the address guest/init
 * gives it), and a 16 MiB ext4 data disk on each bus kind - virtio-blk (the data disk /dev/vda),
 * virtio-scsi, SATA (AHCI) and NVMe - made here on the host as plain files with fixed labels and
 * UUIDs, so every boot and both agents see the same file systems. guest/init (kernel parameter
 * {@link #KERNEL_WORD}) mounts each read-only on /mnt/&lt;bus&gt;.
 */
final class GuestDevices {

    static final String KERNEL_WORD = "somnus.devices";
    static final int CPUS = 2;
    static final String MAC = "52:54:00:53:4d:01";
    /** The address guest/init gives eth0, with prefix 24. */
    static final String IPV4 = "10.0.2.15";
    static final String HOST_NAME = "somnus-guest";
    static final String VIRTIO_SERIAL = "somnus-virtio";

    /** One data disk: its bus kind (also its label's and mount point's name), image file, serial and fixed UUID. */
    record Disk(String bus, String file, String uuid) {

        String label() {
            return "somnus-" + bus;
        }

        String serial() {
            return "somnus-" + bus;
        }

        String mountPoint() {
            return "/mnt/" + bus;
        }
    }

    static final List<Disk> DISKS = List.of(
            new Disk("virtio", "data.img", "5eb0d1e5-0001-4000-8000-00000000000a"),
            new Disk("scsi", "scsi.img", "5eb0d1e5-0002-4000-8000-00000000000b"),
            new Disk("sata", "sata.img", "5eb0d1e5-0003-4000-8000-00000000000c"),
            new Disk("nvme", "nvme.img", "5eb0d1e5-0004-4000-8000-00000000000d"));

    private final Path runDir;

    private GuestDevices(Path runDir) {
        this.runDir = runDir;
    }

    /**
     * Formats the disks in the run folder (data.img there already, the others created, all sparse).
     * mkfs.ext4 works on the image files only; it is the host's e2fsprogs, skipped with the reason if
     * missing.
     */
    static GuestDevices create(Path runDir) throws IOException, InterruptedException {
        String mkfs = GuestImage.onPath("mkfs.ext4") ? "mkfs.ext4"
                : Files.isExecutable(Path.of("/usr/sbin/mkfs.ext4")) ? "/usr/sbin/mkfs.ext4" : null;
        if (mkfs == null) {
            GuestImage.unmet("mkfs.ext4 is not installed (Debian package e2fsprogs): the guest's data disks cannot be made");
        }
        for (Disk d : DISKS) {
            Path file = runDir.resolve(d.file());
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(16L << 20);
            }
            Path log = runDir.resolve("mkfs-" + d.bus() + ".log");
            Process p = new ProcessBuilder(mkfs, "-q", "-F", "-L", d.label(), "-U", d.uuid(),
                    "-E", "nodiscard,hash_seed=" + d.uuid() + ",root_owner=0:0", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("mkfs.ext4 for " + file + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return new GuestDevices(runDir);
    }

    Path file(Disk d) {
        return runDir.resolve(d.file());
    }

    /** QEMU's argv for the NIC, the SCSI, SATA and NVMe disks (the virtio-blk data disk is Guest's own). */
    List<String> qemuArguments() {
        List<String> argv = new ArrayList<>(List.of(
                "-device", nic("addr=0x7"),
                "-device", "virtio-scsi-pci,id=scsi0,addr=0x8",
                "-device", "ahci,id=sata0,addr=0x9"));
        for (Disk d : DISKS.subList(1, DISKS.size())) {
            argv.addAll(List.of("-drive", "file=" + file(d) + ",format=raw,if=none,id=" + d.bus() + "-disk,cache=unsafe"));
        }
        argv.addAll(List.of(
                "-device", "scsi-hd,drive=scsi-disk,bus=scsi0.0,channel=0,scsi-id=0,lun=0,serial=" + disk("scsi").serial(),
                "-device", "ide-hd,drive=sata-disk,bus=sata0.0,serial=" + disk("sata").serial()));
        argv.addAll(nvmeArguments("addr=0xa"));
        return argv;
    }

    /**
     * libvirt's domain XML for the SCSI and SATA disks with their controllers, at the same PCI slots
     * as {@link #qemuArguments()}; no USB controller, so libvirt puts nothing of its own in the slots
     * the NIC and the NVMe disk take.
     */
    String libvirtDevices() {
        return """
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='unsafe'/>
                      <source file='%s'/>
                      <target dev='sda' bus='scsi'/>
                      <serial>%s</serial>
                    </disk>
                    <controller type='scsi' index='0' model='virtio-scsi'>
                      <address type='pci' domain='0x0000' bus='0x00' slot='0x08' function='0x0'/>
                    </controller>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='unsafe'/>
                      <source file='%s'/>
                      <target dev='sdb' bus='sata'/>
                      <serial>%s</serial>
                    </disk>
                    <controller type='sata' index='0'>
                      <address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/>
                    </controller>
                    <controller type='usb' model='none'/>
                """.formatted(file(disk("scsi")), disk("scsi").serial(), file(disk("sata")), disk("sata").serial());
    }

    /**
     * What libvirt cannot say in its own XML, passed to QEMU as arguments (qemu:commandline): the NIC
     * without a backend (every libvirt interface type has one) and the NVMe disk (libvirt 9 has no
     * NVMe disk bus).
     */
    String libvirtCommandLine() {
        StringBuilder xml = new StringBuilder("  <qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n");
        List<String> args = new ArrayList<>(List.of("-device", nic("bus=pci.0,addr=0x7"),
                "-drive", "file=" + file(disk("nvme")) + ",format=raw,if=none,id=nvme-disk,cache=unsafe"));
        args.addAll(nvmeArguments("bus=pci.0,addr=0xa"));
        for (String a : args) {
            xml.append("    <qemu:arg value='").append(a).append("'/>\n");
        }
        return xml.append("  </qemu:commandline>\n").toString();
    }

    private static String nic(String address) {
        return "virtio-net-pci,mac=" + MAC + "," + address;
    }

    private static List<String> nvmeArguments(String address) {
        return List.of("-device", "nvme,drive=nvme-disk,serial=" + disk("nvme").serial() + "," + address);
    }

    static Disk disk(String bus) {
        return DISKS.stream().filter(d -> d.bus().equals(bus)).findFirst().orElseThrow();
    }
}
