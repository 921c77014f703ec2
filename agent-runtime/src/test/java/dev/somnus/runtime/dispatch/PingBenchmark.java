package dev.somnus.runtime.dispatch;

import dev.somnus.runtime.protocol.ProtocolSession;
import dev.somnus.runtime.protocol.ReplySink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A micro-benchmark, not a test: a session answering 100,000 pipelined {@code guest-ping}
 * requests (each with a numeric id) fed in 4096-byte reads, as a channel would. Prints requests per
 * second. Run with:
 *
 * <pre>
 * mvn -q -o -pl agent-runtime -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp agent-runtime/target/classes:agent-runtime/target/test-classes:$(cat /tmp/cp.txt) \
 *      dev.somnus.runtime.dispatch.PingBenchmark
 * </pre>
 */
public final class PingBenchmark {

    private static final int REQUESTS = 100_000;
    private static final int READ = 4096;

    public static void main(String[] args) throws IOException {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < REQUESTS; i++) {
            requests.append("{\"execute\":\"guest-ping\",\"id\":").append(i).append("}\n");
        }
        byte[] input = requests.toString().getBytes(StandardCharsets.US_ASCII);
        QgaEngine engine = new QgaEngine(new CommandTable(), Gate.OPEN, QgaEngine.DEFAULT_VERSION, RecordingLogger.silent());

        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        double best = 0;
        for (int round = 0; round < rounds; round++) {
            CountingSink sink = new CountingSink();
            ProtocolSession session = engine.openSession(sink, "benchmark");
            long start = System.nanoTime();
            for (int at = 0; at < input.length; at += READ) {
                session.receive(input, at, Math.min(READ, input.length - at));
            }
            long elapsed = System.nanoTime() - start;
            if (sink.lines != REQUESTS) {
                throw new IllegalStateException("expected " + REQUESTS + " replies, got " + sink.lines);
            }
            double perSecond = REQUESTS / (elapsed / 1e9);
            best = Math.max(best, perSecond);
            System.out.printf("round %2d: %,.0f guest-ping/s (%.1f ms)%n", round, perSecond, elapsed / 1e6);
        }
        System.out.printf("best: %,.0f guest-ping/s in one session%n", best);
        CountingSink sample = new CountingSink();
        sample.keep = true;
        engine.openSession(sample, "sample").receive(input, 0, 64);
        System.out.print("first reply: " + sample.kept.toString(StandardCharsets.US_ASCII));
    }

    private static final class CountingSink implements ReplySink {
        int lines;
        boolean keep;
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (bytes[offset + length - 1] == '\n') {
                lines++;
            }
            if (keep) {
                kept.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() {
        }
    }
}
