package dev.somnus.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GetInterfacesCommandTest {

    /** /proc/net/dev as Linux 6.x writes it (net/core/net-procfs.c dev_seq_printf_stats). */
    static final String PROC_NET_DEV = ""
            + "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
            + "    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0\n"
            + "  ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"
            + "  eth0: 142629158    3881    1    2    0     0          0         0   343023    2734    3    4    0     0       0          0\n";

    @TempDir
    Path root;

    private final FakeInterfaceSource machine = new FakeInterfaceSource();

    /** The order glibc's getifaddrs gives: every link, then IPv4 addresses, then IPv6 addresses. */
    private void typicalMachine() throws Exception {
        machine.link("lo", 0, 0, 0, 0, 0, 0)
                .link("ifb0", 0xbe, 0xbf, 0x6d, 0x5c, 0x8e, 0xe7)
                .link("eth0", 0x02, 0xfc, 0x00, 0x00, 0x00, 0x01)
                .address("lo", "127.0.0.1", 8)
                .address("eth0", "192.0.2.2", 24)
                .address("lo", "::1", 128)
                .address("eth0", "fd00::2", 64)
                .address("eth0", "fe80::fc:ff:fe00:1", 64);
        writeProc("dev", PROC_NET_DEV);
    }

    private void writeProc(String name, String text) throws IOException {
        Files.createDirectories(root.resolve("proc/net"));
        Files.writeString(root.resolve("proc/net").resolve(name), text);
    }

    private List<Object> interfaces() throws CommandException {
        @SuppressWarnings("unchecked")
        List<Object> result = (List<Object>) new GetInterfacesCommand(machine, root).execute(Map.of());
        return result;
    }

    @Test
    void answersWhatQemuGaAnswersForTheSameMachine() throws Exception {
        typicalMachine();

        // qemu-ga 7.2's reply on a machine with these interfaces (this machine, counters edited)
        assertThat(WireText.json(interfaces())).isEqualTo("[{\"name\": \"lo\", \"ip-addresses\": ["
                + "{\"ip-address-type\": \"ipv4\", \"ip-address\": \"127.0.0.1\", \"prefix\": 8}, "
                + "{\"ip-address-type\": \"ipv6\", \"ip-address\": \"::1\", \"prefix\": 128}], "
                + "\"statistics\": {\"tx-packets\": 29, \"tx-errs\": 0, \"rx-bytes\": 3193, \"rx-dropped\": 0, "
                + "\"rx-packets\": 29, \"rx-errs\": 0, \"tx-bytes\": 3193, \"tx-dropped\": 0}, "
                + "\"hardware-address\": \"00:00:00:00:00:00\"}, "
                + "{\"name\": \"ifb0\", \"hardware-address\": \"be:bf:6d:5c:8e:e7\"}, "
                + "{\"name\": \"eth0\", \"ip-addresses\": ["
                + "{\"ip-address-type\": \"ipv4\", \"ip-address\": \"192.0.2.2\", \"prefix\": 24}, "
                + "{\"ip-address-type\": \"ipv6\", \"ip-address\": \"fd00::2\", \"prefix\": 64}, "
                + "{\"ip-address-type\": \"ipv6\", \"ip-address\": \"fe80::fc:ff:fe00:1\", \"prefix\": 64}], "
                + "\"statistics\": {\"tx-packets\": 2734, \"tx-errs\": 3, \"rx-bytes\": 142629158, \"rx-dropped\": 2, "
                + "\"rx-packets\": 3881, \"rx-errs\": 1, \"tx-bytes\": 343023, \"tx-dropped\": 4}, "
                + "\"hardware-address\": \"02:fc:00:00:00:01\"}]");
    }

    @Test
    void aLinkWithoutAddressesHasNoStatisticsEvenWhenProcNetDevListsIt() throws Exception {
        typicalMachine();

        assertThat(interfaces()).element(1).isEqualTo(Map.of("name", "ifb0", "hardware-address", "be:bf:6d:5c:8e:e7"));
    }

    @Test
    void anIpv4LabelIsAnInterfaceOfItsOwnWithTheLinksMacAndNoStatistics() throws Exception {
        typicalMachine();
        machine.entries.add(4, new InterfaceAddress("eth0:1", new byte[] {(byte) 198, 51, 100, 7},
                new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 128}));
        // the kernel's SIOCGIFHWADDR strips ":1" and answers for eth0
        machine.macs.put("eth0:1", machine.macs.get("eth0"));

        assertThat(interfaces()).element(3).isEqualTo(Map.of("name", "eth0:1",
                "hardware-address", "02:fc:00:00:00:01",
                "ip-addresses", List.of(Map.of("ip-address-type", "ipv4", "ip-address", "198.51.100.7", "prefix", 25L))));
    }

    @Test
    void aRefusedMacIsLeftOutAndAskedAgainAtTheNextEntry() throws Exception {
        machine.link("tun0").address("tun0", "10.8.0.1", 24).address("tun0", "fd10::1", 64);

        List<Object> result = interfaces();

        assertThat(result).singleElement().isEqualTo(Map.of("name", "tun0", "ip-addresses", List.of(
                Map.of("ip-address-type", "ipv4", "ip-address", "10.8.0.1", "prefix", 24L),
                Map.of("ip-address-type", "ipv6", "ip-address", "fd10::1", "prefix", 64L))));
        assertThat(machine.macQueries).containsExactly("tun0", "tun0", "tun0");
    }

    @Test
    void anEntryWithoutNetmaskHasPrefixZero() throws Exception {
        machine.entries.add(new InterfaceAddress("eth0", new byte[] {10, 0, 0, 1}, null));

        assertThat(WireText.json(interfaces())).isEqualTo("[{\"name\": \"eth0\", \"ip-addresses\": "
                + "[{\"ip-address-type\": \"ipv4\", \"ip-address\": \"10.0.0.1\", \"prefix\": 0}]}]");
    }

    @Test
    void withoutProcNetDevThereAreNoStatistics() throws Exception {
        machine.link("lo", 0, 0, 0, 0, 0, 0).address("lo", "127.0.0.1", 8);

        assertThat(interfaces()).singleElement().isEqualTo(Map.of("name", "lo", "hardware-address", "00:00:00:00:00:00",
                "ip-addresses", List.of(Map.of("ip-address-type", "ipv4", "ip-address", "127.0.0.1", "prefix", 8L))));
    }

    @Test
    void aProcNetDevLineWithTooFewNumbersIsPassedOverForALaterOne() throws Exception {
        machine.address("eth0", "192.0.2.2", 24);
        writeProc("dev", "Inter-|   Receive\n"
                + "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
                + "\n"
                + "xeth0: 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9\n"
                + "\t eth0:100 200 300 400 0 0 0 0 500 600 700 800 0 0 0 0\n");

        assertThat(interfaces()).singleElement().extracting(info -> ((Map<?, ?>) info).get("statistics"))
                .isEqualTo(Map.of("rx-bytes", 100L, "rx-packets", 200L, "rx-errs", 300L, "rx-dropped", 400L,
                        "tx-bytes", 500L, "tx-packets", 600L, "tx-errs", 700L, "tx-dropped", 800L));
    }

    @Test
    void countersBeyondTheLongRangeSaturateAndNegativeOnesWrapAsInQemuGa() throws Exception {
        machine.address("eth0", "192.0.2.2", 24);
        // sscanf %lld saturates at LLONG_MAX; a negative value stored into uint64 wraps
        writeProc("dev", "eth0: 18446744073709551615 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");

        String json = WireText.json(interfaces());

        assertThat(json).contains("\"rx-bytes\": 9223372036854775807").contains("\"rx-packets\": 18446744073709551615");
    }

    @Test
    void aGetifaddrsFailureIsTheReply() {
        machine.addressesFailure = "getifaddrs failed: Too many open files";

        assertThatThrownBy(this::interfaces).isInstanceOf(CommandException.class)
                .hasMessage("getifaddrs failed: Too many open files");
    }

    @Test
    void aSocketFailureIsTheReply() throws Exception {
        machine.link("lo");
        machine.socketFailure = "failed to create socket: Too many open files";

        assertThatThrownBy(this::interfaces).isInstanceOf(CommandException.class)
                .hasMessage("failed to create socket: Too many open files");
    }

    @Test
    void aChangedRootAppliesToTheNextRequest() throws Exception {
        machine.address("lo", "127.0.0.1", 8);
        writeProc("dev", PROC_NET_DEV);
        GetInterfacesCommand command = new GetInterfacesCommand(machine, root.resolve("elsewhere"));
        assertThat(WireText.json(command.execute(Map.of()))).doesNotContain("statistics");

        command.modified(RouteTableTest.configuration(root.toString()));

        assertThat(WireText.json(command.execute(Map.of()))).contains("\"rx-bytes\": 3193");
    }

    @Test
    void noInterfacesIsAnEmptyList() throws Exception {
        assertThat(WireText.json(interfaces())).isEqualTo("[]");
    }
}
