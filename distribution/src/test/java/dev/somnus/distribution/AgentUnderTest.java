package dev.somnus.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private copy of the built distribution (target/somnus-ga) whose conf/ a test may rewrite, run
 * as a process the way a user runs it: {@code bin/somnus-ga -v -l agent.log -m unix-listen}, on a
 * socket and state folder of its own, stopped with SIGTERM. For suspend tests the copy's conf/
 * must point every provider at a fake guest first ({@link FakeGuest#writeConfiguration}), and
 * {@link #awaitFakeProviders} must pass before any guest-suspend-* is sent.
 */
final class AgentUnderTest implements AutoCloseable {

    static final Path DIST = Path.of(System.getProperty("somnus.dist", "target/somnus-ga"));
    private static final Duration START_BOUND = Duration.ofSeconds(60);
    private static final Pattern ACTION = Pattern.compile("\"action\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    final Path home;
    final Path dir;
    private Process process;

    private AgentUnderTest(Path dir, Path home) {
        this.dir = dir;
        this.home = home;
    }

    /** Copies the built distribution into {@code dir/somnus-ga}. */
    static AgentUnderTest copy(Path dir) throws IOException {
        return new AgentUnderTest(dir, copyOfTheDistribution(dir.resolve("somnus-ga")));
    }

    static Path copyOfTheDistribution(Path copy) throws IOException {
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

    Path socket() {
        return dir.resolve("agent.sock");
    }

    String log() {
        try {
            return Files.exists(dir.resolve("agent.log")) ? Files.readString(dir.resolve("agent.log")) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Starts the agent and waits (bounded) for its socket. */
    AgentUnderTest start() throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/somnus-ga").toString(), "-v",
                "-l", dir.resolve("agent.log").toString(), "-m", "unix-listen", "-p", socket().toString(),
                "-t", dir.resolve("state").toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("agent.out").toFile())
                .redirectError(dir.resolve("agent.err").toFile());
        builder.environment().put("QGA_CONF", dir.resolve("no-qemu-ga.conf").toString());
        process = builder.start();
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (!Files.exists(socket())) {
            assertThat(process.isAlive()).as("agent alive; log: %s", log()).isTrue();
            assertThat(System.nanoTime()).as("socket created in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        return this;
    }

    /**
     * Safety net: waits until the support query lists {@code providers} providers per mode and
     * every one of them names an action inside {@code fakeRoot}. Before that, fileinstall may not
     * have applied conf/ yet and a provider could still be on its defaults (real /sys/power, real
     * helpers): nothing may be asked to suspend until this returns.
     */
    void awaitFakeProviders(HostConnection host, Path fakeRoot, int providers) throws Exception {
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (true) {
            String report = host.call("{\"execute\":\"__dev.somnus_get-suspend-support\",\"arguments\":{\"dry-run\":true}}");
            Matcher m = ACTION.matcher(report);
            int perProvider = 0;
            boolean allFake = true;
            while (m.find()) {
                perProvider++;
                allFake &= m.group(1).contains(fakeRoot.toString());
            }
            // one "action" per provider entry, plus one per supported mode for the chosen provider
            long chosen = Pattern.compile("\"supported\": true").matcher(report).results().count();
            if (allFake && perProvider - chosen == 3L * providers) {
                return;
            }
            assertThat(System.nanoTime()).as("providers on the fake guest in time; last report %s", report)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A suspend request followed by a ping: the ping's reply must be the very next line. */
    static void assertNoReplyTo(HostConnection host, String request) throws IOException {
        host.send(request);
        assertThat(host.call("{\"execute\":\"guest-ping\",\"id\":\"behind\"}")).as("the line after " + request)
                .isEqualTo("{\"return\": {}, \"id\": \"behind\"}");
    }

    static String error(Object id, String desc) {
        return "{\"id\": " + id + ", \"error\": {\"class\": \"GenericError\", \"desc\": \"" + desc + "\"}}";
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The process's exit status after {@link #close()}. */
    int exitValue() {
        return process.exitValue();
    }
}
