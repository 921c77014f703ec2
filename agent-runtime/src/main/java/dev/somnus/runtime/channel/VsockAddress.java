package dev.somnus.runtime.channel;

import jnr.ffi.Pointer;

/**
 * The {@code -p <cid>:<port>} of {@code vsock-listen}, parsed the way qemu-ga parses
 * {@code vsock:<path>} (util/qemu-sockets.c {@code vsock_parse} and
 * {@code vsock_parse_vaddr_to_sockaddr}), with its error texts.
 */
record VsockAddress(long cid, long port) {

    /** sizeof(struct sockaddr_vm): family (u16), reserved (u16), port (u32), cid (u32), flags, zero. */
    static final int SOCKADDR_SIZE = 16;

    /** VMADDR_CID_ANY: listen on whatever CID this guest has. */
    static final long ANY_CID = 0xFFFFFFFFL;

    private static final int FIELD_MAX = 32;

    static VsockAddress parse(String text) throws ChannelFailure {
        // sscanf(text, "%32[^:]:%32[^,]%n", cid, port, &n) == 2, then text[n] must be the end.
        int cidEnd = scanUntil(text, 0, ':');
        if (cidEnd == 0 || cidEnd >= text.length() || text.charAt(cidEnd) != ':') {
            throw ChannelFailure.creating("error parsing address '" + text + "'");
        }
        int portStart = cidEnd + 1;
        int portEnd = scanUntil(text, portStart, ',');
        if (portEnd == portStart) {
            throw ChannelFailure.creating("error parsing address '" + text + "'");
        }
        if (portEnd != text.length()) {
            throw ChannelFailure.creating("trailing characters in address '" + text + "'");
        }
        String cid = text.substring(0, cidEnd);
        String port = text.substring(portStart, portEnd);
        long cidValue = parseUnsigned32(cid);
        if (cidValue < 0) {
            throw ChannelFailure.creating("Failed to parse cid '" + cid + "'");
        }
        long portValue = parseUnsigned32(port);
        if (portValue < 0) {
            throw ChannelFailure.creating("Failed to parse port '" + port + "'");
        }
        return new VsockAddress(cidValue, portValue);
    }

    /** Fills in a zeroed struct sockaddr_vm. */
    void writeTo(Pointer sockaddr) {
        sockaddr.putShort(0, (short) Posix.AF_VSOCK);
        sockaddr.putInt(4, (int) port);
        sockaddr.putInt(8, (int) cid);
    }

    /** {@code vsock cid=<n> port=<n>} from the struct sockaddr_vm accept returned. */
    static String describePeer(Pointer sockaddr) {
        return "vsock cid=" + Integer.toUnsignedString(sockaddr.getInt(8))
                + " port=" + Integer.toUnsignedString(sockaddr.getInt(4));
    }

    /** Like sscanf's %32[^stop]: the index after at most 32 characters other than {@code stop}. */
    private static int scanUntil(String text, int from, char stop) {
        int i = from;
        while (i < text.length() && i - from < FIELD_MAX && text.charAt(i) != stop) {
            i++;
        }
        return i;
    }

    /**
     * qemu's parse_uint_full(…, 10) limited to UINT32_MAX: leading white space and a '+' are
     * accepted (strtoull), a '-' is not, nothing may follow the digits.
     *
     * @return the value, or -1 if the text is not such a number
     */
    static long parseUnsigned32(String text) {
        int i = 0;
        while (i < text.length() && " \t\n\u000B\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '+') {
            i++;
        }
        int digitsStart = i;
        long value = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > 0xFFFFFFFFL) {
                return -1;
            }
            i++;
        }
        if (i == digitsStart || i != text.length()) {
            return -1;
        }
        return value;
    }
}
