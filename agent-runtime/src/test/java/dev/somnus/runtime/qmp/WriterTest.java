package dev.somnus.runtime.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** qga-reference §1.2: the exact text qemu's JSON writer produces. */
class WriterTest {

    static String write(Object value) {
        GrowableBytes out = new GrowableBytes(16);
        JsonWriter.writeValue(out, value);
        return new String(out.array(), 0, out.length(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void escapesQuotesBackslashAndControlCharactersButNotTheSlash() {
        assertThat(write("\"\\/\b\f\n\r\t\u0001\u001F\u007F"))
                .isEqualTo("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001F\\u007F\"");
    }

    @Test
    void writesOnlyAsciiWithUpperCaseEscapes() {
        assertThat(write("é€")).isEqualTo("\"\\u00E9\\u20AC\"");
        assertThat(write("\u00ff")).isEqualTo("\"\\u00FF\"");
    }

    @Test
    void writesCharactersBeyondTheBmpAsSurrogatePairs() {
        assertThat(write("😀")).isEqualTo("\"\\uD83D\\uDE00\"");
    }

    @Test
    void replacesWhatQemuCannotHoldWithTheReplacementCharacter() {
        assertThat(write("a\uD800b")).isEqualTo("\"a\\uFFFDb\"");
        assertThat(write("\uDC00")).isEqualTo("\"\\uFFFD\"");
        assertThat(write("\uFFFE\uFDD0")).isEqualTo("\"\\uFFFD\\uFFFD\"");
        assertThat(write("\u0000")).isEqualTo("\"\\u0000\"");
    }

    @Test
    void separatesWithColonSpaceAndCommaSpace() {
        assertThat(write(List.of(1L, "a", true, false, List.of(), Map.of()))).isEqualTo("[1, \"a\", true, false, [], {}]");
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", null);
        assertThat(write(nested)).isEqualTo("{\"a\": null}");
    }

    @Test
    void writesIntegersAsQNumsDo() {
        assertThat(write(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(write(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
        assertThat(write(7)).isEqualTo("7");
        assertThat(write(new BigInteger("18446744073709551615"))).isEqualTo("18446744073709551615");
        assertThat(write(new BigInteger("18446744073709551616"))).isEqualTo("1.8446744073709552e+19");
        assertThat(write(new BigInteger("-9223372036854775809"))).isEqualTo("-9.2233720368547758e+18");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // expectations from C's printf("%.17g") (via Python's % operator)
        "1e5, 100000",
        "-0.5E-3, -0.00050000000000000001",
        "-12345678901234567890, -1.2345678901234567e+19",
        "1e400, inf",
        "-1e400, -inf",
        "0.1, 0.10000000000000001",
        "0.3, 0.29999999999999999",
        "1.5, 1.5",
        "1e-5, 1.0000000000000001e-05",
        "1e-4, 0.0001",
        "1e16, 10000000000000000",
        "1e17, 1e+17",
        "9.999999999999998e16, 99999999999999984",
        "5e-324, 4.9406564584124654e-324",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "123.456, 123.456",
        "9007199254740992.0, 9007199254740992",
        "-0.0, -0",
        "0, 0",
        "100.0, 100",
        "0.00012345678901234567, 0.00012345678901234567",
        "1234567890123456789.0, 1.2345678901234568e+18",
        "2.5e-300, 2.5e-300",
        "0.3333333333333333, 0.33333333333333331",
    })
    void writesDoublesAsPrintfPercentPoint17g(String literal, String expected) {
        assertThat(DoubleFormat.format(Double.parseDouble(literal))).isEqualTo(expected);
        assertThat(write(Double.parseDouble(literal))).isEqualTo(expected);
    }

    @Test
    void writesNotANumberAsGlibcDoes() {
        assertThat(DoubleFormat.format(Double.NaN)).isEqualTo("nan");
    }

    @Test
    void ordersObjectMembersByQDictBucketNotInsertion() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("foo", 1L);
        request.put("bar", 2L);
        assertThat(write(request)).isEqualTo("{\"bar\": 2, \"foo\": 1}");

        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("error", Map.of("desc", "d", "class", "c"));
        reply.put("id", 1L);
        reply.put("return", 2L);
        assertThat(write(reply)).isEqualTo("{\"return\": 2, \"id\": 1, \"error\": {\"class\": \"c\", \"desc\": \"d\"}}");
    }

    @Test
    void putsTheLaterInsertedKeyFirstWithinOneBucket() {
        // "aa" and "aq" share a bucket
        assertThat(QDictOrder.bucket("aa")).isEqualTo(QDictOrder.bucket("aq"));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("aa", 1L);
        map.put("aq", 2L);
        assertThat(write(map)).isEqualTo("{\"aq\": 2, \"aa\": 1}");
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("aq", 2L);
        reversed.put("aa", 1L);
        assertThat(write(reversed)).isEqualTo("{\"aa\": 1, \"aq\": 2}");
    }

    @Test
    void hashesKeysIntoTheBucketsQemuUses() {
        Map<String, Integer> buckets = Map.ofEntries(
                Map.entry("enabled", 33), Map.entry("name", 39), Map.entry("version", 184),
                Map.entry("class", 211), Map.entry("count", 243), Map.entry("buf-b64", 310),
                Map.entry("desc", 377), Map.entry("eof", 383), Map.entry("return", 401),
                Map.entry("success-response", 472), Map.entry("supported_commands", 484),
                Map.entry("id", 486), Map.entry("error", 489), Map.entry("é", 100));
        buckets.forEach((key, bucket) -> assertThat(QDictOrder.bucket(key)).as(key).isEqualTo(bucket));
    }

    @Test
    void refusesValuesWithoutAJsonForm() {
        assertThatThrownBy(() -> write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> write(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
    }
}
