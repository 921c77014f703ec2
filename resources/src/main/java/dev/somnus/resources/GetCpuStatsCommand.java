package dev.somnus.resources;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code guest-get-cpustats}: one GuestCpuStats per {@code cpuN} line of {@code <root>/proc/stat}
 * (the summary "cpu" line is left out), as qemu-ga 7.2's qmp_guest_get_cpustats builds it: the
 * union's {@code type} is "linux"; {@code cpu} is atoi of the name's number; the times are
 * milliseconds ({@code ticks * 1000 / sysconf(_SC_CLK_TCK)}, in unsigned long arithmetic); user,
 * nice, system and idle are always there, iowait from 5 numbers on, irq and softirq from 6, steal
 * from 8, guest from 9, guestnice from 10. A cpu line with fewer than 4 numbers ends the list
 * (qemu-ga logs "Parsing cpu stat from /proc/stat failed").
 */
@Component(service = Command.class, configurationPid = ResourcesConfiguration.PID,
        property = Command.NAME_PROPERTY + "=" + GetCpuStatsCommand.NAME)
public final class GetCpuStatsCommand extends ResourceCommand {

    static final String NAME = "guest-get-cpustats";

    private static final String STAT = "/proc/stat";

    /**
     * sysconf(_SC_CLK_TCK): the kernel's USER_HZ, in which /proc/stat counts; 100 on every Linux
     * architecture a KVM guest runs (glibc takes it from AT_CLKTCK, which the kernel sets to USER_HZ).
     */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    public GetCpuStatsCommand() {
        super(NAME);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        List<Object> reply = new ArrayList<>();
        for (String line : ProcLines.read(root(), STAT)) {
            ScanfLine scan = new ScanfLine(line);
            String name = scan.string();
            long[] ticks = new long[10]; // user nice system idle iowait irq softirq steal guest guest_nice
            for (int k = 0; k < ticks.length; k++) {
                ticks[k] = scan.unsignedLong();
            }
            int i = scan.result();
            // drop "cpu 1 2 3 ...", get "cpuX 1 2 3 ..." only
            if (i == ScanfLine.EOF || !name.startsWith("cpu") || name.length() == 3) {
                continue;
            }
            if (i < 5) {
                break;
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("type", "linux");
            stats.put("cpu", (long) CNumbers.atoi(name, 3));
            stats.put("user", milliseconds(ticks[0]));
            stats.put("nice", milliseconds(ticks[1]));
            stats.put("system", milliseconds(ticks[2]));
            stats.put("idle", milliseconds(ticks[3]));
            if (i > 5) {
                stats.put("iowait", milliseconds(ticks[4]));
            }
            if (i > 6) {
                // with exactly 6 numbers qemu-ga sends softirq from an unset variable; here it is 0
                stats.put("irq", milliseconds(ticks[5]));
                stats.put("softirq", milliseconds(ticks[6]));
            }
            if (i > 8) {
                stats.put("steal", milliseconds(ticks[7]));
            }
            if (i > 9) {
                stats.put("guest", milliseconds(ticks[8]));
            }
            if (i > 10) {
                stats.put("guestnice", milliseconds(ticks[9]));
            }
            reply.add(stats);
        }
        return reply;
    }

    private static Object milliseconds(long ticks) {
        return Uint64.of(Long.divideUnsigned(ticks * 1000, CLOCK_TICKS_PER_SECOND));
    }
}
