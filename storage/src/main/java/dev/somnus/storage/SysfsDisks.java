package dev.somnus.storage;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;

/**
 * The disks under a block device, found by walking sysfs as qemu-ga 7.2 does
 * (qga/commands-posix.c, {@code build_guest_fsinfo_for_device} and the functions it calls). A
 * device under {@code /devices/virtual/block/} (device-mapper, md, loop) stands for the disks in
 * its {@code slaves/} folder, walked in readdir order; any other is one disk whose address is read
 * from its sysfs path: the PCI function whose driver is ata_piix (IDE), sym53c8xx (SCSI),
 * virtio-pci (virtio-blk or virtio-scsi), ahci (SATA), nvme, or xhci_hcd/ehci-pci (USB, as
 * qemu-ga 8.0; 7.2 reports such a disk as "unknown" without its controller), the SCSI
 * {@code target*:c:t:l} and the {@code host*}/{@code ata*} numbers; non-PCI virtio and s390x
 * channel I/O devices too. A partition is found through its disk's path. Device node and serial
 * come from {@link Udev}. Lists are built by prepending, as qemu-ga's QAPI_LIST_PREPEND does.
 */
final class SysfsDisks {

    /** What the walk finds for one file system: its name (the first device's) and its disks, last found first. */
    static final class Found {
        String name;
        final LinkedList<DiskAddress> disks = new LinkedList<>();
    }

    private static final Set<String> PCI_DRIVERS =
            Set.of("ata_piix", "sym53c8xx", "virtio-pci", "ahci", "nvme", "xhci_hcd", "ehci-pci");

    private static final String VIRTUAL_BLOCK = "/devices/virtual/block/";

    private final GuestRoot root;
    private final Udev udev;

    SysfsDisks(GuestRoot root, Udev udev) {
        this.root = root;
        this.udev = udev;
    }

    /**
     * {@code build_guest_fsinfo_for_device}: adds the disks under {@code devpath} to
     * {@code found}. A device path that does not exist (a container's view) only names the file
     * system after itself.
     *
     * @throws CommandException with qemu-ga's text when a sysfs folder cannot be read
     */
    void forDevice(String devpath, Found found) throws CommandException {
        String syspath;
        try {
            syspath = root.realpath(devpath);
        } catch (NoSuchFileException e) {
            if (found.name == null) {
                found.name = GuestRoot.basename(devpath);
            }
            return;
        } catch (IOException e) {
            throw new CommandException("realpath(\"" + devpath + "\"): " + GuestRoot.strerror(e));
        }
        if (found.name == null) {
            found.name = GuestRoot.basename(syspath);
        }
        if (syspath.contains(VIRTUAL_BLOCK)) {
            forVirtualDevice(syspath, found);
        } else {
            forRealDevice(syspath, found);
        }
    }

    /** {@code is_disk_virtual}. */
    boolean isVirtual(String devpath) throws IOException {
        return root.realpath(devpath).contains(VIRTUAL_BLOCK);
    }

    /** {@code build_guest_fsinfo_for_virtual_device}: every symlink in {@code slaves/}, recursively. */
    private void forVirtualDevice(String syspath, Found found) throws CommandException {
        String slaves = syspath + "/slaves";
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(slaves))) {
            for (Path entry : entries) {
                if (Files.isSymbolicLink(entry)) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new CommandException("opendir(\"" + slaves + "\"): " + GuestRoot.strerror(e));
        }
        for (String name : names) {
            forDevice(slaves + "/" + name, found);
        }
    }

    /** {@code build_guest_fsinfo_for_real_device}: one disk, kept when anything is known of it. */
    private void forRealDevice(String syspath, Found found) throws CommandException {
        DiskAddress disk = new DiskAddress();
        udev.device(syspath).ifPresent(device -> {
            disk.dev = device.devnode().orElse(null);
            disk.serial = device.property("ID_SERIAL").filter(serial -> !serial.isEmpty()).orElse(null);
        });
        boolean known;
        if (syspath.contains("/devices/pci")) {
            known = forPciDevice(syspath, disk);
        } else if (syspath.contains("/devices/css")) {
            known = forCcwDevice(syspath, disk);
        } else if (syspath.contains("/virtio")) {
            known = forNonPciVirtio(syspath, disk);
        } else {
            known = false;
        }
        if (known || disk.dev != null || disk.serial != null) {
            found.disks.addFirst(disk);
        }
    }

    /** {@code build_guest_fsinfo_for_pci_dev}. */
    private boolean forPciDevice(String syspath, DiskAddress disk) throws CommandException {
        int p = syspath.indexOf("/devices/pci");
        // "%*x:%*x/%x:%x:%x.%x": the root bus, then the first function below it
        Scan scan = new Scan(syspath, p + 12);
        long[] pci = new long[4];
        if (!(scan.hex() != null && scan.literal(':') && scan.hex() != null && scan.literal('/')
                && scan.pciFunction(pci))) {
            return false;
        }
        int end = scan.position;
        String driver;
        while (true) {
            driver = pciDriver(syspath.substring(0, end));
            if (driver != null && PCI_DRIVERS.contains(driver)) {
                break;
            }
            // behind a bridge: the next function down the path
            Scan next = new Scan(syspath, end);
            if (next.literal('/') && next.pciFunction(pci)) {
                end = next.position;
                continue;
            }
            return false;
        }

        long[] target = scsiTarget(syspath);

        boolean ata = true;
        int h = syspath.indexOf("/ata");
        int digits = h + 4;
        if (h < 0) {
            ata = false;
            h = syspath.indexOf("/host");
            digits = h + 5;
        }
        Long host = null;
        List<Long> hosts = List.of();
        if (h >= 0) {
            host = new Scan(syspath, digits).decimal();
            if (host != null) {
                hosts = hosts(syspath.substring(0, h), ata);
            }
        }

        disk.domain = pci[0];
        disk.pciBus = pci[1];
        disk.slot = pci[2];
        disk.function = pci[3];

        switch (driver) {
            case "ata_piix":
                // a host per IDE bus, target*:0:<unit>:0
                if (host == null || target == null || !hosts.contains(host)) {
                    return false;
                }
                disk.busType = "ide";
                disk.bus = hosts.indexOf(host);
                disk.unit = target[1];
                return true;
            case "sym53c8xx":
                // SCSI (LSI Logic): target*:0:<unit>:0
                if (target == null) {
                    return false;
                }
                disk.busType = "scsi";
                disk.unit = target[1];
                return true;
            case "virtio-pci":
                if (target != null) {
                    // virtio-scsi: target*:0:0:<unit>
                    disk.busType = "scsi";
                    disk.unit = target[2];
                } else {
                    // virtio-blk: one disk per device
                    disk.busType = "virtio";
                }
                return true;
            case "ahci":
                // AHCI: one host per unit
                if (host == null || target == null || !hosts.contains(host)) {
                    return false;
                }
                disk.unit = hosts.indexOf(host);
                disk.busType = "sata";
                return true;
            case "nvme":
                disk.busType = "nvme";
                return true;
            default:
                // xhci_hcd, ehci-pci (qemu-ga 8.0)
                disk.busType = "usb";
                return true;
        }
    }

    /** {@code build_guest_fsinfo_for_nonpci_virtio}, e.g. virtio-mmio or under a CCW device. */
    private boolean forNonPciVirtio(String syspath, DiskAddress disk) {
        if (!syspath.contains("/virtio") || !syspath.contains("/block")) {
            return false;
        }
        long[] target = scsiTarget(syspath);
        if (target != null) {
            // virtio-scsi: target*:0:<target>:<unit>
            disk.busType = "scsi";
            disk.bus = target[0];
            disk.target = target[1];
            disk.unit = target[2];
        } else {
            // virtio-blk: one disk per device
            disk.busType = "virtio";
        }
        return true;
    }

    /** {@code build_guest_fsinfo_for_ccw_dev}: s390x {@code /devices/css*}/cssid.ssid.subchno/x.x.devno/. */
    private boolean forCcwDevice(String syspath, DiskAddress disk) {
        int p = syspath.indexOf("/devices/css");
        Scan scan = new Scan(syspath, p + 12);
        Long cssid;
        Long ssid;
        Long subchno;
        Long devno;
        if (scan.hex() == null || !scan.literal('/') || (cssid = scan.hex()) == null || !scan.literal('.')
                || (ssid = scan.hex()) == null || !scan.literal('.') || (subchno = scan.hex()) == null
                || !scan.literal('/') || scan.hex() == null || !scan.literal('.') || scan.hex() == null
                || !scan.literal('.') || (devno = scan.hex()) == null) {
            return false;
        }
        disk.ccw = new long[] {cssid, ssid, subchno, devno};
        if (syspath.indexOf("/virtio", p) >= 0) {
            forNonPciVirtio(syspath, disk);
        }
        return true;
    }

    /** {@code get_pci_driver}: the name its {@code driver} link points to. */
    private String pciDriver(String device) {
        try {
            Path link = Files.readSymbolicLink(root.resolve(device + "/driver"));
            return GuestRoot.basename(link.toString());
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * {@code build_hosts}: the numbers of the first eight {@code host<n>} (or {@code ata<n>})
     * entries of the folder in readdir order, sorted; a disk's bus or unit is its host's index.
     */
    private List<Long> hosts(String folder, boolean ata) throws CommandException {
        String prefix = ata ? "ata" : "host";
        List<Long> hosts = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(folder))) {
            for (Path entry : entries) {
                if (hosts.size() == 8) {
                    break;
                }
                String name = entry.getFileName().toString();
                if (name.startsWith(prefix)) {
                    Long number = new Scan(name, prefix.length()).decimal();
                    if (number != null) {
                        hosts.add(number);
                    }
                }
            }
        } catch (IOException e) {
            throw new CommandException("opendir(\"" + folder + "\"): " + GuestRoot.strerror(e));
        }
        hosts.sort(null);
        return hosts;
    }

    /**
     * The SCSI address after the first {@code /target} of the path,
     * {@code "%*u:%*u:%*u/%*u:%u:%u:%u"}: the device's channel, id and lun, or null.
     */
    private static long[] scsiTarget(String syspath) {
        int t = syspath.indexOf("/target");
        if (t < 0) {
            return null;
        }
        Scan scan = new Scan(syspath, t + 7);
        if (scan.decimal() == null || !scan.literal(':') || scan.decimal() == null || !scan.literal(':')
                || scan.decimal() == null || !scan.literal('/') || scan.decimal() == null || !scan.literal(':')) {
            return null;
        }
        Long channel = scan.decimal();
        if (channel == null || !scan.literal(':')) {
            return null;
        }
        Long id = scan.decimal();
        if (id == null || !scan.literal(':')) {
            return null;
        }
        Long lun = scan.decimal();
        return lun == null ? null : new long[] {channel, id, lun};
    }

    /** The bits of sscanf these paths need: %x, %u and literal characters, from a position. */
    private static final class Scan {
        private final String text;
        int position;

        Scan(String text, int position) {
            this.text = text;
            this.position = position;
        }

        boolean literal(char c) {
            if (position < text.length() && text.charAt(position) == c) {
                position++;
                return true;
            }
            return false;
        }

        Long hex() {
            return number(16);
        }

        Long decimal() {
            return number(10);
        }

        /** {@code %x:%x:%x.%x} into domain, bus, slot, function. */
        boolean pciFunction(long[] pci) {
            Long domain = hex();
            if (domain == null || !literal(':')) {
                return false;
            }
            Long bus = hex();
            if (bus == null || !literal(':')) {
                return false;
            }
            Long slot = hex();
            if (slot == null || !literal('.')) {
                return false;
            }
            Long function = hex();
            if (function == null) {
                return false;
            }
            pci[0] = domain;
            pci[1] = bus;
            pci[2] = slot;
            pci[3] = function;
            return true;
        }

        private Long number(int radix) {
            int i = position;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (radix == 16 && text.startsWith("0x", i) && i + 2 < text.length()
                    && Character.digit(text.charAt(i + 2), 16) >= 0) {
                i += 2;
            }
            int start = i;
            long value = 0;
            while (i < text.length() && Character.digit(text.charAt(i), radix) >= 0 && i - start < 15) {
                value = value * radix + Character.digit(text.charAt(i), radix);
                i++;
            }
            if (i == start) {
                return null;
            }
            position = i;
            return value;
        }
    }
}
