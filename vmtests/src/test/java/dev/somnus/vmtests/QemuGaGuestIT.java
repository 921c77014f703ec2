package dev.somnus.vmtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The scenarios with Debian's qemu-ga 7.2 as the guest agent: the reference the Somnus run is
 * compared with, and the proof that the guest image, QEMU and the host-side clients work.
 */
class QemuGaGuestIT extends GuestScenarios {

    @Override
    GuestImage buildImage() throws Exception {
        return GuestImage.qemuGa();
    }

    /**
     * The boot id from the kernel, the agent's pid and start time (in clock ticks since boot) from
     * /proc/self/stat, which qemu-ga itself opens, so "self" is the agent.
     */
    @Override
    Identity identity(AgentCalls agent) throws Exception {
        return identityOf(agent);
    }

    static Identity identityOf(AgentCalls agent) throws Exception {
        String bootId = GuestFiles.read(agent, "/proc/sys/kernel/random/boot_id").strip();
        String stat = GuestFiles.read(agent, "/proc/self/stat");
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long pid = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        // Field 22 (starttime) is the 20th after the name, which ends field 2.
        return new Identity(bootId, pid, afterName[19]);
    }

    @Override
    void assertSuspendSupport(Guest guest, JsonNode guestInfo) {
        // qemu-ga has no query: guest-info only says the commands exist and are enabled (field.md 1.1).
        for (String name : new String[] {"guest-suspend-ram", "guest-suspend-hybrid"}) {
            JsonNode c = command(guestInfo, name);
            assertThat(c).as(name).isNotNull();
            assertThat(c.path("enabled").asBoolean()).as(name + " enabled").isTrue();
        }
    }

    /**
     * qga-reference §4.3: without systemd and pm-utils, hybrid has no sysfs path in qemu-ga, so no
     * stage says "supported" and the reply is the generic refusal; nothing sleeps.
     */
    @Override
    void assertHybrid(Guest guest, String scenario, Identity before) throws Exception {
        AgentChannel.Reply reply = guest.agent().call("guest-suspend-hybrid", null, Duration.ofSeconds(60));
        assertThat(reply.isError()).as("qemu-ga refuses hybrid here: %s", reply).isTrue();
        assertThat(reply.errorDesc()).isEqualTo("the requested suspend mode is not supported by the guest");
        assertThat(guest.qmp().eventLog()).noneMatch(e -> e.startsWith("SUSPEND"));
        assertThat(identity(guest)).isEqualTo(before);
    }

    @Override
    void assertNoSwapExplained(Guest guest) {
        // qemu-ga cannot tell: /sys/power/state offers "disk" whether or not there is swap.
    }

    /** qga-reference §4.3, sysfs stage: the kernel refuses, the writing child exits 1. */
    @Override
    void assertNoSwapError(String desc) {
        assertThat(desc).isEqualTo("child process has failed to suspend");
    }
}
