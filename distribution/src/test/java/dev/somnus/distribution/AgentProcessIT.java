package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution (target/somnus-ga) run as a user runs it: bin/somnus-ga as a
 * process on a temporary unix socket and state dir, talked to with bin/somnus-gactl, stopped with
 * SIGTERM. Every agent here runs with --dry-run, so no test can suspend this machine.
 */
class AgentProcessIT {

    /** Generous: a loaded 2-core CI machine may take seconds to start a JVM and Felix. */
    private static final long START_BOUND_MILLIS = 60_000;

    private static final Path DIST = Path.of(System.getProperty("somnus.dist", "target/somnus-ga"));

    @TempDir
    Path tmp;

    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

    /** The distribution the next process runs from: the built one, or a test's own copy. */
    private Path dist = DIST;

    @AfterEach
    void stopLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process start(String name, String... args) throws IOException {
        return startAs(name, name, args);
    }

    /** Runs bin/{@code name}; its output goes to {@code <label>.out} and {@code <label>.err}. */
    private Process startAs(String label, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(dist.resolve("bin").resolve(name).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve(label + ".out").toFile())
                .redirectError(tmp.resolve(label + ".err").toFile());
        builder.environment().put("QGA_CONF", tmp.resolve("no-qemu-ga.conf").toString());
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private Process agent(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--dry-run", "-m", "unix-listen",
                "-p", tmp.resolve("agent.sock").toString(), "-t", tmp.resolve("state").toString(),
                "-f", tmp.resolve("agent.pid").toString()));
        args.addAll(List.of(extra));
        return start("somnus-ga", args.toArray(new String[0]));
    }

    private int finish(Process process) throws InterruptedException {
        assertThat(process.waitFor(START_BOUND_MILLIS, TimeUnit.MILLISECONDS)).as("process ended").isTrue();
        return process.exitValue();
    }

    private String stdout(String name) throws IOException {
        return Files.readString(tmp.resolve(name + ".out"));
    }

    private String stderr(String name) throws IOException {
        return Files.readString(tmp.resolve(name + ".err"));
    }

    /** Waits (bounded) until the agent has written its own pid into the pidfile. */
    private void awaitPidFile(Process agent) throws Exception {
        Path pidFile = tmp.resolve("agent.pid");
        String expected = agent.pid() + "\n";
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_BOUND_MILLIS);
        while (!(Files.exists(pidFile) && expected.equals(readOrEmpty(pidFile)))) {
            assertThat(agent.isAlive()).as("agent alive; stderr: %s", stderr("somnus-ga")).isTrue();
            assertThat(System.nanoTime()).as("pidfile written in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The channel and protocol come from agent-runtime's DS components; without them there is no socket. */
    private static boolean protocolBundlePresent() throws IOException {
        try (JarFile jar = new JarFile(DIST.resolve("bundle/somnus-agent-runtime.jar").toFile())) {
            return jar.stream().anyMatch(e -> e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml"));
        }
    }

    @Test
    void startsWritesItsPidfileAndStopsCleanlyOnSigterm() throws Exception {
        Path log = tmp.resolve("agent.log");
        Process agent = agent("-v", "-l", log.toString());
        awaitPidFile(agent);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_BOUND_MILLIS);
        while (!readOrEmpty(log).contains(": info: Somnus guest agent ")) {
            assertThat(agent.isAlive()).as("agent alive; log: %s", readOrEmpty(log)).isTrue();
            assertThat(System.nanoTime()).as("framework started in time").isLessThan(deadline);
            Thread.sleep(20);
        }

        agent.destroy(); // SIGTERM

        assertThat(finish(agent)).as("exit status; log: %s", readOrEmpty(log)).isZero();
        assertThat(tmp.resolve("agent.pid")).doesNotExist();
        assertThat(stdout("somnus-ga")).isEmpty();
        assertThat(stderr("somnus-ga")).isEmpty();
        assertThat(readOrEmpty(log)).contains(": info: received SIGTERM, stopping\n")
                .endsWith(": info: Somnus guest agent stopped\n");
        assertThat(tmp.resolve("state/somnus-ga/cache")).isDirectory();
    }

    /** The handlers are in place before the pidfile exists: a SIGTERM then waits for the start. */
    @Test
    void aSigtermDuringStartUpStillStopsCleanly() throws Exception {
        Process agent = agent();
        awaitPidFile(agent);

        agent.destroy();

        assertThat(finish(agent)).as("exit status; stderr: %s", stderr("somnus-ga")).isZero();
        assertThat(tmp.resolve("agent.pid")).doesNotExist();
    }

    private Path awaitSocket(Process agent) throws Exception {
        Path socket = tmp.resolve("agent.sock");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_BOUND_MILLIS);
        while (!Files.exists(socket)) {
            assertThat(agent.isAlive()).as("agent alive; stderr: %s", stderr("somnus-ga")).isTrue();
            assertThat(System.nanoTime()).as("socket created in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        return socket;
    }

    /** Runs bin/somnus-gactl once; returns its exit status (its stdout is in {@code <label>.out}). */
    private int gactl(String label, Path socket, String command) throws Exception {
        return finish(startAs(label, "somnus-gactl", "-p", socket.toString(), command));
    }

    @Test
    void answersGuestPingThroughSomnusGactl() throws Exception {
        assumeTrue(protocolBundlePresent(), "agent-runtime offers no channel component yet");
        Process agent = agent();
        Path socket = awaitSocket(agent);

        assertThat(gactl("ping", socket, "guest-ping")).as("stderr: %s", stderr("ping")).isZero();

        assertThat(stdout("ping")).isEqualTo("{\"return\": {}}\n");
        agent.destroy();
        assertThat(finish(agent)).isZero();
    }

    /**
     * --dry-run must hold from the first request on, not only once fileinstall has read conf/:
     * asked only through the support query, never through a guest-suspend-* command.
     */
    @Test
    void dryRunHoldsForTheSuspendCommandsFromTheStart() throws Exception {
        assumeTrue(protocolBundlePresent(), "agent-runtime offers no channel component yet");
        Process agent = agent();
        Path socket = awaitSocket(agent);
        assertThat(gactl("info", socket, "guest-info")).isZero();
        assumeTrue(stdout("info").contains("\"__dev.somnus_get-suspend-support\""), "no suspend commands yet");

        assertThat(gactl("support", socket, "__dev.somnus_get-suspend-support")).isZero();

        assertThat(stdout("support")).contains("\"commands-dry-run\": true");
        agent.destroy();
        assertThat(finish(agent)).isZero();
    }

    /** deploy/ is hot: deleting a provider's jar takes that provider away while the agent runs. */
    @Test
    void deletingAProviderFromDeployRemovesItAtRunTime() throws Exception {
        assumeTrue(protocolBundlePresent(), "agent-runtime offers no channel component yet");
        dist = copyOfTheDistribution();
        Process agent = agent();
        Path socket = awaitSocket(agent);
        assertThat(gactl("info", socket, "guest-info")).isZero();
        assumeTrue(stdout("info").contains("\"__dev.somnus_get-suspend-support\""), "no suspend commands yet");
        assumeTrue(Files.exists(dist.resolve("deploy/somnus-suspend-sysfs.jar")), "no sysfs provider deployed");
        // fileinstall installs deploy/ after the channel is up: wait until the provider is there
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_BOUND_MILLIS);
        do {
            assertThat(System.nanoTime()).as("provider installed in time").isLessThan(deadline);
            Thread.sleep(200);
            assertThat(gactl("before", socket, "__dev.somnus_get-suspend-support")).isZero();
        } while (!stdout("before").contains("\"provider\": \"sysfs\""));

        Files.delete(dist.resolve("deploy/somnus-suspend-sysfs.jar"));

        do {
            assertThat(System.nanoTime()).as("provider removed in time").isLessThan(deadline);
            Thread.sleep(200);
            assertThat(gactl("after", socket, "__dev.somnus_get-suspend-support")).isZero();
        } while (stdout("after").contains("\"provider\": \"sysfs\""));
        assertThat(stdout("after")).contains("\"provider\": \"systemd\"");
        agent.destroy();
        assertThat(finish(agent)).isZero();
    }

    private Path copyOfTheDistribution() throws IOException {
        Path copy = tmp.resolve("somnus-ga");
        try (var paths = Files.walk(DIST)) {
            for (Path from : (Iterable<Path>) paths::iterator) {
                Path to = copy.resolve(DIST.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    @Test
    void aSecondAgentOnTheSamePidfileIsRefused() throws Exception {
        Process first = agent();
        awaitPidFile(first);

        Process second = startAs("second", "somnus-ga", "--dry-run", "-m", "unix-listen",
                "-p", tmp.resolve("second.sock").toString(), "-t", tmp.resolve("state2").toString(),
                "-f", tmp.resolve("agent.pid").toString());

        assertThat(finish(second)).isEqualTo(1);
        assertThat(stderr("second")).matches("\\d+\\.\\d{6}: critical: Cannot lock pid file: Resource temporarily unavailable\n");
        assertThat(tmp.resolve("state2")).doesNotExist();
        assertThat(Files.readString(tmp.resolve("agent.pid"))).isEqualTo(first.pid() + "\n");
        first.destroy();
        assertThat(finish(first)).isZero();
    }

    @Test
    void aSecondAgentOnTheSameStateDirIsRefused() throws Exception {
        Process first = agent();
        awaitPidFile(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_BOUND_MILLIS);
        while (!Files.exists(tmp.resolve("state/somnus-ga/lock"))) {
            assertThat(System.nanoTime()).as("state folder locked in time").isLessThan(deadline);
            Thread.sleep(20);
        }

        Process second = startAs("second", "somnus-ga", "--dry-run", "-m", "unix-listen",
                "-p", tmp.resolve("second.sock").toString(), "-t", tmp.resolve("state").toString());

        assertThat(finish(second)).isEqualTo(1);
        assertThat(stderr("second")).endsWith("critical: state folder " + tmp.resolve("state/somnus-ga")
                + " is in use by another Somnus agent; give each agent its own -t/--statedir\n");
        first.destroy();
        assertThat(finish(first)).isZero();
    }

    /** qemu-ga exits 1 when its channel cannot be opened and -r is not given (qga-reference §2). */
    @Test
    void aChannelThatCannotBeOpenedEndsTheAgentWithStatus1() throws Exception {
        assumeTrue(protocolBundlePresent(), "agent-runtime offers no channel component yet");
        Process agent = start("somnus-ga", "--dry-run", "-m", "unix-listen",
                "-p", tmp.resolve("no/such/folder/agent.sock").toString(), "-t", tmp.resolve("state").toString(),
                "-f", tmp.resolve("agent.pid").toString());

        assertThat(finish(agent)).as("stderr: %s", stderr("somnus-ga")).isEqualTo(1);
        assertThat(stderr("somnus-ga")).contains("error: Failed to bind socket to " + tmp.resolve("no/such/folder/agent.sock"));
        assertThat(tmp.resolve("agent.pid")).doesNotExist();
    }

    @Test
    void anUnknownOptionExits1WithQemuGasText() throws Exception {
        Process agent = start("somnus-ga", "--bogus");

        assertThat(finish(agent)).isEqualTo(1);
        assertThat(stdout("somnus-ga")).isEqualTo("Unknown option, try 'somnus-ga --help' for more information.\n");
        assertThat(stderr("somnus-ga")).isEqualTo("somnus-ga: unrecognized option '--bogus'\n");
    }

    @Test
    void daemonizingIsRefusedInWords() throws Exception {
        Process agent = start("somnus-ga", "-d", "-m", "unix-listen", "-p", tmp.resolve("d.sock").toString(),
                "-t", tmp.resolve("state").toString());

        assertThat(finish(agent)).isEqualTo(1);
        assertThat(stderr("somnus-ga")).contains("critical: cannot daemonize").contains("service manager");
    }

    @Test
    void anUnopenableLogFileIsFatal() throws Exception {
        Process agent = start("somnus-ga", "-m", "unix-listen", "-p", tmp.resolve("l.sock").toString(),
                "-l", tmp.resolve("no/such/folder/agent.log").toString());

        assertThat(finish(agent)).isEqualTo(1);
        assertThat(stderr("somnus-ga")).endsWith("critical: unable to open specified log file: No such file or directory\n");
    }

    @Test
    void versionAndDumpAnswerWithoutStartingAnything() throws Exception {
        Process version = start("somnus-ga", "-V");
        assertThat(finish(version)).isZero();
        assertThat(stdout("somnus-ga")).matches("Somnus guest agent \\S+ \\(QEMU Guest Agent 7\\.2\\.22 compatible\\)\n");

        Process dump = start("somnus-ga", "-m", "unix-listen", "-p", "/run/x.sock", "-b", "guest-exec", "-D");
        assertThat(finish(dump)).isZero();
        assertThat(stdout("somnus-ga")).isEqualTo("[general]\ndaemon=false\nmethod=unix-listen\npath=/run/x.sock\n"
                + "pidfile=/var/run/qemu-ga.pid\nstatedir=/var/run\nverbose=false\nretry-path=false\n"
                + "block-rpcs=guest-exec\n");
    }

    @Test
    void blockHelpListsTheRegisteredCommands() throws Exception {
        assumeTrue(protocolBundlePresent(), "agent-runtime registers no commands yet");
        Process list = start("somnus-ga", "-b", "help");

        assertThat(finish(list)).as("stderr: %s", stderr("somnus-ga")).isZero();
        assertThat(stdout("somnus-ga").split("\n")).contains("guest-ping", "guest-sync-delimited", "guest-info");
    }
}
