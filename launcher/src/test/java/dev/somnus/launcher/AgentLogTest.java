package dev.somnus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1795677491L, 5_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void linesReadLikeQemuGas() {
        assertThat(AgentLog.format(Instant.ofEpochSecond(1795677491L, 830_019_123L), AgentLog.Level.CRITICAL,
                "must specify a path for this channel"))
                .isEqualTo("1795677491.830019: critical: must specify a path for this channel" + "\n");
        // microseconds are zero-padded to six digits (GLib's %f)
        assertThat(AgentLog.format(Instant.ofEpochSecond(10, 7_000L), AgentLog.Level.DEBUG, "x"))
                .startsWith("10.000007: debug: x");
    }

    @Test
    void byDefaultErrorsCriticalsWarningsAndAuditMessagesAreShown() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(out, false, false, CLOCK);

        for (AgentLog.Level level : AgentLog.Level.values()) {
            log.log(level, level.name());
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "1795677491.005000: error: ERROR\n"
                + "1795677491.005000: critical: CRITICAL\n"
                + "1795677491.005000: warning: WARNING\n"
                + "1795677491.005000: message: MESSAGE\n");
    }

    @Test
    void verboseShowsEveryLevel() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(out, false, true, CLOCK);

        log.log(AgentLog.Level.MESSAGE, "m");
        log.log(AgentLog.Level.INFO, "i");
        log.log(AgentLog.Level.DEBUG, "d");

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "1795677491.005000: message: m\n1795677491.005000: info: i\n1795677491.005000: debug: d\n");
    }

    @Test
    void aLogFileIsAppendedTo() throws Exception {
        Path file = dir.resolve("agent.log");
        Files.writeString(file, "earlier\n");

        try (AgentLog log = AgentLog.open(file.toString(), false)) {
            log.log(AgentLog.Level.ERROR, "now");
        }

        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("earlier");
        assertThat(Files.readAllLines(file).get(1)).matches("\\d+\\.\\d{6}: error: now");
    }

    @Test
    void anUnopenableLogFileIsFatalWithQemuGasText() {
        assertThatThrownBy(() -> AgentLog.open(dir.resolve("no/such/dir.log").toString(), false))
                .isInstanceOf(LaunchException.class)
                .hasMessage("unable to open specified log file: No such file or directory");
        assertThatThrownBy(() -> AgentLog.open(dir.toString(), false))
                .hasMessage("unable to open specified log file: Is a directory");
    }

    @Test
    void aLogFileIsHeldBackWhileFrozenAndWrittenInOrderAtTheThaw() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(out, true, false, CLOCK);
        log.log(AgentLog.Level.WARNING, "before");

        log.hold(true);
        log.log(AgentLog.Level.WARNING, "frozen 1");
        log.log(AgentLog.Level.MESSAGE, "frozen 2");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1795677491.005000: warning: before\n");

        log.hold(false);
        log.log(AgentLog.Level.WARNING, "after");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1795677491.005000: warning: before\n"
                + "1795677491.005000: warning: frozen 1\n1795677491.005000: message: frozen 2\n"
                + "1795677491.005000: warning: after\n");
    }

    @Test
    void whileFrozenAtMostTheLimitIsHeldAndTheRestIsCounted() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(out, true, false, CLOCK);
        log.hold(true);
        for (int i = 0; i < AgentLog.HOLD_LIMIT + 3; i++) {
            log.log(AgentLog.Level.WARNING, "line " + i);
        }
        log.hold(false);

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(AgentLog.HOLD_LIMIT + 1);
        assertThat(lines[AgentLog.HOLD_LIMIT - 1]).endsWith("line " + (AgentLog.HOLD_LIMIT - 1));
        assertThat(lines[AgentLog.HOLD_LIMIT]).isEqualTo(
                "1795677491.005000: warning: 3 log lines were dropped while the file systems were frozen");
    }

    @Test
    void stderrIsTheServiceManagersAndIsWrittenWhileFrozen() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(out, false, false, CLOCK);
        log.hold(true);
        log.log(AgentLog.Level.WARNING, "frozen");

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1795677491.005000: warning: frozen\n");
    }
}
