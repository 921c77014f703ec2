package dev.somnus.storage;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * {@code guest-get-disks} as qemu-ga 7.2 answers it ({@code qmp_guest_get_disks},
 * {@code get_disk_deps}, {@code get_disk_partitions} in qga/commands-posix.c): every link in
 * {@code /sys/block} of non-zero size and with a device node, in readdir order, each followed by
 * its partitions, the whole list reversed (qemu-ga prepends). A disk carries its
 * device-mapper name as {@code alias}, the device nodes of its {@code slaves/} as
 * {@code dependencies} (an empty list when it has none), and, unless it is virtual, the address
 * {@link SysfsDisks} finds; a partition depends on its disk. qemu-ga's NVMe SMART log
 * ({@code smart}) needs an ioctl and is left out.
 */
@Component(service = Command.class, configurationPid = StorageConfig.PID,
        property = Command.NAME_PROPERTY + "=" + DisksCommand.NAME)
public final class DisksCommand implements Command {

    static final String NAME = "guest-get-disks";

    private static final String SYS_BLOCK = "/sys/block";

    private volatile GuestRoot root;

    @Activate
    public DisksCommand(StorageConfig config) {
        modified(config);
    }

    /** A new root applies to the next request; the command stays registered. */
    @Modified
    void modified(StorageConfig config) {
        root = new GuestRoot(config.root());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        GuestRoot tree = root;
        Udev udev = new Udev(tree);
        SysfsDisks sysfs = new SysfsDisks(tree, udev);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tree.resolve(SYS_BLOCK))) {
            for (Path entry : entries) {
                if (Files.isSymbolicLink(entry)) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new CommandException("Can't open directory \"" + SYS_BLOCK + "\": " + GuestRoot.strerror(e));
        }
        LinkedList<Object> disks = new LinkedList<>();
        for (String name : names) {
            String diskDir = SYS_BLOCK + "/" + name;
            if (!hasSize(tree, diskDir)) {
                continue;
            }
            Optional<Udev.Device> device = udev.device(diskDir);
            Optional<String> devnode = device.flatMap(Udev.Device::devnode);
            if (devnode.isEmpty()) {
                continue;
            }
            Map<String, Object> disk = new LinkedHashMap<>();
            disk.put("name", devnode.get());
            disk.put("partition", false);
            device.get().property("DM_NAME").filter(alias -> !alias.isEmpty())
                    .ifPresent(alias -> disk.put("alias", alias));
            disks.addFirst(disk);

            boolean virtual;
            try {
                virtual = sysfs.isVirtual(diskDir);
            } catch (IOException e) {
                virtual = true; // qemu-ga ignores the error and asks for no address
            }
            if (!virtual) {
                address(sysfs, diskDir).ifPresent(address -> disk.put("address", address));
            }
            dependencies(tree, udev, diskDir).ifPresent(deps -> disk.put("dependencies", deps));
            partitions(tree, udev, name, diskDir, devnode.get(), disks);
        }
        return new ArrayList<>(disks);
    }

    /** Zero-sized disks (empty loop devices, ejected CD-ROMs) and unreadable sizes are skipped. */
    private static boolean hasSize(GuestRoot tree, String diskDir) {
        try {
            return !new String(Files.readAllBytes(tree.resolve(diskDir + "/size")), StandardCharsets.US_ASCII)
                    .equals("0\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code get_disk_address}: the first disk the walk finds; none when the walk fails. */
    private static Optional<Map<String, Object>> address(SysfsDisks sysfs, String diskDir) {
        SysfsDisks.Found found = new SysfsDisks.Found();
        try {
            sysfs.forDevice(diskDir, found);
        } catch (CommandException e) {
            return Optional.empty();
        }
        return found.disks.isEmpty() ? Optional.empty() : Optional.of(found.disks.getFirst().toReply());
    }

    /** {@code get_disk_deps}: the device nodes in {@code slaves/}, last first; absent when it cannot be listed. */
    private static Optional<List<Object>> dependencies(GuestRoot tree, Udev udev, String diskDir) {
        String slaves = diskDir + "/slaves";
        LinkedList<Object> deps = new LinkedList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tree.resolve(slaves))) {
            for (Path entry : entries) {
                udev.devnode(slaves + "/" + entry.getFileName()).ifPresent(deps::addFirst);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new ArrayList<>(deps));
    }

    /**
     * {@code get_disk_partitions}: the folders of the disk named {@code <disk><digit>} or
     * {@code <disk>p<digit>}, each prepended to the list with the disk as its dependency.
     */
    private static void partitions(GuestRoot tree, Udev udev, String diskName, String diskDir, String diskDev,
            LinkedList<Object> disks) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tree.resolve(diskDir))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && isPartitionOf(diskName, name)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            return;
        }
        for (String name : names) {
            Optional<String> devnode = udev.devnode(diskDir + "/" + name);
            if (devnode.isEmpty()) {
                continue;
            }
            Map<String, Object> partition = new LinkedHashMap<>();
            partition.put("name", devnode.get());
            partition.put("partition", true);
            partition.put("dependencies", new ArrayList<>(List.of(diskDev)));
            disks.addFirst(partition);
        }
    }

    static boolean isPartitionOf(String diskName, String name) {
        if (!name.startsWith(diskName)) {
            return false;
        }
        int next = diskName.length();
        return next < name.length() && (isDigit(name.charAt(next))
                || (name.charAt(next) == 'p' && next + 1 < name.length() && isDigit(name.charAt(next + 1))));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
