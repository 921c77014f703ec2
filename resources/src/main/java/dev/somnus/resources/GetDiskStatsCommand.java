package dev.somnus.resources;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code guest-get-diskstats}: one GuestDiskStatsInfo ({@code name}, {@code major}, {@code minor},
 * {@code stats}) per line of {@code <root>/proc/diskstats}, as qemu-ga 7.2's guest_get_diskstats
 * reads it with {@code sscanf("%u %u %s %lu ...")}: lines with fewer than 7 fields are skipped; 7
 * fields are the old partition format (read-ios, read-sectors, write-ios, write-sectors); from 14
 * the full set up to weight-ticks, from 18 the discard counters, from 20 the flush counters; 8 to 13
 * fields give empty {@code stats}. Fields scanned with %u (the tick counts, ios-pgr) keep their low
 * 32 bits; the others are 64-bit.
 */
@Component(service = Command.class, configurationPid = ResourcesConfiguration.PID,
        property = Command.NAME_PROPERTY + "=" + GetDiskStatsCommand.NAME)
public final class GetDiskStatsCommand extends ResourceCommand {

    static final String NAME = "guest-get-diskstats";

    private static final String DISKSTATS = "/proc/diskstats";

    public GetDiskStatsCommand() {
        super(NAME);
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        List<Object> reply = new ArrayList<>();
        for (String line : ProcLines.read(root(), DISKSTATS)) {
            ScanfLine scan = new ScanfLine(line);
            long major = scan.unsignedInt();
            long minor = scan.unsignedInt();
            String name = scan.string();
            long readIos = scan.unsignedLong();
            long readMergesOrReadSectors = scan.unsignedLong();
            long readSectorsOrWriteIos = scan.unsignedLong();
            long readTicksOrWriteSectors = scan.unsignedLong();
            long writeIos = scan.unsignedLong();
            long writeMerges = scan.unsignedLong();
            long writeSectors = scan.unsignedLong();
            long writeTicks = scan.unsignedInt();
            long iosInProgress = scan.unsignedInt();
            long totalTicks = scan.unsignedInt();
            long weightTicks = scan.unsignedInt();
            long discardIos = scan.unsignedLong();
            long discardMerges = scan.unsignedLong();
            long discardSectors = scan.unsignedLong();
            long discardTicks = scan.unsignedInt();
            long flushIos = scan.unsignedLong();
            long flushTicks = scan.unsignedInt();
            int i = scan.result();
            if (i < 7) {
                continue;
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            if (i == 7) {
                stats.put("read-ios", Uint64.of(readIos));
                stats.put("read-sectors", Uint64.of(readMergesOrReadSectors));
                stats.put("write-ios", Uint64.of(readSectorsOrWriteIos));
                stats.put("write-sectors", Uint64.of(readTicksOrWriteSectors));
            }
            if (i >= 14) {
                stats.put("read-ios", Uint64.of(readIos));
                stats.put("read-sectors", Uint64.of(readSectorsOrWriteIos));
                stats.put("read-merges", Uint64.of(readMergesOrReadSectors));
                stats.put("read-ticks", Uint64.of(readTicksOrWriteSectors));
                stats.put("write-ios", Uint64.of(writeIos));
                stats.put("write-sectors", Uint64.of(writeSectors));
                stats.put("write-merges", Uint64.of(writeMerges));
                stats.put("write-ticks", writeTicks);
                stats.put("ios-pgr", iosInProgress);
                stats.put("total-ticks", totalTicks);
                stats.put("weight-ticks", weightTicks);
            }
            if (i >= 18) {
                stats.put("discard-ios", Uint64.of(discardIos));
                stats.put("discard-merges", Uint64.of(discardMerges));
                stats.put("discard-sectors", Uint64.of(discardSectors));
                stats.put("discard-ticks", discardTicks);
            }
            if (i >= 20) {
                stats.put("flush-ios", Uint64.of(flushIos));
                stats.put("flush-ticks", flushTicks);
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("name", name);
            info.put("major", major);
            info.put("minor", minor);
            info.put("stats", stats);
            reply.add(info);
        }
        return reply;
    }
}
