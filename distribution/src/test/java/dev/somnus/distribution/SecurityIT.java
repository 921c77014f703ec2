package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's security promises, shown on the built distribution run as a process (see
 * {@link AgentUnderTest#dryRun}: --dry-run, every helper a fake that records its calls).
 */
class SecurityIT {

    private static final String DISABLED_DISK = "{\"error\": {\"class\": \"CommandNotFound\", "
            + "\"desc\": \"Command guest-suspend-disk has been disabled\"}}";

    @TempDir
    Path tmp;

    /**
     * Gating comes before any provider: a blocked guest-suspend-disk and a blocked extension run no
     * helper at all, while the same request unblocked does run one (the probe, staleAfterSeconds=0).
     */
    @Test
    void aBlockedSuspendRunsNoHelperAtAll() throws Exception {
        try (AgentUnderTest agent = AgentUnderTest.dryRun(tmp)) {
            agent.start("-b", "guest-suspend-disk,__dev.somnus_get-suspend-support").awaitDryRunOnTheGuest();
            // the control: an allowed suspend request probes through the fake before its dry-run answer
            agent.guest.forgetCalls();
            assertThat(agent.request("{\"execute\":\"guest-suspend-ram\"}")).contains("dry run: guest-suspend-ram");
            assertThat(agent.guest.calls()).containsExactly("systemctl status systemd-suspend");
            agent.guest.forgetCalls();

            assertThat(agent.request("{\"execute\":\"guest-suspend-disk\"}")).isEqualTo(DISABLED_DISK);
            assertThat(agent.request("{\"execute\":\"__dev.somnus_get-suspend-support\"}")).isEqualTo(
                    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                    + "\"Command __dev.somnus_get-suspend-support has been disabled\"}}");
            // a request served after them: whatever they had started would be in the record by now
            assertThat(agent.request("{\"execute\":\"guest-ping\"}")).isEqualTo("{\"return\": {}}");

            assertThat(agent.guest.calls()).isEmpty();
            // the Log service delivers its entries on its own thread
            String peer = AgentUnderTest.thisPeer();
            agent.await("the audit line", () -> agent.log().contains("disk from " + peer + " refused"));
            assertThat(agent.log()).contains(": message: audit: guest-suspend-disk requested by " + peer + "\n")
                    .contains(": message: audit: guest-suspend-disk from " + peer
                            + " refused: Command guest-suspend-disk has been disabled\n");
            assertThat(agent.stop()).isZero();
        }
    }

    /** -a works the same way: what is not allowed is never run. */
    @Test
    void anAllowListWithoutTheSuspendCommandsRunsNoHelper() throws Exception {
        try (AgentUnderTest agent = AgentUnderTest.dryRun(tmp)) {
            // guest-suspend-ram stays allowed: it is the control that shows the fakes in force
            agent.start("-a", "guest-ping,guest-sync,guest-suspend-ram").awaitDryRunOnTheGuest();
            agent.guest.forgetCalls();

            assertThat(agent.request("{\"execute\":\"guest-suspend-disk\"}")).isEqualTo(
                    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                    + "\"Command guest-suspend-disk has been disabled: the command is not allowed\"}}");
            assertThat(agent.request("{\"execute\":\"__dev.somnus_get-suspend-support\"}")).isEqualTo(
                    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                    + "\"Command __dev.somnus_get-suspend-support has been disabled: the command is not allowed\"}}");
            assertThat(agent.request("{\"execute\":\"guest-ping\"}")).isEqualTo("{\"return\": {}}");

            assertThat(agent.guest.calls()).isEmpty();
            assertThat(agent.stop()).isZero();
        }
    }

    /** Hot deploy must not become code execution as root: a deploy/ others can write is not loaded. */
    @Test
    void aDeployFolderOthersCanWriteIsNotLoaded() throws Exception {
        try (AgentUnderTest agent = AgentUnderTest.dryRun(tmp)) {
            Path deploy = agent.home.resolve("deploy");
            Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxrwx"));

            agent.start().awaitSocket();
            // the channel is up before fileinstall has looked at anything; give it the time it would need
            Thread.sleep(3000);

            assertThat(agent.request("{\"execute\":\"__dev.somnus_get-suspend-support\"}"))
                    .doesNotContain("\"provider\": \"systemd\"");
            // the suspend commands are a family bundle in deploy/ like the providers: not loaded either
            assertThat(agent.request("{\"execute\":\"guest-suspend-ram\"}")).contains(
                    "The command guest-suspend-ram has not been found");
            assertThat(agent.guest.calls()).isEmpty();
            assertThat(agent.log()).contains(": error: refusing to load bundles or configuration from " + deploy
                    + ": it is writable by group and others;");
            assertThat(agent.stop()).isZero();
        }
    }

    /** conf/ owned by another user is not read: its reaper and provider settings never arrive. */
    @Test
    void aConfFolderOfAnotherUserIsNotRead() throws Exception {
        try (AgentUnderTest agent = AgentUnderTest.dryRun(tmp)) {
            Path conf = agent.home.resolve("conf");
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            int other = uid == 0 ? 4242 : uid + 1;
            Files.setAttribute(conf, "unix:uid", other);

            agent.start().awaitSocket();

            assertThat(agent.log()).contains(": error: refusing to load bundles or configuration from " + conf
                    + ": it is owned by uid " + other + ", not by the agent's user (uid " + uid + ") or root;");
            assertThat(agent.request("{\"execute\":\"guest-ping\"}")).isEqualTo("{\"return\": {}}");
            assertThat(agent.stop()).isZero();
        }
    }

    /**
     * A deploy/ that becomes writable while the agent runs: fileinstall is stopped, and a provider
     * dropped in afterwards is never loaded.
     */
    @Test
    void aDeployFolderThatBecomesWritableStopsHotDeploy() throws Exception {
        try (AgentUnderTest agent = AgentUnderTest.dryRun(tmp)) {
            Path deploy = agent.home.resolve("deploy");
            Path systemd = deploy.resolve("somnus-suspend-systemd.jar");
            Path aside = Files.move(systemd, tmp.resolve("somnus-suspend-systemd.jar"));
            agent.start().awaitSocket();

            Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxr-x"));
            agent.await("the guard's error", () -> agent.log().contains("(fileinstall stopped until the agent restarts)"));
            Files.copy(aside, systemd);
            Thread.sleep(11_000); // two of fileinstall's polls (every 5 s), had it still been polling

            assertThat(agent.request("{\"execute\":\"__dev.somnus_get-suspend-support\"}"))
                    .doesNotContain("\"provider\": \"systemd\"");
            assertThat(agent.log()).contains(": error: no longer loading bundles or configuration from any folder"
                    + " (fileinstall stopped until the agent restarts): " + deploy + ": it is writable by group;");
            assertThat(agent.guest.calls()).isEmpty();
            assertThat(agent.stop()).isZero();
        }
    }

    /** The unix socket is the agent's own (qemu-ga leaves it to the umask). */
    @Test
    void theUnixSocketIsOwnerOnly() throws Exception {
        try (AgentUnderTest agent = AgentUnderTest.dryRun(tmp)) {
            agent.start().awaitSocket();

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.socket))).isEqualTo("rw-------");
            assertThat(agent.stop()).isZero();
        }
    }
}
