package dev.somnus.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.command.CommandException;
import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-network-get-interfaces against the live qemu-ga 7.2: first on this machine as it is, then
 * in a network namespace the test creates for itself (labels, veth, a bridge, tun, down links with
 * and without addresses). Replies must be byte for byte the same, except the counters of
 * {@code statistics}: there every member, its order and its type must match, and each value must
 * lie between what qemu-ga answered just before and just after ours (the kernel's counters only
 * grow). qemu-ga 7.2 has no guest-network-get-route; RouteTableTest covers it on fake files.
 */
@EnabledIf("dev.somnus.testkit.ReferenceQemuGa#installed")
class NetworkDifferentialTest {

    private static final String REQUEST = "{\"execute\":\"guest-network-get-interfaces\"}";
    private static final Pattern STATISTICS = Pattern.compile("\"statistics\": \\{[^}]*\\}");
    private static final Pattern COUNTER = Pattern.compile("\"([a-z-]+)\": (\\d+)");

    @TempDir
    Path dir;

    @Test
    void answersAsQemuGaOnThisMachine() throws Exception {
        compare(Path.of("/"), dir);
    }

    /**
     * Runs on a thread of its own that first leaves this machine's network namespace for a new,
     * empty one (unshare(CLONE_NEWNET) changes only the calling thread; the {@code ip} programs and
     * qemu-ga it starts inherit that namespace). Nothing is configured until both the thread and a
     * child it spawns are seen to be outside this machine's namespace, and the namespace goes away
     * with the thread and qemu-ga. Our command reads /proc/net/dev through
     * {@code /proc/thread-self/net}, the namespace's own (/proc/net is the main thread's).
     */
    @Test
    void answersAsQemuGaInANamespaceWithLabelsTunnelsAndDownLinks() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root/proc"));
        Files.createSymbolicLink(root.resolve("net"), Path.of("/proc/thread-self/net"));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<String> outcome = thread.submit(() -> {
                String skip = enterNewNetworkNamespace();
                if (skip != null) {
                    return skip;
                }
                setUpInterfaces();
                String reply = compare(dir.resolve("root"), dir.resolve("qemu-ga"));
                Files.writeString(dir.resolve("reply"), reply);
                return null;
            });
            String skip = outcome.get(120, TimeUnit.SECONDS);
            Assumptions.assumeTrue(skip == null, skip);
            // what was compared is the namespace's, in getifaddrs order: links first, labels as
            // interfaces of their own, the down bridge with its MAC only, the tun with zeros
            assertThat(Files.readString(dir.resolve("reply")))
                    .contains("{\"name\": \"v0:1\", \"ip-addresses\": [{\"ip-address-type\": \"ipv4\", "
                            + "\"ip-address\": \"192.0.2.11\", \"prefix\": 24}], \"hardware-address\": ")
                    .containsPattern("\\{\"name\": \"br0\", \"hardware-address\": \"[0-9a-f:]{17}\"\\}")
                    .contains("\"name\": \"tun0\"", "\"hardware-address\": \"00:00:00:00:00:00\"}")
                    .doesNotContain("\"eth0\"");
        } finally {
            // the thread, the last member of the namespace besides the stopped qemu-ga, ends here
            thread.shutdownNow();
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** @return qemu-ga's reply, which ours matched */
    private String compare(Path root, Path qemuGaDir) throws Exception {
        GetInterfacesCommand command = new GetInterfacesCommand(new NativeInterfaceSource(warning -> { }), root);
        try (ReferenceQemuGa reference = ReferenceQemuGa.start(qemuGaDir, List.of("guest-network-get-interfaces"));
                QgaClient client = reference.connect()) {
            // addresses may still be arriving (IPv6 link-local after a link comes up): retry until
            // qemu-ga's answers before and after ours agree apart from counters
            for (int attempt = 1; ; attempt++) {
                String before = client.call(REQUEST);
                String ours = render(command);
                String after = client.call(REQUEST);
                if (!withoutCounters(before).equals(withoutCounters(after)) && attempt < 10) {
                    Thread.sleep(300);
                    continue;
                }
                assertThat(before).startsWith("{\"return\": [{\"name\": ");
                assertThat(withoutCounters(ours)).isEqualTo(withoutCounters(before));
                List<long[]> theirsBefore = counters(before);
                List<long[]> oursNow = counters(ours);
                List<long[]> theirsAfter = counters(after);
                for (int i = 0; i < oursNow.size(); i++) {
                    for (int j = 0; j < oursNow.get(i).length; j++) {
                        assertThat(oursNow.get(i)[j]).as("counter %d of statistics %d in %s", j, i, ours)
                                .isBetween(theirsBefore.get(i)[j], theirsAfter.get(i)[j]);
                    }
                }
                return before;
            }
        }
    }

    private static String render(GetInterfacesCommand command) throws CommandException {
        return WireText.reply(command.execute(Map.of()));
    }

    /** The reply with each counter's digits replaced by {@code #}: names, order and types stay. */
    private static String withoutCounters(String reply) {
        Matcher statistics = STATISTICS.matcher(reply);
        StringBuilder masked = new StringBuilder();
        while (statistics.find()) {
            statistics.appendReplacement(masked,
                    Matcher.quoteReplacement(COUNTER.matcher(statistics.group()).replaceAll("\"$1\": #")));
        }
        statistics.appendTail(masked);
        return masked.toString();
    }

    private static List<long[]> counters(String reply) {
        List<long[]> all = new ArrayList<>();
        Matcher statistics = STATISTICS.matcher(reply);
        while (statistics.find()) {
            Matcher counter = COUNTER.matcher(statistics.group());
            long[] values = new long[8];
            int n = 0;
            while (counter.find()) {
                values[n++] = Long.parseLong(counter.group(2));
            }
            assertThat(n).isEqualTo(8);
            all.add(values);
        }
        return all;
    }

    /** The few calls the namespace needs. */
    public interface Namespaces {
        int unshare(int flags);
    }

    private static final int CLONE_NEWNET = 0x40000000;

    /** @return why the namespace test cannot run here, or null once this thread is in a new namespace */
    private static String enterNewNetworkNamespace() throws Exception {
        Path machine = Files.readSymbolicLink(Path.of("/proc/self/ns/net")); // the main thread's
        Namespaces libc = LibraryLoader.create(Namespaces.class).option(LibraryOption.SaveError, Boolean.TRUE).load("c");
        if (libc.unshare(CLONE_NEWNET) != 0) {
            return "unshare(CLONE_NEWNET) failed: errno " + jnr.ffi.Runtime.getRuntime(libc).getLastError();
        }
        Path mine = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"));
        if (mine.equals(machine)) {
            throw new IllegalStateException("still in this machine's network namespace " + machine);
        }
        Process child = new ProcessBuilder("readlink", "/proc/self/ns/net").redirectErrorStream(true).start();
        String childs = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (child.waitFor() != 0 || !childs.equals(mine.toString())) {
            throw new IllegalStateException("a child is in namespace " + childs + ", not in " + mine);
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
            return "no ip program";
        }
        return null;
    }

    /** Only ever called on the thread that enterNewNetworkNamespace moved out of this machine's namespace. */
    private static void setUpInterfaces() throws IOException, InterruptedException {
        ip("link set lo up");
        ip("link add v0 type veth peer name v1");
        ip("addr add 192.0.2.10/24 dev v0");
        ip("addr add 192.0.2.11/24 dev v0 label v0:1");
        ip("addr add 198.51.100.1/25 dev v0 label v0:web");
        ip("-6 addr add 2001:db8::1/64 dev v0 nodad");
        ip("-6 addr add 2001:db8:0:1::1/48 dev v0 nodad");
        ip("link set v0 up");
        ip("link set v1 up");
        ip("addr add 203.0.113.5/32 dev v1");
        // a tun device (no hardware address: zeros) that is down but has an address
        ip("tuntap add mode tun name tun0");
        ip("addr add 10.8.0.1/24 dev tun0");
        // down links: a bridge with nothing, an ifb with only IPv6
        ip("link add br0 type bridge");
        ip("link add ifb9 type ifb");
        ip("-6 addr add fd00::9/128 dev ifb9 nodad");
        // some loopback traffic, so that counters are not all zero
        ip("route get 192.0.2.10");
    }

    private static void ip(String arguments) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(arguments.split(" ")));
        Process ip = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ip.waitFor()).as("ip %s: %s", arguments, output).isZero();
    }
}
