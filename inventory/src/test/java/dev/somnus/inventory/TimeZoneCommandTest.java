package dev.somnus.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * guest-get-timezone on fake trees. The expected zones of the TZ and /etc/localtime cases are what
 * the live qemu-ga 7.2 answered at 2026-12-04 ~18:15 UTC on this machine (TZ set in its
 * environment; a fake /etc bind-mounted in a private mount namespace for the localtime cases).
 */
class TimeZoneCommandTest {

    private static final Path ZONEINFO = Path.of("/usr/share/zoneinfo");
    private static final Instant WHEN_QEMU_GA_WAS_ASKED = Instant.parse("2026-12-04T18:15:00Z");

    @TempDir
    Path root;

    private final Map<String, String> environment = new HashMap<>();

    private Map<?, ?> timezone(Instant at) {
        TimeZoneCommand command = new TimeZoneCommand(environment::get, Clock.fixed(at, ZoneOffset.UTC));
        command.configure(GuestRoot.config(root));
        return (Map<?, ?>) command.execute(Map.of());
    }

    private static Map<String, Object> zone(String abbreviation, long offset) {
        return Map.of("zone", abbreviation, "offset", offset);
    }

    /** A zone file of this machine's tzdata, copied into the fake tree. */
    private void zoneFile(String name) throws IOException {
        Path source = ZONEINFO.resolve(name);
        assumeThat(Files.isRegularFile(source)).as("tzdata has " + name).isTrue();
        GuestRoot.write(root, "usr/share/zoneinfo/" + name, Files.readAllBytes(source));
    }

    private void link(String relative, String target) throws IOException {
        Path link = root.resolve(relative);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(target));
    }

    @ParameterizedTest(name = "TZ={0}")
    @CsvSource(delimiter = '|', value = {
        "''|UTC|0",
        "UTC|UTC|0",
        "Z|Z|0",
        "+05:30|+05:30|19800",
        "-0330|-0330|-12600",
        "Europe/Berlin|CET|3600",
        ":Europe/Berlin|CET|3600",
        "America/New_York|EST|-18000",
        "EST5EDT,M3.2.0,M11.1.0|EST|-18000",
        "CET-1CEST,M3.5.0,M10.5.0/3|CET|3600",
        "<+1030>-10:30|+1030|37800",
        "Australia/Sydney|AEDT|39600",
        "AEST-10AEDT,M10.1.0,M4.1.0/3|AEDT|39600",
        "EST5EDT|EST|-18000",
        "EST5|EST|-18000",
        "Foo/Bar|UTC|0",
        "/usr/share/zoneinfo/Asia/Kolkata|IST|19800",
        "JST-9|JST|32400",
        "XYZ3XYQ,J60,J300|XYZ|-10800",
        "XYZ3XYQ,59,299/25|XYZ|-10800",
    })
    void theTzVariableAsQemuGaReadIt(String tz, String abbreviation, long offset) throws IOException {
        for (String name : new String[] {"Europe/Berlin", "America/New_York", "Australia/Sydney", "EST5EDT"}) {
            zoneFile(name);
        }
        GuestRoot.write(root, "usr/share/zoneinfo/Asia/Kolkata", Files.readAllBytes(ZONEINFO.resolve("Asia/Kolkata")));
        environment.put("TZ", tz); // an absolute path is the guest's, read under the root
        assertThat(timezone(WHEN_QEMU_GA_WAS_ASKED)).isEqualTo(zone(abbreviation, offset));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "absolute link|CET|3600",
        "regular file alone|UTC|0",
        "regular file and /etc/timezone|CET|3600",
        "link to a link|UTC|0",
        "link to a link and /etc/timezone|CET|3600",
        "relative link|EST|-18000",
        "dangling link|UTC|0",
        "no localtime, /etc/timezone only|UTC|0",
        "garbage localtime|UTC|0",
        "southern summer|AEDT|39600",
        "regular file and an empty /etc/timezone|IST|19800",
    })
    void etcLocaltimeAsQemuGaReadIt(String layout, String abbreviation, long offset) throws IOException {
        for (String name : new String[] {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"}) {
            zoneFile(name);
        }
        byte[] berlin = Files.readAllBytes(ZONEINFO.resolve("Europe/Berlin"));
        switch (layout) {
            case "absolute link" -> link("etc/localtime", "/usr/share/zoneinfo/Europe/Berlin");
            case "regular file alone" -> GuestRoot.write(root, "etc/localtime", berlin);
            case "regular file and /etc/timezone" -> {
                GuestRoot.write(root, "etc/localtime", berlin);
                GuestRoot.write(root, "etc/timezone", "Europe/Berlin\n");
            }
            case "link to a link" -> {
                link("etc/localtime", "/etc/zone-link");
                link("etc/zone-link", "/usr/share/zoneinfo/Europe/Berlin");
            }
            case "link to a link and /etc/timezone" -> {
                link("etc/localtime", "/etc/zone-link");
                link("etc/zone-link", "/usr/share/zoneinfo/Europe/Berlin");
                GuestRoot.write(root, "etc/timezone", "Europe/Berlin\n");
            }
            case "relative link" -> link("etc/localtime", "../usr/share/zoneinfo/America/New_York");
            case "dangling link" -> {
                link("etc/localtime", "/usr/share/zoneinfo/No/Such");
                GuestRoot.write(root, "etc/timezone", "Europe/Berlin\n");
            }
            case "no localtime, /etc/timezone only" -> GuestRoot.write(root, "etc/timezone", "Europe/Berlin\n");
            case "garbage localtime" -> {
                GuestRoot.write(root, "etc/localtime", "garbage\n");
                GuestRoot.write(root, "etc/timezone", "Europe/Berlin\n");
            }
            case "southern summer" -> link("etc/localtime", "/usr/share/zoneinfo/Australia/Sydney");
            case "regular file and an empty /etc/timezone" -> {
                GuestRoot.write(root, "etc/localtime", Files.readAllBytes(ZONEINFO.resolve("Asia/Kolkata")));
                GuestRoot.write(root, "etc/timezone", "");
            }
            default -> throw new IllegalArgumentException(layout);
        }
        assertThat(timezone(WHEN_QEMU_GA_WAS_ASKED)).isEqualTo(zone(abbreviation, offset));
    }

    @Test
    void anEmptyTreeIsUtc() {
        assertThat(timezone(WHEN_QEMU_GA_WAS_ASKED)).isEqualTo(zone("UTC", 0));
    }

    @Test
    void tzdirMovesTheZoneFolder() throws IOException {
        GuestRoot.write(root, "opt/zones/Here", Files.readAllBytes(ZONEINFO.resolve("Asia/Tokyo")));
        environment.put("TZ", "Here");
        environment.put("TZDIR", "/opt/zones");
        assertThat(timezone(WHEN_QEMU_GA_WAS_ASKED)).isEqualTo(zone("JST", 32400));
    }

    /** Summer and winter, both sides of each change, in explicit transitions and past 2037 by the footer. */
    @ParameterizedTest
    @CsvSource({
        "Europe/Berlin, 2026-03-29T00:59:59Z, CET", "Europe/Berlin, 2026-03-29T01:00:00Z, CEST",
        "Europe/Berlin, 2026-10-25T00:59:59Z, CEST", "Europe/Berlin, 2026-10-25T01:00:00Z, CET",
        "Europe/Berlin, 2045-07-01T12:00:00Z, CEST", "Europe/Berlin, 2045-10-29T01:00:00Z, CET",
        "Europe/Berlin, 2045-03-26T00:59:59Z, CET", "Europe/Berlin, 2045-03-26T01:00:00Z, CEST",
        "America/New_York, 2026-03-08T06:59:59Z, EST", "America/New_York, 2026-03-08T07:00:00Z, EDT",
        "America/New_York, 2060-08-01T00:00:00Z, EDT", "America/New_York, 2060-11-07T06:00:00Z, EST",
        "Australia/Sydney, 2026-04-04T15:59:59Z, AEDT", "Australia/Sydney, 2026-04-04T16:00:00Z, AEST",
        "Australia/Sydney, 2050-01-15T00:00:00Z, AEDT", "Australia/Sydney, 2050-06-15T00:00:00Z, AEST",
        "Europe/London, 1990-06-01T00:00:00Z, BST", "Asia/Kolkata, 2099-01-01T00:00:00Z, IST",
    })
    void offsetsAgreeWithJavaTimeThroughTheYears(String name, String instant, String abbreviation) throws IOException {
        zoneFile(name);
        link("etc/localtime", "/usr/share/zoneinfo/" + name);
        Instant at = Instant.parse(instant);
        long expected = ZoneId.of(name).getRules().getOffset(at).getTotalSeconds();
        assertThat(timezone(at)).isEqualTo(zone(abbreviation, expected));
    }

    /** A slim TZif (no explicit transitions): every answer comes from the footer rule. */
    @ParameterizedTest
    @CsvSource({
        "2026-03-29T00:59:59Z, CET, 3600", "2026-03-29T01:00:00Z, CEST, 7200",
        "2026-10-25T00:59:59Z, CEST, 7200", "2026-10-25T01:00:00Z, CET, 3600",
        "2024-02-29T12:00:00Z, CET, 3600",
    })
    void aSlimFileIsRuledByItsFooter(String instant, String abbreviation, long offset) throws IOException {
        GuestRoot.write(root, "etc/localtime", tzif(new long[0], new int[0], new int[][] {{3600, 0, 0}}, "CET\0",
                "CET-1CEST,M3.5.0,M10.5.0/3"));
        GuestRoot.write(root, "etc/timezone", "Europe/Berlin\n");
        assertThat(timezone(Instant.parse(instant))).isEqualTo(zone(abbreviation, offset));
    }

    /**
     * Slim files whose one type is "STD" (+1 h) and whose footer decides, as the live qemu-ga 7.2
     * answered them at 2026-12-04T18:17Z (made by a script, bind-mounted /etc, /etc/timezone "X").
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "AEST-10AEDT,M10.1.0,M4.1.0/3|AEDT|39600",
        "XYZ3XYQ,J300,J360|XYQ|-7200",
        "XYZ3XYQ,300,360|XYQ|-7200",
        "XYZ3XYQ,J338/19,J360|XYZ|-10800",
        "XYZ3XYQ,J338/17,J360|XYZ|-10800",
        "XYZ3XYQ,M12.1.4/19,J360|XYQ|-7200",
        "XYZ3XYQ,M12.1.4/17,J360|XYQ|-7200",
        "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1|-03|-10800",
        "XYZ3XYQ,M11.5.0/170,J360|UTC|0",
        "XYZ3XYQ2,J300,J360|XYQ|-7200",
        "UTC0|STD|3600",
        "STD-1|STD|3600",
    })
    void footersAsQemuGaReadThem(String footer, String abbreviation, long offset) throws IOException {
        GuestRoot.write(root, "etc/localtime", tzif(new long[0], new int[0], new int[][] {{3600, 0, 0}}, "STD\0", footer));
        GuestRoot.write(root, "etc/timezone", "X\n");
        assertThat(timezone(Instant.parse("2026-12-04T18:17:00Z"))).isEqualTo(zone(abbreviation, offset));
    }

    @Test
    void beforeTheFirstTransitionTheFirstStandardTypeNotTypeZero() throws IOException {
        // type 0 is daylight time; GLib's interval 0 takes the first type with is_dst = 0
        GuestRoot.write(root, "etc/localtime", tzif(new long[] {2_000_000_000L}, new int[] {0},
                new int[][] {{7200, 1, 0}, {3600, 0, 5}}, "XDST\0XSTD\0", ""));
        GuestRoot.write(root, "etc/timezone", "X\n");
        assertThat(timezone(Instant.ofEpochSecond(1_000_000_000L))).isEqualTo(zone("XSTD", 3600));
        assertThat(timezone(Instant.ofEpochSecond(2_000_000_000L))).isEqualTo(zone("XDST", 7200));
    }

    @Test
    void aVersionOneFileIsReadFromItsThirtyTwoBitData() throws IOException {
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        v1.writeBytes(header('\0', 1, 2, 9));
        v1.writeBytes(ByteBuffer.allocate(4).putInt(1_500_000_000).array());
        v1.write(1);
        v1.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0x1C, 0x20, 0, 4});
        v1.writeBytes("AAA\0BBBB\0".getBytes(StandardCharsets.US_ASCII));
        GuestRoot.write(root, "etc/localtime", v1.toByteArray());
        GuestRoot.write(root, "etc/timezone", "V1\n");
        assertThat(timezone(Instant.ofEpochSecond(1_400_000_000L))).isEqualTo(zone("AAA", 0));
        assertThat(timezone(Instant.ofEpochSecond(1_600_000_000L))).isEqualTo(zone("BBBB", 7200));
    }

    @Test
    void aFooterGLibCannotParseMakesTheFileUseless() throws IOException {
        GuestRoot.write(root, "etc/localtime", tzif(new long[0], new int[0], new int[][] {{3600, 0, 0}}, "CET\0",
                "CET-1CEST"));
        GuestRoot.write(root, "etc/timezone", "X\n");
        assertThat(timezone(WHEN_QEMU_GA_WAS_ASKED)).isEqualTo(zone("UTC", 0));
    }

    private static byte[] header(char version, int timeCount, int typeCount, int charCount) {
        ByteBuffer h = ByteBuffer.allocate(44);
        h.put("TZif".getBytes(StandardCharsets.US_ASCII)).put((byte) version).position(20);
        h.putInt(0).putInt(0).putInt(0).putInt(timeCount).putInt(typeCount).putInt(charCount);
        return h.array();
    }

    /** A version 2 TZif with the same data in both blocks and the given footer rule. */
    static byte[] tzif(long[] times, int[] indices, int[][] types, String chars, String footer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int block = 1; block <= 2; block++) {
            out.writeBytes(header('2', times.length, types.length, chars.length()));
            for (long t : times) {
                out.writeBytes(block == 1 ? ByteBuffer.allocate(4).putInt((int) t).array()
                        : ByteBuffer.allocate(8).putLong(t).array());
            }
            for (int i : indices) {
                out.write(i);
            }
            for (int[] type : types) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(type[0]).array());
                out.write(type[1]);
                out.write(type[2]);
            }
            out.writeBytes(chars.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("\n" + footer + "\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
