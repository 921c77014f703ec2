package dev.somnus.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.somnus.api.command.CommandException;
import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import dev.somnus.runtime.protocol.ProtocolSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the whole protocol path a host's bytes take: lexer, streamer,
 * parser, §1.3 checks, gating, argument validation and dispatch to commands (qga-reference §1).
 * Arbitrary bytes, cut into chunks at arbitrary points, must:
 * <ul>
 * <li>never let an exception out of {@link ProtocolSession#receive} (a bug of a command is caught
 * and answered; everything else would end the channel);</li>
 * <li>give exactly the replies the same bytes give in one piece (state carries across reads);</li>
 * <li>leave the session able to answer: after them, the resynchronisation byte 0xFF and a
 * {@code guest-ping} with an id always get that ping's reply, last;</li>
 * <li>finish (Jazzer reports a hang as a timeout finding).</li>
 * </ul>
 * Memory stays bounded by the reader's per-message limits (64 MiB of token text, 2^21 tokens,
 * nesting 1024; see ReaderTest); fuzzed inputs are far below them.
 *
 * <p>In a normal build this runs in regression mode: every input kept in
 * {@code src/test/resources/dev/somnus/runtime/dispatch/ProtocolFuzzTestInputs/} (the corpus, and
 * each finding as it was fixed) once. To fuzz (README, "Reliability"):
 * {@code JAZZER_FUZZ=1 mvn -pl agent-runtime -am test -Dtest=ProtocolFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("fuzz") // in a JVM of its own (see the pom)
class ProtocolFuzzTest {

    private static final String END = "\u00ff{\"execute\":\"guest-ping\",\"id\":\"fuzz-end\"}";
    private static final String END_REPLY = "{\"return\": {}, \"id\": \"fuzz-end\"}\n";

    @FuzzTest(maxDuration = "10m")
    @DictionaryEntries({"{", "}", "[", "]", ":", ",", "\"execute\"", "\"arguments\"", "\"id\"", "'execute'",
        "\"guest-ping\"", "\"guest-sync\"", "\"guest-sync-delimited\"", "\"guest-info\"", "\"guest-exec\"",
        "\"guest-file-read\"", "\"guest-suspend-disk\"", "\"__dev.somnus_odd\"", "\"handle\"", "\"path\"",
        "\"exec-oob\"", "\\u0000", "\\ud800", "\\\"", "1e400", "-0", "18446744073709551616", "true", "null",
        "\u00ff", "\u00fe", "\u00c3\u00a9"})
    void arbitraryBytesInArbitraryChunks(FuzzedDataProvider data) throws IOException {
        int cuts = data.consumeInt(0, 8);
        int[] cutAt = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            cutAt[i] = data.consumeInt(0, 4096);
        }
        byte[] input = data.consumeRemainingAsBytes();

        String whole = run(input, new int[0]);
        String chunked = run(input, cutAt);

        assertThat(chunked).as("replies independent of how the bytes were cut").isEqualTo(whole);
        assertThat(whole).as("the session still answers after those bytes").endsWith(END_REPLY);
    }

    /** The same target for Jazzer's standalone driver (libFuzzer's -merge=1, to keep the corpus small). */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws IOException {
        new ProtocolFuzzTest().arbitraryBytesInArbitraryChunks(data);
    }

    /** Feeds {@code input} cut at {@code cutAt}, then {@link #END}; returns every reply byte as chars 0-255. */
    private static String run(byte[] input, int[] cutAt) throws IOException {
        Fixture fixture = new Fixture(Gate.of("guest-exec", null), false);
        registerOddCommands(fixture);
        int[] cuts = Arrays.stream(cutAt).map(c -> Math.min(c, input.length)).sorted().toArray();
        int from = 0;
        for (int cut : cuts) {
            fixture.session.receive(input, from, cut - from);
            from = cut;
        }
        fixture.session.receive(input, from, input.length - from);
        byte[] end = END.getBytes(StandardCharsets.ISO_8859_1);
        fixture.session.receive(end, 0, end.length);
        return fixture.transcript.text();
    }

    /** Commands that misbehave in the ways a bundle might, so the fuzzer can reach them. */
    private static void registerOddCommands(Fixture fixture) {
        fixture.table.register(new FakeCommand("guest-suspend-disk", List.of(), false, args -> Map.of()));
        fixture.table.register(new FakeCommand("__dev.somnus_odd",
                List.of(Parameter.optional("n", JsonType.INTEGER), Parameter.optional("any", JsonType.ANY)), true,
                args -> {
                    Object n = args.get("n");
                    if (n instanceof Long value) {
                        switch ((int) (value & 3)) {
                            case 0: throw new IllegalStateException("a bug in a command");
                            case 1: throw new CommandException("a refusal");
                            case 2: return new Object(); // no JSON form
                            default: return Map.of("echo", args.getOrDefault("any", "none"));
                        }
                    }
                    return null;
                }));
    }
}
