package dev.somnus.network;

/**
 * One entry of {@code getifaddrs()}'s list: an interface name (for IPv4 the address's label, e.g.
 * {@code eth0:1}, as glibc reports it) with its IPv4 or IPv6 address and netmask, or with no IP
 * address at all (the link's own {@code AF_PACKET} entry, or an entry without {@code ifa_addr}).
 *
 * @param name {@code ifa_name}
 * @param address 4 bytes (AF_INET), 16 bytes (AF_INET6), or null for any other family or none
 * @param netmask the netmask of {@code address} in the same length, or null when the entry has none
 */
record InterfaceAddress(String name, byte[] address, byte[] netmask) {

    static InterfaceAddress link(String name) {
        return new InterfaceAddress(name, null, null);
    }
}
