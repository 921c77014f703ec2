package dev.somnus.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.JsonType;
import dev.somnus.api.command.Parameter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The five commands as a host calls them: names, arguments, replies as the agent writes them. */
class FreezeCommandsTest {

    @TempDir
    Path dir;

    FreezeFixture guest;
    GuestFreeze freeze;

    @BeforeEach
    void fakeGuest() throws Exception {
        guest = new FreezeFixture(dir);
        freeze = guest.start();
    }

    @Test
    void namesAndArgumentsAreQemuGas() {
        assertThat(new FsfreezeStatusCommand(freeze).name()).isEqualTo("guest-fsfreeze-status");
        assertThat(new FsfreezeFreezeCommand(freeze).name()).isEqualTo("guest-fsfreeze-freeze");
        assertThat(new FsfreezeFreezeListCommand(freeze).name()).isEqualTo("guest-fsfreeze-freeze-list");
        assertThat(new FsfreezeThawCommand(freeze).name()).isEqualTo("guest-fsfreeze-thaw");
        assertThat(new FstrimCommand(freeze).name()).isEqualTo("guest-fstrim");
        assertThat(new FsfreezeStatusCommand(freeze).parameters()).isEmpty();
        assertThat(new FsfreezeFreezeCommand(freeze).parameters()).isEmpty();
        assertThat(new FsfreezeThawCommand(freeze).parameters()).isEmpty();
        assertThat(new FsfreezeFreezeListCommand(freeze).parameters())
                .containsExactly(Parameter.optional("mountpoints", JsonType.ARRAY));
        assertThat(new FstrimCommand(freeze).parameters()).containsExactly(Parameter.optional("minimum", JsonType.INTEGER));
    }

    @Test
    void aFreezeAndItsThawAsTheHostReadsThem() throws Exception {
        assertThat(Replies.render(new FsfreezeStatusCommand(freeze).execute(Map.of()))).isEqualTo("{\"return\": \"thawed\"}");
        assertThat(Replies.render(new FsfreezeFreezeCommand(freeze).execute(Map.of()))).isEqualTo("{\"return\": 2}");
        assertThat(Replies.render(new FsfreezeStatusCommand(freeze).execute(Map.of()))).isEqualTo("{\"return\": \"frozen\"}");
        assertThat(Replies.render(new FsfreezeThawCommand(freeze).execute(Map.of()))).isEqualTo("{\"return\": 2}");
        assertThat(Replies.render(new FsfreezeStatusCommand(freeze).execute(Map.of()))).isEqualTo("{\"return\": \"thawed\"}");
    }

    @Test
    void freezeListTakesItsMountPoints() throws Exception {
        FsfreezeFreezeListCommand command = new FsfreezeFreezeListCommand(freeze);

        assertThat(command.execute(Map.of("mountpoints", List.of("/data")))).isEqualTo(1L);
        assertThat(guest.takeCalls()).containsExactly("publish", "freeze /data");
        new FsfreezeThawCommand(freeze).execute(Map.of());
        assertThat(command.execute(Map.of())).isEqualTo(2L);
    }

    @Test
    void aMountPointThatIsNoStringIsRefusedAsTheVisitorDoes() {
        FsfreezeFreezeListCommand command = new FsfreezeFreezeListCommand(freeze);

        assertThatThrownBy(() -> command.execute(Map.of("mountpoints", Arrays.asList("/data", 7L))))
                .hasMessage("Invalid parameter type for 'mountpoints[1]', expected: string");
        assertThatThrownBy(() -> command.explain(Map.of("mountpoints", Arrays.asList((Object) null))))
                .hasMessage("Invalid parameter type for 'mountpoints[0]', expected: string");
        assertThat(guest.takeCalls()).isEmpty();
    }

    @Test
    void fstrimTrimsWithTheMinimumGivenOrZero() throws Exception {
        FstrimCommand command = new FstrimCommand(freeze);

        command.execute(Map.of());
        command.execute(Map.of("minimum", 65536L));

        assertThat(guest.takeCalls()).containsExactly("trim /srv 0", "trim /data 0", "trim /data/again 0",
                "trim /srv 65536", "trim /data 65536", "trim /data/again 65536");
        assertThat(Replies.render(command.execute(Map.of()))).isEqualTo("{\"return\": {\"paths\": ["
                + "{\"minimum\": 0, \"path\": \"/data/again\", \"trimmed\": 0}, "
                + "{\"minimum\": 0, \"path\": \"/data\", \"trimmed\": 0}, "
                + "{\"minimum\": 0, \"path\": \"/srv\", \"trimmed\": 0}]}}");
    }

    @Test
    void theDryRunExplainsEachActingCommand() throws Exception {
        assertThat(new FsfreezeFreezeCommand(freeze).explain(Map.of()))
                .isEqualTo("freeze 3 file systems in this order: /data/again, /data, /srv");
        assertThat(new FsfreezeFreezeListCommand(freeze).explain(Map.of("mountpoints", List.of("/srv", "/nope"))))
                .isEqualTo("freeze 1 file system in this order: /srv");
        assertThat(new FsfreezeFreezeListCommand(freeze).explain(Map.of("mountpoints", List.of())))
                .isEqualTo("freeze 0 file systems in this order: (none)");
        assertThat(new FsfreezeThawCommand(freeze).explain(Map.of()))
                .isEqualTo("thaw 3 file systems in this order: /srv, /data, /data/again");
        assertThat(new FstrimCommand(freeze).explain(Map.of("minimum", 4096L)))
                .isEqualTo("trim 3 file systems (minimum 4096) in this order: /srv, /data, /data/again");
        assertThat(guest.takeCalls()).isEmpty();
    }
}
