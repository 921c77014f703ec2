package dev.somnus.distribution;

import static dev.somnus.distribution.AgentUnderTest.finish;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution (target/somnus-ga) run as a user runs it: bin/somnus-ga as a
 * process on a temporary unix socket and state dir, talked to with bin/somnus-gactl, stopped with
 * SIGTERM. Every agent here runs with --dry-run from a copy whose providers point at a fake guest
 * ({@link AgentUnderTest}), so no test can suspend this machine.
 */
class AgentProcessIT {

    @TempDir
    Path tmp;

    private AgentUnderTest agent;

    @BeforeEach
    void copyTheDistribution() throws IOException {
        agent = AgentUnderTest.dryRun(tmp);
    }

    @AfterEach
    void stopLeftovers() throws InterruptedException {
        agent.close();
    }

    /** Runs bin/somnus-ga with exactly these arguments; output in somnus-ga.out and somnus-ga.err. */
    private Process somnusGa(String... args) throws IOException {
        return agent.run("somnus-ga", "somnus-ga", args);
    }

    private String stdout(String label) {
        return agent.stdout(label);
    }

    private String stderr(String label) {
        return agent.stderr(label);
    }

    private static String readOrEmpty(Path file) {
        return AgentUnderTest.readOrEmpty(file);
    }

    @Test
    void startsWritesItsPidfileAndStopsCleanlyOnSigterm() throws Exception {
        agent.start("-v").awaitPidFile();
        agent.await("framework started", () -> readOrEmpty(agent.logFile).contains(": info: Somnus guest agent "));

        assertThat(agent.stop()).as("exit status; log: %s", agent.log()).isZero();

        assertThat(agent.pidFile).doesNotExist();
        assertThat(stdout("agent")).isEmpty();
        assertThat(stderr("agent")).isEmpty();
        assertThat(readOrEmpty(agent.logFile)).contains(": info: received SIGTERM, stopping\n")
                .endsWith(": info: Somnus guest agent stopped\n");
        assertThat(agent.stateDir.resolve("somnus-ga/cache")).isDirectory();
    }

    /** The handlers are in place before the pidfile exists: a SIGTERM then waits for the start. */
    @Test
    void aSigtermDuringStartUpStillStopsCleanly() throws Exception {
        agent.start().awaitPidFile();

        assertThat(agent.stop()).as("exit status; log: %s", agent.log()).isZero();
        assertThat(agent.pidFile).doesNotExist();
    }

    @Test
    void answersGuestPingThroughSomnusGactl() throws Exception {
        agent.start().awaitSocket();

        assertThat(agent.gactl("ping", "guest-ping")).as("stderr: %s", stderr("ping")).isZero();

        assertThat(stdout("ping")).isEqualTo("{\"return\": {}}\n");
        assertThat(agent.stop()).isZero();
    }

    /**
     * --dry-run must hold from the first request on, not only once fileinstall has read conf/:
     * asked only through the support query, never through a guest-suspend-* command.
     */
    @Test
    void dryRunHoldsForTheSuspendCommandsFromTheStart() throws Exception {
        agent.start().awaitSocket();
        assertThat(agent.gactl("info", "guest-info")).isZero();
        assertThat(stdout("info")).as("the suspend commands are listed").contains("\"__dev.somnus_get-suspend-support\"");

        assertThat(agent.gactl("support", "__dev.somnus_get-suspend-support")).isZero();

        assertThat(stdout("support")).contains("\"commands-dry-run\": true");
        assertThat(agent.stop()).isZero();
    }

    /**
     * deploy/ is hot: deleting a provider's jar takes that provider away while the agent runs.
     * Every provider is enabled here (on the fake guest), the agent still runs with --dry-run.
     */
    @Test
    void deletingAProviderFromDeployRemovesItAtRunTime() throws Exception {
        agent = AgentUnderTest.onFakeGuest(tmp.resolve("every-provider"));
        agent.start("--dry-run").awaitSocket();
        assertThat(agent.gactl("info", "guest-info")).isZero();
        assertThat(stdout("info")).as("the suspend commands are listed").contains("\"__dev.somnus_get-suspend-support\"");
        Path sysfs = agent.home.resolve("deploy/somnus-suspend-sysfs.jar");
        assertThat(sysfs).as("the sysfs provider is deployed").exists();
        // fileinstall installs deploy/ after the channel is up: wait until the provider is there
        long deadline = System.nanoTime() + AgentUnderTest.BOUND.toNanos();
        do {
            assertThat(System.nanoTime()).as("provider installed in time").isLessThan(deadline);
            Thread.sleep(200);
            assertThat(agent.gactl("before", "__dev.somnus_get-suspend-support")).isZero();
        } while (!stdout("before").contains("\"provider\": \"sysfs\""));

        Files.delete(sysfs);

        do {
            assertThat(System.nanoTime()).as("provider removed in time").isLessThan(deadline);
            Thread.sleep(200);
            assertThat(agent.gactl("after", "__dev.somnus_get-suspend-support")).isZero();
        } while (stdout("after").contains("\"provider\": \"sysfs\""));
        assertThat(stdout("after")).contains("\"provider\": \"systemd\"");
        assertThat(agent.stop()).isZero();
    }

    @Test
    void aSecondAgentOnTheSamePidfileIsRefused() throws Exception {
        Process first = agent.start().awaitPidFile().process();

        Process second = agent.run("second", "somnus-ga", "--dry-run", "-m", "unix-listen",
                "-p", tmp.resolve("second.sock").toString(), "-t", tmp.resolve("state2").toString(),
                "-f", agent.pidFile.toString());

        assertThat(finish(second)).isEqualTo(1);
        assertThat(stderr("second")).matches("\\d+\\.\\d{6}: critical: Cannot lock pid file: Resource temporarily unavailable\n");
        assertThat(tmp.resolve("state2")).doesNotExist();
        assertThat(Files.readString(agent.pidFile)).isEqualTo(first.pid() + "\n");
        assertThat(agent.stop()).isZero();
    }

    @Test
    void aSecondAgentOnTheSameStateDirIsRefused() throws Exception {
        agent.start().awaitPidFile();
        agent.await("state folder locked", () -> Files.exists(agent.stateDir.resolve("somnus-ga/lock")));

        Process second = agent.run("second", "somnus-ga", "--dry-run", "-m", "unix-listen",
                "-p", tmp.resolve("second.sock").toString(), "-t", agent.stateDir.toString());

        assertThat(finish(second)).isEqualTo(1);
        assertThat(stderr("second")).endsWith("critical: state folder " + agent.stateDir.resolve("somnus-ga")
                + " is in use by another Somnus agent; give each agent its own -t/--statedir\n");
        assertThat(agent.stop()).isZero();
    }

    /** qemu-ga exits 1 when its channel cannot be opened and -r is not given (qga-reference §2). */
    @Test
    void aChannelThatCannotBeOpenedEndsTheAgentWithStatus1() throws Exception {
        Process process = somnusGa("--dry-run", "-m", "unix-listen",
                "-p", tmp.resolve("no/such/folder/agent.sock").toString(), "-t", agent.stateDir.toString(),
                "-f", agent.pidFile.toString());

        assertThat(finish(process)).as("stderr: %s", stderr("somnus-ga")).isEqualTo(1);
        assertThat(stderr("somnus-ga")).contains("error: Failed to bind socket to " + tmp.resolve("no/such/folder/agent.sock"));
        assertThat(agent.pidFile).doesNotExist();
    }

    @Test
    void anUnknownOptionExits1WithQemuGasText() throws Exception {
        Process process = somnusGa("--bogus");

        assertThat(finish(process)).isEqualTo(1);
        assertThat(stdout("somnus-ga")).isEqualTo("Unknown option, try 'somnus-ga --help' for more information.\n");
        assertThat(stderr("somnus-ga")).isEqualTo("somnus-ga: unrecognized option '--bogus'\n");
    }

    @Test
    void daemonizingIsRefusedInWords() throws Exception {
        Process process = somnusGa("-d", "-m", "unix-listen", "-p", tmp.resolve("d.sock").toString(),
                "-t", agent.stateDir.toString());

        assertThat(finish(process)).isEqualTo(1);
        assertThat(stderr("somnus-ga")).contains("critical: cannot daemonize").contains("service manager");
    }

    @Test
    void anUnopenableLogFileIsFatal() throws Exception {
        Process process = somnusGa("-m", "unix-listen", "-p", tmp.resolve("l.sock").toString(),
                "-l", tmp.resolve("no/such/folder/agent.log").toString());

        assertThat(finish(process)).isEqualTo(1);
        assertThat(stderr("somnus-ga")).endsWith("critical: unable to open specified log file: No such file or directory\n");
    }

    @Test
    void versionAndDumpAnswerWithoutStartingAnything() throws Exception {
        Process version = somnusGa("-V");
        assertThat(finish(version)).isZero();
        assertThat(stdout("somnus-ga")).matches("Somnus guest agent \\S+ \\(QEMU Guest Agent 7\\.2\\.22 compatible\\)\n");

        Process dump = somnusGa("-m", "unix-listen", "-p", "/run/x.sock", "-b", "guest-exec", "-D");
        assertThat(finish(dump)).isZero();
        assertThat(stdout("somnus-ga")).isEqualTo("[general]\ndaemon=false\nmethod=unix-listen\npath=/run/x.sock\n"
                + "pidfile=/var/run/qemu-ga.pid\nstatedir=/var/run\nverbose=false\nretry-path=false\n"
                + "block-rpcs=guest-exec\n");
    }

    @Test
    void blockHelpListsTheRegisteredCommands() throws Exception {
        Process list = somnusGa("-b", "help");

        assertThat(finish(list)).as("stderr: %s", stderr("somnus-ga")).isZero();
        assertThat(stdout("somnus-ga").split("\n")).contains("guest-ping", "guest-sync-delimited", "guest-info");
    }

    /**
     * -b is in force from the very first request: the launcher puts dev.somnus.agent.protocol into
     * Config Admin before SCR starts, and the protocol does not activate without it.
     */
    @Test
    void theBlockListHoldsFromTheFirstRequest() throws Exception {
        agent.start("-b", "guest-ping").awaitSocket();

        assertThat(agent.request("{\"execute\":\"guest-ping\"}"))
                .isEqualTo("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command guest-ping has been disabled\"}}");
        assertThat(agent.stop()).isZero();
    }

    /**
     * fileinstall would replace the launcher's whole dev.somnus.agent.protocol with a file's content,
     * lifting -b's list without a word: the launcher refuses to start while conf/ holds such a file.
     */
    @Test
    void aConfFileForTheLaunchersOwnConfigurationIsRefused() throws Exception {
        Path file = agent.home.resolve("conf/dev.somnus.agent.protocol.cfg");
        Files.writeString(file, "# no blockRpcs: would lift -b's list\nversion=7.2.22\n");
        Process process = agent.start("-b", "guest-exec").process();

        assertThat(finish(process)).isEqualTo(1);
        assertThat(agent.log()).contains("critical: " + file + " would replace the block and allow lists (-b, -a)");
        assertThat(agent.socket).doesNotExist();
    }

    @Test
    void aConfFileForTheChannelIsRefusedToo() throws Exception {
        Path file = agent.home.resolve("conf/dev.somnus.agent.channel.cfg");
        Files.writeString(file, "method=unix-listen\n");
        Process process = agent.start().process();

        assertThat(finish(process)).isEqualTo(1);
        assertThat(agent.log()).contains("critical: " + file + " would replace the channel settings (-m, -p, -r)");
    }
}
