package dev.somnus.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guest-get-users on fake utmp files in glibc's x86_64 layout. */
class UsersCommandTest {

    private static final short BOOT_TIME = 2;
    private static final short LOGIN_PROCESS = 6;
    private static final short DEAD_PROCESS = 8;

    @TempDir
    Path root;

    private final UsersCommand command = new UsersCommand();
    private final ByteArrayOutputStream utmp = new ByteArrayOutputStream();

    @BeforeEach
    void configure() {
        command.configure(GuestRoot.config(root));
    }

    /** One struct utmp as glibc writes it (bits/utmp.h, x86_64): 384 bytes, little-endian. */
    private void record(short type, String line, String user, String host, int sec, int usec) {
        ByteBuffer r = ByteBuffer.allocate(UsersCommand.RECORD_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        r.putShort(0, type);
        r.putInt(4, 4242);                         // ut_pid
        r.put(8, ascii(line, 32));                 // ut_line
        r.put(40, ascii("ts/0", 4));               // ut_id
        r.put(44, user.getBytes(StandardCharsets.UTF_8)); // ut_user (may fill all 32 bytes)
        r.put(76, ascii(host, 256));               // ut_host
        r.putInt(336, 7);                          // ut_session
        r.putInt(340, sec);                        // ut_tv.tv_sec
        r.putInt(344, usec);                       // ut_tv.tv_usec
        r.putInt(348, 0x0100007F);                 // ut_addr_v6[0]
        utmp.writeBytes(r.array());
    }

    private static byte[] ascii(String s, int size) {
        return Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), Math.min(size, s.length()));
    }

    private Object users() throws Exception {
        GuestRoot.write(root, "var/run/utmp", utmp.toByteArray());
        return command.execute(Map.of());
    }

    @Test
    void userProcessesOnlyInTheOrderOfTheirFirstRecord() throws Exception {
        record(BOOT_TIME, "~", "reboot", "6.1.0", 1_700_000_000, 0);
        record(LOGIN_PROCESS, "tty1", "LOGIN", "", 1_700_000_001, 0);
        record(UsersCommand.USER_PROCESS, "pts/0", "zoe", "10.0.0.1", 1_700_000_100, 250_000);
        record(UsersCommand.USER_PROCESS, "pts/1", "adam", "10.0.0.2", 1_700_000_200, 0);
        record(DEAD_PROCESS, "pts/2", "eve", "", 1_700_000_300, 0);
        assertThat(users()).isEqualTo(List.of(
                Map.of("user", "zoe", "login-time", 1_700_000_100.25),
                Map.of("user", "adam", "login-time", 1_700_000_200.0)));
    }

    @Test
    void oneEntryPerUserWithItsEarliestLogin() throws Exception {
        record(UsersCommand.USER_PROCESS, "pts/0", "root", "", 1_700_000_500, 0);
        record(UsersCommand.USER_PROCESS, "pts/1", "bob", "", 1_700_000_600, 0);
        record(UsersCommand.USER_PROCESS, "pts/2", "root", "", 1_700_000_100, 999_999);
        record(UsersCommand.USER_PROCESS, "pts/3", "root", "", 1_700_000_900, 0);
        assertThat(users()).isEqualTo(List.of(
                Map.of("user", "root", "login-time", 1_700_000_100.0 + 999_999 / 1e6),
                Map.of("user", "bob", "login-time", 1_700_000_600.0)));
    }

    @Test
    void loginTimeIsTvSecPlusTvUsecOverAMillion() throws Exception {
        record(UsersCommand.USER_PROCESS, "pts/0", "ann", "", 1_796_408_008, 123_456);
        @SuppressWarnings("unchecked")
        Map<String, Object> ann = ((List<Map<String, Object>>) users()).get(0);
        assertThat(ann.get("login-time")).isEqualTo((double) 1_796_408_008 + (double) 123_456 / 1_000_000);
    }

    @Test
    void aFullThirtyTwoByteNameRunsOnIntoTheHostAsQemuGasStrdupDoes() throws Exception {
        String name = "u".repeat(32);
        record(UsersCommand.USER_PROCESS, "pts/0", name, "h1", 1_700_000_000, 0);
        assertThat(users()).isEqualTo(List.of(Map.of("user", name + "h1", "login-time", 1_700_000_000.0)));
    }

    @Test
    void aPartialLastRecordIsIgnored() throws Exception {
        record(UsersCommand.USER_PROCESS, "pts/0", "ann", "", 1_700_000_000, 0);
        record(UsersCommand.USER_PROCESS, "pts/1", "ben", "", 1_700_000_000, 0);
        byte[] whole = utmp.toByteArray();
        GuestRoot.write(root, "var/run/utmp", Arrays.copyOf(whole, whole.length - 1));
        assertThat(command.execute(Map.of())).isEqualTo(List.of(Map.of("user", "ann", "login-time", 1_700_000_000.0)));
    }

    @Test
    void noUtmpIsNoUsers() throws Exception {
        assertThat(command.execute(Map.of())).isEqualTo(List.of());
        Files.createDirectories(root.resolve("var/run/utmp"));
        assertThat(command.execute(Map.of())).isEqualTo(List.of());
    }

    /**
     * A utmp of mixed records (made by a script, src/test/resources/utmp-mixed) answered by the live
     * qemu-ga 7.2 with it bind-mounted as /run/utmp in a private mount namespace (2026-12-04):
     * boot, login and dead records skipped, zoe's earlier second login, a 32-byte name running into
     * ut_host, a negative time, ann's records a microsecond apart, a partial record dropped.
     */
    @Test
    void theReplyQemuGaGaveForTheSameFile() throws Exception {
        try (var in = getClass().getResourceAsStream("/utmp-mixed")) {
            GuestRoot.write(root, "var/run/utmp", in.readAllBytes());
        }
        assertThat(Replies.of(command)).isEqualTo("{\"return\": [{\"login-time\": 1700000050.123456, \"user\": \"zoe\"}, "
                + "{\"login-time\": 1700000200, \"user\": \"adam\"}, "
                + "{\"login-time\": 1796408008.999999, \"user\": \"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuhostx\"}, "
                + "{\"login-time\": -5.25, \"user\": \"caf\\u00E9\"}, {\"login-time\": 1700000000, \"user\": \"ann\"}]}");
    }

    @Test
    void anEmptyUtmpIsNoUsers() throws Exception {
        assertThat(users()).isEqualTo(List.of());
    }
}
