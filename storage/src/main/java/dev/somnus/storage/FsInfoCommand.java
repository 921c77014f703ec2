package dev.somnus.storage;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import dev.somnus.mounts.MountTable;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code guest-get-fsinfo} as qemu-ga 7.2 answers it ({@code qmp_guest_get_fsinfo} and
 * {@code build_guest_fsinfo} in qga/commands-posix.c): one entry per mount of
 * {@link MountTable}, last mounted first (qemu-ga prepends), named after its block device, with
 * the disks {@link SysfsDisks} finds behind {@code /sys/dev/block/<major>:<minor>} and the
 * statvfs figures of the mount point: used = (f_blocks - f_bfree) * f_frsize, total = used +
 * f_bavail * f_frsize, i.e. what root may use minus nothing and what others may use on top.
 * {@link File}'s and {@link FileStore}'s space figures are the same statvfs fields (total =
 * f_blocks * f_frsize, unallocated = f_bfree * f_frsize, usable = f_bavail * f_frsize), so no
 * native call is needed; when statvfs fails both figures are left out, as qemu-ga does.
 */
@Component(service = Command.class, configurationPid = StorageConfig.PID,
        property = Command.NAME_PROPERTY + "=" + FsInfoCommand.NAME)
@Designate(ocd = StorageConfig.class)
public final class FsInfoCommand implements Command {

    static final String NAME = "guest-get-fsinfo";

    private volatile GuestRoot root;

    @Activate
    public FsInfoCommand(StorageConfig config) {
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
        SysfsDisks sysfs = new SysfsDisks(tree, new Udev(tree));
        LinkedList<Object> filesystems = new LinkedList<>();
        for (MountTable.Mount mount : MountTable.read(tree.resolve("/"))) {
            filesystems.addFirst(filesystem(tree, sysfs, mount));
        }
        return new ArrayList<>(filesystems);
    }

    private static Map<String, Object> filesystem(GuestRoot tree, SysfsDisks sysfs, MountTable.Mount mount)
            throws CommandException {
        SysfsDisks.Found found = new SysfsDisks.Found();
        sysfs.forDevice("/sys/dev/block/" + Integer.toUnsignedString(mount.major()) + ":"
                + Integer.toUnsignedString(mount.minor()), found);
        Map<String, Object> fs = new LinkedHashMap<>();
        fs.put("name", found.name);
        fs.put("mountpoint", mount.mountpoint());
        fs.put("type", mount.type());
        try {
            Path mountpoint = tree.resolve(mount.mountpoint());
            // java.io.File asks statvfs alone for the same three figures; Files.getFileStore
            // first realpaths the mount point, stats its parents and reads all of /proc/mounts to
            // name the store, which this reply does not use. File says 0 where statvfs failed,
            // so a total of 0 (failure, or a file system of no blocks) takes the FileStore way,
            // which tells the two apart.
            File file = mountpoint.toFile();
            long total = file.getTotalSpace();
            long unallocated;
            long usable;
            if (total != 0) {
                unallocated = file.getFreeSpace();
                usable = file.getUsableSpace();
            } else {
                FileStore store = Files.getFileStore(mountpoint);
                total = store.getTotalSpace();
                unallocated = store.getUnallocatedSpace();
                usable = store.getUsableSpace();
            }
            long used = total - unallocated;
            long nonRootTotal = used + usable;
            fs.put("used-bytes", used);
            fs.put("total-bytes", nonRootTotal);
        } catch (IOException | SecurityException | InvalidPathException | UnsupportedOperationException e) {
            // statvfs failed (or the JVM's file name encoding cannot spell the mount point):
            // qemu-ga leaves both figures out
        }
        List<Object> disks = new ArrayList<>();
        for (DiskAddress disk : found.disks) {
            disks.add(disk.toReply());
        }
        fs.put("disk", disks);
        return fs;
    }
}
