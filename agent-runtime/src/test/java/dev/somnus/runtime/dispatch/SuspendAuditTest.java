package dev.somnus.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every guest-suspend-* request leaves an audit line: who asked, and what came of it. */
class SuspendAuditTest {

    /** What the suspend commands declare (Command.AUDITED); the runtime holds no list of names. */
    private static final Map<String, Object> AUDITED = Map.of(Command.AUDITED, true);

    private static FakeCommand suspend(String name, FakeCommand.Behaviour behaviour) {
        return new FakeCommand(name, List.of(), false, behaviour);
    }

    @Test
    void aBlockedSuspendIsAuditedAndNeverRuns() {
        Fixture fixture = new Fixture(Gate.of("guest-suspend-disk", null), false);
        FakeCommand disk = suspend("guest-suspend-disk", args -> Map.of());
        fixture.table.register(disk, AUDITED);

        assertThat(fixture.send("{\"execute\":\"guest-suspend-disk\",\"id\":1}")).isEqualTo(
                "{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Command guest-suspend-disk has been disabled\"}}\n");

        assertThat(disk.calls).isEmpty();
        assertThat(fixture.log.lines("audit")).containsExactly(
                "audit: guest-suspend-disk requested by test peer",
                "audit: guest-suspend-disk from test peer refused: Command guest-suspend-disk has been disabled");
    }

    @Test
    void aSuspendThatRunsIsAuditedWithItsOutcome() {
        Fixture fixture = new Fixture(Gate.OPEN, false);
        fixture.table.register(suspend("guest-suspend-ram", args -> Map.of()), AUDITED);
        fixture.table.register(suspend("guest-suspend-hybrid", args -> {
            throw new CommandException("the requested suspend mode is not supported by the guest");
        }), AUDITED);
        fixture.table.register(suspend("guest-suspend-disk", args -> {
            throw new IllegalStateException("provider went away");
        }), AUDITED);

        assertThat(fixture.send("{\"execute\":\"guest-suspend-ram\"}")).isEmpty();
        fixture.send("{\"execute\":\"guest-suspend-hybrid\"}");
        fixture.send("{\"execute\":\"guest-suspend-disk\"}");

        assertThat(fixture.log.lines("audit")).containsExactly(
                "audit: guest-suspend-ram requested by test peer",
                "audit: guest-suspend-ram from test peer succeeded",
                "audit: guest-suspend-hybrid requested by test peer",
                "audit: guest-suspend-hybrid from test peer failed: the requested suspend mode is not supported by the guest",
                "audit: guest-suspend-disk requested by test peer",
                "audit: guest-suspend-disk from test peer failed: internal error: provider went away");
    }

    @Test
    void anUnknownOrMalformedSuspendIsAuditedAndOtherCommandsAreNot() {
        Fixture fixture = new Fixture(Gate.OPEN, false);
        fixture.table.register(suspend("guest-suspend-ram", args -> Map.of()), AUDITED);

        fixture.send("{\"execute\":\"guest-suspend-disk\"}");
        fixture.send("{\"execute\":\"guest-suspend-ram\",\"arguments\":{\"now\":true}}");
        fixture.send("{\"execute\":\"guest-ping\"}{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\"}}");

        assertThat(fixture.log.lines("audit")).containsExactly(
                "audit: guest-suspend-disk requested by test peer",
                "audit: guest-suspend-disk from test peer refused: The command guest-suspend-disk has not been found",
                "audit: guest-suspend-ram requested by test peer",
                "audit: guest-suspend-ram from test peer refused: Parameter 'now' is unexpected");
    }
}
