package dev.somnus.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What libudev (systemd 252, which Debian's qemu-ga 7.2 links) answers about a sysfs device,
 * read from the same files without libudev: {@code udev_device_new_from_syspath} accepts a path
 * that resolves under {@code /sys} (one under {@code /sys/devices/} must hold a {@code uevent}
 * file, any other must be a folder); the device node is {@code /dev/} + the uevent's DEVNAME;
 * properties are the uevent's lines plus the {@code E:} lines of the udev database
 * ({@code /run/udev/data/b<major>:<minor>}), where ID_SERIAL and DM_NAME come from. Without a
 * running udevd there is no database, and qemu-ga then reports no serial and no alias either.
 */
final class Udev {

    static final String DATABASE = "/run/udev/data";

    private final GuestRoot root;

    Udev(GuestRoot root) {
        this.root = root;
    }

    /** One device libudev accepted. */
    final class Device {
        private final String syspath;
        private final Map<String, String> uevent;
        private Map<String, String> properties;

        private Device(String syspath, Map<String, String> uevent) {
            this.syspath = syspath;
            this.uevent = uevent;
        }

        /** {@code udev_device_get_devnode}. */
        Optional<String> devnode() {
            String name = uevent.get("DEVNAME");
            if (name == null) {
                return Optional.empty();
            }
            return Optional.of(name.startsWith("/") ? name : "/dev/" + name);
        }

        /** {@code udev_device_get_property_value}. */
        Optional<String> property(String key) {
            if (properties == null) {
                properties = new LinkedHashMap<>(uevent);
                properties.putAll(database());
            }
            return Optional.ofNullable(properties.get(key));
        }

        private Map<String, String> database() {
            String major = uevent.get("MAJOR");
            String minor = uevent.get("MINOR");
            Map<String, String> entries = new LinkedHashMap<>();
            if (major == null || minor == null) {
                return entries;
            }
            String kind = "block".equals(subsystem()) ? "b" : "c";
            List<String> lines;
            try {
                lines = lines(root.resolve(DATABASE + "/" + kind + major + ":" + minor));
            } catch (IOException e) {
                return entries;
            }
            for (String line : lines) {
                if (line.startsWith("E:")) {
                    int equals = line.indexOf('=');
                    if (equals > 2) {
                        entries.put(line.substring(2, equals), line.substring(equals + 1));
                    }
                }
            }
            return entries;
        }

        private String subsystem() {
            try {
                return Files.readSymbolicLink(root.resolve(syspath + "/subsystem")).getFileName().toString();
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** {@code udev_device_new_from_syspath}, empty where libudev answers NULL. */
    Optional<Device> device(String syspath) {
        String real;
        try {
            real = root.realpath(syspath);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!real.equals("/sys") && !real.startsWith("/sys/")) {
            return Optional.empty();
        }
        Path folder = root.resolve(real);
        Path ueventFile = folder.resolve("uevent");
        if (real.startsWith("/sys/devices/") ? !Files.exists(ueventFile) : !Files.isDirectory(folder)) {
            return Optional.empty();
        }
        Map<String, String> uevent = new LinkedHashMap<>();
        try {
            for (String line : lines(ueventFile)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    uevent.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            // a device without a readable uevent has no node and no properties
        }
        return Optional.of(new Device(real, uevent));
    }

    /** A file's lines as UTF-8 text, a malformed byte read as U+FFFD rather than failing the read. */
    private static List<String> lines(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    /** The device node libudev gives for the sysfs path, if any. */
    Optional<String> devnode(String syspath) {
        return device(syspath).flatMap(Device::devnode);
    }
}
