package dev.somnus.resources;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory blocks in {@code <root>/sys/devices/system/memory/memoryN/}, moved in either direction as
 * qemu-ga's {@code transfer_memory_block} moves them (qga/commands-posix.c, 7.2): {@code state}
 * says online when it starts with "online"; a block without {@code state} (old kernels) is online
 * and cannot be offlined; {@code removable} other than '0' means it can be offlined; a write of
 * "online" or "offline" happens only when the state differs.
 */
final class MemoryBlocks {

    /** qemu-ga's GuestMemoryBlock. */
    record MemoryBlock(long physIndex, boolean online, boolean canOffline) {

        Map<String, Object> toReply() {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("phys-index", Uint64.of(physIndex));
            reply.put("online", online);
            reply.put("can-offline", canOffline);
            return reply;
        }
    }

    /** The kernel folder qemu-ga lists and opens (with its trailing slash, as the error texts show it). */
    static final String MEMORY = "/sys/devices/system/memory/";

    private static final String STATE = "state";
    private static final String REMOVABLE = "removable";

    private final SystemRoot root;

    MemoryBlocks(SystemRoot root) {
        this.root = root;
    }

    /** qemu-ga formats the index with PRId64, so an index above 2^63 shows as negative. */
    static String folderOf(long physIndex) {
        return MEMORY + "memory" + physIndex + "/";
    }

    /** transfer_memory_block, system to request. */
    MemoryBlock read(long physIndex) throws CommandException {
        SysfsDirectory folder;
        try {
            folder = SysfsDirectory.open(root.path(folderOf(physIndex)));
        } catch (IOException e) {
            throw CallFailure.withErrno("open(\"" + root.shown(folderOf(physIndex)) + "\")", e).toCommandException();
        }
        byte[] state;
        try {
            state = readSysfsFile(folder, STATE, 10);
        } catch (CallFailure f) {
            if (f.errno().isNoEntry()) {
                return new MemoryBlock(physIndex, true, false);
            }
            throw f.toCommandException();
        }
        boolean canOffline;
        try {
            canOffline = readSysfsFile(folder, REMOVABLE, 1)[0] != '0';
        } catch (CallFailure f) {
            if (!f.errno().isNoEntry()) {
                throw f.toCommandException();
            }
            canOffline = false; // no 'removable': the kernel cannot offline it
        }
        return new MemoryBlock(physIndex, isOnline(state), canOffline);
    }

    /**
     * transfer_memory_block, request to system: qemu-ga's GuestMemoryBlockResponse for one block.
     * Never an error: every failure is a {@code response} and an {@code error-code} (errno).
     *
     * @param planned where a dry run notes the write instead of making it; null to write
     */
    Map<String, Object> write(long physIndex, boolean online, List<String> planned) {
        try {
            Files.newDirectoryStream(root.path(MEMORY)).close();
        } catch (IOException e) {
            // no memory folder: this guest cannot on- or offline memory; another failure leaves
            // the response at g_malloc0's 0, "success", with the errno beside it (qemu-ga does so)
            Errno errno = Errno.of(e);
            return reply(physIndex, errno.isNoEntry() ? Response.OPERATION_NOT_SUPPORTED : Response.SUCCESS, errno);
        }
        SysfsDirectory folder;
        try {
            folder = SysfsDirectory.open(root.path(folderOf(physIndex)));
        } catch (IOException e) {
            Errno errno = Errno.of(e);
            return reply(physIndex, errno.isNoEntry() ? Response.NOT_FOUND : Response.OPERATION_FAILED, errno);
        }
        byte[] state;
        try {
            state = readSysfsFile(folder, STATE, 10);
        } catch (CallFailure f) {
            Errno errno = f.errno();
            if (!errno.isNoEntry()) {
                return reply(physIndex, Response.OPERATION_FAILED, errno);
            }
            // an old kernel without 'state': offlining is not supported; asking for online is
            // "success", with error-code ENOENT beside it
            return reply(physIndex, online ? Response.SUCCESS : Response.OPERATION_NOT_SUPPORTED, errno);
        }
        if (online == isOnline(state)) {
            return reply(physIndex, Response.SUCCESS, null); // "pretend successful re-(on|off)-lining"
        }
        String newState = online ? "online" : "offline";
        if (planned != null) {
            planned.add("write '" + newState + "' to " + root.shown(folderOf(physIndex)) + STATE);
            return reply(physIndex, Response.SUCCESS, null);
        }
        try {
            writeSysfsFile(folder, STATE, newState.getBytes(StandardCharsets.US_ASCII));
        } catch (CallFailure f) {
            return reply(physIndex, Response.OPERATION_FAILED, f.errno());
        }
        return reply(physIndex, Response.SUCCESS, null);
    }

    /** qemu-ga's GuestMemoryBlockResponseType. */
    enum Response {
        SUCCESS("success"), NOT_FOUND("not-found"), OPERATION_NOT_SUPPORTED("operation-not-supported"),
        OPERATION_FAILED("operation-failed");

        final String wireName;

        Response(String wireName) {
            this.wireName = wireName;
        }
    }

    private static Map<String, Object> reply(long physIndex, Response response, Errno errno) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("phys-index", Uint64.of(physIndex));
        reply.put("response", response.wireName);
        if (errno != null) {
            reply.put("error-code", (long) errno.number());
        }
        return reply;
    }

    private static boolean isOnline(byte[] state) {
        return new String(state, StandardCharsets.ISO_8859_1).startsWith("online");
    }

    /**
     * qemu-ga's ga_read_sysfs_file: up to {@code size} bytes of one file; an empty file is an
     * error ("unexpected EOF", errno 0).
     */
    static byte[] readSysfsFile(SysfsDirectory folder, String name, int size) throws CallFailure {
        FileChannel file;
        try {
            file = folder.openFile(name, StandardOpenOption.READ);
        } catch (IOException e) {
            throw CallFailure.withErrno("open sysfs file \"" + name + "\"", e);
        }
        try (file) {
            byte[] bytes;
            try {
                bytes = SysfsDirectory.pread(file, size);
            } catch (IOException e) {
                throw CallFailure.withErrno("pread sysfs file \"" + name + "\"", e);
            }
            if (bytes.length == 0) {
                throw CallFailure.withoutErrno("pread sysfs file \"" + name + "\": unexpected EOF");
            }
            return bytes;
        } catch (IOException e) {
            throw CallFailure.withErrno("close sysfs file \"" + name + "\"", e);
        }
    }

    /** qemu-ga's ga_write_sysfs_file: one write at offset 0 (no newline, no truncation). */
    private static void writeSysfsFile(SysfsDirectory folder, String name, byte[] bytes) throws CallFailure {
        FileChannel file;
        try {
            file = folder.openFile(name, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw CallFailure.withErrno("open sysfs file \"" + name + "\"", e);
        }
        try (file) {
            SysfsDirectory.pwrite(file, bytes);
        } catch (IOException e) {
            throw CallFailure.withErrno("pwrite sysfs file \"" + name + "\"", e);
        }
    }
}
