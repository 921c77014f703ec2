package dev.somnus.inventory;

import dev.somnus.api.command.Strerror;
import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * {@code guest-get-host-name}: the kernel's UTS node name, read anew at every call. qemu-ga 7.2
 * ({@code qmp_guest_get_host_name}, qga/commands.c, and {@code qemu_get_host_name},
 * util/oslib-posix.c) calls {@code gethostname(buf, sysconf(_SC_HOST_NAME_MAX))}, that is with 64
 * bytes; {@code <root>/proc/sys/kernel/hostname} holds the same node name (plus a newline). Its
 * {@code localhost} fallback is never reached on Linux: a failure sets the error first, and the
 * reply is {@code cannot get hostname: <strerror>} — including glibc's {@code ENAMETOOLONG} for a
 * node name of the full 64 characters, which leaves no room for the terminating NUL.
 */
@Component(service = Command.class, configurationPid = InventoryConfig.PID,
        property = Command.NAME_PROPERTY + "=" + HostNameCommand.NAME)
public final class HostNameCommand implements Command {

    static final String NAME = "guest-get-host-name";

    /** sysconf(_SC_HOST_NAME_MAX) of glibc on Linux, the buffer qemu-ga hands to gethostname. */
    private static final int HOST_NAME_MAX = 64;

    private volatile Path hostnameFile;

    @Activate
    @Modified
    void configure(InventoryConfig config) {
        hostnameFile = Path.of(config.root(), "proc/sys/kernel/hostname");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        byte[] content;
        try {
            content = Files.readAllBytes(hostnameFile);
        } catch (IOException e) {
            throw new CommandException("cannot get hostname: " + Strerror.of(e));
        }
        int length = content.length;
        if (length > 0 && content[length - 1] == '\n') {
            length--;
        }
        if (length + 1 > HOST_NAME_MAX) {
            throw new CommandException("cannot get hostname: File name too long");
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("host-name", new String(content, 0, length, StandardCharsets.UTF_8));
        return reply;
    }
}
