package dev.somnus.resources;

import static dev.somnus.resources.VcpusTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-cpustats, guest-get-diskstats and guest-get-load on fake /proc files in the kernel's formats. */
class StatsTest {

    @TempDir
    Path dir;

    private FakeTree tree() {
        return new FakeTree(dir);
    }

    private Object run(FakeTree tree, String name) throws Exception {
        return switch (name) {
            case "cpustats" -> {
                GetCpuStatsCommand c = new GetCpuStatsCommand();
                c.configure(tree.configuration());
                yield c.execute(Map.of());
            }
            case "diskstats" -> {
                GetDiskStatsCommand c = new GetDiskStatsCommand();
                c.configure(tree.configuration());
                yield c.execute(Map.of());
            }
            default -> {
                GetLoadCommand c = new GetLoadCommand();
                c.configure(tree.configuration());
                yield c.execute(Map.of());
            }
        };
    }

    @Test
    void cpuLinesBecomeMillisecondsAndTheSummaryLineIsLeftOut() throws Exception {
        FakeTree tree = tree().file("/proc/stat", """
                cpu  28627 0 6830 45842 308 0 107 26 0 0
                cpu0 14414 1 3344 23003 64 2 29 13 4 5
                cpu1 14212 0 3486 22839 244 0 77 13 0 0
                intr 1906372 0 9 0 0
                ctxt 3655735
                btime 1764835360
                processes 7581
                softirq 805561 0 79120 1 39
                """);
        assertThat(list(run(tree, "cpustats"))).containsExactly(
                cpu(0, 144140, 10, 33440, 230030, 640, 20, 290, 130, 40, 50),
                cpu(1, 142120, 0, 34860, 228390, 2440, 0, 770, 130, 0, 0));
    }

    @Test
    void olderKernelsGiveFewerMembers() throws Exception {
        FakeTree tree = tree().file("/proc/stat", """
                cpu0 1 2 3 4
                cpu1 1 2 3 4 5
                cpu2 1 2 3 4 5 6 7
                cpu3 1 2 3 4 5 6 7 8
                cpu4 1 2 3 4 5 6 7 8 9
                cpu5 1 2 3
                cpu6 1 2 3 4
                """);
        List<Object> stats = list(run(tree, "cpustats"));
        assertThat(stats).hasSize(5); // the 3-number line ends the list
        assertThat(keys(stats.get(0))).containsExactly("type", "cpu", "user", "nice", "system", "idle");
        assertThat(keys(stats.get(1))).endsWith("idle", "iowait");
        assertThat(keys(stats.get(2))).endsWith("idle", "iowait", "irq", "softirq");
        assertThat(keys(stats.get(3))).endsWith("idle", "iowait", "irq", "softirq", "steal");
        assertThat(keys(stats.get(4))).endsWith("idle", "iowait", "irq", "softirq", "steal", "guest");
    }

    @Test
    void diskLinesOfEveryKernelFormat() throws Exception {
        FakeTree tree = tree().file("/proc/diskstats", String.join("\n",
                // 5.5+: 20 fields
                "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
                // 4.18: 18 fields
                " 252       0 vda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
                // before 4.18: 14 fields
                "   7       0 loop0 1 2 3 4 5 6 7 8 9 10 11",
                // 2.6.25 and before, partitions: 7 fields
                "   8       1 sda1 1 2 3 4",
                // 8 to 13 fields: an empty stats object
                "   8       2 sda2 1 2 3 4 5",
                // too short: skipped
                "   8       3 sda3 1 2 3",
                // %u fields keep their low 32 bits
                "   9       0 md0 1 2 3 4 5 6 7 4294967297 0 4294967296 5",
                ""));
        List<Object> disks = list(run(tree, "diskstats"));
        assertThat(disks).hasSize(6);
        assertThat(disks.get(0)).isEqualTo(disk("sda", 8, 0, stats(
                "read-ios", 1, "read-merges", 2, "read-sectors", 3, "read-ticks", 4,
                "write-ios", 5, "write-merges", 6, "write-sectors", 7, "write-ticks", 8,
                "ios-pgr", 9, "total-ticks", 10, "weight-ticks", 11,
                "discard-ios", 12, "discard-merges", 13, "discard-sectors", 14, "discard-ticks", 15,
                "flush-ios", 16, "flush-ticks", 17)));
        assertThat(keys(((Map<?, ?>) disks.get(1)).get("stats"))).contains("discard-ticks").doesNotContain("flush-ios");
        assertThat(keys(((Map<?, ?>) disks.get(2)).get("stats"))).contains("weight-ticks").doesNotContain("discard-ios");
        assertThat(disks.get(3)).isEqualTo(disk("sda1", 8, 1, stats(
                "read-ios", 1, "read-sectors", 2, "write-ios", 3, "write-sectors", 4)));
        assertThat(disks.get(4)).isEqualTo(disk("sda2", 8, 2, Map.of()));
        Map<?, ?> md0 = (Map<?, ?>) ((Map<?, ?>) disks.get(5)).get("stats");
        assertThat(md0.get("write-ticks")).isEqualTo(1L);
        assertThat(md0.get("total-ticks")).isEqualTo(0L);
    }

    @Test
    void aMissingProcFileIsAnOpenError() {
        assertThatThrownBy(() -> run(tree(), "cpustats"))
                .hasMessage("open(\"" + tree().shown("/proc/stat") + "\"): No such file or directory");
        assertThatThrownBy(() -> run(tree(), "diskstats"))
                .hasMessage("open(\"" + tree().shown("/proc/diskstats") + "\"): No such file or directory");
    }

    @Test
    void loadIsThreeNumbersWrittenAsQemuWritesDoubles() throws Exception {
        FakeTree tree = tree().file("/proc/loadavg", "0.52 1.00 12.25 2/169 7541\n");
        Object load = run(tree, "load");
        assertThat(load).isEqualTo(Map.of("load1m", 0.52, "load5m", 1.0, "load15m", 12.25));
        GrowableBytes out = new GrowableBytes(64);
        JsonWriter.writeValue(out, load);
        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
                .isEqualTo("{\"load15m\": 12.25, \"load5m\": 1, \"load1m\": 0.52000000000000002}");
    }

    @Test
    void loadReadsAsGlibcGetloadavgDoes() throws Exception {
        // getloadavg drops the last byte it read (the kernel's newline)
        FakeTree tree = tree().file("/proc/loadavg", "0.5 0.6 0.75");
        assertThat(run(tree, "load")).isEqualTo(Map.of("load1m", 0.5, "load5m", 0.6, "load15m", 0.7));
        tree.file("/proc/loadavg", "");
        assertThatThrownBy(() -> run(tree, "load")).hasMessage("cannot query load average: Success");
        tree.file("/proc/loadavg", "0.5 x\n");
        assertThatThrownBy(() -> run(tree, "load")).hasMessage("cannot query load average: Success");
        assertThatThrownBy(() -> run(new FakeTree(dir.resolve("nothing")), "load"))
                .hasMessage("cannot query load average: No such file or directory");
    }

    @Test
    void scanfConversionsStopAtTheFirstFailure() {
        ScanfLine scan = new ScanfLine("cpu7 12 -1 x 4");
        assertThat(scan.string()).isEqualTo("cpu7");
        assertThat(scan.unsignedLong()).isEqualTo(12);
        assertThat(scan.unsignedLong()).isEqualTo(-1L); // "-1" as %lu is ULONG_MAX
        assertThat(scan.unsignedLong()).isZero();
        assertThat(scan.unsignedLong()).isZero();
        assertThat(scan.result()).isEqualTo(3);
        assertThat(new ScanfLine("   \n").string()).isNull();
        ScanfLine blank = new ScanfLine("  ");
        blank.string();
        assertThat(blank.result()).isEqualTo(ScanfLine.EOF);
        ScanfLine big = new ScanfLine("99999999999999999999999");
        assertThat(big.unsignedLong()).isEqualTo(-1L); // saturates at ULONG_MAX
    }

    @Test
    void cNumberConversions() {
        assertThat(CNumbers.strtol(" 0x8000000\n", 0, 16).value()).isEqualTo(0x8000000L);
        assertThat(CNumbers.strtol("7fffffffffffffffff", 0, 16).value()).isEqualTo(Long.MAX_VALUE);
        assertThat(CNumbers.strtol("-99999999999999999999", 0, 10).value()).isEqualTo(Long.MIN_VALUE);
        assertThat(CNumbers.strtol("0xg", 0, 16).value()).isZero();
        assertThat(CNumbers.strtol("0xg", 0, 16).end()).isEqualTo(1);
        assertThat(CNumbers.strtoul("memory", 6, 10).converted()).isFalse();
        assertThat(CNumbers.atoi("cpu12", 3)).isEqualTo(12);
        assertThat(CNumbers.strtod(" 1.5e3 x", 0).value()).isEqualTo(1500.0);
        assertThat(CNumbers.strtod("inf", 0).value()).isInfinite();
    }

    private static Map<String, Object> cpu(long cpu, long... values) {
        String[] names = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guestnice"};
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", "linux");
        map.put("cpu", cpu);
        for (int i = 0; i < values.length; i++) {
            map.put(names[i], values[i]);
        }
        return map;
    }

    private static Map<String, Object> stats(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], ((Integer) pairs[i + 1]).longValue());
        }
        return map;
    }

    private static Map<String, Object> disk(String name, long major, long minor, Map<String, Object> stats) {
        return Map.of("name", name, "major", major, "minor", minor, "stats", stats);
    }

    private static List<Object> keys(Object map) {
        return List.copyOf(((Map<?, ?>) map).keySet());
    }
}
