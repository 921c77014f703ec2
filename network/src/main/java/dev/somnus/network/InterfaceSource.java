package dev.somnus.network;

import dev.somnus.api.command.CommandException;
import java.util.List;
import java.util.Optional;

/**
 * Where guest-network-get-interfaces learns the machine's interfaces: the kernel through libc
 * ({@link NativeInterfaceSource}), or a made-up machine in tests. The two calls are the two that
 * qemu-ga's {@code qmp_guest_network_get_interfaces} makes.
 */
interface InterfaceSource {

    /**
     * {@code getifaddrs()}: every entry in the C library's order (each link's AF_PACKET entry in the
     * kernel's link order, then the IPv4 addresses, then the IPv6 addresses).
     *
     * @throws CommandException {@code getifaddrs failed: <strerror>}
     */
    List<InterfaceAddress> addresses() throws CommandException;

    /**
     * {@code ioctl(SIOCGIFHWADDR)}: the first 6 bytes of the interface's hardware address (all zero
     * for interfaces without one, such as loopback), or empty when the kernel refuses (qemu-ga then
     * leaves {@code hardware-address} out, and logs a warning unless the error is EADDRNOTAVAIL).
     *
     * @throws CommandException {@code failed to create socket: <strerror>}
     */
    Optional<byte[]> hardwareAddress(String name) throws CommandException;
}
