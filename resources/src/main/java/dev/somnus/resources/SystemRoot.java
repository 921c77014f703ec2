package dev.somnus.resources;

import java.nio.file.Path;

/**
 * The folder under which the commands find /proc and /sys: "/" on a guest, a fake tree in tests.
 * Paths keep the kernel's names (qemu-ga's {@code "/sys/devices/system/cpu/cpu%ld/"}, trailing
 * slash included), so error texts read as qemu-ga's with the root in front.
 */
record SystemRoot(Path folder, String prefix) {

    static SystemRoot of(String root) {
        Path folder = Path.of(root).toAbsolutePath().normalize();
        String prefix = folder.toString();
        return new SystemRoot(folder, "/".equals(prefix) ? "" : prefix);
    }

    /** The file a kernel path (absolute, as qemu-ga spells it) names under this root. */
    Path path(String kernelPath) {
        return folder.resolve(kernelPath.substring(1));
    }

    /** The kernel path as an error text shows it: qemu-ga's spelling behind the root. */
    String shown(String kernelPath) {
        return prefix + kernelPath;
    }
}
