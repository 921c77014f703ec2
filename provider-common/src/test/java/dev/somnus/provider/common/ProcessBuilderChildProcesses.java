package dev.somnus.provider.common;

import dev.somnus.api.process.ChildOutcome;
import dev.somnus.api.process.ChildProcess;
import dev.somnus.api.process.ChildProcesses;
import dev.somnus.api.process.ChildSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test double of the reaper's {@link ChildProcesses} on {@link ProcessBuilder}: test code only, so
 * provider tests can run fake helper scripts without the reaper bundle. Differences from the reaper
 * a test must respect: bare program names are looked up in {@code PATH} (tests always configure
 * absolute paths to fake scripts), and an exit status above 128 is read as death by signal
 * (status − 128), as a shell reports it — fake scripts exit below 128 unless they mean a signal.
 * Every spawned argv is recorded in {@link #spawned()}, every spec in {@link #specs()}.
 */
public final class ProcessBuilderChildProcesses implements ChildProcesses {

    private static final Pattern ERRNO = Pattern.compile("error=(\\d+), (.*)$");

    /** Own threads: the common pool has one thread on a 2-core machine, and these threads block. */
    private static final java.util.concurrent.ExecutorService WAITERS = java.util.concurrent.Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-child-waiter");
        thread.setDaemon(true);
        return thread;
    });

    private final List<List<String>> spawned = new CopyOnWriteArrayList<>();
    private final List<ChildSpec> specs = new CopyOnWriteArrayList<>();

    @Override
    public ChildProcess spawn(ChildSpec spec) {
        spawned.add(spec.argv());
        specs.add(spec);
        Instant started = Instant.now();
        ProcessBuilder builder = new ProcessBuilder(spec.argv())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(spec.stdout() == ChildSpec.Stdio.INHERIT
                        ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD)
                .redirectError(spec.stderr() == ChildSpec.Stdio.CAPTURE ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.DISCARD);
        spec.workingDirectory().ifPresent(dir -> builder.directory(dir.toFile()));
        spec.environment().ifPresent(env -> {
            builder.environment().clear();
            builder.environment().putAll(env);
        });
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            Matcher m = ERRNO.matcher(String.valueOf(e.getMessage()));
            ChildOutcome failed = m.find()
                    ? ChildOutcome.failedToStart(spec.argv(), Integer.parseInt(m.group(1)), m.group(2))
                    : ChildOutcome.failedToStart(spec.argv(), -1, String.valueOf(e.getMessage()));
            return handle(-1, spec.argv(), started, CompletableFuture.completedFuture(failed), () -> { });
        }
        CompletableFuture<ChildOutcome> outcome = CompletableFuture.supplyAsync(() -> awaitEnd(spec, process, started), WAITERS);
        return handle(process.pid(), spec.argv(), started, outcome, process::destroy);
    }

    /** Every argv spawned so far, in order. */
    public List<List<String>> spawned() {
        return List.copyOf(spawned);
    }

    /** Every spec spawned so far, in order (stdio, timeout, whether it survives the stop). */
    public List<ChildSpec> specs() {
        return List.copyOf(specs);
    }

    private static ChildOutcome awaitEnd(ChildSpec spec, Process process, Instant started) {
        try {
            byte[] stderr = new byte[0];
            CompletableFuture<byte[]> reader = spec.stderr() == ChildSpec.Stdio.CAPTURE
                    ? CompletableFuture.supplyAsync(() -> readCapped(process.getErrorStream(), spec.outputCap()), WAITERS)
                    : CompletableFuture.completedFuture(new byte[0]);
            boolean ended;
            if (spec.timeout().isPresent()) {
                ended = process.waitFor(spec.timeout().get().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                process.waitFor();
                ended = true;
            }
            if (!ended) {
                process.destroyForcibly().waitFor();
                return ChildOutcome.timedOut(spec.argv(), 9, new byte[0], reader.join(), false,
                        Duration.between(started, Instant.now()));
            }
            stderr = reader.join();
            int status = process.exitValue();
            Duration elapsed = Duration.between(started, Instant.now());
            return status > 128
                    ? ChildOutcome.signalled(spec.argv(), status - 128, new byte[0], stderr, false, elapsed)
                    : ChildOutcome.exited(spec.argv(), status, new byte[0], stderr, false, elapsed);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return ChildOutcome.signalled(spec.argv(), 9, new byte[0], new byte[0], false, Duration.ZERO);
        }
    }

    private static byte[] readCapped(InputStream in, int cap) {
        try (in) {
            byte[] all = in.readAllBytes();
            return all.length <= cap ? all : java.util.Arrays.copyOf(all, cap);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static ChildProcess handle(long pid, List<String> argv, Instant started,
            CompletableFuture<ChildOutcome> outcome, Runnable cancel) {
        return new ChildProcess() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public List<String> argv() {
                return argv;
            }

            @Override
            public Instant started() {
                return started;
            }

            @Override
            public CompletionStage<ChildOutcome> outcome() {
                return outcome;
            }

            @Override
            public void cancel() {
                cancel.run();
            }
        };
    }
}
