package dev.somnus.runtime.channel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** A channel loop started from a property map, with an echo protocol and a recording logger. */
final class RunningChannel implements AutoCloseable {

    final EchoProtocol protocol = new EchoProtocol();
    final RecordingLogger log = new RecordingLogger();
    final AtomicInteger exits = new AtomicInteger();
    final ChannelLoop loop;

    RunningChannel(Map<String, String> properties) {
        this(properties, Duration.ofHours(1));
    }

    RunningChannel(Map<String, String> properties, Duration retryInterval) {
        loop = new ChannelLoop(() -> ChannelSettings.from(properties::get), protocol, log.logger, retryInterval,
                exits::incrementAndGet);
        loop.start();
    }

    /** Waits (up to 20 s, to survive a loaded machine) until the condition holds. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** The error lines qemu-ga logs when the channel cannot be created for {@code reason}. */
    static List<String> creationFailure(String reason) {
        return List.of(reason, "failed to create guest agent channel", "failed to initialize guest agent channel");
    }

    /** Waits until the loop's thread has ended by itself (it gave up and asked to exit). */
    void awaitEnd() {
        eventually("channel thread ends", () -> !loop.isAlive());
    }

    @Override
    public void close() {
        loop.stop();
    }
}
