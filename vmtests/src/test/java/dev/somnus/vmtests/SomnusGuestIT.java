package dev.somnus.vmtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The scenarios with the Somnus distribution (jlink'd runtime) as the guest agent. The suspend
 * providers and the test-support bundle arrive through fileinstall from deploy/, so the guest also
 * exercises hot deploy: a scenario starts only once those commands answer.
 */
class SomnusGuestIT extends GuestScenarios {

    static final String BOOT_INFO = "__dev.somnus.test_boot-info";
    static final String SUPPORT = "__dev.somnus_get-suspend-support";
    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(120);
    /** How long the deployed state must hold before a scenario starts (fileinstall polls every second). */
    static final Duration SETTLE = Duration.ofSeconds(5);
    /** The suspend provider bundles the distribution ships in deploy/. */
    static final String[] DEPLOYED_PROVIDERS = {"systemd", "pmutils", "sysfs"};

    @Override
    GuestImage buildImage() throws Exception {
        return GuestImage.somnus();
    }

    @Override
    Guest boot(String scenario, String... kernelParameters) throws Exception {
        Guest g = super.boot(scenario, kernelParameters);
        Timings.record(image.agent(), scenario, "agent answers -> deploy/ providers ready (last change)", awaitDeployed(g));
        return g;
    }

    /**
     * Waits until fileinstall has started the bundles of deploy/ and delivered conf/: boot-info
     * answers, every provider has probed every mode, and that has held for {@link #SETTLE}. The
     * agent answers guest-sync before that, and while fileinstall delivers the configurations the
     * suspend commands and providers re-register (seen here: the support query answering
     * CommandNotFound, providers missing for a moment). A suspend in that window is refused; these
     * scenarios are about what happens after. Each change seen while waiting goes to the test log.
     */
    private static Duration awaitDeployed(Guest g) throws Exception {
        try {
            return awaitDeployed(g.agent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + g.diagnostics(), e);
        }
    }

    /** Returns how long after the call the ready state began for good. */
    static Duration awaitDeployed(AgentCalls agent) throws Exception {
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        long start = System.nanoTime();
        long readySince = -1;
        String previous = null;
        AgentChannel.Reply last = null;
        while (System.nanoTime() < deadline) {
            AgentChannel.Reply info = agent.call(BOOT_INFO);
            last = agent.call(SUPPORT);
            boolean ready = !info.isError() && !last.isError() && allProvidersProbed(last.value());
            String state = describe(info, last);
            if (!state.equals(previous)) {
                System.out.printf("[vmtests] somnus +%.1f s after the first answer: %s%n",
                        (System.nanoTime() - start) / 1e9, state);
                previous = state;
            }
            if (!ready) {
                readySince = -1;
            } else if (readySince < 0) {
                readySince = System.nanoTime();
            } else if (System.nanoTime() - readySince >= SETTLE.toNanos()) {
                return Duration.ofNanos(readySince - start);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("deploy/ bundles did not come up and settle within " + DEPLOY_TIMEOUT.toSeconds()
                + " s; last " + SUPPORT + " reply: " + last);
    }

    /** One line: boot-info there or not, and per mode the providers and their reasons. */
    private static String describe(AgentChannel.Reply info, AgentChannel.Reply support) {
        StringBuilder text = new StringBuilder(BOOT_INFO).append(info.isError() ? " " + info.errorClass() : " ok");
        if (support.isError()) {
            return text.append("; ").append(SUPPORT).append(' ').append(support.errorClass()).toString();
        }
        for (JsonNode m : support.value().path("modes")) {
            text.append("; ").append(m.path("mode").asText()).append(':');
            for (JsonNode p : m.path("providers")) {
                text.append(' ').append(p.path("provider").asText()).append('=').append(p.path("reason").asText());
            }
        }
        return text.toString();
    }

    /** Every provider bundle of deploy/ has registered and probed every mode. */
    private static boolean allProvidersProbed(JsonNode support) {
        for (String id : new String[] {"disk", "ram", "hybrid"}) {
            for (String name : DEPLOYED_PROVIDERS) {
                JsonNode p = provider(mode(support, id), name);
                if (p == null || "not-probed".equals(p.path("reason").asText())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The support query's answer; fails with the agent's words if it answers an error. */
    static JsonNode support(AgentCalls agent) throws Exception {
        AgentChannel.Reply reply = agent.call(SUPPORT);
        assertThat(reply.isError()).as("%s: %s", SUPPORT, reply).isFalse();
        return reply.value();
    }

    /** The test-support bundle's boot-info: kernel boot id and the JVM's pid (its start time is not reported). */
    @Override
    Identity identity(AgentCalls agent) throws Exception {
        return identityOf(agent);
    }

    static Identity identityOf(AgentCalls agent) throws Exception {
        AgentChannel.Reply reply = agent.call(BOOT_INFO);
        assertThat(reply.isError()).as("%s: %s", BOOT_INFO, reply).isFalse();
        return new Identity(reply.value().path("boot-id").asText(), reply.value().path("pid").asLong(), "not reported");
    }

    /** Issue 6, scenario 1: DISK supported through the sysfs provider, preflight passing. */
    @Override
    void assertSuspendSupport(Guest guest, JsonNode guestInfo) throws Exception {
        assertThat(command(guestInfo, SUPPORT)).as("%s in guest-info", SUPPORT).isNotNull();
        assertThat(command(guestInfo, BOOT_INFO)).as("%s (hot-deployed from deploy/) in guest-info", BOOT_INFO).isNotNull();

        JsonNode support = support(guest.agent());
        JsonNode disk = mode(support, "disk");
        assertThat(disk).as("disk in %s", support).isNotNull();
        assertThat(disk.path("supported").asBoolean()).as("disk supported: %s", disk).isTrue();
        assertThat(disk.path("provider").asText()).as("the provider that would run: %s", disk).isEqualTo("sysfs");
        // No systemd and no pm-utils in this guest: those providers are there but say why not.
        assertThat(provider(disk, "systemd")).as("systemd provider listed").isNotNull();
        assertThat(provider(disk, "systemd").path("available").asBoolean()).isFalse();
        for (String check : new String[] {"swap", "resume", "lockdown"}) {
            JsonNode c = preflight(disk, check);
            assertThat(c).as("preflight check %s in %s", check, disk).isNotNull();
            assertThat(c.path("ok").asBoolean()).as("preflight %s passes: %s", check, c).isTrue();
        }
    }

    /**
     * Somnus's sysfs extension (qemu-ga has none): "suspend" to /sys/power/disk, "disk" to
     * /sys/power/state. The image is written, then the guest sleeps in RAM; the host sees the
     * hibernation signature while it sleeps, and after system_wakeup the kernel restores the swap
     * signature and the same agent answers. A second hybrid sleep then loses power: the next boot
     * resumes from the image written before that sleep.
     */
    @Override
    void assertHybrid(Guest guest, String scenario, Identity before) throws Exception {
        JsonNode hybrid = mode(support(guest.agent()), "hybrid");
        assertThat(hybrid.path("supported").asBoolean()).as("hybrid supported: %s", hybrid).isTrue();
        assertThat(hybrid.path("provider").asText()).isEqualTo("sysfs");

        long id = guest.agent().send("guest-suspend-hybrid", null);
        Qmp.Event suspend = guest.qmp().awaitEvent("SUSPEND", SLEEP_TIMEOUT);
        assertThat(suspend).as("QMP SUSPEND after guest-suspend-hybrid%s", guest.diagnostics()).isNotNull();
        assertThat(guest.qmp().eventLog()).as("a hybrid sleep stays in RAM").noneMatch(e -> e.startsWith("SUSPEND_DISK"));
        assertThat(guest.swapSignature()).as("the image is on the swap disk while the guest sleeps").isEqualTo("S1SUSPEND");

        wakeUp(guest, scenario);
        assertThat(guest.agent().anyReplyWithId(id)).as("a reply to guest-suspend-hybrid: %s", guest.agent().transcript()).isFalse();
        assertThat(identity(guest)).isEqualTo(before);
        assertThat(guest.swapSignature()).as("the swap signature is restored after waking from RAM").isEqualTo("SWAPSPACE2");

        // What hybrid is for: power lost during the sleep, the next boot resumes from the image.
        guest.agent().send("guest-suspend-hybrid", null);
        assertThat(guest.qmp().awaitEvent("SUSPEND", SLEEP_TIMEOUT)).as("QMP SUSPEND, second time%s", guest.diagnostics()).isNotNull();
        assertThat(guest.swapSignature()).isEqualTo("S1SUSPEND");
        guest.qmp().execute("quit");
        guest.awaitExit(SLEEP_TIMEOUT);
        startResumes(guest, scenario, "boot after power loss in hybrid sleep -> agent answers", before);
    }

    /** Issue 6, scenario 5: the query says why DISK cannot work although sysfs offers it. */
    @Override
    void assertNoSwapExplained(Guest guest) throws Exception {
        JsonNode disk = mode(support(guest.agent()), "disk");
        JsonNode swap = preflight(disk, "swap");
        assertThat(swap).as("swap preflight in %s", disk).isNotNull();
        assertThat(swap.path("ok").asBoolean()).isFalse();
        assertThat(swap.path("reason").asText()).isEqualTo("no-swap");
    }

    /** The error names the provider that failed and the missing swap. */
    @Override
    void assertNoSwapError(String desc) {
        assertThat(desc).contains("sysfs").containsIgnoringCase("swap");
    }

    static JsonNode mode(JsonNode support, String id) {
        for (JsonNode m : support.path("modes")) {
            if (id.equals(m.path("mode").asText())) {
                return m;
            }
        }
        return null;
    }

    static JsonNode provider(JsonNode mode, String name) {
        if (mode == null) {
            return null;
        }
        for (JsonNode p : mode.path("providers")) {
            if (name.equals(p.path("provider").asText())) {
                return p;
            }
        }
        return null;
    }

    static JsonNode preflight(JsonNode mode, String check) {
        for (JsonNode c : mode.path("preflight")) {
            if (check.equals(c.path("check").asText())) {
                return c;
            }
        }
        return null;
    }
}
