package dev.somnus.runtime.qmp;

import java.util.Arrays;
import java.util.List;

/**
 * Which of several unexpected arguments qemu-ga names in {@code Parameter 'x' is unexpected}.
 * Its QAPI input visitor puts every argument name into a GLib hash table (in QDict order), removes
 * each declared member it visits (in declaration order), and names the first name left in the
 * table's slot order. This class replays that on a model of GLib 2.74's {@code GHashTable}:
 * {@code g_str_hash} (djb2 over signed chars), slot = hash × 11 mod a prime, quadratic probing,
 * tombstones, and the in-place resize (grow past 15/16 occupied, shrink below 1/4 full) that
 * reorders entries.
 */
public final class GHashOrder {

    private static final int MIN_SHIFT = 3;
    /** GLib's {@code prime_mod}: the largest prime below 2^shift. */
    private static final int[] PRIME_MOD = {1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381,
        32749, 65521, 131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213, 33554393, 67108859,
        134217689, 268435399, 536870909, 1073741789, 2147483647};
    private static final int UNUSED = 0;
    private static final int TOMBSTONE = 1;

    private int size;
    private int mod;
    private int mask;
    private int nodes;
    private int occupied;
    private int[] hashes;
    private String[] keys;

    private GHashOrder() {
        setShift(MIN_SHIFT);
        hashes = new int[size];
        keys = new String[size];
    }

    /**
     * @param qdictOrder every argument name, in QDict order (the insertion order)
     * @param visited the declared members present, in declaration order (the removal order)
     * @return the name qemu-ga reports, or null if every name was visited
     */
    public static String firstLeft(List<String> qdictOrder, List<String> visited) {
        GHashOrder table = new GHashOrder();
        for (String key : qdictOrder) {
            table.insert(key);
        }
        for (String key : visited) {
            table.remove(key);
        }
        for (int i = 0; i < table.size; i++) {
            if (isReal(table.hashes[i])) {
                return table.keys[i];
            }
        }
        return null;
    }

    /** GLib's {@code g_str_hash} over the key's modified UTF-8 bytes, as the table stores it. */
    static int hash(String key) {
        int h = 5381;
        for (byte b : QDictOrder.encode(key)) {
            h = (h << 5) + h + b;
        }
        // 0 and 1 mark unused and deleted slots
        return isReal(h) ? h : 2;
    }

    private static boolean isReal(int hash) {
        return Integer.compareUnsigned(hash, 2) >= 0;
    }

    private int index(int hash) {
        return Integer.remainderUnsigned(hash * 11, mod);
    }

    private void setShift(int shift) {
        size = 1 << shift;
        mod = PRIME_MOD[shift];
        mask = size - 1;
    }

    /** {@code g_hash_table_lookup_node}: the key's slot, or where it would go. */
    private int lookup(String key, int hash) {
        int index = index(hash);
        int tombstone = -1;
        int step = 0;
        while (hashes[index] != UNUSED) {
            if (hashes[index] == hash && key.equals(keys[index])) {
                return index;
            }
            if (hashes[index] == TOMBSTONE && tombstone < 0) {
                tombstone = index;
            }
            step++;
            index = (index + step) & mask;
        }
        return tombstone >= 0 ? tombstone : index;
    }

    private void insert(String key) {
        int hash = hash(key);
        int index = lookup(key, hash);
        int old = hashes[index];
        if (isReal(old)) {
            return;
        }
        hashes[index] = hash;
        keys[index] = key;
        nodes++;
        if (old == UNUSED) {
            occupied++;
            maybeResize();
        }
    }

    private void remove(String key) {
        int index = lookup(key, hash(key));
        if (!isReal(hashes[index])) {
            return;
        }
        hashes[index] = TOMBSTONE;
        keys[index] = null;
        nodes--;
        maybeResize();
    }

    private void maybeResize() {
        if ((size > nodes * 4 && size > 1 << MIN_SHIFT) || size <= occupied + occupied / 16) {
            resize();
        }
    }

    /** {@code g_hash_table_resize}: rehash in place, evicting entries along the way. */
    private void resize() {
        int oldSize = size;
        int wanted = (int) (nodes * 1.333);
        int shift = 0;
        while (wanted != 0) {
            wanted >>= 1;
            shift++;
        }
        setShift(Math.max(shift, MIN_SHIFT));
        if (size > oldSize) {
            hashes = Arrays.copyOf(hashes, size);
            keys = Arrays.copyOf(keys, size);
        }
        boolean[] placed = new boolean[Math.max(size, oldSize)];
        for (int i = 0; i < oldSize; i++) {
            int hash = hashes[i];
            if (!isReal(hash)) {
                hashes[i] = UNUSED;
                continue;
            }
            if (placed[i]) {
                continue;
            }
            hashes[i] = UNUSED;
            String key = keys[i];
            keys[i] = null;
            for (;;) {
                int index = index(hash);
                int step = 0;
                while (placed[index]) {
                    step++;
                    index = (index + step) & mask;
                }
                placed[index] = true;
                int replaced = hashes[index];
                hashes[index] = hash;
                String evicted = keys[index];
                keys[index] = key;
                if (!isReal(replaced)) {
                    break;
                }
                hash = replaced;
                key = evicted;
            }
        }
        if (size < oldSize) {
            hashes = Arrays.copyOf(hashes, size);
            keys = Arrays.copyOf(keys, size);
        }
        occupied = nodes;
    }
}
