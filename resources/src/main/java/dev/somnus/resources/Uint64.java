package dev.somnus.resources;

import java.math.BigInteger;

/** A QAPI {@code uint64} member: 64 bits written as an unsigned number, as qemu's JSON writer does. */
final class Uint64 {

    private Uint64() {
    }

    /** The value to put in a reply: a Long while it fits, else the BigInteger the writer prints unsigned. */
    static Object of(long bits) {
        return bits >= 0 ? (Object) bits : new BigInteger(Long.toUnsignedString(bits));
    }
}
