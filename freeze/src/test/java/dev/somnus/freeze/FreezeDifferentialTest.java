package dev.somnus.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * guest-fsfreeze-status against the live qemu-ga 7.2, the only command of the family that may run
 * on this machine (the reference refuses to enable the others): thawed after a plain start, and
 * frozen after a start that finds {@code qga.state.isfrozen} in the state folder, as both agents
 * do after one died frozen. Neither freezes anything; ours runs on the real root with stand-in
 * ioctls that are never called.
 */
@EnabledIf("dev.somnus.testkit.ReferenceQemuGa#installed")
class FreezeDifferentialTest {

    @Test
    void statusIsThawedAfterAPlainStart(@TempDir Path dir) throws Exception {
        Path state = Files.createDirectories(dir.resolve("ours"));

        assertThat(ours(state)).isEqualTo(reference(dir.resolve("qga")));
    }

    @Test
    void statusIsFrozenAfterAStartThatFindsTheMarker(@TempDir Path dir) throws Exception {
        Path state = Files.createDirectories(dir.resolve("ours"));
        Files.createFile(state.resolve(GuestFreeze.MARKER));
        Path qga = Files.createDirectories(dir.resolve("qga"));
        Files.createFile(qga.resolve(GuestFreeze.MARKER));

        String theirs = reference(qga);

        assertThat(theirs).isEqualTo("{\"return\": \"frozen\"}");
        assertThat(ours(state)).isEqualTo(theirs);
    }

    private static String ours(Path state) throws Exception {
        List<String> calls = new ArrayList<>();
        GuestFreeze freeze = new GuestFreeze(new GuestFreeze.Settings(Path.of("/"), state, null, Duration.ZERO),
                new FakeFileSystems(Path.of("/"), calls), () -> null, frozen -> () -> { }, new GuestFreeze.Log() {
                    @Override
                    public void info(String message) {
                    }

                    @Override
                    public void warning(String message) {
                    }
                });
        try {
            String reply = Replies.render(new FsfreezeStatusCommand(freeze).execute(Map.of()));
            assertThat(calls).isEmpty();
            return reply;
        } finally {
            freeze.stop();
        }
    }

    private static String reference(Path dir) throws Exception {
        try (ReferenceQemuGa qemuGa = ReferenceQemuGa.start(dir, List.of("guest-fsfreeze-status"));
                QgaClient client = qemuGa.connect()) {
            return client.call("{\"execute\":\"guest-fsfreeze-status\"}\n").stripTrailing();
        }
    }
}
