package dev.somnus.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteTableTest {

    /** /proc/net/route as Linux writes it (net/ipv4/fib_trie.c fib_route_seq_show): padded to 127 columns. */
    static final String ROUTE = ""
            + "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT                                                       \n"
            + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0                                                                               \n"
            + "eth0\t000200C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t1500\t0\t0                                                                               \n";

    /** /proc/net/ipv6_route as Linux writes it (net/ipv6/route.c ipv6_route_native_seq_show). */
    static final String IPV6_ROUTE = ""
            + "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
            + "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
            + "fe8000000000000000fc00fffe000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001     eth0\n"
            + "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n";

    @TempDir
    Path root;

    private void write(String name, String text) throws IOException {
        Files.createDirectories(root.resolve("proc/net"));
        Files.writeString(root.resolve("proc/net").resolve(name), text);
    }

    private List<Object> routes() throws CommandException {
        @SuppressWarnings("unchecked")
        List<Object> routes = (List<Object>) new GetRouteCommand(root).execute(Map.of());
        return routes;
    }

    @Test
    void readsIpv4RoutesAfterTheHeader() throws Exception {
        write("route", ROUTE);
        write("ipv6_route", "");

        assertThat(routes()).containsExactly(
                Map.ofEntries(Map.entry("iface", "eth0"), Map.entry("destination", "0.0.0.0"),
                        Map.entry("gateway", "192.0.2.1"), Map.entry("mask", "0.0.0.0"), Map.entry("metric", 0L),
                        Map.entry("flags", 3L), Map.entry("refcnt", 0L), Map.entry("use", 0L), Map.entry("mtu", 0L),
                        Map.entry("window", 0L), Map.entry("irtt", 0L), Map.entry("version", 4L)),
                Map.ofEntries(Map.entry("iface", "eth0"), Map.entry("destination", "192.0.2.0"),
                        Map.entry("gateway", "0.0.0.0"), Map.entry("mask", "255.255.255.0"), Map.entry("metric", 100L),
                        Map.entry("flags", 1L), Map.entry("refcnt", 0L), Map.entry("use", 0L), Map.entry("mtu", 1500L),
                        Map.entry("window", 0L), Map.entry("irtt", 0L), Map.entry("version", 4L)));
    }

    @Test
    void readsIpv6RoutesWithTheirCTypes() throws Exception {
        write("route", "Iface\tDestination\n");
        write("ipv6_route", IPV6_ROUTE);

        List<Object> routes = routes();

        assertThat(routes).hasSize(4);
        assertThat(routes.get(0)).isEqualTo(Map.ofEntries(Map.entry("iface", "eth0"), Map.entry("destination", "fd00::"),
                Map.entry("source", "::"), Map.entry("nexthop", "::"), Map.entry("desprefixlen", "64"),
                Map.entry("srcprefixlen", "0"), Map.entry("metric", 256L), Map.entry("flags", 1L),
                Map.entry("refcnt", 1L), Map.entry("use", 0L), Map.entry("version", 6L)));
        assertThat(routes.get(1)).extracting(route -> ((Map<?, ?>) route).get("nexthop")).isEqualTo("fd00::1");
        // desprefixlen is %x printed %d; flags land in an int and are sign-extended into uint64
        assertThat(routes.get(2)).extracting(route -> ((Map<?, ?>) route).get("desprefixlen")).isEqualTo("128");
        assertThat(routes.get(2)).extracting(route -> ((Map<?, ?>) route).get("destination")).isEqualTo("fe80::fc:ff:fe00:1");
        assertThat(routes.get(2)).extracting(route -> ((Map<?, ?>) route).get("flags"))
                .isEqualTo(new BigInteger("18446744071564165121"));
        // metric ffffffff is -1 in an int
        assertThat(routes.get(3)).extracting(route -> ((Map<?, ?>) route).get("metric")).isEqualTo(-1L);
        assertThat(routes.get(3)).extracting(route -> ((Map<?, ?>) route).get("iface")).isEqualTo("lo");
    }

    @Test
    void onTheWireFlagsAreTheWrappedUnsignedNumberAndPrefixLengthsStrings() throws Exception {
        write("route", "");
        write("ipv6_route", IPV6_ROUTE);

        String json = WireText.json(routes());

        assertThat(json).contains("\"flags\": 18446744071564165121", "\"desprefixlen\": \"128\"", "\"metric\": -1",
                "\"srcprefixlen\": \"0\"");
    }

    @Test
    void linesThatDoNotScanAreSkipped() throws Exception {
        write("route", "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n" // the first line: the header
                + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\n" // 10 fields
                + "\n"
                + "eth1\tzz000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth2\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n");
        write("ipv6_route", "fd0000000000000000000000000000 40 00000000000000000000000000000000 00 "
                + "00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0\n" // 30 digits: 15 bytes
                + "zd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
                + "00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0\n" // destination not hex
                + "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
                + "00000000000000000000000000000000 00000100 00000001 00000000 00000001\n"); // no device

        assertThat(routes()).singleElement().extracting(route -> ((Map<?, ?>) route).get("iface")).isEqualTo("eth2");
    }

    @Test
    void aSourceThatIsNotHexIsLeftOut() throws Exception {
        write("route", "");
        write("ipv6_route", "fd000000000000000000000000000000 40 zz000000000000000000000000000000 00 "
                + "00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0\n");

        assertThat(routes()).singleElement().satisfies(route -> assertThat(route).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
                .doesNotContainKey("source").containsEntry("nexthop", "::"));
    }

    @Test
    void aMissingRouteFileIsTheReplyEvenThoughIpv6WasRead() throws Exception {
        write("ipv6_route", IPV6_ROUTE);

        assertThatThrownBy(this::routes).isInstanceOf(CommandException.class)
                .hasMessage("open(\"" + root.resolve("proc/net/route") + "\"): No such file or directory");
    }

    @Test
    void aMissingIpv6RouteFileIsTheReply() throws Exception {
        write("route", ROUTE);

        assertThatThrownBy(this::routes).isInstanceOf(CommandException.class)
                .hasMessage("open(\"" + root.resolve("proc/net/ipv6_route") + "\"): No such file or directory");
    }

    @Test
    void bothMissingAnswerTheFirstError() {
        assertThatThrownBy(this::routes).isInstanceOf(CommandException.class)
                .hasMessage("open(\"" + root.resolve("proc/net/route") + "\"): No such file or directory");
    }

    @Test
    void theDefaultRootNamesTheKernelsFiles() throws Exception {
        assertThat(new RouteTable(Path.of("/")).routes()).isNotEmpty();
    }

    @Test
    void aChangedRootAppliesToTheNextRequest() throws Exception {
        write("route", ROUTE);
        write("ipv6_route", "");
        GetRouteCommand command = new GetRouteCommand(root.resolve("elsewhere"));
        assertThatThrownBy(() -> command.execute(Map.of())).isInstanceOf(CommandException.class);

        command.modified(configuration(root.toString()));

        assertThat((List<?>) command.execute(Map.of())).hasSize(2);
    }

    static NetworkConfiguration configuration(String root) {
        return new NetworkConfiguration() {
            @Override
            public String root() {
                return root;
            }

            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return NetworkConfiguration.class;
            }
        };
    }
}
