package dev.somnus.vmtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Host wall-clock durations of the phases a user waits for, appended to target/vm-runs/timings.tsv
 * and printed. Measured only, never asserted: performance belongs in reports, not in pass/fail.
 */
final class Timings {

    private Timings() {
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static synchronized void record(String agent, String scenario, String phase, Duration d) {
        // The host's load average goes with each figure: on a shared machine it explains the spread.
        String line = String.format(Locale.ROOT, "%s\t%s\t%s\t%.2f\tload %s", agent, scenario, phase, d.toMillis() / 1000.0, loadAverage());
        System.out.println("[vmtests] timing " + line.replace('\t', ' '));
        try {
            Path file = Path.of(GuestImage.property("somnus.vm.runs")).resolve("timings.tsv");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[vmtests] cannot write timings: " + e.getMessage());
        }
    }
}
