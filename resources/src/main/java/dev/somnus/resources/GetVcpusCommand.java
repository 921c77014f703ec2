package dev.somnus.resources;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code guest-get-vcpus}: every {@code cpuN} entry of {@code <root>/sys/devices/system/cpu}, in the
 * order the directory lists them, with its online state (qemu-ga 7.2.22's qmp_guest_get_vcpus,
 * which lists the folder with g_dir_open and matches names with {@code sscanf("cpu%ld")}; earlier
 * releases counted up to sysconf(_SC_NPROCESSORS_CONF)). The first processor that cannot be read
 * fails the whole command.
 */
@Component(service = Command.class, configurationPid = ResourcesConfiguration.PID,
        property = Command.NAME_PROPERTY + "=" + GetVcpusCommand.NAME)
@Designate(ocd = ResourcesConfiguration.class)
public final class GetVcpusCommand extends ResourceCommand {

    static final String NAME = "guest-get-vcpus";

    private static final String CPU = "/sys/devices/system/cpu";

    public GetVcpusCommand() {
        super(NAME);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        SystemRoot tree = root();
        LogicalProcessors processors = new LogicalProcessors(tree);
        List<Object> reply = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tree.path(CPU))) {
            for (Path entry : entries) {
                OptionalLong id = logicalId(entry.getFileName().toString());
                if (id.isPresent()) {
                    reply.add(processors.read(id.getAsLong()).toReply());
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            IOException cause = e instanceof IOException ? (IOException) e : ((DirectoryIteratorException) e).getCause();
            throw CallFailure.withErrno("failed to list entries: " + tree.shown(CPU), cause).toCommandException();
        }
        // qemu-ga asserts that a guest has a processor (and aborts); an empty fake tree answers []
        return reply;
    }

    /**
     * {@code sscanf(name, "cpu%ld", &id)} taken as true: "cpu" then a number strtol accepts
     * ("cpu12", also "cpu-1" or "cpu3x"). A name that ends within "cpu" makes sscanf return EOF,
     * which qemu-ga takes as a match with an unset id; those names are skipped here.
     */
    static OptionalLong logicalId(String name) {
        if (!name.startsWith("cpu")) {
            return OptionalLong.empty();
        }
        CNumbers.Conversion number = CNumbers.strtol(name, 3, 10);
        return number.converted() ? OptionalLong.of(number.value()) : OptionalLong.empty();
    }
}
