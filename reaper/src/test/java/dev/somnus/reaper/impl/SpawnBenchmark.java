package dev.somnus.reaper.impl;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildSpec;

/**
 * Spawn-and-reap of /bin/true: the reaper side by side with ProcessBuilder in the same JVM,
 * rounds interleaved so both see the same machine. Each operation starts one child and waits
 * for its exit status; prints operations per second, p50 and p99 latency, and the zombies left.
 *
 * <pre>
 * mvn -B -q -o -pl api,reaper -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp reaper/target/test-classes:reaper/target/classes:$(cat reaper/target/cp.txt) \
 *     dev.somnus.reaper.impl.SpawnBenchmark [operations per round, default 2000] [rounds, default 3]
 * </pre>
 */
public final class SpawnBenchmark {

    private interface Operation {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Reaper reaper = new Reaper(new Reaper.Settings("/usr/bin:/bin", true, Duration.ofSeconds(1)),
                new Fixtures.RecordingLog());
        ChildSpec spec = ChildSpec.of("/bin/true");
        Operation viaReaper = () -> {
            ChildOutcome out = reaper.spawn(spec).await();
            if (!out.succeeded()) {
                throw new IllegalStateException(out.describe());
            }
        };
        ProcessBuilder builder = new ProcessBuilder("/bin/true").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Operation viaProcessBuilder = () -> {
            int code = builder.start().waitFor();
            if (code != 0) {
                throw new IllegalStateException("exit " + code);
            }
        };
        try {
            measure(viaReaper, perRound / 4); // warm-up, not reported
            measure(viaProcessBuilder, perRound / 4);
            long[] reaperNanos = new long[0];
            long[] builderNanos = new long[0];
            long reaperTotal = 0;
            long builderTotal = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                reaperNanos = concat(reaperNanos, measure(viaReaper, perRound));
                long t1 = System.nanoTime();
                builderNanos = concat(builderNanos, measure(viaProcessBuilder, perRound));
                long t2 = System.nanoTime();
                reaperTotal += t1 - t0;
                builderTotal += t2 - t1;
            }
            System.out.printf("spawn-and-reap of /bin/true, %d rounds x %d operations, one at a time%n", rounds,
                    perRound);
            report("reaper (posix_spawn)", reaperNanos, reaperTotal);
            report("ProcessBuilder", builderNanos, builderTotal);
        } finally {
            reaper.close();
        }
        System.out.printf("zombie children of this JVM afterwards: %d%n", Fixtures.zombieChildren().size());
    }

    private static long[] measure(Operation op, int count) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            op.run();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static void report(String name, long[] nanos, long totalNanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("  %-22s %6.0f spawns/s   p50 %7.3f ms   p90 %7.3f ms   p99 %7.3f ms   max %7.3f ms%n",
                name, nanos.length / (totalNanos / 1e9), millis(percentile(sorted, 0.50)),
                millis(percentile(sorted, 0.90)), millis(percentile(sorted, 0.99)), millis(sorted[sorted.length - 1]));
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static double millis(long nanos) {
        return nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private SpawnBenchmark() {
    }
}
