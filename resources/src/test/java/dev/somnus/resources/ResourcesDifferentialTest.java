package dev.somnus.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.command.Command;
import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonMessageReader;
import dev.somnus.runtime.qmp.JsonWriter;
import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only resource commands on this machine's real /proc and /sys, against the live qemu-ga
 * 7.2: the same bytes for vcpus, memory blocks and block size; for the counters of cpustats and
 * diskstats the same structure, member order and types, and every value between two reads of ours
 * taken before and after qemu-ga's (the counters only grow; idle, iowait and ios-pgr get a slack,
 * as the kernel lets them step back). guest-get-load is not in 7.2; only its absence there is compared.
 * The acting commands (set-vcpus, set-memory-blocks) are never enabled in the reference.
 */
@EnabledIf("dev.somnus.testkit.ReferenceQemuGa#installed")
class ResourcesDifferentialTest {

    @TempDir
    static Path dir;

    private static ReferenceQemuGa reference;
    private static QgaClient client;

    @BeforeAll
    static void startReference() throws Exception {
        reference = ReferenceQemuGa.start(dir, List.of(GetVcpusCommand.NAME, GetMemoryBlocksCommand.NAME,
                GetMemoryBlockInfoCommand.NAME, GetCpuStatsCommand.NAME, GetDiskStatsCommand.NAME));
        client = reference.connect();
    }

    @AfterAll
    static void stopReference() throws Exception {
        if (client != null) {
            client.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    @Test
    void vcpusAreByteIdentical() throws Exception {
        assertSameBytes(onThisMachine(new GetVcpusCommand(), GetVcpusCommand::configure));
    }

    @Test
    void memoryBlocksAreByteIdentical() throws Exception {
        assertSameBytes(onThisMachine(new GetMemoryBlocksCommand(), GetMemoryBlocksCommand::configure));
    }

    @Test
    void memoryBlockInfoIsByteIdentical() throws Exception {
        assertSameBytes(onThisMachine(new GetMemoryBlockInfoCommand(), GetMemoryBlockInfoCommand::configure));
    }

    @Test
    void cpustatsLieBetweenOurReadsBeforeAndAfter() throws Exception {
        assertBetweenOurReads(onThisMachine(new GetCpuStatsCommand(), GetCpuStatsCommand::configure), Set.of("idle", "iowait"), 1000);
    }

    @Test
    void diskstatsLieBetweenOurReadsBeforeAndAfter() throws Exception {
        assertBetweenOurReads(onThisMachine(new GetDiskStatsCommand(), GetDiskStatsCommand::configure), Set.of("ios-pgr"), 1024);
    }

    @Test
    void loadIsNotIn72AndOursMatchesProcLoadavg() throws Exception {
        assertThat(client.call("{\"execute\":\"guest-get-load\"}")).isEqualTo(
                "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-get-load has not been found\"}}");
        GetLoadCommand load = onThisMachine(new GetLoadCommand(), GetLoadCommand::configure);
        for (int attempt = 0; ; attempt++) {
            String before = Files.readString(Path.of("/proc/loadavg"));
            @SuppressWarnings("unchecked")
        Map<String, Object> ours = (Map<String, Object>) load.execute(Map.of());
            String after = Files.readString(Path.of("/proc/loadavg"));
            if (!before.equals(after) && attempt < 5) {
                continue; // the kernel updated the averages in between
            }
            String[] fields = before.split(" ");
            assertThat(ours).containsExactly(Map.entry("load1m", Double.parseDouble(fields[0])),
                    Map.entry("load5m", Double.parseDouble(fields[1])), Map.entry("load15m", Double.parseDouble(fields[2])));
            return;
        }
    }

    private static void assertSameBytes(Command command) throws Exception {
        String theirs = client.call("{\"execute\":\"" + command.name() + "\"}");
        assertThat(reply(command)).isEqualTo(theirs);
    }

    /**
     * Ours, qemu-ga's, ours again; the same shape throughout, and each of qemu-ga's numbers within
     * ours (widened by {@code slack} for the named members). Retried when a row came or went between.
     */
    private static void assertBetweenOurReads(Command command, Set<String> slackMembers, long slack) throws Exception {
        for (int attempt = 0; ; attempt++) {
            Object before = parse(reply(command));
            Object theirs = parse(client.call("{\"execute\":\"" + command.name() + "\"}"));
            Object after = parse(reply(command));
            if (!sameShape(before, after) && attempt < 5) {
                continue;
            }
            assertThat(shape(theirs)).as("structure, member order and types").isEqualTo(shape(before));
            assertWithin(before, theirs, after, "return", slackMembers, slack);
            return;
        }
    }

    private static void assertWithin(Object low, Object theirs, Object high, String path, Set<String> slackMembers,
            long slack) {
        if (theirs instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                assertWithin(((Map<?, ?>) low).get(key), map.get(key), ((Map<?, ?>) high).get(key), path + "." + key,
                        slackMembers, slack);
            }
        } else if (theirs instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertWithin(((List<?>) low).get(i), list.get(i), ((List<?>) high).get(i), path + "[" + i + "]",
                        slackMembers, slack);
            }
        } else if (theirs instanceof Long || theirs instanceof BigInteger) {
            BigInteger a = new BigInteger(low.toString());
            BigInteger b = new BigInteger(high.toString());
            BigInteger t = new BigInteger(theirs.toString());
            String member = path.substring(path.lastIndexOf('.') + 1);
            BigInteger widen = BigInteger.valueOf(slackMembers.contains(member) ? slack : 0);
            assertThat(t).as(path + " between our reads " + a + " and " + b)
                    .isBetween(a.min(b).subtract(widen), a.max(b).add(widen));
        } else {
            assertThat(theirs).as(path).isEqualTo(low);
        }
    }

    private static boolean sameShape(Object a, Object b) {
        return shape(a).equals(shape(b));
    }

    /** The value with every number replaced by its type: what must be identical. */
    private static Object shape(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<Object> members = new ArrayList<>();
            map.forEach((key, member) -> members.add(key + "=" + shape(member)));
            return members;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ResourcesDifferentialTest::shape).toList();
        }
        if (value instanceof Long || value instanceof BigInteger || value instanceof Double) {
            return value.getClass().getSimpleName();
        }
        return value;
    }

    private static <C extends Command> C onThisMachine(C command, BiConsumer<C, ResourcesConfiguration> configure) {
        configure.accept(command, FakeTree.configuration("/"));
        return command;
    }

    /** Our reply as the agent writes it. */
    private static String reply(Command command) throws Exception {
        GrowableBytes out = new GrowableBytes(256);
        out.put("{\"return\": ".getBytes(StandardCharsets.US_ASCII));
        JsonWriter.writeValue(out, command.execute(Map.of()));
        out.put('}');
        return new String(out.toByteArray(), StandardCharsets.US_ASCII);
    }

    private static Object parse(String line) {
        List<Object> values = new ArrayList<>();
        JsonMessageReader reader = new JsonMessageReader(new JsonMessageReader.Listener() {
            @Override
            public void value(Object value) {
                values.add(value);
            }

            @Override
            public void error(String desc) {
                throw new AssertionError("not JSON: " + desc + " in " + line);
            }
        });
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.ISO_8859_1);
        reader.feed(bytes, 0, bytes.length);
        assertThat(values).as("one JSON value in " + line).hasSize(1);
        return ((Map<?, ?>) values.get(0)).get("return");
    }
}
