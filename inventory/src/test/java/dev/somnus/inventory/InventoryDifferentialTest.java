package dev.somnus.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.somnus.api.command.Command;
import dev.somnus.testkit.QgaClient;
import dev.somnus.testkit.ReferenceQemuGa;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five commands on this machine's real root against the live qemu-ga 7.2, compared as a host
 * sees them: the reply line byte for byte, except guest-get-time, whose figure may move on by the
 * time between the two calls (at most 2 s here) but must keep qemu-ga's microsecond resolution.
 */
@EnabledIf("dev.somnus.testkit.ReferenceQemuGa#installed")
class InventoryDifferentialTest {

    private static final List<String> COMMANDS = List.of(OsInfoCommand.NAME, HostNameCommand.NAME,
            TimeZoneCommand.NAME, UsersCommand.NAME, TimeCommand.NAME);

    @TempDir
    static Path dir;

    private static ReferenceQemuGa reference;
    private static QgaClient qemuGa;

    @BeforeAll
    static void startReference() throws Exception {
        reference = ReferenceQemuGa.start(dir.resolve("qemu-ga"), COMMANDS);
        qemuGa = reference.connect();
    }

    @AfterAll
    static void stopReference() throws Exception {
        if (qemuGa != null) {
            qemuGa.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    private static String qemuGa(String command) throws Exception {
        return qemuGa.call("{\"execute\": \"" + command + "\"}");
    }

    /** The reply line as the agent writes it. */
    private static String somnus(Command command) throws Exception {
        return Replies.of(command);
    }

    private static <T extends Command> T onRealRoot(T command) {
        InventoryConfig real = GuestRoot.config(Path.of("/"));
        if (command instanceof OsInfoCommand c) {
            c.configure(real);
        } else if (command instanceof HostNameCommand c) {
            c.configure(real);
        } else if (command instanceof TimeZoneCommand c) {
            c.configure(real);
        } else if (command instanceof UsersCommand c) {
            c.configure(real);
        }
        return command;
    }

    @Test
    void osinfoIsByteIdentical() throws Exception {
        assertThat(somnus(onRealRoot(new OsInfoCommand()))).isEqualTo(qemuGa(OsInfoCommand.NAME));
    }

    @Test
    void hostNameIsByteIdentical() throws Exception {
        assertThat(somnus(onRealRoot(new HostNameCommand()))).isEqualTo(qemuGa(HostNameCommand.NAME));
    }

    @Test
    void timezoneIsByteIdentical() throws Exception {
        assertThat(somnus(onRealRoot(new TimeZoneCommand()))).isEqualTo(qemuGa(TimeZoneCommand.NAME));
    }

    @Test
    void usersAreByteIdentical() throws Exception {
        assertThat(somnus(onRealRoot(new UsersCommand()))).isEqualTo(qemuGa(UsersCommand.NAME));
    }

    @Test
    void timeMatchesWithinTwoSecondsAtMicrosecondResolution() throws Exception {
        Pattern reply = Pattern.compile("\\{\"return\": (\\d+)\\}");
        Matcher before = reply.matcher(qemuGa(TimeCommand.NAME));
        Matcher ours = reply.matcher(somnus(new TimeCommand()));
        Matcher after = reply.matcher(qemuGa(TimeCommand.NAME));
        assertThat(before.matches()).isTrue();
        assertThat(ours.matches()).isTrue();
        assertThat(after.matches()).isTrue();
        long qemuBefore = Long.parseLong(before.group(1));
        long somnusNow = Long.parseLong(ours.group(1));
        long qemuAfter = Long.parseLong(after.group(1));
        assertThat(qemuBefore % 1000).isZero();
        assertThat(somnusNow % 1000).isZero();
        assertThat(somnusNow).isBetween(qemuBefore, qemuAfter);
        assertThat(qemuAfter - qemuBefore).isLessThan(2_000_000_000L);
    }
}
