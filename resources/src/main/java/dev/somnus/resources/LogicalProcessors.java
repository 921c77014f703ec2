package dev.somnus.resources;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The online state of logical processors in {@code <root>/sys/devices/system/cpu/cpuN/online}, moved
 * in either direction as qemu-ga's {@code transfer_vcpu} moves it (qga/commands-posix.c, 7.2;
 * qga/commands-linux.c upstream, unchanged): a processor without an {@code online} file is online and
 * cannot be offlined (cpu0 on most x86 kernels); any byte but '0' in the file means online; a write
 * happens only when the state differs, as the single byte '0' or '1'.
 */
final class LogicalProcessors {

    /** qemu-ga's GuestLogicalProcessor. */
    record LogicalProcessor(long logicalId, boolean online, boolean canOffline) {

        Map<String, Object> toReply() {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("logical-id", logicalId);
            reply.put("online", online);
            reply.put("can-offline", canOffline);
            return reply;
        }
    }

    private static final String ONLINE = "online";

    private final SystemRoot root;

    LogicalProcessors(SystemRoot root) {
        this.root = root;
    }

    /** The kernel path qemu-ga builds for a processor: {@code "/sys/devices/system/cpu/cpu%ld/"}. */
    static String folderOf(long logicalId) {
        return "/sys/devices/system/cpu/cpu" + logicalId + "/";
    }

    /** transfer_vcpu, system to request. */
    LogicalProcessor read(long logicalId) throws CommandException {
        String dirpath = root.shown(folderOf(logicalId));
        SysfsDirectory folder = openFolder(logicalId, dirpath);
        FileChannel file;
        try {
            file = folder.openFile(ONLINE, StandardOpenOption.READ);
        } catch (IOException e) {
            if (Errno.of(e).isNoEntry()) {
                return new LogicalProcessor(logicalId, true, false);
            }
            throw failure("open(\"" + dirpath + "/" + ONLINE + "\")", e);
        }
        try (file) {
            return new LogicalProcessor(logicalId, firstByte(file, dirpath) != '0', true);
        } catch (IOException e) {
            throw failure("close(\"" + dirpath + "/" + ONLINE + "\")", e);
        }
    }

    /**
     * transfer_vcpu, request to system: makes the processor {@code online} or not.
     *
     * @param planned where a dry run notes the write instead of making it; null to write
     * @throws CommandException with qemu-ga's text when the processor cannot be set
     */
    void write(long logicalId, boolean online, List<String> planned) throws CommandException {
        String dirpath = root.shown(folderOf(logicalId));
        SysfsDirectory folder = openFolder(logicalId, dirpath);
        String filepath = dirpath + "/" + ONLINE;
        FileChannel file;
        try {
            // O_RDWR even in a dry run: opening does not act, and it fails as the real call would
            file = folder.openFile(ONLINE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            if (!Errno.of(e).isNoEntry()) {
                throw failure("open(\"" + filepath + "\")", e);
            }
            if (!online) {
                throw new CommandException("logical processor #" + logicalId + " can't be offlined");
            }
            return; // qemu-ga: "pretend successful re-onlining"
        }
        try (file) {
            boolean current = firstByte(file, dirpath) != '0';
            if (current == online) {
                return; // "pretend successful re-(on|off)-lining"
            }
            byte[] status = {(byte) (online ? '1' : '0')};
            if (planned != null) {
                planned.add("write '" + (char) status[0] + "' to " + filepath);
                return;
            }
            try {
                SysfsDirectory.pwrite(file, status);
            } catch (IOException e) {
                throw failure("pwrite(\"" + filepath + "\")", e);
            }
        } catch (IOException e) {
            throw failure("close(\"" + filepath + "\")", e);
        }
    }

    private SysfsDirectory openFolder(long logicalId, String dirpath) throws CommandException {
        try {
            return SysfsDirectory.open(root.path(folderOf(logicalId)));
        } catch (IOException e) {
            throw failure("open(\"" + dirpath + "\")", e);
        }
    }

    private static int firstByte(FileChannel file, String dirpath) throws CommandException {
        byte[] status;
        try {
            status = SysfsDirectory.pread(file, 1);
        } catch (IOException e) {
            throw failure("pread(\"" + dirpath + "/" + ONLINE + "\")", e);
        }
        if (status.length == 0) {
            throw new CommandException("pread(\"" + dirpath + "/" + ONLINE + "\"): unexpected EOF");
        }
        return status[0];
    }

    private static CommandException failure(String what, IOException e) {
        return CallFailure.withErrno(what, e).toCommandException();
    }
}
