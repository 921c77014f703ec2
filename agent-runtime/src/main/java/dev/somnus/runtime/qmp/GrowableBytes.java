package dev.somnus.runtime.qmp;

import java.util.Arrays;

/** A reusable, growable byte array: replies are composed here, then handed to the sink at once. */
public final class GrowableBytes {

    private static final int KEEP = 64 * 1024;

    private byte[] bytes;
    private int length;

    public GrowableBytes(int capacity) {
        bytes = new byte[capacity];
    }

    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** Empties the buffer; a buffer grown by one huge reply shrinks back so it is not held forever. */
    public void clear() {
        length = 0;
        if (bytes.length > KEEP) {
            bytes = new byte[KEEP];
        }
    }

    public void truncate(int newLength) {
        length = newLength;
    }

    public void put(int b) {
        if (length == bytes.length) {
            grow(1);
        }
        bytes[length++] = (byte) b;
    }

    public void put(byte[] b) {
        put(b, 0, b.length);
    }

    public void put(byte[] b, int offset, int count) {
        if (length + count > bytes.length) {
            grow(count);
        }
        System.arraycopy(b, offset, bytes, length, count);
        length += count;
    }

    /** Appends a string known to be ASCII. */
    public void putAscii(String s) {
        int n = s.length();
        if (length + n > bytes.length) {
            grow(n);
        }
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
    }

    public void putLong(long v) {
        if (v == Long.MIN_VALUE) {
            putAscii("-9223372036854775808");
            return;
        }
        if (length + 20 > bytes.length) {
            grow(20);
        }
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        if (v < 10) {
            bytes[length++] = (byte) ('0' + v);
            return;
        }
        int digits = 0;
        for (long t = v; t != 0; t /= 10) {
            digits++;
        }
        int p = length + digits;
        length = p;
        while (v != 0) {
            bytes[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void grow(int extra) {
        long wanted = Math.max((long) bytes.length * 2, (long) length + extra);
        if (wanted > Integer.MAX_VALUE - 16) {
            wanted = (long) length + extra;
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("reply larger than 2 GiB");
            }
        }
        bytes = Arrays.copyOf(bytes, (int) wanted);
    }
}
