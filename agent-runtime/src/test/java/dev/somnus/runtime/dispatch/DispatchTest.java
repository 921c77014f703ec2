package dev.somnus.runtime.dispatch;

import static dev.somnus.api.command.JsonType.ANY;
import static dev.somnus.api.command.JsonType.ARRAY;
import static dev.somnus.api.command.JsonType.BOOLEAN;
import static dev.somnus.api.command.JsonType.INTEGER;
import static dev.somnus.api.command.JsonType.NUMBER;
import static dev.somnus.api.command.JsonType.OBJECT;
import static dev.somnus.api.command.JsonType.STRING;
import static dev.somnus.api.command.Parameter.optional;
import static dev.somnus.api.command.Parameter.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import dev.somnus.runtime.protocol.ProtocolSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The qmp_dispatch pipeline (qga-reference §1.3, §1.5, §1.6) as a host sees it on the wire. */
class DispatchTest {

    static String error(String errorClass, String desc) {
        return "{\"error\": {\"class\": \"" + errorClass + "\", \"desc\": \"" + desc + "\"}}\n";
    }

    static String error(String id, String errorClass, String desc) {
        return "{\"id\": " + id + ", \"error\": {\"class\": \"" + errorClass + "\", \"desc\": \"" + desc + "\"}}\n";
    }

    static String generic(String desc) {
        return error("GenericError", desc);
    }

    @Test
    void echoesAnIdOfAnyJsonTypeAsQemuWritesIt() {
        Fixture fixture = new Fixture();
        String[][] cases = {
            {"null", "null"},
            {"true", "true"},
            {"\"s\"", "\"s\""},
            {"[1, 2.5, \"x\"]", "[1, 2.5, \"x\"]"},
            {"{\"foo\":1,\"bar\":{\"aa\":1,\"aq\":2}}", "{\"bar\": {\"aq\": 2, \"aa\": 1}, \"foo\": 1}"},
            {"18446744073709551615", "18446744073709551615"},
            {"-12345678901234567890", "-1.2345678901234567e+19"},
            {"1e400", "inf"},
            {"1e5", "100000"},
            {"\"\\u00e9\\ud83d\\ude00\\/\"", "\"\\u00E9\\uD83D\\uDE00/\""},
        };
        for (String[] c : cases) {
            assertThat(fixture.send("{\"execute\":\"guest-ping\",\"id\":" + c[0] + "}"))
                    .as(c[0]).isEqualTo("{\"return\": {}, \"id\": " + c[1] + "}\n");
            assertThat(fixture.send("{\"execute\":\"nosuch\",\"id\":" + c[0] + "}"))
                    .as(c[0]).isEqualTo(error(c[1], "CommandNotFound", "The command nosuch has not been found"));
        }
    }

    @Test
    void namesTheFirstBadMemberInQDictOrder() {
        Fixture fixture = new Fixture();
        assertThat(fixture.send("{\"foo\":1,\"bar\":2}")).isEqualTo(generic("QMP input member 'bar' is unexpected"));
        assertThat(fixture.send("{\"bar\":1,\"foo\":2}")).isEqualTo(generic("QMP input member 'bar' is unexpected"));
        // "exec-oob" (162) comes before "execute" (299)
        assertThat(fixture.send("{\"execute\":1,\"exec-oob\":\"x\"}"))
                .isEqualTo(generic("QMP input member 'exec-oob' is unexpected"));
        // "execute" (299) before "arguments" (447)
        assertThat(fixture.send("{\"arguments\":1,\"execute\":1,\"id\":3}"))
                .isEqualTo(error("3", "GenericError", "QMP input member 'execute' must be a string"));
        assertThat(fixture.send("{\"arguments\":null,\"execute\":\"guest-ping\"}"))
                .isEqualTo(generic("QMP input member 'arguments' must be an object"));
        // same bucket: the later member is met first
        assertThat(fixture.send("{\"execute\":\"guest-ping\",\"aa\":1,\"aq\":2}"))
                .isEqualTo(generic("QMP input member 'aq' is unexpected"));
    }

    @Test
    void checksTheRequestShapeBeforeLookingTheCommandUp() {
        Fixture fixture = new Fixture();
        assertThat(fixture.send("{\"execute\":\"nosuch\",\"foo\":1,\"id\":1}"))
                .isEqualTo(error("1", "GenericError", "QMP input member 'foo' is unexpected"));
        // unknown before disabled before arguments
        assertThat(fixture.send("{\"execute\":\"guest-exec\",\"arguments\":{\"nopath\":1},\"id\":2}"))
                .isEqualTo(error("2", "CommandNotFound", "Command guest-exec has been disabled"));
        assertThat(fixture.exec.calls).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{}|Parameter 'i' is missing",
        "{\"I\":1}|Parameter 'i' is missing",
        "{\"i\":\"1\"}|Invalid parameter type for 'i', expected: integer",
        "{\"i\":1.0}|Invalid parameter type for 'i', expected: integer",
        "{\"i\":null}|Invalid parameter type for 'i', expected: integer",
        "{\"i\":9223372036854775808}|Invalid parameter type for 'i', expected: integer",
        "{\"i\":-9223372036854775809}|Invalid parameter type for 'i', expected: integer",
        "{\"i\":1,\"s\":1}|Invalid parameter type for 's', expected: string",
        "{\"i\":1,\"s\":null}|Invalid parameter type for 's', expected: string",
        "{\"i\":1,\"b\":\"true\"}|Invalid parameter type for 'b', expected: boolean",
        "{\"i\":1,\"n\":\"1\"}|Invalid parameter type for 'n', expected: number",
        "{\"i\":1,\"o\":[]}|Invalid parameter type for 'o', expected: object",
        "{\"i\":1,\"a\":{}}|Invalid parameter type for 'a', expected: array",
        "{\"i\":1,\"extra\":1}|Parameter 'extra' is unexpected",
        // a declared member's problem is reported before an unexpected member
        "{\"extra\":1,\"i\":\"x\"}|Invalid parameter type for 'i', expected: integer",
        "{\"i\":1,\"foo\":1,\"bar\":2}|Parameter 'bar' is unexpected",
    })
    void validatesArgumentsWithQemusTexts(String arguments, String desc) {
        Fixture fixture = new Fixture();
        FakeCommand typed = FakeCommand.returning("typed", Map.of(), required("i", INTEGER), optional("s", STRING),
                optional("b", BOOLEAN), optional("n", NUMBER), optional("o", OBJECT), optional("a", ARRAY),
                optional("any", ANY));
        fixture.table.register(typed);
        assertThat(fixture.send("{\"execute\":\"typed\",\"arguments\":" + arguments + ",\"id\":\"v\"}"))
                .isEqualTo(error("\"v\"", "GenericError", desc));
        assertThat(typed.calls).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // captured from qemu-ga 7.2.22: the first name left in its GLib hash table, not QDict order
        "{\"foo\":1,\"bar\":2}|bar",
        "{\"bar\":1,\"foo\":2}|bar",
        "{\"foo\":1,\"bar\":2,\"aa\":3,\"x\":4}|aa",
        "{\"x\":1,\"path\":2,\"count\":3}|path",
        "{\"id2\":1,\"Zz9\":2,\"aq\":3,\"aa\":4}|Zz9",
        "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7}|e",
    })
    void namesTheUnexpectedArgumentQemuGaNames(String arguments, String named) {
        assertThat(new Fixture().send("{\"execute\":\"guest-ping\",\"arguments\":" + arguments + "}"))
                .isEqualTo(generic("Parameter '" + named + "' is unexpected"));
    }

    @Test
    void handsTheCommandOnlyItsValidatedArguments() {
        Fixture fixture = new Fixture();
        FakeCommand typed = FakeCommand.returning("typed", Map.of(), required("i", INTEGER), optional("s", STRING),
                optional("n", NUMBER), optional("any", ANY));
        fixture.table.register(typed);
        assertThat(fixture.send("{\"execute\":\"typed\",\"arguments\":{\"i\":-9223372036854775808,\"n\":1}}"))
                .isEqualTo("{\"return\": {}}\n");
        assertThat(fixture.send("{\"execute\":\"typed\",\"arguments\":{\"i\":1,\"n\":2.5,\"any\":null}}"))
                .isEqualTo("{\"return\": {}}\n");
        assertThat(typed.calls).hasSize(2);
        assertThat(typed.calls.get(0)).containsExactlyInAnyOrderEntriesOf(Map.of("i", Long.MIN_VALUE, "n", 1L));
        assertThat(typed.calls.get(1)).containsEntry("n", 2.5).containsKey("any").doesNotContainKey("s");
    }

    @Test
    void acceptsEmptyArgumentsForACommandWithoutParameters() {
        Fixture fixture = new Fixture();
        assertThat(fixture.send("{\"execute\":\"guest-ping\",\"arguments\":{}}")).isEqualTo("{\"return\": {}}\n");
    }

    @Test
    void writesWhatACommandReturns() {
        Fixture fixture = new Fixture();
        fixture.table.register(FakeCommand.returning("guest-get-time", 1732000000123456789L));
        fixture.table.register(FakeCommand.returning("nothing", null));
        fixture.table.register(FakeCommand.returning("info", Map.of("count", 3L, "eof", true, "buf-b64", "aGk=")));
        assertThat(fixture.send("{\"execute\":\"guest-get-time\",\"id\":1}"))
                .isEqualTo("{\"return\": 1732000000123456789, \"id\": 1}\n");
        // no return value: {} as qmp_dispatch supplies
        assertThat(fixture.send("{\"execute\":\"nothing\"}")).isEqualTo("{\"return\": {}}\n");
        assertThat(fixture.send("{\"execute\":\"info\"}"))
                .isEqualTo("{\"return\": {\"count\": 3, \"buf-b64\": \"aGk=\", \"eof\": true}}\n");
    }

    @Test
    void sendsNothingAfterASuccessfulCommandWithoutSuccessResponse() {
        Fixture fixture = new Fixture();
        List<String> outcomes = new ArrayList<>(List.of("ok", "fail"));
        FakeCommand suspend = new FakeCommand("guest-suspend-disk", List.of(), false, args -> {
            if (outcomes.remove(0).equals("fail")) {
                throw new CommandException("the requested suspend mode is not supported by the guest");
            }
            return Map.of();
        });
        fixture.table.register(suspend);
        assertThat(fixture.send("{\"execute\":\"guest-suspend-disk\",\"id\":7}")).isEmpty();
        assertThat(fixture.send("{\"execute\":\"guest-suspend-disk\",\"id\":7}"))
                .isEqualTo(error("7", "GenericError", "the requested suspend mode is not supported by the guest"));
        assertThat(suspend.calls).hasSize(2);
        // and it is listed as such
        assertThat(fixture.send("{\"execute\":\"guest-info\"}"))
                .contains("{\"enabled\": true, \"name\": \"guest-suspend-disk\", \"success-response\": false}");
    }

    @Test
    void answersACommandExceptionWithItsClassAndText() {
        Fixture fixture = new Fixture();
        fixture.table.register(new FakeCommand("picky", List.of(), true, args -> {
            throw new CommandException(CommandException.COMMAND_NOT_FOUND, "not today");
        }));
        assertThat(fixture.send("{\"execute\":\"picky\",\"id\":[1]}")).isEqualTo(error("[1]", "CommandNotFound", "not today"));
    }

    @Test
    void turnsAFailingHandlerIntoAGenericErrorLogsItAndKeepsServing() {
        Fixture fixture = new Fixture();
        fixture.table.register(new FakeCommand("buggy", List.of(), true, args -> {
            throw new IllegalStateException("boom");
        }));
        fixture.table.register(FakeCommand.returning("weird", new Object()));
        assertThat(fixture.send("{\"execute\":\"buggy\",\"id\":1}{\"execute\":\"guest-ping\",\"id\":2}"))
                .isEqualTo(error("1", "GenericError", "internal error in buggy: boom") + "{\"return\": {}, \"id\": 2}\n");
        assertThat(fixture.log.lines("error")).containsExactly("buggy failed unexpectedly");
        assertThat(fixture.log.exceptions).singleElement().isInstanceOf(IllegalStateException.class);

        Map<String, Object> loop = new java.util.HashMap<>();
        loop.put("self", loop);
        fixture.table.register(FakeCommand.returning("loop", loop));
        assertThat(fixture.send("{\"execute\":\"loop\",\"id\":3}")).isEqualTo(
                error("3", "GenericError", "internal error in loop: a value that contains itself"));

        assertThat(fixture.send("{\"execute\":\"weird\"}")).isEqualTo("{\"error\": {\"class\": \"GenericError\", "
                + "\"desc\": \"internal error in weird: no JSON form for a java.lang.Object\"}}\n");
    }

    @Test
    void syncDelimitedPrefixesOnlyItsOwnReplyAndOnlyWhenItRuns() {
        Fixture fixture = new Fixture();
        assertThat(fixture.send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":\"x\"}}"
                + "{\"execute\":\"guest-ping\"}"))
                .isEqualTo(generic("Invalid parameter type for 'id', expected: integer") + "{\"return\": {}}\n");
        assertThat(fixture.send("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":-1},\"id\":\"s\"}"
                + "{\"execute\":\"guest-ping\"}"))
                .isEqualTo("\u00ff{\"return\": -1, \"id\": \"s\"}\n{\"return\": {}}\n");
    }

    @Test
    void flushesAfterEachBatchAndBeforeACommandThatMayBlock() {
        Fixture fixture = new Fixture();
        List<String> seenBySuspend = new ArrayList<>();
        fixture.table.register(new FakeCommand("guest-suspend-ram", List.of(), false, args -> {
            seenBySuspend.add(fixture.transcript.withFlushes());
            return null;
        }));
        fixture.send("{\"execute\":\"guest-ping\",\"id\":1}{\"execute\":\"guest-sync\",\"arguments\":{\"id\":2}}"
                + "{\"execute\":\"guest-suspend-ram\"}{\"execute\":\"guest-ping\",\"id\":3}");
        assertThat(seenBySuspend).containsExactly("{\"return\": {}, \"id\": 1}\n{\"return\": 2}\n|");
        assertThat(fixture.transcript.withFlushes())
                .isEqualTo("{\"return\": {}, \"id\": 1}\n{\"return\": 2}\n|{\"return\": {}, \"id\": 3}\n|");
        // nothing to send, nothing to flush
        fixture.send("{\"execute\":\"guest-ping\"");
        assertThat(fixture.transcript.flushes).isZero();
    }

    @Test
    void keepsProcessingTheBatchWhenTheSinkFailsAndReportsTheFailureAfterwards() {
        Fixture fixture = new Fixture();
        FakeCommand later = FakeCommand.returning("later", Map.of());
        fixture.table.register(later);
        fixture.transcript.failWrites = new IOException("Broken pipe");
        byte[] bytes = "{\"execute\":\"guest-ping\"}{\"execute\":\"later\"}".getBytes();
        assertThatThrownBy(() -> fixture.session.receive(bytes, 0, bytes.length)).hasMessage("Broken pipe");
        assertThat(later.calls).hasSize(1);
        fixture.transcript.failWrites = null;
        assertThat(fixture.send("{\"execute\":\"guest-ping\"}")).isEqualTo("{\"return\": {}}\n");
    }

    @Test
    void reportsTheNestingLimitLikeV28() {
        assertThat(new Fixture().send("{\"execute\":\"guest-ping\",\"id\":" + "[".repeat(1024)))
                .isEqualTo(generic("JSON nesting depth limit exceeded"));
        assertThat(new Fixture().send("{\"execute\":\"guest-ping\",\"id\":" + "[".repeat(1023) + "]".repeat(1023) + "}"))
                .startsWith("{\"return\": {}, \"id\": [[[").endsWith("]]]}\n");
    }

    @Test
    void acceptsTheLargestTokenCountAndRejectsOneMore() {
        // qga-reference §7 limit vectors: 1,048,571 zeros = 2,097,151 tokens; 1,048,572 zeros is too many
        String zeros = "0," .repeat(1_048_570) + "0";
        String ok = new Fixture().send("{\"execute\":\"guest-ping\",\"id\":[" + zeros + "]}");
        assertThat(ok).startsWith("{\"return\": {}, \"id\": [0, 0, ").endsWith(", 0]}\n")
                .hasSize("{\"return\": {}, \"id\": []}\n".length() + 1_048_571 + 2 * 1_048_570);
        assertThat(new Fixture().send("{\"execute\":\"guest-ping\",\"id\":[" + zeros + ",0]}"))
                .isEqualTo(generic("JSON token count limit exceeded"));
    }

    @Test
    void rejectsMessagesOver64MiBAndLexesTheRestAfresh() {
        char[] big = new char[33 << 20];
        Arrays.fill(big, 'a');
        String text = new String(big);
        assertThat(new Fixture().send("{\"execute\":\"guest-ping\",\"id\":[\"" + text + "\",\"" + text + "\"]}"))
                .isEqualTo(generic("JSON token size limit exceeded")
                        + generic("JSON parse error, expecting value") + generic("JSON parse error, expecting value"));
    }

    @Test
    void escapesTheStrayTokenInTheReply() {
        assertThat(new Fixture().send("{\"execute\":\"gu\u00ffest\"}\n"))
                .startsWith(generic("JSON parse error, stray '\\\"gu\\uFFFD'"));
    }

    @Test
    void sessionsDoNotShareParserState() {
        Fixture fixture = new Fixture();
        ProtocolSession other = fixture.engine.openSession(new Transcript(), "other");
        Fixture.feed(other, "{\"execute\":\"guest-ping\"");
        String expectingValue = generic("JSON parse error, expecting value");
        String notAnObject = generic("QMP input must be a JSON object");
        assertThat(fixture.send(",\"id\":5}"))
                .isEqualTo(expectingValue + notAnObject + expectingValue + notAnObject + expectingValue);
    }
}
