package dev.somnus.runtime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.runtime.protocol.ProtocolSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Several channels' sessions dispatch at once while command services come and go. */
class ConcurrencyTest {

    @Test
    void sessionsOnSeveralThreadsAnswerEveryRequestWhileCommandsComeAndGo() throws Exception {
        CommandTable table = new CommandTable();
        QgaEngine engine = new QgaEngine(table, Gate.OPEN, QgaEngine.DEFAULT_VERSION, RecordingLogger.silent());
        String found = "{\"return\": {\"host-name\": \"vm\"}, \"id\": 1}\n";
        String notFound = DispatchTest.error("1", "CommandNotFound", "The command guest-get-host-name has not been found");
        String ping = "{\"return\": {}, \"id\": 2}\n";
        String requests = "{\"execute\":\"guest-get-host-name\",\"id\":1}{\"execute\":\"guest-ping\",\"id\":2}";

        AtomicBoolean running = new AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            while (running.get()) {
                long key = table.register(FakeCommand.returning("guest-get-host-name", Map.of("host-name", "vm")));
                table.remove(key);
            }
        });
        churn.start();
        int threads = 4;
        int rounds = 2000;
        List<Transcript> transcripts = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            Transcript transcript = new Transcript();
            transcripts.add(transcript);
            ProtocolSession session = engine.openSession(transcript, "thread " + t);
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        Fixture.feed(session, requests);
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        running.set(false);
        churn.join();

        assertThat(failures).isEmpty();
        for (Transcript transcript : transcripts) {
            String text = transcript.text();
            int replies = 0;
            for (int at = 0; at < text.length(); ) {
                String rest = text.substring(at);
                String reply = rest.startsWith(found) ? found : rest.startsWith(notFound) ? notFound : null;
                assertThat(reply).as("reply at %d: %s", at, rest.substring(0, Math.min(120, rest.length()))).isNotNull();
                assertThat(text.startsWith(ping, at + reply.length())).isTrue();
                at += reply.length() + ping.length();
                replies++;
            }
            assertThat(replies).isEqualTo(rounds);
        }
    }
}
