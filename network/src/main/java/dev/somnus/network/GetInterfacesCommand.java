package dev.somnus.network;

import dev.somnus.api.command.Command;
import dev.somnus.api.command.CommandException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code guest-network-get-interfaces}, as qemu-ga 7.2's {@code qmp_guest_network_get_interfaces}
 * (qga/commands-posix.c) builds it from {@code getifaddrs()}: one interface per name, in the order
 * the names first appear; every interface, down links and links without addresses included, gets
 * the {@code hardware-address} SIOCGIFHWADDR gives (all zeros for loopback and tun), or none when
 * the kernel refuses; IPv4 labels ({@code eth0:1}) are interfaces of their own; each IPv4/IPv6 entry
 * adds an {@code ip-addresses} item whose prefix counts the netmask's bits; and
 * {@code statistics} from /proc/net/dev are looked up only for an interface that has an address.
 */
@Component(service = Command.class, configurationPid = NetworkConfiguration.PID,
        property = Command.NAME_PROPERTY + "=" + GetInterfacesCommand.NAME)
@Designate(ocd = NetworkConfiguration.class)
public final class GetInterfacesCommand implements Command {

    static final String NAME = "guest-network-get-interfaces";

    private final InterfaceSource source;
    private volatile Path root;

    @Activate
    public GetInterfacesCommand(NetworkConfiguration config, @Reference(service = LoggerFactory.class) Logger logger) {
        this(new NativeInterfaceSource(logger::warn), Path.of(config.root()));
    }

    GetInterfacesCommand(InterfaceSource source, Path root) {
        this.source = source;
        this.root = root;
    }

    /** A changed root applies to the next request; the command stays registered. */
    @Modified
    void modified(NetworkConfiguration config) {
        root = Path.of(config.root());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object execute(Map<String, Object> arguments) throws CommandException {
        Map<String, Map<String, Object>> interfaces = new LinkedHashMap<>();
        DeviceStatistics statistics = null;
        for (InterfaceAddress entry : source.addresses()) {
            Map<String, Object> info = interfaces.computeIfAbsent(entry.name(), GetInterfacesCommand::named);
            if (!info.containsKey("hardware-address")) {
                // asked again at each entry of the interface until the kernel gives one, as qemu-ga does
                Optional<byte[]> mac = source.hardwareAddress(entry.name());
                if (mac.isPresent()) {
                    info.put("hardware-address", macText(mac.get()));
                }
            }
            if (entry.address() == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Object> addresses = (List<Object>) info.computeIfAbsent("ip-addresses", key -> new ArrayList<>());
            addresses.add(ipAddress(entry));
            if (!info.containsKey("statistics")) {
                if (statistics == null) {
                    statistics = DeviceStatistics.read(root);
                }
                statistics.of(entry.name()).ifPresent(counters -> info.put("statistics", counters));
            }
        }
        return new ArrayList<Object>(interfaces.values());
    }

    private static Map<String, Object> named(String name) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        return info;
    }

    /** {@code %02x:%02x:%02x:%02x:%02x:%02x} */
    private static String macText(byte[] mac) {
        StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                text.append(':');
            }
            text.append(Character.forDigit((mac[i] >> 4) & 0xf, 16)).append(Character.forDigit(mac[i] & 0xf, 16));
        }
        return text.toString();
    }

    private static Map<String, Object> ipAddress(InterfaceAddress entry) {
        boolean ipv4 = entry.address().length == 4;
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("ip-address-type", ipv4 ? "ipv4" : "ipv6");
        address.put("ip-address", ipv4 ? AddressText.ipv4(entry.address()) : AddressText.ipv6(entry.address()));
        // the netmask's set bits (qemu-ga: ctpop32 over its words); 0 when the entry has none
        long prefix = 0;
        if (entry.netmask() != null) {
            for (byte b : entry.netmask()) {
                prefix += Integer.bitCount(b & 0xff);
            }
        }
        address.put("prefix", prefix);
        return address;
    }
}
