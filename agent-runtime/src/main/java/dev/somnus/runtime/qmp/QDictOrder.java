package dev.somnus.runtime.qmp;

import java.util.Arrays;
import java.util.Map;

/**
 * The member order of qemu's QDict, which every qemu-ga reply and its request checks follow
 * (qga-reference §1.2): 512 hash buckets walked from 0 to 511, and inside one bucket the most
 * recently inserted key first. For a Java map, "inserted" means its iteration order: a parsed
 * object (a {@code LinkedHashMap}) keeps the order of the request, so echoed values come back
 * exactly as qemu-ga would write them.
 */
public final class QDictOrder {

    public static final int BUCKETS = 512;

    private QDictOrder() {
    }

    /**
     * qemu's {@code tdb_hash} bucket: over the key's modified UTF-8 bytes, all arithmetic mod 2^32,
     * start with 0x238F13AF × length, add (byte << ((5·i) mod 24)) for byte i, then
     * 1103515243 × v + 12345, modulo 512.
     */
    public static int bucket(String key) {
        int n = key.length();
        int value = 0;
        int shift = 0; // (5·i) mod 24, stepped instead of divided for every byte
        boolean ascii = true;
        for (int k = 0; k < n; k++) {
            char c = key.charAt(k);
            if (c == 0 || c >= 0x80) {
                ascii = false;
                break;
            }
            value += c << shift;
            shift += 5;
            if (shift >= 24) {
                shift -= 24;
            }
        }
        if (ascii) {
            value += 0x238F13AF * n;
        } else {
            byte[] bytes = encode(key);
            value = 0x238F13AF * bytes.length;
            for (int k = 0; k < bytes.length; k++) {
                value += (bytes[k] & 0xFF) << ((k * 5) % 24);
            }
        }
        return (1103515243 * value + 12345) & (BUCKETS - 1);
    }

    /**
     * The map's keys in QDict order.
     *
     * @throws IllegalArgumentException if a key is not a string
     */
    public static String[] orderedKeys(Map<?, ?> map) {
        int n = map.size();
        String[] keys = new String[n];
        int i = 0;
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("JSON object key is not a string: " + key);
            }
            keys[i++] = (String) key;
        }
        if (n < 2) {
            return keys;
        }
        // bucket ascending, then later insertion first
        long[] order = new long[n];
        for (int k = 0; k < n; k++) {
            order[k] = ((long) bucket(keys[k]) << 32) | (n - 1 - k);
        }
        Arrays.sort(order);
        String[] sorted = new String[n];
        for (int k = 0; k < n; k++) {
            sorted[k] = keys[n - 1 - (int) order[k]];
        }
        return sorted;
    }

    /**
     * Whether qemu would visit {@code a} before {@code b} in a dict where {@code a} was inserted at
     * {@code indexA} and {@code b} at {@code indexB}.
     */
    public static boolean before(String a, int indexA, String b, int indexB) {
        int ba = bucket(a);
        int bb = bucket(b);
        return ba != bb ? ba < bb : indexA > indexB;
    }

    /** Modified UTF-8 bytes of a Java string: U+0000 as C0 80, supplementary characters as 4 bytes. */
    static byte[] encode(String s) {
        byte[] out = new byte[s.length() * 3];
        int len = 0;
        for (int k = 0; k < s.length(); k++) {
            int cp = s.codePointAt(k);
            if (Character.isSupplementaryCodePoint(cp)) {
                k++;
            }
            if (cp != 0 && cp < 0x80) {
                out[len++] = (byte) cp;
            } else if (cp < 0x800) {
                out[len++] = (byte) (0xC0 | (cp >> 6));
                out[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out[len++] = (byte) (0xE0 | (cp >> 12));
                out[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[len++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[len++] = (byte) (0xF0 | (cp >> 18));
                out[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[len++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        return Arrays.copyOf(out, len);
    }
}
