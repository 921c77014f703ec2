package dev.somnus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
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
        assertSameUpToUsedBytes(render(new FsInfoCommand(Roots.at("/")).execute(Map.of())),
                reference(dir, "guest-get-fsinfo"));
    }

    /**
     * The same with more mounts than this machine has: two bind mounts of the root file system
     * and a tmpfs, made in a private mount namespace (unshare -m) that ends with the run, so the
     * machine's own mounts never change. Both agents run inside it: {@link InMountNamespace}.
     */
    @Test
    void fsinfoAndDisksAreQemuGasWithBindMountsInAPrivateMountNamespace(@TempDir Path dir) throws Exception {
        Process probe = new ProcessBuilder("unshare", "-m", "--propagation", "private", "true").start();
        Assumptions.assumeTrue(probe.waitFor() == 0, "unshare -m works here");
        Path mounts = Files.createDirectories(dir.resolve("mnt"));
        String script = "set -e; cd \"$1\"; mkdir -p root-again 'with space' scratch; "
                + "mount --bind / root-again; mount -t tmpfs scratch scratch; mount --bind / 'with space'; "
                + "shift; exec \"$@\"";
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "--",
                "sh", "-c", script, "sh", mounts.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), InMountNamespace.class.getName(),
                dir.resolve("qga").toString()));
        Process run = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .collect(java.util.stream.Collectors.toList());
        int exit = run.waitFor();
        // kept for diagnosis: ours and qemu-ga's replies, fsinfo then disks
        Files.write(Files.createDirectories(Path.of("target")).resolve("namespace-replies.txt"), lines);
        assertThat(exit).as("the run in the namespace: %s", lines).isZero();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("\"mountpoint\": \"" + mounts.resolve("with space") + "\"")
                .contains("\"mountpoint\": \"" + mounts.resolve("root-again") + "\"")
                .doesNotContain(mounts.resolve("scratch").toString());
        assertSameUpToUsedBytes(lines.get(0), lines.get(1));
        assertThat(lines.get(2)).isEqualTo(lines.get(3));
    }

    static void assertSameUpToUsedBytes(String ours, String theirs) {
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

    static String reference(Path dir, String command) throws Exception {
        try (ReferenceQemuGa qemuGa = ReferenceQemuGa.start(dir, List.of(command));
                QgaClient client = qemuGa.connect()) {
            return client.call("{\"execute\":\"" + command + "\"}\n");
        }
    }

    /** The reply line exactly as the agent writes it. */
    static String render(Object value) {
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
