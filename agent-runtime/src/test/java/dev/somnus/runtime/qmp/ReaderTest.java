package dev.somnus.runtime.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * qga-reference §1.4: the grammar, the error texts and their precedence, recovery and limits of
 * qemu 7.2's lexer, streamer and parser. Each case says what the reader reports for a stream.
 */
class ReaderTest {

    /** Outcomes as "value <json>" or "error <desc>". */
    static List<String> read(String isoText) {
        return read(isoText.getBytes(StandardCharsets.ISO_8859_1));
    }

    static List<String> read(byte[] bytes) {
        return parse(bytes).stream()
                .map(o -> o instanceof Failure f ? "error " + f.desc() : "value " + WriterTest.write(o))
                .toList();
    }

    record Failure(String desc) {
    }

    /** What the reader reports, in order: the parsed values themselves, or a {@link Failure}. */
    static List<Object> parse(byte[] bytes) {
        List<Object> outcomes = new ArrayList<>();
        JsonMessageReader reader = new JsonMessageReader(new JsonMessageReader.Listener() {
            @Override
            public void value(Object value) {
                outcomes.add(value);
            }

            @Override
            public void error(String desc) {
                outcomes.add(new Failure(desc));
            }
        });
        reader.feed(bytes, 0, bytes.length);
        return outcomes;
    }

    static String stray(String token) {
        return "error JSON parse error, stray '" + token + "'";
    }

    static String syntax(String message) {
        return "error JSON parse error, " + message;
    }

    @Test
    void acceptsSingleQuotedStringsAndTheApostropheEscape() {
        assertThat(read("'it\\'s' ")).containsExactly("value \"it's\"");
        assertThat(read("'say \"hi\"'")).containsExactly("value \"say \\\"hi\\\"\"");
        assertThat(read("'\\x'")).containsExactly(syntax("invalid escape sequence in string"));
        assertThat(read("\"it\\'s\"")).containsExactly("value \"it's\"");
    }

    @Test
    void decodesEscapesSurrogatePairsAndNul() {
        assertThat(read("\"\\u0000\\uD83D\\uDE00\\u00e9\\/\\b\\f\\n\\r\\t\"")).containsExactly(
                "value \"\\u0000\\uD83D\\uDE00\\u00E9/\\b\\f\\n\\r\\t\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"\\uD83D\"|\\uD83D is not a valid Unicode character",
        "\"\\uD83Dx\"|\\uD83D is not a valid Unicode character",
        "\"\\uD83D\\u0041\"|\\uD83D is not a valid Unicode character",
        "\"\\uDE00\"|\\uDE00 is not a valid Unicode character",
        "\"\\uFFFF\"|\\uFFFF is not a valid Unicode character",
        "\"\\uFDD0\"|\\uFDD0 is not a valid Unicode character",
        "\"\\uD83F\\uDFFE\"|\\uD83F\\uDFFE is not a valid Unicode character",
        "\"\\u12G4\"|\\u12G4 is not a valid Unicode character",
        "\"\\u12\"|\\u12\" is not a valid Unicode character",
        "\"\\q\"|invalid escape sequence in string",
        "\"\\\u00e9\"|invalid escape sequence in string",
    })
    void rejectsBadEscapesWithQemusText(String token, String message) {
        assertThat(read(token)).containsExactly(syntax(message));
    }

    @Test
    void validatesRawModifiedUtf8InStrings() {
        assertThat(read("\"\u00c3\u00a9\"")).containsExactly("value \"\\u00E9\"");
        assertThat(read("\"\u00f0\u009f\u0098\u0080\"")).containsExactly("value \"\\uD83D\\uDE00\"");
        // modified UTF-8: C0 80 is U+0000
        assertThat(read("\"\u00c0\u0080\"")).containsExactly("value \"\\u0000\"");
        for (String invalid : List.of("\u00e9", "\u00c0\u00af", "\u00ef\u00bf\u00bf", "\u00ed\u00a0\u0080",
                "\u0080", "\u00f4\u0090\u0080\u0080", "\u00c3")) {
            assertThat(read("\"" + invalid + "\"")).as(invalid).containsExactly(syntax("invalid UTF-8 sequence in string"));
        }
    }

    @Test
    void keepsIntegersAsInt64ThenUint64ThenDouble() {
        byte[] numbers = ("-0 9223372036854775807 -9223372036854775808 9223372036854775808 "
                + "18446744073709551615 18446744073709551616 -9223372036854775809 1.5 1e5 1E+2 -2.5e-1 0.0 ")
                .getBytes(StandardCharsets.US_ASCII);
        List<Object> values = parse(numbers);
        assertThat(values).containsExactly(0L, Long.MAX_VALUE, Long.MIN_VALUE,
                new BigInteger("9223372036854775808"), new BigInteger("18446744073709551615"),
                18446744073709551616.0, -9223372036854775809.0, 1.5, 100000.0, 100.0, -0.25, 0.0);
    }

    @Test
    void readsKeywordsAndRejectsUnknownOnes() {
        assertThat(read("[true,false,null]")).containsExactly("value [true, false, null]");
        assertThat(read("tru ")).containsExactly(syntax("invalid keyword 'tru'"));
        assertThat(read("{\"a\":nul}")).containsExactly(syntax("invalid keyword 'nul'"));
        // keywords are [a-z]+: an upper-case letter is a stray byte that also ends the keyword
        assertThat(read("nulL")).containsExactly(syntax("invalid keyword 'nul'"), stray("L"));
    }

    @Test
    void cutsOverlongKeywordMessagesAt1023Bytes() {
        String word = "x".repeat(2000);
        String message = ("invalid keyword '" + word + "'").substring(0, 1023);
        assertThat(read(word + " ")).containsExactly(syntax(message));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\" 1}|missing : in object pair",
        "{\"a\":1 \"b\":2}|expected separator in dict",
        "[1 2]|expected separator in list",
        "{1:2}|key is not a string in object",
        "{[]:2}|key is not a string in object",
        "[1,]|expecting value",
        "{\"a\":1,}|expecting value",
        "{\"a\":}|expecting value",
        "{\"a\":1,\"a\":2}|duplicate key",
        // the value is parsed before the duplicate is noticed
        "{\"a\":1,\"a\":}|expecting value",
        "{\"a\":1,\"a\":tru}|invalid keyword 'tru'",
        "]|expecting value",
        "}|expecting value",
        ":|expecting value",
        ",|expecting value",
        "{]|expecting value",
    })
    void reportsTheFirstSyntaxErrorWithQemusText(String input, String message) {
        assertThat(read(input)).containsExactly(syntax(message));
    }

    @Test
    void endsAMessageAtTheFirstCloserWithoutOpener() {
        // "[}" is parsed at the "}", and the "]" is a message of its own
        assertThat(read("[}]")).containsExactly(syntax("expecting value"), syntax("expecting value"));
        assertThat(read("[1,}2]")).containsExactly(syntax("expecting value"), "value 2", syntax("expecting value"));
        // while both counts stay non-negative the message goes on
        assertThat(read("{\"a\":[}]")).containsExactly(syntax("expecting value"));
    }

    @Test
    void namesTheStrayTokenSoFar() {
        assertThat(read("01")).containsExactly(stray("01"));
        assertThat(read("%")).containsExactly(stray("%"));
        assertThat(read("A")).containsExactly(stray("A"));
        assertThat(read("-x")).containsExactly(stray("-x"));
        assertThat(read("1.x")).containsExactly(stray("1.x"));
        assertThat(read("1e}")).containsExactly(stray("1e}"));
        assertThat(read("\u00ff")).containsExactly(stray("\uFFFD"));
        assertThat(read("\"a\tb\"")).containsExactly(stray("\"a\t"));
        assertThat(read("\"a\u00feb\"")).containsExactly(stray("\"a\uFFFD"));
        assertThat(read("\"\u00c3\u00a9\u00ff")).containsExactly(stray("\"\u00e9\uFFFD"));
        // the token text is a C string in qemu: a NUL byte ends it
        assertThat(read("\"ab\u0000")).containsExactly(stray("\"ab"));
    }

    @Test
    void recoversAtStructuralCharactersAndLineEnds() {
        // the stray message discards the queued tokens; the rest of the message is lexed anew
        assertThat(read("{\"execute\":\"gu\u00ffest-ping\",\"id\":1}")).containsExactly(
                stray("\"gu\uFFFD"),
                syntax("expecting value"),
                "value \"id\"",
                syntax("expecting value"),
                "value 1",
                syntax("expecting value"));
        assertThat(read("%abc\n42\n")).containsExactly(stray("%"), "value 42");
        assertThat(read("%abc]")).containsExactly(stray("%"), syntax("expecting value"));
    }

    @Test
    void doesNotEndRecoveryAtTab() {
        assertThat(read("%\t42\t")).containsExactly(stray("%"));
    }

    @Test
    void endsRecoveryAtImpossibleBytesAndControlCharactersWhichAreStrayThemselves() {
        assertThat(read("%\u00fe")).containsExactly(stray("%"), stray("\uFFFD"));
        assertThat(read("%\u0001")).containsExactly(stray("%"), stray("\u0001"));
        assertThat(read("\u001b\u001b")).containsExactly(stray("\u001b"), stray("\u001b"));
    }

    @Test
    void endsAMessageWhenItsBracketsClose() {
        assertThat(read("{\"a\":[1,{\"b\":[]}]}{}\"s\"[]")).containsExactly(
                "value {\"a\": [1, {\"b\": []}]}", "value {}", "value \"s\"", "value []");
        // a number waits for the byte after it
        assertThat(read("[1]2")).containsExactly("value [1]");
    }

    @Test
    void allowsNesting1024AndRejectsTheOpenerBeyond() {
        assertThat(read("[".repeat(1024) + "]".repeat(1024))).hasSize(1).allMatch(o -> o.startsWith("value [[[["));
        // no recovery after a limit: each remaining closer is a message of its own
        assertThat(read("[".repeat(1025) + "]]")).containsExactly(
                "error JSON nesting depth limit exceeded", syntax("expecting value"), syntax("expecting value"));
    }

    @Test
    void countsAtMost2To21TokensPerMessage() {
        // "[" + n × "0," + "0]": 2n + 3 tokens
        int n = ((1 << 21) - 3) / 2;
        assertThat(read(array(n))).hasSize(1).allMatch(o -> o.startsWith("value [0, 0"));
        assertThat(read(array(n + 1))).containsExactly("error JSON token count limit exceeded");
    }

    private static byte[] array(int commas) {
        byte[] bytes = new byte[2 * commas + 3];
        bytes[0] = '[';
        for (int i = 0; i < commas; i++) {
            bytes[1 + 2 * i] = '0';
            bytes[2 + 2 * i] = ',';
        }
        bytes[bytes.length - 2] = '0';
        bytes[bytes.length - 1] = ']';
        return bytes;
    }

    @Test
    void cutsATokenLongerThan64MiB() {
        int max = 64 << 20;
        byte[] bytes = new byte[1 + max + 2];
        Arrays.fill(bytes, (byte) 'a');
        bytes[0] = '"';
        bytes[bytes.length - 2] = '"';
        bytes[bytes.length - 1] = '\n';
        // the cut leaves the lexer in its start state: the closing quote opens a string that LF breaks
        assertThat(read(bytes)).containsExactly("error JSON token size limit exceeded", stray("\"\n"));
    }

    @Test
    void givesParsedObjectsInRequestOrder() {
        List<Object> values = parse("{\"z\":1,\"a\":2,\"m\":3}".getBytes(StandardCharsets.US_ASCII));
        assertThat(new ArrayList<Object>(((Map<?, ?>) values.get(0)).keySet())).containsExactly("z", "a", "m");
    }
}
