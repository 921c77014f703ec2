package dev.somnus.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.runtime.protocol.ProtocolSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** qga-reference §7: qemu-ga 7.2.22's replies, byte for byte, however the bytes arrive. */
class VectorsTest {

    record Vector(String name, String request, String response) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Vector> vectors() throws IOException {
        List<Vector> vectors = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                VectorsTest.class.getResourceAsStream("qga-vectors.txt"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                vectors.add(new Vector(fields[0], Fixture.unescape(fields[1]), Fixture.unescape(fields[2])));
            }
        }
        return vectors;
    }

    static Stream<Vector> each() throws IOException {
        return vectors().stream();
    }

    @ParameterizedTest
    @MethodSource("each")
    void answersLikeQemuGa(Vector vector) {
        assertThat(new Fixture().send(vector.request())).isEqualTo(vector.response());
    }

    @ParameterizedTest
    @MethodSource("each")
    void answersTheSameWhereverTheBytesAreSplit(Vector vector) {
        String request = vector.request();
        Fixture fixture = new Fixture();
        for (int cut = 0; cut <= request.length(); cut++) {
            Transcript transcript = new Transcript();
            ProtocolSession session = fixture.engine.openSession(transcript, "split");
            Fixture.feed(session, request.substring(0, cut));
            Fixture.feed(session, request.substring(cut));
            assertThat(transcript.text()).as("split at %d", cut).isEqualTo(vector.response());
        }
        for (int first = 0; first <= request.length(); first++) {
            for (int second = first; second <= request.length(); second++) {
                Transcript transcript = new Transcript();
                ProtocolSession session = fixture.engine.openSession(transcript, "split");
                Fixture.feed(session, request.substring(0, first));
                Fixture.feed(session, request.substring(first, second));
                Fixture.feed(session, request.substring(second));
                assertThat(transcript.text()).as("split at %d and %d", first, second)
                        .isEqualTo(vector.response());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("each")
    void answersTheSameOneByteAtATime(Vector vector) {
        Fixture fixture = new Fixture();
        for (char c : vector.request().toCharArray()) {
            Fixture.feed(fixture.session, String.valueOf(c));
        }
        assertThat(fixture.transcript.text()).isEqualTo(vector.response());
    }

    @Test
    void answersEveryRequestOfOnePipelinedBufferInOrder() throws IOException {
        StringBuilder requests = new StringBuilder();
        StringBuilder responses = new StringBuilder();
        for (int round = 0; round < 40; round++) {
            for (Vector vector : vectors()) {
                requests.append(vector.request());
                responses.append(vector.response());
            }
        }
        Fixture whole = new Fixture();
        assertThat(whole.send(requests.toString())).isEqualTo(responses.toString());

        Fixture chunked = new Fixture();
        Random random = new Random(42);
        for (int at = 0; at < requests.length(); ) {
            int end = Math.min(requests.length(), at + 1 + random.nextInt(4096));
            Fixture.feed(chunked.session, requests.substring(at, end));
            at = end;
        }
        assertThat(chunked.transcript.text()).isEqualTo(responses.toString());
    }

    @Test
    void aTopLevelNumberIsAnsweredOnlyOnceTheNextByteEndsIt() {
        Fixture fixture = new Fixture();
        assertThat(fixture.send("42")).isEmpty();
        assertThat(fixture.send("\n")).isEqualTo(
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}\n");
    }

    @Test
    void aHalfRequestIsCompletedByTheNextBytesOfTheSameSession() {
        // V27 within one session (the channel decides whether connections share one)
        Fixture fixture = new Fixture();
        assertThat(fixture.send("{\"execute\":\"guest-ping\"")).isEmpty();
        assertThat(fixture.send(",\"id\":5}")).isEqualTo("{\"return\": {}, \"id\": 5}\n");
    }
}
