package dev.somnus.resources;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code guest-get-load}: {@code load1m}, {@code load5m}, {@code load15m} as numbers. Not in qemu-ga
 * 7.2: this is qemu 10.0's command (qga/commands-posix.c qmp_guest_get_load, getloadavg(3)), with
 * glibc's getloadavg read of {@code <root>/proc/loadavg}: one read of at most 64 bytes, the last
 * byte dropped, three strtod conversions in the C locale. Errors are {@code cannot query load
 * average: <strerror>}.
 */
@Component(service = Command.class, configurationPid = ResourcesConfiguration.PID,
        property = Command.NAME_PROPERTY + "=" + GetLoadCommand.NAME)
public final class GetLoadCommand extends ResourceCommand {

    static final String NAME = "guest-get-load";

    private static final String LOADAVG = "/proc/loadavg";
    private static final String[] MEMBERS = {"load1m", "load5m", "load15m"};

    public GetLoadCommand() {
        super(NAME);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        byte[] buffer = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(root().path(LOADAVG))) {
            n = in.read(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw CallFailure.withErrno("cannot query load average", e).toCommandException();
        }
        // getloadavg fails without setting errno on an empty or malformed file: errno is then
        // whatever came before, usually 0
        CommandException malformed = new CommandException("cannot query load average: " + Errno.NONE.text());
        if (n <= 0) {
            throw malformed;
        }
        String text = new String(buffer, 0, n - 1, StandardCharsets.ISO_8859_1);
        Map<String, Object> reply = new LinkedHashMap<>();
        int at = 0;
        for (String member : MEMBERS) {
            CNumbers.DoubleConversion load = CNumbers.strtod(text, at);
            if (!load.converted()) {
                throw malformed;
            }
            reply.put(member, load.value());
            at = load.end();
        }
        return reply;
    }
}
