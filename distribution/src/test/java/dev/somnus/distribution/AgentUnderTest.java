package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.FakeGuest;
import dev.somnus.testkit.QgaClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built distribution run as a process, the way a user runs it: {@code bin/somnus-ga} from a
 * private copy of target/somnus-ga (in {@code dir/somnus-ga}, so a test may rewrite its conf/ and
 * deploy/), on a unix socket, state folder, pidfile and log file of its own in {@code dir}, stopped
 * with SIGTERM; or any other program of its bin/ ({@link #run}). Its conf/ points at a {@link FakeGuest} in {@code dir/guest} before it starts, so no
 * test can suspend this machine. Two kinds:
 * <ul>
 * <li>{@link #onFakeGuest}: every provider on the guest, and the actions run (they are the
 * guest's fake helpers and its fake /sys/power). {@link #awaitProvidersOnTheGuest} must pass
 * before any guest-suspend-* is sent: until fileinstall has applied conf/, a provider could still
 * be on its defaults.</li>
 * <li>{@link #dryRun}: safe twice over. {@code --dry-run} never lets an action run, and only the
 * systemd provider is enabled, with the guest's fake {@code systemctl}. {@link #awaitDryRunOnTheGuest}
 * shows that this configuration is in force.</li>
 * </ul>
 * Every helper is named by its absolute path in the fake guest, never by a bare name: until
 * fileinstall has applied conf/dev.somnus.reaper.cfg the reaper trusts its default folders
 * (/usr/sbin, /usr/bin...), and a bare {@code systemctl} probed in that window was this machine's
 * own (found by running the whole suite with /usr/bin/systemctl replaced by a logging fake: 11
 * agents, 3 probes each). A fake path is refused in that window and run after it; the real program
 * is never named. The acting families' roots point into the fake guest too
 * ({@link FakeGuest#configuration()}), so a test that forgets to configure one acts on fakes.
 */
final class AgentUnderTest implements AutoCloseable {

    static final Path DIST = Path.of(System.getProperty("somnus.dist", "target/somnus-ga"));
    /** Generous: a loaded 2-core CI machine may take seconds to start a JVM and Felix. */
    static final Duration BOUND = Duration.ofSeconds(60);
    private static final Pattern ACTION = Pattern.compile("\"action\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The test's folder: socket, pidfile, logs and state folder are here. */
    final Path dir;
    /** The agent's own copy of the distribution. */
    final Path home;
    final FakeGuest guest;
    final Path socket;
    final Path pidFile;
    final Path logFile;
    final Path stateDir;
    private final boolean dryRun;
    private final Map<String, Map<String, String>> configuration;
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    /** The agent {@link #start} started. */
    private Process process;

    private AgentUnderTest(Path dir, boolean dryRun) throws IOException {
        this.dir = dir;
        this.dryRun = dryRun;
        this.home = copyOfTheDistribution(dir.resolve("somnus-ga"));
        this.guest = new FakeGuest(dir.resolve("guest"));
        this.socket = dir.resolve("agent.sock");
        this.pidFile = dir.resolve("agent.pid");
        this.logFile = dir.resolve("agent.log");
        this.stateDir = dir.resolve("state");
        this.configuration = guest.configuration();
        if (dryRun) {
            guest.systemdRunning();
            configuration.get("dev.somnus.suspend.pmutils").put("enabled", "false");
            configuration.get("dev.somnus.suspend.sysfs").put("enabled", "false");
            probeTimeout(5);
        } else {
            writeConfiguration();
        }
    }

    /** An agent whose providers all act on a fake guest in {@code dir/guest}. */
    static AgentUnderTest onFakeGuest(Path dir) throws IOException {
        return new AgentUnderTest(dir, false);
    }

    /** An agent run with --dry-run whose one provider, systemd, probes a fake guest in {@code dir/guest}. */
    static AgentUnderTest dryRun(Path dir) throws IOException {
        return new AgentUnderTest(dir, true);
    }

    /** A copy of the built distribution at {@code copy}: the test may change its files. */
    private static Path copyOfTheDistribution(Path copy) throws IOException {
        try (var paths = Files.walk(DIST)) {
            for (Path from : (Iterable<Path>) paths::iterator) {
                Path to = copy.resolve(DIST.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    /** How long the systemd provider's probe may take before it is killed; rewrites conf/. */
    AgentUnderTest probeTimeout(int seconds) throws IOException {
        configuration.get("dev.somnus.suspend.systemd").put("probeTimeoutSeconds", Integer.toString(seconds));
        writeConfiguration();
        return this;
    }

    /** conf/&lt;pid&gt;.cfg for each PID: read by fileinstall at start and while running. */
    private void writeConfiguration() throws IOException {
        for (Map.Entry<String, Map<String, String>> pid : configuration.entrySet()) {
            StringBuilder text = new StringBuilder("# written by the test\n");
            pid.getValue().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            Files.writeString(home.resolve("conf").resolve(pid.getKey() + ".cfg"), text);
        }
    }

    /**
     * Starts bin/somnus-ga on the unix socket; {@code options} go last ({@code -v}, {@code -b}, ...).
     * It logs to {@link #logFile} unless {@code options} name another {@code -l}.
     */
    AgentUnderTest start(String... options) throws IOException {
        return startOn("unix-listen", socket, options);
    }

    /** Like {@link #start}, on another channel ({@code -m method -p path}). */
    AgentUnderTest startOn(String method, Path path, String... options) throws IOException {
        List<String> args = new ArrayList<>();
        if (dryRun) {
            args.add("--dry-run");
        }
        args.addAll(List.of("-m", method, "-p", path.toString(), "-t", stateDir.toString(), "-f", pidFile.toString()));
        if (!List.of(options).contains("-l")) {
            args.addAll(List.of("-l", logFile.toString()));
        }
        args.addAll(List.of(options));
        process = run("agent", "somnus-ga", args.toArray(new String[0]));
        return this;
    }

    /**
     * Runs bin/{@code program} of the copy with exactly these arguments (for the command line's
     * own tests, a second agent, somnus-gactl); its output goes to {@code <label>.out} and
     * {@code <label>.err} in {@link #dir}, read back by {@link #stdout} and {@link #stderr}.
     * {@link #close} ends it if the test has not.
     */
    Process run(String label, String program, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve(program).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(label + ".out").toFile())
                .redirectError(dir.resolve(label + ".err").toFile());
        // no /etc/qemu/qemu-ga.conf of this machine: only the command line counts
        builder.environment().put("QGA_CONF", dir.resolve("no-qemu-ga.conf").toString());
        Process started = builder.start();
        processes.add(started);
        return started;
    }

    /** Runs bin/somnus-gactl on this agent's socket to its end; its exit status. */
    int gactl(String label, String command) throws Exception {
        return finish(run(label, "somnus-gactl", "-p", socket.toString(), command));
    }

    String stdout(String label) {
        return read(dir.resolve(label + ".out"));
    }

    String stderr(String label) {
        return read(dir.resolve(label + ".err"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) for the process to end; its exit status. */
    static int finish(Process process) throws InterruptedException {
        assertThat(process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("process ended").isTrue();
        return process.exitValue();
    }

    Process process() {
        return process;
    }

    /** What the agent logged to {@link #logFile}, then its stderr. */
    String log() {
        return readOrEmpty(logFile) + readOrEmpty(dir.resolve("agent.err"));
    }

    /** How many lines of the log contain {@code text}. */
    long logLines(String text) {
        return log().lines().filter(line -> line.contains(text)).count();
    }

    /** Polls until the condition holds; fails at once if the agent has died, or after {@link #BOUND}. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("agent alive while waiting for %s; log: %s", what, log()).isTrue();
            assertThat(System.nanoTime()).as("%s in time; log: %s", what, log()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    AgentUnderTest awaitSocket() throws InterruptedException {
        await("socket created", () -> Files.exists(socket));
        return this;
    }

    /** Waits until the agent has written its own pid into its pidfile. */
    AgentUnderTest awaitPidFile() throws InterruptedException {
        String expected = process.pid() + "\n";
        await("pidfile written", () -> expected.equals(readOrEmpty(pidFile)));
        return this;
    }

    /** A host connection of its own (the socket must exist). */
    QgaClient connect() throws IOException, InterruptedException {
        return QgaClient.connect(socket, BOUND);
    }

    /** One request on a fresh connection; the first reply line, within {@link #BOUND}. */
    String request(String json) throws IOException, InterruptedException {
        try (QgaClient host = connect()) {
            return host.call(json, BOUND);
        }
    }

    /**
     * For {@link #onFakeGuest}, the safety net before any guest-suspend-*: waits until the support
     * query lists {@code providers} providers per mode and every one names an action inside the
     * fake guest.
     */
    AgentUnderTest awaitProvidersOnTheGuest(QgaClient host, int providers) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            String report = host.call("{\"execute\":\"__dev.somnus_get-suspend-support\",\"arguments\":{\"dry-run\":true}}");
            Matcher m = ACTION.matcher(report);
            int perProvider = 0;
            boolean allFake = true;
            while (m.find()) {
                perProvider++;
                allFake &= m.group(1).contains(guest.root.toString());
            }
            // one "action" per provider entry, plus one per supported mode for the chosen provider
            long chosen = Pattern.compile("\"supported\": true").matcher(report).results().count();
            if (allFake && perProvider - chosen == 3L * providers) {
                return this;
            }
            assertThat(System.nanoTime()).as("providers on the fake guest in time; last report %s", report)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * For {@link #dryRun}: waits until the copy's configuration is in force, twice in a row:
     * guest-suspend-ram probed through the fake systemctl (found only in the guest's bin/, and
     * probed only with staleAfterSeconds=0) and would then run the systemd provider. Until then a
     * request could meet a default setting: each configuration arrives on its own. Works where the
     * support query is blocked.
     */
    AgentUnderTest awaitDryRunOnTheGuest() throws Exception {
        awaitSocket();
        int[] passes = {0};
        await("the fake systemctl in use", () -> {
            try {
                guest.forgetCalls();
                boolean pass = request("{\"execute\":\"guest-suspend-ram\"}").contains("would run provider systemd: exec " + guest.helper("systemctl") + " suspend")
                        && guest.calls().contains("systemctl status systemd-suspend");
                passes[0] = pass ? passes[0] + 1 : 0;
                return passes[0] >= 2;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
        return this;
    }

    /** The agent's error reply to a request with an id, in qemu-ga's key order. */
    static String error(Object id, String desc) {
        return "{\"id\": " + id + ", \"error\": {\"class\": \"GenericError\", \"desc\": \"" + desc + "\"}}";
    }

    /** How the agent names this test's JVM as a unix-listen peer (SO_PEERCRED). */
    static String thisPeer() throws IOException {
        Path self = Path.of("/proc/self");
        return "unix uid=" + Files.getAttribute(self, "unix:uid") + " gid=" + Files.getAttribute(self, "unix:gid")
                + " pid=" + ProcessHandle.current().pid();
    }

    static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM, then the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        return exitStatus();
    }

    int exitStatus() throws InterruptedException {
        assertThat(process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)).as("agent ended; log: %s", log()).isTrue();
        return process.exitValue();
    }

    /** Whatever a test left running: SIGTERM first (an agent reaps its children), SIGKILL if that hangs. */
    @Override
    public void close() throws InterruptedException {
        for (Process left : processes) {
            if (left.isAlive()) {
                left.destroy();
                if (!left.waitFor(20, TimeUnit.SECONDS)) {
                    left.destroyForcibly();
                    left.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
