package dev.somnus.network;

import java.math.BigInteger;

/**
 * A C integer stored into a QAPI {@code uint64} member, as qemu-ga's generated code converts it: a
 * negative value wraps to 2^64 + value, which JSON then shows as that large number.
 */
final class Uint64 {

    private Uint64() {
    }

    static Number of(long value) {
        return value >= 0 ? Long.valueOf(value) : new BigInteger(Long.toUnsignedString(value));
    }
}
