package dev.somnus.network;

/**
 * Addresses as glibc's {@code inet_ntop} writes them, which is what qemu-ga puts on the wire:
 * dotted quads, and IPv6 in lower-case hex with the first longest run of two or more zero groups
 * written {@code ::}, IPv4-compatible and -mapped addresses ending in a dotted quad, and no scope
 * (Java's {@code Inet6Address} text differs on all of these, hence this class).
 */
final class AddressText {

    private AddressText() {
    }

    /** {@code inet_ntop(AF_INET, ...)} of 4 bytes in network order. */
    static String ipv4(byte[] address) {
        return ipv4(address, 0);
    }

    private static String ipv4(byte[] address, int offset) {
        return (address[offset] & 0xff) + "." + (address[offset + 1] & 0xff) + "."
                + (address[offset + 2] & 0xff) + "." + (address[offset + 3] & 0xff);
    }

    /** {@code inet_ntop(AF_INET6, ...)} of 16 bytes in network order (glibc resolv/inet_ntop.c). */
    static String ipv6(byte[] address) {
        int[] words = new int[8];
        for (int i = 0; i < 16; i++) {
            words[i / 2] |= (address[i] & 0xff) << ((1 - (i % 2)) << 3);
        }
        int bestBase = -1;
        int bestLength = 0;
        int base = -1;
        int length = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (base == -1) {
                    base = i;
                    length = 1;
                } else {
                    length++;
                }
            } else if (base != -1) {
                if (bestBase == -1 || length > bestLength) {
                    bestBase = base;
                    bestLength = length;
                }
                base = -1;
            }
        }
        if (base != -1 && (bestBase == -1 || length > bestLength)) {
            bestBase = base;
            bestLength = length;
        }
        if (bestBase != -1 && bestLength < 2) {
            bestBase = -1;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLength) {
                if (i == bestBase) {
                    text.append(':');
                }
                continue;
            }
            if (i != 0) {
                text.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff))) {
                text.append(ipv4(address, 12));
                break;
            }
            text.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLength == 8) {
            text.append(':');
        }
        return text.toString();
    }
}
