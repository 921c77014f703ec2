package dev.somnus.testsupport;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code __dev.somnus.test_boot-info}: the kernel's boot id, the agent's pid and its uptime. After a
 * hibernation the same boot id and pid answer; after a fresh boot they differ. Deployed only by tests.
 */
@Component(property = Command.NAME_PROPERTY + "=" + BootInfoCommand.NAME)
public class BootInfoCommand implements Command {

    static final String NAME = "__dev.somnus.test_boot-info";

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        Map<String, Object> info = new LinkedHashMap<>();
        try {
            info.put("boot-id", new String(Files.readAllBytes(BOOT_ID), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new CommandException("cannot read " + BOOT_ID + ": " + e.getMessage());
        }
        ProcessHandle self = ProcessHandle.current();
        info.put("pid", self.pid());
        // From the process's own start time, not java.lang.management: a jlink'd guest runtime lacks it.
        Instant started = self.info().startInstant().orElseThrow(
                () -> new CommandException("the agent's start time is unknown"));
        info.put("uptime-ms", Duration.between(started, Instant.now()).toMillis());
        return info;
    }
}
