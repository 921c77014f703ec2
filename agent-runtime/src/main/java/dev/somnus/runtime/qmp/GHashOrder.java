package dev.somnus.runtime.qmp;

import java.util.List;
import java.util.function.Predicate;

/**
 * Which of several unexpected arguments qemu-ga names in {@code Parameter 'x' is unexpected}: its
 * QAPI input visitor puts the argument names into a GLib hash table (in QDict order), removes
 * each declared one it visits, and names the first name left in the table's slot order. For the
 * tables arguments make in practice (fewer than 8 names: 8 slots, never resized) this reproduces
 * GLib 2.74's placement: {@code g_str_hash} (djb2 over signed chars), slot = hash × 11 mod 7,
 * quadratic probing. With 8 names or more we fall back to QDict order.
 */
public final class GHashOrder {

    private static final int SLOTS = 8;
    private static final int MOD = 7;

    private GHashOrder() {
    }

    /**
     * @param qdictOrder every argument name, in QDict order (the insertion order)
     * @param unexpected which names were not visited
     * @return the name qemu-ga reports, or null if none is unexpected
     */
    public static String firstLeft(List<String> qdictOrder, Predicate<String> unexpected) {
        if (qdictOrder.size() >= SLOTS) {
            return qdictOrder.stream().filter(unexpected).findFirst().orElse(null);
        }
        String[] slots = new String[SLOTS];
        for (String key : qdictOrder) {
            int index = Integer.remainderUnsigned(hash(key) * 11, MOD);
            int step = 0;
            while (slots[index] != null) {
                step++;
                index = (index + step) & (SLOTS - 1);
            }
            slots[index] = key;
        }
        for (String key : slots) {
            if (key != null && unexpected.test(key)) {
                return key;
            }
        }
        return null;
    }

    /** GLib's {@code g_str_hash} over the key's modified UTF-8 bytes, as a hash table stores it. */
    static int hash(String key) {
        int h = 5381;
        for (byte b : QDictOrder.encode(key)) {
            h = (h << 5) + h + b;
        }
        // GLib keeps 0 and 1 for unused and deleted slots
        return Integer.compareUnsigned(h, 2) < 0 ? 2 : h;
    }
}
