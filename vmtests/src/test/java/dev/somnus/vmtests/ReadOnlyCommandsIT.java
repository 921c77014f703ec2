package dev.somnus.vmtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.opentest4j.TestAbortedException;

/**
 * Issues 12 and 13 in the real guest: the read-only commands as a host sees them over the agent
 * channel, Somnus against qemu-ga 7.2 in the very same guest at the same time. One boot of the Somnus
 * image ({@link GuestDevices}: two vCPUs, a NIC, an ext4 disk on virtio-blk, virtio-scsi, SATA and
 * NVMe) runs Somnus on org.qemu.guest_agent.0 and the image's qemu-ga on org.qemu.guest_agent.1; each
 * command goes to both, and the replies must be the same (members, order, types, values), volatile
 * figures within the tolerance named beside them. Each test also checks what the guest really is, so
 * two agents failing alike do not pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadOnlyCommandsIT {

    static final String SCENARIO = "7-read-only";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private String unmet;
    /** The guest's /etc/localtime zone (Europe/Berlin), null if the host had no tzdata to give it. */
    private String zone;
    private Guest guest;
    private AgentChannel somnus;
    private AgentChannel qemuGa;

    /** One boot for the whole class: every test only reads. */
    @BeforeAll
    void bootBothAgents() throws Exception {
        GuestImage image;
        try {
            image = GuestImage.somnusWithDevices();
            zone = image.devicesTimeZone();
            guest = Guest.createWithDevices(image, SCENARIO, "somnus.agent1=qemu-ga");
        } catch (TestAbortedException e) {
            unmet = e.getMessage();
            return;
        }
        guest.start();
        Timings.record("somnus+qemu-ga", SCENARIO, "QEMU start -> Somnus answers", guest.awaitAgent());
        qemuGa = guest.agent1();
        if (!qemuGa.sync(Guest.AGENT_TIMEOUT)) {
            throw new AssertionError("qemu-ga on org.qemu.guest_agent.1 did not answer" + guest.diagnostics());
        }
        somnus = guest.agent();
        SomnusGuestIT.awaitDeployed(somnus);
    }

    @BeforeEach
    void requireGuest() {
        Assumptions.assumeTrue(unmet == null, () -> unmet);
    }

    @AfterAll
    void stopGuest() throws Exception {
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    @Order(1)
    void hostName() throws Exception {
        JsonNode name = same("guest-get-host-name");
        assertThat(name.path("host-name").asText()).isEqualTo(GuestDevices.HOST_NAME);
    }

    /** The image's /etc/os-release (build-image.sh) with each quoting style, and the kernel's uname. */
    @Test
    @Order(2)
    void osInfo() throws Exception {
        JsonNode os = same("guest-get-osinfo");
        assertThat(os.path("id").asText()).isEqualTo("somnus-test");
        // NAME='Somnus test guest': qemu-ga 7.2 strips only double quotes and keeps the single-quoted
        // value's first word with its quote (observed here); Somnus matches that byte for byte.
        assertThat(os.path("name").asText()).isEqualTo("'Somnus");
        assertThat(os.path("version").asText()).isEqualTo("12 (\"emulated\")");
        assertThat(os.path("kernel-release").asText()).endsWith("-amd64");
        assertThat(os.path("machine").asText()).isEqualTo("x86_64");
    }

    /** /etc/localtime is Europe/Berlin (guest/init): CET or CEST with its offset; UTC where the host had no tzdata. */
    @Test
    @Order(3)
    void timeZone() throws Exception {
        JsonNode tz = same("guest-get-timezone");
        if (zone == null) {
            assertThat(tz.path("zone").asText()).isEqualTo("UTC");
            assertThat(tz.path("offset").asLong()).isZero();
            return;
        }
        assertThat(tz.path("zone").asText()).isIn("CET", "CEST");
        assertThat(tz.path("offset").asLong()).isEqualTo("CET".equals(tz.path("zone").asText()) ? 3600 : 7200);
    }

    /** Nobody logs in to this guest: no utmp at all, an empty list from both. */
    @Test
    @Order(4)
    void users() throws Exception {
        JsonNode users = same("guest-get-users");
        assertThat(users.isArray() && users.isEmpty()).as("guest-get-users: %s", users).isTrue();
    }

    /** Two vCPUs, listed last first (qemu-ga prepends): cpu0 cannot go offline (no online file), cpu1 can. */
    @Test
    @Order(5)
    void vcpus() throws Exception {
        JsonNode vcpus = same("guest-get-vcpus");
        assertThat(vcpus).hasSize(GuestDevices.CPUS);
        for (JsonNode cpu : vcpus) {
            assertThat(cpu.path("can-offline").asBoolean()).as("%s", cpu).isEqualTo(cpu.path("logical-id").asLong() != 0);
            assertThat(cpu.path("online").asBoolean()).as("%s", cpu).isTrue();
        }
    }

    @Test
    @Order(6)
    void memoryBlocks() throws Exception {
        JsonNode blocks = same("guest-get-memory-blocks");
        assertThat(blocks).isNotEmpty();
        JsonNode info = same("guest-get-memory-block-info");
        assertThat(info.path("size").asLong()).isPositive();
    }

    /**
     * The four read-only ext4 mounts, each with its disk's bus kind, PCI controller and SCSI address as
     * the agent finds them in sysfs. No serial from either agent: both take it from udev's database,
     * and this guest runs no udev. Nothing writes to the disks, so the sizes are exact.
     */
    @Test
    @Order(7)
    void fsinfo() throws Exception {
        JsonNode fs = same("guest-get-fsinfo");
        List<String> mountPoints = new ArrayList<>();
        for (JsonNode f : fs) {
            mountPoints.add(f.path("mountpoint").asText());
            assertThat(f.path("type").asText()).as("type of %s", f).isEqualTo("ext4");
            String bus = f.path("mountpoint").asText().substring("/mnt/".length());
            assertThat(f.path("disk").get(0).path("bus-type").asText()).as("bus of %s", f).isEqualTo(bus);
        }
        assertThat(mountPoints).containsExactlyInAnyOrderElementsOf(GuestDevices.DISKS.stream().map(GuestDevices.Disk::mountPoint).toList());
    }

    /**
     * Every disk of the guest, on its bus. One deliberate difference (storage's DisksCommand): qemu-ga
     * reads the NVMe disk's SMART log with an NVMe admin ioctl and answers it as "smart"; Somnus leaves
     * the member out. The test pins that: qemu-ga's member must be there and Somnus's absent, and all
     * else the same.
     */
    @Test
    @Order(8)
    void disks() throws Exception {
        JsonNode disks = same("guest-get-disks", qemuGa -> {
            JsonNode nvme = disk(qemuGa, "/dev/nvme0n1");
            assertThat(nvme.path("smart").path("type").asText()).as("qemu-ga's SMART log of the NVMe disk: %s", nvme).isEqualTo("nvme");
            ((ObjectNode) nvme).remove("smart");
        });
        assertThat(disk(disks, "/dev/nvme0n1").has("smart")).as("Somnus answers no SMART log (a deliberate difference)").isFalse();
        assertThat(disks.findValuesAsText("name")).contains("/dev/vda", "/dev/vdb", "/dev/sda", "/dev/sdb", "/dev/nvme0n1");
        assertThat(disks.size()).as("vda, vdb, the SCSI and the SATA disk, one NVMe namespace: %s", disks).isEqualTo(5);
        for (JsonNode d : disks) {
            assertThat(d.path("partition").asBoolean()).isFalse();
        }
    }

    private static JsonNode disk(JsonNode disks, String name) {
        for (JsonNode d : disks) {
            if (name.equals(d.path("name").asText())) {
                return d;
            }
        }
        throw new AssertionError(name + " is not in " + disks);
    }

    /** lo and eth0 with their addresses; the counters may move (the kernel's own IPv6 packets). */
    @Test
    @Order(9)
    void interfaces() throws Exception {
        JsonNode interfaces = same("guest-network-get-interfaces", SameAnswer.Volatile.at("\\$\\[\\d+\\]\\.statistics\\..*", 10_000));
        JsonNode eth0 = null;
        for (JsonNode i : interfaces) {
            if ("eth0".equals(i.path("name").asText())) {
                eth0 = i;
            }
        }
        assertThat(eth0).as("eth0 in %s", interfaces).isNotNull();
        assertThat(eth0.path("hardware-address").asText()).isEqualTo(GuestDevices.MAC);
        assertThat(eth0.path("ip-addresses").findValuesAsText("ip-address")).contains(GuestDevices.IPV4);
        assertThat(interfaces.findValuesAsText("name")).contains("lo");
    }

    /** The guest's clock read by both agents one after the other: within 5 s of each other, and within 60 s of the host's. */
    @Test
    @Order(10)
    void time() throws Exception {
        long nanos = same("guest-get-time", SameAnswer.Volatile.at("\\$", 5e9)).asLong();
        assertThat(nanos / 1_000_000_000L).as("the guest's clock against the host's").isCloseTo(Instant.now().getEpochSecond(), within(60L));
    }

    /** Counters since boot: the same CPUs and disks, the numbers a little further in the second read. */
    @Test
    @Order(11)
    void cpuAndDiskStatistics() throws Exception {
        JsonNode cpus = same("guest-get-cpustats", SameAnswer.Volatile.at("\\$\\[\\d+\\]\\.(?!cpu$).*", 10_000));
        assertThat(cpus).hasSize(GuestDevices.CPUS);
        JsonNode disks = same("guest-get-diskstats", SameAnswer.Volatile.at("\\$\\[\\d+\\]\\.stats\\..*", 100_000));
        assertThat(disks.findValuesAsText("name")).contains("vda", "nvme0n1");
    }

    /**
     * Commands newer than qemu-ga 7.2 that Somnus answers (guest-get-load as qemu 10.0,
     * guest-network-get-route as qemu 9.1): the reference does not know them, Somnus describes this
     * guest - its load, and eth0's connected route (the only one: the guest has no default route).
     */
    @Test
    @Order(12)
    void newerCommandsOnlySomnusKnows() throws Exception {
        for (String command : new String[] {"guest-get-load", "guest-network-get-route"}) {
            AgentChannel.Reply theirs = qemuGa.call(command, null, TIMEOUT);
            assertThat(theirs.errorClass()).as("qemu-ga 7.2 on %s: %s", command, theirs).isEqualTo("CommandNotFound");
            assertThat(theirs.errorDesc()).isEqualTo("The command " + command + " has not been found");
        }
        AgentChannel.Reply load = somnus.call("guest-get-load", null, TIMEOUT);
        System.out.println("[vmtests] guest-get-load Somnus: " + load.json());
        assertThat(load.isError()).as("guest-get-load: %s", load).isFalse();
        assertThat(load.value().path("load1m").isNumber()).as("load1m in %s", load).isTrue();
        AgentChannel.Reply routes = somnus.call("guest-network-get-route", null, TIMEOUT);
        System.out.println("[vmtests] guest-network-get-route Somnus: " + routes.json());
        assertThat(routes.isError()).as("guest-network-get-route: %s", routes).isFalse();
        assertThat(routes.value().findValuesAsText("iface")).contains("eth0");
        assertThat(routes.value().findValuesAsText("destination")).contains("10.0.2.0").doesNotContain("0.0.0.0");
    }

    /**
     * Sends the command to both agents and asserts the same reply; returns Somnus's value. Prints both
     * replies, so the run's output shows what each agent said. Both must answer a value (a shared
     * error proves nothing here); the rules' paths start at it ({@code $}).
     */
    private JsonNode same(String command, SameAnswer.Volatile... volatiles) throws Exception {
        return same(command, qemuGa -> { }, volatiles);
    }

    /** As above; {@code knownDifference} first checks and takes out of qemu-ga's value what Somnus deliberately leaves out. */
    private JsonNode same(String command, Consumer<JsonNode> knownDifference, SameAnswer.Volatile... volatiles) throws Exception {
        AgentChannel.Reply ours = somnus.call(command, null, TIMEOUT);
        AgentChannel.Reply theirs = qemuGa.call(command, null, TIMEOUT);
        System.out.println("[vmtests] " + command + " Somnus:  " + ours.json());
        System.out.println("[vmtests] " + command + " qemu-ga: " + theirs.json());
        assertThat(ours.isError()).as("%s: Somnus answers an error: %s (qemu-ga: %s)", command, ours, theirs).isFalse();
        assertThat(theirs.isError()).as("%s: qemu-ga answers an error: %s", command, theirs).isFalse();
        JsonNode reference = theirs.value().deepCopy();
        knownDifference.accept(reference);
        List<String> differences = SameAnswer.differences(ours.value(), reference, List.of(volatiles));
        assertThat(differences).as("%s: Somnus and qemu-ga 7.2 answer differently in the same guest", command).isEmpty();
        return ours.value();
    }
}
