package dev.somnus.vmtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
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
 * The scenarios of issue 6, run against one guest agent inside a real emulated guest. Each asserts
 * what a host sees: QMP events, QEMU's exit, the hibernation signature on the swap disk, and the same
 * boot id and agent process answering after a resume. Subclasses say which agent the image carries
 * and what that agent answers where qemu-ga and Somnus deliberately differ.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class GuestScenarios {

    static final Duration SLEEP_TIMEOUT = Duration.ofSeconds(120);

    /** Who answers in the guest: the kernel's boot id and the agent's process. */
    record Identity(String bootId, long pid, String processStart) {
    }

    GuestImage image;
    /** Why this host cannot run the guests, if it cannot. */
    private String unmet;
    private final List<Guest> guests = new ArrayList<>();

    abstract GuestImage buildImage() throws Exception;

    /** Asks the agent which boot and which process it is. */
    abstract Identity identity(AgentCalls agent) throws Exception;

    Identity identity(Guest guest) throws Exception {
        return identity(guest.agent());
    }

    /**
     * Builds the image once per class. Where the host cannot, every test is then reported skipped
     * with the reason (an abort in @BeforeAll alone would show as zero tests run, i.e. silence).
     */
    @BeforeAll
    void buildGuestImage() throws Exception {
        try {
            image = buildImage();
        } catch (TestAbortedException e) {
            unmet = e.getMessage();
        }
    }

    @BeforeEach
    void requireImage() {
        Assumptions.assumeTrue(unmet == null, () -> unmet);
    }

    @AfterEach
    void stopGuests() throws Exception {
        for (Guest g : guests) {
            g.close();
        }
        guests.clear();
    }

    Guest guest(String scenario, String... kernelParameters) throws Exception {
        Guest g = Guest.create(image, scenario, kernelParameters);
        guests.add(g);
        return g;
    }

    /** Starts the guest and waits until the agent answers guest-sync-delimited; records the time. */
    Guest boot(String scenario, String... kernelParameters) throws Exception {
        Guest g = guest(scenario, kernelParameters);
        g.start();
        Timings.record(image.agent(), scenario, "QEMU start -> agent answers", g.awaitAgent());
        return g;
    }

    // --- 1 -----------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void bootsAndAnswersLikeQemuGa() throws Exception {
        Guest g = boot("1-boot");

        AgentChannel.Reply ping = g.agent().call("guest-ping");
        assertThat(ping.isError()).as("guest-ping: %s", ping).isFalse();
        assertThat(ping.value().isObject() && ping.value().isEmpty()).as("guest-ping returns {}: %s", ping).isTrue();

        AgentChannel.Reply info = g.agent().call("guest-info");
        assertThat(info.isError()).as("guest-info: %s", info).isFalse();
        assertThat(info.value().path("version").asText()).isEqualTo("7.2.22");
        JsonNode disk = command(info.value(), "guest-suspend-disk");
        assertThat(disk).as("guest-suspend-disk in guest-info").isNotNull();
        assertThat(disk.path("enabled").asBoolean()).isTrue();
        // qga-reference §1.6: the suspend commands answer nothing on success.
        assertThat(disk.path("success-response").asBoolean(true)).isFalse();

        assertSuspendSupport(g, info.value());
    }

    /** Scenario 1's agent-specific part: what the agent says about its ability to suspend. */
    abstract void assertSuspendSupport(Guest guest, JsonNode guestInfo) throws Exception;

    static JsonNode command(JsonNode guestInfo, String name) {
        for (JsonNode c : guestInfo.path("supported_commands")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return null;
    }

    // --- 2 -----------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void hibernatesToTheSwapDiskAndResumesTwice() throws Exception {
        String scenario = "2-hibernate";
        Guest g = boot(scenario);
        Identity before = identity(g);

        for (int round = 1; round <= 2; round++) {
            assertThat(g.swapSignature()).as("swap header before hibernation %d", round).isEqualTo("SWAPSPACE2");

            long started = System.nanoTime();
            long id = g.agent().send("guest-suspend-disk", null);
            Qmp.Event suspend = g.qmp().awaitEvent("SUSPEND_DISK", SLEEP_TIMEOUT);
            assertThat(suspend).as("QMP SUSPEND_DISK after guest-suspend-disk (round %d)%s", round, g.diagnostics()).isNotNull();
            Qmp.Event shutdown = g.qmp().awaitEvent("SHUTDOWN", SLEEP_TIMEOUT);
            assertThat(shutdown).as("QMP SHUTDOWN after SUSPEND_DISK (round %d)%s", round, g.diagnostics()).isNotNull();
            assertThat(shutdown.data().path("guest").asBoolean()).as("the guest powered itself off").isTrue();
            int status = g.awaitExit(SLEEP_TIMEOUT);
            Timings.record(image.agent(), scenario, "guest-suspend-disk -> QEMU exits", Duration.ofNanos(System.nanoTime() - started));
            assertThat(status).as("QEMU's exit status").isZero();
            assertThat(g.agent().anyReplyWithId(id)).as("a reply to guest-suspend-disk (§1.6: none on success): %s",
                    g.agent().transcript()).isFalse();
            assertThat(g.swapSignature()).as("the swap disk holds a hibernation image").isEqualTo("S1SUSPEND");

            startResumes(g, scenario, "resume boot -> agent answers", before);
        }
    }

    /**
     * Starts QEMU again on the disks of a guest that hibernated: the old guest must come back (same
     * boot id, same agent process; a failed resume silently boots afresh, vm-recipe trap 4), and
     * the kernel restores the swap signature.
     */
    void startResumes(Guest g, String scenario, String phase, Identity before) throws Exception {
        g.start();
        Timings.record(image.agent(), scenario, phase, g.awaitAgent());
        Identity after = identity(g);
        assertThat(after.bootId()).as("boot id after resume (a different one means a fresh boot)%s", g.diagnostics())
                .isEqualTo(before.bootId());
        assertThat(after.pid()).as("agent pid after resume").isEqualTo(before.pid());
        assertThat(after.processStart()).as("agent process start after resume").isEqualTo(before.processStart());
        assertThat(g.swapSignature()).as("swap header after resume").isEqualTo("SWAPSPACE2");
    }

    // --- 3 -----------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void suspendsToRamAndWakesUp() throws Exception {
        String scenario = "3-ram";
        Guest g = boot(scenario);
        Identity before = identity(g);
        // The schema's advice (field.md 1.1): without wakeup support the guest would never come back.
        assertThat(g.qmp().execute("query-current-machine").path("wakeup-suspend-support").asBoolean())
                .as("QMP query-current-machine wakeup-suspend-support").isTrue();

        long id = g.agent().send("guest-suspend-ram", null);
        Qmp.Event suspend = g.qmp().awaitEvent("SUSPEND", SLEEP_TIMEOUT);
        assertThat(suspend).as("QMP SUSPEND after guest-suspend-ram%s", g.diagnostics()).isNotNull();
        assertThat(g.qmp().execute("query-status").path("status").asText()).isEqualTo("suspended");

        wakeUp(g, scenario);
        assertThat(g.agent().anyReplyWithId(id)).as("a reply to guest-suspend-ram (none on success): %s",
                g.agent().transcript()).isFalse();
        assertThat(identity(g)).as("the same agent answers after wake-up").isEqualTo(before);
    }

    /** system_wakeup, the WAKEUP event, and the agent answering again. */
    void wakeUp(Guest g, String scenario) throws Exception {
        long woken = System.nanoTime();
        g.qmp().execute("system_wakeup");
        assertThat(g.qmp().awaitEvent("WAKEUP", SLEEP_TIMEOUT)).as("QMP WAKEUP after system_wakeup%s", g.diagnostics()).isNotNull();
        if (!g.agent().sync(Guest.AGENT_TIMEOUT)) {
            throw new AssertionError("the agent did not answer after system_wakeup" + g.diagnostics());
        }
        Timings.record(image.agent(), scenario, "system_wakeup -> agent answers", Duration.ofNanos(System.nanoTime() - woken));
        assertThat(g.qmp().execute("query-status").path("status").asText()).isEqualTo("running");
    }

    // --- 4 -----------------------------------------------------------------------------------------

    @Test
    @Order(4)
    void suspendsHybrid() throws Exception {
        String scenario = "4-hybrid";
        Guest g = boot(scenario);
        assertHybrid(g, scenario, identity(g));
    }

    /** Scenario 4: qemu-ga has no way to do hybrid without systemd or pm-utils; Somnus's sysfs extension does. */
    abstract void assertHybrid(Guest guest, String scenario, Identity before) throws Exception;

    // --- 5 -----------------------------------------------------------------------------------------

    @Test
    @Order(5)
    void refusesToHibernateWithoutSwapAndKeepsRunning() throws Exception {
        Guest g = boot("5-no-swap", "somnus.noswap");
        Identity before = identity(g);
        assertNoSwapExplained(g);

        AgentChannel.Reply reply = g.agent().call("guest-suspend-disk", null, SLEEP_TIMEOUT);
        assertThat(reply.isError()).as("guest-suspend-disk without swap must answer an error: %s", reply).isTrue();
        System.out.println("[vmtests] " + image.agent() + ": guest-suspend-disk without swap answers " + reply);
        assertThat(reply.errorClass()).isEqualTo("GenericError");
        assertNoSwapError(reply.errorDesc());

        assertThat(g.qmp().eventLog()).as("QMP events").noneMatch(e -> e.startsWith("SUSPEND_DISK") || e.startsWith("SHUTDOWN"));
        assertThat(g.isRunning()).as("QEMU still runs").isTrue();
        assertThat(g.agent().call("guest-ping").isError()).isFalse();
        assertThat(identity(g)).as("the same agent keeps answering").isEqualTo(before);
    }

    /** Scenario 5, before the attempt: what the agent says about DISK in a guest without swap. */
    abstract void assertNoSwapExplained(Guest guest) throws Exception;

    /** Scenario 5: the error text of guest-suspend-disk in a guest without swap. */
    abstract void assertNoSwapError(String desc);
}
