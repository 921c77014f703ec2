package dev.somnus.vmtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
 * Issues 12, 13 and 14 in the real guest, scenario 9: the commands that act on the guest, sent over
 * the agent channel to Somnus and to qemu-ga 7.2 in one boot of the image of scenario 7 (Somnus on
 * org.qemu.guest_agent.0, qemu-ga on .1). Everything acts inside the emulated guest: its clock, its
 * RTC, its vCPUs, its /etc/shadow and /root/.ssh, its ext4 data disks. Each test runs the same steps
 * with each agent in turn, checks what the guest then is (through the agent's own reading commands
 * or the other agent), and where the two agents answer the same request, that they answer alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActingCommandsIT {

    static final String SCENARIO = "9-acting";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECOND = 1_000_000_000L;

    private String unmet;
    /** The guest's /etc/localtime zone (Europe/Berlin), null if the host had no tzdata to give it. */
    private String zone;
    private Guest guest;
    private AgentChannel somnus;
    private AgentChannel qemuGa;

    @BeforeAll
    void bootBothAgents() throws Exception {
        GuestImage image;
        try {
            image = GuestImage.somnusWithDevices();
            zone = image.devicesTimeZone();
            guest = Guest.createWithDevices(image, SCENARIO, "somnus.agent1=qemu-ga").rebootingInPlace();
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

    private Map<String, AgentChannel> agents() {
        return Map.of("somnus", somnus, "qemu-ga", qemuGa);
    }

    /**
     * guest-set-time with a time sets the system clock and writes the RTC (hwclock -w: busybox has
     * hwclock as /sbin/hwclock, so Somnus's hwclock provider, rank 200, is the one that runs, as
     * qemu-ga's /sbin/hwclock); without one it sets the system clock from the RTC (hwclock -s). To
     * tell "read the RTC back" from "did nothing", the system clock alone is put back to the host's
     * time in between (busybox date -s through guest-exec): the call without a time must bring the
     * guest back to the day-old time the RTC holds. qemu-ga's hwclock -s then reads the RTC Somnus
     * wrote alike, which tells which Somnus provider wrote it. The clock is the host's again at the end.
     */
    @Test
    @Order(1)
    void setTimeMovesTheClockAndReadsTheRtcBack() throws Exception {
        for (String name : List.of("somnus", "qemu-ga")) {
            AgentChannel agent = agents().get(name);
            long dayAgo = (Instant.now().getEpochSecond() - 86_400) * SECOND;
            long set = System.nanoTime();
            ok(agent, "guest-set-time", args().put("time", dayAgo), name);
            assertThat(guestTime(agent)).as("%s: guest-get-time after guest-set-time a day back", name)
                    .isCloseTo(dayAgo, within(10 * SECOND));

            JsonNode date = exec(agent, "/bin/date", "-s", "@" + Instant.now().getEpochSecond());
            assertThat(date.path("exitcode").asInt()).as("%s: date -s in the guest: %s", name, date).isZero();
            assertThat(guestTime(agent) / SECOND).as("%s: the system clock alone back at the host's", name)
                    .isCloseTo(Instant.now().getEpochSecond(), within(10L));

            ok(agent, "guest-set-time", null, name);
            long expected = dayAgo + (System.nanoTime() - set);
            assertThat(guestTime(agent)).as("%s: guest-set-time without a time: the RTC's day-old time read back", name)
                    .isCloseTo(expected, within(10 * SECOND));

            if (agent == somnus && zone != null) {
                // Which of Somnus's providers wrote the RTC: BusyBox's hwclock keeps it in local time
                // (no /etc/adjtime), Somnus's RTC provider in UTC. qemu-ga's hwclock -s reads it back
                // the same only if Somnus wrote it with hwclock; the RTC provider's would be an hour
                // off in Europe/Berlin.
                exec(agent, "/bin/date", "-s", "@" + Instant.now().getEpochSecond());
                ok(qemuGa, "guest-set-time", null, "qemu-ga");
                assertThat(guestTime(agent)).as("qemu-ga's hwclock -s reads the RTC Somnus wrote: Somnus's hwclock provider ran")
                        .isCloseTo(dayAgo + (System.nanoTime() - set), within(10 * SECOND));
            }

            ok(agent, "guest-set-time", args().put("time", Instant.now().getEpochSecond() * SECOND), name);
            assertThat(guestTime(agent) / SECOND).as("%s: back at the host's time", name)
                    .isCloseTo(Instant.now().getEpochSecond(), within(10L));
        }
    }

    /**
     * guest-set-vcpus takes cpu1 offline and back (the guest has two, cpu0 cannot go offline): both
     * agents answer 1 (processed entries), and guest-get-vcpus, from the other agent, reads the result.
     */
    @Test
    @Order(2)
    void setVcpusTakesCpu1OfflineAndBack() throws Exception {
        for (String name : List.of("somnus", "qemu-ga")) {
            AgentChannel agent = agents().get(name);
            AgentChannel other = agent == somnus ? qemuGa : somnus;
            for (boolean online : new boolean[] {false, true}) {
                ObjectNode a = args();
                a.putArray("vcpus").addObject().put("logical-id", 1).put("online", online);
                JsonNode processed = ok(agent, "guest-set-vcpus", a, name);
                assertThat(processed.asLong()).as("%s: guest-set-vcpus online=%s", name, online).isEqualTo(1);
                JsonNode vcpus = ok(other, "guest-get-vcpus", null, "guest-get-vcpus");
                for (JsonNode cpu : vcpus) {
                    if (cpu.path("logical-id").asLong() == 1) {
                        assertThat(cpu.path("online").asBoolean()).as("cpu1 after %s's guest-set-vcpus: %s", name, vcpus).isEqualTo(online);
                    }
                }
            }
        }
    }

    /**
     * guest-set-user-password runs chpasswd in the guest (a stand-in made by build-image.sh: busybox
     * has no chpasswd): plain, the shadow entry is the SHA-512 hash of the password (checked by
     * hashing it again with its salt in the guest); crypted, the given hash itself. Then the ssh key
     * commands on root's ~/.ssh/authorized_keys: add with reset, get, remove, for both agents alike.
     */
    @Test
    @Order(3)
    void setUserPasswordAndAuthorizedKeys() throws Exception {
        ok(somnus, "guest-set-user-password", args().put("username", "root").put("crypted", false)
                .put("password", Base64.getEncoder().encodeToString("secret".getBytes(StandardCharsets.UTF_8))), "somnus");
        String hash = shadowHash(somnus);
        assertThat(hash).as("root's shadow entry after Somnus's plain password").startsWith("$6$");
        String salt = hash.split("\\$")[2];
        JsonNode again = exec(somnus, "/usr/bin/mkpasswd", "-m", "sha512", "secret", salt);
        assertThat(stdout(again).strip()).as("mkpasswd secret with the same salt").isEqualTo(hash);

        String crypted = "$6$somnusvm$" + "x".repeat(86);
        ok(qemuGa, "guest-set-user-password", args().put("username", "root").put("crypted", true)
                .put("password", Base64.getEncoder().encodeToString(crypted.getBytes(StandardCharsets.UTF_8))), "qemu-ga");
        assertThat(shadowHash(somnus)).as("root's shadow entry after qemu-ga's crypted password").isEqualTo(crypted);
        ok(somnus, "guest-set-user-password", args().put("username", "root").put("crypted", true)
                .put("password", Base64.getEncoder().encodeToString(hash.getBytes(StandardCharsets.UTF_8))), "somnus");
        assertThat(shadowHash(qemuGa)).as("root's shadow entry after Somnus's crypted password").isEqualTo(hash);

        AgentChannel.Reply unknownSomnus = somnus.call("guest-set-user-password", args().put("username", "nobody")
                .put("crypted", false).put("password", "c2VjcmV0"), TIMEOUT);
        AgentChannel.Reply unknownQemuGa = qemuGa.call("guest-set-user-password", args().put("username", "nobody")
                .put("crypted", false).put("password", "c2VjcmV0"), TIMEOUT);
        System.out.println("[vmtests] unknown user: Somnus " + unknownSomnus + " qemu-ga " + unknownQemuGa);
        assertThat(unknownSomnus.isError()).isTrue();
        assertThat(unknownSomnus.errorDesc()).as("chpasswd's failure for an unknown user").isEqualTo(unknownQemuGa.errorDesc());

        String k1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBm1Yq0jlQ0pSIgZbYo5Ttt5w1rDjk2n2pXb0NQbKmKq first@host";
        String k2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF7m6nTP4zGrHaK1y1mI3o6ZMTmX0aMfTAgq0YxJo9pX second@host";
        String afterAdd = null;
        for (String name : List.of("somnus", "qemu-ga")) {
            AgentChannel agent = agents().get(name);
            ObjectNode add = args().put("username", "root").put("reset", true);
            add.putArray("keys").add(k1).add(k2);
            ok(agent, "guest-ssh-add-authorized-keys", add, name);
            JsonNode keys = ok(agent, "guest-ssh-get-authorized-keys", args().put("username", "root"), name);
            assertThat(List.of(keys.path("keys").get(0).asText(), keys.path("keys").get(1).asText())).as("%s: keys after add with reset: %s", name, keys)
                    .containsExactlyInAnyOrder(k1, k2).hasSize(keys.path("keys").size());
            // One deliberate difference (README, credentials): the file Somnus writes ends in a newline,
            // qemu-ga's does not (a later "echo key >> authorized_keys" would glue two keys). The test pins it.
            String file = GuestFiles.read(somnus, "/root/.ssh/authorized_keys");
            assertThat(file).as("%s: authorized_keys after add with reset", name).isEqualTo(k1 + "\n" + k2 + (agent == somnus ? "\n" : ""));
            if (afterAdd == null) {
                afterAdd = keys.toString();
            } else {
                assertThat(keys.toString()).as("guest-ssh-get-authorized-keys after add with reset, qemu-ga against Somnus").isEqualTo(afterAdd);
            }
            ObjectNode remove = args().put("username", "root");
            remove.putArray("keys").add(k1);
            ok(agent, "guest-ssh-remove-authorized-keys", remove, name);
            JsonNode left = ok(agent == somnus ? qemuGa : somnus, "guest-ssh-get-authorized-keys", args().put("username", "root"), "get");
            assertThat(left.path("keys").toString()).as("keys after %s removed the first", name).isEqualTo(JSON.createArrayNode().add(k2).toString());
            assertThat(GuestFiles.read(somnus, "/root/.ssh/authorized_keys")).isEqualTo(k2 + (agent == somnus ? "\n" : ""));
        }
    }

    /**
     * Freeze on the guest's ext4 disks (/mnt/virtio remounted read-write for it; the other three
     * stay read-only, which the kernel freezes as a no-op). Freeze-all never touches / (the
     * initramfs's rootfs) or a tmpfs: both agents freeze only mounts whose source is a device path
     * (qemu-ga's build_fs_mount_list), the four ext4 ones, and both answer 4. While frozen: status
     * "frozen", a command outside the allow list refused with the same text, and a write into
     * /mnt/virtio started through the other agent (which is not frozen, so it may run guest-exec)
     * does not finish until thaw; the time it writes is after the thaw. Then guest-fstrim.
     */
    @Test
    @Order(4)
    void freezeBlocksWritesUntilThaw() throws Exception {
        JsonNode rw = exec(somnus, "/bin/mount", "-o", "remount,rw", "/mnt/virtio");
        assertThat(rw.path("exitcode").asInt()).as("remount /mnt/virtio rw: %s", rw).isZero();
        String refusedSomnus = null;
        String refusedQemuGa = null;
        for (String name : List.of("somnus", "qemu-ga")) {
            AgentChannel freezer = agents().get(name);
            AgentChannel other = freezer == somnus ? qemuGa : somnus;
            assertThat(ok(freezer, "guest-fsfreeze-status", null, name).asText()).isEqualTo("thawed");
            long frozenCount = ok(freezer, "guest-fsfreeze-freeze", null, name).asLong();
            assertThat(frozenCount).as("%s: guest-fsfreeze-freeze", name).isEqualTo(4);
            try {
                assertThat(ok(freezer, "guest-fsfreeze-status", null, name).asText()).isEqualTo("frozen");
                AgentChannel.Reply refused = freezer.call("guest-exec", execArgs("/bin/true"), TIMEOUT);
                System.out.println("[vmtests] " + name + " frozen, guest-exec: " + refused);
                assertThat(refused.isError()).as("%s: guest-exec while frozen", name).isTrue();
                if (freezer == somnus) {
                    refusedSomnus = refused.json().path("error").toString();
                } else {
                    refusedQemuGa = refused.json().path("error").toString();
                }
                String file = "/mnt/virtio/written-" + name;
                long started = guestTime(other);
                long pid = ok(other, "guest-exec", execArgs("/bin/sh", "-c", "date +%s > " + file + "; sync"), "guest-exec").path("pid").asLong();
                Thread.sleep(3000);
                JsonNode status = ok(other, "guest-exec-status", args().put("pid", pid), "guest-exec-status");
                assertThat(status.path("exited").asBoolean()).as("the write 3 s into the freeze by %s: %s", name, status).isFalse();
                // guest-get-time is not on qemu-ga's frozen allow list: the other agent reads the clock.
                long beforeThaw = guestTime(other);
                assertThat(ok(freezer, "guest-fsfreeze-thaw", null, name).asLong()).as("%s: guest-fsfreeze-thaw", name).isEqualTo(4);
                frozenCount = 0;
                assertThat(ok(freezer, "guest-fsfreeze-status", null, name).asText()).isEqualTo("thawed");
                JsonNode done = awaitExit(other, pid);
                assertThat(done.path("exitcode").asInt()).as("the write after thaw: %s", done).isZero();
                // busybox date has no %N: whole seconds. Started 3 s before the thaw, it ran after it.
                long written = Long.parseLong(GuestFiles.read(other, file).strip());
                assertThat(written).as("when the write ran (guest clock): started at %d, thawed at %d", started / SECOND, beforeThaw / SECOND)
                        .isGreaterThanOrEqualTo(beforeThaw / SECOND).isGreaterThanOrEqualTo(started / SECOND + 2);
            } finally {
                if (frozenCount != 0) {
                    freezer.call("guest-fsfreeze-thaw", null, TIMEOUT);
                }
            }
        }
        assertThat(refusedSomnus).as("the refusal while frozen, Somnus against qemu-ga").isEqualTo(refusedQemuGa);

        JsonNode trimSomnus = ok(somnus, "guest-fstrim", null, "somnus");
        JsonNode trimQemuGa = ok(qemuGa, "guest-fstrim", null, "qemu-ga");
        System.out.println("[vmtests] guest-fstrim Somnus:  " + trimSomnus);
        System.out.println("[vmtests] guest-fstrim qemu-ga: " + trimQemuGa);
        assertThat(trimSomnus.path("paths").findValuesAsText("path")).containsExactlyInAnyOrderElementsOf(
                trimQemuGa.path("paths").findValuesAsText("path"));
        assertThat(trimSomnus.path("paths").findValuesAsText("path")).contains("/mnt/virtio");
        for (JsonNode p : trimSomnus.path("paths")) {
            JsonNode theirs = null;
            for (JsonNode q : trimQemuGa.path("paths")) {
                if (q.path("path").equals(p.path("path"))) {
                    theirs = q;
                }
            }
            assertThat(p.has("error")).as("fstrim %s: Somnus %s, qemu-ga %s", p.path("path"), p, theirs).isEqualTo(theirs.has("error"));
            if (p.has("error")) {
                assertThat(p.path("error").asText()).isEqualTo(theirs.path("error").asText());
            }
        }
    }

    /**
     * guest-shutdown's three modes, last, as they end boots. qemu-ga 7.2 runs /sbin/shutdown, which
     * this BusyBox guest lacks: each mode answers an error and the guest keeps running. Somnus's
     * BusyBox provider runs /sbin/poweroff, /sbin/halt or /sbin/reboot, which signal PID 1 (guest/init
     * answers as BusyBox's init). None of them replies on success.
     */
    @Test
    @Order(5)
    void qemuGaFindsNoShutdownProgram() throws Exception {
        for (String mode : List.of("powerdown", "halt", "reboot")) {
            AgentChannel.Reply theirs = qemuGa.call("guest-shutdown", args().put("mode", mode), TIMEOUT);
            System.out.println("[vmtests] qemu-ga 7.2 guest-shutdown " + mode + ": " + theirs);
            assertThat(theirs.isError()).as("qemu-ga 7.2 has no /sbin/shutdown here: %s", theirs).isTrue();
            assertThat(theirs.errorDesc()).isEqualTo("child process has failed to shutdown");
        }
        assertThat(guest.isRunning()).isTrue();
        assertThat(somnus.call("guest-ping").isError()).isFalse();
    }

    /** reboot: QMP RESET (guest-initiated), the same QEMU, the guest back with a new boot id. */
    @Test
    @Order(6)
    void rebootComesBackWithANewBoot() throws Exception {
        String before = GuestFiles.read(somnus, "/run/boot-id").strip();
        long asked = System.nanoTime();
        somnus.send("guest-shutdown", args().put("mode", "reboot"));
        Qmp.Event reset = guest.qmp().awaitEvent("RESET", Duration.ofSeconds(60));
        assertThat(reset).as("QMP RESET after guest-shutdown reboot%s", guest.diagnostics()).isNotNull();
        System.out.println("[vmtests] QMP " + reset);
        assertThat(reset.data().path("guest").asBoolean()).as("RESET initiated by the guest: %s", reset).isTrue();
        assertThat(somnus.sync(Guest.AGENT_TIMEOUT)).as("Somnus answers after the reboot%s", guest.diagnostics()).isTrue();
        Timings.record("somnus", SCENARIO, "guest-shutdown reboot -> agent answers again", Duration.ofNanos(System.nanoTime() - asked));
        assertThat(guest.isRunning()).as("the same QEMU process").isTrue();
        SomnusGuestIT.awaitDeployed(somnus);
        assertThat(GuestFiles.read(somnus, "/run/boot-id").strip()).as("the boot id after reboot").isNotEqualTo(before).isNotEmpty();
    }

    /**
     * halt: the guest stops (the agent no longer answers, QEMU keeps running with no SHUTDOWN event:
     * a halted machine is not powered off); QMP system_reset then boots it again for the last test.
     */
    @Test
    @Order(7)
    void haltStopsTheGuest() throws Exception {
        somnus.send("guest-shutdown", args().put("mode", "halt"));
        // The agent may answer for a moment after its helper signalled init: wait until it is silent,
        // then it must stay so.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (somnus.sync(Duration.ofSeconds(3))) {
            assertThat(System.nanoTime()).as("Somnus still answers 60 s after halt").isLessThan(deadline);
            Thread.sleep(1000);
        }
        assertThat(somnus.sync(Duration.ofSeconds(10))).as("Somnus answers again after halt").isFalse();
        assertThat(guest.isRunning()).as("QEMU after a halt").isTrue();
        assertThat(guest.qmp().eventLog().toString()).as("no SHUTDOWN after halt").doesNotContain("SHUTDOWN");
        String console = java.nio.file.Files.readString(guest.console(1), StandardCharsets.ISO_8859_1);
        assertThat(console).as("the guest's console").contains("reboot: System halted");

        guest.qmp().execute("system_reset");
        assertThat(somnus.sync(Guest.AGENT_TIMEOUT)).as("Somnus answers after system_reset%s", guest.diagnostics()).isTrue();
        SomnusGuestIT.awaitDeployed(somnus);
    }

    /** powerdown: no reply, QMP SHUTDOWN initiated by the guest, QEMU exits 0. */
    @Test
    @Order(8)
    void powerdownEndsQemu() throws Exception {
        long asked = System.nanoTime();
        somnus.send("guest-shutdown", args().put("mode", "powerdown"));
        Qmp.Event shutdown = guest.qmp().awaitEvent("SHUTDOWN", Duration.ofSeconds(60));
        Timings.record("somnus", SCENARIO, "guest-shutdown powerdown -> QMP SHUTDOWN", Duration.ofNanos(System.nanoTime() - asked));
        assertThat(shutdown).as("QMP SHUTDOWN after guest-shutdown powerdown%s", guest.diagnostics()).isNotNull();
        System.out.println("[vmtests] QMP " + shutdown);
        assertThat(shutdown.data().path("guest").asBoolean()).as("SHUTDOWN initiated by the guest: %s", shutdown).isTrue();
        assertThat(shutdown.data().path("reason").asText()).isEqualTo("guest-shutdown");
        assertThat(guest.awaitExit(Duration.ofSeconds(60))).as("QEMU's exit status").isZero();
    }

    private String shadowHash(AgentChannel agent) throws Exception {
        for (String line : GuestFiles.read(agent, "/etc/shadow").split("\n")) {
            if (line.startsWith("root:")) {
                return line.split(":", -1)[1];
            }
        }
        throw new AssertionError("no root in the guest's /etc/shadow");
    }

    private static ObjectNode args() {
        return JSON.createObjectNode();
    }

    private static ObjectNode execArgs(String path, String... arguments) {
        ObjectNode a = args().put("path", path).put("capture-output", true);
        ArrayNode arg = a.putArray("arg");
        for (String s : arguments) {
            arg.add(s);
        }
        return a;
    }

    /** guest-exec in the guest and its status once it exited (output captured). */
    private static JsonNode exec(AgentChannel agent, String path, String... arguments) throws Exception {
        long pid = ok(agent, "guest-exec", execArgs(path, arguments), "guest-exec " + path).path("pid").asLong();
        return awaitExit(agent, pid);
    }

    private static JsonNode awaitExit(AgentChannel agent, long pid) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = ok(agent, "guest-exec-status", args().put("pid", pid), "guest-exec-status");
            if (status.path("exited").asBoolean()) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("guest-exec pid " + pid + " did not exit within " + TIMEOUT.toSeconds() + " s");
    }

    private static String stdout(JsonNode status) {
        return new String(Base64.getDecoder().decode(status.path("out-data").asText()), StandardCharsets.UTF_8);
    }

    private static long guestTime(AgentChannel agent) throws Exception {
        return ok(agent, "guest-get-time", null, "guest-get-time").asLong();
    }

    private static JsonNode ok(AgentChannel agent, String command, ObjectNode arguments, String who) throws Exception {
        AgentChannel.Reply reply = agent.call(command, arguments, TIMEOUT);
        System.out.println("[vmtests] " + who + ": " + command + (arguments == null ? "" : " " + arguments) + " -> " + reply.json());
        assertThat(reply.isError()).as("%s: %s answers an error: %s", who, command, reply).isFalse();
        return reply.value();
    }
}
