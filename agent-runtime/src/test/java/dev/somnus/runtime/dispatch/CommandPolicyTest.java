package dev.somnus.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What a command declares through its service properties (audited, acting, allowed while frozen),
 * and how the runtime applies it without knowing any command by name.
 */
class CommandPolicyTest {

    private static final Map<String, Object> ACTING = Map.of(Command.ACTING, true, Command.AUDITED, true);

    /** An acting command whose explanation names its argument. */
    private static final class Shutdown extends Object implements Command {
        int executed;

        @Override
        public String name() {
            return "guest-shutdown";
        }

        @Override
        public List<dev.somnus.api.command.Parameter> parameters() {
            return List.of(dev.somnus.api.command.Parameter.optional("mode", dev.somnus.api.command.JsonType.STRING));
        }

        @Override
        public boolean successResponse() {
            return false;
        }

        @Override
        public Object execute(Map<String, Object> arguments) {
            executed++;
            return Map.of();
        }

        @Override
        public String explain(Map<String, Object> arguments) throws CommandException {
            if ("sleep".equals(arguments.get("mode"))) {
                throw new CommandException("mode is invalid");
            }
            return "run provider fake: exec poweroff " + arguments.getOrDefault("mode", "powerdown");
        }
    }

    @Test
    void aDryRunExplainsAnActingCommandAndNeverExecutesIt() {
        Fixture fixture = new Fixture(Gate.OPEN, false);
        Shutdown shutdown = new Shutdown();
        fixture.table.register(shutdown, ACTING);
        fixture.engine.dryRun(true);

        assertThat(fixture.send("{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":\"halt\"},\"id\":1}"))
                .isEqualTo(DispatchTest.error("1", "GenericError", "dry run: guest-shutdown would run provider fake: "
                        + "exec poweroff halt; nothing was done (dryRun is set in dev.somnus.agent)"));
        // what execute would refuse, the dry run refuses with the same words
        assertThat(fixture.send("{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":\"sleep\"},\"id\":2}"))
                .isEqualTo(DispatchTest.error("2", "GenericError", "mode is invalid"));
        assertThat(shutdown.executed).isZero();
        assertThat(fixture.log.lines("audit")).containsExactly(
                "audit: guest-shutdown requested by test peer",
                "audit: guest-shutdown from test peer failed: dry run: guest-shutdown would run provider fake: "
                        + "exec poweroff halt; nothing was done (dryRun is set in dev.somnus.agent)",
                "audit: guest-shutdown requested by test peer",
                "audit: guest-shutdown from test peer failed: mode is invalid");

        fixture.engine.dryRun(false);
        assertThat(fixture.send("{\"execute\":\"guest-shutdown\"}")).isEmpty();
        assertThat(shutdown.executed).isEqualTo(1);
    }

    @Test
    void aDryRunLeavesCommandsThatDoNotActAlone() {
        Fixture fixture = new Fixture(Gate.OPEN, false);
        FakeCommand hostName = FakeCommand.returning("guest-get-host-name", Map.of("host-name", "vm"));
        fixture.table.register(hostName);
        fixture.engine.dryRun(true);

        assertThat(fixture.send("{\"execute\":\"guest-get-host-name\"}")).isEqualTo("{\"return\": {\"host-name\": \"vm\"}}\n");
        assertThat(fixture.log.lines("audit")).isEmpty();
    }

    @Test
    void whileFrozenOnlyTheCommandsAllowedThenAnswerAndGuestInfoSaysSo() {
        Fixture fixture = new Fixture(Gate.of("guest-get-time", null), false);
        AtomicBoolean frozen = new AtomicBoolean(true);
        fixture.engine.frozen(frozen::get);
        FakeCommand time = FakeCommand.returning("guest-get-time", 1L);
        FakeCommand status = FakeCommand.returning("guest-fsfreeze-status", "frozen");
        FakeCommand users = FakeCommand.returning("guest-get-users", List.of());
        fixture.table.register(time);
        fixture.table.register(status, Map.of(Command.ALLOWED_WHILE_FROZEN, true));
        fixture.table.register(users);

        // vector V25; a blocked command gets the frozen reason too, as in qemu-ga 7.2
        assertThat(fixture.send("{\"execute\":\"guest-get-users\"}")).isEqualTo(DispatchTest.error("CommandNotFound",
                "Command guest-get-users has been disabled: the agent is in frozen state"));
        assertThat(fixture.send("{\"execute\":\"guest-get-time\"}")).isEqualTo(DispatchTest.error("CommandNotFound",
                "Command guest-get-time has been disabled: the agent is in frozen state"));
        assertThat(fixture.send("{\"execute\":\"guest-fsfreeze-status\"}")).isEqualTo("{\"return\": \"frozen\"}\n");
        // vector V26: the protocol's own commands are on the allow list
        assertThat(fixture.send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":3}}"))
                .isEqualTo("\u00ff{\"return\": 3}\n");
        assertThat(fixture.send("{\"execute\":\"guest-info\"}"))
                .contains("{\"enabled\": false, \"name\": \"guest-get-users\"")
                .contains("{\"enabled\": true, \"name\": \"guest-fsfreeze-status\"")
                .contains("{\"enabled\": true, \"name\": \"guest-ping\"");
        assertThat(users.calls).isEmpty();

        frozen.set(false);
        assertThat(fixture.send("{\"execute\":\"guest-get-users\"}")).isEqualTo("{\"return\": []}\n");
        assertThat(fixture.send("{\"execute\":\"guest-get-time\"}")).isEqualTo(DispatchTest.error("CommandNotFound",
                "Command guest-get-time has been disabled"));
    }

    @Test
    void aCommandWhoseNamePropertyDisagreesWithItsNameIsNotAdded() {
        CommandTable table = new CommandTable();
        FakeCommand users = FakeCommand.returning("guest-get-users", List.of());

        assertThatThrownBy(() -> table.add(users, 7, 0, Map.of(Command.NAME_PROPERTY, "guest-get-osinfo")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("guest-get-users").hasMessageContaining("guest-get-osinfo");
        assertThat(table.snapshot().find("guest-get-users")).isNull();
        assertThat(table.snapshot().find("guest-get-osinfo")).isNull();
    }

    @Test
    void aPolicyChangedThroughTheServicePropertiesAppliesToTheNextRequest() {
        Fixture fixture = new Fixture(Gate.OPEN, false);
        FakeCommand users = FakeCommand.returning("guest-get-users", List.of());
        long key = fixture.table.register(users);
        fixture.send("{\"execute\":\"guest-get-users\"}");
        assertThat(fixture.log.lines("audit")).isEmpty();

        fixture.table.update(key, 0, Map.of(Command.AUDITED, true));
        fixture.send("{\"execute\":\"guest-get-users\"}");

        assertThat(fixture.log.lines("audit")).containsExactly("audit: guest-get-users requested by test peer",
                "audit: guest-get-users from test peer succeeded");
    }
}
