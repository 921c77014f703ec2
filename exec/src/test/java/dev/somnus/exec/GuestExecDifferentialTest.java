package dev.somnus.exec;

import static dev.somnus.exec.Fixture.args;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.somnus.api.command.CommandException;
import dev.somnus.runtime.qmp.GrowableBytes;
import dev.somnus.runtime.qmp.JsonWriter;
import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;

/**
 * guest-exec and guest-exec-status against the live qemu-ga 7.2 on this machine, with harmless
 * programs only (echo, true, cat, env, sh exiting or signalling itself, head of /dev/zero): the
 * same request goes to both, each child is polled until it has exited, and the replies, rendered
 * as the agent writes them, must be the same bytes (the pid of guest-exec's reply aside).
 * capture-output is sent only as 7.2's boolean; 8.0's modes are a deliberate extension.
 */
@EnabledIf("dev.somnus.testkit.ReferenceQemuGa#installed")
class GuestExecDifferentialTest {

    private static final Pattern PID_REPLY = Pattern.compile("\\{\"return\": \\{\"pid\": (\\d+)\\}\\}");

    @TempDir
    static Path dir;

    static ReferenceQemuGa reference;
    static QgaClient qemuGa;
    static Fixture agent;

    @BeforeAll
    static void start() throws Exception {
        reference = ReferenceQemuGa.start(dir.resolve("reference"), List.of("guest-exec", "guest-exec-status"));
        qemuGa = reference.connect();
        agent = new Fixture(Fixture.Config.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        if (qemuGa != null) {
            qemuGa.close();
        }
        if (reference != null) {
            reference.close();
        }
        if (agent != null) {
            agent.close();
        }
    }


    static Stream<Arguments> harmless() {
        return Stream.of(
                args("path", "/bin/echo", "arg", List.of("hi", "there"), "capture-output", true),
                args("path", "echo", "arg", List.of("not captured")),
                args("path", "echo", "arg", List.of("hi"), "capture-output", false),
                args("path", "true", "capture-output", true),
                args("path", "/bin/sh", "arg", List.of("-c", "exit 3")),
                args("path", "/bin/sh", "arg", List.of("-c", "echo out; echo err >&2; exit 3"), "capture-output", true),
                args("path", "/bin/sh", "arg", List.of("-c", "echo err >&2"), "capture-output", true),
                args("path", "sh", "arg", List.of("-c", "kill -TERM $$")),
                args("path", "sh", "arg", List.of("-c", "echo before; kill -KILL $$"), "capture-output", true),
                args("path", "sh", "arg", List.of("-c", "exit 300"), "capture-output", true),
                args("path", "cat", "input-data", "aGVsbG8K", "capture-output", true),
                args("path", "cat", "input-data", "aGVs\nbG8K", "capture-output", true),
                args("path", "cat", "input-data", "aGVsbG8", "capture-output", true),
                args("path", "cat", "input-data", "", "capture-output", true),
                args("path", "cat", "input-data", "aGVsbG8K"),
                args("path", "cat", "capture-output", true),
                args("path", "/bin/sh", "arg", List.of("-c", "head -c 300000 /dev/zero | tr '\\0' x; cat"),
                        "input-data", java.util.Base64.getEncoder().encodeToString(new byte[200000]),
                        "capture-output", true),
                args("path", "/usr/bin/env", "env", List.of("NOEQUALS", "=x", "A=1", "A=2"), "capture-output", true),
                args("path", "sh", "arg", List.of("-c", "env"), "env", List.of("A=b"), "capture-output", true),
                args("path", "cat", "arg", List.of("/proc/self/cmdline"), "capture-output", true),
                args("path", "/usr/bin/printf", "arg", List.of("x\u00e9\u20ac\uD83D\uDE00|%s|", "a b"),
                        "capture-output", true),
                args("path", "sh", "arg", List.of("-c", "sleep 0.2; echo late"), "capture-output", true),
                args("path", "sh", "arg", List.of("-c", "(sleep 0.3; echo later; echo e >&2) & echo now"),
                        "capture-output", true),
                args("path", "sh", "arg", List.of("-c", "(sleep 0.3; echo not captured) & exit 2")),
                args("path", "sh", "arg", List.of("-c", "readlink /proc/self/fd/0"), "capture-output", true))
                .map(Arguments::of);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                args("path", "somnus-no-such-program"),
                args("path", "/nosuch"),
                args("path", "/etc/passwd"),
                args("path", ""),
                args("path", "sh", "env", List.of("PATH=/nonexistent")),
                args("path", "cat", "input-data", "!!!"),
                args("path", "cat", "input-data", "aGVs bG8K", "capture-output", true),
                args("path", "echo", "arg", List.of("a", 1L)),
                args("path", "echo", "arg", List.of(List.of(1L))),
                args("path", "echo", "arg", "x"),
                args("path", "echo", "arg", null),
                args("path", "echo", "env", Collections.singletonList(null)),
                args("path", "echo", "input-data", null),
                args("path", "echo", "arg", List.of(1L), "input-data", 5L))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("harmless")
    void theStatusOfAHarmlessChildIsTheSameBytes(Map<String, Object> arguments) throws Exception {
        String qemuPid = qemuGaExec(arguments);
        long ourPid = agent.exec(arguments);
        assertThat(ours(agent.finished(ourPid))).isEqualTo(qemuGaFinished(qemuPid));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aRefusedGuestExecIsTheSameError(Map<String, Object> arguments) throws Exception {
        String expected = qemuGa.call(request("guest-exec", arguments));
        String actual;
        try {
            actual = "unexpected success: " + agent.exec.execute(arguments);
        } catch (CommandException e) {
            actual = error(e);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void runningThenExitedThenForgottenAsQemuGa() throws Exception {
        Map<String, Object> sleep = args("path", "sleep", "arg", List.of("0.4"), "capture-output", true);
        String qemuPid = qemuGaExec(sleep);
        long ourPid = agent.exec(sleep);
        assertThat(ours(agent.status(ourPid))).isEqualTo(qemuGa.call(status(qemuPid)))
                .isEqualTo("{\"return\": {\"exited\": false}}");
        assertThat(ours(agent.finished(ourPid))).isEqualTo(qemuGaFinished(qemuPid));
        String forgotten = qemuGa.call(status(qemuPid));
        assertThat(ourError(() -> agent.status(ourPid))).isEqualTo(forgotten)
                .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter 'pid'\"}}");
        assertThat(ourError(() -> agent.status(1))).isEqualTo(qemuGa.call(status("1")));
    }

    /**
     * Output past GUEST_EXEC_MAX_OUTPUT (16 MiB): exactly the cap is not truncated, one byte more is.
     * The reply is some 22 MB, read here on a plain socket (the test kit's client rescans its
     * buffer per read).
     */
    @Test
    void outputPastSixteenMebibytesIsTruncatedAsQemuGa() throws Exception {
        qemuGa.close();
        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(dir.resolve("reference").resolve("qemu-ga.sock")));
            InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(raw), 1 << 16);
            for (long bytes : new long[] {16L * 1024 * 1024, 16L * 1024 * 1024 + 1}) {
                Map<String, Object> big = args("path", "/bin/sh", "arg", List.of("-c", "head -c " + bytes
                        + " /dev/zero; echo small >&2"), "capture-output", true);
                send(raw, request("guest-exec", big));
                Matcher pid = PID_REPLY.matcher(readLine(in));
                assertThat(pid.matches()).isTrue();
                String expected;
                do {
                    Thread.sleep(50);
                    send(raw, status(pid.group(1)));
                    expected = readLine(in);
                } while (expected.contains("\"exited\": false"));
                String actual = ours(agent.run(big));
                // some 22 MB each: a failure names lengths and ends, not the whole texts
                assertThat(actual.equals(expected)).as("ours (%d chars, ending %s) vs qemu-ga's (%d chars, ending %s)",
                        actual.length(), tail(actual), expected.length(), tail(expected)).isTrue();
                assertThat(expected).contains("\"out-truncated\": " + (bytes > 16 * 1024 * 1024));
            }
        } finally {
            qemuGa = reference.connect();
        }
    }

    // ---- the two sides ----------------------------------------------------------------------

    private static String qemuGaExec(Map<String, Object> arguments) throws IOException {
        String reply = qemuGa.call(request("guest-exec", arguments));
        Matcher pid = PID_REPLY.matcher(reply);
        assertThat(pid.matches()).as("qemu-ga's reply %s", reply).isTrue();
        return pid.group(1);
    }

    private static String qemuGaFinished(String pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String reply = qemuGa.call(status(pid));
            if (!reply.contains("\"exited\": false") || System.nanoTime() > deadline) {
                return reply;
            }
            Thread.sleep(10);
        }
    }

    private static String request(String command, Map<String, Object> arguments) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("execute", command);
        request.put("arguments", arguments);
        return json(request);
    }

    private static String status(String pid) {
        return "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":" + pid + "}}";
    }

    /** As the agent writes a reply. */
    private static String ours(Object value) {
        return "{\"return\": " + json(value) + "}";
    }

    private static String error(CommandException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("class", e.errorClass());
        error.put("desc", e.desc());
        return "{\"error\": " + json(error) + "}";
    }

    private interface Call {
        Object call() throws CommandException;
    }

    private static String ourError(Call call) {
        try {
            return "unexpected success: " + call.call();
        } catch (CommandException e) {
            return error(e);
        }
    }

    private static String json(Object value) {
        GrowableBytes out = new GrowableBytes(256);
        JsonWriter.writeValue(out, value);
        // QgaClient hands lines over as ISO-8859-1 chars; the writer's bytes are ASCII-escaped JSON
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 120));
    }

    private static void send(SocketChannel channel, String line) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("qemu-ga closed the connection");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
