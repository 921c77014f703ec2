package dev.somnus.network;

import dev.somnus.api.command.CommandException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's routing tables as upstream qemu-ga's {@code qmp_guest_network_get_route} (9.1+,
 * qga/commands-linux.c) reads them: {@code /proc/net/route} (its first line, the header, skipped)
 * then {@code /proc/net/ipv6_route}, each line scanned with the same sscanf formats, and a line
 * that does not scan completely, or whose destination is not hex, skipped. The C variables' types
 * are kept: IPv6's hex fields land in {@code int}s, so flags with the top bit set (e.g.
 * {@code 80200001}) come out as qemu-ga shows them, sign-extended to uint64.
 */
final class RouteTable {

    private final Path root;

    RouteTable(Path root) {
        this.root = root;
    }

    /**
     * Both tables, IPv4 first.
     *
     * @throws CommandException {@code open("<path>"): <strerror>} when a file cannot be opened; as
     *         in qemu-ga, the other file is still read, but the reply is the error
     */
    List<Object> routes() throws CommandException {
        List<Object> routes = new ArrayList<>();
        CommandException failure = null;
        for (boolean ipv6 : new boolean[] {false, true}) {
            Path file = root.resolve(ipv6 ? "proc/net/ipv6_route" : "proc/net/route");
            List<String> lines;
            try {
                lines = lines(file);
            } catch (IOException e) {
                // qemu-ga asserts when both files fail (a second error_setg on the same Error);
                // the first error is the reply here
                if (failure == null) {
                    failure = new CommandException("open(\"" + file + "\"): " + strerror(e));
                }
                continue;
            }
            for (int i = ipv6 ? 0 : 1; i < lines.size(); i++) {
                Map<String, Object> route = ipv6 ? ipv6Route(lines.get(i)) : ipv4Route(lines.get(i));
                if (route != null) {
                    routes.add(route);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return routes;
    }

    /** The lines getline returns; a folder opens, but reads nothing (getline fails with EISDIR). */
    private static List<String> lines(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            return List.of();
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** {@code "%s %X %X %x %d %d %d %X %d %d %d"}: Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT. */
    static Map<String, Object> ipv4Route(String line) {
        Scanf in = new Scanf(line);
        String iface = in.word(Integer.MAX_VALUE);
        Long destination = iface == null ? null : in.hex();
        Long gateway = destination == null ? null : in.hex();
        Long flags = gateway == null ? null : in.hex();
        Long refcnt = flags == null ? null : in.decimal();
        Long use = refcnt == null ? null : in.decimal();
        Long metric = use == null ? null : in.decimal();
        Long mask = metric == null ? null : in.hex();
        Long mtu = mask == null ? null : in.decimal();
        Long window = mtu == null ? null : in.decimal();
        Long irtt = window == null ? null : in.decimal();
        if (irtt == null) {
            return null;
        }
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("iface", iface);
        route.put("destination", ipv4(destination));
        route.put("gateway", ipv4(gateway));
        route.put("mask", ipv4(mask));
        route.put("metric", (long) metric.intValue());
        route.put("flags", flags & 0xffffffffL); // unsigned int
        route.put("refcnt", (long) refcnt.intValue());
        route.put("use", (long) use.intValue());
        route.put("mtu", (long) mtu.intValue());
        route.put("window", (long) window.intValue());
        route.put("irtt", (long) irtt.intValue());
        route.put("version", 4L);
        return route;
    }

    /**
     * {@code "%32s %x %32s %x %32s %x %x %x %x %s"}: destination, its prefix length, source, its
     * prefix length, next hop, metric, reference count, use, flags, device.
     */
    static Map<String, Object> ipv6Route(String line) {
        Scanf in = new Scanf(line);
        String destination = in.word(32);
        Long destinationPrefix = destination == null ? null : in.hex();
        String source = destinationPrefix == null ? null : in.word(32);
        Long sourcePrefix = source == null ? null : in.hex();
        String nextHop = sourcePrefix == null ? null : in.word(32);
        Long metric = nextHop == null ? null : in.hex();
        Long refcnt = metric == null ? null : in.hex();
        Long use = refcnt == null ? null : in.hex();
        Long flags = use == null ? null : in.hex();
        String iface = flags == null ? null : in.word(Integer.MAX_VALUE);
        if (iface == null) {
            return null;
        }
        String destinationText = ipv6(destination);
        if (destinationText == null) {
            return null;
        }
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("iface", iface);
        route.put("destination", destinationText);
        // source and next hop that are not hex are left out (qemu-ga's NULL optional members)
        String sourceText = ipv6(source);
        if (sourceText != null) {
            route.put("source", sourceText);
        }
        String nextHopText = ipv6(nextHop);
        if (nextHopText != null) {
            route.put("nexthop", nextHopText);
        }
        route.put("desprefixlen", Integer.toString(destinationPrefix.intValue()));
        route.put("srcprefixlen", Integer.toString(sourcePrefix.intValue()));
        route.put("metric", (long) metric.intValue());
        route.put("flags", Uint64.of(flags.intValue())); // an int in qemu-ga, sign-extended
        route.put("refcnt", (long) refcnt.intValue());
        route.put("use", (long) use.intValue());
        route.put("version", 6L);
        return route;
    }

    /** hex_to_ip_address for IPv4: the kernel prints the address as a native (little-endian) int. */
    private static String ipv4(long hex) {
        int value = (int) hex;
        return (value & 0xff) + "." + ((value >> 8) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >>> 24) & 0xff);
    }

    /**
     * hex_to_ip_address for IPv6: 16 bytes scanned {@code %02hhx} from each pair of characters.
     * Null when a pair does not start with a hex digit or the text ends early (qemu-ga would read
     * past the end of a shorter text; the kernel always writes 32 digits).
     */
    private static String ipv6(String hex) {
        byte[] address = new byte[16];
        for (int i = 0; i < 16; i++) {
            int at = i * 2;
            if (at >= hex.length() || Scanf.hexDigit(hex.charAt(at)) < 0) {
                return null;
            }
            int value = Scanf.hexDigit(hex.charAt(at));
            if (at + 1 < hex.length() && Scanf.hexDigit(hex.charAt(at + 1)) >= 0) {
                value = value * 16 + Scanf.hexDigit(hex.charAt(at + 1));
            }
            address[i] = (byte) value;
        }
        return AddressText.ipv6(address);
    }

    /** The C library's text for the error, as qemu-ga's error_setg_errno appends it. */
    private static String strerror(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
