package dev.somnus.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.command.Command;
import dev.somnus.runtime.protocol.ProtocolSession;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

/** The live command registry, gating and guest-info (qga-reference §3). */
class WhiteboardTest {

    static String info(String name, boolean enabled, boolean successResponse) {
        return "{\"enabled\": " + enabled + ", \"name\": \"" + name + "\", \"success-response\": " + successResponse + "}";
    }

    static final String BUILTINS = info("guest-info", true, true) + ", " + info("guest-ping", true, true) + ", "
            + info("guest-sync", true, true) + ", " + info("guest-sync-delimited", true, true);

    @Test
    void guestInfoListsEveryCommandNewestFirstAndMarksDisabledOnes() {
        assertThat(new Fixture().send("{\"execute\":\"guest-info\",\"id\":0}")).isEqualTo(
                "{\"return\": {\"version\": \"7.2.22\", \"supported_commands\": ["
                        + info("guest-exec-status", true, true) + ", "
                        + info("guest-file-read", true, true) + ", "
                        + info("guest-exec", false, true) + ", "
                        + BUILTINS + "]}, \"id\": 0}\n");
    }

    @Test
    void followsCommandsAsTheyComeAndGo() {
        Fixture fixture = new Fixture();
        FakeCommand time = FakeCommand.returning("guest-get-time", 42L);
        long key = fixture.table.register(time);
        assertThat(fixture.send("{\"execute\":\"guest-get-time\"}")).isEqualTo("{\"return\": 42}\n");
        assertThat(fixture.send("{\"execute\":\"guest-info\"}")).contains("[" + info("guest-get-time", true, true) + ", ");

        fixture.table.remove(key);
        assertThat(fixture.send("{\"execute\":\"guest-get-time\",\"id\":1}")).isEqualTo(DispatchTest.error("1",
                "CommandNotFound", "The command guest-get-time has not been found"));
        assertThat(fixture.send("{\"execute\":\"guest-info\"}")).doesNotContain("guest-get-time");
    }

    @Test
    void picksTheHighestRankedCommandOfOneNameThenTheFirstRegistered() {
        CommandTable table = new CommandTable();
        Fixture fixture = new Fixture();
        QgaEngine engine = new QgaEngine(table, Gate.OPEN, "7.2.22", fixture.logger());
        Transcript transcript = new Transcript();
        ProtocolSession session = engine.openSession(transcript, "test");
        table.add(FakeCommand.returning("guest-get-host-name", "first"), 10, 0);
        table.add(FakeCommand.returning("guest-get-host-name", "second"), 11, 0);
        table.add(FakeCommand.returning("guest-get-host-name", "ranked"), 12, 5);
        String call = "{\"execute\":\"guest-get-host-name\"}";
        Fixture.feed(session, call);
        table.remove(12);
        Fixture.feed(session, call);
        table.update(11, 1);
        Fixture.feed(session, call);
        table.remove(11);
        Fixture.feed(session, call);
        assertThat(transcript.text()).isEqualTo("{\"return\": \"ranked\"}\n{\"return\": \"first\"}\n"
                + "{\"return\": \"second\"}\n{\"return\": \"first\"}\n");
        Fixture.feed(session, "{\"execute\":\"guest-info\"}");
        assertThat(transcript.text()).containsOnlyOnce("\"name\": \"guest-get-host-name\"");
    }

    @Test
    void keepsTheBuiltinsWhenACommandTakesTheirName() {
        Fixture fixture = new Fixture();
        FakeCommand impostor = FakeCommand.returning("guest-ping", "not the protocol's");
        fixture.table.add(impostor, 99, Integer.MAX_VALUE);
        assertThat(fixture.send("{\"execute\":\"guest-ping\"}")).isEqualTo("{\"return\": {}}\n");
        assertThat(fixture.send("{\"execute\":\"guest-info\"}")).containsOnlyOnce("guest-ping");
        assertThat(impostor.calls).isEmpty();
    }

    @Test
    void blockedCommandsAreDisabledWithoutReasonAsInV22() {
        Fixture fixture = new Fixture(Gate.of("guest-ping,guest-file-read", null), false);
        assertThat(fixture.send("{\"execute\":\"guest-ping\",\"id\":1}"))
                .isEqualTo(DispatchTest.error("1", "CommandNotFound", "Command guest-ping has been disabled"));
        assertThat(fixture.send("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":1}}"))
                .isEqualTo(DispatchTest.error("CommandNotFound", "Command guest-file-read has been disabled"));
        assertThat(fixture.fileRead.calls).isEmpty();
        assertThat(fixture.send("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\"}}"))
                .isEqualTo("{\"return\": {\"pid\": 1234}}\n");
    }

    @Test
    void anAllowListDisablesEverythingElseAndTheBlockListWinsOverIt() {
        Fixture fixture = new Fixture(Gate.of("guest-exec", "guest-exec,guest-ping,guest-info"), false);
        assertThat(fixture.send("{\"execute\":\"guest-ping\"}")).isEqualTo("{\"return\": {}}\n");
        assertThat(fixture.send("{\"execute\":\"guest-sync\",\"arguments\":{\"id\":1}}")).isEqualTo(DispatchTest.error(
                "CommandNotFound", "Command guest-sync has been disabled: the command is not allowed"));
        assertThat(fixture.send("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\"}}"))
                .isEqualTo(DispatchTest.error("CommandNotFound", "Command guest-exec has been disabled"));
        FakeCommand extension = FakeCommand.returning("__dev.somnus_suspend-status", Map.of());
        fixture.table.register(extension);
        assertThat(fixture.send("{\"execute\":\"__dev.somnus_suspend-status\"}")).isEqualTo(DispatchTest.error(
                "CommandNotFound", "Command __dev.somnus_suspend-status has been disabled: the command is not allowed"));
        assertThat(extension.calls).isEmpty();
        assertThat(fixture.send("{\"execute\":\"guest-info\"}"))
                .contains(info("guest-exec", false, true), info("guest-ping", true, true),
                        info("guest-sync", false, true), info("__dev.somnus_suspend-status", false, true));
    }

    @Test
    void treatsABlankAllowListAsNoAllowList() {
        Fixture fixture = new Fixture(Gate.of(" ", ""), false);
        assertThat(fixture.send("{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/true\"}}"))
                .isEqualTo("{\"return\": {\"pid\": 1234}}\n");
    }

    @Test
    void logsLikeQemuGaAtDebugAndAuditsCommandsAtInfo() {
        Fixture fixture = new Fixture(Gate.of("guest-exec", null), true);
        fixture.send("{\"execute\":\"guest-ping\"}");
        assertThat(fixture.log.lines("debug")).containsExactly("read data, count: 24", "processing command",
                "sending data, count: 15");
        assertThat(fixture.log.lines("info")).isEmpty();

        fixture.send("{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":5}}{\"execute\":\"guest-exec\"}");
        assertThat(fixture.log.lines("info")).containsExactly(
                "guest-file-read called by test peer",
                "guest-file-read failed: handle '5' has not been found",
                "guest-exec refused for test peer: Command guest-exec has been disabled");

        Fixture quiet = new Fixture(Gate.OPEN, false);
        quiet.send("{\"execute\":\"guest-ping\"}");
        assertThat(quiet.log.lines).isEmpty();
    }

    @Test
    void theComponentReadsTheLaunchersPropertiesAndFollowsTheServiceRegistry() throws Exception {
        ProtocolSettings settings = new ProtocolSettings();
        settings.activate(protocolConfig(new String[] {"guest-get-time"}, "7.2.22-somnus"), Map.of());
        QgaProtocolComponent component = new QgaProtocolComponent();
        Field logger = QgaProtocolComponent.class.getDeclaredField("logger");
        logger.setAccessible(true);
        logger.set(component, RecordingLogger.silent());
        Field settingsField = QgaProtocolComponent.class.getDeclaredField("settings");
        settingsField.setAccessible(true);
        settingsField.set(component, settings);
        // DS binds before it activates
        Command time = FakeCommand.returning("guest-get-time", 1L);
        component.addCommand(time, service(7, null, "guest-get-time"));
        component.activate(config(false));
        Command hostName = FakeCommand.returning("guest-get-host-name", Map.of("host-name", "vm"));
        component.addCommand(hostName, service(8, 3, "guest-get-host-name"));
        // a broken command service is left out, and the others still work
        component.addCommand(FakeCommand.returning("guest-get-users", List.of()), service(10, null, "guest-get-osinfo"));
        component.addCommand(FakeCommand.returning(null, 1L), service(9, null, null));

        Transcript transcript = new Transcript();
        ProtocolSession session = component.openSession(transcript, "test");
        Fixture.feed(session, "{\"execute\":\"guest-get-time\"}{\"execute\":\"guest-get-host-name\"}");
        component.removeCommand(hostName, service(8, 3, "guest-get-host-name"));
        Fixture.feed(session, "{\"execute\":\"guest-get-host-name\"}{\"execute\":\"guest-info\"}");
        assertThat(transcript.text()).isEqualTo(
                DispatchTest.error("CommandNotFound", "Command guest-get-time has been disabled")
                        + "{\"return\": {\"host-name\": \"vm\"}}\n"
                        + DispatchTest.error("CommandNotFound", "The command guest-get-host-name has not been found")
                        + "{\"return\": {\"version\": \"7.2.22-somnus\", \"supported_commands\": ["
                        + info("guest-get-time", false, true) + ", " + BUILTINS + "]}}\n");
    }

    private static Map<String, Object> service(long id, Integer ranking, String name) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.SERVICE_ID, id);
        if (ranking != null) {
            properties.put(Constants.SERVICE_RANKING, ranking);
        }
        if (name != null) {
            properties.put(Command.NAME_PROPERTY, name);
        }
        return properties;
    }

    /** The dev.somnus.agent.protocol configuration as DS hands it to the component. */
    static ProtocolSettings.Config protocolConfig(String[] blockRpcs, String version) {
        return (ProtocolSettings.Config) Proxy.newProxyInstance(ProtocolSettings.Config.class.getClassLoader(),
                new Class<?>[] {ProtocolSettings.Config.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "blockRpcs": return blockRpcs;
                        case "allowRpcs": return new String[0];
                        case "version": return version;
                        default: return null;
                    }
                });
    }

    /** The dev.somnus.agent configuration as DS hands it to the component. */
    static QgaProtocolComponent.Config config(boolean dryRun) {
        return (QgaProtocolComponent.Config) Proxy.newProxyInstance(QgaProtocolComponent.Config.class.getClassLoader(),
                new Class<?>[] {QgaProtocolComponent.Config.class}, (proxy, method, args) ->
                        method.getName().equals("dryRun") ? dryRun : null);
    }
}
