package dev.somnus.inventory;

import dev.somnus.api.command.Strerror;
import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code guest-get-osinfo} as qemu-ga 7.2 answers it ({@code qmp_guest_get_osinfo},
 * qga/commands-posix.c): the kernel's release, version and machine as {@code uname(2)} gives them,
 * and seven fields of {@code /etc/os-release}, or of {@code /usr/lib/os-release} when the first
 * cannot be read or parsed ({@link OsRelease}). Members are present only where there is a value.
 *
 * <p>uname's strings come from {@code <root>/proc/sys/kernel}: {@code osrelease} and
 * {@code version} are the kernel's very utsname fields, {@code arch} (Linux 6.1 and later) its
 * machine; on older kernels the machine is the JVM's architecture in uname's spelling.
 */
@Component(service = Command.class, configurationPid = InventoryConfig.PID,
        property = Command.NAME_PROPERTY + "=" + OsInfoCommand.NAME)
@Designate(ocd = InventoryConfig.class)
public final class OsInfoCommand implements Command {

    static final String NAME = "guest-get-osinfo";

    /** Member name and os-release key, in qemu-ga's GET_FIELD order. */
    private static final String[][] FIELDS = {
        {"id", "ID"}, {"name", "NAME"}, {"pretty-name", "PRETTY_NAME"}, {"version", "VERSION"},
        {"version-id", "VERSION_ID"}, {"variant", "VARIANT"}, {"variant-id", "VARIANT_ID"},
    };

    private volatile Path root;

    @Activate
    @Modified
    void configure(InventoryConfig config) {
        root = Path.of(config.root());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        Path guest = root;
        Map<String, Object> info = new LinkedHashMap<>();
        Path kernel = guest.resolve("proc/sys/kernel");
        try {
            info.put("kernel-version", kernelString(kernel.resolve("version")));
            info.put("kernel-release", kernelString(kernel.resolve("osrelease")));
            info.put("machine", machine(kernel.resolve("arch")));
        } catch (IOException e) {
            // qemu-ga sets this error and the marshaller answers it instead of the info
            throw new CommandException("uname failed: " + Strerror.of(e));
        }
        Optional<OsRelease> release = read(guest.resolve("etc/os-release"));
        if (release.isEmpty()) {
            release = read(guest.resolve("usr/lib/os-release"));
        }
        release.ifPresent(file -> {
            for (String[] field : FIELDS) {
                file.field(field[1]).ifPresent(value -> info.put(field[0], value));
            }
        });
        return info;
    }

    /** A file that cannot be read counts as one GLib refuses: qemu-ga only logs it. */
    private static Optional<OsRelease> read(Path file) {
        try {
            return OsRelease.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A utsname string: the sysctl file's text without the newline the kernel appends. */
    private static String kernelString(Path file) throws IOException {
        // The sysctl files report a size of 0, so Files.readAllBytes would start an 8 KiB buffer for
        // each of these one-line files, three per request: read into a small one that grows.
        ByteBuffer content = ByteBuffer.allocate(128);
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            while (channel.read(content) >= 0) {
                if (!content.hasRemaining()) {
                    content = ByteBuffer.allocate(content.capacity() * 2).put(content.flip());
                }
            }
        }
        String text = new String(content.array(), 0, content.position(), StandardCharsets.UTF_8);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String machine(Path archFile) throws IOException {
        try {
            return kernelString(archFile);
        } catch (NoSuchFileException e) {
            return unameMachine(System.getProperty("os.arch"));
        }
    }

    /** The JVM's os.arch in uname's words, where they differ (HotSpot says amd64 and x86). */
    static String unameMachine(String osArch) {
        return switch (osArch) {
            case "amd64" -> "x86_64";
            case "x86", "i386" -> "i686";
            default -> osArch;
        };
    }
}
