package dev.somnus.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Random;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    /** glibc's own inet_ntop, the reference. */
    public interface Ntop {
        String inet_ntop(int family, @In byte[] source, @Out byte[] destination, int size);
    }

    private static final Ntop GLIBC = LibraryLoader.create(Ntop.class).load("c");

    @ParameterizedTest
    @CsvSource({
        "::, ::",
        "::1, ::1",
        "fd00:0:0:0:0:0:0:2, fd00::2",
        "fe80:0:0:0:fc:ff:fe00:1, fe80::fc:ff:fe00:1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",      // first of two equal runs
        "1:0:0:0:1:0:0:0, 1::1:0:0:0",
        "1:0:0:1:0:0:0:1, 1:0:0:1::1",                  // the longer run, not the first
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",  // a single zero group stays
        "0:0:0:0:0:ffff:c000:201, ::ffff:192.0.2.1",   // IPv4-mapped
        "0:0:0:0:0:0:c000:201, ::192.0.2.1",           // IPv4-compatible
        "0:0:0:0:0:0:0:ff, ::ff",                       // seven zero groups: no dotted quad
        "0:0:0:0:1:ffff:c000:201, ::1:ffff:c000:201",
        "FF02:0:0:0:0:0:0:1, ff02::1",
        "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
        "1:2:3:4:5:6:0:0, 1:2:3:4:5:6::",
    })
    void writesIpv6AsInetNtop(String address, String expected) throws Exception {
        byte[] bytes = InetAddress.getByName(address).getAddress();
        if (bytes.length == 4) { // Java folds ::ffff:a.b.c.d into an Inet4Address
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        assertThat(AddressText.ipv6(bytes)).isEqualTo(expected).isEqualTo(glibc(10, bytes));
    }

    @Test
    void agreesWithGlibcOnManyAddressesWithZeroRuns() {
        Random random = new Random(13);
        for (int n = 0; n < 20000; n++) {
            byte[] bytes = new byte[16];
            for (int word = 0; word < 8; word++) {
                int kind = random.nextInt(4);
                int value = kind == 0 ? random.nextInt(0x10000) : kind == 1 ? random.nextInt(16) : kind == 2 ? 0xffff : 0;
                if (random.nextInt(3) > 0) {
                    value = 0;
                }
                bytes[2 * word] = (byte) (value >> 8);
                bytes[2 * word + 1] = (byte) value;
            }
            assertThat(AddressText.ipv6(bytes)).as("%s", java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(glibc(10, bytes));
        }
    }

    @Test
    void writesIpv4AsDottedQuad() {
        byte[] address = {(byte) 192, 0, 2, (byte) 255};
        assertThat(AddressText.ipv4(address)).isEqualTo("192.0.2.255").isEqualTo(glibc(2, address));
    }

    private static String glibc(int family, byte[] address) {
        byte[] text = new byte[64];
        assertThat(GLIBC.inet_ntop(family, address, text, text.length)).isNotNull();
        int end = 0;
        while (text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
