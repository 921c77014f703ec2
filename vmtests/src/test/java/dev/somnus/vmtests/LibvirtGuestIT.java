package dev.somnus.vmtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;

/**
 * Issue 6, scenario 6: the same guest driven through libvirt 9, the dominant host-side client. libvirt
 * talks to the agent itself (guest-sync without 0xFF, then the command) and, for a suspend, waits for
 * QEMU's event instead of a reply (qga-reference §1.5). Issues 12 and 13, scenario 8: the virsh verbs
 * that read the guest through its agent print the same for Somnus as for qemu-ga 7.2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibvirtGuestIT {

    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(180);

    private Libvirt libvirt;
    private final List<String> domains = new ArrayList<>();

    private String unmet;

    /** As in GuestScenarios: a host that cannot run libvirtd gets every test skipped with the reason. */
    @BeforeAll
    void startLibvirtd() throws Exception {
        try {
            Path script = Path.of(GuestImage.property("somnus.vm.script")).resolveSibling("libvirtd-private.sh");
            libvirt = Libvirt.start(script, Path.of(GuestImage.property("somnus.vm.runs"), "libvirtd"));
        } catch (TestAbortedException e) {
            unmet = e.getMessage();
        }
    }

    @BeforeEach
    void requireLibvirtd() {
        Assumptions.assumeTrue(unmet == null, () -> unmet);
    }

    @AfterEach
    void removeDomains() throws Exception {
        for (String d : domains) {
            // destroy fails harmlessly for a domain that is already shut off
            libvirt.virsh(Duration.ofSeconds(30), "destroy", d);
            libvirt.virsh(Duration.ofSeconds(30), "undefine", d);
        }
        domains.clear();
    }

    @AfterAll
    void stopLibvirtd() throws Exception {
        if (libvirt != null) {
            libvirt.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qemu-ga", "somnus"})
    void dompmsuspendDiskHibernatesAndStartResumes(String agent) throws Exception {
        GuestImage image = "qemu-ga".equals(agent) ? GuestImage.qemuGa() : GuestImage.somnus();
        String domain = define(image, "6-libvirt", true);
        Path swap = Path.of(GuestImage.property("somnus.vm.runs"), agent, "6-libvirt", "swap.img");
        AgentCalls calls = libvirt.agent(domain);

        long started = System.nanoTime();
        assertThat(libvirt.virsh(Duration.ofSeconds(60), "start", domain).ok()).isTrue();
        Answered first = awaitIdentity(agent, domain);
        GuestScenarios.Identity before = first.identity();
        Timings.record(agent, "6-libvirt", "virsh start -> agent answers", Duration.ofNanos(first.nanos() - started));
        AgentChannel.Reply ping = calls.call("guest-ping");
        assertThat(ping.isError()).as("virsh qemu-agent-command guest-ping: %s", ping).isFalse();

        long suspended = System.nanoTime();
        Libvirt.Result result = libvirt.virsh(Duration.ofSeconds(120), "dompmsuspend", domain, "disk");
        assertThat(result.ok()).as("virsh dompmsuspend disk: %s%s", result, log(domain)).isTrue();
        assertThat(result.out()).contains("successfully suspended");
        awaitState(domain, "shut off (shutdown)");
        Timings.record(agent, "6-libvirt", "virsh dompmsuspend disk -> shut off", Duration.ofNanos(System.nanoTime() - suspended));
        assertThat(Guest.swapSignature(swap)).as("the swap disk holds a hibernation image").isEqualTo("S1SUSPEND");

        long resumed = System.nanoTime();
        assertThat(libvirt.virsh(Duration.ofSeconds(60), "start", domain).ok()).isTrue();
        Answered again = awaitIdentity(agent, domain);
        GuestScenarios.Identity after = again.identity();
        Timings.record(agent, "6-libvirt", "virsh start (resume) -> agent answers", Duration.ofNanos(again.nanos() - resumed));
        assertThat(after).as("the same boot and agent after virsh start%s", log(domain)).isEqualTo(before);
        assertThat(Guest.swapSignature(swap)).isEqualTo("SWAPSPACE2");
    }

    /** With S4 disabled in the domain, libvirt itself refuses and the guest keeps running. */
    @Test
    void refusesWhenSuspendToDiskIsDisabled() throws Exception {
        GuestImage image = GuestImage.qemuGa();
        String domain = define(image, "6-libvirt-s4-off", false);
        assertThat(libvirt.virsh(Duration.ofSeconds(60), "start", domain).ok()).isTrue();
        GuestScenarios.Identity before = awaitIdentity("qemu-ga", domain).identity();

        Libvirt.Result result = libvirt.virsh(Duration.ofSeconds(60), "dompmsuspend", domain, "disk");
        assertThat(result.ok()).as("dompmsuspend with S4 disabled: %s", result).isFalse();
        assertThat(result.err()).contains("S4 state is disabled for this domain");
        assertThat(libvirt.state(domain)).startsWith("running");
        assertThat(QemuGaGuestIT.identityOf(libvirt.agent(domain))).isEqualTo(before);
    }

    /**
     * The virsh verbs that read the guest through its agent. Every one only reads: domtime without
     * --now/--sync/--time, guestvcpus without --enable/--disable.
     */
    static final List<List<String>> READ_ONLY_VERBS = List.of(
            List.of("guestinfo", "--os", "--timezone", "--hostname", "--user"),
            List.of("guestinfo", "--filesystem", "--disk", "--interface"),
            List.of("domifaddr", "--source", "agent"),
            List.of("domfsinfo"),
            List.of("domhostname", "--source", "agent"),
            List.of("guestvcpus"),
            List.of("domtime"));

    /**
     * Issues 12 and 13 through libvirt: the Somnus image (which carries qemu-ga too) with the
     * read-only scenarios' hardware booted once with qemu-ga 7.2 as the agent and once with Somnus;
     * each read-only verb must print the same for both (domtime: both within 60 s of the host's
     * clock), and what it prints must be this guest. Then, on the same boots, the acting verbs of
     * scenario 9 ({@link #actingVerbs}).
     */
    @Test
    void agentVerbsWithEitherAgent() throws Exception {
        GuestImage image = GuestImage.somnusWithDevices();
        Map<String, String> qemuGa = readOnlyVerbs(image, "qemu-ga");
        Map<String, String> somnus = readOnlyVerbs(image, "somnus");
        for (String verb : qemuGa.keySet()) {
            assertThat(somnus.get(verb)).as("virsh %s: Somnus against qemu-ga 7.2 (same guest)", verb).isEqualTo(qemuGa.get(verb));
        }

        String info = somnus.get("guestinfo --os --timezone --hostname --user");
        assertThat(info).contains("user.count          : 0", "os.id               : somnus-test",
                "hostname            : " + GuestDevices.HOST_NAME, "timezone.name       : " + (image.devicesTimeZone() == null ? "UTC" : "CE"));
        String storage = somnus.get("guestinfo --filesystem --disk --interface");
        assertThat(storage).contains("fs.count            : 4", "disk.count          : 5",
                "if.1.hwaddr         : " + GuestDevices.MAC);
        assertThat(somnus.get("domifaddr --source agent")).contains("eth0", GuestDevices.MAC, GuestDevices.IPV4 + "/24");
        // libvirt names each file system's disk by its own target, matched by PCI controller and
        // drive address; the NVMe disk is not libvirt's (qemu:commandline), so it has no target.
        assertThat(somnus.get("domfsinfo")).containsPattern("/mnt/virtio +vda +ext4 +vda\n")
                .containsPattern("/mnt/scsi +sda +ext4 +sda\n").containsPattern("/mnt/sata +sdb +ext4 +sdb\n")
                .containsPattern("/mnt/nvme +nvme0n1 +ext4 *\n");
        assertThat(somnus.get("domhostname --source agent").strip()).isEqualTo(GuestDevices.HOST_NAME);
        assertThat(somnus.get("guestvcpus")).containsPattern("vcpus +: 0-1").containsPattern("online +: 0-1")
                .containsPattern("offlinable +: 1");
    }

    /**
     * Boots the domain with {@code agent} on org.qemu.guest_agent.0, runs every read-only verb,
     * destroys it. Returns each verb's output (domtime's replaced by "Time: host's clock" once checked
     * against the host's clock), keyed by the verb and its options.
     */
    private Map<String, String> readOnlyVerbs(GuestImage image, String agent) throws Exception {
        String scenario = "8-libvirt-read-only-" + agent;
        List<String> words = "qemu-ga".equals(agent) ? List.of("somnus.agent=qemu-ga") : List.of();
        String domain = define(image, scenario, true, true, words);
        long started = System.nanoTime();
        assertThat(libvirt.virsh(Duration.ofSeconds(60), "start", domain).ok()).isTrue();
        Answered first = awaitIdentity(agent, domain);
        Timings.record(agent, scenario, "virsh start -> agent answers", Duration.ofNanos(first.nanos() - started));
        long asked = System.nanoTime();
        Map<String, String> outputs = new LinkedHashMap<>();
        for (List<String> verb : READ_ONLY_VERBS) {
            List<String> args = new ArrayList<>(List.of(verb.get(0), domain));
            args.addAll(verb.subList(1, verb.size()));
            Libvirt.Result r = libvirt.virsh(Duration.ofSeconds(60), args.toArray(String[]::new));
            String key = String.join(" ", verb);
            System.out.println("[vmtests] " + agent + ": virsh " + key + "\n" + r.out().stripTrailing());
            assertThat(r.ok()).as("virsh %s with %s: %s%s", key, agent, r, log(domain)).isTrue();
            outputs.put(key, "domtime".equals(key) ? hostClockChecked(r.out()) : r.out());
        }
        Timings.record(agent, scenario, "the " + READ_ONLY_VERBS.size() + " read-only virsh verbs", Duration.ofNanos(System.nanoTime() - asked));
        long acting = System.nanoTime();
        actingVerbs(agent, domain, outputs);
        Timings.record(agent, scenario, "the acting virsh verbs (scenario 9)", Duration.ofNanos(System.nanoTime() - acting));
        libvirt.virsh(Duration.ofSeconds(30), "destroy", domain);
        return outputs;
    }

    /** Runs virsh with the domain as its first argument; prints and returns the result. */
    private Libvirt.Result verb(String agent, String domain, String... words) throws Exception {
        List<String> args = new ArrayList<>(List.of(words[0], domain));
        args.addAll(List.of(words).subList(1, words.length));
        Libvirt.Result r = libvirt.virsh(Duration.ofSeconds(90), args.toArray(String[]::new));
        System.out.println("[vmtests] " + agent + ": virsh " + String.join(" ", args) + " -> " + (r.ok() ? "ok" : "FAILED") + "\n"
                + r.out().stripTrailing() + (r.err().isBlank() ? "" : "\n" + r.err().stripTrailing()));
        return r;
    }

    private Libvirt.Result ok(String agent, String domain, String... words) throws Exception {
        Libvirt.Result r = verb(agent, domain, words);
        assertThat(r.ok()).as("virsh %s with %s: %s%s", String.join(" ", words), agent, r, log(domain)).isTrue();
        return r;
    }

    /** Waits until the agent answers from a boot other than {@code before} (its /run/boot-id). */
    private String awaitNewBoot(AgentCalls calls, String before, String domain) throws Exception {
        long deadline = System.nanoTime() + AGENT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                AgentChannel.Reply ping = calls.call("guest-ping", null, Duration.ofSeconds(5));
                if (!ping.isError()) {
                    String now = GuestFiles.read(calls, "/run/boot-id").strip();
                    if (!now.isEmpty() && !now.equals(before)) {
                        return now;
                    }
                }
            } catch (AssertionError e) {
                // the agent is not back yet
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the agent did not answer from a new boot within " + AGENT_TIMEOUT.toSeconds() + " s" + log(domain));
    }

    private static long domtime(Libvirt.Result r) {
        Matcher m = Pattern.compile("Time: (\\d+)").matcher(r.out());
        assertThat(m.find()).as("virsh domtime: %s", r).isTrue();
        return Long.parseLong(m.group(1));
    }

    /**
     * Scenario 9 through libvirt, on the same boot after the read-only verbs: domtime --time, --now,
     * --sync (guest-set-time with and without a time), guestvcpus --disable/--enable (guest-set-vcpus),
     * set-user-password and the ssh key verbs, domfsfreeze/domfsthaw, domfstrim, an external
     * snapshot with --quiesce, and last shutdown --mode agent. What must print the same for both
     * agents goes into {@code outputs}.
     */
    private void actingVerbs(String agent, String domain, Map<String, String> outputs) throws Exception {
        AgentCalls calls = libvirt.agent(domain);
        String bootId = GuestFiles.read(calls, "/run/boot-id").strip();
        long dayAgo = Instant.now().getEpochSecond() - 86_400;
        ok(agent, domain, "domtime", "--time", Long.toString(dayAgo));
        assertThat(domtime(ok(agent, domain, "domtime"))).as("%s: domtime after --time a day back", agent).isCloseTo(dayAgo, within(10L));
        ok(agent, domain, "domtime", "--now");
        assertThat(domtime(ok(agent, domain, "domtime"))).as("%s: domtime after --now", agent).isCloseTo(Instant.now().getEpochSecond(), within(10L));
        ok(agent, domain, "domtime", "--sync");
        assertThat(domtime(ok(agent, domain, "domtime"))).as("%s: domtime after --sync (the RTC, set by --now)", agent)
                .isCloseTo(Instant.now().getEpochSecond(), within(10L));

        ok(agent, domain, "guestvcpus", "--cpulist", "1", "--disable");
        outputs.put("guestvcpus after --disable 1", ok(agent, domain, "guestvcpus").out());
        assertThat(outputs.get("guestvcpus after --disable 1")).containsPattern("online +: 0\n");
        ok(agent, domain, "guestvcpus", "--cpulist", "1", "--enable");
        outputs.put("guestvcpus after --enable 1", ok(agent, domain, "guestvcpus").out());
        assertThat(outputs.get("guestvcpus after --enable 1")).containsPattern("online +: 0-1");

        ok(agent, domain, "set-user-password", "root", "secret");
        String shadow = GuestFiles.read(calls, "/etc/shadow");
        assertThat(shadow).as("%s: the guest's /etc/shadow after set-user-password", agent).containsPattern("(?m)^root:\\$6\\$[^:]+:");

        String k1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBm1Yq0jlQ0pSIgZbYo5Ttt5w1rDjk2n2pXb0NQbKmKq first@host";
        String k2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF7m6nTP4zGrHaK1y1mI3o6ZMTmX0aMfTAgq0YxJo9pX second@host";
        Path keys = Files.createTempFile("somnus-vm-keys", ".pub");
        Path one = Files.createTempFile("somnus-vm-key", ".pub");
        try {
            Files.writeString(keys, k1 + "\n" + k2 + "\n");
            Files.writeString(one, k1 + "\n");
            ok(agent, domain, "set-user-sshkeys", "root", "--reset", "--file", keys.toString());
            outputs.put("get-user-sshkeys after set --reset", ok(agent, domain, "get-user-sshkeys", "root").out());
            assertThat(outputs.get("get-user-sshkeys after set --reset")).contains(k1, k2);
            ok(agent, domain, "set-user-sshkeys", "root", "--remove", "--file", one.toString());
            outputs.put("get-user-sshkeys after --remove", ok(agent, domain, "get-user-sshkeys", "root").out());
            assertThat(outputs.get("get-user-sshkeys after --remove")).contains(k2).doesNotContain(k1);
        } finally {
            Files.deleteIfExists(keys);
            Files.deleteIfExists(one);
        }

        outputs.put("domfsfreeze", ok(agent, domain, "domfsfreeze").out());
        assertThat(outputs.get("domfsfreeze")).contains("Froze 4 filesystem(s)");
        AgentChannel.Reply status = calls.call("guest-fsfreeze-status");
        assertThat(status.value().asText()).as("%s: frozen after domfsfreeze: %s", agent, status).isEqualTo("frozen");
        outputs.put("domfsthaw", ok(agent, domain, "domfsthaw").out());
        assertThat(outputs.get("domfsthaw")).contains("Thawed 4 filesystem(s)");
        outputs.put("domfstrim", ok(agent, domain, "domfstrim").out());

        // libvirt freezes through the agent, puts a qcow2 overlay on every disk it manages (the NVMe
        // disk is qemu:commandline's, not libvirt's) and thaws.
        Libvirt.Result snapshot = verb(agent, domain, "snapshot-create-as", "--disk-only", "--quiesce", "--no-metadata", "--name", "quiesced");
        outputs.put("snapshot-create-as --disk-only --quiesce", snapshot.ok() ? "ok" : snapshot.err().strip());
        assertThat(snapshot.ok()).as("%s: snapshot-create-as --disk-only --quiesce: %s", agent, snapshot).isTrue();
        assertThat(calls.call("guest-fsfreeze-status").value().asText()).as("%s: thawed after the snapshot", agent).isEqualTo("thawed");

        Libvirt.Result reboot = verb(agent, domain, "reboot", "--mode", "agent");
        Libvirt.Result shutdown;
        if ("qemu-ga".equals(agent)) {
            // qemu-ga 7.2 runs /sbin/shutdown, which this BusyBox guest lacks.
            assertThat(reboot.ok()).as("qemu-ga: reboot --mode agent: %s", reboot).isFalse();
            assertThat(reboot.err()).contains("child process has failed to shutdown");
            shutdown = verb(agent, domain, "shutdown", "--mode", "agent");
            assertThat(shutdown.ok()).as("qemu-ga: shutdown --mode agent: %s", shutdown).isFalse();
            assertThat(shutdown.err()).contains("child process has failed to shutdown");
        } else {
            // The devices domains restart on reboot (on_reboot): the same domain, a new boot.
            assertThat(reboot.ok()).as("somnus: reboot --mode agent: %s%s", reboot, log(domain)).isTrue();
            long rebooted = System.nanoTime();
            String bootAfter = awaitNewBoot(calls, bootId, domain);
            Timings.record(agent, "9-libvirt-acting", "virsh reboot --mode agent -> agent answers in the new boot", Duration.ofNanos(System.nanoTime() - rebooted));
            assertThat(bootAfter).isNotEqualTo(bootId);
            assertThat(libvirt.state(domain)).startsWith("running");
            shutdown = verb(agent, domain, "shutdown", "--mode", "agent");
            assertThat(shutdown.ok()).as("somnus: shutdown --mode agent: %s%s", shutdown, log(domain)).isTrue();
            awaitState(domain, "shut off (shutdown)");
        }
    }

    /** domtime prints "Time: <seconds since the epoch>": the guest's clock must be within 60 s of the host's. */
    private static String hostClockChecked(String out) {
        Matcher m = Pattern.compile("Time: (\\d+)").matcher(out);
        assertThat(m.find()).as("virsh domtime: %s", out).isTrue();
        long guest = Long.parseLong(m.group(1));
        assertThat(guest).as("the guest's clock (virsh domtime) against the host's").isCloseTo(Instant.now().getEpochSecond(), within(60L));
        return "Time: host's clock";
    }

    /** The guest's identity, and when (System.nanoTime) the agent first answered guest-ping. */
    private record Answered(GuestScenarios.Identity identity, long nanos) {
    }

    /**
     * Waits for the first guest-ping answer, then reads the identity. The time taken is that of the
     * first answer, for both agents alike: Somnus's wait for deploy/ to settle comes after it and is
     * not part of "agent answers" (as in the direct scenarios, which time the guest-sync answer).
     */
    private Answered awaitIdentity(String agent, String domain) throws Exception {
        AgentCalls calls = libvirt.agent(domain);
        long deadline = System.nanoTime() + AGENT_TIMEOUT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                AgentChannel.Reply ping = calls.call("guest-ping", null, Duration.ofSeconds(5));
                if (!ping.isError()) {
                    long answered = System.nanoTime();
                    if ("qemu-ga".equals(agent)) {
                        return new Answered(QemuGaGuestIT.identityOf(calls), answered);
                    }
                    // Somnus answers before fileinstall has started deploy/ (providers, boot-info).
                    SomnusGuestIT.awaitDeployed(calls);
                    return new Answered(SomnusGuestIT.identityOf(calls), answered);
                }
                last = new AssertionError(ping.errorDesc());
            } catch (AssertionError e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the agent did not answer through libvirt within " + AGENT_TIMEOUT.toSeconds()
                + " s; last: " + (last == null ? "-" : last.getMessage()) + log(domain));
    }

    private void awaitState(String domain, String expected) throws Exception {
        long deadline = System.nanoTime() + GuestScenarios.SLEEP_TIMEOUT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = libvirt.state(domain);
            if (state.equals(expected)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("domain " + domain + " is '" + state + "', not '" + expected + "'" + log(domain));
    }

    private String log(String domain) {
        try {
            Path console = Path.of(GuestImage.property("somnus.vm.runs")).resolve(domain + "-console.log");
            List<String> lines = Files.exists(console) ? Files.readAllLines(console) : List.of();
            return "\n--- domain log: " + libvirt.domainLog(domain) + "\n--- last console lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (Exception e) {
            return "\n--- no console log: " + e;
        }
    }

    /** Defines a domain like vm-recipe's libvirt section: the guest's kernel, two virtio disks, an agent channel. */
    private String define(GuestImage image, String scenario, boolean s4) throws Exception {
        return define(image, scenario, s4, false, List.of());
    }

    /**
     * As above; with {@code devices} also the read-only scenarios' hardware ({@link GuestDevices}: two
     * vCPUs, a NIC, ext4 disks on virtio-blk, virtio-scsi, SATA and NVMe) and its kernel parameter.
     */
    private String define(GuestImage image, String scenario, boolean s4, boolean devices, List<String> kernelWords) throws Exception {
        Path run = Guest.freshRunDir(image.agent(), scenario);
        GuestDevices hardware = devices ? GuestDevices.create(run) : null;
        List<String> words = new ArrayList<>(Guest.KERNEL_WORDS);
        words.addAll(kernelWords);
        if (devices) {
            words.add(GuestDevices.KERNEL_WORD);
        }
        String domain = "somnus-" + image.agent() + "-" + scenario;
        Path console = Path.of(GuestImage.property("somnus.vm.runs")).resolve(domain + "-console.log");
        Files.deleteIfExists(console);
        String xml = """
                <domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
                  <name>%s</name>
                  <memory unit='MiB'>512</memory>
                  <vcpu>%d</vcpu>
                  <os>
                    <type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%s</kernel>
                    <initrd>%s</initrd>
                    <cmdline>%s</cmdline>
                  </os>
                  <features><acpi/></features>
                  <cpu mode='maximum' check='none'/>
                  <pm>
                    <suspend-to-mem enabled='yes'/>
                    <suspend-to-disk enabled='%s'/>
                  </pm>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>%s</on_reboot>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='unsafe'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>%s
                      <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
                    </disk>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='raw' cache='unsafe'/>
                      <source file='%s'/>
                      <target dev='vdb' bus='virtio'/>
                      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
                    </disk>
                    <controller type='virtio-serial' index='0'>
                      <address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/>
                    </controller>
                    <serial type='file'>
                      <source path='%s'/>
                      <target port='0'/>
                    </serial>
                    <channel type='unix'>
                      <target type='virtio' name='org.qemu.guest_agent.0'/>
                    </channel>
                    <memballoon model='none'/>
                %s  </devices>
                %s</domain>
                """.formatted(domain, devices ? GuestDevices.CPUS : 1, image.kernel(), image.initramfs(), String.join(" ", words),
                s4 ? "yes" : "no", devices ? "restart" : "destroy", run.resolve("data.img"),
                devices ? "\n                      <serial>" + GuestDevices.VIRTIO_SERIAL + "</serial>" : "",
                run.resolve("swap.img"), console,
                devices ? hardware.libvirtDevices() : "", devices ? hardware.libvirtCommandLine() : "");
        Path file = run.resolve("domain.xml");
        Files.writeString(file, xml);
        libvirt.virsh(Duration.ofSeconds(30), "destroy", domain);
        libvirt.virsh(Duration.ofSeconds(30), "undefine", domain);
        Libvirt.Result defined = libvirt.virsh(Duration.ofSeconds(30), "define", file.toString());
        assertThat(defined.ok()).as("virsh define: %s", defined).isTrue();
        domains.add(domain);
        return domain;
    }
}
