package dev.somnus.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake guest tree laid out as the kernel lays out sysfs: devices under /sys/devices, relative
 * symlinks from /sys/dev/block/M:m and /sys/block/name, uevent files with MAJOR, MINOR, DEVNAME
 * and DEVTYPE, driver and subsystem links, slaves/ links of virtual devices; plus
 * /proc/self/mountinfo and udev database files.
 */
final class FakeGuestTree {

    final Path root;

    FakeGuestTree(Path root) {
        this.root = root;
    }

    Path path(String guestPath) {
        return root.resolve(guestPath.substring(1));
    }

    /** A whole disk at {@code /sys<devicePath>} (e.g. /devices/pci0000:00/0000:00:04.0/virtio1/block/vda). */
    String disk(String devicePath, int major, int minor) {
        String sys = "/sys" + devicePath;
        String name = GuestRoot.basename(sys);
        blockDevice(sys, name, major, minor, "disk");
        link("/sys/block/" + name, sys);
        return sys;
    }

    /** A partition folder inside its disk's folder. */
    String partition(String diskSys, String name, int major, int minor) {
        String sys = diskSys + "/" + name;
        blockDevice(sys, name, major, minor, "partition");
        write(sys + "/partition", "1\n");
        return sys;
    }

    /** A device-mapper, md or loop device under /sys/devices/virtual/block, its slaves linked. */
    String virtualDisk(String name, int major, int minor, String... slaveSyspaths) {
        String sys = disk("/devices/virtual/block/" + name, major, minor);
        for (String slave : slaveSyspaths) {
            link(sys + "/slaves/" + GuestRoot.basename(slave), slave);
            link(slave + "/holders/" + name, sys);
        }
        return sys;
    }

    /** The driver link of a PCI function, e.g. /sys/devices/pci0000:00/0000:00:04.0 -> virtio-pci. */
    void driver(String pciDevice, String driver) {
        link(pciDevice + "/driver", "/sys/bus/pci/drivers/" + driver);
    }

    void folder(String guestPath) {
        try {
            Files.createDirectories(path(guestPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void mountinfo(String... lines) {
        write("/proc/self/mountinfo", String.join("\n", lines) + "\n");
    }

    void udevDatabase(int major, int minor, String... lines) {
        write("/run/udev/data/b" + major + ":" + minor, String.join("\n", lines) + "\n");
    }

    void write(String guestPath, String content) {
        try {
            Files.createDirectories(path(guestPath).getParent());
            Files.write(path(guestPath), content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A relative symlink, as the kernel makes them (the target need not exist). */
    void link(String guestLink, String guestTarget) {
        try {
            Path link = path(guestLink);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(path(guestTarget)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of a folder in readdir order, which qemu-ga's lists follow. */
    List<String> readdir(String guestPath) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path(guestPath))) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private void blockDevice(String sys, String name, int major, int minor, String type) {
        write(sys + "/uevent", "MAJOR=" + major + "\nMINOR=" + minor + "\nDEVNAME=" + name + "\nDEVTYPE=" + type
                + "\nDISKSEQ=9\n");
        write(sys + "/dev", major + ":" + minor + "\n");
        write(sys + "/size", "2097152\n");
        folder(sys + "/slaves");
        folder(sys + "/holders");
        link(sys + "/subsystem", "/sys/class/block");
        link("/sys/dev/block/" + major + ":" + minor, sys);
    }
}
