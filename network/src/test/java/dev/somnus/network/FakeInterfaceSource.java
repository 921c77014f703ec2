package dev.somnus.network;

import dev.somnus.api.command.CommandException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A made-up machine: getifaddrs entries in the order given, and the MAC each name answers. */
final class FakeInterfaceSource implements InterfaceSource {

    final List<InterfaceAddress> entries = new ArrayList<>();
    final Map<String, byte[]> macs = new HashMap<>();
    final List<String> macQueries = new ArrayList<>();
    String addressesFailure;
    String socketFailure;

    FakeInterfaceSource link(String name, int... mac) {
        entries.add(InterfaceAddress.link(name));
        if (mac.length > 0) {
            byte[] bytes = new byte[6];
            for (int i = 0; i < 6; i++) {
                bytes[i] = (byte) mac[i];
            }
            macs.put(name, bytes);
        }
        return this;
    }

    FakeInterfaceSource address(String name, String address, int prefix) throws Exception {
        byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
        byte[] netmask = new byte[bytes.length];
        for (int bit = 0; bit < prefix; bit++) {
            netmask[bit / 8] |= (byte) (0x80 >> (bit % 8));
        }
        entries.add(new InterfaceAddress(name, bytes, netmask));
        return this;
    }

    @Override
    public List<InterfaceAddress> addresses() throws CommandException {
        if (addressesFailure != null) {
            throw new CommandException(addressesFailure);
        }
        return entries;
    }

    @Override
    public Optional<byte[]> hardwareAddress(String name) throws CommandException {
        if (socketFailure != null) {
            throw new CommandException(socketFailure);
        }
        macQueries.add(name);
        return Optional.ofNullable(macs.get(name));
    }
}
