package dev.somnus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both commands on this machine's real root against the live qemu-ga 7.2, which runs with only
 * them (and the protocol's own commands) enabled. The replies must be the same bytes, except the
 * {@code used-bytes} figures, which other processes change between the two readings: those are
 * compared within {@value #USED_TOLERANCE} bytes. {@code total-bytes} (f_blocks - f_bfree +
 * f_bavail) does not move when files are written and must be equal.
 */
@EnabledIf("dev.somnus.testkit.ReferenceQemuGa#installed")
class StorageDifferentialTest {

    private static final long USED_TOLERANCE = 256L << 20;
    private static final Pattern USED = Pattern.compile("\"used-bytes\": (\\d+)");

    @Test
    void fsinfoIsQemuGasUpToTheUsedBytes(@TempDir Path dir) throws Exception {
        String theirs = reference(dir, "guest-get-fsinfo");
        String ours = render(new FsInfoCommand(Roots.at("/")).execute(Map.of()));
        assertThat(theirs).startsWith("{\"return\": [");
        assertThat(USED.matcher(ours).replaceAll("\"used-bytes\": N"))
                .isEqualTo(USED.matcher(theirs).replaceAll("\"used-bytes\": N"));
        List<Long> ourUsed = used(ours);
        List<Long> theirUsed = used(theirs);
        assertThat(ourUsed).hasSameSizeAs(theirUsed);
        for (int i = 0; i < ourUsed.size(); i++) {
            assertThat(ourUsed.get(i)).as("used-bytes of entry %d", i).isCloseTo(theirUsed.get(i),
                    org.assertj.core.data.Offset.offset(USED_TOLERANCE));
        }
    }

    @Test
    void disksAreQemuGasByteForByte(@TempDir Path dir) throws Exception {
        String theirs = reference(dir, "guest-get-disks");
        String ours = render(new DisksCommand(Roots.at("/")).execute(Map.of()));
        assertThat(theirs).startsWith("{\"return\": [");
        assertThat(ours).isEqualTo(theirs);
    }

    private static String reference(Path dir, String command) throws Exception {
        try (ReferenceQemuGa qemuGa = ReferenceQemuGa.start(dir, List.of(command));
                QgaClient client = qemuGa.connect()) {
            return client.call("{\"execute\":\"" + command + "\"}\n");
        }
    }

    /** The reply line exactly as the agent writes it. */
    private static String render(Object value) {
        GrowableBytes out = new GrowableBytes(256);
        out.put("{\"return\": ".getBytes(StandardCharsets.US_ASCII));
        JsonWriter.writeValue(out, value);
        out.put('}');
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static List<Long> used(String reply) {
        List<Long> figures = new ArrayList<>();
        Matcher matcher = USED.matcher(reply);
        while (matcher.find()) {
            figures.add(Long.parseLong(matcher.group(1)));
        }
        return figures;
    }
}
