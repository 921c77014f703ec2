package dev.somnus.storage;

import dev.somnus.api.command.Strerror;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The file tree the storage commands read: {@code /} on a guest, a fake tree under a test's
 * folder. Paths go in and come out as the guest sees them ({@code /sys/block/vda}), so the
 * substring tests qemu-ga makes on sysfs paths ({@code /devices/pci}, {@code /host}, ...) see the
 * kernel's path and never the test folder's name. A fake tree links its sysfs folders with
 * relative symlinks, as the kernel does; an absolute link would leave it.
 */
final class GuestRoot {

    private final Path root;
    private final Path realRoot;

    GuestRoot(String root) {
        this.root = Path.of(root).toAbsolutePath();
        Path real;
        try {
            real = this.root.toRealPath();
        } catch (IOException e) {
            // a missing root: every read below then fails as it would on a guest without the file
            real = this.root;
        }
        this.realRoot = real;
    }

    /** Where the guest's absolute {@code guestPath} lies in this tree. */
    Path resolve(String guestPath) {
        String relative = guestPath.startsWith("/") ? guestPath.substring(1) : guestPath;
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /** {@code realpath(3)} of a guest path, again as a guest path. */
    String realpath(String guestPath) throws IOException {
        Path real = resolve(guestPath).toRealPath();
        if (!real.startsWith(realRoot)) {
            return real.toString();
        }
        return "/" + realRoot.relativize(real).toString();
    }

    /** The C library's text for the error, as qemu-ga's {@code error_setg_errno} appends it. */
    static String strerror(IOException e) {
        return Strerror.of(e);
    }

    /** The last component of a path, as {@code g_path_get_basename} gives it. */
    static String basename(String path) {
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 || trimmed.length() == 1 ? trimmed : trimmed.substring(slash + 1);
    }
}
