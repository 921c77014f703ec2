package dev.somnus.exec;

import static dev.somnus.exec.Fixture.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;

/** What a host sees of guest-exec and guest-exec-status, with harmless programs only. */
class GuestExecTest {

    private Fixture agent = new Fixture(Fixture.Config.defaults());

    @AfterEach
    void stop() {
        agent.close();
    }


    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(Object base64) {
        return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
    }

    private void assertError(Map<String, Object> arguments, String desc) {
        assertThatThrownBy(() -> agent.exec(arguments)).isInstanceOf(CommandException.class).hasMessage(desc)
                .extracting(e -> ((CommandException) e).errorClass()).isEqualTo("GenericError");
    }

    @Test
    void capturedOutputComesBackAsPlainBase64WithItsTruncationFlag() throws Exception {
        Map<String, Object> status = agent.run(args("path", "/bin/echo", "arg", List.of("hi", "there"),
                "capture-output", true));
        assertThat(status).containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L),
                Map.entry("out-data", "aGkgdGhlcmUK"), Map.entry("out-truncated", false));
    }

    @Test
    void withoutCaptureOnlyTheEndIsReported() throws Exception {
        assertThat(agent.run(args("path", "echo", "arg", List.of("hi"))))
                .containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L));
    }

    @Test
    void aStreamThatWroteNothingHasNoMembers() throws Exception {
        assertThat(agent.run(args("path", "true", "capture-output", true)))
                .containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L));
    }

    @Test
    void exitCodesAndSignalsAreReportedAsQemuGaDoes() throws Exception {
        assertThat(agent.run(args("path", "/bin/sh", "arg", List.of("-c", "echo out; echo err >&2; exit 3"),
                "capture-output", true))).containsOnly(Map.entry("exited", true), Map.entry("exitcode", 3L),
                        Map.entry("out-data", base64("out\n")), Map.entry("out-truncated", false),
                        Map.entry("err-data", base64("err\n")), Map.entry("err-truncated", false));
        assertThat(agent.run(args("path", "sh", "arg", List.of("-c", "kill -TERM $$"))))
                .containsOnly(Map.entry("exited", true), Map.entry("signal", 15L));
        assertThat(agent.run(args("path", "sh", "arg", List.of("-c", "kill -KILL $$"), "capture-output", true)))
                .containsOnly(Map.entry("exited", true), Map.entry("signal", 9L));
    }

    @Test
    void aRunningChildIsReportedAsNotExitedOnly() throws Exception {
        long pid = agent.exec(args("path", "sleep", "arg", List.of("0.5"), "capture-output", true));
        assertThat(agent.status(pid)).containsOnly(Map.entry("exited", false));
        assertThat(agent.status(pid)).containsOnly(Map.entry("exited", false));
        assertThat(agent.finished(pid)).containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L));
    }

    @Test
    void whatTheChildLeftRunningIsWaitedForWhileItHoldsTheOutput() throws Exception {
        long pid = agent.exec(args("path", "sh", "arg", List.of("-c", "(sleep 0.4; echo later) & echo now"),
                "capture-output", true));
        Thread.sleep(200); // sh has ended, its background job still holds stdout
        assertThat(agent.status(pid)).containsOnly(Map.entry("exited", false));
        assertThat(agent.finished(pid)).containsEntry("out-data", base64("now\nlater\n"));
    }

    @Test
    void aFinishedChildIsForgottenOnceRead() throws Exception {
        long pid = agent.exec(args("path", "true"));
        agent.finished(pid);
        assertThatThrownBy(() -> agent.status(pid)).hasMessage("Invalid parameter 'pid'");
        assertThatThrownBy(() -> agent.status(0)).hasMessage("Invalid parameter 'pid'");
        assertThatThrownBy(() -> agent.status(-5)).hasMessage("Invalid parameter 'pid'");
        assertThatThrownBy(() -> agent.status(4294967297L)).hasMessage("Invalid parameter 'pid'");
    }

    @Test
    void inputDataIsFedToStdinThenClosed() throws Exception {
        assertThat(agent.run(args("path", "cat", "input-data", "aGVsbG8K", "capture-output", true)))
                .containsEntry("out-data", "aGVsbG8K");
        assertThat(agent.run(args("path", "cat", "input-data", "aGVs\nbG8K", "capture-output", true)))
                .containsEntry("out-data", "aGVsbG8K");
        assertThat(agent.run(args("path", "cat", "input-data", "", "capture-output", true)))
                .containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L));
        // without input-data stdin is /dev/null: cat ends at once
        assertThat(agent.run(args("path", "cat", "capture-output", true))).containsEntry("exitcode", 0L);
    }

    @Test
    void badInputDataIsRefusedBeforeAnythingRuns() {
        assertError(args("path", "cat", "input-data", "!!!"), "Base64 data contains invalid characters");
        assertError(args("path", "cat", "input-data", 5), "Invalid parameter type for 'input-data', expected: string");
        assertError(args("path", "cat", "input-data", null),
                "Invalid parameter type for 'input-data', expected: string");
    }

    @Test
    void everyCaptureModeOfQemuGa80() throws Exception {
        List<String> both = List.of("-c", "echo out; echo err >&2");
        assertThat(agent.run(args("path", "sh", "arg", both, "capture-output", "none")))
                .containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L));
        assertThat(agent.run(args("path", "sh", "arg", both, "capture-output", false)))
                .containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L));
        assertThat(agent.run(args("path", "sh", "arg", both, "capture-output", "stdout")))
                .containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L),
                        Map.entry("out-data", base64("out\n")), Map.entry("out-truncated", false));
        assertThat(agent.run(args("path", "sh", "arg", both, "capture-output", "stderr")))
                .containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L),
                        Map.entry("err-data", base64("err\n")), Map.entry("err-truncated", false));
        assertThat(agent.run(args("path", "sh", "arg", both, "capture-output", "separated")))
                .containsEntry("out-data", base64("out\n")).containsEntry("err-data", base64("err\n"));
        assertThat(agent.run(args("path", "sh", "arg", List.of("-c", "echo a; echo b >&2; echo c"),
                "capture-output", "merged"))).containsOnly(Map.entry("exited", true), Map.entry("exitcode", 0L),
                        Map.entry("out-data", base64("a\nb\nc\n")), Map.entry("out-truncated", false));
    }

    @Test
    void aBadCaptureOutputGetsQemuGa80sTexts() {
        assertError(args("path", "true", "capture-output", "all"), "Invalid parameter 'all'");
        assertError(args("path", "true", "capture-output", "Merged"), "Invalid parameter 'Merged'");
        assertError(args("path", "true", "capture-output", 1L),
                "Invalid parameter type for 'capture-output', expected: GuestExecCaptureOutput");
        assertError(args("path", "true", "capture-output", null),
                "Invalid parameter type for 'capture-output', expected: GuestExecCaptureOutput");
    }

    @Test
    void listMembersAreCheckedElementByElementInSchemaOrder() {
        assertError(args("path", "echo", "arg", List.of("a", 1L)), "Invalid parameter type for 'arg[1]', expected: string");
        assertError(args("path", "echo", "arg", "x"), "Invalid parameter type for 'arg', expected: array");
        assertError(args("path", "echo", "arg", null), "Invalid parameter type for 'arg', expected: array");
        assertError(args("path", "echo", "arg", List.of(List.of(1L))),
                "Invalid parameter type for 'arg[0]', expected: string");
        assertError(args("path", "echo", "env", Collections.singletonList(null)),
                "Invalid parameter type for 'env[0]', expected: string");
        // arg is visited before input-data, input-data before capture-output, and decoding comes last
        assertError(args("path", "echo", "arg", List.of(1L), "input-data", 5L), "Invalid parameter type for 'arg[0]', expected: string");
        assertError(args("path", "echo", "input-data", "!", "capture-output", 1L),
                "Invalid parameter type for 'capture-output', expected: GuestExecCaptureOutput");
    }

    @Test
    void aProgramThatCannotStartIsGlibsTextInQemuGasError() {
        assertError(args("path", "somnus-no-such-program"), "Guest agent command failed, error was 'Failed to execute"
                + " child process \u201Csomnus-no-such-program\u201D (No such file or directory)'");
        assertError(args("path", "/nosuch"), "Guest agent command failed, error was 'Failed to execute child process"
                + " \u201C/nosuch\u201D (No such file or directory)'");
        assertError(args("path", "/etc/passwd"), "Guest agent command failed, error was 'Failed to execute child"
                + " process \u201C/etc/passwd\u201D (Permission denied)'");
        assertError(args("path", ""), "Guest agent command failed, error was 'Failed to execute child process"
                + " \u201C\u201D (No such file or directory)'");
    }

    @Test
    void envReplacesTheEnvironmentAndItsPathIsSearched() throws Exception {
        Map<String, Object> status = agent.run(args("path", "/usr/bin/env", "env", List.of("NOEQUALS", "=x", "A=1",
                "A=2"), "capture-output", true));
        assertThat(decoded(status.get("out-data"))).isEqualTo("NOEQUALS\n=x\nA=1\nA=2\n");
        assertError(args("path", "sh", "env", List.of("PATH=/nonexistent")), "Guest agent command failed, error was"
                + " 'Failed to execute child process \u201Csh\u201D (No such file or directory)'");
        // without PATH in env, the agent's own PATH
        assertThat(agent.run(args("path", "sh", "arg", List.of("-c", "echo $A"), "env", List.of("A=b"),
                "capture-output", true))).containsEntry("out-data", base64("b\n"));
    }

    @Test
    void argvZeroIsThePathAsGiven() throws Exception {
        Map<String, Object> status = agent.run(args("path", "cat", "arg", List.of("/proc/self/cmdline"),
                "capture-output", true));
        assertThat(decoded(status.get("out-data"))).isEqualTo("cat\0/proc/self/cmdline\0");
    }

    @Test
    void theChildLeadsAProcessGroupOfItsOwn() throws Exception {
        Map<String, Object> status = agent.run(args("path", "/bin/sh", "arg", List.of("-c",
                "echo $$ $(cut -d' ' -f5 /proc/$$/stat)"), "capture-output", true));
        String[] pidAndGroup = decoded(status.get("out-data")).trim().split(" ");
        assertThat(pidAndGroup[1]).isEqualTo(pidAndGroup[0]);
    }

    @Test
    void outputPastTheCapIsDroppedAndFlaggedPerStream() throws Exception {
        agent.close();
        agent = new Fixture(new Fixture.Config(64, 10));
        Map<String, Object> over = agent.run(args("path", "sh", "arg", List.of("-c",
                "head -c 100000 /dev/zero; printf 1234567890 >&2"), "capture-output", true));
        assertThat(Base64.getDecoder().decode((String) over.get("out-data"))).hasSize(10);
        assertThat(over).containsEntry("out-truncated", true).containsEntry("err-data", base64("1234567890"))
                .containsEntry("err-truncated", false);
    }

    @Test
    void atTheBoundTheOldestFinishedChildIsForgottenAndRunningOnesAreNever() throws Exception {
        agent.close();
        agent = new Fixture(new Fixture.Config(2, 1024));
        long first = agent.exec(args("path", "true"));
        long second = agent.exec(args("path", "sleep", "arg", List.of("30")));
        Thread.sleep(300); // the first has ended, unread
        long third = agent.exec(args("path", "true"));
        assertThatThrownBy(() -> agent.status(first)).hasMessage("Invalid parameter 'pid'");
        assertThat(agent.warnings).singleElement().asString().contains("forgot the unread status of pid " + first);
        assertThat(agent.finished(third)).containsEntry("exitcode", 0L);

        long fourth = agent.exec(args("path", "sleep", "arg", List.of("30")));
        assertError(args("path", "true"), "Guest agent command failed, error was '2 guest-exec children are still"
                + " running (max.children of dev.somnus.exec is 2)'");
        assertThat(agent.status(second)).containsOnly(Map.entry("exited", false));
        assertThat(agent.status(fourth)).containsOnly(Map.entry("exited", false));
    }

    @Test
    void manyHostsAtOnceEachGetTheirOwnChild() throws Exception {
        List<Thread> threads = new ArrayList<>();
        Map<Integer, Object> results = Collections.synchronizedMap(new LinkedHashMap<>());
        for (int i = 0; i < 8; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    results.put(n, agent.run(args("path", "/bin/echo", "arg", List.of("n" + n), "capture-output", true))
                            .get("out-data"));
                } catch (Exception e) {
                    results.put(n, e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < 8; i++) {
            assertThat(results.get(i)).isEqualTo(base64("n" + i + "\n"));
        }
    }

    @Test
    void explainNamesTheArgvAndChecksAsExecuteWould() throws Exception {
        assertThat(agent.exec.explain(args("path", "/bin/sh", "arg", List.of("-c", "exit 3"), "input-data", "aGk=",
                "capture-output", true))).isEqualTo("run \"/bin/sh\" \"-c\" \"exit 3\" (capture-output: separated,"
                        + " 2 bytes on stdin)");
        assertThat(agent.exec.explain(args("path", "echo", "env", List.of("A=\"b\"")))).isEqualTo(
                "run \"echo\" (capture-output: none, environment [A=\"b\"])");
        assertThatThrownBy(() -> agent.exec.explain(args("path", "cat", "input-data", "!")))
                .hasMessage("Base64 data contains invalid characters");
    }

    @Test
    void policyGuestExecIsAuditedAndActingGuestExecStatusNeither() throws Exception {
        // The DS annotations are not kept at run time; their properties are constants in the class file.
        String exec = classFile(GuestExecCommand.class);
        assertThat(exec).contains(Command.NAME_PROPERTY + "=guest-exec", Command.AUDITED + ":Boolean=true",
                Command.ACTING + ":Boolean=true");
        String status = classFile(GuestExecStatusCommand.class);
        assertThat(status).contains(Command.NAME_PROPERTY + "=guest-exec-status")
                .doesNotContain(Command.AUDITED).doesNotContain(Command.ACTING)
                .doesNotContain(Command.ALLOWED_WHILE_FROZEN);
        assertThat(exec).doesNotContain(Command.ALLOWED_WHILE_FROZEN);
        assertThat(agent.status.parameters()).extracting(p -> p.name() + ":" + p.type().wireName() + ":" + p.optional())
                .containsExactly("pid:integer:false");
        assertThat(agent.exec.parameters()).extracting(p -> p.name() + ":" + p.optional())
                .containsExactly("path:false", "arg:true", "env:true", "input-data:true", "capture-output:true");
    }

    private static String classFile(Class<?> type) throws java.io.IOException {
        try (var in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
