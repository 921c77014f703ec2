package dev.somnus.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-interface counters of {@code /proc/net/dev}, read as qemu-ga's
 * {@code guest_get_network_stats} (qga/commands-posix.c, 7.2) reads them: the line whose text up
 * to its first colon, leading white space stripped, is the interface's name, and whose rest holds
 * 16 integers; a line with fewer is passed over. An unreadable file or a missing line means no
 * {@code statistics} for the interface (qemu-ga logs that at debug level only). The file is read
 * once per request rather than once per interface.
 */
final class DeviceStatistics {

    private final List<String> lines;

    private DeviceStatistics(List<String> lines) {
        this.lines = lines;
    }

    /** {@code <root>/proc/net/dev}; unreadable reads as no counters for any interface. */
    static DeviceStatistics read(Path root) {
        try {
            String text = new String(Files.readAllBytes(root.resolve("proc/net/dev")), StandardCharsets.UTF_8);
            // getline splits at \n only
            return new DeviceStatistics(List.of(text.split("\n", -1)));
        } catch (IOException e) {
            return new DeviceStatistics(List.of());
        }
    }

    /** The {@code statistics} member for {@code name}, if its line is there. */
    Optional<Map<String, Object>> of(String name) {
        for (String line : lines) {
            String trimmed = stripLeadingSpace(line);
            int colon = trimmed.indexOf(':');
            if (colon < 0 || !trimmed.substring(0, colon).equals(name)) {
                continue;
            }
            Scanf in = new Scanf(trimmed.substring(colon + 1));
            long[] values = new long[16];
            int read = 0;
            for (Long value; read < values.length && (value = in.decimal()) != null; read++) {
                values[read] = value;
            }
            if (read != values.length) {
                continue;
            }
            // receive: bytes packets errs drop fifo frame compressed multicast; transmit: the same 8
            Map<String, Object> statistics = new LinkedHashMap<>();
            statistics.put("rx-bytes", Uint64.of(values[0]));
            statistics.put("rx-packets", Uint64.of(values[1]));
            statistics.put("rx-errs", Uint64.of(values[2]));
            statistics.put("rx-dropped", Uint64.of(values[3]));
            statistics.put("tx-bytes", Uint64.of(values[8]));
            statistics.put("tx-packets", Uint64.of(values[9]));
            statistics.put("tx-errs", Uint64.of(values[10]));
            statistics.put("tx-dropped", Uint64.of(values[11]));
            return Optional.of(statistics);
        }
        return Optional.empty();
    }

    /** g_strchug: strips leading C white space. */
    private static String stripLeadingSpace(String line) {
        int start = 0;
        while (start < line.length() && Scanf.isSpace(line.charAt(start))) {
            start++;
        }
        return line.substring(start);
    }
}
